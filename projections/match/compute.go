package match

import (
	"fmt"
	"slices"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/crossdock-hub/crossdock/domain/invoice"
	"github.com/crossdock-hub/crossdock/domain/order"
	"github.com/crossdock-hub/crossdock/domain/partner"
	"github.com/crossdock-hub/crossdock/domain/receipt"
)

// Line statuses, in the order they take precedence (VIEWS.md, three-way match).
const (
	StatusOverReceived    = "over_received"
	StatusOverInvoiced    = "over_invoiced"
	StatusPriceVariance   = "price_variance"
	StatusAwaitingReceipt = "awaiting_receipt"
	StatusAwaitingInvoice = "awaiting_invoice"
	StatusMatched         = "matched"
)

// Invoice statuses.
const (
	InvoiceMatched = "matched"
	InvoiceHeld    = "held"
)

// Order is a purchase order as last placed: the facts the match is computed against.
type Order struct {
	EventID string
	Data    order.OrderData
}

// Receipt is a warehouse receipt as last received (its latest revision).
type Receipt struct {
	EventID string
	Data    receipt.ReceiptData
}

// Invoice is a supplier invoice or credit note as last received (its latest revision).
type Invoice struct {
	EventID string
	Data    invoice.InvoiceData
}

// Facts are everything known about one purchase order: the order (nil when it was never placed), the
// receipts and invoices that name it, and its supplier's tolerances.
type Facts struct {
	PONumber   string
	Order      *Order
	Receipts   []Receipt
	Invoices   []Invoice
	Tolerances partner.Tolerances
}

// Line is one purchase order line of the three-way match, its quantities in the canonical unit.
type Line struct {
	PONumber   string          `json:"po_number"`
	LineNumber string          `json:"line_number"`
	Supplier   string          `json:"supplier"`
	Product    string          `json:"product"`
	Unit       string          `json:"unit"`
	Currency   string          `json:"currency"`
	Ordered    decimal.Decimal `json:"ordered"`
	// POPrice is the order's unit price; nil when the order states none.
	POPrice *decimal.Decimal `json:"po_price"`
	// Received is what warehouses confirmed receiving.
	Received decimal.Decimal `json:"received"`
	// Invoiced is what invoices bill, less credit notes that return quantity.
	Invoiced decimal.Decimal `json:"invoiced"`
	// InvoicedAmount is what invoices bill for the line, less every credit note's amount.
	InvoicedAmount decimal.Decimal `json:"invoiced_amount"`
	// InvoicePrice is InvoicedAmount / Invoiced; nil when nothing is invoiced.
	InvoicePrice *decimal.Decimal `json:"invoice_price"`
	Status       string           `json:"status"`
	// Issues are every status that applies but matched, in precedence order (empty when matched); Status
	// is the first.
	Issues []string        `json:"issues"`
	AtRisk decimal.Decimal `json:"at_risk"`
	// Evidence are the IDs of the events the figures come from: the order, then receipts, invoices and
	// credit notes, each kind in the order of their partners and numbers.
	Evidence []string `json:"evidence"`
}

// InvoiceResult is one invoice's (or credit note's) match.
type InvoiceResult struct {
	Partner       string `json:"partner"`
	InvoiceNumber string `json:"invoice_number"`
	PONumber      string `json:"po_number"`
	Type          string `json:"type"`
	Currency      string `json:"currency"`
	Status        string `json:"status"`
	// Reasons say why a held invoice is held, one per finding.
	Reasons []string        `json:"reasons"`
	AtRisk  decimal.Decimal `json:"at_risk"`
	// Lines are the purchase order lines the invoice bills.
	Lines    []string `json:"lines"`
	Evidence []string `json:"evidence"`
}

// lineFigures accumulates one PO line's documents.
type lineFigures struct {
	received, invoiced, amount decimal.Decimal
	evidence                   []string
}

var hundred = decimal.NewFromInt(100)

