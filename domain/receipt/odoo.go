package receipt

import (
	"errors"
	"time"
)

// What Odoo was told of a receipt, and what it answered: recorded on the receipt's stream, so that the
// document timeline shows it beside the warehouse's receipt.
const (
	EventBookedInOdoo      = "receipt.booked_in_odoo.v1"
	EventOdooBookingFailed = "receipt.odoo_booking_failed.v1"
)

// Odoo booking outcomes.
const (
	// BookingValidated: the receipt was booked now, its picking validated.
	BookingValidated = "validated"
	// BookingAlreadyDone: an earlier run had booked it; nothing was written.
	BookingAlreadyDone = "already_done"
)

// OdooBookingData is the payload of receipt.booked_in_odoo.v1: the receipt booked on Odoo's incoming
// picking.
type OdooBookingData struct {
	ReceiptNumber string `json:"receipt_number"`
	PONumber      string `json:"po_number,omitempty"`
	Partner       string `json:"partner"`
	// Revision is the version of the receipt booked (1 for the first received).
	Revision int `json:"revision"`
	// Outcome is BookingValidated or BookingAlreadyDone.
	Outcome string `json:"outcome"`
	// Picking is the picking the receipt was booked on; Backorder the one holding what did not arrive.
	Picking   string    `json:"picking"`
	Backorder string    `json:"backorder,omitempty"`
	DoneAt    time.Time `json:"done_at,omitzero"`
}

// BookedInOdoo records a receipt booked on Odoo.
type BookedInOdoo struct {
	OdooBookingData
}

// EventType implements Event.
func (BookedInOdoo) EventType() string { return EventBookedInOdoo }

// OdooBookingFailedData is the payload of receipt.odoo_booking_failed.v1: Odoo refused the receipt, or it
// cannot be booked there (its order or a product is not in Odoo); retrying as it is would not help.
type OdooBookingFailedData struct {
	ReceiptNumber string `json:"receipt_number"`
	PONumber      string `json:"po_number,omitempty"`
	Partner       string `json:"partner"`
	Revision      int    `json:"revision"`
	// Reason is Odoo's message, or why the receipt could not be booked.
	Reason string `json:"reason"`
}

// OdooBookingFailed records a receipt Odoo did not take: a dead letter, to retry once the cause is fixed.
type OdooBookingFailed struct {
	OdooBookingFailedData
}

// EventType implements Event.
func (OdooBookingFailed) EventType() string { return EventOdooBookingFailed }

// RecordOdooBooking decides what Odoo's answer about the receipt means: each answer is a fact of its
// own (a retry that finds the receipt booked, after a run that stopped before recording it, is recorded
// too, so the timeline shows it), but Odoo saying again that a revision already recorded as booked is
// done decides nothing: a re-drive of the log adds nothing to it. Exactly one of booked and failed is
// given.
func (a *Aggregate) RecordOdooBooking(booked *OdooBookingData, failed *OdooBookingFailedData) ([]Event, error) {
	if (booked == nil) == (failed == nil) {
		return nil, errors.New("record odoo booking: give the booking or the failure")
	}
	if _, ok := a.Current(); !ok {
		return nil, errors.New("record odoo booking: the receipt was never received")
	}
	if booked != nil {
		if booked.Outcome == BookingAlreadyDone && a.booked[booked.Revision] {
			return nil, nil
		}
		return []Event{BookedInOdoo{OdooBookingData: *booked}}, nil
	}
	return []Event{OdooBookingFailed{OdooBookingFailedData: *failed}}, nil
}

// EventOdooBookingDeferred records that Odoo could not be reached (or was busy) when the receipt was to
// be booked: the workflow waits and tries again, and the timeline shows it.
const EventOdooBookingDeferred = "receipt.odoo_booking_deferred.v1"

// OdooDeferredData is the payload of receipt.odoo_booking_deferred.v1.
type OdooDeferredData struct {
	ReceiptNumber string `json:"receipt_number"`
	Partner       string `json:"partner"`
	Revision      int    `json:"revision"`
	// Reason is why Odoo did not answer (down, a timeout, a lock).
	Reason string `json:"reason"`
}

// OdooBookingDeferred records a booking put off until Odoo answers.
type OdooBookingDeferred struct {
	OdooDeferredData
}

// EventType implements Event.
func (OdooBookingDeferred) EventType() string { return EventOdooBookingDeferred }

// DeferOdooBooking decides what Odoo not answering means: a deferral, unless the revision is already
// booked (a re-drive while Odoo is down).
func (a *Aggregate) DeferOdooBooking(d OdooDeferredData) ([]Event, error) {
	if _, ok := a.Current(); !ok {
		return nil, errors.New("defer odoo booking: the receipt was never received")
	}
	if a.booked[d.Revision] {
		return nil, nil
	}
	return []Event{OdooBookingDeferred{OdooDeferredData: d}}, nil
}
