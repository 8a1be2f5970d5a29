package odoodriver_test

import (
	"fmt"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/crossdock-hub/crossdock/adapters/odoo"
	"github.com/crossdock-hub/crossdock/adapters/odoodriver"
	"github.com/crossdock-hub/crossdock/adapters/odoosim"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

type env struct {
	sim    *odoosim.Server
	driver *odoodriver.Driver
	po     int64
}

// newEnv is a simulated Odoo with purchase order P00001 confirmed: 10 WID-BLUE and 5 WID-RED, its
// receipt WH/IN/00001 waiting.
func newEnv(t *testing.T, version int) *env {
	t.Helper()
	sim, err := odoosim.New(odoosim.Config{Version: version})
	require.NoError(t, err)
	srv := httptest.NewServer(sim)
	t.Cleanup(srv.Close)
	client, err := odoo.New(odoo.Config{URL: srv.URL, Database: odoosim.DefaultDatabase, Login: odoosim.DefaultLogin,
		APIKey: odoosim.DefaultAPIKey, HTTPClient: srv.Client(), MaxAttempts: 2, InitialBackoff: time.Millisecond, RatePerSecond: 1000})
	require.NoError(t, err)
	supplier, err := sim.Create("res.partner", map[string]any{"name": "Acme Supply", "ref": "acme"})
	require.NoError(t, err)
	blue, err := sim.Create("product.product", map[string]any{"name": "Blue widget", "default_code": "WID-BLUE"})
	require.NoError(t, err)
	red, err := sim.Create("product.product", map[string]any{"name": "Red widget", "default_code": "WID-RED"})
	require.NoError(t, err)
	po, err := sim.Create("purchase.order", map[string]any{"partner_id": supplier, "order_line": []any{
		[]any{0, 0, map[string]any{"product_id": blue, "product_qty": 10, "price_unit": 2.5}},
		[]any{0, 0, map[string]any{"product_id": red, "product_qty": 5, "price_unit": 4}}}})
	require.NoError(t, err)
	_, err = sim.Call("purchase.order", "button_confirm", []any{[]any{po}}, nil)
	require.NoError(t, err)
	return &env{sim: sim, driver: odoodriver.New(client, nil), po: po}
}

func (e *env) received(t *testing.T) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, id := range e.sim.Search("purchase.order.line", []any{[]any{"order_id", "=", e.po}}) {
		line, ok := e.sim.Read("purchase.order.line", id)
		require.True(t, ok)
		product, _ := e.sim.Read("product.product", int64(line["product_id"].([]any)[0].(float64)))
		out[product["default_code"].(string)] = fmt.Sprint(line["qty_received"])
	}
	return out
}

func (e *env) validations() int {
	n := 0
	for _, c := range e.sim.Calls() {
		if c.Model == "stock.picking" && c.Method == "button_validate" {
			n++
		}
	}
	return n
}

func receipt(ref string, backorder bool, lines ...any) odoodriver.Receipt {
	r := odoodriver.Receipt{Partner: "acme3pl", Reference: ref, PONumber: "P00001", Backorder: backorder}
	for i := 0; i < len(lines); i += 2 {
		r.Lines = append(r.Lines, odoodriver.Line{Product: lines[i].(string), Quantity: decimal.RequireFromString(lines[i+1].(string))})
	}
	return r
}

