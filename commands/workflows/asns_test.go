package workflows_test

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crossdock-hub/crossdock/commands"
	"github.com/crossdock-hub/crossdock/commands/workflows"
	"github.com/crossdock-hub/crossdock/domain/shipment"
	"github.com/crossdock-hub/crossdock/eventstore"
	"github.com/crossdock-hub/crossdock/eventstore/sqlite"
	"github.com/crossdock-hub/crossdock/internal/testdb"
)

type announcer struct {
	calls []workflows.Announcement
	err   error
}

func (a *announcer) AnnounceASN(_ context.Context, in workflows.Announcement) (workflows.AnnounceResult, error) {
	a.calls = append(a.calls, in)
	if a.err != nil {
		return workflows.AnnounceResult{}, a.err
	}
	return workflows.AnnounceResult{Outcome: shipment.AnnouncedUpdated, Picking: "WH/IN/00001",
		Expected: map[string]decimal.Decimal{"WID-BLUE": decimal.NewFromInt(120)}}, nil
}

// An ASN is announced with its quantities and tracking reference; Odoo down records the wait once;
// announced, it is not recorded again; a refusal is a dead letter.
func TestASNsToOdoo(t *testing.T) {
	s, err := sqlite.Open(t.Context(), testdb.SQLitePath(t), sqlite.Config{})
	require.NoError(t, err)
	t.Cleanup(func() { _ = s.Close() })
	ctx := t.Context()
	logger := slog.New(slog.NewTextHandler(t.Output(), nil))
	rec, err := commands.NewOdooBookingHandler(s, logger)
	require.NoError(t, err)
	a := &announcer{}
	flow, err := workflows.NewASNsToOdoo(workflows.ASNsConfig{Announcer: a, Recorder: rec, Source: "odoo:test", Logger: logger})
	require.NoError(t, err)

	asn := func(number, po string) eventstore.Event {
		data, err := json.Marshal(shipment.ASNReceived{ASNData: shipment.ASNData{ASNNumber: number, PONumber: po, Supplier: "acme",
			BillOfLading: "BOL-555", ShipDate: time.Date(2026, 11, 26, 8, 0, 0, 0, time.UTC),
			Lines: []shipment.LineData{{LineNumber: 1, Item: "WID-BLUE", Quantity: "120", Unit: "EA"}}}})
		require.NoError(t, err)
		stream := shipment.StreamID("acme", number)
		_, err = s.Append(ctx, stream, eventstore.NoStream, eventstore.EventData{ID: eventstore.DeriveID("test:"+number, 0),
			Type: shipment.EventASNReceived, Data: data})
		require.NoError(t, err)
		evs, err := s.ReadStream(ctx, stream, 1, 10)
		require.NoError(t, err)
		return evs[0]
	}
	stream := func(number string) []eventstore.Event {
		evs, err := s.ReadStream(ctx, shipment.StreamID("acme", number), 1, 100)
		require.NoError(t, err)
		return evs
	}

	ev := asn("ASN-1", "P00001")
	a.err = fmt.Errorf("%w: odoo down", workflows.ErrLater)
	require.ErrorIs(t, flow.React(ctx, []eventstore.Event{ev}), workflows.ErrLater)
	require.ErrorIs(t, flow.React(ctx, []eventstore.Event{ev}), workflows.ErrLater)
	evs := stream("ASN-1")
	require.Len(t, evs, 2, "the wait is recorded once")
	assert.Equal(t, shipment.EventOdooAnnounceDeferred, evs[1].Type)

	a.err = nil
	require.NoError(t, flow.React(ctx, []eventstore.Event{ev}))
	evs = stream("ASN-1")
	require.Len(t, evs, 3)
	assert.Equal(t, shipment.EventAnnouncedInOdoo, evs[2].Type)
	var d shipment.AnnouncedData
	require.NoError(t, json.Unmarshal(evs[2].Data, &d))
	assert.Equal(t, shipment.AnnouncedData{ASNNumber: "ASN-1", Supplier: "acme", PONumber: "P00001", Revision: 1, Outcome: shipment.AnnouncedUpdated,
		Picking: "WH/IN/00001", TrackingRef: "BOL-555", Expected: map[string]string{"WID-BLUE": "120"}}, d)
	last := a.calls[len(a.calls)-1]
	assert.Equal(t, "BOL-555", last.TrackingRef, "the bill of lading when there is no tracking number")
	assert.Equal(t, "120", last.Lines[0].Quantity.String())

	require.NoError(t, flow.React(ctx, []eventstore.Event{ev}))
	assert.Len(t, stream("ASN-1"), 3, "announced: nothing more")

	bad := asn("ASN-2", "P09999")
	a.err = fmt.Errorf("no purchase.order P09999 in Odoo: refused")
	require.NoError(t, flow.React(ctx, []eventstore.Event{bad}))
	evs = stream("ASN-2")
	require.Len(t, evs, 2)
	assert.Equal(t, shipment.EventOdooAnnounceFailed, evs[1].Type)
	assert.Contains(t, string(evs[1].Data), "no purchase.order P09999 in Odoo")
}

// The receipts workflow announces ASNs itself, in log order with the receipts.
func TestReceiptsAnnounceASNsInOrder(t *testing.T) {
	e := newEnv(t)
	ctx := t.Context()
	logger := slog.New(slog.NewTextHandler(t.Output(), nil))
	rec, err := commands.NewOdooBookingHandler(e.store, logger)
	require.NoError(t, err)
	a := &announcer{}
	asns, err := workflows.NewASNsToOdoo(workflows.ASNsConfig{Announcer: a, Recorder: rec, Logger: logger})
	require.NoError(t, err)
	validations, err := commands.NewOdooInventoryHandler(e.store, logger)
	require.NoError(t, err)
	flow, err := workflows.NewReceiptsToOdoo(workflows.ReceiptsConfig{Booker: e.booker, Bookings: rec, Validations: validations, ASNs: asns, Logger: logger})
	require.NoError(t, err)
	assert.Contains(t, flow.Filter().Types, shipment.EventASNReceived)

	data, err := json.Marshal(shipment.ASNReceived{ASNData: shipment.ASNData{ASNNumber: "ASN-1", PONumber: "P00001", Supplier: "acme",
		Lines: []shipment.LineData{{LineNumber: 1, Item: "WID-BLUE", Quantity: "6", Unit: "EA"}}}})
	require.NoError(t, err)
	_, err = e.store.Append(ctx, shipment.StreamID("acme", "ASN-1"), eventstore.NoStream, eventstore.EventData{ID: eventstore.DeriveID("test:asn", 0),
		Type: shipment.EventASNReceived, Data: data})
	require.NoError(t, err)
	asnEvents, err := e.store.ReadStream(ctx, shipment.StreamID("acme", "ASN-1"), 1, 10)
	require.NoError(t, err)
	rcv := e.received(t, "northwind", "RCV-1", "P00001")

	require.NoError(t, flow.React(ctx, []eventstore.Event{asnEvents[0], rcv}))
	require.Len(t, a.calls, 1)
	require.Len(t, e.booker.calls, 1)
	evs, err := e.store.ReadStream(ctx, shipment.StreamID("acme", "ASN-1"), 1, 10)
	require.NoError(t, err)
	require.Len(t, evs, 2)
	assert.Equal(t, shipment.EventAnnouncedInOdoo, evs[1].Type)
	assert.Equal(t, "workflow:"+workflows.ReceiptsName, evs[1].Metadata.Actor)
}
