package odoosim

import "fmt"

// saleModels declares sale.order and sale.order.line.
func saleModels(v int) []*model {
	states := []string{"draft", "Quotation", "sent", "Quotation Sent", "sale", "Sales Order"}
	if v < 19 {
		states = append(states, "done", "Locked")
	}
	states = append(states, "cancel", "Cancelled")
	so := newModel("sale.order", "Sales Order",
		charField("name", "Order Reference").req().withDefault("New"),
		m2oField("partner_id", "Customer", "res.partner").req().restrict(),
		charField("client_order_ref", "Customer Reference"),
		charField("origin", "Source Document"),
		datetimeField("date_order", "Order Date").req().defaultFunc(func(t *txn, _ map[string]any) any { return t.now }),
		datetimeField("commitment_date", "Delivery Date"),
		selField("state", "Status", states...).withDefault("draft"),
		o2mField("order_line", "Order Lines", "sale.order.line", "order_id"),
		m2oField("warehouse_id", "Warehouse", "stock.warehouse").withDefault(mainWarehouse),
		m2oField("company_id", "Company", "res.company").withDefault(int64(1)),
	)
	so.add(
		o2mField("picking_ids", "Transfers", "stock.picking", "sale_id").ro(),
		moneyField("amount_untaxed", "Untaxed Amount").computed(func(t *txn, id int64) any { return t.orderTotal("sale.order", id) }),
		moneyField("amount_total", "Total").computed(func(t *txn, id int64) any { return t.orderTotal("sale.order", id) }),
	)
	so.order = "date_order desc, id desc"
	so.prepare = func(t *txn, vals map[string]any) *Error {
		if name, _ := vals["name"].(string); name == "" || name == "New" {
			vals["name"] = fmt.Sprintf("S%05d", t.nextSeq("sale.order"))
		}
		return nil
	}
	so.beforeUnlink = func(t *txn, ids []int64) *Error {
		for _, id := range ids {
			if s := t.str("sale.order", id, "state"); s != "draft" && s != "sent" && s != "cancel" {
				return userError("You can not delete a sent quotation or a confirmed sales order. You must first cancel it.")
			}
		}
		return nil
	}
	so.methods = map[string]*method{
		"action_confirm": recordMethod(saleConfirm),
		"action_cancel":  recordMethod(saleCancel),
	}

	line := newModel("sale.order.line", "Sales Order Line",
		m2oField("order_id", "Order Reference", "sale.order").req().cascade(),
		m2oField("product_id", "Product", "product.product").req().restrict(),
		textField("name", "Description").req().defaultFunc(productDisplayName),
		floatField("product_uom_qty", "Quantity").withDefault(1.0),
		floatField("price_unit", "Unit Price").defaultFunc(func(t *txn, vals map[string]any) any {
			if p, ok := integer(vals["product_id"]); ok && t.exists("product.product", p) {
				return t.num("product.product", p, "list_price")
			}
			return 0.0
		}),
		m2oField(lineUoMFieldFor(v), "Unit of Measure", "uom.uom").defaultFunc(func(t *txn, vals map[string]any) any {
			if p, ok := integer(vals["product_id"]); ok && t.exists("product.product", p) {
				return t.ref("product.product", p, "uom_id")
			}
			return int64(0)
		}),
		o2mField("move_ids", "Stock Moves", "stock.move", "sale_line_id"),
	)
	line.add(
		floatField("qty_delivered", "Delivery Quantity").computed(func(t *txn, id int64) any { return t.lineDone("sale_line_id", id) }),
		moneyField("price_subtotal", "Subtotal").computed(func(t *txn, id int64) any {
			return round2(t.num("sale.order.line", id, "product_uom_qty") * t.num("sale.order.line", id, "price_unit"))
		}),
		selField("state", "Order Status", states...).computed(func(t *txn, id int64) any {
			return t.str("sale.order", t.ref("sale.order.line", id, "order_id"), "state")
		}),
	)
	line.order = "order_id, id"
	line.display = func(t *txn, id int64) string {
		return t.str("sale.order", t.ref("sale.order.line", id, "order_id"), "name") + " - " + t.str("sale.order.line", id, "name")
	}
	return []*model{so, line}
}

// saleConfirm is action_confirm: a quotation becomes a sales order and its goods a delivery, ready
// (assigned: the simulator does not check availability), one move per line.
func saleConfirm(c *call) (any, *Error) {
	t := c.t
	if err := t.missing(c.m, c.ids); err != nil {
		return nil, err
	}
	for _, id := range dedupe(c.ids) {
		if s := t.str("sale.order", id, "state"); s != "draft" && s != "sent" {
			return nil, userError("Some orders are not in a state requiring confirmation.")
		}
		if err := t.write(c.m, []int64{id}, map[string]any{"state": "sale"}); err != nil {
			return nil, err
		}
		if err := t.createDelivery(id); err != nil {
			return nil, err
		}
	}
	return true, nil
}

// createDelivery makes the outgoing picking of a confirmed sales order.
func (t *txn) createDelivery(order int64) *Error {
	var lines []int64
	for _, l := range t.refs("sale.order", order, "order_line") {
		if !t.isService(t.ref("sale.order.line", l, "product_id")) && t.num("sale.order.line", l, "product_uom_qty") > 0 {
			lines = append(lines, l)
		}
	}
	if len(lines) == 0 {
		return nil
	}
	scheduled := t.str("sale.order", order, "commitment_date")
	if scheduled == "" {
		scheduled = t.now
	}
	name := t.str("sale.order", order, "name")
	picking, err := t.create(t.model("stock.picking"), map[string]any{
		"picking_type_id": pickingTypeOut, "partner_id": t.ref("sale.order", order, "partner_id"), "origin": name,
		"scheduled_date": scheduled, "sale_id": order, "state": "assigned",
	}, nil)
	if err != nil {
		return err
	}
	for _, l := range lines {
		qty := t.num("sale.order.line", l, "product_uom_qty")
		vals := map[string]any{
			"picking_id": picking, "product_id": t.ref("sale.order.line", l, "product_id"),
			"name": t.str("sale.order.line", l, "name"), "product_uom_qty": qty, "origin": name,
			"sale_line_id": l, "state": "assigned",
		}
		if uom := t.ref("sale.order.line", l, t.s.lineUoMField()); uom != 0 {
			vals["product_uom"] = uom
		}
		if t.s.cfg.Version >= 17 {
			vals["quantity"], vals["picked"] = qty, false
		}
		if _, err := t.create(t.model("stock.move"), vals, nil); err != nil {
			return err
		}
		t.touch("sale.order.line", l)
	}
	return nil
}

// saleCancel is action_cancel: the order and its open deliveries are cancelled.
func saleCancel(c *call) (any, *Error) {
	t := c.t
	if err := t.missing(c.m, c.ids); err != nil {
		return nil, err
	}
	for _, id := range dedupe(c.ids) {
		for _, p := range t.refs("sale.order", id, "picking_ids") {
			if t.str("stock.picking", p, "state") != "done" {
				if err := t.cancelPicking(p); err != nil {
					return nil, err
				}
			}
		}
		if err := t.write(c.m, []int64{id}, map[string]any{"state": "cancel"}); err != nil {
			return nil, err
		}
	}
	return true, nil
}
