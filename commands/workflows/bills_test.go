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
	"github.com/crossdock-hub/crossdock/domain/invoice"
	"github.com/crossdock-hub/crossdock/domain/order"
	"github.com/crossdock-hub/crossdock/domain/receipt"
	"github.com/crossdock-hub/crossdock/eventstore"
	"github.com/crossdock-hub/crossdock/eventstore/sqlite"
	"github.com/crossdock-hub/crossdock/internal/testdb"
)

// matchView answers the verdicts it is given, once "caught up" to a position.
type matchView struct {
	verdicts []workflows.InvoiceMatch
	upTo     eventstore.Position
}

func (m *matchView) Invoices(_ context.Context, po string, at eventstore.Position) ([]workflows.InvoiceMatch, error) {
	if m.upTo.Less(at) {
		return nil, fmt.Errorf("%w: the match view is behind", workflows.ErrLater)
	}
	var out []workflows.InvoiceMatch
	for _, v := range m.verdicts {
		if v.PONumber == po {
			out = append(out, v)
		}
	}
	return out, nil
}

type biller struct {
	calls []workflows.Bill
	// short makes Odoo not have received the goods yet.
	short bool
}

func (b *biller) PlanBill(_ context.Context, in workflows.Bill) (workflows.BillMade, error) {
	for _, c := range b.calls {
		if c.Number == in.Number && !b.short {
			return workflows.BillMade{Outcome: invoice.BillAlreadyDone, BillID: 41, State: "draft"}, nil
		}
	}
	return workflows.BillMade{Outcome: workflows.PlanWouldCreate}, nil
}

func (b *biller) CreateBill(_ context.Context, in workflows.Bill) (workflows.BillMade, error) {
	b.calls = append(b.calls, in)
	if b.short {
		return workflows.BillMade{}, fmt.Errorf("%w: P1 has received and not billed only 6 WID of 10 invoiced in Odoo", workflows.ErrNotReceived)
	}
	return workflows.BillMade{Outcome: invoice.BillCreated, BillID: 41, State: "draft"}, nil
}

