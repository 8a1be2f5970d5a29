package match

import (
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crossdock-hub/crossdock/domain/invoice"
	"github.com/crossdock-hub/crossdock/domain/order"
	"github.com/crossdock-hub/crossdock/domain/partner"
	"github.com/crossdock-hub/crossdock/domain/receipt"
)

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func decp(s string) *decimal.Decimal { d := dec(s); return &d }

func po(number string, lines ...order.LineData) *Order {
	return &Order{EventID: "ev-" + number, Data: order.OrderData{PONumber: number, Supplier: "acme", Currency: "USD", Lines: lines}}
}

func poLine(n, product, qty, price string) order.LineData {
	return order.LineData{LineNumber: n, Product: product, Quantity: dec(qty), Unit: "Units", UnitPrice: decp(price)}
}

func rcv(number, product, qty string) Receipt {
	return Receipt{EventID: "ev-" + number, Data: receipt.ReceiptData{ReceiptNumber: number, PONumber: "P00042", Partner: "wh1",
		Lines: []receipt.LineData{{LineNumber: "1", Product: product, Quantity: dec(qty), Unit: "Units"}}}}
}

func inv(number, typ, product, qty, price string) Invoice {
	return Invoice{EventID: "ev-" + number, Data: invoice.InvoiceData{InvoiceNumber: number, PONumber: "P00042", Type: typ,
		Partner: "acme", Currency: "USD", Reconciles: true,
		Lines: []invoice.LineData{{LineNumber: "1", Product: product, Quantity: dec(qty), Unit: "Units", UnitPrice: dec(price)}}}}
}

// VIEWS.md, three-way match, example 1, step by step: each step adds documents, and the line and the
// invoice read as the example says.
func TestViewsExample1(t *testing.T) {
	tol := partner.Tolerances{QuantityPercent: dec("0"), PriceVariancePercent: dec("2")}
	order := po("P00042", poLine("1", "WID-A", "10", "2.50"))
	steps := []struct {
		name          string
		receipts      []Receipt
		invoices      []Invoice
		status        string
		issues        []string
		received      string
		invoiced      string
		invoicePrice  string
		atRisk        string
		invoiceStatus string
	}{
		{name: "1 receipt of 6", receipts: []Receipt{rcv("R1", "WID-A", "6")},
			status: StatusAwaitingInvoice, issues: []string{StatusAwaitingInvoice}, received: "6", invoiced: "0", atRisk: "0"},
		{name: "2 invoice 10 at 2.60", receipts: []Receipt{rcv("R1", "WID-A", "6")},
			invoices: []Invoice{inv("INV-7781", invoice.TypeDebit, "WID-A", "10", "2.60")},
			status:   StatusOverInvoiced, issues: []string{StatusOverInvoiced, StatusPriceVariance},
			received: "6", invoiced: "10", invoicePrice: "2.6", atRisk: "11", invoiceStatus: InvoiceHeld},
		{name: "3 backorder of 4", receipts: []Receipt{rcv("R1", "WID-A", "6"), rcv("R2", "WID-A", "4")},
			invoices: []Invoice{inv("INV-7781", invoice.TypeDebit, "WID-A", "10", "2.60")},
			status:   StatusPriceVariance, issues: []string{StatusPriceVariance},
			received: "10", invoiced: "10", invoicePrice: "2.6", atRisk: "1", invoiceStatus: InvoiceHeld},
		{name: "4 credit note 10 x 0.10", receipts: []Receipt{rcv("R1", "WID-A", "6"), rcv("R2", "WID-A", "4")},
			invoices: []Invoice{inv("INV-7781", invoice.TypeDebit, "WID-A", "10", "2.60"), inv("CN-12", invoice.TypeCredit, "WID-A", "10", "0.10")},
			status:   StatusMatched, issues: []string{}, received: "10", invoiced: "10", invoicePrice: "2.5", atRisk: "0", invoiceStatus: InvoiceMatched},
	}
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			lines, invoices := Compute(Facts{PONumber: "P00042", Order: order, Receipts: st.receipts, Invoices: st.invoices, Tolerances: tol})
			require.Len(t, lines, 1)
			l := lines[0]
			assert.Equal(t, st.status, l.Status)
			assert.Equal(t, st.issues, l.Issues)
			assert.True(t, dec(st.received).Equal(l.Received), "received %s", l.Received)
			assert.True(t, dec(st.invoiced).Equal(l.Invoiced), "invoiced %s", l.Invoiced)
			if st.invoicePrice == "" {
				assert.Nil(t, l.InvoicePrice)
			} else {
				require.NotNil(t, l.InvoicePrice)
				assert.True(t, dec(st.invoicePrice).Equal(*l.InvoicePrice), "invoice price %s", l.InvoicePrice)
			}
			assert.True(t, dec(st.atRisk).Equal(l.AtRisk), "at risk %s", l.AtRisk)
			assert.Equal(t, "ev-P00042", l.Evidence[0], "the order is the first evidence")
			for _, r := range st.receipts {
				assert.Contains(t, l.Evidence, r.EventID)
			}
			if st.invoiceStatus == "" {
				assert.Empty(t, invoices)
				return
			}
			require.NotEmpty(t, invoices)
			var main InvoiceResult
			for _, r := range invoices {
				if r.InvoiceNumber == "INV-7781" {
					main = r
				}
			}
			assert.Equal(t, st.invoiceStatus, main.Status, "reasons %v", main.Reasons)
			assert.True(t, dec(st.atRisk).Equal(main.AtRisk), "invoice at risk %s", main.AtRisk)
			assert.Equal(t, []string{"1"}, main.Lines)
			if st.invoiceStatus == InvoiceHeld {
				assert.Equal(t, []string{"PO line 1: " + joinIssues(st.issues)}, main.Reasons)
			}
		})
	}
}

