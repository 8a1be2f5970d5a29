package odoosim

import (
	"fmt"
	"maps"
	"slices"
)

// Seeded stock records (see seed).
const (
	locPartners    int64 = 1
	locVendors     int64 = 2
	locCustomers   int64 = 3
	locWarehouse   int64 = 4
	locStock       int64 = 5
	pickingTypeIn  int64 = 1
	pickingTypeOut int64 = 2
	mainWarehouse  int64 = 1
)

// keyValidateOnWiz is where a wizard row keeps the button_validate_picking_ids of the context it was
// created with; it is not a field, so no API call sees it.
const keyValidateOnWiz = "__button_validate_picking_ids"

// msgNothingToValid is 17's UserError for validating a picking with nothing done.
const msgNothingToValid = "You cannot validate a transfer if no quantities are reserved nor done. " +
	"You can use the info button on the top right corner of your screen to see why."

var pickingStates = []string{"draft", "Draft", "waiting", "Waiting Another Operation", "confirmed", "Waiting",
	"assigned", "Ready", "done", "Done", "cancel", "Cancelled"}

// doneField is the stock.move field holding the done quantity: quantity_done on 16, quantity (with
// picked) from 17.
func (s *Server) doneField() string {
	if s.cfg.Version == 16 {
		return "quantity_done"
	}
	return "quantity"
}

// stockModels declares locations, warehouses, operation types, pickings, moves, quants, lots and the
// validation wizards.
func stockModels(v int) []*model {
	location := newModel("stock.location", "Inventory Locations",
		charField("name", "Location Name").req(),
		m2oField("location_id", "Parent Location", "stock.location").cascade(),
		selField("usage", "Location Type", "supplier", "Vendor Location", "view", "View", "internal", "Internal Location",
			"customer", "Customer Location", "inventory", "Inventory Loss", "production", "Production", "transit", "Transit Location").
			req().withDefault("internal"),
		boolField("active", "Active").withDefault(true),
	)
	location.add(charField("complete_name", "Full Location Name").computed(func(t *txn, id int64) any {
		name := t.str("stock.location", id, "name")
		for parent := t.ref("stock.location", id, "location_id"); parent != 0; parent = t.ref("stock.location", parent, "location_id") {
			name = t.str("stock.location", parent, "name") + "/" + name
		}
		return name
	}))
	location.order = "complete_name, id"
	location.display = func(t *txn, id int64) string { return t.str("stock.location", id, "complete_name") }

	warehouse := newModel("stock.warehouse", "Warehouse",
		charField("name", "Warehouse").req(),
		charField("code", "Short Name").req(),
		m2oField("lot_stock_id", "Location Stock", "stock.location").req().restrict(),
		m2oField("view_location_id", "View Location", "stock.location").restrict(),
		m2oField("company_id", "Company", "res.company").withDefault(int64(1)),
	)

	pickingType := newModel("stock.picking.type", "Picking Type",
		charField("name", "Operation Type").req(),
		selField("code", "Type of Operation", "incoming", "Receipt", "outgoing", "Delivery", "internal", "Internal Transfer").req(),
		charField("sequence_code", "Sequence Prefix").req(),
		m2oField("warehouse_id", "Warehouse", "stock.warehouse"),
		m2oField("default_location_src_id", "Default Source Location", "stock.location"),
		m2oField("default_location_dest_id", "Default Destination Location", "stock.location"),
		boolField("active", "Active").withDefault(true),
	)
	pickingType.display = func(t *txn, id int64) string {
		name := t.str("stock.picking.type", id, "name")
		if wh := t.ref("stock.picking.type", id, "warehouse_id"); wh != 0 {
			return t.str("stock.warehouse", wh, "name") + ": " + name
		}
		return name
	}

	models := []*model{location, warehouse, pickingType, pickingModel(), moveModel(v), quantModel(),
		newModel("stock.lot", "Lot/Serial",
			charField("name", "Lot/Serial Number").req(),
			m2oField("product_id", "Product", "product.product").req().restrict()),
		wizardModel("stock.backorder.confirmation", "Backorder Confirmation", map[string]*method{
			"process":                  recordMethod(backorderProcess(false)),
			"process_cancel_backorder": recordMethod(backorderProcess(true)),
		}),
	}
	if v == 16 {
		models = append(models, stockWizards16())
	}
	return models
}

