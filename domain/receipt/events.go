package receipt

import (
	"time"

	"github.com/shopspring/decimal"

	"github.com/crossdock-hub/crossdock/domain"
)

// Event types with their schema version.
const (
	EventReceived        = "receipt.received.v1"
	EventRevised         = "receipt.revised.v1"
	EventExceptionRaised = "receipt.exception_raised.v1"
)

// Exception kinds.
const (
	// ExceptionUnknownPO: the receipt names a purchase order that was never placed.
	ExceptionUnknownPO = "unknown_po"
	// ExceptionUnknownPOLine: a line received a product that is not on the purchase order.
	ExceptionUnknownPOLine = "unknown_po_line"
)

// Event is a fact the receipt aggregate decided. Its JSON form (encoding/json) is the event's payload:
// quantities are decimal strings, instants RFC 3339 in UTC, and receipt_number, po_number and asn_number
// sit at the top level, where the document timeline looks for them.
type Event interface {
	EventType() string
}

// ReceiptData is the payload of receipt.received.v1 and receipt.revised.v1: the whole receipt, each line
// resolved to an Odoo product and canonical units, with the quantities as the warehouse wrote them beside.
type ReceiptData struct {
	ReceiptNumber string `json:"receipt_number"`
	PONumber      string `json:"po_number,omitempty"`
	ASNNumber     string `json:"asn_number,omitempty"`
	// Partner is the warehouse that received.
	Partner    string             `json:"partner"`
	Warehouse  string             `json:"warehouse,omitempty"`
	ReceivedAt time.Time          `json:"received_at"`
	Lines      []LineData         `json:"lines"`
	References []domain.Reference `json:"references,omitempty"`
}

// LineData is one received item in an event payload.
type LineData struct {
	LineNumber string `json:"line_number"`
	Product    string `json:"product"`
	// ItemRef is the item as the warehouse named it.
	ItemRef domain.ItemRef `json:"item_ref"`
	POLine  string         `json:"po_line,omitempty"`
	// Quantity is the quantity received in canonical units; PartnerQuantity as the warehouse wrote it.
	Quantity        decimal.Decimal `json:"quantity"`
	Unit            string          `json:"unit"`
	PartnerQuantity decimal.Decimal `json:"partner_quantity"`
	PartnerUnit     string          `json:"partner_unit"`
	// Damaged is the part of Quantity not usable, optional, canonical and as written.
	DamagedQuantity        *decimal.Decimal `json:"damaged_quantity,omitempty"`
	DamagedUnit            string           `json:"damaged_unit,omitempty"`
	PartnerDamagedQuantity *decimal.Decimal `json:"partner_damaged_quantity,omitempty"`
	PartnerDamagedUnit     string           `json:"partner_damaged_unit,omitempty"`
	Lot                    string           `json:"lot,omitempty"`
	// Exceptions are the warehouse's exception codes as sent (X12 W13).
	Exceptions []string `json:"exceptions,omitempty"`
}

// Received records the first receipt with its number.
type Received struct {
	ReceiptData
}

// EventType implements Event.
func (Received) EventType() string { return EventReceived }

// Revised records a later receipt with the same number and other content. It carries the whole receipt.
type Revised struct {
	ReceiptData
	// Revision counts the receipt's versions: the first received is 1, so the first revision is 2.
	Revision int `json:"revision"`
}

// EventType implements Event.
func (Revised) EventType() string { return EventRevised }

// ExceptionRaised records something about a receipt that needs a person. The receipt itself is recorded
// beside it, never dropped.
type ExceptionRaised struct {
	// Kind is ExceptionUnknownPO or ExceptionUnknownPOLine.
	Kind          string `json:"kind"`
	ReceiptNumber string `json:"receipt_number"`
	PONumber      string `json:"po_number,omitempty"`
	// Line and Product name the receipt line, for a line exception.
	Line    string `json:"line,omitempty"`
	Product string `json:"product,omitempty"`
	Message string `json:"message"`
	// Revision is the receipt's version the exception was found in (1 for the first received).
	Revision int `json:"revision"`
}

// EventType implements Event.
func (ExceptionRaised) EventType() string { return EventExceptionRaised }
