package webhooks

import (
	"fmt"

	"github.com/crossdock-hub/crossdock/domain"
	"github.com/crossdock-hub/crossdock/domain/shipment"
)

// AfterShip tracking tags (tag of a tracking and of each checkpoint).
var afterShipStatuses = newStatusTable("AfterShip", map[string]string{
	"Pending":            shipment.StatusUnknown, // AfterShip has no information yet
	"InfoReceived":       shipment.StatusInfoReceived,
	"InTransit":          shipment.StatusInTransit,
	"OutForDelivery":     shipment.StatusOutForDelivery,
	"AttemptFail":        shipment.StatusAttempted,
	"AvailableForPickup": shipment.StatusArrivedAtDelivery,
	"Delivered":          shipment.StatusDelivered,
	"Exception":          shipment.StatusException,
	"Expired":            shipment.StatusException, // no news for 30 days: someone has to look
})

// parseAfterShip maps a tracking_update event: one StatusEvent per checkpoint of msg.
func parseAfterShip(r *reader, root object) Result {
	if e := r.str(root, "event"); e != "tracking_update" {
		r.fail(root.at("event"), fmt.Sprintf("event %q is not tracking_update", e))
		return Result{}
	}
	eventID := r.required(root, "event_id")
	msg, _ := r.object(root, "msg", true)
	rep := shipment.StatusReport{
		Carrier:        r.str(msg, "slug"),
		TrackingNumber: r.required(msg, "tracking_number"),
		MessageID:      eventID,
	}
	rep.EstimatedDelivery, _ = r.wallClock(msg, "expected_delivery", false)
	if v := r.str(msg, "order_number"); v != "" {
		rep.References = append(rep.References, domain.Reference{Qualifier: "order_number", Value: v})
	}
	for _, c := range r.objects(msg, "checkpoints") {
		tag := r.str(c, "tag")
		at, local := r.wallClock(c, "checkpoint_time", true)
		country := r.str(c, "country_iso3")
		if country == "" {
			country = r.str(c, "country_region")
		}
		rep.Events = append(rep.Events, shipment.StatusEvent{
			Status:        afterShipStatuses.lookup(r, tag, c.at("tag")),
			PartnerStatus: tag,
			Reason:        r.str(c, "subtag"),
			At:            at,
			LocalTime:     local,
			Location: domain.Location{
				City:       r.str(c, "city"),
				State:      r.str(c, "state"),
				PostalCode: r.str(c, "zip"),
				Country:    country,
			},
			Message: r.str(c, "message"),
		})
	}
	if len(rep.Events) == 0 {
		r.warn(msg.at("checkpoints"), "no checkpoints: the report carries no milestone")
	}
	return Result{Document: rep, MessageID: eventID}
}
