package odoosim

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Domains: leaves, prefix operators, implicit &, false as unset, relational paths, archived records.
func TestDomains(t *testing.T) {
	t.Parallel()
	_, url := start(t, Config{})
	c := newRPC(t, url)
	azure := create(t, c, "res.partner", map[string]any{"name": "Azure Interior", "email": "info@azure.example", "supplier_rank": 1, "is_company": true})
	deco := create(t, c, "res.partner", map[string]any{"name": "Deco Addict", "customer_rank": 2, "is_company": true})
	gemini := create(t, c, "res.partner", map[string]any{"name": "Gemini Furniture", "active": false})
	widget := create(t, c, "product.product", map[string]any{"name": "Widget"})
	po := create(t, c, "purchase.order", map[string]any{"partner_id": azure, "order_line": []any{[]any{0, 0, map[string]any{"product_id": widget}}}})
	po2 := create(t, c, "purchase.order", map[string]any{"partner_id": deco, "origin": "SO7"})

	tests := []struct {
		name   string
		model  string
		domain []any
		params map[string]any
		want   []int64
	}{
		{"empty domain, default order name", "res.partner", []any{}, nil, []int64{azure, deco, 1}},
		{"ilike is case-insensitive substring", "res.partner", []any{[]any{"name", "ilike", "AZURE"}}, nil, []int64{azure}},
		{"like is case-sensitive", "res.partner", []any{[]any{"name", "like", "azure"}}, nil, nil},
		{"not ilike", "res.partner", []any{[]any{"name", "not ilike", "i"}}, nil, []int64{1}},
		{"=ilike pattern", "res.partner", []any{[]any{"name", "=ilike", "deco%"}}, nil, []int64{deco}},
		{"=", "res.partner", []any{[]any{"name", "=", "Deco Addict"}}, nil, []int64{deco}},
		{"= false is unset", "res.partner", []any{[]any{"email", "=", false}}, nil, []int64{deco, 1}},
		{"!= false is set", "res.partner", []any{[]any{"email", "!=", false}}, nil, []int64{azure}},
		{"!= includes unset", "res.partner", []any{[]any{"email", "!=", "info@azure.example"}}, nil, []int64{deco, 1}},
		{"in", "res.partner", []any{[]any{"id", "in", []any{azure, deco}}}, nil, []int64{azure, deco}},
		{"not in", "res.partner", []any{[]any{"id", "not in", []any{azure}}}, nil, []int64{deco, 1}},
		{"> on integers", "res.partner", []any{[]any{"customer_rank", ">", 1}}, nil, []int64{deco}},
		{"or", "res.partner", []any{"|", []any{"supplier_rank", ">", 0}, []any{"customer_rank", ">", 0}}, nil, []int64{azure, deco}},
		{"not", "res.partner", []any{"!", []any{"is_company", "=", true}}, nil, nil},
		{"implicit and", "res.partner", []any{[]any{"is_company", "=", true}, []any{"name", "ilike", "deco"}}, nil, []int64{deco}},
		{"or then implicit and", "res.partner", []any{"|", []any{"id", "=", azure}, []any{"id", "=", deco}, []any{"email", "=", false}}, nil, []int64{deco}},
		{"explicit and", "res.partner", []any{"&", []any{"is_company", "=", true}, []any{"customer_rank", "=", 0}}, nil, []int64{azure, 1}},
		{"archived left out unless asked", "res.partner", []any{[]any{"active", "=", false}}, nil, []int64{gemini}},
		{"active_test false", "res.partner", []any{[]any{"name", "ilike", "gemini"}}, map[string]any{"context": map[string]any{"active_test": false}}, []int64{gemini}},
		{"many2one by id", "purchase.order", []any{[]any{"partner_id", "=", azure}}, nil, []int64{po}},
		{"many2one by name", "purchase.order", []any{[]any{"partner_id", "ilike", "deco"}}, nil, []int64{po2}},
		{"relational path", "purchase.order", []any{[]any{"partner_id.email", "=", "info@azure.example"}}, nil, []int64{po}},
		{"one2many any", "purchase.order", []any{[]any{"order_line.product_id", "=", widget}}, nil, []int64{po}},
		{"one2many empty", "purchase.order", []any{[]any{"order_line", "=", false}}, nil, []int64{po2}},
		{"true leaf", "purchase.order", []any{[]any{1, "=", 1}}, map[string]any{"order": "id"}, []int64{po, po2}},
		{"default order id desc", "purchase.order", []any{}, nil, []int64{po2, po}},
		{"order by field", "res.partner", []any{}, map[string]any{"order": "customer_rank desc, id asc"}, []int64{deco, 1, azure}},
		{"limit and offset", "res.partner", []any{}, map[string]any{"order": "id", "offset": 1, "limit": 1}, []int64{azure}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, search(t, c, tt.model, tt.domain, tt.params))
		})
	}
	assert.Equal(t, 3.0, c.call("res.partner", "search_count", nil, map[string]any{"domain": []any{[]any{"is_company", "=", true}}}))
}

