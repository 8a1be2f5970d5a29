package webhooks

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestDetect(t *testing.T) {
	t.Parallel()
	tests := []struct {
		body   []byte
		name   string
		format string
		ok     bool
	}{
		{name: "easypost", body: fixture(t, "easypost_tracker.updated_event-body.json"), format: FormatEasyPost, ok: true},
		{name: "shippo", body: fixture(t, "shippo_track_updated_docs-example.json"), format: FormatShippo, ok: true},
		{name: "aftership", body: fixture(t, "aftership_tracking_update_docs-example-trimmed.json"), format: FormatAfterShip, ok: true},
		{name: "shipbob", body: fixture(t, "shipbob_order.shipment.tracking_received_docs-example.json"), format: FormatShipBob, ok: true},
		{name: "shiphero update", body: fixture(t, "shiphero_inventory-update_docs-example.json"), format: FormatShipHero, ok: true},
		{name: "shiphero change", body: fixture(t, "shiphero_inventory-change_docs-example.json"), format: FormatShipHero, ok: true},
		{name: "other JSON", body: []byte(`{"hello":"world"}`)},
		{name: "not JSON", body: []byte(`ISA*00*`)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f, ok := Detect(tt.body)
			require.Equal(t, tt.ok, ok)
			require.Equal(t, tt.format, f)
		})
	}
}