// stockWizards16 adds the Immediate Transfer wizard of 16, removed in 17.
func stockWizards16() *model {
	return wizardModel("stock.immediate.transfer", "Immediate Transfer", map[string]*method{
		"process": recordMethod(immediateProcess),
	})
}

// wizardModel declares a validation wizard: the pickings it is about, and the pickings to validate kept
// from the context it was created with.
func wizardModel(name, description string, methods map[string]*method) *model {
	m := newModel(name, description,
		m2mField("pick_ids", "Transfers", "stock.picking"),
		boolField("show_transfers", "Show Transfers"),
	)
	m.methods = methods
	m.afterWrite = func(t *txn, id int64, _ []string) *Error {
		if r, _ := t.row(name, id); r[keyValidateOnWiz] == nil {
			ids, _ := idList(t.ctx["button_validate_picking_ids"])
			t.set(name, id, keyValidateOnWiz, ids)
		}
		return nil
	}
	return m
}

func pickingModel() *model {
	p := newModel("stock.picking", "Transfer",
		charField("name", "Reference").withDefault("/"),
		m2oField("picking_type_id", "Operation Type", "stock.picking.type").req().restrict(),
		m2oField("partner_id", "Contact", "res.partner"),
		charField("origin", "Source Document"),
		selField("state", "Status", pickingStates...).withDefault("draft"),
		datetimeField("scheduled_date", "Scheduled Date").defaultFunc(func(t *txn, _ map[string]any) any { return t.now }),
		datetimeField("date_done", "Date of Transfer").ro(),
		m2oField("backorder_id", "Back Order of", "stock.picking"),
		charField("carrier_tracking_ref", "Tracking Reference"),
		m2oField("location_id", "Source Location", "stock.location").req().restrict(),
		m2oField("location_dest_id", "Destination Location", "stock.location").req().restrict(),
		o2mField("move_ids", "Stock Moves", "stock.move", "picking_id"),
		o2mField("backorder_ids", "Back Orders", "stock.picking", "backorder_id"),
		m2oField("purchase_id", "Purchase Orders", "purchase.order"),
		m2oField("sale_id", "Sales Order", "sale.order"),
		m2oField("company_id", "Company", "res.company").withDefault(int64(1)),
	)
	p.add(selField("picking_type_code", "Type of Operation", "incoming", "Receipt", "outgoing", "Delivery", "internal", "Internal Transfer").
		computed(func(t *txn, id int64) any {
			return t.str("stock.picking.type", t.ref("stock.picking", id, "picking_type_id"), "code")
		}))
	p.order = "scheduled_date, id desc"
	p.prepare = func(t *txn, vals map[string]any) *Error {
		typ, ok := integer(vals["picking_type_id"])
		if !ok || !t.exists("stock.picking.type", typ) {
			return nil // the required or foreign key check fails later, as in Odoo
		}
		for key, def := range map[string]string{"location_id": "default_location_src_id", "location_dest_id": "default_location_dest_id"} {
			if _, given := vals[key]; !given {
				if loc := t.ref("stock.picking.type", typ, def); loc != 0 {
					vals[key] = loc
				}
			}
		}
		if name, _ := vals["name"].(string); name == "" || name == "/" {
			vals["name"] = t.pickingName(typ)
		}
		return nil
	}
	p.methods = map[string]*method{
		"button_validate": recordMethod(pickingButtonValidate),
		"action_confirm":  recordMethod(pickingAssign),
		"action_assign":   recordMethod(pickingAssign),
		"action_cancel":   recordMethod(pickingCancel),
	}
	p.beforeUnlink = func(t *txn, ids []int64) *Error {
		for _, id := range ids {
			if t.str("stock.picking", id, "state") == "done" {
				return userError("You can not delete product moves if the picking is done. You can only correct the done quantities.")
			}
		}
		return nil
	}
	return p
}

