package odoodriver_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crossdock-hub/crossdock/adapters/odoo"
	"github.com/crossdock-hub/crossdock/adapters/odoodriver"
)

func (e *env) bills(t *testing.T) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, id := range e.sim.Search("account.move", []any{[]any{"move_type", "=", "in_invoice"}}) {
		bill, ok := e.sim.Read("account.move", id)
		require.True(t, ok)
		out = append(out, bill)
	}
	return out
}

// A matched invoice becomes one draft bill of the received quantities, named by the invoice's number and
// dated by it; made again (a retry, a re-drive), it is found, not made twice — by its tie, or by its
// number when the tie is gone, or, left unnamed by a run that stopped, adopted.
func TestCreateBill(t *testing.T) {
	for _, version := range []int{16, 17, 19} {
		t.Run(fmt.Sprint("odoo", version), func(t *testing.T) {
			e := newEnv(t, version)
			ctx := t.Context()
			_, err := e.driver.ValidateReceipt(ctx, receipt("RCV-1", true, "WID-BLUE", "6", "WID-RED", "5"))
			require.NoError(t, err)
			date := time.Date(2026, 11, 29, 0, 0, 0, 0, time.UTC)
			inv := odoodriver.Bill{Partner: "acme", Number: "INV-1", PONumber: "P00001", InvoiceDate: date,
				Lines: receipt("", true, "WID-BLUE", "6", "WID-RED", "5").Lines}

			// Invoiced beyond what Odoo has received: not yet, and nothing written.
			early := inv
			early.Lines = receipt("", true, "WID-BLUE", "10", "WID-RED", "5").Lines
			_, err = e.driver.CreateBill(ctx, early)
			require.ErrorIs(t, err, odoodriver.ErrNotReceived)
			assert.Contains(t, err.Error(), "P00001 has received and not billed only 6 WID-BLUE of 10 invoiced in Odoo")
			assert.Empty(t, e.bills(t))

			plan, err := e.driver.PlanBill(ctx, inv)
			require.NoError(t, err)
			assert.Equal(t, odoodriver.WouldCreate, plan.Status)
			assert.Empty(t, e.bills(t), "a plan makes nothing")

			out, err := e.driver.CreateBill(ctx, inv)
			require.NoError(t, err)
			assert.Equal(t, odoodriver.Created, out.Status)
			assert.Equal(t, "draft", out.State)
			bills := e.bills(t)
			require.Len(t, bills, 1)
			assert.Equal(t, "INV-1", bills[0]["ref"])
			assert.Equal(t, "P00001", bills[0]["invoice_origin"])
			assert.Equal(t, "2026-11-29", bills[0]["invoice_date"])
			assert.Equal(t, float64(out.BillID), bills[0]["id"])
			var quantities []float64
			for _, id := range bills[0]["invoice_line_ids"].([]any) {
				line, ok := e.sim.Read("account.move.line", int64(id.(float64)))
				require.True(t, ok)
				quantities = append(quantities, line["quantity"].(float64))
			}
			assert.ElementsMatch(t, []float64{6, 5}, quantities, "the received quantities are billed")

			again, err := e.driver.CreateBill(ctx, inv)
			require.NoError(t, err)
			assert.Equal(t, odoodriver.AlreadyDone, again.Status)
			assert.Equal(t, out.BillID, again.BillID)
			plan, err = e.driver.PlanBill(ctx, inv)
			require.NoError(t, err)
			assert.Equal(t, odoodriver.AlreadyDone, plan.Status)
			assert.Equal(t, out.BillID, plan.BillID)

			// The tie lost (Odoo restored from a backup taken in between): found by its number.
			for _, id := range e.sim.Search("ir.model.data", []any{[]any{"name", "=", odoodriver.BillExternalID("acme", "INV-1")}}) {
				_, err := e.sim.Call("ir.model.data", "unlink", []any{[]any{id}}, nil)
				require.NoError(t, err)
			}
			again, err = e.driver.CreateBill(ctx, inv)
			require.NoError(t, err)
			assert.Equal(t, odoodriver.AlreadyDone, again.Status)
			assert.Equal(t, out.BillID, again.BillID)
			assert.Len(t, e.bills(t), 1)

			// The rest arrives; a run made its bill and stopped before naming it: the next run adopts it.
			_, err = e.driver.ValidateReceipt(ctx, receipt("RCV-2", true, "WID-BLUE", "4"))
			require.NoError(t, err)
			_, err = e.sim.Call("purchase.order", "action_create_invoice", []any{[]any{e.po}}, nil)
			require.NoError(t, err)
			require.Len(t, e.bills(t), 2)
			second, err := e.driver.CreateBill(ctx, odoodriver.Bill{Partner: "acme", Number: "INV-2", PONumber: "P00001", InvoiceDate: date})
			require.NoError(t, err)
			assert.Equal(t, odoodriver.Created, second.Status)
			bills = e.bills(t)
			require.Len(t, bills, 2, "the unnamed bill was adopted, not made again")
			assert.Equal(t, "INV-2", bills[1]["ref"])

			// Nothing left to bill, or no such order: refused, for a dead letter.
			_, err = e.driver.CreateBill(ctx, odoodriver.Bill{Partner: "acme", Number: "INV-3", PONumber: "P00001"})
			require.Error(t, err)
			assert.False(t, odoo.Retryable(err))
			assert.Contains(t, err.Error(), "There is no invoiceable line")
			_, err = e.driver.CreateBill(ctx, odoodriver.Bill{Partner: "acme", Number: "INV-4", PONumber: "P09999"})
			require.ErrorIs(t, err, odoodriver.ErrRefused)
			assert.Len(t, e.bills(t), 2)
		})
	}
}

