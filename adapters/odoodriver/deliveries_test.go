package odoodriver_test

import (
	"fmt"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crossdock-hub/crossdock/adapters/odoodriver"
)

// salesOrder confirms sales order S00001 in e's Odoo: 8 WID-BLUE and 3 WID-RED, its delivery
// WH/OUT/00001 waiting.
func (e *env) salesOrder(t *testing.T) int64 {
	t.Helper()
	customer, err := e.sim.Create("res.partner", map[string]any{"name": "Bolt Retail"})
	require.NoError(t, err)
	blue := e.sim.Search("product.product", []any{[]any{"default_code", "=", "WID-BLUE"}})
	red := e.sim.Search("product.product", []any{[]any{"default_code", "=", "WID-RED"}})
	so, err := e.sim.Create("sale.order", map[string]any{"partner_id": customer, "order_line": []any{
		[]any{0, 0, map[string]any{"product_id": blue[0], "product_uom_qty": 8, "price_unit": 9}},
		[]any{0, 0, map[string]any{"product_id": red[0], "product_uom_qty": 3, "price_unit": 7}}}})
	require.NoError(t, err)
	_, err = e.sim.Call("sale.order", "action_confirm", []any{[]any{so}}, nil)
	require.NoError(t, err)
	return so
}

func (e *env) delivered(t *testing.T, so int64) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, id := range e.sim.Search("sale.order.line", []any{[]any{"order_id", "=", so}}) {
		line, ok := e.sim.Read("sale.order.line", id)
		require.True(t, ok)
		product, _ := e.sim.Read("product.product", int64(line["product_id"].([]any)[0].(float64)))
		out[product["default_code"].(string)] = fmt.Sprint(line["qty_delivered"])
	}
	return out
}

// A warehouse's shipment validates the sales order's delivery with the carrier's tracking number and a
// backorder for what was not shipped; the same shipment again writes nothing.
func TestValidateDelivery(t *testing.T) {
	for _, version := range []int{16, 17, 19} {
		t.Run(fmt.Sprint("odoo", version), func(t *testing.T) {
			e := newEnv(t, version)
			so := e.salesOrder(t)
			ship := odoodriver.Delivery{Partner: "acme3pl", Reference: "SHP-1", Order: "S00001", TrackingRef: "1Z999AA10123456784",
				Backorder: true, Lines: []odoodriver.Line{{Product: "WID-BLUE", Quantity: decimal.NewFromInt(8)},
					{Product: "WID-RED", Quantity: decimal.NewFromInt(2)}}}
			out, err := e.driver.ValidateDelivery(t.Context(), ship)
			require.NoError(t, err)
			assert.Equal(t, odoodriver.Validated, out.Status)
			assert.Equal(t, "WH/OUT/00001", out.Picking)
			assert.Equal(t, "WH/OUT/00002", out.Backorder)
			assert.Equal(t, map[string]string{"WID-BLUE": "8", "WID-RED": "2"}, e.delivered(t, so))
			picking, ok := e.sim.Read("stock.picking", out.PickingID)
			require.True(t, ok)
			assert.Equal(t, "1Z999AA10123456784", picking["carrier_tracking_ref"])
			assert.Equal(t, "done", picking["state"])

			again, err := e.driver.ValidateDelivery(t.Context(), ship)
			require.NoError(t, err)
			assert.Equal(t, odoodriver.AlreadyDone, again.Status)
			assert.Equal(t, 1, e.validations())
		})
	}
}
