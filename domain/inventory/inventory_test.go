package inventory_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crossdock-hub/crossdock/domain/inventory"
)

var (
	t1 = time.Date(2026, 3, 6, 0, 0, 0, 0, time.UTC)
	t2 = t1.Add(time.Hour)
	t0 = t1.Add(-time.Hour)
)

func snap(at time.Time, onHand int64) inventory.SnapshotData {
	return inventory.SnapshotData{
		PositionKey: inventory.PositionKey{Partner: "wh1", Product: "SKU-42"},
		AsOf:        at,
		Quantities: map[string]inventory.QuantityData{inventory.OnHand: {
			Quantity: decimal.NewFromInt(onHand), Unit: "EA", PartnerQuantity: decimal.NewFromInt(onHand), PartnerUnit: "EA",
		}},
	}
}

func apply(t *testing.T, a *inventory.Aggregate, events ...inventory.Event) {
	t.Helper()
	for _, e := range events {
		data, err := json.Marshal(e)
		require.NoError(t, err)
		require.NoError(t, a.Apply(e.EventType(), data))
	}
}

func TestReportSnapshot(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		next   inventory.SnapshotData
		record bool
		stale  bool
	}{
		{name: "same figures, same instant", next: snap(t1, 8)},
		{name: "same figures, newer instant", next: snap(t2, 8), record: true},
		{name: "other figures, same instant (a correction)", next: snap(t1, 7), record: true},
		{name: "older instant", next: snap(t0, 3), stale: true},
		{name: "same instant in another zone", next: snap(t1.In(time.FixedZone("X", 7200)), 8)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			a := inventory.New()
			first, err := a.ReportSnapshot(snap(t1, 8))
			require.NoError(t, err)
			require.Len(t, first, 1)
			apply(t, a, first...)
			assert.Equal(t, tt.stale, a.Stale(tt.next.AsOf))
			events, err := a.ReportSnapshot(tt.next)
			require.NoError(t, err)
			if tt.record {
				require.Equal(t, []inventory.Event{inventory.SnapshotReported{SnapshotData: tt.next}}, events)
			} else {
				assert.Empty(t, events)
			}
		})
	}
}

func TestAdjust(t *testing.T) {
	t.Parallel()
	adj := inventory.AdjustmentData{PositionKey: inventory.PositionKey{Partner: "wh1", Product: "SKU-42"}, At: t1,
		Quantity: decimal.NewFromInt(-2), Unit: "EA", PartnerQuantity: decimal.NewFromInt(-2), PartnerUnit: "EA", Reason: "damaged"}
	for _, id := range []string{"", "ADJ-1"} {
		a := inventory.New()
		d := adj
		d.AdjustmentID = id
		events, err := a.Adjust(d)
		require.NoError(t, err)
		require.Len(t, events, 1)
		apply(t, a, events...)
		again, err := a.Adjust(d)
		require.NoError(t, err)
		assert.Empty(t, again, "recorded before (id %q)", id)
		other := d
		other.At = t2
		more, err := a.Adjust(other)
		require.NoError(t, err)
		if id == "" {
			assert.Len(t, more, 1, "another change without ID")
		} else {
			assert.Empty(t, more, "the partner's ID identifies the change")
		}
	}
}

func TestStreamID(t *testing.T) {
	t.Parallel()
	assert.Equal(t, "inventory-wh1:SKU-42", inventory.StreamID(inventory.PositionKey{Partner: "wh1", Product: "SKU-42"}))
	assert.Equal(t, "inventory-wh1/WH2:SKU-42@B-7", inventory.StreamID(inventory.PositionKey{Partner: "wh1", Warehouse: "WH2", Product: "SKU-42", Location: "B-7"}))
}
