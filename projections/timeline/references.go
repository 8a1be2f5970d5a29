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
		if s, ok := jsonString(raw); ok && strings.TrimSpace(s) != "" && len(s) <= MaxReferenceBytes && len(kind) <= maxKindBytes {
			refs = append(refs, Reference{Kind: kind, Value: s})
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
			var lines []map[string]json.RawMessage
			if json.Unmarshal(raw, &lines) == nil {
				for _, line := range lines {
					if po, ok := line["po_number"]; ok {
						add("po_number", po)
					}
				}
			}
		}
	}
	slices.SortFunc(refs, func(a, b Reference) int {
		return cmp.Or(cmp.Compare(a.Kind, b.Kind), cmp.Compare(a.Value, b.Value))
	})
	return slices.Compact(refs)
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
