package commands_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crossdock-hub/crossdock/commands"
	"github.com/crossdock-hub/crossdock/domain"
	"github.com/crossdock-hub/crossdock/domain/inventory"
	"github.com/crossdock-hub/crossdock/eventstore"
)

var (
	asOf1 = time.Date(2026, 3, 6, 0, 0, 0, 0, time.UTC)
	asOf2 = asOf1.Add(24 * time.Hour)
)

func snapshot(t *testing.T, at time.Time, onHand42 string) inventory.Snapshot {
	return inventory.Snapshot{
		AsOf: at, ReportID: "INV-1",
		Positions: []inventory.Position{
			{
				Item: domain.ItemRef{PartnerItem: "W42"}, Location: "A-01",
				Quantities:        map[string]domain.Quantity{inventory.OnHand: q(t, onHand42, "CA"), inventory.Available: q(t, "7", "CA")},
				PartnerQualifiers: map[string]string{inventory.OnHand: "17", inventory.Available: "33"},
			},
			{Item: domain.ItemRef{PartnerItem: "W77"}, Quantities: map[string]domain.Quantity{inventory.OnHand: q(t, "0", "EA")}},
		},
	}
}

func TestDocumentInventorySnapshot(t *testing.T) {
	t.Parallel()
	store := sqliteStore(t)
	ctx := t.Context()
	h := newDocumentHandler(t, store)
	const (
		stream42 = "inventory-wh1:SKU-42@A-01"
		stream77 = "inventory-wh1:SKU-77"
	)
	handle := func(key string, doc inventory.Snapshot) commands.DocumentResult {
		t.Helper()
		res, err := h.Handle(ctx, commands.ReceiveDocument{Message: message("wh1", key), Document: doc})
		require.NoError(t, err)
		require.Len(t, res.Streams, 2)
		assert.Equal(t, stream42, res.Streams[0].StreamID)
		assert.Equal(t, stream77, res.Streams[1].StreamID)
		return res
	}
	outcomes := func(res commands.DocumentResult) []string {
		return []string{res.Streams[0].Outcome, res.Streams[1].Outcome}
	}

	res := handle("inv-1", snapshot(t, asOf1, "8"))
	assert.Equal(t, []string{commands.OutcomeRecorded, commands.OutcomeRecorded}, outcomes(res))
	events := readStream(t, store, stream42)
	require.Len(t, events, 1)
	got := decode[inventory.SnapshotData](t, events[0])
	assert.Equal(t, inventory.PositionKey{Partner: "wh1", Product: "SKU-42", Location: "A-01"}, got.PositionKey)
	assert.Equal(t, asOf1, got.AsOf)
	assert.Equal(t, "INV-1", got.ReportNumber)
	onHand := got.Quantities[inventory.OnHand]
	assert.Equal(t, "96 EA", onHand.Quantity.String()+" "+onHand.Unit)
	assert.Equal(t, "8 CA", onHand.PartnerQuantity.String()+" "+onHand.PartnerUnit)
	assert.Equal(t, "17", onHand.PartnerQualifier)
	assert.Equal(t, "84", got.Quantities[inventory.Available].Quantity.String())
	assert.Equal(t, asOf1, events[0].Metadata.OccurredAt.UTC())
	zero := decode[inventory.SnapshotData](t, readStream(t, store, stream77)[0])
	assert.JSONEq(t, `{"quantity":"0","unit":"EA","partner_quantity":"0","partner_unit":"EA"}`,
		string(mustField(t, readStream(t, store, stream77)[0].Data, "quantities", "on_hand")), "a zero is stated, not dropped")
	assert.True(t, zero.Quantities[inventory.OnHand].Quantity.IsZero())

	// The same message again: the IDs found on each stream.
	again := handle("inv-1", snapshot(t, asOf1, "8"))
	assert.True(t, again.Streams[0].Duplicate && again.Streams[1].Duplicate)
	assert.Equal(t, res.Streams[0].EventIDs, again.Streams[0].EventIDs)
	assert.Equal(t, res.Streams[1].EventIDs, again.Streams[1].EventIDs)
	assert.NotEqual(t, res.Streams[0].EventIDs, res.Streams[1].EventIDs)

	// Same figures as of the same instant from another message: a resend.
	assert.Equal(t, []string{commands.OutcomeUnchanged, commands.OutcomeUnchanged}, outcomes(handle("inv-2", snapshot(t, asOf1, "8"))))
	// Same figures as of a newer instant: recorded, it confirms the position then.
	assert.Equal(t, []string{commands.OutcomeRecorded, commands.OutcomeRecorded}, outcomes(handle("inv-3", snapshot(t, asOf2, "8"))))
	// An older snapshot arriving late: ignored.
	assert.Equal(t, []string{commands.OutcomeStale, commands.OutcomeStale}, outcomes(handle("inv-4", snapshot(t, asOf1, "5"))))
	// Other figures as of the latest instant: the partner's correction.
	assert.Equal(t, commands.OutcomeRecorded, handle("inv-5", snapshot(t, asOf2, "6")).Streams[0].Outcome)

	events = readStream(t, store, stream42)
	require.Len(t, events, 3)
	assert.Equal(t, "72", decode[inventory.SnapshotData](t, events[2]).Quantities[inventory.OnHand].Quantity.String())
}

