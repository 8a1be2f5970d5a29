package odoosim

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Every row of ODOO.md's JSON-RPC error table, and the other errors the brief names, on 17 (code 200)
// and 19 (code 0).
func TestJSONRPCErrors(t *testing.T) {
	tests := []struct {
		name    string
		setup   func(c *rpcClient) // runs first: adjusts the client or creates records
		model   string
		method  string
		args    []any
		kwargs  map[string]any
		errName string
		message string // "" skips the message check
	}{
		{name: "wrong key in execute_kw", setup: func(c *rpcClient) { c.key = strings.Repeat("0", 40) },
			model: "res.partner", method: "search", args: []any{[]any{}}, errName: nameAccessDenied, message: "Access Denied"},
		{name: "wrong uid in execute_kw", setup: func(c *rpcClient) { c.uid = 1 },
			model: "res.partner", method: "search", args: []any{[]any{}}, errName: nameAccessDenied, message: "Access Denied"},
		{name: "wrong database in execute_kw", setup: func(c *rpcClient) { c.db = "nope" },
			model: "res.partner", method: "search", args: []any{[]any{}}, errName: nameOperationalErr},
		{name: "write to a missing id", model: "purchase.order", method: "write", args: []any{[]any{99}, map[string]any{"origin": "x"}},
			errName: nameMissingError, message: "Record does not exist or has been deleted.\n(Record: purchase.order(99,), User: 2)"},
		{name: "read of a missing id", model: "res.partner", method: "read", args: []any{[]any{1, 98, 99}},
			errName: nameMissingError, message: "Record does not exist or has been deleted.\n(Record: res.partner(98, 99), User: 2)"},
		{name: "unlink of a missing id", model: "res.partner", method: "unlink", args: []any{[]any{99}}, errName: nameMissingError},
		{name: "business method on a missing id", model: "purchase.order", method: "button_confirm", args: []any{[]any{99}}, errName: nameMissingError},
		{name: "private method", model: "res.partner", method: "_read", args: []any{[]any{1}},
			errName: nameAccessError, message: "Private methods (such as _read) cannot be called remotely."},
		{name: "no access right", model: "account.move", method: "search", args: []any{[]any{}}, errName: nameAccessError,
			message: "You are not allowed to access 'Journal Entry' (account.move) records.\n\nContact your administrator to request access if necessary."},
		{name: "check_access_rights raising", model: "account.move", method: "check_access_rights", args: []any{"read"}, errName: nameAccessError},
		{name: "unknown model", model: "x.y", method: "search", args: []any{[]any{}}, errName: nameUserError, message: "Object x.y doesn't exist"},
		{name: "unknown method", model: "res.partner", method: "frobnicate", args: []any{[]any{1}},
			errName: nameAttributeError, message: "The method 'frobnicate' does not exist on the model 'res.partner'"},
		{name: "unique constraint",
			setup: func(c *rpcClient) {
				c.ok(c.execute("product.product", "create", []any{map[string]any{"name": "A", "barcode": "4006381333931"}}, nil))
			},
			model: "product.product", method: "create", args: []any{map[string]any{"name": "B", "barcode": "4006381333931"}},
			errName: nameValidationError, message: "Barcode(s) already assigned:\n\n- Barcode \"4006381333931\" already assigned to product(s): A"},
		{name: "external id unique",
			setup: func(c *rpcClient) {
				c.ok(c.execute("ir.model.data", "create", []any{map[string]any{"module": "crossdock", "name": "po_1", "model": "purchase.order", "res_id": 1}}, nil))
			},
			model: "ir.model.data", method: "create", args: []any{map[string]any{"module": "crossdock", "name": "po_1", "model": "purchase.order", "res_id": 2}},
			errName: nameValidationError},
		{name: "NOT NULL", model: "purchase.order", method: "create", args: []any{map[string]any{}}, errName: nameValidationError,
			message: "The operation cannot be completed:\n- Create/update: a mandatory field is not set.\n" +
				"- Delete: another model requires the record being deleted. If possible, archive it instead.\n\n" +
				"Model: Purchase Order (purchase.order)\nField: Vendor (partner_id)\n"},
		{name: "unknown field in read", model: "stock.move", method: "search_read", args: []any{[]any{}, []any{"quantity_doneX"}},
			errName: nameValueError, message: "Invalid field 'quantity_doneX' on model 'stock.move'"},
		{name: "unknown field in a domain", model: "res.partner", method: "search", args: []any{[]any{[]any{"nope", "=", 1}}},
			errName: nameValueError, message: "Invalid field 'nope' on model 'res.partner'"},
		{name: "unknown field in write", model: "res.partner", method: "write", args: []any{[]any{1}, map[string]any{"nope": 1}},
			errName: nameValueError, message: "Invalid field 'nope' on model 'res.partner'"},
		{name: "bad selection value", model: "res.partner", method: "write", args: []any{[]any{1}, map[string]any{"type": "bogus"}},
			errName: nameValueError, message: "Wrong value for res.partner.type: 'bogus'"},
		{name: "bad domain operator", model: "res.partner", method: "search", args: []any{[]any{[]any{"name", "~", "x"}}}, errName: nameValueError},
		{name: "bad order", model: "res.partner", method: "search", args: []any{[]any{}}, kwargs: map[string]any{"order": "nope desc"}, errName: nameValueError},
		{name: "unexpected keyword argument", model: "res.partner", method: "search", args: []any{[]any{}}, kwargs: map[string]any{"count": true},
			errName: nameTypeError, message: "search() got an unexpected keyword argument 'count'"},
		{name: "missing argument", model: "res.partner", method: "create",
			errName: nameTypeError, message: "create() missing 1 required positional argument: 'vals_list'"},
		{name: "user error",
			setup: func(c *rpcClient) {
				c.ok(c.execute("account.move", "create", []any{map[string]any{"move_type": "in_invoice"}}, nil))
			},
			model: "account.move", method: "action_post", args: []any{[]any{1}},
			errName: nameUserError, message: "The Bill/Refund date is required to validate this document."},
	}
	for _, version := range []int{17, 19} {
		wantCode := map[int]float64{17: 200, 19: 0}[version]
		for _, tt := range tests {
			t.Run(fmt.Sprintf("%s on %d", tt.name, version), func(t *testing.T) {
				t.Parallel()
				deny := map[string][]string{"account.move": {"read"}}
				if tt.name == "user error" {
					deny = nil
				}
				_, url := start(t, Config{Version: version, Deny: deny})
				c := newRPC(t, url)
				if tt.setup != nil {
					tt.setup(c)
				}
				e := c.err(c.execute(tt.model, tt.method, tt.args, tt.kwargs))
				assert.Equal(t, wantCode, e.Code)
				assert.Equal(t, tt.errName, e.Name)
				if tt.message != "" {
					assert.Equal(t, tt.message, e.Message)
				}
				assert.Equal(t, []any{e.Message}, e.Arguments)
				assert.Equal(t, map[string]any{}, e.Context)
				assert.True(t, strings.HasPrefix(e.Debug, "Traceback (most recent call last):"), e.Debug)
			})
		}
	}
}

