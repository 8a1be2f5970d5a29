package commands

import (
	"context"
	"strconv"

	"github.com/crossdock-hub/crossdock/domain"
	"github.com/crossdock-hub/crossdock/domain/order"
)

// receiveShipConfirmation records a warehouse's ship confirmation as order.shipped.v1 on the order it
// fulfils: "order-po:<po>" when it names the purchase order, else "order-wo:<order number>" (the
// warehouse order it answers). The same confirmation again records nothing.
func (h *DocumentHandler) receiveShipConfirmation(ctx context.Context, msg Message, sc order.ShipConfirmation) (DocumentResult, error) {
	r := newResolver(h.crosswalk, msg.PartnerID, domain.KindShipConfirmation)
	r.identifier("/order_number", sc.OrderNumber, sc.PONumber == "")
	r.identifier("/po_number", sc.PONumber, false)
	r.identifier("/tracking_number", sc.TrackingNumber, false)
	if sc.ShipDate.IsZero() {
		r.violate("/ship_date", "is required")
	}
	if len(sc.Lines) == 0 {
		r.violate("/lines", "must have at least one line")
	}
	d := order.ShippedData{
		OrderNumber: sc.OrderNumber, PONumber: sc.PONumber, Partner: msg.PartnerID, ShipmentID: sc.ShipmentID,
		ShipDate: sc.ShipDate.UTC(), CarrierSCAC: sc.CarrierSCAC, TrackingNumber: sc.TrackingNumber,
		Warehouse: sc.Warehouse, Parties: sc.Parties, References: sc.References,
		Lines: make([]order.ShippedLineData, len(sc.Lines)),
	}
	for i, l := range sc.Lines {
		p := "/lines/" + strconv.Itoa(i)
		ld := order.ShippedLineData{
			LineNumber: l.Number, Product: r.item(p+"/item", l.Item, true), ItemRef: l.Item,
			PartnerQuantity: l.Shipped.Amount, PartnerUnit: l.Shipped.Unit, Lot: l.Lot, SSCC: l.SSCC,
		}
		if q, ok := r.quantity(p+"/shipped", l.Shipped, true); ok {
			ld.Quantity, ld.Unit = q.Amount, q.Unit
		}
		if !l.Ordered.IsZero() {
			ld.PartnerOrderedQuantity, ld.PartnerOrderedUnit = optional(l.Ordered, true)
			ld.OrderedQuantity, ld.OrderedUnit = optional(r.quantity(p+"/ordered", l.Ordered, false))
		}
		d.Lines[i] = ld
	}
	if err := r.err(); err != nil {
		return DocumentResult{}, err
	}
	stream := order.WarehouseOrderStreamID(sc.OrderNumber)
	if sc.PONumber != "" {
		stream = order.POStreamID(sc.PONumber)
	}
	res, err := record(ctx, &h.rec, write[*order.Order]{
		stream:     stream,
		key:        msg.Key,
		msg:        msg,
		occurredAt: d.ShipDate,
		fresh:      order.New,
		decide: func(o *order.Order) ([]event, string, error) {
			events, err := asEvents(o.Ship(d))
			return events, OutcomeUnchanged, err
		},
	})
	return one(domain.KindShipConfirmation, res, err)
}
