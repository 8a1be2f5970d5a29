package shipment

import (
	"time"

	"github.com/crossdock-hub/crossdock/domain"
)

// Canonical carrier milestone statuses. Every carrier format (X12 214 AT7, EDIFACT IFTSTA STS, EasyPost,
// Shippo, AfterShip, ShipBob) is mapped onto these; the partner's own code is kept beside.
const (
	StatusInfoReceived      = "info_received"       // label created, carrier told
	StatusArrivedAtPickup   = "arrived_at_pickup"   // X12 X3
	StatusPickedUp          = "picked_up"           // X12 AF
	StatusInTransit         = "in_transit"          // X12 X6, P1
	StatusOutForDelivery    = "out_for_delivery"    // X12 OD
	StatusArrivedAtDelivery = "arrived_at_delivery" // X12 X1
	StatusDelivered         = "delivered"           // X12 D1
	StatusEstimatedDelivery = "estimated_delivery"  // X12 AG: a new estimate, not a movement
	StatusAttempted         = "attempted"           // X12 AH
	StatusNotCompleted      = "not_completed"       // X12 AP
	StatusDelayed           = "delayed"             // X12 SD
	StatusAcknowledged      = "acknowledged"        // X12 XB
	StatusCancelled         = "cancelled"           // X12 CA
	StatusReturned          = "returned"            // return to sender
	StatusException         = "exception"           // failure, damage, anything else that needs a person
	StatusUnknown           = "unknown"             // the carrier's code has no canonical meaning
)

// StatusReport is what a carrier (or a WMS relaying one) says about a shipment: one or more milestones.
// Its stream is the carrier's shipment, "shipment-<carrier partner>:<tracking number>".
type StatusReport struct {
	// Carrier is the carrier's SCAC or name as the message gives it ("UPS", "USPS", "DNZA").
	Carrier string `json:"carrier,omitempty"`
	// TrackingNumber is the carrier's tracking or PRO number, the report's key.
	TrackingNumber string `json:"tracking_number"`
	// ShipmentID is the shipper's shipment or bill of lading number (X12 B1002), optional.
	ShipmentID string `json:"shipment_id,omitempty"`
	// PONumbers are the purchase orders the shipment carries, when the carrier repeats them.
	PONumbers  []string           `json:"po_numbers,omitempty"`
	References []domain.Reference `json:"references,omitempty"`
	// MessageID is the carrier's own ID for the update (a webhook event ID), optional.
	MessageID string `json:"message_id,omitempty"`
	// EstimatedDelivery is the carrier's latest estimate, optional.
	EstimatedDelivery time.Time     `json:"estimated_delivery,omitzero"`
	Events            []StatusEvent `json:"events"`
}

// Kind implements domain.Document.
func (StatusReport) Kind() string { return domain.KindShipmentStatus }

// StatusEvent is one milestone.
type StatusEvent struct {
	// Status is the canonical status (Status* constants).
	Status string `json:"status"`
	// PartnerStatus is the carrier's code as sent ("AF", "in_transit", "Delivered").
	PartnerStatus string `json:"partner_status"`
	// Reason is the carrier's reason code (X12 AT702: NS normal), optional.
	Reason string `json:"reason,omitempty"`
	// At is the instant of the milestone, in UTC.
	At time.Time `json:"at"`
	// LocalTime is the wall-clock time as written, with the carrier's zone code ("2015-03-27 09:31 LT"),
	// kept because a local-time zone code can only be turned into an instant by a guess.
	LocalTime string          `json:"local_time,omitempty"`
	Location  domain.Location `json:"location,omitzero"`
	Message   string          `json:"message,omitempty"`
}