// A wrong database fails authenticate with PostgreSQL's error.
func TestJSONRPCWrongDatabase(t *testing.T) {
	t.Parallel()
	_, url := start(t, Config{})
	c := newRPC(t, url)
	e := c.err(c.post("common", "authenticate", "nope", DefaultLogin, DefaultAPIKey, map[string]any{}))
	assert.Equal(t, nameOperationalErr, e.Name)
	assert.Contains(t, e.Message, `database "nope" does not exist`)
}

// Authentication answers a uid or false, never an error, for a right database.
func TestJSONRPCAuthenticate(t *testing.T) {
	t.Parallel()
	_, url := start(t, Config{})
	c := newRPC(t, url)
	assert.Equal(t, 2.0, c.ok(c.post("common", "authenticate", DefaultDatabase, DefaultLogin, DefaultAPIKey, map[string]any{})))
	assert.Equal(t, false, c.ok(c.post("common", "authenticate", DefaultDatabase, DefaultLogin, "wrong", map[string]any{})))
	assert.Equal(t, false, c.ok(c.post("common", "authenticate", DefaultDatabase, "someone@example.com", DefaultAPIKey, map[string]any{})))
	assert.Equal(t, 2.0, c.ok(c.post("common", "login", DefaultDatabase, DefaultLogin, DefaultAPIKey)))
}

