package webhooks

import (
	"github.com/crossdock-hub/crossdock/domain"
	"github.com/crossdock-hub/crossdock/domain/shipment"
)

// ShipBob shipment and tracking statuses.
var shipBobStatuses = newStatusTable("ShipBob", map[string]string{
	"LabelCreated":        shipment.StatusInfoReceived,
	"AwaitingCarrierScan": shipment.StatusInfoReceived,
	"InTransit":           shipment.StatusInTransit,
	"OutForDelivery":      shipment.StatusOutForDelivery,
	"DeliveryAttempted":   shipment.StatusAttempted,
	"Delivered":           shipment.StatusDelivered,
	"DeliveryException":   shipment.StatusException,
	"Exception":           shipment.StatusException,
	"Returned":            shipment.StatusReturned,
	"Cancelled":           shipment.StatusCancelled,
})

// parseShipBob maps a shipment tracking event (order.shipment.tracking_received and kin): the status the
// body states, at event_time, is the one milestone. ShipBob's order id and the merchant's reference_id
// are kept as references.
func parseShipBob(r *reader, root object) Result {
	trk, _ := r.object(root, "tracking", true)
	status := r.str(root, "status")
	rep := shipment.StatusReport{
		Carrier:        r.str(trk, "carrier"),
		TrackingNumber: r.required(trk, "tracking_id"),
	}
	for _, key := range []string{"order_id", "reference_id"} {
		if v := r.id(root, key); v != "" {
			rep.References = append(rep.References, domain.Reference{Qualifier: key, Value: v})
		}
	}
	rep.Events = []shipment.StatusEvent{{
		Status:        shipBobStatuses.lookup(r, status, root.at("status")),
		PartnerStatus: status,
		At:            r.instant(root, "event_time", true),
	}}
	return Result{Document: rep}
}
