package odoosim

import (
	"fmt"
	"slices"
)

// lineUoMField is the unit of measure field of purchase and sale lines: product_uom up to 18,
// product_uom_id on 19.
func (s *Server) lineUoMField() string {
	return lineUoMFieldFor(s.cfg.Version)
}

func lineUoMFieldFor(v int) string {
	if v >= 19 {
		return "product_uom_id"
	}
	return "product_uom"
}

// purchaseModels declares purchase.order and purchase.order.line.
func purchaseModels(v int) []*model {
	states := []string{"draft", "RFQ", "sent", "RFQ Sent", "to approve", "To Approve", "purchase", "Purchase Order"}
	if v < 19 {
		states = append(states, "done", "Locked")
	}
	states = append(states, "cancel", "Cancelled")
	po := newModel("purchase.order", "Purchase Order",
		charField("name", "Order Reference").req().withDefault("New"),
		m2oField("partner_id", "Vendor", "res.partner").req().restrict(),
		charField("partner_ref", "Vendor Reference"),
		charField("origin", "Source Document"),
		datetimeField("date_order", "Order Deadline").req().defaultFunc(func(t *txn, _ map[string]any) any { return t.now }),
		datetimeField("date_planned", "Expected Arrival"),
		datetimeField("date_approve", "Confirmation Date").ro(),
		selField("state", "Status", states...).withDefault("draft"),
		when(v, []int{19}, boolField("locked", "Locked")),
		o2mField("order_line", "Order Lines", "purchase.order.line", "order_id"),
		m2oField("company_id", "Company", "res.company").withDefault(int64(1)),
		textField("notes", "Terms and Conditions"),
	)
	po.add(
		m2mField("picking_ids", "Receptions", "stock.picking").computed(func(t *txn, id int64) any {
			return t.where("stock.picking", "purchase_id", id)
		}),
		m2mField("invoice_ids", "Bills", "account.move").computed(func(t *txn, id int64) any { return t.orderBills(id) }),
		selField("receipt_status", "Receipt Status", "pending", "Not Received", "partial", "Partially Received", "full", "Fully Received").
			computed(func(t *txn, id int64) any { return t.receiptStatus(id) }),
		selField("invoice_status", "Billing Status", "no", "Nothing to Bill", "to invoice", "Waiting Bills", "invoiced", "Fully Billed").
			computed(func(t *txn, id int64) any { return t.purchaseInvoiceStatus(id) }),
		moneyField("amount_untaxed", "Untaxed Amount").computed(func(t *txn, id int64) any { return t.orderTotal("purchase.order", id) }),
		moneyField("amount_total", "Total").computed(func(t *txn, id int64) any { return t.orderTotal("purchase.order", id) }),
	)
	po.order = "id desc"
	po.prepare = func(t *txn, vals map[string]any) *Error {
		if name, _ := vals["name"].(string); name == "" || name == "New" {
			vals["name"] = fmt.Sprintf("P%05d", t.nextSeq("purchase.order"))
		}
		return nil
	}
	po.beforeUnlink = func(t *txn, ids []int64) *Error {
		for _, id := range ids {
			if s := t.str("purchase.order", id, "state"); s != "draft" && s != "cancel" {
				return userError("In order to delete a purchase order, you must cancel it first.")
			}
		}
		return nil
	}
	po.methods = map[string]*method{
		"button_confirm":        recordMethod(purchaseConfirm),
		"button_approve":        recordMethod(purchaseConfirm),
		"button_cancel":         recordMethod(purchaseCancel),
		"button_draft":          recordMethod(purchaseDraft),
		"action_create_invoice": recordMethod(purchaseCreateInvoice),
	}
	if v < 19 {
		po.methods["button_done"] = recordMethod(setPurchaseState("purchase", "done"))
		po.methods["button_unlock"] = recordMethod(setPurchaseState("done", "purchase"))
	} else {
		po.methods["button_lock"] = recordMethod(setPurchaseLocked(true))
		po.methods["button_unlock"] = recordMethod(setPurchaseLocked(false))
	}

	line := newModel("purchase.order.line", "Purchase Order Line",
		m2oField("order_id", "Order Reference", "purchase.order").req().cascade(),
		m2oField("product_id", "Product", "product.product").req().restrict(),
		textField("name", "Description").req().defaultFunc(productDisplayName),
		floatField("product_qty", "Quantity").withDefault(1.0),
		floatField("price_unit", "Unit Price").defaultFunc(func(t *txn, vals map[string]any) any {
			if p, ok := integer(vals["product_id"]); ok && t.exists("product.product", p) {
				return t.num("product.product", p, "standard_price")
			}
			return 0.0
		}),
		m2oField(lineUoMFieldFor(v), "Unit of Measure", "uom.uom").defaultFunc(func(t *txn, vals map[string]any) any {
			if p, ok := integer(vals["product_id"]); ok && t.exists("product.product", p) {
				return t.ref("product.product", p, "uom_po_id")
			}
			return int64(0)
		}),
		datetimeField("date_planned", "Expected Arrival").defaultFunc(func(t *txn, vals map[string]any) any {
			if o, ok := integer(vals["order_id"]); ok && t.exists("purchase.order", o) {
				if d := t.str("purchase.order", o, "date_planned"); d != "" {
					return d
				}
			}
			return t.now
		}),
		o2mField("move_ids", "Reservation", "stock.move", "purchase_line_id"),
	)
	line.add(
		floatField("qty_received", "Received Qty").computed(func(t *txn, id int64) any { return t.lineDone("purchase_line_id", id) }),
		floatField("qty_invoiced", "Billed Qty").computed(func(t *txn, id int64) any { return t.lineInvoiced(id) }),
		floatField("qty_to_invoice", "To Invoice Quantity").computed(func(t *txn, id int64) any { return t.lineToInvoice(id) }),
		moneyField("price_subtotal", "Subtotal").computed(func(t *txn, id int64) any {
			return round2(t.num("purchase.order.line", id, "product_qty") * t.num("purchase.order.line", id, "price_unit"))
		}),
		selField("state", "Status", states...).computed(func(t *txn, id int64) any {
			return t.str("purchase.order", t.ref("purchase.order.line", id, "order_id"), "state")
		}),
	)
	line.order = "order_id, id"
	line.display = func(t *txn, id int64) string {
		return t.str("purchase.order", t.ref("purchase.order.line", id, "order_id"), "name") + ": " + t.str("purchase.order.line", id, "name")
	}
	return []*model{po, line}
}