func joinIssues(s []string) string {
	out := ""
	for i, v := range s {
		if i > 0 {
			out += ", "
		}
		out += v
	}
	return out
}

// Example 2: quantities compare in the canonical unit, whatever unit the partner wrote (the partner's
// 5 CS are 60 Units on the events).
func TestViewsExample2Units(t *testing.T) {
	order := po("P00043", poLine("1", "CUP-12", "60", "1.00"))
	r := rcv("R9", "CUP-12", "60")
	r.Data.Lines[0].PartnerQuantity, r.Data.Lines[0].PartnerUnit = dec("5"), "CS"
	i := inv("INV-9", invoice.TypeDebit, "CUP-12", "60", "1.00")
	i.Data.Lines[0].PartnerQuantity, i.Data.Lines[0].PartnerUnit, i.Data.Lines[0].PartnerUnitPrice = dec("5"), "CS", dec("12.00")
	lines, invoices := Compute(Facts{PONumber: "P00043", Order: order, Receipts: []Receipt{r}, Invoices: []Invoice{i}})
	require.Len(t, lines, 1)
	assert.Equal(t, StatusMatched, lines[0].Status)
	assert.True(t, dec("60").Equal(lines[0].Received))
	assert.True(t, dec("1").Equal(*lines[0].InvoicePrice))
	require.Len(t, invoices, 1)
	assert.Equal(t, InvoiceMatched, invoices[0].Status)
	assert.True(t, invoices[0].AtRisk.IsZero())
}

