// Package order is the aggregate of one purchase order, stream "order-po:<po_number>": the order as
// placed with the supplier (from Odoo, or sent as an X12 850 / EDIFACT ORDERS), the supplier's
// acknowledgments, the functional acknowledgments of the EDI it was sent as, and, for orders fulfilled by
// a 3PL, the warehouse order (940) and its ship confirmation (945).
package order

import (
	"time"

	"github.com/crossdock-hub/crossdock/domain"
)

// Line is one ordered item.
type Line struct {
	// Number is the PO line number (X12 PO101, EDIFACT LIN 1) as a string: partners use "1", "0001", "A".
	Number    string          `json:"line_number"`
	Item      domain.ItemRef  `json:"item"`
	Quantity  domain.Quantity `json:"quantity"`
	UnitPrice *domain.Money   `json:"unit_price,omitempty"`
}

// Purposes of a purchase order.
const (
	PurposeOriginal = "original"
	PurposeReplace  = "replace"
	PurposeCancel   = "cancel"
)

// PurchaseOrder is an order placed with a supplier.
type PurchaseOrder struct {
	PONumber string `json:"po_number"`
	// Purpose is "original", "replace" or "cancel".
	Purpose           string         `json:"purpose,omitempty"`
	OrderDate         time.Time      `json:"order_date"`
	RequestedDelivery time.Time      `json:"requested_delivery,omitzero"`
	Currency          string         `json:"currency,omitempty"`
	Supplier          string         `json:"supplier,omitempty"`
	Parties           []domain.Party `json:"parties,omitempty"`
	Lines             []Line         `json:"lines"`
	// Total is the order total the document states (X12 AMT, EDIFACT MOA), optional.
	Total *domain.Money `json:"total,omitempty"`
}

// Kind implements domain.Document.
func (PurchaseOrder) Kind() string { return domain.KindPurchaseOrder }

// Line statuses of an acknowledgment, canonical (X12 ACK01 and EDIFACT ORDRSP LIN 1229 map onto them).
const (
	LineAccepted    = "accepted"    // IA, and EDIFACT 5 (accepted without amendment)
	LineBackordered = "backordered" // IB
	LineChanged     = "changed"     // IC, IQ, IP, IS: accepted with a change of quantity, price, date...
	LineRejected    = "rejected"    // IR, R1..R4, and EDIFACT 7 (not accepted)
	LineOther       = "other"       // any code with no canonical meaning; PartnerStatus keeps it
)

// Acknowledgment is a supplier's answer to a purchase order (X12 855, EDIFACT ORDRSP).
type Acknowledgment struct {
	PONumber string `json:"po_number"`
	// AckType is the supplier's overall answer as sent (X12 BAK02: AC, AD, AK, RJ; EDIFACT BGM 4343).
	AckType string `json:"ack_type"`
	// Accepted is false when the supplier rejected the whole order.
	Accepted bool `json:"accepted"`
	// AckNumber is the supplier's own reference for its acknowledgment, optional.
	AckNumber string    `json:"ack_number,omitempty"`
	Date      time.Time `json:"date,omitzero"`
	Lines     []AckLine `json:"lines"`
}

// Kind implements domain.Document.
func (Acknowledgment) Kind() string { return domain.KindOrderAck }

// AckLine is the supplier's answer for one PO line.
type AckLine struct {
	Number string         `json:"line_number"`
	Item   domain.ItemRef `json:"item"`
	// Status is canonical (Line* constants); PartnerStatus is the code as sent.
	Status        string          `json:"status"`
	PartnerStatus string          `json:"partner_status"`
	Ordered       domain.Quantity `json:"ordered,omitzero"`
	// Quantity is the quantity the supplier commits to for this status.
	Quantity      domain.Quantity `json:"quantity"`
	UnitPrice     *domain.Money   `json:"unit_price,omitempty"`
	ScheduledDate time.Time       `json:"scheduled_date,omitzero"`
}

// ShipConfirmation is a warehouse's advice that it shipped an order (X12 945, a CSV ship confirmation).
type ShipConfirmation struct {
	// OrderNumber is the depositor order number: the warehouse order (940) it answers.
	OrderNumber string    `json:"order_number"`
	PONumber    string    `json:"po_number,omitempty"`
	ShipmentID  string    `json:"shipment_id,omitempty"`
	ShipDate    time.Time `json:"ship_date"`
	CarrierSCAC string    `json:"carrier_scac,omitempty"`
	// TrackingNumber is the carrier's tracking number or bill of lading, optional.
	TrackingNumber string             `json:"tracking_number,omitempty"`
	Warehouse      string             `json:"warehouse,omitempty"`
	Lines          []ShipmentLine     `json:"lines"`
	Parties        []domain.Party     `json:"parties,omitempty"`
	References     []domain.Reference `json:"references,omitempty"`
}

// Kind implements domain.Document.
func (ShipConfirmation) Kind() string { return domain.KindShipConfirmation }

// ShipmentLine is one item shipped by a warehouse.
type ShipmentLine struct {
	Number  string          `json:"line_number"`
	Item    domain.ItemRef  `json:"item"`
	Ordered domain.Quantity `json:"ordered,omitzero"`
	Shipped domain.Quantity `json:"shipped"`
	Lot     string          `json:"lot,omitempty"`
	SSCC    string          `json:"sscc,omitempty"`
}

// WarehouseOrder asks a 3PL to ship an order (X12 940).
type WarehouseOrder struct {
	OrderNumber   string       `json:"order_number"`
	PONumber      string       `json:"po_number,omitempty"`
	Warehouse     string       `json:"warehouse,omitempty"`
	ShipTo        domain.Party `json:"ship_to"`
	CarrierSCAC   string       `json:"carrier_scac,omitempty"`
	RequestedShip time.Time    `json:"requested_ship,omitzero"`
	Lines         []Line       `json:"lines"`
}

// Kind implements domain.Document.
func (WarehouseOrder) Kind() string { return domain.KindWarehouseOrder }

// FunctionalAck is a partner's syntax-level acknowledgment of EDI we sent (X12 997, EDIFACT CONTRL).
type FunctionalAck struct {
	// Standard is "x12" or "edifact".
	Standard string `json:"standard"`
	// GroupControl is the acknowledged group's control number (X12 AK102, EDIFACT UCI interchange ref).
	GroupControl string `json:"group_control"`
	// GroupStatus is "accepted", "accepted_with_errors", "partially_accepted" or "rejected".
	GroupStatus string     `json:"group_status"`
	Sets        []AckedSet `json:"sets"`
}

// Kind implements domain.Document.
func (FunctionalAck) Kind() string { return domain.KindFunctionalAck }

// AckedSet is the acknowledgment of one transaction set or message.
type AckedSet struct {
	Code    string `json:"code"`    // "850", "ORDERS"
	Control string `json:"control"` // ST02 / UNH01
	// Status is "accepted", "accepted_with_errors" or "rejected".
	Status string   `json:"status"`
	Errors []string `json:"errors,omitempty"`
}
