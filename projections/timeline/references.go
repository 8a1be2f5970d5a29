package timeline

import (
	"bytes"
	"cmp"
	"encoding/json"
	"slices"
	"strings"
)

// MaxReferenceBytes bounds a reference the timeline indexes. Commands refuse longer identifiers, but the
// projection must not depend on that: one stored event with a value too long for a B-tree key would
// otherwise fail every batch that holds it, and stop the timeline for everyone.
const MaxReferenceBytes = 512

// maxKindBytes bounds a reference's kind (a field name) for the same reason.
const maxKindBytes = 64

// ExtractReferences returns the business references an event's data carries, sorted by kind and value,
// each once. The convention, for every event type alike so that new event types are findable without
// code here:
//
//   - a top-level string field whose name ends in "_number" (po_number, asn_number, tracking_number,
//     invoice_number, receipt_number, order_number, shipment_number, ...), or is bill_of_lading: kind is
//     the field name;
//   - top-level arrays of strings tracking_numbers and po_numbers: kind tracking_number / po_number;
//   - po_number of each object in the top-level array lines: kind po_number.
//
// Empty strings, values longer than MaxReferenceBytes, other types and nested fields are ignored; data that
// is not a JSON object has none.
func ExtractReferences(data json.RawMessage) []Reference {
	var top map[string]json.RawMessage
	if err := json.Unmarshal(data, &top); err != nil {
		return nil
	}
	var refs []Reference
	add := func(kind string, raw json.RawMessage) {
		if r, ok := reference(kind, raw); ok {
			refs = append(refs, r)
		}
	}
	for field, raw := range top {
		switch {
		case strings.HasSuffix(field, "_number") || field == "bill_of_lading":
			add(field, raw)
		case field == "tracking_numbers" || field == "po_numbers":
			var items []json.RawMessage
			if json.Unmarshal(raw, &items) == nil {
				for _, item := range items {
					add(strings.TrimSuffix(field, "s"), item)
				}
			}
		case field == "lines":
			refs = append(refs, linePONumbers(raw)...)
		}
	}
	slices.SortFunc(refs, func(a, b Reference) int {
		return cmp.Or(cmp.Compare(a.Kind, b.Kind), cmp.Compare(a.Value, b.Value))
	})
	return slices.Compact(refs)
}

// reference is the reference of kind raw holds, if it is one.
func reference(kind string, raw json.RawMessage) (Reference, bool) {
	if s, ok := jsonString(raw); ok && strings.TrimSpace(s) != "" && len(s) <= MaxReferenceBytes && len(kind) <= maxKindBytes {
		return Reference{Kind: kind, Value: s}, true
	}
	return Reference{}, false
}

// linePONumbers returns the po_number references of the objects in the lines array raw: none when raw
// is not an array of objects (null elements aside).
func linePONumbers(raw json.RawMessage) []Reference {
	if !mayHoldPONumber(raw) {
		// No line names a PO (an ASN's do not): nothing to find, whatever the lines are.
		return nil
	}
	var lines []json.RawMessage
	if json.Unmarshal(raw, &lines) != nil {
		return nil
	}
	var refs []Reference
	for _, line := range lines {
		line = bytes.TrimSpace(line)
		switch {
		case bytes.Equal(line, []byte("null")):
			continue
		case len(line) == 0 || line[0] != '{':
			return nil
		case !mayHoldPONumber(line):
			continue
		}
		var fields map[string]json.RawMessage
		if json.Unmarshal(line, &fields) != nil {
			return nil
		}
		if r, ok := reference("po_number", fields["po_number"]); ok {
			refs = append(refs, r)
		}
	}
	return refs
}

var poNumberKey = []byte("po_number")

// mayHoldPONumber reports whether JSON text could hold the key po_number, written plainly or escaped:
// text that cannot is not decoded to look for it.
func mayHoldPONumber(text []byte) bool {
	return bytes.Contains(text, poNumberKey) || bytes.IndexByte(text, '\\') >= 0
}

// jsonString decodes raw if it is a JSON string.
func jsonString(raw json.RawMessage) (string, bool) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || raw[0] != '"' {
		return "", false
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return "", false
	}
	return s, true
}
