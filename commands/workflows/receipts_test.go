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
	"github.com/crossdock-hub/crossdock/domain/receipt"
	"github.com/crossdock-hub/crossdock/eventstore"
	"github.com/crossdock-hub/crossdock/eventstore/sqlite"
	"github.com/crossdock-hub/crossdock/internal/testdb"
)

// booker answers from a script: an error per receipt number, else booked on WH/IN/00001 the first
// time and already done after.
type booker struct {
	errs   map[string]error
	calls  []workflows.Booking
	booked map[string]bool
}

func (b *booker) BookReceipt(_ context.Context, in workflows.Booking) (workflows.Booked, error) {
	b.calls = append(b.calls, in)
	if err := b.errs[in.Reference]; err != nil {
		return workflows.Booked{}, err
	}
	outcome := receipt.BookingValidated
	if b.booked[in.Reference] {
		outcome = receipt.BookingAlreadyDone
	}
	b.booked[in.Reference] = true
	return workflows.Booked{Outcome: outcome, Picking: "WH/IN/00001", Backorder: "WH/IN/00002",
		DoneAt: time.Date(2026, 11, 28, 15, 0, 0, 0, time.UTC)}, nil
}

func (b *booker) PlanReceipt(_ context.Context, in workflows.Booking) (workflows.Booked, error) {
	if err := b.errs[in.Reference]; err != nil {
		return workflows.Booked{}, err
	}
	if b.booked[in.Reference] {
		return workflows.Booked{Outcome: receipt.BookingAlreadyDone, Picking: "WH/IN/00001", Backorder: "WH/IN/00002"}, nil
	}
	writes := map[string]decimal.Decimal{}
	for _, l := range in.Lines {
		writes[l.Product] = l.Quantity
	}
	return workflows.Booked{Outcome: workflows.PlanWouldValidate, Picking: "WH/IN/00001", Writes: writes,
		Odoo: map[string]decimal.Decimal{"WID-BLUE": decimal.Zero}}, nil
}

type env struct {
	store  eventstore.Store
	booker *booker
	flow   *workflows.ReceiptsToOdoo
}

func newEnv(t *testing.T) *env {
	t.Helper()
	s, err := sqlite.Open(t.Context(), testdb.SQLitePath(t), sqlite.Config{})
	require.NoError(t, err)
	t.Cleanup(func() { _ = s.Close() })
	logger := slog.New(slog.NewTextHandler(t.Output(), nil))
	bookings, err := commands.NewOdooBookingHandler(s, logger)
	require.NoError(t, err)
	validations, err := commands.NewOdooInventoryHandler(s, logger)
	require.NoError(t, err)
	b := &booker{errs: map[string]error{}, booked: map[string]bool{}}
	flow, err := workflows.NewReceiptsToOdoo(workflows.ReceiptsConfig{Booker: b, Bookings: bookings, Validations: validations,
		Backorder: func(partner string) bool { return partner != "noback" }, Source: "odoo:test", Logger: logger})
	require.NoError(t, err)
	return &env{store: s, booker: b, flow: flow}
}

// received appends a receipt as the partner flow would, and answers its event.
func (e *env) received(t *testing.T, partner, number, po string) eventstore.Event {
	t.Helper()
	d := receipt.ReceiptData{ReceiptNumber: number, PONumber: po, Partner: partner, Warehouse: "WH1",
		ReceivedAt: time.Date(2026, 11, 28, 9, 0, 0, 0, time.UTC),
		Lines:      []receipt.LineData{{LineNumber: "1", Product: "WID-BLUE", Quantity: decimal.NewFromInt(6), Unit: "EA"}}}
	data, err := json.Marshal(receipt.Received{ReceiptData: d})
	require.NoError(t, err)
	_, err = e.store.Append(t.Context(), receipt.StreamID(partner, number), eventstore.NoStream, eventstore.EventData{
		ID: eventstore.DeriveID("test:"+number, 0), Type: receipt.EventReceived, Data: data,
		Metadata: eventstore.Metadata{CorrelationID: "c-" + number, OccurredAt: d.ReceivedAt}})
	require.NoError(t, err)
	evs, err := e.store.ReadStream(t.Context(), receipt.StreamID(partner, number), 1, 10)
	require.NoError(t, err)
	return evs[0]
}

