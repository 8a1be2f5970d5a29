package commands_test

import (
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crossdock-hub/crossdock/commands"
	"github.com/crossdock-hub/crossdock/domain"
	"github.com/crossdock-hub/crossdock/domain/order"
	"github.com/crossdock-hub/crossdock/eventstore"
)

func TestPlaceOrder(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, store eventstore.Store) {
		ctx := t.Context()
		h, err := commands.NewPlaceOrderHandler(store, commands.PlaceOrderConfig{Logger: testLogger(t), PageSize: 1})
		require.NoError(t, err)
		msg := message("acme", "odoo-po-1")
		msg.Source, msg.Actor = "odoo", "odoo"

		res, err := h.Handle(ctx, commands.PlaceOrder{Message: msg, Order: purchaseOrder(t)})
		require.NoError(t, err)
		assert.Equal(t, commands.DocumentResult{Kind: domain.KindPurchaseOrder, Streams: []commands.StreamResult{{
			StreamID: "order-po:P00042", StreamVersion: 1, Outcome: commands.OutcomePlaced,
			EventIDs: []uuid.UUID{eventstore.DeriveID("odoo-po-1", 0)},
		}}}, res)
		events := readStream(t, store, "order-po:P00042")
		require.Len(t, events, 1)
		got := decode[order.OrderData](t, events[0])
		assert.Equal(t, "acme", got.Supplier, "the supplier defaults to the message's partner")
		assert.Equal(t, orderDate, got.OrderDate)
		require.Len(t, got.Lines, 2)
		assert.Equal(t, "SKU-42", got.Lines[0].Product)
		assert.Equal(t, "100 EA", got.Lines[0].Quantity.String()+" "+got.Lines[0].Unit)
		assert.Equal(t, "2.5", got.Lines[0].UnitPrice.String())
		assert.Equal(t, "USD", got.Lines[0].Currency)
		assert.Equal(t, orderDate, events[0].Metadata.OccurredAt.UTC())

		// OrderLines reads what was placed.
		docs := newDocumentHandler(t, store)
		lines, found, err := docs.OrderLines(ctx, "P00042")
		require.NoError(t, err)
		require.True(t, found)
		require.Len(t, lines, 2)
		assert.Equal(t, "SKU-77", lines[1].Product)
		assert.Equal(t, "10 EA", lines[1].Quantity.String())
		assert.Equal(t, "12", lines[1].UnitPrice.String())
		_, found, err = docs.OrderLines(ctx, "P00043")
		require.NoError(t, err)
		assert.False(t, found)

		// Placed again the same: nothing. Changed: order.changed.v1, and OrderLines sees the change.
		res, err = h.Handle(ctx, commands.PlaceOrder{Message: message("acme", "odoo-po-2"), Order: purchaseOrder(t)})
		require.NoError(t, err)
		assert.Equal(t, commands.OutcomeUnchanged, res.Streams[0].Outcome)
		changed := purchaseOrder(t)
		changed.Lines[0].Quantity = q(t, "120", "EA")
		res, err = h.Handle(ctx, commands.PlaceOrder{Message: message("acme", "odoo-po-3"), Order: changed})
		require.NoError(t, err)
		assert.Equal(t, commands.OutcomeChanged, res.Streams[0].Outcome)
		events = readStream(t, store, "order-po:P00042")
		require.Equal(t, []string{order.EventPlaced, order.EventChanged}, types(events))
		assert.Equal(t, 2, decode[order.Changed](t, events[1]).Revision)
		lines, _, err = docs.OrderLines(ctx, "P00042")
		require.NoError(t, err)
		assert.Equal(t, "120", lines[0].Quantity.Amount.String())
	})
}

func TestPlaceOrderInvalid(t *testing.T) {
	t.Parallel()
	store := sqliteStore(t)
	h, err := commands.NewPlaceOrderHandler(store, commands.PlaceOrderConfig{})
	require.NoError(t, err)
	po := purchaseOrder(t)
	po.PONumber = ""
	po.Lines[0].Item = domain.ItemRef{PartnerItem: "A-42"}
	po.Lines[1].Number = "1"
	po.Lines[1].Quantity = q(t, "0", "EA")
	_, err = h.Handle(t.Context(), commands.PlaceOrder{Message: message("acme", "bad"), Order: po})
	var ve *domain.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, []domain.Violation{
		{Field: "/po_number", Reason: "is required"},
		{Field: "/lines/0/item/product", Reason: "is required: an order placed by Crossdock names Odoo's product"},
		{Field: "/lines/1/line_number", Reason: "duplicates line 1 (/lines/0)"},
		{Field: "/lines/1/quantity", Reason: "must be greater than zero"},
	}, ve.Violations)
	assert.Empty(t, allEvents(t, store))
}