// pickingName draws the next name of an operation type's sequence: WH/IN/00001.
func (t *txn) pickingName(typ int64) string {
	prefix := t.str("stock.picking.type", typ, "sequence_code") + "/"
	if wh := t.ref("stock.picking.type", typ, "warehouse_id"); wh != 0 {
		prefix = t.str("stock.warehouse", wh, "code") + "/" + prefix
	}
	return fmt.Sprintf("%s%05d", prefix, t.nextSeq("stock.picking/"+prefix))
}

func moveModel(v int) *model {
	legacy, modern := []int{16}, []int{17, 19}
	m := newModel("stock.move", "Stock Move",
		charField("name", "Description").defaultFunc(func(t *txn, vals map[string]any) any {
			if p, ok := integer(vals["product_id"]); ok && t.exists("product.product", p) {
				return t.displayName(t.model("product.product"), p)
			}
			return ""
		}),
		m2oField("picking_id", "Transfer", "stock.picking").cascade(),
		m2oField("product_id", "Product", "product.product").req().restrict(),
		floatField("product_uom_qty", "Demand"),
		m2oField("product_uom", "UoM", "uom.uom").req().defaultFunc(func(t *txn, vals map[string]any) any {
			if p, ok := integer(vals["product_id"]); ok && t.exists("product.product", p) {
				return t.ref("product.product", p, "uom_id")
			}
			return int64(1)
		}),
		selField("state", "Status", "draft", "New", "waiting", "Waiting Another Move", "confirmed", "Waiting Availability",
			"partially_available", "Partially Available", "assigned", "Available", "done", "Done", "cancel", "Cancelled").
			withDefault("draft"),
		m2oField("purchase_line_id", "Purchase Order Line", "purchase.order.line"),
		m2oField("sale_line_id", "Sale Line", "sale.order.line"),
		m2oField("location_id", "Source Location", "stock.location").req().defaultFunc(fromPicking("location_id")),
		m2oField("location_dest_id", "Destination Location", "stock.location").req().defaultFunc(fromPicking("location_dest_id")),
		charField("origin", "Source Document"),
		when(v, legacy, floatField("quantity_done", "Quantity Done")),
		when(v, modern, floatField("quantity", "Quantity")),
		when(v, modern, boolField("picked", "Picked")),
	)
	m.add(charField("reference", "Reference").computed(func(t *txn, id int64) any {
		if p := t.ref("stock.move", id, "picking_id"); p != 0 {
			return t.str("stock.picking", p, "name")
		}
		return t.str("stock.move", id, "name")
	}))
	m.order = "id"
	if v >= 17 {
		// Setting the quantity of a reserved move moves it between partially_available and assigned, as
		// seen live on 19 after writing quantity 6 of 10.
		m.afterWrite = func(t *txn, id int64, written []string) *Error {
			if !slices.Contains(written, "quantity") {
				return nil
			}
			state := t.str("stock.move", id, "state")
			if state != "confirmed" && state != "partially_available" && state != "assigned" {
				return nil
			}
			qty, demand := t.num("stock.move", id, "quantity"), t.num("stock.move", id, "product_uom_qty")
			next := "confirmed"
			switch {
			case qty >= demand:
				next = "assigned"
			case qty > 0:
				next = "partially_available"
			}
			if next != state {
				t.set("stock.move", id, "state", next)
			}
			return nil
		}
	}
	m.beforeUnlink = func(t *txn, ids []int64) *Error {
		for _, id := range ids {
			if t.str("stock.move", id, "state") == "done" {
				return userError("You can not delete product moves if the picking is done. You can only correct the done quantities.")
			}
		}
		return nil
	}
	return m
}

