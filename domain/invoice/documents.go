// Package invoice is the aggregate of one supplier invoice, stream "invoice-<supplier partner>:<invoice
// number>". With the purchase order and what was received it makes the three-way match.
package invoice

import (
	"fmt"
	"strconv"
	"time"

	"github.com/shopspring/decimal"

	"github.com/crossdock-hub/crossdock/domain"
)

// Invoice types.
const (
	TypeDebit  = "debit"  // an invoice (X12 BIG07 DI or empty, EDIFACT 380)
	TypeCredit = "credit" // a credit note (X12 CR, EDIFACT 381)
)

// Invoice is a supplier's bill for a purchase order (X12 810, EDIFACT INVOIC).
type Invoice struct {
	InvoiceNumber string         `json:"invoice_number"`
	InvoiceDate   time.Time      `json:"invoice_date"`
	PONumber      string         `json:"po_number"`
	Type          string         `json:"type"`
	Currency      string         `json:"currency,omitempty"`
	Parties       []domain.Party `json:"parties,omitempty"`
	// Terms is the payment terms as the supplier describes them, optional.
	Terms   string   `json:"terms,omitempty"`
	Lines   []Line   `json:"lines"`
	Charges []Charge `json:"charges,omitempty"`
	// Tax is the total tax, when the document states it apart, optional.
	Tax *decimal.Decimal `json:"tax,omitempty"`
	// Total is the invoice total the document states (X12 TDS01, EDIFACT MOA 39/77/128/86), optional.
	Total *decimal.Decimal `json:"total,omitempty"`
	// StatedQuantity is a total quantity the document states (X12 ISS), optional.
	StatedQuantity *domain.Quantity `json:"stated_quantity,omitempty"`
}

// Kind implements domain.Document.
func (Invoice) Kind() string { return domain.KindInvoice }

// Line is one invoiced item.
type Line struct {
	Number    string          `json:"line_number"`
	Item      domain.ItemRef  `json:"item"`
	Quantity  domain.Quantity `json:"quantity"`
	UnitPrice decimal.Decimal `json:"unit_price"`
	// Amount is the line amount the document states (EDIFACT MOA 203/66), optional; when absent it is
	// Quantity × UnitPrice.
	Amount *decimal.Decimal `json:"amount,omitempty"`
	POLine string           `json:"po_line,omitempty"`
}

// Charge is an allowance (negative effect) or a charge on the whole invoice (X12 SAC, EDIFACT ALC+MOA).
type Charge struct {
	// Allowance is true for an allowance (X12 SAC01 A, EDIFACT ALC A), false for a charge.
	Allowance   bool            `json:"allowance"`
	Code        string          `json:"code,omitempty"`
	Amount      decimal.Decimal `json:"amount"`
	Description string          `json:"description,omitempty"`
}

// Extended is the line's amount: the stated one, else quantity × unit price.
func (l Line) Extended() decimal.Decimal {
	if l.Amount != nil {
		return *l.Amount
	}
	return l.Quantity.Amount.Mul(l.UnitPrice)
}

// Computed is the total the lines, charges, allowances and tax add up to.
func (inv Invoice) Computed() decimal.Decimal {
	sum := decimal.Zero
	for _, l := range inv.Lines {
		sum = sum.Add(l.Extended())
	}
	for _, c := range inv.Charges {
		if c.Allowance {
			sum = sum.Sub(c.Amount)
		} else {
			sum = sum.Add(c.Amount)
		}
	}
	if inv.Tax != nil {
		sum = sum.Add(*inv.Tax)
	}
	return sum
}

// roundingTolerance absorbs rounding to the cent of each line by the supplier's system.
var roundingTolerance = decimal.New(1, -2)

// Reconciles reports whether the stated total, if any, equals what the invoice adds up to, to the cent.
func (inv Invoice) Reconciles() bool {
	return inv.Total == nil || inv.Total.Sub(inv.Computed()).Abs().LessThanOrEqual(roundingTolerance)
}

// Warnings lists what does not add up: a stated total other than the lines' sum, a line whose stated
// amount is not quantity × price, a stated total quantity other than the lines'.
func (inv Invoice) Warnings() []string {
	var ws []string
	for i, l := range inv.Lines {
		if l.Amount == nil {
			continue
		}
		want := l.Quantity.Amount.Mul(l.UnitPrice)
		if l.Amount.Sub(want).Abs().GreaterThan(roundingTolerance) {
			ws = append(ws, fmt.Sprintf("line %s (/lines/%d): amount %s is not quantity %s × unit price %s = %s",
				l.Number, i, l.Amount, l.Quantity.Amount, l.UnitPrice, want))
		}
	}
	if !inv.Reconciles() {
		ws = append(ws, fmt.Sprintf("total %s does not reconcile: lines, charges, allowances and tax add up to %s (difference %s)",
			inv.Total, inv.Computed(), inv.Total.Sub(inv.Computed())))
	}
	if inv.StatedQuantity != nil {
		sum := decimal.Zero
		mixed := false
		for _, l := range inv.Lines {
			if l.Quantity.Unit != inv.StatedQuantity.Unit {
				mixed = true
			}
			sum = sum.Add(l.Quantity.Amount)
		}
		if !mixed && !sum.Equal(inv.StatedQuantity.Amount) {
			ws = append(ws, fmt.Sprintf("stated total quantity %s does not match the lines' %s %s",
				inv.StatedQuantity, sum, inv.StatedQuantity.Unit))
		}
	}
	return ws
}

// LineLabel names line i for messages: its number, or its position.
func (inv Invoice) LineLabel(i int) string {
	if inv.Lines[i].Number != "" {
		return inv.Lines[i].Number
	}
	return strconv.Itoa(i + 1)
}