// productDisplayName defaults a line's description to its product's display name.
func productDisplayName(t *txn, vals map[string]any) any {
	if p, ok := integer(vals["product_id"]); ok && t.exists("product.product", p) {
		return t.displayName(t.model("product.product"), p)
	}
	return ""
}

// orderTotal sums the subtotals of an order's lines (no taxes are simulated).
func (t *txn) orderTotal(model string, id int64) any {
	total := 0.0
	for _, l := range t.refs(model, id, "order_line") {
		total += t.num(model+".line", l, "price_subtotal")
	}
	return round2(total)
}

// lineDone sums the done quantities of the done moves of a purchase or sale line.
func (t *txn) lineDone(lineField string, line int64) float64 {
	total := 0.0
	for _, mv := range t.where("stock.move", lineField, line) {
		if t.str("stock.move", mv, "state") == "done" {
			total += t.num("stock.move", mv, t.s.doneField())
		}
	}
	return roundQty(total)
}

// lineInvoiced sums the quantities of the bill lines of a purchase line, bills not cancelled.
func (t *txn) lineInvoiced(line int64) float64 {
	total := 0.0
	for _, aml := range t.where("account.move.line", "purchase_line_id", line) {
		move := t.ref("account.move.line", aml, "move_id")
		if t.str("account.move", move, "state") == "cancel" {
			continue
		}
		q := t.num("account.move.line", aml, "quantity")
		if t.str("account.move", move, "move_type") == "in_refund" {
			q = -q
		}
		total += q
	}
	return roundQty(total)
}

// lineToInvoice is what is left to bill: the received quantity (the ordered one for services) less
// what is billed, once the order is confirmed.
func (t *txn) lineToInvoice(line int64) float64 {
	order := t.ref("purchase.order.line", line, "order_id")
	if s := t.str("purchase.order", order, "state"); s != "purchase" && s != "done" {
		return 0
	}
	basis := t.num("purchase.order.line", line, "qty_received")
	if t.isService(t.ref("purchase.order.line", line, "product_id")) {
		basis = t.num("purchase.order.line", line, "product_qty")
	}
	return roundQty(basis - t.lineInvoiced(line))
}

// orderBills lists the bills with a line of the purchase order.
func (t *txn) orderBills(order int64) []int64 {
	var out []int64
	for _, l := range t.refs("purchase.order", order, "order_line") {
		for _, aml := range t.where("account.move.line", "purchase_line_id", l) {
			out = append(out, t.ref("account.move.line", aml, "move_id"))
		}
	}
	return uniqueSorted(out)
}