// Every row of ODOO.md's JSON-2 error table, with its status.
func TestJSON2Errors(t *testing.T) {
	type row struct {
		name     string
		model    string
		method   string
		body     string
		headers  map[string]string
		status   int
		errName  string // "" means a text/html answer
		message  string
		prepare  func(c *json2Client)
		wwwAuthn bool
	}
	tests := []row{
		{name: "no bearer header", model: "res.partner", method: "search", body: `{}`, headers: map[string]string{"Authorization": ""},
			status: 401, errName: nameUnauthorized, message: "Invalid apikey", wwwAuthn: true},
		{name: "wrong API key", model: "res.partner", method: "search", body: `{}`, headers: map[string]string{"Authorization": "Bearer " + strings.Repeat("a", 40)},
			status: 401, errName: nameUnauthorized, message: "Invalid apikey", wwwAuthn: true},
		{name: "basic scheme", model: "res.partner", method: "search", body: `{}`, headers: map[string]string{"Authorization": "Basic " + DefaultAPIKey},
			status: 401, errName: nameUnauthorized, wwwAuthn: true},
		{name: "wrong database header", model: "res.partner", method: "search", body: `{}`, headers: map[string]string{"X-Odoo-Database": "nope"}, status: 404},
		{name: "not JSON content type", model: "res.partner", method: "search", body: `{}`, headers: map[string]string{"Content-Type": "text/plain"}, status: 415},
		{name: "malformed JSON", model: "res.partner", method: "search", body: `{"domain": [`, status: 400, errName: nameBadRequest},
		{name: "body not an object", model: "res.partner", method: "search", body: `[1]`, status: 400, errName: nameBadRequest,
			message: "could not parse the body, expecting a json object"},
		{name: "private method", model: "res.partner", method: "_read", body: `{"ids":[1]}`, status: 403, errName: nameAccessError},
		{name: "no access right", model: "account.move", method: "search_read", body: `{}`, status: 403, errName: nameAccessError},
		{name: "check_access_rights", model: "account.move", method: "check_access_rights", body: `{"operation":"read"}`, status: 403, errName: nameAccessError},
		{name: "unknown model", model: "x.y", method: "search", body: `{}`, status: 404, errName: nameNotFound, message: "the model 'x.y' does not exist"},
		{name: "unknown method", model: "res.partner", method: "frobnicate", body: `{"ids":[1]}`, status: 404, errName: nameNotFound,
			message: "The method 'frobnicate' does not exist on the model 'res.partner'"},
		{name: "write to a missing id", model: "purchase.order", method: "write", body: `{"ids":[99],"vals":{"origin":"x"}}`, status: 404, errName: nameMissingError,
			message: "Record does not exist or has been deleted.\n(Record: purchase.order(99,), User: 2)"},
		{name: "unlink of a missing id", model: "res.partner", method: "unlink", body: `{"ids":[99]}`, status: 404, errName: nameMissingError},
		{name: "vals for vals_list", model: "res.partner", method: "create", body: `{"vals":{"name":"A"}}`, status: 422, errName: nameUnprocessable,
			message: "missing a required argument: 'vals_list'"},
		{name: "ids to a model method", model: "res.partner", method: "search", body: `{"ids":[1],"domain":[]}`, status: 422, errName: nameUnprocessable,
			message: "cannot call res.partner.search with ids"},
		{name: "unique constraint", model: "product.product", method: "create", body: `{"vals_list":{"name":"B","barcode":"123"}}`, status: 422, errName: nameValidationError,
			prepare: func(c *json2Client) {
				c.call("product.product", "create", nil, map[string]any{"vals_list": map[string]any{"name": "A", "barcode": "123"}})
			}},
		{name: "NOT NULL", model: "res.partner", method: "create", body: `{"vals_list":[{"email":"a@example.com"}]}`, status: 422, errName: nameValidationError},
		{name: "user error", model: "account.move", method: "action_post", body: `{"ids":[1]}`, status: 422, errName: nameUserError,
			message: "The Bill/Refund date is required to validate this document.",
			prepare: func(c *json2Client) {
				c.call("account.move", "create", nil, map[string]any{"vals_list": map[string]any{"move_type": "in_invoice"}})
			}},
		{name: "bad field name", model: "stock.move", method: "search_read", body: `{"fields":["quantity_done"]}`, status: 500, errName: nameValueError,
			message: "Invalid field 'quantity_done' on model 'stock.move'"},
		{name: "bad selection value", model: "res.partner", method: "create", body: `{"vals_list":{"name":"A","type":"x"}}`, status: 500, errName: nameValueError,
			message: "Wrong value for res.partner.type: 'x'"},
		{name: "bad domain operator", model: "res.partner", method: "search", body: `{"domain":[["name","~","x"]]}`, status: 500, errName: nameValueError},
		{name: "unknown keyword argument", model: "res.partner", method: "search_read", body: `{"domain":[],"fieldz":["name"]}`, status: 500, errName: nameTypeError},
		{name: "unknown keyword argument to create", model: "res.partner", method: "create", body: `{"vals_list":{"name":"A"},"foo":1}`, status: 500, errName: nameTypeError,
			message: "create() got an unexpected keyword argument 'foo'"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, url := start(t, Config{Version: 19, Deny: map[string][]string{"account.move": {"read"}}})
			if tt.name == "user error" {
				_, url = start(t, Config{Version: 19})
			}
			c := newJSON2(t, url)
			if tt.prepare != nil {
				tt.prepare(c)
			}
			status, hdr, body := c.do(tt.model, tt.method, []byte(tt.body), tt.headers)
			require.Equal(t, tt.status, status, "body: %s", body)
			if tt.errName == "" {
				assert.Equal(t, "text/html; charset=utf-8", hdr.Get("Content-Type"))
				return
			}
			e := decodeJSON2Error(t, status, hdr, body)
			assert.Equal(t, tt.errName, e.Name)
			if tt.message != "" {
				assert.Equal(t, tt.message, e.Message)
			}
			if strings.HasPrefix(tt.errName, "werkzeug.") {
				assert.Equal(t, []any{e.Message, float64(tt.status)}, e.Arguments)
			} else {
				assert.Equal(t, []any{e.Message}, e.Arguments)
			}
			assert.Equal(t, map[string]any{}, e.Context)
			assert.True(t, strings.HasPrefix(e.Debug, "Traceback (most recent call last):"))
			if tt.wwwAuthn {
				assert.Equal(t, "Bearer", hdr.Get("WWW-Authenticate"))
			}
		})
	}
}

