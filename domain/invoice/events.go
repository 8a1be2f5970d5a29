package invoice

import (
	"time"

	"github.com/shopspring/decimal"

	"github.com/crossdock-hub/crossdock/domain"
)

// Event types with their schema version.
const (
	EventReceived        = "invoice.received.v1"
	EventRevised         = "invoice.revised.v1"
	EventExceptionRaised = "invoice.exception_raised.v1"
)

// Exception kinds.
const (
	// ExceptionUnknownPO: the invoice bills a purchase order that was never placed.
	ExceptionUnknownPO = "unknown_po"
	// ExceptionUnknownPOLine: a line bills a product that is not on the purchase order.
	ExceptionUnknownPOLine = "unknown_po_line"
	// ExceptionTotalMismatch: the stated total is not what the lines, charges and tax add up to.
	ExceptionTotalMismatch = "total_mismatch"
	// ExceptionPriceVariance: a line's unit price is off the order's by more than the partner's tolerance.
	ExceptionPriceVariance = "price_variance"
)

// Event is a fact the invoice aggregate decided. Its JSON form (encoding/json) is the event's payload:
// quantities and amounts are decimal strings, instants RFC 3339 in UTC, and invoice_number and po_number
// sit at the top level, where the document timeline looks for them.
type Event interface {
	EventType() string
}

// InvoiceData is the payload of invoice.received.v1 and invoice.revised.v1: the whole invoice, its lines
// resolved to Odoo products and canonical units, with the partner's quantities and prices beside.
type InvoiceData struct {
	InvoiceNumber string    `json:"invoice_number"`
	InvoiceDate   time.Time `json:"invoice_date"`
	PONumber      string    `json:"po_number"`
	// Type is TypeDebit or TypeCredit.
	Type string `json:"type"`
	// Partner is the supplier that billed.
	Partner  string         `json:"partner"`
	Currency string         `json:"currency,omitempty"`
	Parties  []domain.Party `json:"parties,omitempty"`
	Terms    string         `json:"terms,omitempty"`
	Lines    []LineData     `json:"lines"`
	Charges  []Charge       `json:"charges,omitempty"`
	// Tax and Total are what the document states, optional.
	Tax   *decimal.Decimal `json:"tax,omitempty"`
	Total *decimal.Decimal `json:"total,omitempty"`
	// Computed is what the lines, charges, allowances and tax add up to; Reconciles whether the stated
	// total, if any, equals it to the cent.
	Computed   decimal.Decimal `json:"computed"`
	Reconciles bool            `json:"reconciles"`
	// Warnings lists what does not add up in the document as sent (Invoice.Warnings).
	Warnings []string `json:"warnings,omitempty"`
}

// LineData is one invoiced item in an event payload.
type LineData struct {
	LineNumber string         `json:"line_number"`
	Product    string         `json:"product"`
	ItemRef    domain.ItemRef `json:"item_ref"`
	POLine     string         `json:"po_line,omitempty"`
	// Quantity is canonical; PartnerQuantity as the supplier wrote it.
	Quantity        decimal.Decimal `json:"quantity"`
	Unit            string          `json:"unit"`
	PartnerQuantity decimal.Decimal `json:"partner_quantity"`
	PartnerUnit     string          `json:"partner_unit"`
	// UnitPrice is per canonical unit (rounded to 6 decimal places when the units differ);
	// PartnerUnitPrice per the supplier's unit, as written.
	UnitPrice        decimal.Decimal `json:"unit_price"`
	PartnerUnitPrice decimal.Decimal `json:"partner_unit_price"`
	// Amount is the line's amount: the stated one, else quantity × unit price as written.
	Amount decimal.Decimal `json:"amount"`
}

// Received records the first invoice with its number.
type Received struct {
	InvoiceData
}

// EventType implements Event.
func (Received) EventType() string { return EventReceived }

// Revised records a later invoice with the same number and other content. It carries the whole invoice.
type Revised struct {
	InvoiceData
	// Revision counts the invoice's versions: the first received is 1, so the first revision is 2.
	Revision int `json:"revision"`
}

// EventType implements Event.
func (Revised) EventType() string { return EventRevised }

// ExceptionRaised records something about an invoice that needs a person (finance). The invoice itself
// is recorded beside it, never dropped.
type ExceptionRaised struct {
	// Kind is one of the Exception* constants.
	Kind          string `json:"kind"`
	InvoiceNumber string `json:"invoice_number"`
	PONumber      string `json:"po_number"`
	// Line and Product name the invoice line, for a line exception.
	Line    string `json:"line,omitempty"`
	Product string `json:"product,omitempty"`
	// Stated and Computed are the totals of a total_mismatch.
	Stated   *decimal.Decimal `json:"stated,omitempty"`
	Computed *decimal.Decimal `json:"computed,omitempty"`
	// POPrice, InvoicedPrice (per canonical unit) and TolerancePercent are those of a price_variance.
	POPrice          *decimal.Decimal `json:"po_price,omitempty"`
	InvoicedPrice    *decimal.Decimal `json:"invoiced_price,omitempty"`
	TolerancePercent *decimal.Decimal `json:"tolerance_percent,omitempty"`
	Message          string           `json:"message"`
	// Revision is the invoice's version the exception was found in (1 for the first received).
	Revision int `json:"revision"`
}

// EventType implements Event.
func (ExceptionRaised) EventType() string { return EventExceptionRaised }
