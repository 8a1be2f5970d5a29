package inbound

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"

	"github.com/crossdock-hub/crossdock/domain"
	"github.com/crossdock-hub/crossdock/domain/inventory"
	"github.com/crossdock-hub/crossdock/domain/invoice"
	"github.com/crossdock-hub/crossdock/domain/order"
	"github.com/crossdock-hub/crossdock/domain/receipt"
	"github.com/crossdock-hub/crossdock/domain/shipment"
)

// newDocument returns a pointer to an empty document of kind, for the canonical JSON API.
func newDocument(kind string) (domain.Document, bool) {
	switch kind {
	case domain.KindASN:
		return &shipment.ASN{}, true
	case domain.KindShipmentStatus:
		return &shipment.StatusReport{}, true
	case domain.KindReceipt:
		return &receipt.Receipt{}, true
	case domain.KindShipConfirmation:
		return &order.ShipConfirmation{}, true
	case domain.KindInventorySnapshot:
		return &inventory.Snapshot{}, true
	case domain.KindInventoryAdjustment:
		return &inventory.Adjustment{}, true
	case domain.KindInvoice:
		return &invoice.Invoice{}, true
	case domain.KindOrderAck:
		return &order.Acknowledgment{}, true
	}
	return nil, false
}

// decodeJSON reads Crossdock's canonical JSON: one document whose fields are the snake_case names
// `crossdock inspect` prints, with a "kind" member (or Options.Kind). Unknown members are refused, so a
// misspelt field is an error and not a silently missing value.
func decodeJSON(body []byte, opts Options) (*Decoded, error) {
	src := Source{Standard: FormatJSON}
	var head map[string]json.RawMessage
	if err := json.Unmarshal(body, &head); err != nil {
		return nil, Problem{Source: src, Reason: "not a JSON object: " + jsonReason(err)}
	}
	kind := opts.Kind
	if raw, ok := head["kind"]; ok {
		if err := json.Unmarshal(raw, &kind); err != nil {
			return nil, Problem{Source: src, Where: "/kind", Pointer: "/kind", Reason: "must be a string"}
		}
		delete(head, "kind")
		if opts.Kind != "" && kind != opts.Kind {
			return nil, Problem{Source: src, Where: "/kind", Pointer: "/kind",
				Reason: fmt.Sprintf("is %q, the request is for %q", kind, opts.Kind)}
		}
	}
	doc, ok := newDocument(kind)
	if !ok {
		return nil, Problem{Source: src, Where: "/kind", Pointer: "/kind",
			Reason: fmt.Sprintf("%q is not a document kind a partner sends (want one of %s)", kind, strings.Join(inboundKinds(), ", "))}
	}
	rest, err := json.Marshal(head)
	if err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(rest))
	dec.DisallowUnknownFields()
	dec.UseNumber()
	if err := dec.Decode(doc); err != nil {
		ptr := jsonPointer(err)
		if ptr == "" {
			ptr = locate(reflect.TypeOf(doc), rest, "")
		}
		return nil, Problem{Source: src, Where: ptr, Pointer: ptr, Reason: jsonReason(err)}
	}
	value := domain.DocumentValue(doc)
	return &Decoded{Format: FormatJSON, Documents: []Document{{Document: value, Source: src, Warnings: checks(value)}}}, nil
}

func inboundKinds() []string {
	var ks []string
	for _, k := range domain.Kinds {
		if _, ok := newDocument(k); ok {
			ks = append(ks, k)
		}
	}
	return ks
}

// jsonPointer turns the path encoding/json reports ("lines.0.quantity") into a JSON pointer.
func jsonPointer(err error) string {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) && te.Field != "" {
		return "/" + strings.ReplaceAll(te.Field, ".", "/")
	}
	msg := err.Error()
	if i := strings.Index(msg, "unknown field "); i >= 0 {
		return "/" + strings.Trim(msg[i+len("unknown field "):], `"`)
	}
	return ""
}

func jsonReason(err error) string {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return fmt.Sprintf("must be %s, not a JSON %s", te.Type, te.Value)
	}
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return fmt.Sprintf("%s (at byte %d)", se.Error(), se.Offset)
	}
	return strings.TrimPrefix(err.Error(), "json: ")
}
