package odoocapture_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crossdock-hub/crossdock/adapters/odoocapture"
	"github.com/crossdock-hub/crossdock/commands"
	"github.com/crossdock-hub/crossdock/domain/order"
	"github.com/crossdock-hub/crossdock/domain/product"
	"github.com/crossdock-hub/crossdock/eventstore"
)

// What Odoo does on its own side reaches the order's stream: a receipt validated there (by a person),
// the vendor bill posted; a product re-coded is recorded with what it was. Read again, nothing new.
func TestRecordsCapture(t *testing.T) {
	for _, version := range []int{16, 17, 19} {
		t.Run(odoosimVersion(version), func(t *testing.T) {
			b := newBase(t, version)
			ctx := t.Context()
			rec, err := commands.NewOdooRecordsHandler(b.store, b.logger)
			require.NoError(t, err)
			c, err := odoocapture.NewRecordsCapture(odoocapture.RecordsConfig{Odoo: b.client, Archive: b.archive, Recorder: rec, Logger: b.logger})
			require.NoError(t, err)
			call := func(model, method string, args ...any) any {
				t.Helper()
				v, err := b.sim.Call(model, method, args, nil)
				require.NoError(t, err, "%s.%s", model, method)
				return v
			}
			stream := func(id string) []eventstore.Event {
				evs, err := b.store.ReadStream(ctx, id, 1, 100)
				if err != nil {
					return nil
				}
				return evs
			}
			supplier, err := b.sim.Create("res.partner", map[string]any{"name": "Acme Supply", "ref": "acme"})
			require.NoError(t, err)
			blue, err := b.sim.Create("product.product", map[string]any{"name": "Blue widget", "default_code": "WID-BLUE"})
			require.NoError(t, err)
			po, err := b.sim.Create("purchase.order", map[string]any{"partner_id": supplier, "order_line": []any{
				[]any{0, 0, map[string]any{"product_id": blue, "product_qty": 10, "price_unit": 2.5}}}})
			require.NoError(t, err)
			call("purchase.order", "button_confirm", []any{po})

			// A person receives the whole order in Odoo.
			rpo, _ := b.sim.Read("purchase.order", po)
			picking := int64(rpo["picking_ids"].([]any)[0].(float64))
			rp, _ := b.sim.Read("stock.picking", picking)
			move := int64(rp["move_ids"].([]any)[0].(float64))
			vals := map[string]any{"quantity": 10, "picked": true}
			if version == 16 {
				vals = map[string]any{"quantity_done": 10}
			}
			call("stock.move", "write", []any{move}, vals)
			_, err = b.sim.Call("stock.picking", "button_validate", []any{[]any{picking}}, map[string]any{"context": map[string]any{"skip_backorder": true}})
			require.NoError(t, err)
			bill := call("purchase.order", "action_create_invoice", []any{po}).(map[string]any)["res_id"]
			call("account.move", "write", []any{bill}, map[string]any{"invoice_date": "2026-11-29", "ref": "INV-1"})
			call("account.move", "action_post", []any{bill})

			out, err := c.Poll(ctx)
			require.NoError(t, err)
			assert.Equal(t, 3, out.Recorded, "the picking, the bill, the product")
			evs := stream(order.POStreamID("P00001"))
			require.Len(t, evs, 2)
			types := []string{evs[0].Type, evs[1].Type}
			assert.ElementsMatch(t, []string{order.EventOdooPickingDone, order.EventOdooBillPosted}, types)
			for _, ev := range evs {
				switch ev.Type {
				case order.EventOdooPickingDone:
					var d order.OdooPickingData
					require.NoError(t, json.Unmarshal(ev.Data, &d))
					assert.Equal(t, "WH/IN/00001", d.Picking)
					assert.Equal(t, "receipt", d.Kind)
					assert.Equal(t, "P00001", d.OrderNumber)
					require.Len(t, d.Lines, 1)
					assert.Equal(t, "WID-BLUE", d.Lines[0].Product)
					assert.Equal(t, "10", d.Lines[0].Quantity.String())
					assert.False(t, d.DoneAt.IsZero())
				case order.EventOdooBillPosted:
					var d order.OdooBillData
					require.NoError(t, json.Unmarshal(ev.Data, &d))
					assert.Equal(t, "INV-1", d.Ref)
					assert.Equal(t, "25", d.Total.String())
					assert.Equal(t, time.Date(2026, 11, 29, 0, 0, 0, 0, time.UTC), d.Date)
					require.Len(t, d.Lines, 1)
					assert.Equal(t, "10", d.Lines[0].Quantity.String())
					assert.NotEmpty(t, d.Name)
				}
			}

			call("product.product", "write", []any{blue}, map[string]any{"default_code": "WIDGET-BLUE"})
			out, err = c.Poll(ctx)
			require.NoError(t, err)
			assert.Equal(t, 1, out.Recorded, "only the product changed")
			pevs := stream(product.StreamID("odoo", blue))
			require.Len(t, pevs, 2)
			var p product.Data
			require.NoError(t, json.Unmarshal(pevs[1].Data, &p))
			assert.Equal(t, "WIDGET-BLUE", p.DefaultCode)
			require.NotNil(t, p.Previous)
			assert.Equal(t, "WID-BLUE", p.Previous.DefaultCode)

			out, err = c.Poll(ctx)
			require.NoError(t, err)
			assert.Equal(t, 0, out.Recorded)
			assert.Len(t, stream(order.POStreamID("P00001")), 2)
		})
	}
}