// fromPicking defaults a move's field to its picking's.
func fromPicking(name string) func(t *txn, vals map[string]any) any {
	return func(t *txn, vals map[string]any) any {
		if p, ok := integer(vals["picking_id"]); ok && t.exists("stock.picking", p) {
			return t.ref("stock.picking", p, name)
		}
		return int64(0)
	}
}

func quantModel() *model {
	q := newModel("stock.quant", "Quants",
		m2oField("product_id", "Product", "product.product").req().restrict(),
		m2oField("location_id", "Location", "stock.location").req().restrict(),
		floatField("quantity", "Quantity"),
		floatField("reserved_quantity", "Reserved Quantity"),
		m2oField("lot_id", "Lot/Serial Number", "stock.lot").restrict(),
	)
	q.add(floatField("available_quantity", "Available Quantity").computed(func(t *txn, id int64) any {
		return roundQty(t.num("stock.quant", id, "quantity") - t.num("stock.quant", id, "reserved_quantity"))
	}))
	q.display = func(t *txn, id int64) string {
		return t.displayName(t.model("stock.location"), t.ref("stock.quant", id, "location_id")) + " - " +
			t.displayName(t.model("product.product"), t.ref("stock.quant", id, "product_id"))
	}
	return q
}

// activeMoves lists a picking's moves that are neither done nor cancelled.
func (t *txn) activeMoves(picking int64) []int64 {
	return slices.DeleteFunc(t.refs("stock.picking", picking, "move_ids"), func(mv int64) bool {
		s := t.str("stock.move", mv, "state")
		return s == "done" || s == "cancel"
	})
}

// doneQuantities is what validating the picking would do per move: quantity_done on 16; on 17 and 19
// the quantity of the picked moves, or of every move when none is picked.
func (t *txn) doneQuantities(moves []int64) map[int64]float64 {
	out := make(map[int64]float64, len(moves))
	if t.s.cfg.Version == 16 {
		for _, mv := range moves {
			out[mv] = t.num("stock.move", mv, "quantity_done")
		}
		return out
	}
	anyPicked := slices.ContainsFunc(moves, func(mv int64) bool { return t.flag("stock.move", mv, "picked") })
	for _, mv := range moves {
		if !anyPicked || t.flag("stock.move", mv, "picked") {
			out[mv] = t.num("stock.move", mv, "quantity")
		}
	}
	return out
}

// pickingButtonValidate is stock.picking.button_validate. It answers true once the pickings are done,
// or, changing nothing, the "Immediate Transfer?" wizard (16, nothing done) or the "Create
// Backorder?" wizard (something short) as an ir.actions.act_window dict. Context keys:
// skip_backorder (no wizard, backorders still made), picking_ids_not_to_backorder (no wizard and no
// backorder for those pickings), skip_immediate (16).
func pickingButtonValidate(c *call) (any, *Error) {
	t := c.t
	ids := dedupe(c.ids)
	if err := t.missing(t.model("stock.picking"), ids); err != nil {
		return nil, err
	}
	noBackorder := c.ctxIDs("picking_ids_not_to_backorder")
	done := map[int64]map[int64]float64{}
	var immediate, short []int64
	for _, id := range ids {
		switch t.str("stock.picking", id, "state") {
		case "done":
			return nil, userError("The transfer %s is already done.", t.str("stock.picking", id, "name"))
		case "cancel":
			return nil, userError("You cannot validate a cancelled transfer (%s).", t.str("stock.picking", id, "name"))
		case "draft":
			if err := t.assignPicking(id); err != nil {
				return nil, err
			}
		}
		moves := t.activeMoves(id)
		if len(moves) == 0 {
			return nil, userError("Please add some items to move.")
		}
		done[id] = t.doneQuantities(moves)
		total := 0.0
		for _, q := range done[id] {
			total += q
		}
		if total <= 0 {
			if t.s.cfg.Version == 16 && !truthy(c.ctx["skip_immediate"]) {
				immediate = append(immediate, id)
				continue
			}
			return nil, userError(msgNothingToValid)
		}
		if slices.Contains(noBackorder, id) {
			continue
		}
		for _, mv := range moves {
			if done[id][mv] < t.num("stock.move", mv, "product_uom_qty") {
				short = append(short, id)
				break
			}
		}
	}
	if len(immediate) > 0 {
		return wizardAction("Immediate Transfer?", "stock.immediate.transfer", ids, immediate), nil
	}
	if len(short) > 0 && !truthy(c.ctx["skip_backorder"]) {
		return wizardAction("Create Backorder?", "stock.backorder.confirmation", ids, short), nil
	}
	for _, id := range ids {
		if err := t.validatePicking(id, done[id], !slices.Contains(noBackorder, id)); err != nil {
			return nil, err
		}
	}
	return true, nil
}

