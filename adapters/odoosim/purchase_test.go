package odoosim

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// newClient starts a simulator of the version and returns a client of the protocol.
func newClient(t *testing.T, version int, json2 bool) (*Server, client) {
	t.Helper()
	sim, url := start(t, Config{Version: version})
	if json2 {
		return sim, newJSON2(t, url)
	}
	return sim, newRPC(t, url)
}

// purchaseFixture is a vendor, a product and a confirmed-ready RFQ of 10 units at 2.5.
type purchaseFixture struct {
	vendor, product, order, line int64
}

func newPurchase(t *testing.T, c client) purchaseFixture {
	t.Helper()
	var f purchaseFixture
	f.vendor = create(t, c, "res.partner", map[string]any{"name": "Azure Interior", "is_company": true, "supplier_rank": 1})
	f.product = create(t, c, "product.product", map[string]any{"name": "Widget", "default_code": "W-1", "standard_price": 2.5})
	f.order = create(t, c, "purchase.order", map[string]any{
		"partner_id": f.vendor, "partner_ref": "VREF-7",
		"order_line": []any{[]any{0, 0, map[string]any{"product_id": f.product, "product_qty": 10, "price_unit": 2.5}}},
	})
	po := read(t, c, "purchase.order", f.order, "order_line")
	f.line = ids(t, po["order_line"])[0]
	return f
}

// setDone records a done quantity on a move the way the version does.
func setDone(t *testing.T, c client, version int, move int64, qty float64) {
	t.Helper()
	vals := map[string]any{"quantity": qty, "picked": true}
	if version == 16 {
		vals = map[string]any{"quantity_done": qty}
	}
	require.Equal(t, true, c.call("stock.move", "write", []int64{move}, map[string]any{"vals": vals}))
}

