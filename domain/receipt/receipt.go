package receipt

import (
	"encoding/json"
	"errors"
	"fmt"

	"github.com/crossdock-hub/crossdock/domain"
	"github.com/crossdock-hub/crossdock/domain/order"
)

// StreamID names the stream of warehouse partner's receipt receiptNumber: receipt numbers are only
// unique per warehouse.
func StreamID(partner, receiptNumber string) string {
	return "receipt-" + partner + ":" + receiptNumber
}

// Aggregate is one receipt's aggregate: rebuilt from its stream with Apply, asked to decide with Receive.
// Exceptions raised beside a revision advance the version only.
type Aggregate struct {
	domain.Revisions[ReceiptData]
	// booked holds the revisions recorded as booked in Odoo.
	booked map[int]bool
}

// New returns a receipt with no history (an empty stream).
func New() *Aggregate {
	return &Aggregate{Revisions: domain.NewRevisions[ReceiptData](EventReceived, EventRevised), booked: map[int]bool{}}
}

// Apply folds one stored event into the receipt.
func (a *Aggregate) Apply(eventType string, data []byte) error {
	if eventType == EventBookedInOdoo {
		var d OdooBookingData
		if err := json.Unmarshal(data, &d); err != nil {
			return fmt.Errorf("apply %s at version %d: %w", eventType, a.Version()+1, err)
		}
		a.booked[d.Revision] = true
	}
	return a.Revisions.Apply(eventType, data)
}

// Receive decides what a warehouse's receipt means: Received the first time, Revised when its content
// differs from the one recorded, nothing when it is the same. po is the purchase order the receipt names
// (the zero View when it names none or the order is unknown). When the receipt is recorded, the rules
// check it against the order and raise exceptions beside it:
//
//   - the receipt names a PO that was never placed: unknown_po;
//   - a line received a product that is not on the PO: unknown_po_line, one per line.
//
// A receipt that names no PO (only an ASN) is not checked.
func (a *Aggregate) Receive(d ReceiptData, po order.View) ([]Event, error) {
	if d.ReceiptNumber == "" {
		return nil, errors.New("receive receipt: no receipt number")
	}
	cur, ok := a.Current()
	if ok && cur.ReceiptNumber != d.ReceiptNumber {
		return nil, fmt.Errorf("receipt %s sent to the stream of receipt %s", d.ReceiptNumber, cur.ReceiptNumber)
	}
	var events []Event
	revision := a.Revision() + 1
	switch {
	case !ok:
		events = append(events, Received{ReceiptData: d})
	default:
		same, err := sameContent(cur, d)
		if err != nil || same {
			return nil, err
		}
		events = append(events, Revised{ReceiptData: d, Revision: revision})
	}
	return append(events, exceptions(d, po, revision)...), nil
}

func exceptions(d ReceiptData, po order.View, revision int) []Event {
	if d.PONumber == "" {
		return nil
	}
	if !po.Found {
		return []Event{ExceptionRaised{
			Kind: ExceptionUnknownPO, ReceiptNumber: d.ReceiptNumber, PONumber: d.PONumber, Revision: revision,
			Message: fmt.Sprintf("receipt %s names purchase order %s, which was never placed", d.ReceiptNumber, d.PONumber),
		}}
	}
	var events []Event
	for _, l := range d.Lines {
		if po.HasProduct(l.Product) {
			continue
		}
		events = append(events, ExceptionRaised{
			Kind: ExceptionUnknownPOLine, ReceiptNumber: d.ReceiptNumber, PONumber: d.PONumber,
			Line: l.LineNumber, Product: l.Product, Revision: revision,
			Message: fmt.Sprintf("receipt %s line %s received %s, which is not on purchase order %s",
				d.ReceiptNumber, l.LineNumber, l.Product, d.PONumber),
		})
	}
	return events
}

// sameContent compares two payloads by their canonical JSON: instants are UTC and decimals carry no
// trailing zeros in payloads, so equal content encodes equally.
func sameContent(a, b any) (bool, error) {
	ja, err := json.Marshal(a)
	if err != nil {
		return false, fmt.Errorf("encode content: %w", err)
	}
	jb, err := json.Marshal(b)
	if err != nil {
		return false, fmt.Errorf("encode content: %w", err)
	}
	return string(ja) == string(jb), nil
}