// A short receipt validates the picking with a backorder for the rest; the next receipt is booked on
// the backorder; the same receipt again writes nothing. On every version, with its field names.
func TestValidateReceipt(t *testing.T) {
	for _, version := range []int{16, 17, 19} {
		t.Run(fmt.Sprint("odoo", version), func(t *testing.T) {
			e := newEnv(t, version)
			ctx := t.Context()
			out, err := e.driver.ValidateReceipt(ctx, receipt("RCV-1", true, "WID-BLUE", "6", "WID-RED", "5"))
			require.NoError(t, err)
			assert.Equal(t, odoodriver.Validated, out.Status)
			assert.Equal(t, "WH/IN/00001", out.Picking)
			assert.Equal(t, "WH/IN/00002", out.Backorder)
			assert.False(t, out.DoneAt.IsZero())
			assert.Equal(t, map[string]string{"WID-BLUE": "6", "WID-RED": "5"}, e.received(t))
			assert.Equal(t, 1, e.validations())

			// The same receipt again (a retry, a duplicate, a re-drive): already done, nothing written.
			again, err := e.driver.ValidateReceipt(ctx, receipt("RCV-1", true, "WID-BLUE", "6", "WID-RED", "5"))
			require.NoError(t, err)
			assert.Equal(t, odoodriver.AlreadyDone, again.Status)
			assert.Equal(t, "WH/IN/00001", again.Picking)
			assert.Equal(t, "WH/IN/00002", again.Backorder)
			assert.Equal(t, 1, e.validations())
			assert.Equal(t, map[string]string{"WID-BLUE": "6", "WID-RED": "5"}, e.received(t))

			// The rest arrives: booked on the backorder, closed without another.
			rest, err := e.driver.ValidateReceipt(ctx, receipt("RCV-2", true, "WID-BLUE", "4"))
			require.NoError(t, err)
			assert.Equal(t, odoodriver.Validated, rest.Status)
			assert.Equal(t, "WH/IN/00002", rest.Picking)
			assert.Empty(t, rest.Backorder)
			assert.Equal(t, map[string]string{"WID-BLUE": "10", "WID-RED": "5"}, e.received(t))

			// Nothing is open any more.
			_, err = e.driver.ValidateReceipt(ctx, receipt("RCV-3", true, "WID-BLUE", "1"))
			require.ErrorIs(t, err, odoodriver.ErrRefused)
			assert.Contains(t, err.Error(), "purchase.order P00001 has no open incoming picking in Odoo")
		})
	}
}

// A partner whose policy is no backorders has the receipt closed short.
func TestValidateReceiptWithoutBackorder(t *testing.T) {
	e := newEnv(t, 17)
	out, err := e.driver.ValidateReceipt(t.Context(), receipt("RCV-1", false, "WID-BLUE", "6"))
	require.NoError(t, err)
	assert.Equal(t, odoodriver.Validated, out.Status)
	assert.Empty(t, out.Backorder)
	assert.Equal(t, map[string]string{"WID-BLUE": "6", "WID-RED": "0"}, e.received(t))
}

// What Odoo cannot be made to do is refused with the reason; Odoo down is retryable, and a later run
// goes on from the picking the receipt was tied to.
func TestValidateReceiptFailures(t *testing.T) {
	e := newEnv(t, 17)
	ctx := t.Context()
	_, err := e.driver.ValidateReceipt(ctx, receipt("RCV-9", true, "WID-GREEN", "1"))
	require.ErrorIs(t, err, odoodriver.ErrRefused)
	assert.Contains(t, err.Error(), "product WID-GREEN is not on picking WH/IN/00001")

	missing := receipt("RCV-8", true, "WID-BLUE", "1")
	missing.PONumber = "P09999"
	_, err = e.driver.ValidateReceipt(ctx, missing)
	require.ErrorIs(t, err, odoodriver.ErrRefused)
	assert.Contains(t, err.Error(), "no purchase.order P09999 in Odoo")

	assert.Empty(t, e.sim.Search("ir.model.data", []any{[]any{"module", "=", "crossdock"}}), "a refused receipt ties nothing")

	e.sim.SetFaults(odoosim.Faults{Down: true})
	_, err = e.driver.ValidateReceipt(ctx, receipt("RCV-1", true, "WID-BLUE", "10", "WID-RED", "5"))
	require.Error(t, err)
	assert.True(t, odoo.Retryable(err))
	e.sim.SetFaults(odoosim.Faults{})
	out, err := e.driver.ValidateReceipt(ctx, receipt("RCV-1", true, "WID-BLUE", "10", "WID-RED", "5"))
	require.NoError(t, err)
	assert.Equal(t, odoodriver.Validated, out.Status)
	assert.Empty(t, out.Backorder)
	assert.Equal(t, map[string]string{"WID-BLUE": "10", "WID-RED": "5"}, e.received(t))
}

