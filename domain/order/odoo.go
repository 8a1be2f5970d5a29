package order

import (
	"errors"
	"time"
)

// What Odoo was told of a warehouse's shipment, and what it answered: recorded on the order's stream
// beside the shipment.
const (
	EventDeliveryBookedInOdoo = "order.delivery_booked_in_odoo.v1"
	EventOdooDeliveryFailed   = "order.odoo_delivery_failed.v1"
)

// Odoo booking outcomes of a shipment.
const (
	DeliveryValidated   = "validated"
	DeliveryAlreadyDone = "already_done"
)

// DeliveryBookingData is the payload of order.delivery_booked_in_odoo.v1: a warehouse's shipment booked
// on the sales order's delivery in Odoo.
type DeliveryBookingData struct {
	OrderNumber string `json:"order_number,omitempty"`
	PONumber    string `json:"po_number,omitempty"`
	Partner     string `json:"partner"`
	ShipmentID  string `json:"shipment_id,omitempty"`
	// Reference identifies the shipment when the warehouse gave no shipment ID (one per 945).
	Reference string `json:"reference,omitempty"`
	// Outcome is DeliveryValidated or DeliveryAlreadyDone.
	Outcome        string    `json:"outcome"`
	Picking        string    `json:"picking"`
	Backorder      string    `json:"backorder,omitempty"`
	TrackingNumber string    `json:"tracking_number,omitempty"`
	DoneAt         time.Time `json:"done_at,omitzero"`
}

// DeliveryBookedInOdoo records a shipment booked in Odoo.
type DeliveryBookedInOdoo struct {
	DeliveryBookingData
}

// EventType implements Event.
func (DeliveryBookedInOdoo) EventType() string { return EventDeliveryBookedInOdoo }

// DeliveryFailedData is the payload of order.odoo_delivery_failed.v1: Odoo did not take the shipment
// (no such order, a product not on its delivery, Odoo's refusal); retrying as it is would not help.
type DeliveryFailedData struct {
	OrderNumber string `json:"order_number,omitempty"`
	PONumber    string `json:"po_number,omitempty"`
	Partner     string `json:"partner"`
	ShipmentID  string `json:"shipment_id,omitempty"`
	Reason      string `json:"reason"`
}

// OdooDeliveryFailed records a shipment Odoo did not take: a dead letter.
type OdooDeliveryFailed struct {
	DeliveryFailedData
}

// EventType implements Event.
func (OdooDeliveryFailed) EventType() string { return EventOdooDeliveryFailed }

// deliveryKey identifies the warehouse shipment a booking is about.
func (d DeliveryBookingData) deliveryKey() string {
	if d.ShipmentID == "" {
		return d.Partner + "\x00ref:" + d.Reference
	}
	return d.Partner + "\x00" + d.ShipmentID
}

// RecordOdooDelivery decides what Odoo's answer about a shipment means: each answer is a fact of its
// own, but Odoo saying again that a shipment already recorded as booked is done decides nothing (a
// re-drive of the log adds nothing to it). Exactly one of booked and failed is given.
func (o *Order) RecordOdooDelivery(booked *DeliveryBookingData, failed *DeliveryFailedData) ([]Event, error) {
	if (booked == nil) == (failed == nil) {
		return nil, errors.New("record odoo delivery: give the booking or the failure")
	}
	if booked != nil {
		if booked.Outcome == DeliveryAlreadyDone && o.delivered[booked.deliveryKey()] {
			return nil, nil
		}
		return []Event{DeliveryBookedInOdoo{DeliveryBookingData: *booked}}, nil
	}
	return []Event{OdooDeliveryFailed{DeliveryFailedData: *failed}}, nil
}

// EventOdooDeliveryDeferred records that Odoo could not be reached when a shipment was to be booked: the
// workflow waits and tries again.
const EventOdooDeliveryDeferred = "order.odoo_delivery_deferred.v1"

// DeliveryDeferredData is the payload of order.odoo_delivery_deferred.v1.
type DeliveryDeferredData struct {
	OrderNumber string `json:"order_number,omitempty"`
	Partner     string `json:"partner"`
	ShipmentID  string `json:"shipment_id,omitempty"`
	Reference   string `json:"reference,omitempty"`
	Reason      string `json:"reason"`
}

// OdooDeliveryDeferred records a shipment's booking put off until Odoo answers.
type OdooDeliveryDeferred struct {
	DeliveryDeferredData
}

// EventType implements Event.
func (OdooDeliveryDeferred) EventType() string { return EventOdooDeliveryDeferred }

// DeferOdooDelivery decides what Odoo not answering means: a deferral, unless the shipment is already
// booked.
func (o *Order) DeferOdooDelivery(d DeliveryDeferredData) ([]Event, error) {
	if o.delivered[DeliveryBookingData{Partner: d.Partner, ShipmentID: d.ShipmentID, Reference: d.Reference}.deliveryKey()] {
		return nil, nil
	}
	return []Event{OdooDeliveryDeferred{DeliveryDeferredData: d}}, nil
}