// Empty values read false; many2one reads [id, name]; x2many reads a list of ids.
func TestFalseForEmpty(t *testing.T) {
	t.Parallel()
	sim, url := start(t, Config{})
	c := newRPC(t, url)
	p := create(t, c, "res.partner", map[string]any{"name": "Azure Interior"})
	got := read(t, c, "res.partner", p, "email", "ref", "is_company", "supplier_rank", "display_name")
	assert.Equal(t, map[string]any{"id": float64(p), "email": false, "ref": false, "is_company": false, "supplier_rank": 0.0,
		"display_name": "Azure Interior"}, got)
	assert.Regexp(t, `^2026-11-05 09:00:\d\d$`, read(t, c, "res.partner", p, "create_date")["create_date"], "UTC, Odoo's format")
	order := create(t, c, "purchase.order", map[string]any{"partner_id": p})
	po := read(t, c, "purchase.order", order, "partner_ref", "date_planned", "order_line", "partner_id", "amount_total")
	assert.Equal(t, false, po["partner_ref"])
	assert.Equal(t, false, po["date_planned"])
	assert.Equal(t, []any{}, po["order_line"])
	assert.Equal(t, m2o(p, "Azure Interior"), po["partner_id"])
	assert.Equal(t, 0.0, po["amount_total"])

	// Writing false empties a value.
	require.Equal(t, true, c.call("res.partner", "write", []int64{p}, map[string]any{"vals": map[string]any{"email": "a@example.com"}}))
	require.Equal(t, true, c.call("res.partner", "write", []int64{p}, map[string]any{"vals": map[string]any{"email": false}}))
	rec, ok := sim.Read("res.partner", p)
	require.True(t, ok)
	assert.Equal(t, false, rec["email"])
}

// Floats go out as Python writes them, 10.0 and not 10.
func TestFloatsOnTheWire(t *testing.T) {
	t.Parallel()
	assert.Equal(t, `{"a":10.0,"b":2.5,"c":1,"d":[0.0]}`, string(marshal(map[string]any{"a": 10.0, "b": 2.5, "c": int64(1), "d": []any{0.0}})))
}

// write_date moves on every write, and search_read on write_date > checkpoint finds what changed,
// including orders whose receipt was validated.
func TestWriteDatePolling(t *testing.T) {
	t.Parallel()
	_, c := newClient(t, 17, false)
	f := confirmedPurchase(t, c)
	other := create(t, c, "res.partner", map[string]any{"name": "Other"})
	checkpoint := read(t, c, "res.partner", other, "write_date")["write_date"].(string)

	require.Equal(t, true, c.call("res.partner", "write", []int64{f.vendor}, map[string]any{"vals": map[string]any{"ref": "V1"}}))
	changed := searchRead(t, c, "res.partner", []any{[]any{"write_date", ">", checkpoint}}, map[string]any{"fields": []string{"name", "write_date"}, "order": "write_date asc, id asc"})
	require.Len(t, changed, 1)
	assert.Equal(t, "Azure Interior", changed[0]["name"])
	assert.Greater(t, changed[0]["write_date"].(string), checkpoint)

	assert.Empty(t, search(t, c, "purchase.order", []any{[]any{"write_date", ">", checkpoint}}, nil))
	require.Equal(t, true, c.call("stock.picking", "button_validate", []int64{1}, nil))
	assert.Equal(t, []int64{f.order}, search(t, c, "purchase.order", []any{[]any{"write_date", ">", checkpoint}}, nil), "a receipt touches its order")
	assert.Equal(t, []int64{f.line}, search(t, c, "purchase.order.line", []any{[]any{"write_date", ">", checkpoint}}, nil))

	all := search(t, c, "res.partner", []any{}, map[string]any{"order": "write_date desc, id desc"})
	assert.Equal(t, []int64{f.vendor, other, 1}, all)
}

