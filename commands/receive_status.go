package commands

import (
	"context"
	"strconv"

	"github.com/crossdock-hub/crossdock/domain"
	"github.com/crossdock-hub/crossdock/domain/shipment"
)

// receiveStatus records a carrier's status report on "shipment-<partner>:<tracking number>": one
// shipment.status_reported.v1 per milestone not recorded yet (same status at the same instant is the
// same milestone). Each event's occurred_at is its milestone's instant.
func (h *DocumentHandler) receiveStatus(ctx context.Context, msg Message, rep shipment.StatusReport) (DocumentResult, error) {
	r := newResolver(h.crosswalk, msg.PartnerID, domain.KindShipmentStatus)
	r.identifier("/tracking_number", rep.TrackingNumber, true)
	if len(rep.Events) == 0 {
		r.violate("/events", "must have at least one milestone")
	}
	for i, e := range rep.Events {
		p := "/events/" + strconv.Itoa(i)
		if e.Status == "" {
			r.violate(p+"/status", "is required")
		}
		if e.At.IsZero() {
			r.violate(p+"/at", "is required")
		}
	}
	if err := r.err(); err != nil {
		return DocumentResult{}, err
	}
	res, err := record(ctx, &h.rec, write[*shipment.Shipment]{
		stream: shipment.CarrierStreamID(msg.PartnerID, rep.TrackingNumber),
		key:    msg.Key,
		msg:    msg,
		fresh:  shipment.New,
		decide: func(s *shipment.Shipment) ([]event, string, error) {
			events, err := asEvents(s.ReportStatus(rep, msg.PartnerID))
			return events, OutcomeUnchanged, err
		},
	})
	return one(domain.KindShipmentStatus, res, err)
}