// wizardAction is the ir.actions.act_window button_validate answers to open a wizard.
func wizardAction(name, model string, validate, pick []int64) map[string]any {
	links := make([]any, len(pick))
	for i, id := range pick {
		links[i] = []any{int64(4), id}
	}
	return map[string]any{
		"name":      name,
		"type":      "ir.actions.act_window",
		"view_mode": "form",
		"res_model": model,
		"views":     []any{[]any{false, "form"}},
		"view_id":   false,
		"target":    "new",
		"context": map[string]any{
			"button_validate_picking_ids": validate,
			"default_show_transfers":      len(pick) > 1,
			"default_pick_ids":            links,
		},
	}
}

// validatePicking marks a picking done with the given done quantities. A short move keeps its done
// quantity; the remainder goes to a backorder (the next name of the operation type, backorder_id set)
// or, without backorder, is cancelled. Quants and the purchase and sale lines follow.
func (t *txn) validatePicking(id int64, done map[int64]float64, backorder bool) *Error {
	pm, mm := t.model("stock.picking"), t.model("stock.move")
	type remainder struct {
		move int64
		qty  float64
	}
	var whole []int64
	var rest []remainder
	for _, mv := range t.activeMoves(id) {
		d, demand := roundQty(done[mv]), t.num("stock.move", mv, "product_uom_qty")
		if d <= 0 {
			if backorder {
				whole = append(whole, mv)
			} else if err := t.write(mm, []int64{mv}, map[string]any{"state": "cancel"}); err != nil {
				return err
			}
			continue
		}
		vals := map[string]any{"state": "done"}
		if d < demand {
			rest = append(rest, remainder{mv, roundQty(demand - d)})
			vals["product_uom_qty"] = d
		}
		if t.s.cfg.Version == 16 {
			vals["quantity_done"] = d
		} else {
			vals["quantity"], vals["picked"] = d, true
		}
		if err := t.write(mm, []int64{mv}, vals); err != nil {
			return err
		}
		if err := t.moveStock(mv, d); err != nil {
			return err
		}
	}
	target := id
	if backorder && (len(whole) > 0 || len(rest) > 0) {
		vals := map[string]any{"backorder_id": id, "state": "assigned"}
		for _, k := range []string{"picking_type_id", "partner_id", "location_id", "location_dest_id", "purchase_id", "sale_id", "company_id"} {
			vals[k] = t.ref("stock.picking", id, k)
		}
		for _, k := range []string{"origin", "scheduled_date"} {
			vals[k] = t.str("stock.picking", id, k)
		}
		bo, err := t.create(pm, vals, nil)
		if err != nil {
			return err
		}
		target = bo
		for _, mv := range whole {
			if err := t.write(mm, []int64{mv}, map[string]any{"picking_id": bo}); err != nil {
				return err
			}
		}
	}
	for _, r := range rest {
		vals := map[string]any{"picking_id": target, "product_uom_qty": r.qty, "state": "assigned"}
		for _, k := range []string{"product_id", "product_uom", "purchase_line_id", "sale_line_id", "location_id", "location_dest_id"} {
			vals[k] = t.ref("stock.move", r.move, k)
		}
		for _, k := range []string{"name", "origin"} {
			vals[k] = t.str("stock.move", r.move, k)
		}
		if target == id {
			vals["state"] = "cancel"
		} else if t.s.cfg.Version >= 17 {
			vals["quantity"], vals["picked"] = r.qty, false
		}
		if _, err := t.create(mm, vals, nil); err != nil {
			return err
		}
	}
	return t.write(pm, []int64{id}, map[string]any{"state": "done", "date_done": t.now})
}

