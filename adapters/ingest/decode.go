package ingest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/crossdock-hub/crossdock/adapters/problem"
	"github.com/crossdock-hub/crossdock/domain"
	"github.com/crossdock-hub/crossdock/domain/shipment"
)

// errNotJSON means the body is not one JSON value.
var errNotJSON = errors.New("body is not valid JSON")

// decodeASN reads a canonical JSON ASN sent by partner. It lists every problem with its JSON pointer: the
// ones of form found while reading (a quantity that is not a decimal, a date that is not a date), then
// the domain's rules (required fields, positive quantities, unique line numbers...) for the fields that
// were readable. Unknown fields are ignored, so partners can send more than Crossdock reads.
func decodeASN(body []byte, partner string) (shipment.ASN, []problem.FieldError, error) {
	d := json.NewDecoder(bytes.NewReader(body))
	// Numbers stay text: a quantity sent as the JSON number 12.50 must not pass through a float.
	d.UseNumber()
	var root any
	if err := d.Decode(&root); err != nil {
		return shipment.ASN{}, nil, fmt.Errorf("%w: %w", errNotJSON, err)
	}
	if _, err := d.Token(); !errors.Is(err, io.EOF) {
		return shipment.ASN{}, nil, fmt.Errorf("%w: more than one value", errNotJSON)
	}
	r := &reader{}
	obj, ok := root.(map[string]any)
	if !ok {
		r.add("", "must be a JSON object")
		return shipment.ASN{}, r.errs, nil
	}

	a := shipment.ASN{
		ASNNumber:       r.str(obj, "", "asn_number"),
		PONumber:        r.str(obj, "", "po_number"),
		ShipDate:        r.instant(obj, "", "ship_date"),
		ExpectedArrival: r.instant(obj, "", "expected_arrival"),
		CarrierSCAC:     r.str(obj, "", "carrier_scac"),
		TrackingNumber:  r.str(obj, "", "tracking_number"),
		ShipTo:          r.str(obj, "", "ship_to"),
		Supplier:        partner,
	}
	if s := r.str(obj, "", "supplier"); s != "" && s != partner {
		r.add("/supplier", "must be the sending partner ("+partner+") or left out")
	}
	if v, ok := obj["lines"]; ok && v != nil {
		lines, ok := v.([]any)
		if !ok {
			r.add("/lines", "must be an array")
		}
		for i, lv := range lines {
			p := "/lines/" + strconv.Itoa(i)
			lo, ok := lv.(map[string]any)
			if !ok {
				r.add(p, "must be an object")
				continue
			}
			a.Lines = append(a.Lines, shipment.Line{
				Number: r.integer(lo, p, "line_number"),
				Item:   r.str(lo, p, "item"),
				Quantity: domain.Quantity{
					Amount: r.amount(lo, p, "quantity"),
					Unit:   strings.ToUpper(r.str(lo, p, "unit")),
				},
				POLine: r.code(lo, p, "po_line"),
				Lot:    r.str(lo, p, "lot"),
			})
		}
	}

	var ve *shipment.ValidationError
	if err := a.Validate(); errors.As(err, &ve) {
		for _, v := range ve.Violations {
			// A field already reported unreadable is not also reported missing or zero.
			if !r.has(v.Field) && !r.hasParent(v.Field) {
				r.add(v.Field, v.Reason)
			}
		}
	}
	return a, r.errs, nil
}

// messageIDOf returns the body's "message_id" if the body is a JSON object carrying one as a string.
func messageIDOf(body []byte) string {
	var m struct {
		MessageID any `json:"message_id"`
	}
	if json.Unmarshal(body, &m) != nil {
		return ""
	}
	s, _ := m.MessageID.(string)
	return s
}

// reader takes typed fields out of decoded JSON objects, noting each problem at its pointer.
type reader struct {
	errs []problem.FieldError
}

func (r *reader) add(pointer, detail string) {
	r.errs = append(r.errs, problem.FieldError{Pointer: pointer, Detail: detail})
}

func (r *reader) has(pointer string) bool {
	for _, e := range r.errs {
		if e.Pointer == pointer {
			return true
		}
	}
	return false
}

// hasParent reports whether a containing value was already reported (a line that is not an object).
func (r *reader) hasParent(pointer string) bool {
	for _, e := range r.errs {
		if e.Pointer != "" && strings.HasPrefix(pointer, e.Pointer+"/") {
			return true
		}
	}
	return false
}

// str reads an optional string; absent and null are "" (the domain decides what is required).
func (r *reader) str(obj map[string]any, parent, key string) string {
	v, ok := obj[key]
	if !ok || v == nil {
		return ""
	}
	s, ok := v.(string)
	if !ok {
		r.add(parent+"/"+key, "must be a string")
		return ""
	}
	return strings.TrimSpace(s)
}

// code reads an identifier partners send as a string or a number (a PO line "1" or 1).
func (r *reader) code(obj map[string]any, parent, key string) string {
	if n, ok := obj[key].(json.Number); ok {
		return n.String()
	}
	return r.str(obj, parent, key)
}

func (r *reader) integer(obj map[string]any, parent, key string) int {
	v, ok := obj[key]
	if !ok || v == nil {
		return 0
	}
	n, ok := v.(json.Number)
	if !ok {
		r.add(parent+"/"+key, "must be an integer")
		return 0
	}
	i, err := strconv.ParseInt(n.String(), 10, 32)
	if err != nil {
		r.add(parent+"/"+key, "must be an integer")
		return 0
	}
	return int(i)
}

// amount reads a decimal sent as a string ("12.5", the rule) or a JSON number (tolerated, read as text).
func (r *reader) amount(obj map[string]any, parent, key string) decimal.Decimal {
	v, ok := obj[key]
	if !ok || v == nil {
		return decimal.Decimal{}
	}
	var text string
	switch x := v.(type) {
	case string:
		text = x
	case json.Number:
		text = x.String()
	default:
		r.add(parent+"/"+key, "must be a decimal number as a string, e.g. \"12.5\"")
		return decimal.Decimal{}
	}
	d, err := domain.ParseAmount(text)
	if err != nil {
		r.add(parent+"/"+key, fmt.Sprintf("%q is not a decimal number", text))
		return decimal.Decimal{}
	}
	return d
}

// instant reads a date ("2026-03-02", taken as midnight UTC) or an RFC 3339 timestamp.
func (r *reader) instant(obj map[string]any, parent, key string) time.Time {
	s := r.str(obj, parent, key)
	if s == "" {
		return time.Time{}
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t.UTC()
	}
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return t
	}
	r.add(parent+"/"+key, fmt.Sprintf("%q is not a date (2026-03-02) or an RFC 3339 timestamp", s))
	return time.Time{}
}
