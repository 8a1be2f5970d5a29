package webhooks

import (
	"bytes"
	"errors"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestParseErrors(t *testing.T) {
	t.Parallel()
	easyPost := fixture(t, "easypost_tracker.updated_event-body.json")
	// The fourth tracking detail (index 3) loses its offset.
	badDatetime := bytes.Replace(easyPost, []byte(`"2024-08-01T14:42:13Z"`), []byte(`"2024-08-01 14:42:13"`), 1)
	require.NotEqual(t, easyPost, badDatetime)

	tests := []struct {
		name    string
		format  string
		body    []byte
		pointer string
		reason  string
		message string
	}{
		{name: "EasyPost detail without an RFC 3339 instant", format: FormatEasyPost, body: badDatetime,
			pointer: "/result/tracking_details/3/datetime", reason: "not an RFC 3339 instant",
			message: "/result/tracking_details/3/datetime: not an RFC 3339 instant"},
		{name: "EasyPost event that is not about a tracker", format: FormatEasyPost,
			body:    []byte(`{"description":"batch.created","id":"evt_1","result":{}}`),
			pointer: "/description", reason: `event "batch.created" is not a tracker event (tracker.created, tracker.updated)`},
		{name: "EasyPost tracker without tracking code", format: FormatEasyPost,
			body:    []byte(`{"description":"tracker.updated","id":"evt_1","result":{"object":"Tracker"}}`),
			pointer: "/result/tracking_code", reason: "required"},
		{name: "Shippo event that is not track_updated", format: FormatShippo,
			body: []byte(`{"event":"transaction_created","data":{}}`), pointer: "/event",
			reason: `event "transaction_created" is not track_updated`},
		{name: "Shippo history entry that is not an object", format: FormatShippo,
			body:    []byte(`{"event":"track_updated","data":{"tracking_number":"1","tracking_history":[{"status":"TRANSIT","status_date":"2024-01-01T00:00:00Z"},"x"]}}`),
			pointer: "/data/tracking_history/1", reason: "must be an object"},
		{name: "AfterShip checkpoint time that is no date", format: FormatAfterShip,
			body:    []byte(`{"event":"tracking_update","event_id":"e","msg":{"tracking_number":"1","checkpoints":[{"tag":"InTransit","checkpoint_time":"yesterday"}]}}`),
			pointer: "/msg/checkpoints/0/checkpoint_time", reason: "not an ISO 8601 date-time"},
		{name: "ShipBob without tracking", format: FormatShipBob,
			body: []byte(`{"event_time":"2025-01-01T00:00:00Z","status":"InTransit"}`), pointer: "/tracking", reason: "required"},
		{name: "ShipBob order id that is not an integer", format: FormatShipBob,
			body:    []byte(`{"event_time":"2025-01-01T00:00:00Z","order_id":1.5,"tracking":{"tracking_id":"1"}}`),
			pointer: "/order_id", reason: "1.5 is not an integer id"},
		{name: "ShipHero quantity that is no decimal", format: FormatShipHero,
			body:    []byte(`{"webhook_type":"Inventory Update","inventory":[{"sku":"A","updated_warehouse":{"warehouse_id":1,"on_hand":"12x"}}]}`),
			pointer: "/inventory/0/updated_warehouse/on_hand", reason: `"12x" is not a decimal number`},
		{name: "ShipHero quantity with an exponent", format: FormatShipHero,
			body:    []byte(`{"webhook_type":"Inventory Update","inventory":[{"sku":"A","updated_warehouse":{"warehouse_id":1,"on_hand":1e3}}]}`),
			pointer: "/inventory/0/updated_warehouse/on_hand", reason: `"1e3" is not a decimal number`},
		{name: "ShipHero quantity that is a boolean", format: FormatShipHero,
			body:    []byte(`{"webhook_type":"Inventory Change","warehouse_id":1,"sku":"A","quantity":true,"timestamp":"2025-01-01 00:00:00"}`),
			pointer: "/quantity", reason: "must be a number or a decimal string"},
		{name: "ShipHero change without quantity", format: FormatShipHero,
			body:    []byte(`{"webhook_type":"Inventory Change","warehouse_id":1,"sku":"A","timestamp":"2025-01-01 00:00:00"}`),
			pointer: "/quantity", reason: "required"},
		{name: "ShipHero SKU twice in one warehouse", format: FormatShipHero,
			body:    []byte(`{"webhook_type":"Inventory Update","inventory":[{"sku":"A","updated_warehouse":{"warehouse_id":1,"on_hand":1}},{"sku":"A","updated_warehouse":{"warehouse_id":1,"on_hand":2}}]}`),
			pointer: "/inventory/1/sku", reason: `SKU "A" in warehouse "1" is already at /inventory/0`},
		{name: "ShipHero position without figures", format: FormatShipHero,
			body:    []byte(`{"webhook_type":"Inventory Update","inventory":[{"sku":"A","updated_warehouse":{"warehouse_id":1}}]}`),
			pointer: "/inventory/0/updated_warehouse", reason: "neither on_hand nor inventory is given"},
		{name: "ShipHero webhook type not mapped", format: FormatShipHero,
			body: []byte(`{"webhook_type":"Shipment Update"}`), pointer: "/webhook_type",
			reason: `webhook type "Shipment Update" is not supported (Inventory Update, Inventory Change)`},
		{name: "webhook type that is not a string", format: FormatShipHero,
			body: []byte(`{"webhook_type":7}`), pointer: "/webhook_type", reason: "must be a string"},
		{name: "not JSON", format: FormatShippo, body: []byte(`{"event":`), pointer: "",
			reason: "body is not JSON: unexpected EOF", message: "body is not JSON: unexpected EOF"},
		{name: "two JSON values", format: FormatShippo, body: []byte(`{} {}`), reason: "body is not JSON: more than one value"},
		{name: "not an object", format: FormatShippo, body: []byte(`[1,2]`), reason: "body must be a JSON object"},
		{name: "unknown format", format: "fedex", body: []byte(`{}`), reason: `unknown webhook format "fedex"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := Parse(tt.format, tt.body)
			var e *Error
			require.True(t, errors.As(err, &e), "error %v is a *Error", err)
			require.Equal(t, tt.pointer, e.Pointer)
			require.Equal(t, tt.reason, e.Reason)
			if tt.message != "" {
				require.EqualError(t, err, tt.message)
			}
		})
	}
}

func TestPointerEscapes(t *testing.T) {
	t.Parallel()
	require.Equal(t, "/a~1b/m~0n", pointerTo(pointerTo("", "a/b"), "m~n"))
}

// A byte order mark before the JSON is not an error.
func TestParseSkipsBOM(t *testing.T) {
	t.Parallel()
	body := append([]byte("\xEF\xBB\xBF"), fixture(t, "shipbob_order.shipment.tracking_received_docs-example.json")...)
	_, err := Parse(FormatShipBob, body)
	require.NoError(t, err)
}