// A receipt already tied to a picking (by an earlier run, stopped or not) is booked there, not on
// whichever picking is open first: tied to a done picking, it is already done, and the open backorder is
// left alone.
func TestValidateReceiptFollowsItsTie(t *testing.T) {
	e := newEnv(t, 19)
	ctx := t.Context()
	first, err := e.driver.ValidateReceipt(ctx, receipt("RCV-1", true, "WID-BLUE", "6"))
	require.NoError(t, err)
	require.Equal(t, "WH/IN/00002", first.Backorder)
	_, err = e.sim.Create("ir.model.data", map[string]any{"module": odoodriver.Module, "name": odoodriver.ExternalID("acme3pl", "RCV-2"),
		"model": "stock.picking", "res_id": first.PickingID})
	require.NoError(t, err)

	out, err := e.driver.ValidateReceipt(ctx, receipt("RCV-2", true, "WID-BLUE", "4", "WID-RED", "5"))
	require.NoError(t, err)
	assert.Equal(t, odoodriver.AlreadyDone, out.Status)
	assert.Equal(t, "WH/IN/00001", out.Picking)
	assert.Equal(t, 1, e.validations(), "the backorder is not validated")
	assert.Equal(t, map[string]string{"WID-BLUE": "6", "WID-RED": "0"}, e.received(t))
}

// writes counts the calls that change Odoo.
func (e *env) writes() int {
	n := 0
	for _, c := range e.sim.Calls() {
		switch c.Method {
		case "create", "write", "unlink", "button_validate", "action_confirm", "button_confirm":
			n++
		}
	}
	return n
}

// A plan writes nothing: before the booking it says what would be written beside what Odoo has, after
// it that the receipt is done and where; a receipt Odoo would refuse is refused in the plan too.
func TestPlanReceipt(t *testing.T) {
	for _, version := range []int{16, 17, 19} {
		t.Run(fmt.Sprint("odoo", version), func(t *testing.T) {
			e := newEnv(t, version)
			ctx := t.Context()
			before := e.writes()
			plan, err := e.driver.PlanReceipt(ctx, receipt("RCV-1", true, "WID-BLUE", "6", "WID-RED", "5"))
			require.NoError(t, err)
			assert.Equal(t, odoodriver.WouldValidate, plan.Status)
			assert.Equal(t, "WH/IN/00001", plan.Picking)
			assert.Equal(t, "6", plan.Done["WID-BLUE"].String())
			assert.Equal(t, "5", plan.Done["WID-RED"].String())
			assert.Contains(t, plan.Odoo, "WID-BLUE")
			assert.Equal(t, before, e.writes(), "a plan writes nothing")
			assert.Equal(t, map[string]string{"WID-BLUE": "0", "WID-RED": "0"}, e.received(t))

			_, err = e.driver.ValidateReceipt(ctx, receipt("RCV-1", true, "WID-BLUE", "6", "WID-RED", "5"))
			require.NoError(t, err)
			after := e.writes()
			plan, err = e.driver.PlanReceipt(ctx, receipt("RCV-1", true, "WID-BLUE", "6", "WID-RED", "5"))
			require.NoError(t, err)
			assert.Equal(t, odoodriver.AlreadyDone, plan.Status)
			assert.Equal(t, "WH/IN/00001", plan.Picking)
			assert.Equal(t, "WH/IN/00002", plan.Backorder)
			assert.Equal(t, after, e.writes())

			_, err = e.driver.PlanReceipt(ctx, receipt("RCV-9", true, "WID-GREEN", "1"))
			require.ErrorIs(t, err, odoodriver.ErrRefused)
			assert.Equal(t, after, e.writes())
		})
	}
}