func (t *txn) receiptStatus(order int64) string {
	pickings := t.refs("purchase.order", order, "picking_ids")
	states := make([]string, len(pickings))
	for i, p := range pickings {
		states[i] = t.str("stock.picking", p, "state")
	}
	all := func(ok func(string) bool) bool {
		return !slices.ContainsFunc(states, func(s string) bool { return !ok(s) })
	}
	switch {
	case len(states) == 0 || all(func(s string) bool { return s == "cancel" }):
		return ""
	case all(func(s string) bool { return s == "done" || s == "cancel" }):
		return "full"
	case slices.Contains(states, "done"):
		return "partial"
	}
	return "pending"
}

func (t *txn) purchaseInvoiceStatus(order int64) string {
	if s := t.str("purchase.order", order, "state"); s != "purchase" && s != "done" {
		return "no"
	}
	lines := t.refs("purchase.order", order, "order_line")
	toInvoice, invoiced := false, len(lines) > 0
	for _, l := range lines {
		if t.num("purchase.order.line", l, "qty_to_invoice") != 0 {
			toInvoice = true
		}
		if t.lineInvoiced(l) < t.num("purchase.order.line", l, "product_qty") {
			invoiced = false
		}
	}
	switch {
	case toInvoice:
		return "to invoice"
	case invoiced:
		return "invoiced"
	}
	return "no"
}

// purchaseConfirm is button_confirm: an RFQ (draft or sent) becomes a purchase order and its goods a
// receipt, ready (assigned), one move per line. Orders in other states are left alone, as in Odoo.
func purchaseConfirm(c *call) (any, *Error) {
	t := c.t
	if err := t.missing(c.m, c.ids); err != nil {
		return nil, err
	}
	for _, id := range dedupe(c.ids) {
		if s := t.str("purchase.order", id, "state"); s != "draft" && s != "sent" && s != "to approve" {
			continue
		}
		if err := t.write(c.m, []int64{id}, map[string]any{"state": "purchase", "date_approve": t.now}); err != nil {
			return nil, err
		}
		if err := t.createReceipt(id); err != nil {
			return nil, err
		}
	}
	return true, nil
}

// createReceipt makes the incoming picking of a confirmed purchase order.
func (t *txn) createReceipt(order int64) *Error {
	var lines []int64
	for _, l := range t.refs("purchase.order", order, "order_line") {
		if !t.isService(t.ref("purchase.order.line", l, "product_id")) && t.num("purchase.order.line", l, "product_qty") > 0 {
			lines = append(lines, l)
		}
	}
	if len(lines) == 0 {
		return nil
	}
	scheduled := t.str("purchase.order", order, "date_planned")
	if scheduled == "" {
		scheduled = t.now
	}
	name := t.str("purchase.order", order, "name")
	picking, err := t.create(t.model("stock.picking"), map[string]any{
		"picking_type_id": pickingTypeIn, "partner_id": t.ref("purchase.order", order, "partner_id"), "origin": name,
		"scheduled_date": scheduled, "purchase_id": order, "state": "assigned",
	}, nil)
	if err != nil {
		return err
	}
	for _, l := range lines {
		qty := t.num("purchase.order.line", l, "product_qty")
		vals := map[string]any{
			"picking_id": picking, "product_id": t.ref("purchase.order.line", l, "product_id"),
			"name": t.str("purchase.order.line", l, "name"), "product_uom_qty": qty, "origin": name,
			"product_uom": t.ref("purchase.order.line", l, t.s.lineUoMField()), "purchase_line_id": l, "state": "assigned",
		}
		if vals["product_uom"] == int64(0) {
			delete(vals, "product_uom") // the move defaults to the product's unit
		}
		if t.s.cfg.Version >= 17 {
			vals["quantity"], vals["picked"] = qty, false
		}
		if _, err := t.create(t.model("stock.move"), vals, nil); err != nil {
			return err
		}
		t.touch("purchase.order.line", l)
	}
	return nil
}

