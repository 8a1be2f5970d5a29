package commands

import (
	"context"
	"strconv"

	"github.com/crossdock-hub/crossdock/domain"
	"github.com/crossdock-hub/crossdock/domain/receipt"
)

// receiveReceipt records a warehouse's receipt on "receipt-<partner>:<receipt number>":
// receipt.received.v1, receipt.revised.v1 for other content under the same number, nothing for the same,
// and receipt.exception_raised.v1 beside it for an unknown PO or a product not on the PO.
func (h *DocumentHandler) receiveReceipt(ctx context.Context, msg Message, rc receipt.Receipt) (DocumentResult, error) {
	r := newResolver(h.crosswalk, msg.PartnerID, domain.KindReceipt)
	r.identifier("/receipt_number", rc.ReceiptNumber, true)
	r.identifier("/po_number", rc.PONumber, false)
	r.identifier("/asn_number", rc.ASNNumber, false)
	if rc.PONumber == "" && rc.ASNNumber == "" {
		r.violate("/po_number", "is required when there is no asn_number")
	}
	if rc.ReceivedAt.IsZero() {
		r.violate("/received_at", "is required")
	}
	if len(rc.Lines) == 0 {
		r.violate("/lines", "must have at least one line")
	}
	d := receipt.ReceiptData{
		ReceiptNumber: rc.ReceiptNumber, PONumber: rc.PONumber, ASNNumber: rc.ASNNumber, Partner: msg.PartnerID,
		Warehouse: rc.Warehouse, ReceivedAt: rc.ReceivedAt.UTC(), References: rc.References,
		Lines: make([]receipt.LineData, len(rc.Lines)),
	}
	for i, l := range rc.Lines {
		p := "/lines/" + strconv.Itoa(i)
		ld := receipt.LineData{
			LineNumber: l.Number, Product: r.item(p+"/item", l.Item, true), ItemRef: l.Item, POLine: l.POLine,
			PartnerQuantity: l.Received.Amount, PartnerUnit: l.Received.Unit, Lot: l.Lot, Exceptions: l.Exceptions,
		}
		if q, ok := r.quantity(p+"/received", l.Received, true); ok {
			ld.Quantity, ld.Unit = q.Amount, q.Unit
		}
		if !l.Damaged.IsZero() {
			ld.PartnerDamagedQuantity, ld.PartnerDamagedUnit = optional(l.Damaged, true)
			ld.DamagedQuantity, ld.DamagedUnit = optional(r.quantity(p+"/damaged", l.Damaged, false))
		}
		d.Lines[i] = ld
	}
	if err := r.err(); err != nil {
		return DocumentResult{}, err
	}
	po, err := h.orderView(ctx, rc.PONumber)
	if err != nil {
		return DocumentResult{}, err
	}
	res, err := record(ctx, &h.rec, write[*receipt.Aggregate]{
		stream:     receipt.StreamID(msg.PartnerID, rc.ReceiptNumber),
		key:        msg.Key,
		msg:        msg,
		occurredAt: d.ReceivedAt,
		fresh:      receipt.New,
		decide: func(a *receipt.Aggregate) ([]event, string, error) {
			events, err := asEvents(a.Receive(d, po))
			return events, OutcomeUnchanged, err
		},
	})
	return one(domain.KindReceipt, res, err)
}