// moveStock applies a done move: the quants of its internal locations, and the write_date of the
// purchase or sale line and order whose received or delivered quantity it changes.
func (t *txn) moveStock(mv int64, qty float64) *Error {
	product := t.ref("stock.move", mv, "product_id")
	if t.storable(product) {
		for _, side := range []struct {
			loc   int64
			delta float64
		}{{t.ref("stock.move", mv, "location_id"), -qty}, {t.ref("stock.move", mv, "location_dest_id"), qty}} {
			if t.str("stock.location", side.loc, "usage") != "internal" {
				continue
			}
			if err := t.addQuant(product, side.loc, side.delta); err != nil {
				return err
			}
		}
	}
	if line := t.ref("stock.move", mv, "purchase_line_id"); line != 0 {
		t.touch("purchase.order.line", line)
		t.touch("purchase.order", t.ref("purchase.order.line", line, "order_id"))
	}
	if line := t.ref("stock.move", mv, "sale_line_id"); line != 0 {
		t.touch("sale.order.line", line)
		t.touch("sale.order", t.ref("sale.order.line", line, "order_id"))
	}
	return nil
}

// addQuant changes the on-hand quantity of a product at a location, creating the quant if needed.
func (t *txn) addQuant(product, loc int64, delta float64) *Error {
	qm := t.model("stock.quant")
	for _, q := range t.where("stock.quant", "product_id", product) {
		if t.ref("stock.quant", q, "location_id") == loc && t.ref("stock.quant", q, "lot_id") == 0 {
			return t.write(qm, []int64{q}, map[string]any{"quantity": roundQty(t.num("stock.quant", q, "quantity") + delta)})
		}
	}
	_, err := t.create(qm, map[string]any{"product_id": product, "location_id": loc, "quantity": roundQty(delta)}, nil)
	return err
}

// assignPicking confirms and reserves a picking: its moves become assigned (on 17 and 19 with their
// quantity set to the demand, as a receipt or an available delivery is), and so does the picking.
func (t *txn) assignPicking(id int64) *Error {
	mm := t.model("stock.move")
	for _, mv := range t.activeMoves(id) {
		vals := map[string]any{"state": "assigned"}
		if t.s.cfg.Version >= 17 && t.num("stock.move", mv, "quantity") == 0 {
			vals["quantity"] = t.num("stock.move", mv, "product_uom_qty")
		}
		if err := t.write(mm, []int64{mv}, vals); err != nil {
			return err
		}
	}
	return t.write(t.model("stock.picking"), []int64{id}, map[string]any{"state": "assigned"})
}

func pickingAssign(c *call) (any, *Error) {
	if err := c.t.missing(c.m, c.ids); err != nil {
		return nil, err
	}
	for _, id := range c.ids {
		if s := c.t.str("stock.picking", id, "state"); s == "draft" || s == "waiting" || s == "confirmed" {
			if err := c.t.assignPicking(id); err != nil {
				return nil, err
			}
		}
	}
	return true, nil
}

