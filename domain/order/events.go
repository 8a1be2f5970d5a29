package order

import (
	"time"

	"github.com/shopspring/decimal"

	"github.com/crossdock-hub/crossdock/domain"
)

// Event types with their schema version.
const (
	EventPlaced          = "order.placed.v1"
	EventChanged         = "order.changed.v1"
	EventAcknowledged    = "order.acknowledged.v1"
	EventShipped         = "order.shipped.v1"
	EventExceptionRaised = "order.exception_raised.v1"
	// EventFunctionalAckReceived is recorded on the stream of an EDI group we sent, not on an order's.
	EventFunctionalAckReceived = "edi.functional_ack_received.v1"
)

// ExceptionUnknownPO is the kind of the exception raised when a partner answers a purchase order that
// was never placed.
const ExceptionUnknownPO = "unknown_po"

// Event is a fact an order aggregate decided. Its JSON form (encoding/json) is the event's payload:
// quantities, prices and amounts are decimal strings, instants RFC 3339 in UTC, and the references
// (po_number, order_number, ack_number, tracking_number) sit at the top level, where the document
// timeline looks for them.
type Event interface {
	EventType() string
}

// OrderData is the payload of order.placed.v1 and order.changed.v1: the whole purchase order as placed,
// in canonical terms (Odoo products, canonical units).
type OrderData struct {
	PONumber string `json:"po_number"`
	// Purpose is "original", "replace" or "cancel", as the order says.
	Purpose string `json:"purpose,omitempty"`
	// Supplier is the partner ID the order is placed with.
	Supplier          string         `json:"supplier"`
	OrderDate         time.Time      `json:"order_date"`
	RequestedDelivery time.Time      `json:"requested_delivery,omitzero"`
	Currency          string         `json:"currency,omitempty"`
	Parties           []domain.Party `json:"parties,omitempty"`
	Lines             []LineData     `json:"lines"`
	// Total is the order total the document states, optional.
	Total *decimal.Decimal `json:"total,omitempty"`
}

// LineData is one ordered line in an event payload.
type LineData struct {
	LineNumber string `json:"line_number"`
	// Product is Odoo's default_code; ItemRef keeps the other identifiers the order gave.
	Product  string          `json:"product"`
	ItemRef  domain.ItemRef  `json:"item_ref"`
	Quantity decimal.Decimal `json:"quantity"`
	Unit     string          `json:"unit"`
	// UnitPrice is the price per Unit, optional; Currency is the price's when it names one.
	UnitPrice *decimal.Decimal `json:"unit_price,omitempty"`
	Currency  string           `json:"currency,omitempty"`
}

// Placed records a purchase order placed with a supplier.
type Placed struct {
	OrderData
}

// EventType implements Event.
func (Placed) EventType() string { return EventPlaced }

// Changed records a purchase order placed again with other content. It carries the whole order, not a
// diff.
type Changed struct {
	OrderData
	// Revision counts the order's versions: the first placed is 1, so the first change is 2.
	Revision int `json:"revision"`
}

// EventType implements Event.
func (Changed) EventType() string { return EventChanged }

// AckData is the payload of order.acknowledged.v1: a supplier's answer to a purchase order, its lines
// resolved to products and canonical units with the partner's own beside.
type AckData struct {
	PONumber string `json:"po_number"`
	// Partner is the supplier that answered.
	Partner string `json:"partner"`
	// AckType is the supplier's overall answer as sent (X12 BAK02, EDIFACT BGM 4343).
	AckType   string        `json:"ack_type"`
	Accepted  bool          `json:"accepted"`
	AckNumber string        `json:"ack_number,omitempty"`
	Date      time.Time     `json:"date,omitzero"`
	Lines     []AckLineData `json:"lines"`
}

// AckLineData is the supplier's answer for one line in an event payload.
type AckLineData struct {
	LineNumber string `json:"line_number"`
	// Product is empty when the supplier named no item (it answers by line number).
	Product string         `json:"product,omitempty"`
	ItemRef domain.ItemRef `json:"item_ref"`
	// Status is canonical (Line* constants); PartnerStatus is the code as sent.
	Status        string `json:"status"`
	PartnerStatus string `json:"partner_status"`
	// Quantity is what the supplier commits to, canonical; PartnerQuantity as written.
	Quantity        decimal.Decimal `json:"quantity"`
	Unit            string          `json:"unit"`
	PartnerQuantity decimal.Decimal `json:"partner_quantity"`
	PartnerUnit     string          `json:"partner_unit"`
	// Ordered is the quantity ordered as the supplier restates it, optional, canonical and as written.
	OrderedQuantity        *decimal.Decimal `json:"ordered_quantity,omitempty"`
	OrderedUnit            string           `json:"ordered_unit,omitempty"`
	PartnerOrderedQuantity *decimal.Decimal `json:"partner_ordered_quantity,omitempty"`
	PartnerOrderedUnit     string           `json:"partner_ordered_unit,omitempty"`
	// UnitPrice is per canonical unit; PartnerUnitPrice per the partner's unit, as written. Optional.
	UnitPrice        *decimal.Decimal `json:"unit_price,omitempty"`
	PartnerUnitPrice *decimal.Decimal `json:"partner_unit_price,omitempty"`
	Currency         string           `json:"currency,omitempty"`
	ScheduledDate    time.Time        `json:"scheduled_date,omitzero"`
}