func (e *env) stream(t *testing.T, id string) []eventstore.Event {
	evs, err := e.store.ReadStream(t.Context(), id, 1, 100)
	if err != nil {
		return nil
	}
	return evs
}

// A booked receipt records Odoo's answer on its stream and the validation for the divergence view; a
// refusal records a dead letter and the workflow goes on; Odoo down stops it at that receipt; the same
// receipt reacted to again records nothing twice.
func TestReceiptsToOdoo(t *testing.T) {
	e := newEnv(t)
	ctx := t.Context()
	ok := e.received(t, "northwind", "RCV-1", "P00001")
	refused := e.received(t, "northwind", "RCV-2", "P09999")
	noPO := e.received(t, "northwind", "RCV-3", "")
	e.booker.errs["RCV-2"] = errors.New("no purchase order P09999 in Odoo: refused")

	require.NoError(t, e.flow.React(ctx, []eventstore.Event{ok, refused, noPO}))
	evs := e.stream(t, receipt.StreamID("northwind", "RCV-1"))
	require.Len(t, evs, 2)
	assert.Equal(t, receipt.EventBookedInOdoo, evs[1].Type)
	var b receipt.OdooBookingData
	require.NoError(t, json.Unmarshal(evs[1].Data, &b))
	assert.Equal(t, receipt.OdooBookingData{ReceiptNumber: "RCV-1", PONumber: "P00001", Partner: "northwind", Revision: 1,
		Outcome: receipt.BookingValidated, Picking: "WH/IN/00001", Backorder: "WH/IN/00002",
		DoneAt: time.Date(2026, 11, 28, 15, 0, 0, 0, time.UTC)}, b)
	assert.Equal(t, "c-RCV-1", evs[1].Metadata.CorrelationID)
	assert.Equal(t, ok.ID.String(), evs[1].Metadata.CausationID)
	assert.Equal(t, "odoo:test", evs[1].Metadata.Source)
	assert.True(t, e.booker.calls[0].Backorder)
	assert.Equal(t, "6", e.booker.calls[0].Lines[0].Quantity.String())

	validations := e.stream(t, inventory.OdooStreamID("northwind/WH1"))
	require.Len(t, validations, 1)
	var v inventory.OdooPickingValidatedData
	require.NoError(t, json.Unmarshal(validations[0].Data, &v))
	assert.Equal(t, "RCV-1", v.Reference)
	assert.Equal(t, inventory.PickingReceipt, v.Kind)
	assert.Equal(t, "WH/IN/00001", v.Picking)

	for number, reason := range map[string]string{"RCV-2": "no purchase order P09999 in Odoo", "RCV-3": "names no purchase order"} {
		evs := e.stream(t, receipt.StreamID("northwind", number))
		require.Len(t, evs, 2, number)
		assert.Equal(t, receipt.EventOdooBookingFailed, evs[1].Type)
		var f receipt.OdooBookingFailedData
		require.NoError(t, json.Unmarshal(evs[1].Data, &f))
		assert.Contains(t, f.Reason, reason)
	}
	assert.Len(t, e.booker.calls, 2, "a receipt without an order is not sent to Odoo")

	// Reacted to again (a retried batch): nothing recorded twice.
	require.NoError(t, e.flow.React(ctx, []eventstore.Event{ok, refused}))
	assert.Len(t, e.stream(t, receipt.StreamID("northwind", "RCV-1")), 2)
	assert.Len(t, e.stream(t, receipt.StreamID("northwind", "RCV-2")), 2)
	assert.Len(t, e.stream(t, inventory.OdooStreamID("northwind/WH1")), 1)

	// Odoo down: the batch fails at that receipt, recording the wait once, however often it is tried;
	// once Odoo answers, the receipt is booked.
	later := e.received(t, "noback", "RCV-4", "P00002")
	e.booker.errs["RCV-4"] = fmt.Errorf("%w: odoo unavailable", workflows.ErrLater)
	for range 3 {
		err := e.flow.React(ctx, []eventstore.Event{later})
		require.ErrorIs(t, err, workflows.ErrLater)
	}
	evs = e.stream(t, receipt.StreamID("noback", "RCV-4"))
	require.Len(t, evs, 2)
	assert.Equal(t, receipt.EventOdooBookingDeferred, evs[1].Type)
	var deferred receipt.OdooDeferredData
	require.NoError(t, json.Unmarshal(evs[1].Data, &deferred))
	assert.Equal(t, receipt.OdooDeferredData{ReceiptNumber: "RCV-4", Partner: "noback", Revision: 1, Reason: "retry later: odoo unavailable"}, deferred)
	assert.False(t, e.booker.calls[len(e.booker.calls)-1].Backorder, "the partner's policy: no backorders")
	delete(e.booker.errs, "RCV-4")
	require.NoError(t, e.flow.React(ctx, []eventstore.Event{later}))
	evs = e.stream(t, receipt.StreamID("noback", "RCV-4"))
	require.Len(t, evs, 3)
	assert.Equal(t, receipt.EventBookedInOdoo, evs[2].Type)
}