// Compute derives the three-way match of one purchase order from its facts. It depends on nothing but
// the facts, in no order but their business keys: the same facts arriving in any order give the same
// rows.
func Compute(f Facts) ([]Line, []InvoiceResult) {
	receipts := slices.Clone(f.Receipts)
	slices.SortFunc(receipts, func(a, b Receipt) int {
		return strings.Compare(a.Data.Partner+"\x00"+a.Data.ReceiptNumber, b.Data.Partner+"\x00"+b.Data.ReceiptNumber)
	})
	invoices := slices.Clone(f.Invoices)
	slices.SortFunc(invoices, func(a, b Invoice) int {
		return strings.Compare(a.Data.Partner+"\x00"+a.Data.InvoiceNumber, b.Data.Partner+"\x00"+b.Data.InvoiceNumber)
	})

	var lines []order.LineData
	if f.Order != nil {
		lines = f.Order.Data.Lines
	}
	figures := make([]lineFigures, len(lines))
	// invoiceLines[i] are the PO line indexes invoice i bills; invoiceProblems[i] its lines that match
	// none.
	invoiceLines := make([][]int, len(invoices))
	invoiceProblems := make([][]string, len(invoices))
	// unmatchedAmount[i] is what invoice i bills on lines no PO line explains: all of it at risk.
	unmatchedAmount := make([]decimal.Decimal, len(invoices))

	for _, r := range receipts {
		for _, rl := range r.Data.Lines {
			i, _ := findLine(lines, rl.POLine, rl.Product)
			if i < 0 {
				continue // the receipt aggregate raised the exception; nothing here to match it to
			}
			figures[i].received = figures[i].received.Add(rl.Quantity)
			figures[i].evidence = appendOnce(figures[i].evidence, r.EventID)
		}
	}
	// Debits first, so that a credit note can tell a quantity return (at the price billed) from a price
	// adjustment (any other price), whatever order the documents came in.
	debitPrice := make([]*decimal.Decimal, len(lines))
	for pass := range 2 {
		for k, inv := range invoices {
			credit := inv.Data.Type == invoice.TypeCredit
			if credit != (pass == 1) {
				continue
			}
			for _, il := range inv.Data.Lines {
				i, why := findLine(lines, il.POLine, il.Product)
				if i < 0 {
					if !credit {
						unmatchedAmount[k] = unmatchedAmount[k].Add(decimal.Max(decimal.Zero, il.Quantity.Mul(il.UnitPrice)))
					}
					if f.Order != nil { // else the invoice is held for its unknown order, once
						invoiceProblems[k] = append(invoiceProblems[k], fmt.Sprintf("invoice line %s: %s", il.LineNumber, why))
					}
					continue
				}
				invoiceLines[k] = appendOnce(invoiceLines[k], i)
				fg := &figures[i]
				amount := il.Quantity.Mul(il.UnitPrice)
				if !credit {
					fg.invoiced = fg.invoiced.Add(il.Quantity)
					fg.amount = fg.amount.Add(amount)
					if debitPrice[i] == nil {
						p := il.UnitPrice
						debitPrice[i] = &p
					}
				} else {
					fg.amount = fg.amount.Sub(amount)
					if debitPrice[i] != nil && il.UnitPrice.Equal(*debitPrice[i]) {
						fg.invoiced = fg.invoiced.Sub(il.Quantity)
					}
				}
				fg.evidence = appendOnce(fg.evidence, inv.EventID)
			}
		}
	}

	out := make([]Line, len(lines))
	for i, ol := range lines {
		fg := figures[i]
		l := Line{
			PONumber: f.PONumber, LineNumber: ol.LineNumber, Supplier: f.Order.Data.Supplier, Product: ol.Product,
			Unit: ol.Unit, Currency: firstNonEmpty(ol.Currency, f.Order.Data.Currency), Ordered: ol.Quantity,
			POPrice: ol.UnitPrice, Received: fg.received, Invoiced: fg.invoiced, InvoicedAmount: fg.amount,
			Evidence: append([]string{f.Order.EventID}, fg.evidence...),
		}
		if fg.invoiced.IsPositive() {
			p := fg.amount.DivRound(fg.invoiced, 6)
			l.InvoicePrice = &p
		}
		l.Issues = issues(l, f.Tolerances)
		l.Status = l.Issues[0]
		if l.Status == StatusMatched {
			l.Issues = []string{}
		}
		l.AtRisk = atRisk(l)
		out[i] = l
	}

	results := make([]InvoiceResult, len(invoices))
	for k, inv := range invoices {
		d := inv.Data
		res := InvoiceResult{Partner: d.Partner, InvoiceNumber: d.InvoiceNumber, PONumber: d.PONumber, Type: d.Type,
			Currency: d.Currency, Reasons: []string{}, Lines: []string{}, Evidence: []string{inv.EventID}}
		if f.Order == nil {
			res.Reasons = append(res.Reasons, fmt.Sprintf("purchase order %s is not known", f.PONumber))
		} else {
			res.Evidence = append(res.Evidence, f.Order.EventID)
		}
		res.Reasons = append(res.Reasons, invoiceProblems[k]...)
		res.AtRisk = unmatchedAmount[k]
		slices.Sort(invoiceLines[k])
		for _, i := range invoiceLines[k] {
			l := out[i]
			res.Lines = append(res.Lines, l.LineNumber)
			res.AtRisk = res.AtRisk.Add(l.AtRisk)
			if l.Status != StatusMatched {
				res.Reasons = append(res.Reasons, fmt.Sprintf("PO line %s: %s", l.LineNumber, strings.Join(l.Issues, ", ")))
			}
			for _, e := range l.Evidence {
				res.Evidence = appendOnce(res.Evidence, e)
			}
		}
		if !d.Reconciles {
			stated := "no total"
			if d.Total != nil {
				stated = "total " + d.Total.StringFixed(2)
			}
			res.Reasons = append(res.Reasons, fmt.Sprintf("lines and charges add up to %s, the invoice states %s", d.Computed.StringFixed(2), stated))
		}
		// No purchase order line explains a charge (freight, handling): each is at risk until a person
		// accepts it. Allowances lower the bill and risk nothing.
		for _, c := range d.Charges {
			if !c.Allowance && c.Amount.IsPositive() {
				res.AtRisk = res.AtRisk.Add(c.Amount)
				res.Reasons = append(res.Reasons, fmt.Sprintf("charge %s %s is on no purchase order line", firstNonEmpty(c.Code, c.Description), c.Amount.StringFixed(2)))
			}
		}
		res.Status = InvoiceMatched
		if len(res.Reasons) > 0 {
			res.Status = InvoiceHeld
		}
		results[k] = res
	}
	return out, results
}

