package workflows_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crossdock-hub/crossdock/commands"
	"github.com/crossdock-hub/crossdock/commands/workflows"
	"github.com/crossdock-hub/crossdock/domain/inventory"
	"github.com/crossdock-hub/crossdock/domain/order"
	"github.com/crossdock-hub/crossdock/eventstore"
	"github.com/crossdock-hub/crossdock/eventstore/sqlite"
	"github.com/crossdock-hub/crossdock/internal/testdb"
)

// shipper answers from a script: an error per order, else booked on WH/OUT/00001.
type shipper struct {
	errs  map[string]error
	calls []workflows.Shipment
}

func (s *shipper) BookShipment(_ context.Context, in workflows.Shipment) (workflows.Booked, error) {
	s.calls = append(s.calls, in)
	if err := s.errs[in.Order]; err != nil {
		return workflows.Booked{}, err
	}
	return workflows.Booked{Outcome: order.DeliveryValidated, Picking: "WH/OUT/00001", DoneAt: time.Date(2026, 11, 28, 16, 0, 0, 0, time.UTC)}, nil
}

func (s *shipper) PlanShipment(_ context.Context, in workflows.Shipment) (workflows.Booked, error) {
	if err := s.errs[in.Order]; err != nil {
		return workflows.Booked{}, err
	}
	return workflows.Booked{Outcome: order.DeliveryAlreadyDone, Picking: "WH/OUT/00001"}, nil
}

// A shipment of a warehouse order is booked and its answer recorded on the order's stream with the
// validation for the divergence view; one against a purchase order is left alone; a refusal is a dead
// letter; Odoo down fails the batch.
func TestShipmentsToOdoo(t *testing.T) {
	s, err := sqlite.Open(t.Context(), testdb.SQLitePath(t), sqlite.Config{})
	require.NoError(t, err)
	t.Cleanup(func() { _ = s.Close() })
	logger := slog.New(slog.NewTextHandler(t.Output(), nil))
	bookings, err := commands.NewOdooBookingHandler(s, logger)
	require.NoError(t, err)
	validations, err := commands.NewOdooInventoryHandler(s, logger)
	require.NoError(t, err)
	sh := &shipper{errs: map[string]error{}}
	flow, err := workflows.NewShipmentsToOdoo(workflows.ShipmentsConfig{Booker: sh, Bookings: bookings, Validations: validations, Logger: logger})
	require.NoError(t, err)

	shipped := func(stream, orderNumber, po string) eventstore.Event {
		d := order.ShippedData{OrderNumber: orderNumber, PONumber: po, Partner: "northwind", ShipmentID: "SHP-" + orderNumber, Warehouse: "WH1",
			ShipDate: time.Date(2026, 11, 28, 15, 30, 0, 0, time.UTC), TrackingNumber: "1Z" + orderNumber,
			Lines: []order.ShippedLineData{{LineNumber: "1", Product: "WID-BLUE", Quantity: decimal.NewFromInt(8), Unit: "EA"}}}
		data, err := json.Marshal(order.Shipped{ShippedData: d})
		require.NoError(t, err)
		_, err = s.Append(t.Context(), stream, eventstore.Any, eventstore.EventData{ID: eventstore.DeriveID("test:"+stream, 0),
			Type: order.EventShipped, Data: data, Metadata: eventstore.Metadata{CorrelationID: "c-" + stream, OccurredAt: d.ShipDate}})
		require.NoError(t, err)
		evs, err := s.ReadStream(t.Context(), stream, 1, 10)
		require.NoError(t, err)
		return evs[len(evs)-1]
	}
	stream := func(id string) []eventstore.Event {
		evs, _ := s.ReadStream(t.Context(), id, 1, 100)
		return evs
	}
	ok := shipped(order.WarehouseOrderStreamID("S00001"), "S00001", "")
	poOnly := shipped(order.POStreamID("P00001"), "", "P00001")
	refused := shipped(order.WarehouseOrderStreamID("S00009"), "S00009", "")
	sh.errs["S00009"] = errors.New("no sale.order S00009 in Odoo: refused")

	require.NoError(t, flow.React(t.Context(), []eventstore.Event{ok, poOnly, refused}))
	require.Len(t, sh.calls, 2, "the purchase order's shipment is not a delivery of Odoo's")
	assert.Equal(t, workflows.Shipment{Partner: "northwind", Reference: "SHP-S00001", Order: "S00001", TrackingNumber: "1ZS00001", Backorder: true,
		Lines: []workflows.BookingLine{{Product: "WID-BLUE", Quantity: decimal.NewFromInt(8)}}}, sh.calls[0])

	evs := stream(order.WarehouseOrderStreamID("S00001"))
	require.Len(t, evs, 2)
	assert.Equal(t, order.EventDeliveryBookedInOdoo, evs[1].Type)
	var b order.DeliveryBookingData
	require.NoError(t, json.Unmarshal(evs[1].Data, &b))
	assert.Equal(t, "WH/OUT/00001", b.Picking)
	assert.Equal(t, "1ZS00001", b.TrackingNumber)
	assert.Equal(t, order.DeliveryValidated, b.Outcome)
	v := stream(inventory.OdooStreamID("northwind/WH1"))
	require.Len(t, v, 1)
	var val inventory.OdooPickingValidatedData
	require.NoError(t, json.Unmarshal(v[0].Data, &val))
	assert.Equal(t, inventory.PickingDelivery, val.Kind)
	assert.Equal(t, "SHP-S00001", val.Reference)

	evs = stream(order.WarehouseOrderStreamID("S00009"))
	require.Len(t, evs, 2)
	assert.Equal(t, order.EventOdooDeliveryFailed, evs[1].Type)
	assert.Contains(t, string(evs[1].Data), "no sale.order S00009 in Odoo")

	down := shipped(order.WarehouseOrderStreamID("S00002"), "S00002", "")
	sh.errs["S00002"] = fmt.Errorf("%w: odoo unavailable", workflows.ErrLater)
	require.ErrorIs(t, flow.React(t.Context(), []eventstore.Event{down}), workflows.ErrLater)
	require.ErrorIs(t, flow.React(t.Context(), []eventstore.Event{down}), workflows.ErrLater)
	evs = stream(order.WarehouseOrderStreamID("S00002"))
	require.Len(t, evs, 2, "the wait is recorded once")
	assert.Equal(t, order.EventOdooDeliveryDeferred, evs[1].Type)
}
