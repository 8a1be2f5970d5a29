package ingest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"slices"
	"strconv"
	"time"

	"github.com/crossdock-hub/crossdock/adapters/edi/edifact"
	"github.com/crossdock-hub/crossdock/adapters/edi/x12"
	"github.com/crossdock-hub/crossdock/adapters/inbound"
	"github.com/crossdock-hub/crossdock/domain"
)

// EDIAcknowledger writes the functional acknowledgment of every inbound interchange, accepted or
// rejected: an X12 997 (with a TA1 when the envelope itself is wrong) or an EDIFACT CONTRL.
//
// Its control numbers are derived from the acknowledged interchange (a hash of its sender and control
// number, 9 digits for X12, 14 for EDIFACT), so processing a message again — a replay, a resend — answers
// with the same control numbers rather than a second acknowledgment under a new one.
type EDIAcknowledger struct {
	// Now dates the acknowledgments. Default: time.Now.
	Now func() time.Time
}

// Acknowledge implements Acknowledger.
func (a EDIAcknowledger) Acknowledge(_ context.Context, _ string, d *inbound.Decoded) ([]byte, error) {
	now := time.Now
	if a.Now != nil {
		now = a.Now
	}
	var out bytes.Buffer
	var errs []error
	if d.X12 != nil {
		problems := map[string]map[x12.TxKey][]*x12.Error{}
		for _, r := range d.X12Results {
			if r.Interchange == nil || r.Group == nil || r.Transaction == nil || len(r.Errors) == 0 {
				continue
			}
			m := problems[r.Interchange.Control]
			if m == nil {
				m = map[x12.TxKey][]*x12.Error{}
				problems[r.Interchange.Control] = m
			}
			k := x12.TxKey{Group: r.Group.Control, Set: r.Transaction.Control}
			for _, e := range r.Errors {
				if !slices.Contains(r.Transaction.Errors, e) && !slices.Contains(r.Group.Errors, e) && !slices.Contains(r.Interchange.Errors, e) {
					m[k] = append(m[k], e)
				}
			}
		}
		for i := range d.X12.Interchanges {
			ic := &d.X12.Interchanges[i]
			n := derived(ic.SenderQualifier+"/"+ic.SenderID+":"+ic.Control, 1e9)
			ack, err := x12.Acknowledge(ic, x12.AckEnvelope{
				Control: strconv.FormatUint(n, 10), GroupControl: int(n%1e8) + 1, Date: now().UTC(),
			}, problems[ic.Control])
			if err != nil {
				errs = append(errs, fmt.Errorf("997 for interchange %s: %w", ic.Control, err))
				continue
			}
			out.Write(ack)
		}
	}
	if d.EDIFACT != nil {
		problems := map[string]map[string][]*edifact.Error{}
		for _, r := range d.EDIFACTResults {
			if r.Interchange == nil || r.Message == nil || len(r.Errors) == 0 {
				continue
			}
			m := problems[r.Interchange.Reference]
			if m == nil {
				m = map[string][]*edifact.Error{}
				problems[r.Interchange.Reference] = m
			}
			for _, e := range r.Errors {
				if !parsedError(r.Interchange, r.Message, e) {
					m[r.Message.Reference] = append(m[r.Message.Reference], e)
				}
			}
		}
		for i := range d.EDIFACT.Interchanges {
			ic := &d.EDIFACT.Interchanges[i]
			n := derived(ic.Sender+":"+ic.Reference, 1e14)
			ack, err := edifact.Control(ic, problems[ic.Reference], edifact.ControlOptions{
				Reference: strconv.FormatUint(n, 10), Prepared: now().UTC(),
			})
			if errors.Is(err, edifact.ErrControlForControl) {
				continue
			}
			if err != nil {
				errs = append(errs, fmt.Errorf("CONTRL for interchange %s: %w", ic.Reference, err))
				continue
			}
			out.Write(ack)
		}
	}
	return out.Bytes(), errors.Join(errs...)
}

// parsedError reports whether e is one of the reader's own errors, which Control takes from the
// interchange itself.
func parsedError(ic *edifact.Interchange, m *edifact.Message, e *edifact.Error) bool {
	if slices.Contains(ic.Errors, e) || slices.Contains(m.Errors, e) {
		return true
	}
	for _, g := range ic.Groups {
		if slices.Contains(g.Errors, e) {
			return true
		}
	}
	return false
}

// derived maps s onto [1, limit).
func derived(s string, limit uint64) uint64 {
	h := fnv.New64a()
	h.Write([]byte(s))
	return h.Sum64()%(limit-1) + 1
}

// refuseSet marks the EDI transaction set or message that doc came from as rejected, so that the
// functional acknowledgment written afterwards tells the partner what the answer tells it: the set was
// read, but the document handler refused it. A purchase or warehouse order, which Crossdock sends and
// never takes, is rejected as not supported (X12 AK502 1; EDIFACT code 14 on UNH's message type);
// another broken rule rejects the set without a syntax code, having none.
func refuseSet(d *inbound.Decoded, doc inbound.Document, reason string) {
	outbound := false
	switch doc.Document.Kind() {
	case domain.KindPurchaseOrder, domain.KindWarehouseOrder:
		outbound = true
	}
	i := doc.Source.Index
	switch doc.Source.Standard {
	case inbound.FormatX12:
		if i < 0 || i >= len(d.X12Results) || d.X12Results[i].Transaction == nil {
			return
		}
		r := &d.X12Results[i]
		e := &x12.Error{SegmentID: "ST", Kind: x12.KindTransaction, Reason: reason}
		if outbound {
			e.Element, e.Code = 1, x12.SetNotSupported
		}
		if len(r.Transaction.Segments) > 0 {
			e.Segment, e.Offset = r.Transaction.Segments[0].Number, r.Transaction.Segments[0].Offset
		}
		r.Errors = append(r.Errors, e)
	case inbound.FormatEDIFACT:
		if i < 0 || i >= len(d.EDIFACTResults) || d.EDIFACTResults[i].Message == nil {
			return
		}
		r := &d.EDIFACTResults[i]
		e := &edifact.Error{Tag: "UNH", Reason: reason}
		if outbound {
			e.Element, e.Code = 2, edifact.CodeNotSupportedValue
		}
		if len(r.Message.Segments) > 0 {
			e.Segment, e.Offset = r.Message.Segments[0].Number, r.Message.Segments[0].Offset
		}
		r.Errors = append(r.Errors, e)
	}
}