// Acknowledged records a supplier's acknowledgment of a purchase order.
type Acknowledged struct {
	AckData
}

// EventType implements Event.
func (Acknowledged) EventType() string { return EventAcknowledged }

// ShippedData is the payload of order.shipped.v1: a warehouse's ship confirmation of an order.
type ShippedData struct {
	// OrderNumber is the warehouse order (940) the confirmation answers; PONumber the purchase order,
	// when given. At least one is set.
	OrderNumber string `json:"order_number,omitempty"`
	PONumber    string `json:"po_number,omitempty"`
	// Partner is the warehouse that shipped.
	Partner        string             `json:"partner"`
	ShipmentID     string             `json:"shipment_id,omitempty"`
	ShipDate       time.Time          `json:"ship_date"`
	CarrierSCAC    string             `json:"carrier_scac,omitempty"`
	TrackingNumber string             `json:"tracking_number,omitempty"`
	Warehouse      string             `json:"warehouse,omitempty"`
	Lines          []ShippedLineData  `json:"lines"`
	Parties        []domain.Party     `json:"parties,omitempty"`
	References     []domain.Reference `json:"references,omitempty"`
}

// ShippedLineData is one shipped item in an event payload.
type ShippedLineData struct {
	LineNumber string         `json:"line_number"`
	Product    string         `json:"product"`
	ItemRef    domain.ItemRef `json:"item_ref"`
	// Quantity is the quantity shipped, canonical; PartnerQuantity as written.
	Quantity               decimal.Decimal  `json:"quantity"`
	Unit                   string           `json:"unit"`
	PartnerQuantity        decimal.Decimal  `json:"partner_quantity"`
	PartnerUnit            string           `json:"partner_unit"`
	OrderedQuantity        *decimal.Decimal `json:"ordered_quantity,omitempty"`
	OrderedUnit            string           `json:"ordered_unit,omitempty"`
	PartnerOrderedQuantity *decimal.Decimal `json:"partner_ordered_quantity,omitempty"`
	PartnerOrderedUnit     string           `json:"partner_ordered_unit,omitempty"`
	Lot                    string           `json:"lot,omitempty"`
	SSCC                   string           `json:"sscc,omitempty"`
}

// Shipped records that a warehouse shipped (part of) an order.
type Shipped struct {
	ShippedData
}

// EventType implements Event.
func (Shipped) EventType() string { return EventShipped }

// ExceptionRaised records something about the order that needs a person, e.g. an acknowledgment of a
// purchase order that was never placed. The fact that caused it is recorded beside it, never dropped.
type ExceptionRaised struct {
	// Kind is ExceptionUnknownPO.
	Kind      string `json:"kind"`
	PONumber  string `json:"po_number"`
	AckNumber string `json:"ack_number,omitempty"`
	Partner   string `json:"partner,omitempty"`
	Message   string `json:"message"`
}

// EventType implements Event.
func (ExceptionRaised) EventType() string { return EventExceptionRaised }

// FunctionalAckData is the payload of edi.functional_ack_received.v1: a partner's syntax-level
// acknowledgment (X12 997, EDIFACT CONTRL) of an EDI group we sent.
type FunctionalAckData struct {
	Partner string `json:"partner"`
	// Standard is "x12" or "edifact".
	Standard string `json:"standard"`
	// GroupControlNumber is the acknowledged group's control number (X12 AK102, EDIFACT UCI).
	GroupControlNumber string `json:"group_control_number"`
	// GroupStatus is "accepted", "accepted_with_errors", "partially_accepted" or "rejected".
	GroupStatus string         `json:"group_status"`
	Sets        []AckedSetData `json:"sets"`
}

// AckedSetData is the acknowledgment of one transaction set or message in an event payload.
type AckedSetData struct {
	Code    string   `json:"code"`
	Control string   `json:"control"`
	Status  string   `json:"status"`
	Errors  []string `json:"errors,omitempty"`
}

// FunctionalAckReceived records a functional acknowledgment.
type FunctionalAckReceived struct {
	FunctionalAckData
}

// EventType implements Event.
func (FunctionalAckReceived) EventType() string { return EventFunctionalAckReceived }
