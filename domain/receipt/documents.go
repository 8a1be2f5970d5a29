// Package receipt is the aggregate of one warehouse receipt, stream "receipt-<warehouse partner>:<receipt
// number>": what a warehouse says it physically received, against which purchase order or ASN.
package receipt

import (
	"time"

	"github.com/crossdock-hub/crossdock/domain"
)

// Receipt is a warehouse's receipt advice (X12 944, a CSV receipt, the JSON API).
type Receipt struct {
	// ReceiptNumber is the warehouse's receipt number (X12 W1703), the receipt's key.
	ReceiptNumber string `json:"receipt_number"`
	// PONumber and ASNNumber are what the receipt was made against (X12 W1704 depositor order number,
	// N9 references); at least one is given.
	PONumber   string             `json:"po_number,omitempty"`
	ASNNumber  string             `json:"asn_number,omitempty"`
	Warehouse  string             `json:"warehouse,omitempty"`
	ReceivedAt time.Time          `json:"received_at"`
	Lines      []Line             `json:"lines"`
	References []domain.Reference `json:"references,omitempty"`
}

// Kind implements domain.Document.
func (Receipt) Kind() string { return domain.KindReceipt }

// Line is one item received.
type Line struct {
	Number string         `json:"line_number"`
	Item   domain.ItemRef `json:"item"`
	// POLine is the purchase order line received against, optional.
	POLine   string          `json:"po_line,omitempty"`
	Received domain.Quantity `json:"received"`
	// Damaged is the part of Received not usable (X12 W13 damaged), optional.
	Damaged domain.Quantity `json:"damaged,omitzero"`
	Lot     string          `json:"lot,omitempty"`
	// Exceptions are the warehouse's exception codes for the line as sent (X12 W13: overage, shortage...).
	Exceptions []string `json:"exceptions,omitempty"`
}