// What JSON-2 accepts: any case of the bearer scheme, the right database header, an empty body.
func TestJSON2Accepts(t *testing.T) {
	t.Parallel()
	_, url := start(t, Config{Version: 19})
	c := newJSON2(t, url)
	for _, headers := range []map[string]string{
		{"Authorization": "BEARER " + DefaultAPIKey},
		{"Authorization": "Bearer " + DefaultAPIKey, "X-Odoo-Database": DefaultDatabase},
		{"Content-Type": "application/json; charset=utf-8"},
	} {
		status, _, body := c.do("res.partner", "search", []byte(`{"domain":[]}`), headers)
		assert.Equal(t, http.StatusOK, status, "%v: %s", headers, body)
		assert.JSONEq(t, `[1]`, string(body))
	}
	status, _, body := c.do("res.partner", "search_count", nil, nil)
	assert.Equal(t, http.StatusOK, status)
	assert.JSONEq(t, `1`, string(body))

	// create answers a list of ids, for a dict as for a list; read drops missing ids.
	assert.Equal(t, []any{2.0}, c.call("res.partner", "create", nil, map[string]any{"vals_list": map[string]any{"name": "A"}}))
	assert.Equal(t, []any{3.0, 4.0}, c.call("res.partner", "create", nil, map[string]any{"vals_list": []any{map[string]any{"name": "B"}, map[string]any{"name": "C"}}}))
	got := c.call("res.partner", "read", []int64{2, 99}, map[string]any{"fields": []string{"name"}})
	assert.Equal(t, []any{map[string]any{"id": 2.0, "name": "A"}}, got)
	assert.Equal(t, true, c.call("res.partner", "write", []int64{2}, map[string]any{"vals": map[string]any{"email": "a@example.com"}}))
	assert.Equal(t, true, c.call("res.partner", "unlink", []int64{4}, nil))
	assert.Equal(t, true, c.call("account.move", "check_access_rights", nil, map[string]any{"operation": "unlink", "raise_exception": false}))
}

// /json/2 does not exist before 19.
func TestJSON2NotBefore19(t *testing.T) {
	for _, version := range []int{16, 17} {
		_, url := start(t, Config{Version: version})
		status, hdr, _ := newJSON2(t, url).do("res.partner", "search", []byte(`{}`), nil)
		assert.Equal(t, http.StatusNotFound, status)
		assert.Equal(t, "text/html; charset=utf-8", hdr.Get("Content-Type"))
	}
}
