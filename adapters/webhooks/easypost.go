package webhooks

import (
	"fmt"

	"github.com/crossdock-hub/crossdock/domain"
	"github.com/crossdock-hub/crossdock/domain/shipment"
)

// EasyPost tracker statuses (Tracker.status and TrackingDetail.status).
var easyPostStatuses = newStatusTable("EasyPost", map[string]string{
	"pre_transit":          shipment.StatusInfoReceived,
	"in_transit":           shipment.StatusInTransit,
	"out_for_delivery":     shipment.StatusOutForDelivery,
	"delivered":            shipment.StatusDelivered,
	"available_for_pickup": shipment.StatusArrivedAtDelivery, // waiting at a pickup point for the consignee
	"return_to_sender":     shipment.StatusReturned,
	"failure":              shipment.StatusException,
	"error":                shipment.StatusException,
	"cancelled":            shipment.StatusCancelled,
	"unknown":              shipment.StatusUnknown, // EasyPost's own "no information", not a code we lack
})

// parseEasyPost maps an EasyPost Event whose result is a Tracker: one StatusEvent per tracking detail.
func parseEasyPost(r *reader, root object) Result {
	switch d := r.str(root, "description"); d {
	case "tracker.created", "tracker.updated":
	default:
		r.fail(root.at("description"), fmt.Sprintf("event %q is not a tracker event (tracker.created, tracker.updated)", d))
		return Result{}
	}
	if r.str(root, "mode") == "test" {
		r.warn(root.at("mode"), "a test-mode event")
	}
	eventID := r.required(root, "id")
	trk, _ := r.object(root, "result", true)
	if o := r.str(trk, "object"); o != "" && o != "Tracker" {
		r.fail(trk.at("object"), fmt.Sprintf("result is a %s, not a Tracker", o))
	}
	rep := shipment.StatusReport{
		Carrier:           r.str(trk, "carrier"),
		TrackingNumber:    r.required(trk, "tracking_code"),
		ShipmentID:        r.str(trk, "shipment_id"),
		MessageID:         eventID,
		EstimatedDelivery: r.instant(trk, "est_delivery_date", false),
	}
	if id := r.str(trk, "id"); id != "" {
		rep.References = append(rep.References, domain.Reference{Qualifier: "tracker_id", Value: id})
	}
	for _, d := range r.objects(trk, "tracking_details") {
		code := r.str(d, "status")
		loc, _ := r.object(d, "tracking_location", false)
		rep.Events = append(rep.Events, shipment.StatusEvent{
			Status:        easyPostStatuses.lookup(r, code, d.at("status")),
			PartnerStatus: code,
			Reason:        r.str(d, "status_detail"),
			At:            r.instant(d, "datetime", true),
			Location: domain.Location{
				City:       r.str(loc, "city"),
				State:      r.str(loc, "state"),
				PostalCode: r.str(loc, "zip"),
				Country:    r.str(loc, "country"),
			},
			Message: r.str(d, "message"),
		})
	}
	if len(rep.Events) == 0 {
		r.warn(trk.at("tracking_details"), "no tracking details: the report carries no milestone")
	}
	return Result{Document: rep, MessageID: eventID}
}