func pickingCancel(c *call) (any, *Error) {
	if err := c.t.missing(c.m, c.ids); err != nil {
		return nil, err
	}
	for _, id := range c.ids {
		if err := c.t.cancelPicking(id); err != nil {
			return nil, err
		}
	}
	return true, nil
}

// cancelPicking cancels a picking and its open moves; a done picking cannot be.
func (t *txn) cancelPicking(id int64) *Error {
	switch t.str("stock.picking", id, "state") {
	case "done":
		return userError("You cannot cancel a stock move that has been set to 'Done'. Create a return in order to reverse the moves which took place.")
	case "cancel":
		return nil
	}
	for _, mv := range t.activeMoves(id) {
		if err := t.write(t.model("stock.move"), []int64{mv}, map[string]any{"state": "cancel"}); err != nil {
			return err
		}
	}
	return t.write(t.model("stock.picking"), []int64{id}, map[string]any{"state": "cancel"})
}

// backorderProcess is stock.backorder.confirmation's process (with backorders) and
// process_cancel_backorder (without, for the wizard's pickings). The pickings validated are those of
// the call's context button_validate_picking_ids, else those of the context the wizard was created
// with, else the wizard's own.
func backorderProcess(cancel bool) func(c *call) (any, *Error) {
	return func(c *call) (any, *Error) {
		if err := c.t.missing(c.m, c.ids); err != nil {
			return nil, err
		}
		for _, wiz := range c.ids {
			pick := c.t.refs(c.m.name, wiz, "pick_ids")
			ctx := cloneCtx(c.ctx)
			ctx["skip_backorder"] = true
			if cancel {
				ids := make([]any, len(pick))
				for i, id := range pick {
					ids[i] = id
				}
				ctx["picking_ids_not_to_backorder"] = ids
			}
			res, err := pickingButtonValidate(&call{t: c.t, m: c.t.model("stock.picking"), ids: c.t.wizardTargets(c, wiz), ctx: ctx, proto: c.proto})
			if err != nil || res != true {
				return res, err
			}
		}
		return true, nil
	}
}

// cloneCtx copies a context for a nested call that adds keys to it.
func cloneCtx(ctx map[string]any) map[string]any {
	out := maps.Clone(ctx)
	if out == nil {
		out = map[string]any{}
	}
	return out
}

// wizardTargets picks the pickings a wizard validates (see backorderProcess).
func (t *txn) wizardTargets(c *call, wiz int64) []int64 {
	if ids := c.ctxIDs("button_validate_picking_ids"); len(ids) > 0 {
		return ids
	}
	if r, ok := t.row(c.m.name, wiz); ok {
		if ids, _ := r[keyValidateOnWiz].([]int64); len(ids) > 0 {
			return ids
		}
	}
	return t.refs(c.m.name, wiz, "pick_ids")
}

// immediateProcess is 16's stock.immediate.transfer process: every move of the wizard's pickings is
// done for its whole demand, then the pickings are validated (which may still answer the backorder
// wizard for pickings that were not part of it).
func immediateProcess(c *call) (any, *Error) {
	if err := c.t.missing(c.m, c.ids); err != nil {
		return nil, err
	}
	mm := c.t.model("stock.move")
	for _, wiz := range c.ids {
		for _, p := range c.t.refs(c.m.name, wiz, "pick_ids") {
			for _, mv := range c.t.activeMoves(p) {
				if err := c.t.write(mm, []int64{mv}, map[string]any{"quantity_done": c.t.num("stock.move", mv, "product_uom_qty")}); err != nil {
					return nil, err
				}
			}
		}
		ctx := cloneCtx(c.ctx)
		ctx["skip_immediate"] = true
		res, err := pickingButtonValidate(&call{t: c.t, m: c.t.model("stock.picking"), ids: c.t.wizardTargets(c, wiz), ctx: ctx, proto: c.proto})
		if err != nil || res != true {
			return res, err
		}
	}
	return true, nil
}
