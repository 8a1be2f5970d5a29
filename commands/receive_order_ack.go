package commands

import (
	"context"
	"strconv"

	"github.com/crossdock-hub/crossdock/domain"
	"github.com/crossdock-hub/crossdock/domain/order"
)

// receiveOrderAck records a supplier's acknowledgment as order.acknowledged.v1 on "order-po:<po>", with
// order.exception_raised.v1 (unknown_po) beside it when the order was never placed. A line may name no
// item (the supplier answers by line number); when it names one, it must resolve.
func (h *DocumentHandler) receiveOrderAck(ctx context.Context, msg Message, ack order.Acknowledgment) (DocumentResult, error) {
	r := newResolver(h.crosswalk, msg.PartnerID, domain.KindOrderAck)
	r.identifier("/po_number", ack.PONumber, true)
	r.identifier("/ack_number", ack.AckNumber, false)
	d := order.AckData{
		PONumber: ack.PONumber, Partner: msg.PartnerID, AckType: ack.AckType, Accepted: ack.Accepted,
		AckNumber: ack.AckNumber, Date: ack.Date.UTC(), Lines: make([]order.AckLineData, len(ack.Lines)),
	}
	for i, l := range ack.Lines {
		p := "/lines/" + strconv.Itoa(i)
		if l.Status == "" {
			r.violate(p+"/status", "is required")
		}
		ld := order.AckLineData{
			LineNumber: l.Number, Product: r.item(p+"/item", l.Item, false), ItemRef: l.Item,
			Status: l.Status, PartnerStatus: l.PartnerStatus,
			PartnerQuantity: l.Quantity.Amount, PartnerUnit: l.Quantity.Unit, ScheduledDate: l.ScheduledDate.UTC(),
		}
		if q, ok := r.quantity(p+"/quantity", l.Quantity, true); ok {
			ld.Quantity, ld.Unit = q.Amount, q.Unit
		}
		if !l.Ordered.IsZero() {
			ld.PartnerOrderedQuantity, ld.PartnerOrderedUnit = optional(l.Ordered, true)
			ld.OrderedQuantity, ld.OrderedUnit = optional(r.quantity(p+"/ordered", l.Ordered, false))
		}
		if l.UnitPrice != nil {
			partnerPrice := l.UnitPrice.Amount
			ld.PartnerUnitPrice, ld.Currency = &partnerPrice, l.UnitPrice.Currency
			price := partnerPrice
			if l.Quantity.Unit != "" {
				price = r.price(partnerPrice, l.Quantity.Unit)
			}
			ld.UnitPrice = &price
		}
		d.Lines[i] = ld
	}
	if err := r.err(); err != nil {
		return DocumentResult{}, err
	}
	res, err := record(ctx, &h.rec, write[*order.Order]{
		stream:     order.POStreamID(ack.PONumber),
		key:        msg.Key,
		msg:        msg,
		occurredAt: d.Date,
		fresh:      order.New,
		decide: func(o *order.Order) ([]event, string, error) {
			events, err := asEvents(o.Acknowledge(d))
			return events, OutcomeUnchanged, err
		},
	})
	return one(domain.KindOrderAck, res, err)
}