func TestDocumentInventoryPerWarehouse(t *testing.T) {
	t.Parallel()
	store := sqliteStore(t)
	doc := snapshot(t, asOf1, "8")
	doc.Warehouse = "WH2"
	res, err := newDocumentHandler(t, store).Handle(t.Context(), commands.ReceiveDocument{Message: message("wh1", "inv"), Document: doc})
	require.NoError(t, err)
	assert.Equal(t, "inventory-wh1/WH2:SKU-42@A-01", res.Streams[0].StreamID)
	assert.Equal(t, "inventory-wh1/WH2:SKU-77", res.Streams[1].StreamID)
}

func TestDocumentInventoryAdjustment(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, store eventstore.Store) {
		ctx := t.Context()
		h := newDocumentHandler(t, store)
		at := time.Date(2026, 3, 6, 13, 20, 0, 0, time.UTC)
		adj := inventory.Adjustment{
			At: at, Item: domain.ItemRef{PartnerItem: "W42"}, Location: "A-01", Change: q(t, "-2", "CA"),
			Previous: q(t, "8", "CA"), Reason: "cycle count", AdjustmentID: "ADJ-5",
		}
		res, err := h.Handle(ctx, commands.ReceiveDocument{Message: message("wh1", "adj-1"), Document: adj})
		require.NoError(t, err)
		assert.Equal(t, "inventory-wh1:SKU-42@A-01", res.Streams[0].StreamID)
		assert.Equal(t, commands.OutcomeRecorded, res.Streams[0].Outcome)
		events := readStream(t, store, "inventory-wh1:SKU-42@A-01")
		require.Len(t, events, 1)
		require.Equal(t, inventory.EventAdjusted, events[0].Type)
		got := decode[inventory.AdjustmentData](t, events[0])
		assert.Equal(t, "-24 EA", got.Quantity.String()+" "+got.Unit)
		assert.Equal(t, "-2 CA", got.PartnerQuantity.String()+" "+got.PartnerUnit)
		require.NotNil(t, got.PreviousQuantity)
		assert.Equal(t, "96 EA", got.PreviousQuantity.String()+" "+got.PreviousUnit)
		assert.Equal(t, "8 CA", got.PartnerPreviousQuantity.String()+" "+got.PartnerPreviousUnit)
		assert.Equal(t, "cycle count", got.Reason)
		assert.Equal(t, at, got.At)
		assert.Equal(t, at, events[0].Metadata.OccurredAt.UTC())

		// The same adjustment ID again, from another message: nothing.
		res, err = h.Handle(ctx, commands.ReceiveDocument{Message: message("wh1", "adj-2"), Document: adj})
		require.NoError(t, err)
		assert.Equal(t, commands.OutcomeUnchanged, res.Streams[0].Outcome)
		assert.Len(t, readStream(t, store, "inventory-wh1:SKU-42@A-01"), 1)
	})
}