// purchaseCancel is button_cancel: the order and its open receipts are cancelled; an order with a
// done receipt or a live bill cannot be.
func purchaseCancel(c *call) (any, *Error) {
	t := c.t
	if err := t.missing(c.m, c.ids); err != nil {
		return nil, err
	}
	for _, id := range dedupe(c.ids) {
		pickings := t.refs("purchase.order", id, "picking_ids")
		for _, p := range pickings {
			if t.str("stock.picking", p, "state") == "done" {
				return nil, userError("Unable to cancel purchase order %s as some receptions have already been done.", t.str("purchase.order", id, "name"))
			}
		}
		for _, bill := range t.orderBills(id) {
			if t.str("account.move", bill, "state") != "cancel" {
				return nil, userError("Unable to cancel this purchase order. You must first cancel the related vendor bills.")
			}
		}
		for _, p := range pickings {
			if err := t.cancelPicking(p); err != nil {
				return nil, err
			}
		}
		if err := t.write(c.m, []int64{id}, map[string]any{"state": "cancel"}); err != nil {
			return nil, err
		}
	}
	return true, nil
}

// purchaseDraft is button_draft: a cancelled order becomes an RFQ again.
func purchaseDraft(c *call) (any, *Error) {
	if err := c.t.missing(c.m, c.ids); err != nil {
		return nil, err
	}
	return true, c.t.write(c.m, c.ids, map[string]any{"state": "draft"})
}

// setPurchaseState moves orders in state from to state to (16/17 button_done and button_unlock).
func setPurchaseState(from, to string) func(c *call) (any, *Error) {
	return func(c *call) (any, *Error) {
		if err := c.t.missing(c.m, c.ids); err != nil {
			return nil, err
		}
		for _, id := range c.ids {
			if c.t.str("purchase.order", id, "state") == from {
				if err := c.t.write(c.m, []int64{id}, map[string]any{"state": to}); err != nil {
					return nil, err
				}
			}
		}
		return true, nil
	}
}

// setPurchaseLocked is 19's button_lock and button_unlock.
func setPurchaseLocked(locked bool) func(c *call) (any, *Error) {
	return func(c *call) (any, *Error) {
		if err := c.t.missing(c.m, c.ids); err != nil {
			return nil, err
		}
		return true, c.t.write(c.m, c.ids, map[string]any{"locked": locked})
	}
}

// purchaseCreateInvoice is action_create_invoice: a draft vendor bill per order for what was received
// and not yet billed, answered as the act_window opening it.
func purchaseCreateInvoice(c *call) (any, *Error) {
	t := c.t
	if err := t.missing(c.m, c.ids); err != nil {
		return nil, err
	}
	var bills []int64
	for _, id := range dedupe(c.ids) {
		var cmds []any
		name := t.str("purchase.order", id, "name")
		lines := t.refs("purchase.order", id, "order_line")
		for _, l := range lines {
			qty := t.num("purchase.order.line", l, "qty_to_invoice")
			if qty <= 0 {
				continue
			}
			cmds = append(cmds, []any{int64(0), int64(0), map[string]any{
				"product_id": t.ref("purchase.order.line", l, "product_id"),
				"name":       name + ": " + t.str("purchase.order.line", l, "name"),
				"quantity":   qty, "price_unit": t.num("purchase.order.line", l, "price_unit"),
				"purchase_line_id": l,
			}})
		}
		if len(cmds) == 0 {
			continue
		}
		bill, err := t.create(t.model("account.move"), map[string]any{
			"move_type": "in_invoice", "partner_id": t.ref("purchase.order", id, "partner_id"),
			"ref": t.str("purchase.order", id, "partner_ref"), "invoice_origin": name, "invoice_line_ids": cmds,
		}, nil)
		if err != nil {
			return nil, err
		}
		bills = append(bills, bill)
		for _, l := range lines {
			t.touch("purchase.order.line", l)
		}
		t.touch("purchase.order", id)
	}
	if len(bills) == 0 {
		return nil, userError("There is no invoiceable line. If a product has a control policy based on received quantity, please make sure that a quantity has been received.")
	}
	action := map[string]any{
		"name": "Bills", "type": "ir.actions.act_window", "res_model": "account.move", "target": "current",
		"context": map[string]any{"default_move_type": "in_invoice"},
	}
	if len(bills) == 1 {
		action["view_mode"] = "form"
		action["views"] = []any{[]any{false, "form"}}
		action["res_id"] = bills[0]
	} else {
		list := "tree"
		if t.s.cfg.Version >= 18 {
			list = "list"
		}
		action["view_mode"] = list + ",form"
		action["views"] = []any{[]any{false, list}, []any{false, "form"}}
		action["domain"] = []any{[]any{"id", "in", bills}}
	}
	return action, nil
}