// A held invoice gets no bill and its reasons on its stream; matched but not received in Odoo yet, it
// waits, held with that reason; the receipt's booking in Odoo bills it, once; the workflow waits for
// the match view to catch up with the event; credit notes are not billed.
func TestBillsToOdoo(t *testing.T) {
	s, err := sqlite.Open(t.Context(), testdb.SQLitePath(t), sqlite.Config{})
	require.NoError(t, err)
	t.Cleanup(func() { _ = s.Close() })
	ctx := t.Context()
	logger := slog.New(slog.NewTextHandler(t.Output(), nil))
	rec, err := commands.NewOdooBookingHandler(s, logger)
	require.NoError(t, err)
	view := &matchView{}
	b := &biller{}
	flow, err := workflows.NewBillsToOdoo(workflows.BillsConfig{Matches: view, Biller: b, Billings: rec, Source: "odoo:test", Logger: logger})
	require.NoError(t, err)

	append1 := func(stream, typ string, payload any) eventstore.Event {
		data, err := json.Marshal(payload)
		require.NoError(t, err)
		_, err = s.Append(ctx, stream, eventstore.NoStream, eventstore.EventData{ID: eventstore.DeriveID("test:"+stream, 0), Type: typ, Data: data,
			Metadata: eventstore.Metadata{CorrelationID: "c-" + stream}})
		require.NoError(t, err)
		evs, err := s.ReadStream(ctx, stream, 1, 10)
		require.NoError(t, err)
		return evs[0]
	}
	date := time.Date(2026, 11, 29, 0, 0, 0, 0, time.UTC)
	inv := append1(invoice.StreamID("acme", "INV-1"), invoice.EventReceived, invoice.InvoiceData{InvoiceNumber: "INV-1", InvoiceDate: date,
		PONumber: "P1", Type: invoice.TypeDebit, Partner: "acme", Lines: []invoice.LineData{{LineNumber: "1", Product: "WID", Quantity: decimal.NewFromInt(10), Unit: "EA"}}})
	credit := append1(invoice.StreamID("acme", "CN-1"), invoice.EventReceived, invoice.InvoiceData{InvoiceNumber: "CN-1", PONumber: "P1",
		Type: invoice.TypeCredit, Partner: "acme"})
	stream := func(number string) []eventstore.Event {
		evs, err := s.ReadStream(ctx, invoice.StreamID("acme", number), 1, 100)
		require.NoError(t, err)
		return evs
	}

	// The view has not applied the invoice yet: wait.
	err = flow.React(ctx, []eventstore.Event{inv})
	require.ErrorIs(t, err, workflows.ErrLater)
	assert.Len(t, stream("INV-1"), 1)

	view.upTo = inv.Position
	view.verdicts = []workflows.InvoiceMatch{{Partner: "acme", Number: "INV-1", PONumber: "P1", Type: invoice.TypeDebit,
		Reasons: []string{"P1/1: over_invoiced: invoiced 10, received 6"}}}
	require.NoError(t, flow.React(ctx, []eventstore.Event{inv}))
	evs := stream("INV-1")
	require.Len(t, evs, 2)
	assert.Equal(t, invoice.EventBillHeld, evs[1].Type)
	var held invoice.BillHeldData
	require.NoError(t, json.Unmarshal(evs[1].Data, &held))
	assert.Equal(t, []string{"P1/1: over_invoiced: invoiced 10, received 6"}, held.Reasons)
	assert.Empty(t, b.calls, "a held invoice is not billed")

	// The backorder arrives, and the match finds the invoice matched; Odoo has not booked it yet: held,
	// with that reason.
	view.verdicts[0].Matched, view.verdicts[0].Reasons = true, nil
	b.short = true
	rev := append1(invoice.StreamID("acme", "INV-1b"), invoice.EventReceived, invoice.InvoiceData{InvoiceNumber: "INV-1b", PONumber: "P9",
		Type: invoice.TypeDebit, Partner: "acme"})
	view.upTo = rev.Position
	require.NoError(t, flow.React(ctx, []eventstore.Event{inv}))
	evs = stream("INV-1")
	require.Len(t, evs, 3)
	assert.Equal(t, invoice.EventBillHeld, evs[2].Type)
	require.NoError(t, json.Unmarshal(evs[2].Data, &held))
	assert.Equal(t, []string{"not received in Odoo yet: P1 has received and not billed only 6 WID of 10 invoiced in Odoo"}, held.Reasons)

	// Booked in Odoo: billed from its order, with its date and quantities.
	b.short = false
	rcv := append1(receipt.StreamID("wh", "RCV-2"), receipt.EventBookedInOdoo, receipt.OdooBookingData{ReceiptNumber: "RCV-2", PONumber: "P1", Partner: "wh",
		Outcome: receipt.BookingValidated, Picking: "WH/IN/00002"})
	view.upTo = rcv.Position
	view.verdicts = append(view.verdicts, workflows.InvoiceMatch{Partner: "acme", Number: "CN-1", PONumber: "P1", Type: invoice.TypeCredit, Matched: true})
	require.NoError(t, flow.React(ctx, []eventstore.Event{rcv, credit}))
	require.Len(t, b.calls, 2)
	assert.Equal(t, workflows.Bill{Partner: "acme", Number: "INV-1", PONumber: "P1", InvoiceDate: date,
		Lines: []workflows.BookingLine{{Product: "WID", Quantity: decimal.NewFromInt(10)}}}, b.calls[1])
	evs = stream("INV-1")
	require.Len(t, evs, 4)
	assert.Equal(t, invoice.EventBilledInOdoo, evs[3].Type)
	var billed invoice.BilledData
	require.NoError(t, json.Unmarshal(evs[3].Data, &billed))
	assert.Equal(t, invoice.BilledData{InvoiceNumber: "INV-1", Partner: "acme", PONumber: "P1", Outcome: invoice.BillCreated, BillID: 41, State: "draft"}, billed)
	assert.Equal(t, rcv.ID.String(), evs[3].Metadata.CausationID)
	assert.Len(t, stream("CN-1"), 1, "a credit note is not billed")

	// A plan: the invoice is billed; the bookings only look again.
	plans, err := flow.Plan(ctx, []eventstore.Event{inv, rcv, credit})
	require.NoError(t, err)
	require.Len(t, plans, 1)
	assert.Equal(t, "invoice INV-1 of acme for order P1", plans[0].Document)
	assert.Equal(t, invoice.BillAlreadyDone, plans[0].Outcome)
	assert.Equal(t, "account.move 41", plans[0].Picking)

	// Reacted to again (a rebuild, a re-drive): the billed invoice is not billed again.
	require.NoError(t, flow.React(ctx, []eventstore.Event{inv, rcv}))
	assert.Len(t, b.calls, 3, "the invoice event asks Odoo, which finds the bill by its tie")
	assert.Len(t, stream("INV-1"), 4, "nothing more is recorded")

	// An invoice waiting for Odoo to receive its goods is billed when a person validates the receipt in
	// Odoo (captured as order.odoo_picking_done.v1).
	inv9 := append1(invoice.StreamID("acme", "INV-9"), invoice.EventReceived, invoice.InvoiceData{InvoiceNumber: "INV-9", InvoiceDate: date,
		PONumber: "P9", Type: invoice.TypeDebit, Partner: "acme", Lines: []invoice.LineData{{LineNumber: "1", Product: "WID", Quantity: decimal.NewFromInt(3), Unit: "EA"}}})
	view.upTo = inv9.Position
	view.verdicts = []workflows.InvoiceMatch{{Partner: "acme", Number: "INV-9", PONumber: "P9", Type: invoice.TypeDebit, Matched: true}}
	b.short = true
	require.NoError(t, flow.React(ctx, []eventstore.Event{inv9}))
	require.Len(t, stream("INV-9"), 2)
	assert.Equal(t, invoice.EventBillHeld, stream("INV-9")[1].Type)
	b.short = false
	byHand := append1(order.POStreamID("P9"), order.EventOdooPickingDone, order.OdooPickingData{OrderNumber: "P9", Picking: "WH/IN/00009", Kind: "receipt"})
	view.upTo = byHand.Position
	require.NoError(t, flow.React(ctx, []eventstore.Event{byHand}))
	evs = stream("INV-9")
	require.Len(t, evs, 3)
	assert.Equal(t, invoice.EventBilledInOdoo, evs[2].Type)
}