func TestStatusPrecedenceAndTolerances(t *testing.T) {
	cases := []struct {
		name     string
		tol      partner.Tolerances
		received string
		invoiced string
		price    string
		status   string
		issues   []string
	}{
		{"nothing yet", partner.Tolerances{}, "", "", "", StatusAwaitingReceipt, []string{StatusAwaitingReceipt}},
		{"over received", partner.Tolerances{}, "11", "", "", StatusOverReceived, []string{StatusOverReceived, StatusAwaitingInvoice}},
		{"over received within 10%", partner.Tolerances{QuantityPercent: dec("10")}, "11", "11", "2.50", StatusMatched, []string{}},
		{"invoiced before any receipt", partner.Tolerances{}, "", "10", "2.50", StatusOverInvoiced, []string{StatusOverInvoiced}},
		{"price within the absolute tolerance", partner.Tolerances{PriceVarianceAbsolute: dec("0.10")}, "10", "10", "2.60", StatusMatched, []string{}},
		{"price beyond both tolerances", partner.Tolerances{PriceVariancePercent: dec("2"), PriceVarianceAbsolute: dec("0.04")}, "10", "10", "2.60",
			StatusPriceVariance, []string{StatusPriceVariance}},
		{"under invoiced", partner.Tolerances{}, "10", "4", "2.50", StatusAwaitingInvoice, []string{StatusAwaitingInvoice}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := Facts{PONumber: "P00042", Order: po("P00042", poLine("1", "WID-A", "10", "2.50")), Tolerances: c.tol}
			if c.received != "" {
				f.Receipts = []Receipt{rcv("R1", "WID-A", c.received)}
			}
			if c.invoiced != "" {
				f.Invoices = []Invoice{inv("I1", invoice.TypeDebit, "WID-A", c.invoiced, c.price)}
			}
			lines, _ := Compute(f)
			assert.Equal(t, c.status, lines[0].Status)
			assert.Equal(t, c.issues, lines[0].Issues)
		})
	}
}

// An invoice for an order never placed is held and all at risk; one with lines matching no PO line, a
// total that does not add up and freight is held with every reason, the freight and those lines at risk.
func TestHeldInvoices(t *testing.T) {
	unknown := inv("I-X", invoice.TypeDebit, "WID-A", "1", "2.50")
	_, res := Compute(Facts{PONumber: "P00042", Invoices: []Invoice{unknown}})
	require.Len(t, res, 1)
	assert.Equal(t, InvoiceHeld, res[0].Status)
	assert.Equal(t, []string{"purchase order P00042 is not known"}, res[0].Reasons)
	assert.True(t, dec("2.5").Equal(res[0].AtRisk), "at risk %s", res[0].AtRisk)

	odd := inv("I-Y", invoice.TypeDebit, "WID-B", "1", "1.00")
	odd.Data.Reconciles, odd.Data.Computed, odd.Data.Total = false, dec("1.00"), decp("5.00")
	odd.Data.Charges = []invoice.Charge{{Code: "FRT", Amount: dec("7.50")}, {Allowance: true, Code: "DSC", Amount: dec("1.00")}}
	order := po("P00042", poLine("1", "WID-A", "10", "2.50"), poLine("2", "WID-C", "1", "1"), poLine("3", "WID-C", "1", "1"))
	odd.Data.Lines = append(odd.Data.Lines, invoice.LineData{LineNumber: "2", Product: "WID-C", Quantity: dec("1"), UnitPrice: dec("1")})
	_, res = Compute(Facts{PONumber: "P00042", Order: order, Invoices: []Invoice{odd}})
	require.Len(t, res, 1)
	assert.Equal(t, InvoiceHeld, res[0].Status)
	assert.Equal(t, []string{
		"invoice line 1: product WID-B is not on the purchase order",
		"invoice line 2: product WID-C is on several purchase order lines",
		"lines and charges add up to 1.00, the invoice states total 5.00",
		"charge FRT 7.50 is on no purchase order line",
	}, res[0].Reasons)
	// The freight, and both lines no PO line explains (1 × 1.00 each).
	assert.True(t, dec("9.5").Equal(res[0].AtRisk), "at risk %s", res[0].AtRisk)
}

// A credit note at the price billed returns quantity; the line is then invoiced less.
func TestCreditNoteReturningQuantity(t *testing.T) {
	f := Facts{PONumber: "P00042", Order: po("P00042", poLine("1", "WID-A", "10", "2.50")),
		Receipts: []Receipt{rcv("R1", "WID-A", "8")},
		Invoices: []Invoice{inv("CN-1", invoice.TypeCredit, "WID-A", "2", "2.50"), inv("I1", invoice.TypeDebit, "WID-A", "10", "2.50")}}
	lines, _ := Compute(f)
	assert.True(t, dec("8").Equal(lines[0].Invoiced), "invoiced %s", lines[0].Invoiced)
	assert.True(t, dec("20").Equal(lines[0].InvoicedAmount))
	assert.Equal(t, StatusMatched, lines[0].Status)
}
