package odoosim

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// confirmedPurchase is newPurchase, confirmed: receipt 1 with move 1 for 10 units.
func confirmedPurchase(t *testing.T, c client) purchaseFixture {
	t.Helper()
	f := newPurchase(t, c)
	require.Equal(t, true, c.call("purchase.order", "button_confirm", []int64{f.order}, nil))
	return f
}

// openWizard creates the wizard an action describes, with the action's context, as a client does.
func openWizard(t *testing.T, c client, action any) int64 {
	t.Helper()
	a := action.(map[string]any)
	res := c.call(a["res_model"].(string), "create", nil, map[string]any{"vals_list": map[string]any{}, "context": a["context"]})
	if list, ok := res.([]any); ok {
		return int64(list[0].(float64))
	}
	return int64(res.(float64))
}

// On 16 the done quantity is quantity_done; with nothing done, button_validate answers the Immediate
// Transfer wizard, whose process receives everything.
func TestImmediateTransfer16(t *testing.T) {
	t.Parallel()
	_, c := newClient(t, 16, false)
	f := confirmedPurchase(t, c)

	for _, e := range []apiError{
		c.fail("stock.move", "read", []int64{1}, map[string]any{"fields": []string{"quantity"}}),
		c.fail("stock.move", "read", []int64{1}, map[string]any{"fields": []string{"picked"}}),
		c.fail("stock.move", "write", []int64{1}, map[string]any{"vals": map[string]any{"quantity": 1}}),
		c.fail("stock.move", "search", nil, map[string]any{"domain": []any{[]any{"quantity", ">", 0}}}),
	} {
		assert.Equal(t, nameValueError, e.Name)
		assert.Regexp(t, `^Invalid field '(quantity|picked)' on model 'stock.move'$`, e.Message)
	}
	fields := c.call("stock.move", "fields_get", nil, map[string]any{"attributes": []string{"type"}}).(map[string]any)
	assert.Equal(t, map[string]any{"type": "float"}, fields["quantity_done"])
	assert.NotContains(t, fields, "quantity")
	assert.NotContains(t, fields, "picked")

	action := c.call("stock.picking", "button_validate", []int64{1}, nil).(map[string]any)
	assert.Equal(t, "ir.actions.act_window", action["type"])
	assert.Equal(t, "stock.immediate.transfer", action["res_model"])
	assert.Equal(t, "new", action["target"])
	ctx := action["context"].(map[string]any)
	assert.Equal(t, []any{1.0}, ctx["button_validate_picking_ids"])
	assert.Equal(t, []any{[]any{4.0, 1.0}}, ctx["default_pick_ids"])
	assert.Equal(t, "assigned", read(t, c, "stock.picking", 1, "state")["state"])

	wizard := openWizard(t, c, action)
	assert.Equal(t, []int64{1}, ids(t, read(t, c, "stock.immediate.transfer", wizard, "pick_ids")["pick_ids"]))
	require.Equal(t, true, c.call("stock.immediate.transfer", "process", []int64{wizard}, nil))
	assert.Equal(t, "done", read(t, c, "stock.picking", 1, "state")["state"])
	move := read(t, c, "stock.move", 1, "state", "quantity_done")
	assert.Equal(t, "done", move["state"])
	assert.Equal(t, 10.0, move["quantity_done"])
	assert.Empty(t, search(t, c, "stock.picking", []any{[]any{"backorder_id", "!=", false}}, nil))
	assert.Equal(t, 10.0, read(t, c, "purchase.order.line", f.line, "qty_received")["qty_received"])
	assert.Equal(t, "full", read(t, c, "purchase.order", f.order, "receipt_status")["receipt_status"])
}

// From 17 the move has quantity and picked; quantity_done does not exist, and validating nothing is a
// UserError rather than a wizard.
func TestDoneQuantity17(t *testing.T) {
	t.Parallel()
	for _, version := range []int{17, 19} {
		_, c := newClient(t, version, false)
		confirmedPurchase(t, c)
		e := c.fail("stock.move", "read", []int64{1}, map[string]any{"fields": []string{"quantity_done"}})
		assert.Equal(t, nameValueError, e.Name)
		assert.Equal(t, "Invalid field 'quantity_done' on model 'stock.move'", e.Message)

		require.Equal(t, true, c.call("stock.move", "write", []int64{1}, map[string]any{"vals": map[string]any{"quantity": 0}}))
		assert.Equal(t, "confirmed", read(t, c, "stock.move", 1, "state")["state"])
		e = c.fail("stock.picking", "button_validate", []int64{1}, nil)
		assert.Equal(t, nameUserError, e.Name)
		assert.Equal(t, msgNothingToValid, e.Message)
	}
}

