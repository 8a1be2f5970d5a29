package commands_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crossdock-hub/crossdock/commands"
	"github.com/crossdock-hub/crossdock/domain"
	"github.com/crossdock-hub/crossdock/domain/shipment"
	"github.com/crossdock-hub/crossdock/eventstore"
)

var (
	pickedUp  = time.Date(2026, 3, 2, 15, 10, 0, 0, time.UTC)
	inTransit = time.Date(2026, 3, 3, 4, 45, 0, 0, time.UTC)
	delivered = time.Date(2026, 3, 4, 17, 2, 0, 0, time.UTC)
)

func statusReport(events ...shipment.StatusEvent) shipment.StatusReport {
	return shipment.StatusReport{Carrier: "UPS", TrackingNumber: "1Z999", PONumbers: []string{"P00042"}, Events: events}
}

var (
	milestonePickedUp = shipment.StatusEvent{Status: shipment.StatusPickedUp, PartnerStatus: "AF", Reason: "NS", At: pickedUp,
		Location: domain.Location{City: "Memphis", State: "TN", Country: "US"}}
	milestoneInTransit = shipment.StatusEvent{Status: shipment.StatusInTransit, PartnerStatus: "X6", At: inTransit}
	milestoneDelivered = shipment.StatusEvent{Status: shipment.StatusDelivered, PartnerStatus: "D1", At: delivered}
)

func TestDocumentStatusReport(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, store eventstore.Store) {
		ctx := t.Context()
		h := newDocumentHandler(t, store)
		const stream = "shipment-ups:1Z999"

		// Given out of order: recorded in the order of their instants.
		first := statusReport(milestoneInTransit, milestonePickedUp)
		res, err := h.Handle(ctx, commands.ReceiveDocument{Message: message("ups", "st-1"), Document: first})
		require.NoError(t, err)
		require.Len(t, res.Streams, 1)
		assert.Equal(t, stream, res.Streams[0].StreamID)
		assert.Equal(t, commands.OutcomeRecorded, res.Streams[0].Outcome)
		events := readStream(t, store, stream)
		require.Len(t, events, 2)
		got := decode[shipment.StatusReported](t, events[0])
		assert.Equal(t, shipment.StatusReported{
			TrackingNumber: "1Z999", Carrier: "UPS", Partner: "ups", PONumbers: []string{"P00042"},
			Status: shipment.StatusPickedUp, PartnerStatus: "AF", Reason: "NS", At: pickedUp,
			Location: domain.Location{City: "Memphis", State: "TN", Country: "US"},
		}, got)
		assert.Equal(t, pickedUp, events[0].Metadata.OccurredAt.UTC(), "a milestone occurred at its instant")
		assert.Equal(t, shipment.StatusInTransit, decode[shipment.StatusReported](t, events[1]).Status)
		assert.Equal(t, inTransit, events[1].Metadata.OccurredAt.UTC())

		// The webhook resent with one more tracking detail: exactly one event.
		resent := statusReport(milestonePickedUp, milestoneInTransit, milestoneDelivered)
		res, err = h.Handle(ctx, commands.ReceiveDocument{Message: message("ups", "st-2"), Document: resent})
		require.NoError(t, err)
		require.Len(t, res.Streams[0].EventIDs, 1)
		assert.Equal(t, eventstore.DeriveID("st-2", 0), res.Streams[0].EventIDs[0])
		events = readStream(t, store, stream)
		require.Len(t, events, 3)
		last := decode[shipment.StatusReported](t, events[2])
		assert.Equal(t, shipment.StatusDelivered, last.Status)
		assert.Equal(t, "D1", last.PartnerStatus)
		assert.Equal(t, delivered, last.At)

		// The same instant in another zone is the same milestone.
		again := statusReport(shipment.StatusEvent{Status: shipment.StatusDelivered, PartnerStatus: "D1", At: delivered.In(time.FixedZone("EST", -5*3600))})
		res, err = h.Handle(ctx, commands.ReceiveDocument{Message: message("ups", "st-3"), Document: again})
		require.NoError(t, err)
		assert.Equal(t, commands.OutcomeUnchanged, res.Streams[0].Outcome)
		assert.True(t, res.Streams[0].Duplicate)
		assert.Len(t, readStream(t, store, stream), 3)
	})
}

func TestDocumentStatusReportInvalid(t *testing.T) {
	t.Parallel()
	store := sqliteStore(t)
	_, err := newDocumentHandler(t, store).Handle(t.Context(), commands.ReceiveDocument{
		Message:  message("ups", "bad"),
		Document: shipment.StatusReport{Events: []shipment.StatusEvent{{PartnerStatus: "ZZ"}}},
	})
	var ve *domain.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, domain.KindShipmentStatus, ve.Document)
	assert.Equal(t, []domain.Violation{
		{Field: "/tracking_number", Reason: "is required"},
		{Field: "/events/0/status", Reason: "is required"},
		{Field: "/events/0/at", Reason: "is required"},
	}, ve.Violations)
	assert.Empty(t, allEvents(t, store))
}
