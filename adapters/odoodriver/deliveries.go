package odoodriver

import "context"

// Delivery is a warehouse's confirmation that it shipped (part of) a sales order (its 945), in Odoo's
// terms.
type Delivery struct {
	// Partner and Reference identify the warehouse's shipment: the external ID
	// crossdock.delivery_<partner>_<reference> ties it to the picking it was booked on.
	Partner, Reference string
	// Order is the sales order's name in Odoo (e.g. S00042): the warehouse order it was sent as.
	Order string
	Lines []Line
	// TrackingRef is the carrier's tracking number, written as the picking's carrier_tracking_ref.
	TrackingRef string
	// Backorder keeps what was not shipped on a backorder; false closes the delivery short.
	Backorder bool
}

// DeliveryExternalID is the name (within Module) of the external ID that ties a warehouse's shipment to
// its picking.
func DeliveryExternalID(partner, reference string) string {
	return externalID("delivery", partner, reference)
}

// ValidateDelivery books a warehouse's shipment on the sales order's open outgoing picking: done
// quantities, the carrier's tracking reference, then button_validate with the backorder decision.
// Idempotent as ValidateReceipt is: the picking is tied to the shipment (an external ID) before anything
// is written, and a done picking answers AlreadyDone.
func (d *Driver) ValidateDelivery(ctx context.Context, del Delivery) (Outcome, error) {
	return d.book(ctx, d.delivery(del))
}

// PlanDelivery says what ValidateDelivery would do, writing nothing, as PlanReceipt does.
func (d *Driver) PlanDelivery(ctx context.Context, del Delivery) (Outcome, error) {
	b := d.delivery(del)
	b.plan = true
	return d.book(ctx, b)
}

func (d *Driver) delivery(del Delivery) booking {
	b := booking{what: "shipment " + del.Reference, xmlid: DeliveryExternalID(del.Partner, del.Reference), lines: quantities(del.Lines),
		backorder: del.Backorder, open: func(ctx context.Context) (int64, error) {
			return d.openPicking(ctx, "sale.order", del.Order, "outgoing")
		}}
	if del.TrackingRef != "" {
		b.before = map[string]any{"carrier_tracking_ref": del.TrackingRef}
	}
	return b
}
