package webhooks

import (
	"fmt"

	"github.com/crossdock-hub/crossdock/domain"
	"github.com/crossdock-hub/crossdock/domain/shipment"
)

// Shippo tracking statuses.
var shippoStatuses = newStatusTable("Shippo", map[string]string{
	"PRE_TRANSIT": shipment.StatusInfoReceived,
	"TRANSIT":     shipment.StatusInTransit,
	"DELIVERED":   shipment.StatusDelivered,
	"RETURNED":    shipment.StatusReturned,
	"FAILURE":     shipment.StatusException,
	"UNKNOWN":     shipment.StatusUnknown,
})

// shippoTransitSubstatuses refine TRANSIT: Shippo reports these milestones only as substatus codes.
var shippoTransitSubstatuses = map[string]string{
	"out_for_delivery":   shipment.StatusOutForDelivery,
	"delivery_attempted": shipment.StatusAttempted,
	"delayed":            shipment.StatusDelayed,
	"pickup_available":   shipment.StatusArrivedAtDelivery,
}

// parseShippo maps a track_updated event: one StatusEvent per tracking_history entry (which ends with
// the current tracking_status), or the tracking_status alone when there is no history.
func parseShippo(r *reader, root object) Result {
	if e := r.str(root, "event"); e != "track_updated" {
		r.fail(root.at("event"), fmt.Sprintf("event %q is not track_updated", e))
		return Result{}
	}
	if r.boolean(root, "test") {
		r.warn(root.at("test"), "a test-mode event")
	}
	data, _ := r.object(root, "data", true)
	rep := shipment.StatusReport{
		Carrier:           r.str(data, "carrier"),
		TrackingNumber:    r.required(data, "tracking_number"),
		EstimatedDelivery: r.instant(data, "eta", false),
	}
	for _, key := range []string{"transaction", "metadata"} {
		if v := r.str(data, key); v != "" {
			rep.References = append(rep.References, domain.Reference{Qualifier: key, Value: v})
		}
	}
	current, hasCurrent := r.object(data, "tracking_status", false)
	if hasCurrent {
		rep.MessageID = r.str(current, "object_id")
	}
	history := r.objects(data, "tracking_history")
	if len(history) == 0 && hasCurrent {
		history = []object{current}
	}
	for _, h := range history {
		code := r.str(h, "status")
		sub, _ := r.object(h, "substatus", false)
		subCode := r.str(sub, "code")
		status := shippoStatuses.lookup(r, code, h.at("status"))
		if s, ok := shippoTransitSubstatuses[subCode]; ok && status == shipment.StatusInTransit {
			status = s
		}
		loc, _ := r.object(h, "location", false)
		rep.Events = append(rep.Events, shipment.StatusEvent{
			Status:        status,
			PartnerStatus: code,
			Reason:        subCode,
			At:            r.instant(h, "status_date", true),
			Location: domain.Location{
				City:       r.str(loc, "city"),
				State:      r.str(loc, "state"),
				PostalCode: r.str(loc, "zip"),
				Country:    r.str(loc, "country"),
			},
			Message: r.str(h, "status_details"),
		})
	}
	if len(rep.Events) == 0 {
		r.warn(data.at("tracking_history"), "no tracking history or status: the report carries no milestone")
	}
	return Result{Document: rep, MessageID: rep.MessageID}
}