// Two invoices of one order each get a bill of what they invoice, not of all the order has received;
// a bill tied by a run that stopped before naming it is named, dated and trimmed by the next run.
func TestCreateBillTrimsToTheInvoice(t *testing.T) {
	for _, version := range []int{16, 17, 19} {
		t.Run(fmt.Sprint("odoo", version), func(t *testing.T) {
			e := newEnv(t, version)
			ctx := t.Context()
			_, err := e.driver.ValidateReceipt(ctx, receipt("RCV-1", true, "WID-BLUE", "6"))
			require.NoError(t, err)
			_, err = e.driver.ValidateReceipt(ctx, receipt("RCV-2", true, "WID-BLUE", "4", "WID-RED", "5"))
			require.NoError(t, err)
			date := time.Date(2026, 11, 29, 0, 0, 0, 0, time.UTC)
			lines := func(bill map[string]any) map[string]float64 {
				out := map[string]float64{}
				for _, id := range bill["invoice_line_ids"].([]any) {
					line, ok := e.sim.Read("account.move.line", int64(id.(float64)))
					require.True(t, ok)
					p, _ := e.sim.Read("product.product", int64(line["product_id"].([]any)[0].(float64)))
					out[p["default_code"].(string)] += line["quantity"].(float64)
				}
				return out
			}

			a, err := e.driver.CreateBill(ctx, odoodriver.Bill{Partner: "acme", Number: "INV-A", PONumber: "P00001", InvoiceDate: date,
				Lines: receipt("", true, "WID-BLUE", "6").Lines})
			require.NoError(t, err)
			assert.Equal(t, odoodriver.Created, a.Status)
			billA, _ := e.sim.Read("account.move", a.BillID)
			assert.Equal(t, map[string]float64{"WID-BLUE": 6}, lines(billA), "only what INV-A bills")

			b, err := e.driver.CreateBill(ctx, odoodriver.Bill{Partner: "acme", Number: "INV-B", PONumber: "P00001", InvoiceDate: date,
				Lines: receipt("", true, "WID-BLUE", "4", "WID-RED", "5").Lines})
			require.NoError(t, err, "the rest is still there to bill")
			billB, _ := e.sim.Read("account.move", b.BillID)
			assert.Equal(t, map[string]float64{"WID-BLUE": 4, "WID-RED": 5}, lines(billB))
			assert.Len(t, e.bills(t), 2)
		})
	}
}

func TestCreateBillFinishesAnUnnamedTiedBill(t *testing.T) {
	e := newEnv(t, 17)
	ctx := t.Context()
	_, err := e.driver.ValidateReceipt(ctx, receipt("RCV-1", true, "WID-BLUE", "6", "WID-RED", "5"))
	require.NoError(t, err)
	// A run made the bill and tied it, then stopped.
	act, err := e.sim.Call("purchase.order", "action_create_invoice", []any{[]any{e.po}}, nil)
	require.NoError(t, err)
	billID := int64(act.(map[string]any)["res_id"].(float64))
	_, err = e.sim.Create("ir.model.data", map[string]any{"module": odoodriver.Module, "name": odoodriver.BillExternalID("acme", "INV-1"),
		"model": "account.move", "res_id": billID})
	require.NoError(t, err)

	inv := odoodriver.Bill{Partner: "acme", Number: "INV-1", PONumber: "P00001", InvoiceDate: time.Date(2026, 11, 29, 0, 0, 0, 0, time.UTC),
		Lines: receipt("", true, "WID-BLUE", "6", "WID-RED", "5").Lines}
	out, err := e.driver.CreateBill(ctx, inv)
	require.NoError(t, err)
	assert.Equal(t, odoodriver.Created, out.Status, "finished now")
	assert.Equal(t, billID, out.BillID)
	bill, _ := e.sim.Read("account.move", billID)
	assert.Equal(t, "INV-1", bill["ref"])
	assert.Equal(t, "2026-11-29", bill["invoice_date"])
	again, err := e.driver.CreateBill(ctx, inv)
	require.NoError(t, err)
	assert.Equal(t, odoodriver.AlreadyDone, again.Status, "nothing left to write")
	assert.Len(t, e.bills(t), 1)
}