// issues lists every status that applies to the line, in precedence order, ending with matched when
// none does.
func issues(l Line, tol partner.Tolerances) []string {
	var out []string
	qty := tol.QuantityPercent.Add(hundred).Div(hundred)
	if l.Received.GreaterThan(l.Ordered.Mul(qty)) {
		out = append(out, StatusOverReceived)
	}
	if l.Invoiced.GreaterThan(l.Received.Mul(qty)) {
		out = append(out, StatusOverInvoiced)
	}
	if l.InvoicePrice != nil && l.POPrice != nil {
		allowed := decimal.Max(l.POPrice.Abs().Mul(tol.PriceVariancePercent).Div(hundred), tol.PriceVarianceAbsolute)
		if l.InvoicePrice.Sub(*l.POPrice).Abs().GreaterThan(allowed) {
			out = append(out, StatusPriceVariance)
		}
	}
	switch {
	case l.Received.IsZero() && l.Invoiced.IsZero():
		out = append(out, StatusAwaitingReceipt)
	case l.Invoiced.LessThan(l.Received):
		out = append(out, StatusAwaitingInvoice)
	}
	if len(out) == 0 {
		out = append(out, StatusMatched)
	}
	return out
}

// atRisk is what the line's invoices bill beyond what was received at the order's price:
// max(0, invoiced amount − min(invoiced, received) × PO price). Without a PO price nothing can be
// compared, and the whole invoiced amount is at risk.
func atRisk(l Line) decimal.Decimal {
	covered := decimal.Zero
	if l.POPrice != nil {
		covered = decimal.Min(l.Invoiced, l.Received).Mul(*l.POPrice)
	}
	return decimal.Max(decimal.Zero, l.InvoicedAmount.Sub(covered))
}

// findLine finds the PO line a document line is for: by the PO line number when the document gives one
// on the order, else by product when exactly one line orders it. It returns -1 and why otherwise.
func findLine(lines []order.LineData, poLine, product string) (int, string) {
	if poLine != "" {
		for i, l := range lines {
			if l.LineNumber == poLine {
				return i, ""
			}
		}
	}
	found := -1
	for i, l := range lines {
		if l.Product != product {
			continue
		}
		if found >= 0 {
			return -1, fmt.Sprintf("product %s is on several purchase order lines", product)
		}
		found = i
	}
	if found < 0 {
		return -1, fmt.Sprintf("product %s is not on the purchase order", product)
	}
	return found, ""
}

func appendOnce[T comparable](s []T, v T) []T {
	if slices.Contains(s, v) {
		return s
	}
	return append(s, v)
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}