// picking_ids_not_to_backorder closes the picking without a backorder; the short quantity is cancelled.
func TestNoBackorder19(t *testing.T) {
	t.Parallel()
	for _, ctx := range []map[string]any{
		{"skip_backorder": true, "picking_ids_not_to_backorder": []any{1}},
		{"picking_ids_not_to_backorder": []any{1}},
	} {
		_, c := newClient(t, 19, true)
		f := confirmedPurchase(t, c)
		setDone(t, c, 19, 1, 6)
		require.Equal(t, true, c.call("stock.picking", "button_validate", []int64{1}, map[string]any{"context": ctx}))
		picking := read(t, c, "stock.picking", 1, "state", "move_ids", "backorder_ids")
		assert.Equal(t, "done", picking["state"])
		assert.Equal(t, []any{}, picking["backorder_ids"])
		assert.Equal(t, []int64{1}, search(t, c, "stock.picking", []any{}, nil), "no backorder picking")
		moves := searchRead(t, c, "stock.move", []any{[]any{"picking_id", "=", 1}}, map[string]any{"fields": []string{"state", "product_uom_qty", "quantity"}, "order": "id"})
		require.Len(t, moves, 2)
		assert.Equal(t, []any{"done", 6.0}, []any{moves[0]["state"], moves[0]["product_uom_qty"]})
		assert.Equal(t, []any{"cancel", 4.0}, []any{moves[1]["state"], moves[1]["product_uom_qty"]})
		assert.Equal(t, 6.0, read(t, c, "purchase.order.line", f.line, "qty_received")["qty_received"])
		assert.Equal(t, "full", read(t, c, "purchase.order", f.order, "receipt_status")["receipt_status"])
	}
}

// The backorder wizard, created with the action's context: process makes the backorder,
// process_cancel_backorder does not.
func TestBackorderWizard(t *testing.T) {
	tests := []struct {
		version   int
		method    string
		backorder bool
	}{
		{16, "process", true},
		{16, "process_cancel_backorder", false},
		{17, "process", true},
		{17, "process_cancel_backorder", false},
		{19, "process", true},
		{19, "process_cancel_backorder", false},
	}
	for _, tt := range tests {
		t.Run(tt.method, func(t *testing.T) {
			t.Parallel()
			_, c := newClient(t, tt.version, tt.version == 19)
			f := confirmedPurchase(t, c)
			setDone(t, c, tt.version, 1, 6)
			action := c.call("stock.picking", "button_validate", []int64{1}, nil)
			wizard := openWizard(t, c, action)
			assert.Equal(t, []int64{1}, ids(t, read(t, c, "stock.backorder.confirmation", wizard, "pick_ids")["pick_ids"]))
			require.Equal(t, true, c.call("stock.backorder.confirmation", tt.method, []int64{wizard}, nil))
			assert.Equal(t, "done", read(t, c, "stock.picking", 1, "state")["state"])
			backorders := search(t, c, "stock.picking", []any{[]any{"backorder_id", "=", 1}}, nil)
			if tt.backorder {
				assert.Equal(t, []int64{2}, backorders)
			} else {
				assert.Empty(t, backorders)
			}
			assert.Equal(t, 6.0, read(t, c, "purchase.order.line", f.line, "qty_received")["qty_received"])
		})
	}
}

// On 17, when some moves are picked only those count: an unpicked move goes whole to the backorder.
func TestPickedMovesOnly(t *testing.T) {
	t.Parallel()
	_, c := newClient(t, 17, false)
	vendor := create(t, c, "res.partner", map[string]any{"name": "Vendor"})
	a := create(t, c, "product.product", map[string]any{"name": "A"})
	b := create(t, c, "product.product", map[string]any{"name": "B"})
	po := create(t, c, "purchase.order", map[string]any{"partner_id": vendor, "order_line": []any{
		[]any{0, 0, map[string]any{"product_id": a, "product_qty": 3}},
		[]any{0, 0, map[string]any{"product_id": b, "product_qty": 5}},
	}})
	require.Equal(t, true, c.call("purchase.order", "button_confirm", []int64{po}, nil))
	require.Equal(t, true, c.call("stock.move", "write", []int64{1}, map[string]any{"vals": map[string]any{"picked": true}}))
	action := c.call("stock.picking", "button_validate", []int64{1}, nil).(map[string]any)
	assert.Equal(t, "stock.backorder.confirmation", action["res_model"])
	require.Equal(t, true, c.call("stock.picking", "button_validate", []int64{1}, map[string]any{"context": map[string]any{"skip_backorder": true}}))
	assert.Equal(t, m2o(1, "WH/IN/00001"), read(t, c, "stock.move", 1, "picking_id")["picking_id"])
	assert.Equal(t, "done", read(t, c, "stock.move", 1, "state")["state"])
	moved := read(t, c, "stock.move", 2, "picking_id", "state", "quantity")
	assert.Equal(t, m2o(2, "WH/IN/00002"), moved["picking_id"])
	assert.Equal(t, "assigned", moved["state"])
	assert.Equal(t, 5.0, moved["quantity"])
}

