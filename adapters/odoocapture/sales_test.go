package odoocapture_test

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crossdock-hub/crossdock/adapters/archive"
	"github.com/crossdock-hub/crossdock/adapters/odoocapture"
	"github.com/crossdock-hub/crossdock/commands"
	"github.com/crossdock-hub/crossdock/domain/order"
	"github.com/crossdock-hub/crossdock/eventstore"
)

// A sales order is recorded once Odoo confirms it, as a warehouse order for the partner that ships from
// its warehouse, with the customer as ship-to; read again it records nothing; cancelled, the
// cancellation. One from a warehouse no partner ships from is parked with the reason.
func TestSalesCapture(t *testing.T) {
	for _, version := range []int{16, 17, 19} {
		t.Run(odoosimVersion(version), func(t *testing.T) {
			b := newBase(t, version)
			ctx := t.Context()
			placer, err := commands.NewPlaceOrderHandler(b.store, commands.PlaceOrderConfig{Logger: b.logger})
			require.NoError(t, err)
			c, err := odoocapture.NewSalesCapture(odoocapture.SalesConfig{Odoo: b.client, Archive: b.archive, Placer: placer,
				Warehouses: map[string]string{"WH": "northwind"}, Logger: b.logger})
			require.NoError(t, err)
			customer, err := b.sim.Create("res.partner", map[string]any{"name": "Bolt Retail", "ref": "BOLT"})
			require.NoError(t, err)
			blue, err := b.sim.Create("product.product", map[string]any{"name": "Blue widget", "default_code": "WIDGET-BLUE"})
			require.NoError(t, err)
			kind := "detailed_type"
			if version >= 19 {
				kind = "type"
			}
			freight, err := b.sim.Create("product.product", map[string]any{"name": "Freight", "default_code": "FREIGHT", kind: "service"})
			require.NoError(t, err)
			so, err := b.sim.Create("sale.order", map[string]any{"partner_id": customer, "client_order_ref": "BOLT-PO-9", "order_line": []any{
				[]any{0, 0, map[string]any{"product_id": blue, "product_uom_qty": 8, "price_unit": 9}},
				[]any{0, 0, map[string]any{"product_id": freight, "product_uom_qty": 1, "price_unit": 15}}}})
			require.NoError(t, err)
			events := func() []eventstore.Event {
				evs, err := b.store.ReadStream(ctx, order.WarehouseOrderStreamID("S00001"), 1, 100)
				if err != nil {
					return nil
				}
				return evs
			}

			out, err := c.Poll(ctx)
			require.NoError(t, err)
			assert.Equal(t, 0, out.Recorded, "a quotation is not an order")
			_, err = b.sim.Call("sale.order", "action_confirm", []any{[]any{so}}, nil)
			require.NoError(t, err)
			out, err = c.Poll(ctx)
			require.NoError(t, err)
			assert.Equal(t, 1, out.Recorded)
			evs := events()
			require.Len(t, evs, 1)
			assert.Equal(t, order.EventWarehouseOrderPlaced, evs[0].Type)
			var d order.WarehouseOrderData
			require.NoError(t, json.Unmarshal(evs[0].Data, &d))
			assert.Equal(t, "S00001", d.OrderNumber)
			assert.Equal(t, "northwind", d.Partner)
			assert.Equal(t, "WH", d.Warehouse)
			assert.Equal(t, "BOLT-PO-9", d.CustomerPO)
			assert.Equal(t, "Bolt Retail", d.ShipTo.Name)
			assert.Equal(t, "BOLT", d.ShipTo.ID)
			require.Len(t, d.Lines, 1, "the freight charge is a service: nothing to ship")
			assert.Equal(t, "WIDGET-BLUE", d.Lines[0].Product)
			assert.Equal(t, "8", d.Lines[0].Quantity.String())
			assert.Equal(t, "EA", d.Lines[0].Unit)

			out, err = c.Fetch(ctx, []int64{so})
			require.NoError(t, err)
			assert.Equal(t, 1, out.Unchanged)
			assert.Len(t, events(), 1)

			_, err = b.sim.Call("sale.order", "action_cancel", []any{[]any{so}}, nil)
			require.NoError(t, err)
			_, err = c.Poll(ctx)
			require.NoError(t, err)
			evs = events()
			require.Len(t, evs, 2)
			assert.Equal(t, order.EventWarehouseOrderChanged, evs[1].Type)
			require.NoError(t, json.Unmarshal(evs[1].Data, &d))
			assert.Equal(t, order.PurposeCancel, d.Purpose)

			// No partner ships from the warehouse: parked, nothing recorded.
			other, err := odoocapture.NewSalesCapture(odoocapture.SalesConfig{Odoo: b.client, Archive: b.archive, Placer: placer, Logger: b.logger})
			require.NoError(t, err)
			so2, err := b.sim.Create("sale.order", map[string]any{"partner_id": customer, "order_line": []any{
				[]any{0, 0, map[string]any{"product_id": blue, "product_uom_qty": 1}}}})
			require.NoError(t, err)
			_, err = b.sim.Call("sale.order", "action_confirm", []any{[]any{so2}}, nil)
			require.NoError(t, err)
			out, err = other.Fetch(ctx, []int64{so2})
			require.NoError(t, err)
			assert.Equal(t, 1, out.Parked)
			parked, err := b.archive.Quarantine(ctx, archive.QuarantineQuery{Status: archive.Parked})
			require.NoError(t, err)
			require.Len(t, parked, 1)
			assert.Equal(t, odoocapture.SaleChannel, parked[0].Channel)
			assert.Contains(t, parked[0].Reason, `it ships from Odoo warehouse "WH", which no warehouse partner ships from (--odoo-warehouse PARTNER=WH)`)
		})
	}
}
