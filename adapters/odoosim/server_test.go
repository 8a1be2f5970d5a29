package odoosim

import (
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestConfigValidate(t *testing.T) {
	t.Parallel()
	assert.Len(t, DefaultAPIKey, 40)
	_, err := hex.DecodeString(DefaultAPIKey)
	assert.NoError(t, err)

	assert.NoError(t, Config{}.Validate())
	for _, v := range []int{16, 17, 19} {
		assert.NoError(t, Config{Version: v}.Validate())
	}
	err = Config{Version: 18, Database: "-bad", Deny: map[string][]string{"nope.model": {"read"}, "res.partner": {"delete"}}}.Validate()
	require.Error(t, err)
	for _, want := range []string{"version 18", `database "-bad"`, `deny "nope.model"`, `operation "delete"`} {
		assert.ErrorContains(t, err, want)
	}
	assert.ErrorContains(t, Config{Version: 19, Deny: map[string][]string{"uom.category": {"read"}}}.Validate(), "no such model in Odoo 19")
	_, err = New(Config{Version: 15})
	assert.ErrorContains(t, err, "version 15")
}

// The version answers of each protocol, per configured version.
func TestVersions(t *testing.T) {
	t.Parallel()
	for _, v := range []int{16, 17, 19} {
		_, url := start(t, Config{Version: v})
		serie := map[int]string{16: "16.0", 17: "17.0", 19: "19.0"}[v]
		info := []any{float64(v), 0.0, 0.0, "final", 0.0, ""}
		c := newRPC(t, url)
		assert.Equal(t, map[string]any{"server_version": serie, "server_version_info": info, "server_serie": serie, "protocol_version": 1.0},
			c.ok(c.post("common", "version")))
		status, ct, body := get(t, url+"/web/version")
		assert.Equal(t, http.StatusOK, status)
		assert.Equal(t, "application/json", ct)
		assert.JSONEq(t, `{"version_info":[`+map[int]string{16: "16", 17: "17", 19: "19"}[v]+`,0,0,"final",0,""],"version":"`+serie+`"}`, body)
	}
}

// The direct API runs the same code as the API, as the superuser, with *Error failures.
func TestDirectAPI(t *testing.T) {
	t.Parallel()
	sim, err := New(Config{Version: 19})
	require.NoError(t, err)
	vendor, err := sim.Create("res.partner", map[string]any{"name": "Vendor", "supplier_rank": 1.0})
	require.NoError(t, err)
	product, err := sim.Create("product.product", map[string]any{"name": "Widget", "barcode": "42"})
	require.NoError(t, err)
	order, err := sim.Create("purchase.order", map[string]any{"partner_id": vendor,
		"order_line": []any{[]any{0.0, 0.0, map[string]any{"product_id": float64(product), "product_qty": 3.0, "price_unit": 1.5}}}})
	require.NoError(t, err)

	res, err := sim.Call("purchase.order", "button_confirm", []any{[]any{float64(order)}}, nil)
	require.NoError(t, err)
	assert.Equal(t, true, res)
	rec, ok := sim.Read("purchase.order", order)
	require.True(t, ok)
	assert.Equal(t, "purchase", rec["state"])
	assert.Equal(t, false, rec["locked"])
	assert.Equal(t, []any{float64(vendor), "Vendor"}, rec["partner_id"])
	assert.Equal(t, 4.5, rec["amount_total"])
	assert.Equal(t, []int64{1}, sim.Search("stock.picking", []any{[]any{"purchase_id", "=", order}}))
	assert.Nil(t, sim.Search("stock.picking", []any{[]any{"nope", "=", 1}}))
	_, ok = sim.Read("purchase.order", 99)
	assert.False(t, ok)

	_, err = sim.Create("product.product", map[string]any{"name": "Other", "barcode": "42"})
	var oe *Error
	require.True(t, errors.As(err, &oe))
	assert.Equal(t, nameValidationError, oe.Name)
	assert.Equal(t, http.StatusUnprocessableEntity, oe.Status)
	_, err = sim.Call("purchase.order", "write", []any{[]any{99}, map[string]any{"origin": "x"}}, nil)
	require.ErrorAs(t, err, &oe)
	assert.Equal(t, "Record does not exist or has been deleted.\n(Record: purchase.order(99,), User: 1)", oe.Message)
	assert.Equal(t, http.StatusNotFound, oe.Status)
	assert.Empty(t, sim.Calls(), "direct calls are not API calls")

	// Ids may come as float64, json.Number, int or int64.
	for _, id := range []any{float64(vendor), json.Number("2"), int(vendor), vendor} {
		_, err := sim.Create("purchase.order", map[string]any{"partner_id": id, "order_line": []any{
			[]any{json.Number("0"), 0, map[string]any{"product_id": product, "product_qty": json.Number("1.5")}}}})
		require.NoError(t, err, "%T", id)
	}
	_, err = sim.Create("purchase.order", map[string]any{"partner_id": 2.5})
	require.ErrorAs(t, err, &oe)
	assert.Equal(t, nameValueError, oe.Name)
}

// The seeded database of each version.
func TestSeed(t *testing.T) {
	t.Parallel()
	for _, v := range []int{16, 17, 19} {
		sim, err := New(Config{Version: v, Login: "bot@example.com"})
		require.NoError(t, err)
		wh, ok := sim.Read("stock.warehouse", 1)
		require.True(t, ok)
		assert.Equal(t, "WH", wh["code"])
		assert.Equal(t, []any{5.0, "WH/Stock"}, wh["lot_stock_id"])
		stock, _ := sim.Read("stock.location", 5)
		assert.Equal(t, "internal", stock["usage"])
		types := map[int64]string{1: "incoming", 2: "outgoing"}
		for id, code := range types {
			typ, _ := sim.Read("stock.picking.type", id)
			assert.Equal(t, code, typ["code"])
		}
		user, _ := sim.Read("res.users", 2)
		assert.Equal(t, "bot@example.com", user["login"])
		company, _ := sim.Read("res.company", 1)
		assert.Equal(t, []any{1.0, "My Company"}, company["partner_id"])
		dozens, _ := sim.Read("uom.uom", 2)
		assert.Equal(t, "Dozens", dozens["name"])
		if v == 19 {
			assert.Equal(t, 12.0, dozens["relative_factor"])
			assert.Equal(t, []any{1.0, "Units"}, dozens["relative_uom_id"])
		} else {
			assert.Equal(t, 12.0, dozens["factor_inv"])
			assert.Equal(t, []any{1.0, "Unit"}, dozens["category_id"])
		}
	}
}

// Concurrent clients are serialized: every create gets its own id and sequence number.
func TestConcurrentCalls(t *testing.T) {
	t.Parallel()
	sim, url := start(t, Config{})
	vendor, err := sim.Create("res.partner", map[string]any{"name": "Vendor"})
	require.NoError(t, err)
	body := fmt.Sprintf(`{"jsonrpc":"2.0","method":"call","id":1,"params":{"service":"object","method":"execute_kw",`+
		`"args":["odoo",2,%q,"purchase.order","create",[{"partner_id":%d}],{}]}}`, DefaultAPIKey, vendor)
	const n = 8
	type result struct {
		id  int64
		err error
	}
	results := make(chan result, n)
	for range n {
		go func() {
			resp, err := http.Post(url+"/jsonrpc", "application/json", strings.NewReader(body))
			if err != nil {
				results <- result{err: err}
				return
			}
			defer resp.Body.Close()
			var env struct{ Result int64 }
			err = json.NewDecoder(resp.Body).Decode(&env)
			results <- result{env.Result, err}
		}()
	}
	names := map[any]bool{}
	for range n {
		r := <-results
		require.NoError(t, r.err)
		rec, ok := sim.Read("purchase.order", r.id)
		require.True(t, ok)
		names[rec["name"]] = true
	}
	assert.Len(t, names, n, "every order has its own id and name")
}