// Validating twice, cancelling a received order: Odoo's refusals.
func TestStockRefusals(t *testing.T) {
	t.Parallel()
	_, c := newClient(t, 17, false)
	f := confirmedPurchase(t, c)
	require.Equal(t, true, c.call("stock.picking", "button_validate", []int64{1}, nil), "everything done: no wizard")
	e := c.fail("stock.picking", "button_validate", []int64{1}, nil)
	assert.Equal(t, nameUserError, e.Name)
	e = c.fail("purchase.order", "button_cancel", []int64{f.order}, nil)
	assert.Equal(t, nameUserError, e.Name)
	assert.Equal(t, "Unable to cancel purchase order P00001 as some receptions have already been done.", e.Message)
	e = c.fail("stock.picking", "unlink", []int64{1}, nil)
	assert.Equal(t, nameUserError, e.Name)

	// An order cancelled before its receipt takes the receipt with it.
	g := confirmedPurchase(t, c)
	require.Equal(t, true, c.call("purchase.order", "button_cancel", []int64{g.order}, nil))
	assert.Equal(t, "cancel", read(t, c, "purchase.order", g.order, "state")["state"])
	assert.Equal(t, "cancel", read(t, c, "stock.picking", 2, "state")["state"])
	assert.Equal(t, false, read(t, c, "purchase.order", g.order, "receipt_status")["receipt_status"])
}

// Sale order, delivery, validation: the delivered quantity and the quant follow.
func TestSaleDelivery(t *testing.T) {
	for _, tt := range []struct {
		version int
		json2   bool
	}{{16, false}, {17, false}, {19, true}} {
		t.Run(map[int]string{16: "16", 17: "17", 19: "19"}[tt.version], func(t *testing.T) {
			t.Parallel()
			sim, c := newClient(t, tt.version, tt.json2)
			customer := create(t, c, "res.partner", map[string]any{"name": "Deco Addict", "customer_rank": 1})
			product := create(t, c, "product.product", map[string]any{"name": "Chair", "list_price": 9.5})
			_, err := sim.Create("stock.quant", map[string]any{"product_id": product, "location_id": 5, "quantity": 10.0})
			require.NoError(t, err)
			order := create(t, c, "sale.order", map[string]any{"partner_id": customer, "client_order_ref": "CUST-1",
				"order_line": []any{[]any{0, 0, map[string]any{"product_id": product, "product_uom_qty": 4}}}})
			so := read(t, c, "sale.order", order)
			assert.Equal(t, "S00001", so["name"])
			assert.Equal(t, "draft", so["state"])
			assert.Equal(t, 38.0, so["amount_total"])
			line := ids(t, so["order_line"])[0]
			uomField := map[bool]string{true: "product_uom_id", false: "product_uom"}[tt.version == 19]
			assert.Equal(t, m2o(1, "Units"), read(t, c, "sale.order.line", line, uomField)[uomField])

			require.Equal(t, true, c.call("sale.order", "action_confirm", []int64{order}, nil))
			so = read(t, c, "sale.order", order, "state", "picking_ids")
			assert.Equal(t, "sale", so["state"])
			require.Equal(t, []int64{1}, ids(t, so["picking_ids"]))
			delivery := read(t, c, "stock.picking", 1)
			assert.Equal(t, "WH/OUT/00001", delivery["name"])
			assert.Equal(t, "assigned", delivery["state"])
			assert.Equal(t, m2o(5, "WH/Stock"), delivery["location_id"])
			assert.Equal(t, m2o(3, "Partners/Customers"), delivery["location_dest_id"])
			assert.Equal(t, m2o(order, "S00001"), delivery["sale_id"])
			assert.Equal(t, "outgoing", delivery["picking_type_code"])
			move := ids(t, delivery["move_ids"])[0]
			assert.Equal(t, m2o(line, "S00001 - Chair"), read(t, c, "stock.move", move, "sale_line_id")["sale_line_id"])

			setDone(t, c, tt.version, move, 4)
			require.Equal(t, true, c.call("stock.picking", "button_validate", []int64{1}, nil))
			assert.Equal(t, "done", read(t, c, "stock.picking", 1, "state")["state"])
			assert.Equal(t, 4.0, read(t, c, "sale.order.line", line, "qty_delivered")["qty_delivered"])
			quants := searchRead(t, c, "stock.quant", []any{[]any{"product_id", "=", product}, []any{"location_id", "=", 5}}, nil)
			require.Len(t, quants, 1)
			assert.Equal(t, 6.0, quants[0]["quantity"])
			assert.Equal(t, 6.0, read(t, c, "product.product", product, "qty_available")["qty_available"])
		})
	}
}
