package inbound

import (
	"bytes"
	"strings"

	"github.com/crossdock-hub/crossdock/adapters/webhooks"
)

// MessageID is the partner's own identifier of a message, read cheaply from its envelope so that the
// archive can recognise a resent message before the body is processed: for X12 the interchange sender
// and control number (ISA05, ISA06, ISA13: "the same interchange" is the same ISA13 from the same sender),
// for EDIFACT the sender and interchange reference (UNB02, UNB05), for a webhook the provider's event ID.
// Empty when there is none; the archive then falls back to the body's hash.
func MessageID(format string, body []byte) string {
	switch format {
	case FormatX12:
		return x12InterchangeID(body)
	case FormatEDIFACT:
		return edifactInterchangeID(body)
	}
	if isWebhook(format) {
		if r, err := webhooks.Parse(format, body); err == nil && r.MessageID != "" {
			return format + ":" + r.MessageID
		}
	}
	return ""
}

// x12InterchangeID reads ISA05, ISA06 and ISA13 from the fixed-width ISA header.
func x12InterchangeID(body []byte) string {
	b := bytes.TrimLeft(bytes.TrimPrefix(body, []byte("\xef\xbb\xbf")), " \t\r\n")
	if len(b) < 106 || !bytes.HasPrefix(b, []byte("ISA")) {
		return ""
	}
	f := strings.Split(string(b[:106]), string(b[3]))
	if len(f) < 17 {
		return ""
	}
	return "x12:" + strings.TrimSpace(f[5]) + "/" + strings.TrimSpace(f[6]) + ":" + strings.TrimSpace(f[13])
}

// edifactInterchangeID reads the sender (UNB02) and interchange reference (UNB05).
func edifactInterchangeID(body []byte) string {
	b := bytes.TrimLeft(bytes.TrimPrefix(body, []byte("\xef\xbb\xbf")), " \t\r\n")
	comp, elem, release, term := byte(':'), byte('+'), byte('?'), byte('\'')
	if bytes.HasPrefix(b, []byte("UNA")) {
		if len(b) < 9 {
			return ""
		}
		comp, elem, release, term = b[3], b[4], b[6], b[8]
		b = bytes.TrimLeft(b[9:], " \t\r\n")
	}
	if !bytes.HasPrefix(b, []byte("UNB")) {
		return ""
	}
	// Split the UNB segment into elements, honouring the release character.
	var elems []string
	var cur []byte
	for i := 0; i < len(b) && i < 1024; i++ {
		c := b[i]
		switch {
		case c == release && i+1 < len(b):
			i++
			cur = append(cur, b[i])
		case c == elem:
			elems = append(elems, string(cur))
			cur = cur[:0]
		case c == term:
			elems = append(elems, string(cur))
			if len(elems) < 6 {
				return ""
			}
			sender, _, _ := strings.Cut(elems[2], string(comp))
			return "edifact:" + sender + ":" + elems[5]
		default:
			cur = append(cur, c)
		}
	}
	return ""
}
