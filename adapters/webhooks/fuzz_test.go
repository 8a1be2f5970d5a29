package webhooks

import (
	"errors"
	"strings"
	"testing"
)

// FuzzParse feeds bodies to every format: Parse must never panic, every error must be an *Error whose
// pointer is a JSON pointer, and every success must carry its document in both Document and Documents.
func FuzzParse(f *testing.F) {
	for _, name := range []string{
		"easypost_tracker.updated_event-body.json",
		"shippo_track_updated_docs-example.json",
		"aftership_tracking_update_docs-example-trimmed.json",
		"shipbob_order.shipment.tracking_received_docs-example.json",
		"shiphero_inventory-update_docs-example.json",
		"shiphero_inventory-change_docs-example.json",
	} {
		f.Add(fixture(f, name))
	}
	f.Add(sample(f, "shiphero_inventory-update_two-warehouses.json"))
	f.Add([]byte(`{"webhook_type":"Inventory Update","inventory":[7,{"sku":1}]}`))
	f.Add([]byte(`{"result":{"tracking_details":[{"datetime":5}]}}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		Detect(body)
		for _, format := range Formats {
			res, err := Parse(format, body)
			if err != nil {
				var e *Error
				if !errors.As(err, &e) {
					t.Fatalf("%s: error %v is not a *Error", format, err)
				}
				if e.Pointer != "" && !strings.HasPrefix(e.Pointer, "/") {
					t.Fatalf("%s: pointer %q is not a JSON pointer", format, e.Pointer)
				}
				continue
			}
			if res.Document == nil || len(res.Documents) == 0 {
				t.Fatalf("%s: success without a document", format)
			}
		}
	})
}