// One2many commands: create, update, delete, replace.
func TestOne2manyCommands(t *testing.T) {
	t.Parallel()
	_, url := start(t, Config{})
	c := newRPC(t, url)
	vendor := create(t, c, "res.partner", map[string]any{"name": "Vendor"})
	a := create(t, c, "product.product", map[string]any{"name": "A", "standard_price": 3})
	b := create(t, c, "product.product", map[string]any{"name": "B"})
	po := create(t, c, "purchase.order", map[string]any{"partner_id": vendor, "order_line": []any{
		[]any{0, 0, map[string]any{"product_id": a, "product_qty": 2}},
		[]any{0, 0, map[string]any{"product_id": b, "product_qty": 1, "price_unit": 4}},
	}})
	lines := ids(t, read(t, c, "purchase.order", po, "order_line")["order_line"])
	require.Len(t, lines, 2)
	first := read(t, c, "purchase.order.line", lines[0])
	assert.Equal(t, "A", first["name"], "the description defaults to the product")
	assert.Equal(t, 3.0, first["price_unit"], "the price defaults to the cost")
	assert.Equal(t, m2o(1, "Units"), first["product_uom"])
	assert.Equal(t, 10.0, read(t, c, "purchase.order", po, "amount_total")["amount_total"])

	write := func(cmds ...any) {
		t.Helper()
		require.Equal(t, true, c.call("purchase.order", "write", []int64{po}, map[string]any{"vals": map[string]any{"order_line": cmds}}))
	}
	write([]any{1, lines[0], map[string]any{"product_qty": 5}})
	assert.Equal(t, 5.0, read(t, c, "purchase.order.line", lines[0], "product_qty")["product_qty"])
	write([]any{2, lines[1], 0})
	assert.Equal(t, []int64{lines[0]}, ids(t, read(t, c, "purchase.order", po, "order_line")["order_line"]))
	assert.Empty(t, search(t, c, "purchase.order.line", []any{[]any{"id", "=", lines[1]}}, nil), "deleted")
	write([]any{0, 0, map[string]any{"product_id": b}})
	all := ids(t, read(t, c, "purchase.order", po, "order_line")["order_line"])
	require.Len(t, all, 2)
	write([]any{6, 0, []any{all[1]}})
	assert.Equal(t, []int64{all[1]}, ids(t, read(t, c, "purchase.order", po, "order_line")["order_line"]), "replaced: the required inverse deletes the others")

	// Many2many on the wizard: link and replace.
	wiz := create(t, c, "stock.backorder.confirmation", map[string]any{"pick_ids": []any{}})
	assert.Equal(t, []any{}, read(t, c, "stock.backorder.confirmation", wiz, "pick_ids")["pick_ids"])
}

// A call that fails changes nothing: no half-written order, no line, no sequence number used.
func TestAtomicity(t *testing.T) {
	t.Parallel()
	_, url := start(t, Config{})
	c := newRPC(t, url)
	vendor := create(t, c, "res.partner", map[string]any{"name": "Vendor"})
	product := create(t, c, "product.product", map[string]any{"name": "A"})
	po := create(t, c, "purchase.order", map[string]any{"partner_id": vendor})
	before := read(t, c, "purchase.order", po)

	e := c.fail("purchase.order", "write", []int64{po}, map[string]any{"vals": map[string]any{
		"partner_ref": "CHANGED",
		"order_line": []any{
			[]any{0, 0, map[string]any{"product_id": product, "product_qty": 1}},
			[]any{0, 0, map[string]any{"product_id": 999}},
		},
	}})
	assert.Equal(t, nameValidationError, e.Name)
	assert.Equal(t, before, read(t, c, "purchase.order", po), "nothing written, write_date included")
	assert.Empty(t, search(t, c, "purchase.order.line", []any{}, nil))

	e = c.fail("purchase.order", "create", nil, map[string]any{"vals_list": []any{
		map[string]any{"partner_id": vendor},
		map[string]any{"partner_id": vendor, "order_line": []any{[]any{0, 0, map[string]any{"product_qty": 1}}}},
	}})
	assert.Equal(t, nameValidationError, e.Name)
	assert.Equal(t, []int64{po}, search(t, c, "purchase.order", []any{}, nil))
	next := create(t, c, "purchase.order", map[string]any{"partner_id": vendor})
	assert.Equal(t, po+1, next, "ids are not used up by a failed call")
	assert.Equal(t, "P00002", read(t, c, "purchase.order", next, "name")["name"])
}