// A plan says per receipt what a re-drive would write and what Odoo has, and writes nothing anywhere;
// once booked, a receipt's plan is "already done", and reacting to it again adds nothing to the log.
func TestReceiptsPlan(t *testing.T) {
	e := newEnv(t)
	ctx := t.Context()
	ok := e.received(t, "northwind", "RCV-1", "P00001")
	refused := e.received(t, "northwind", "RCV-2", "P09999")
	noPO := e.received(t, "northwind", "RCV-3", "")
	e.booker.errs["RCV-2"] = errors.New("no purchase order P09999 in Odoo: refused")

	plans, err := e.flow.Plan(ctx, []eventstore.Event{ok, refused, noPO})
	require.NoError(t, err)
	require.Len(t, plans, 3)
	assert.Equal(t, "receipt RCV-1 of northwind", plans[0].Document)
	assert.Equal(t, workflows.PlanWouldValidate, plans[0].Outcome)
	assert.Equal(t, "WH/IN/00001", plans[0].Picking)
	require.Len(t, plans[0].Lines, 1)
	assert.Equal(t, "WID-BLUE", plans[0].Lines[0].Product)
	assert.Equal(t, "6", plans[0].Lines[0].Write.String())
	assert.Equal(t, "0", plans[0].Lines[0].Odoo.String())
	assert.Equal(t, workflows.PlanRefused, plans[1].Outcome)
	assert.Contains(t, plans[1].Reason, "no purchase order P09999 in Odoo")
	assert.Equal(t, workflows.PlanRefused, plans[2].Outcome)
	assert.Contains(t, plans[2].Reason, "names no purchase order")
	assert.Empty(t, e.booker.calls, "a plan books nothing")
	assert.Len(t, e.stream(t, receipt.StreamID("northwind", "RCV-1")), 1, "a plan records nothing")

	require.NoError(t, e.flow.React(ctx, []eventstore.Event{ok}))
	plans, err = e.flow.Plan(ctx, []eventstore.Event{ok})
	require.NoError(t, err)
	require.Len(t, plans, 1)
	assert.Equal(t, receipt.BookingAlreadyDone, plans[0].Outcome)
	assert.Empty(t, plans[0].Lines)

	// A re-drive: Odoo answers "already done" for what the log says is booked; nothing is recorded.
	before := len(e.stream(t, receipt.StreamID("northwind", "RCV-1")))
	require.NoError(t, e.flow.React(ctx, []eventstore.Event{ok}))
	assert.Len(t, e.stream(t, receipt.StreamID("northwind", "RCV-1")), before)
	assert.Len(t, e.booker.calls, 2, "Odoo was asked again")

	e.booker.errs["RCV-1"] = fmt.Errorf("%w: odoo unavailable", workflows.ErrLater)
	_, err = e.flow.Plan(ctx, []eventstore.Event{ok})
	require.ErrorIs(t, err, workflows.ErrLater)
}