// The purchase-to-bill flow of ODOO.md: order, confirm, partial receipt with backorder, bill, post.
func TestPurchaseToBill(t *testing.T) {
	tests := []struct {
		name    string
		version int
		json2   bool
	}{
		{"17 over JSON-RPC", 17, false},
		{"19 over JSON-2", 19, true},
		{"19 over JSON-RPC", 19, false},
		{"16 over JSON-RPC", 16, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, c := newClient(t, tt.version, tt.json2)
			f := newPurchase(t, c)

			po := read(t, c, "purchase.order", f.order)
			assert.Equal(t, "P00001", po["name"])
			assert.Equal(t, "draft", po["state"])
			assert.Equal(t, m2o(f.vendor, "Azure Interior"), po["partner_id"])
			assert.Equal(t, 25.0, po["amount_total"])
			assert.Equal(t, false, po["receipt_status"])
			assert.Equal(t, "no", po["invoice_status"])
			assert.Equal(t, false, po["origin"], "empty char fields read false")
			assert.Equal(t, []any{}, po["picking_ids"])

			// 1. Confirm: a ready receipt with the ordered quantity.
			require.Equal(t, true, c.call("purchase.order", "button_confirm", []int64{f.order}, nil))
			po = read(t, c, "purchase.order", f.order, "state", "picking_ids", "receipt_status")
			assert.Equal(t, "purchase", po["state"])
			assert.Equal(t, "pending", po["receipt_status"])
			require.Equal(t, []int64{1}, ids(t, po["picking_ids"]))
			receipt := read(t, c, "stock.picking", 1)
			assert.Equal(t, "WH/IN/00001", receipt["name"])
			assert.Equal(t, "assigned", receipt["state"])
			assert.Equal(t, "P00001", receipt["origin"])
			assert.Equal(t, m2o(1, "WH: Receipts"), receipt["picking_type_id"])
			assert.Equal(t, m2o(2, "Partners/Vendors"), receipt["location_id"])
			assert.Equal(t, m2o(5, "WH/Stock"), receipt["location_dest_id"])
			assert.Equal(t, m2o(f.order, "P00001"), receipt["purchase_id"])
			assert.Equal(t, false, receipt["backorder_id"])
			assert.Equal(t, false, receipt["date_done"])
			moves := ids(t, receipt["move_ids"])
			require.Len(t, moves, 1)
			move := read(t, c, "stock.move", moves[0])
			assert.Equal(t, 10.0, move["product_uom_qty"])
			assert.Equal(t, "assigned", move["state"])
			assert.Equal(t, m2o(f.line, "P00001: [W-1] Widget"), move["purchase_line_id"])
			if tt.version == 16 {
				assert.Equal(t, 0.0, move["quantity_done"])
				assert.NotContains(t, move, "quantity")
			} else {
				assert.Equal(t, 10.0, move["quantity"], "the move is pre-filled with the ordered quantity")
				assert.Equal(t, false, move["picked"])
				assert.NotContains(t, move, "quantity_done")
			}

			// 2. Partial receipt: the backorder wizard, nothing validated.
			setDone(t, c, tt.version, moves[0], 6)
			if tt.version >= 17 {
				assert.Equal(t, "partially_available", read(t, c, "stock.move", moves[0], "state")["state"])
			}
			action := c.call("stock.picking", "button_validate", []int64{1}, nil).(map[string]any)
			assert.Equal(t, "ir.actions.act_window", action["type"])
			assert.Equal(t, "stock.backorder.confirmation", action["res_model"])
			assert.Equal(t, "new", action["target"])
			assert.Equal(t, "form", action["view_mode"])
			ctx := action["context"].(map[string]any)
			assert.Equal(t, []any{1.0}, ctx["button_validate_picking_ids"])
			assert.Equal(t, []any{[]any{4.0, 1.0}}, ctx["default_pick_ids"])
			assert.Equal(t, "assigned", read(t, c, "stock.picking", 1, "state")["state"])

			// 3. skip_backorder validates and still makes the backorder.
			res := c.call("stock.picking", "button_validate", []int64{1}, map[string]any{"context": map[string]any{"skip_backorder": true}})
			require.Equal(t, true, res)
			receipt = read(t, c, "stock.picking", 1, "state", "date_done")
			assert.Equal(t, "done", receipt["state"])
			assert.Regexp(t, `^2026-11-05 09:\d\d:\d\d$`, receipt["date_done"], "date_done from the clock")
			backorders := searchRead(t, c, "stock.picking", []any{[]any{"backorder_id", "=", 1}}, nil)
			require.Len(t, backorders, 1)
			bo := backorders[0]
			assert.Equal(t, "WH/IN/00002", bo["name"])
			assert.Equal(t, m2o(1, "WH/IN/00001"), bo["backorder_id"])
			assert.Equal(t, "assigned", bo["state"])
			assert.Equal(t, m2o(f.order, "P00001"), bo["purchase_id"])
			boMoves := ids(t, bo["move_ids"])
			require.Len(t, boMoves, 1)
			boMove := read(t, c, "stock.move", boMoves[0])
			assert.Equal(t, 4.0, boMove["product_uom_qty"])
			assert.Equal(t, m2o(f.line, "P00001: [W-1] Widget"), boMove["purchase_line_id"])
			if tt.version >= 17 {
				assert.Equal(t, 4.0, boMove["quantity"])
				assert.Equal(t, false, boMove["picked"])
			}
			move = read(t, c, "stock.move", moves[0])
			assert.Equal(t, "done", move["state"])
			assert.Equal(t, 6.0, move["product_uom_qty"])
			line := read(t, c, "purchase.order.line", f.line, "qty_received", "qty_invoiced", "qty_to_invoice")
			assert.Equal(t, 6.0, line["qty_received"])
			assert.Equal(t, 0.0, line["qty_invoiced"])
			assert.Equal(t, 6.0, line["qty_to_invoice"])
			po = read(t, c, "purchase.order", f.order, "receipt_status", "invoice_status", "picking_ids")
			assert.Equal(t, "partial", po["receipt_status"])
			assert.Equal(t, "to invoice", po["invoice_status"])
			assert.Equal(t, []int64{1, 2}, ids(t, po["picking_ids"]))
			quants := searchRead(t, c, "stock.quant", []any{[]any{"product_id", "=", f.product}, []any{"location_id.usage", "=", "internal"}}, nil)
			require.Len(t, quants, 1)
			assert.Equal(t, 6.0, quants[0]["quantity"])
			assert.Equal(t, m2o(5, "WH/Stock"), quants[0]["location_id"])
			assert.Equal(t, false, quants[0]["lot_id"])
			assert.Equal(t, 6.0, read(t, c, "product.product", f.product, "qty_available")["qty_available"])

			// 4. The vendor bill, for what was received.
			action = c.call("purchase.order", "action_create_invoice", []int64{f.order}, nil).(map[string]any)
			assert.Equal(t, "ir.actions.act_window", action["type"])
			assert.Equal(t, "account.move", action["res_model"])
			assert.Equal(t, "form", action["view_mode"])
			bill := int64(action["res_id"].(float64))
			move = read(t, c, "account.move", bill)
			assert.Equal(t, "draft", move["state"])
			assert.Equal(t, "in_invoice", move["move_type"])
			assert.Equal(t, "/", move["name"])
			assert.Equal(t, "Draft Bill (* 1)", move["display_name"])
			assert.Equal(t, "VREF-7", move["ref"])
			assert.Equal(t, "P00001", move["invoice_origin"])
			assert.Equal(t, m2o(f.vendor, "Azure Interior"), move["partner_id"])
			assert.Equal(t, false, move["invoice_date"])
			assert.Equal(t, 15.0, move["amount_total"])
			billLines := ids(t, move["invoice_line_ids"])
			require.Len(t, billLines, 1)
			bl := read(t, c, "account.move.line", billLines[0])
			assert.Equal(t, 6.0, bl["quantity"])
			assert.Equal(t, 2.5, bl["price_unit"])
			assert.Equal(t, m2o(f.line, "P00001: [W-1] Widget"), bl["purchase_line_id"])
			assert.Equal(t, m2o(f.product, "[W-1] Widget"), bl["product_id"])
			line = read(t, c, "purchase.order.line", f.line, "qty_invoiced", "qty_to_invoice")
			assert.Equal(t, 6.0, line["qty_invoiced"])
			assert.Equal(t, 0.0, line["qty_to_invoice"])
			assert.Equal(t, []int64{bill}, ids(t, read(t, c, "purchase.order", f.order, "invoice_ids")["invoice_ids"]))

			nothing := c.fail("purchase.order", "action_create_invoice", []int64{f.order}, nil)
			assert.Equal(t, nameUserError, nothing.Name)
			assert.Contains(t, nothing.Message, "There is no invoiceable line")

			// 5. Posting needs the bill date, then answers false.
			noDate := c.fail("account.move", "action_post", []int64{bill}, nil)
			assert.Equal(t, nameUserError, noDate.Name)
			assert.Equal(t, "The Bill/Refund date is required to validate this document.", noDate.Message)
			assert.Equal(t, "draft", read(t, c, "account.move", bill, "state")["state"])
			require.Equal(t, true, c.call("account.move", "write", []int64{bill}, map[string]any{"vals": map[string]any{"invoice_date": "2026-11-05"}}))
			require.Equal(t, false, c.call("account.move", "action_post", []int64{bill}, nil))
			move = read(t, c, "account.move", bill, "state", "name", "invoice_date")
			assert.Equal(t, "posted", move["state"])
			assert.Equal(t, "BILL/2026/11/0001", move["name"])
			assert.Equal(t, "2026-11-05", move["invoice_date"])
		})
	}
}