// fields_get reflects the version's fields and filters attributes.
func TestFieldsGet(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		version     int
		has, hasNot []string
		model       string
	}{
		{16, []string{"quantity_done"}, []string{"quantity", "picked"}, "stock.move"},
		{17, []string{"quantity", "picked"}, []string{"quantity_done"}, "stock.move"},
		{17, []string{"product_uom", "qty_received"}, []string{"product_uom_id"}, "purchase.order.line"},
		{19, []string{"product_uom_id"}, []string{"product_uom"}, "purchase.order.line"},
		{17, []string{"detailed_type", "type"}, []string{"is_storable"}, "product.product"},
		{19, []string{"type", "is_storable"}, []string{"detailed_type"}, "product.product"},
		{17, []string{"category_id", "factor_inv"}, []string{"relative_factor"}, "uom.uom"},
		{19, []string{"relative_factor", "relative_uom_id"}, []string{"category_id", "factor_inv"}, "uom.uom"},
		{19, []string{"locked"}, nil, "purchase.order"},
	} {
		sim, err := New(Config{Version: tt.version})
		require.NoError(t, err)
		res, err := sim.Call(tt.model, "fields_get", nil, map[string]any{"attributes": []any{"type", "string", "relation"}})
		require.NoError(t, err)
		fields := res.(map[string]any)
		for _, f := range tt.has {
			assert.Contains(t, fields, f, "%d %s", tt.version, tt.model)
		}
		for _, f := range tt.hasNot {
			assert.NotContains(t, fields, f, "%d %s", tt.version, tt.model)
		}
	}
	sim, err := New(Config{})
	require.NoError(t, err)
	res, err := sim.Call("purchase.order", "fields_get", []any{[]any{"partner_id", "state"}}, map[string]any{"attributes": []any{"type", "string", "relation"}})
	require.NoError(t, err)
	assert.Equal(t, map[string]any{
		"partner_id": map[string]any{"type": "many2one", "string": "Vendor", "relation": "res.partner"},
		"state":      map[string]any{"type": "selection", "string": "Status"},
	}, res)
	sim19, err := New(Config{Version: 19})
	require.NoError(t, err)
	_, err = sim19.Call("uom.category", "search", []any{[]any{}}, nil)
	var oe *Error
	require.ErrorAs(t, err, &oe)
	assert.Equal(t, "Object uom.category doesn't exist", oe.Message)
}

// check_access_rights and the operations follow Config.Deny; the superuser is not denied.
func TestAccessRights(t *testing.T) {
	t.Parallel()
	sim, url := start(t, Config{Deny: map[string][]string{"res.partner": {"write", "unlink"}}})
	c := newRPC(t, url)
	for op, want := range map[string]bool{"read": true, "create": true, "write": false, "unlink": false} {
		assert.Equal(t, want, c.call("res.partner", "check_access_rights", nil, map[string]any{"operation": op, "raise_exception": false}), op)
	}
	assert.Equal(t, true, c.call("res.partner", "check_access_rights", nil, map[string]any{"operation": "read"}))
	e := c.fail("res.partner", "check_access_rights", nil, map[string]any{"operation": "write"})
	assert.Equal(t, nameAccessError, e.Name)
	p := create(t, c, "res.partner", map[string]any{"name": "A"})
	e = c.fail("res.partner", "write", []int64{p}, map[string]any{"vals": map[string]any{"name": "B"}})
	assert.Equal(t, nameAccessError, e.Name)
	assert.Equal(t, "You are not allowed to modify 'Contact' (res.partner) records.\n\nContact your administrator to request access if necessary.", e.Message)
	assert.Equal(t, nameAccessError, c.fail("res.partner", "unlink", []int64{p}, nil).Name)
	_, err := sim.Call("res.partner", "write", []any{[]any{p}, map[string]any{"name": "B"}}, nil)
	require.NoError(t, err, "the superuser bypasses Deny")
}

// ir.model.data is plain CRUD with (module, name) unique.
func TestExternalIDs(t *testing.T) {
	t.Parallel()
	_, url := start(t, Config{})
	c := newRPC(t, url)
	id := create(t, c, "ir.model.data", map[string]any{"module": "crossdock", "name": "po_1", "model": "purchase.order", "res_id": 1})
	got := searchRead(t, c, "ir.model.data", []any{[]any{"module", "=", "crossdock"}, []any{"name", "=", "po_1"}}, map[string]any{"fields": []string{"model", "res_id", "complete_name"}})
	assert.Equal(t, []map[string]any{{"id": float64(id), "model": "purchase.order", "res_id": 1.0, "complete_name": "crossdock.po_1"}}, got)
	create(t, c, "ir.model.data", map[string]any{"module": "other", "name": "po_1", "model": "purchase.order", "res_id": 2})
	e := c.fail("ir.model.data", "create", nil, map[string]any{"vals_list": map[string]any{"module": "crossdock", "name": "po_1", "model": "x", "res_id": 3}})
	assert.Equal(t, nameValidationError, e.Name)
	require.Equal(t, true, c.call("ir.model.data", "unlink", []int64{id}, nil))
}
