package inventory_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crossdock-hub/crossdock/domain"
	"github.com/crossdock-hub/crossdock/domain/inventory"
)

func TestOdooWarehouse(t *testing.T) {
	w := inventory.NewOdooWarehouse()
	nine := time.Date(2026, 11, 29, 9, 0, 0, 0, time.UTC)
	reading := inventory.OdooLevelsData{Warehouse: "wh1", AsOf: nine, Levels: []inventory.OdooLevelData{{Product: "A", Quantity: decimal.NewFromInt(-3)}}}
	events, err := w.RecordLevels(reading)
	require.NoError(t, err)
	require.Len(t, events, 1)
	applyOdoo(t, w, events)

	// The same reading again, or an older one, records nothing; a newer one does.
	for _, asOf := range []time.Time{nine, nine.Add(-time.Hour)} {
		again := reading
		again.AsOf = asOf
		events, err = w.RecordLevels(again)
		require.NoError(t, err)
		assert.Empty(t, events, "as of %s", asOf)
	}
	newer := reading
	newer.AsOf = nine.Add(time.Minute)
	events, err = w.RecordLevels(newer)
	require.NoError(t, err)
	assert.Len(t, events, 1)

	_, err = w.RecordLevels(inventory.OdooLevelsData{Levels: []inventory.OdooLevelData{{Product: "A"}, {Product: "A"}, {}}})
	var ve *domain.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, []domain.Violation{{Field: "/warehouse", Reason: "is required"}, {Field: "/as_of", Reason: "is required"},
		{Field: "/levels/1/product", Reason: "A is listed at /levels/0 already"}, {Field: "/levels/2/product", Reason: "is required"}}, ve.Violations)

	v := inventory.OdooPickingValidatedData{Warehouse: "wh1", Kind: inventory.PickingReceipt, Reference: "R1", ValidatedAt: nine}
	events, err = w.RecordValidation(v)
	require.NoError(t, err)
	require.Len(t, events, 1)
	applyOdoo(t, w, events)
	events, err = w.RecordValidation(v)
	require.NoError(t, err)
	assert.Empty(t, events, "validated once")
	v.Kind = inventory.PickingDelivery
	events, err = w.RecordValidation(v)
	require.NoError(t, err)
	assert.Len(t, events, 1, "a delivery with the same reference is another picking")
	_, err = w.RecordValidation(inventory.OdooPickingValidatedData{Kind: "return"})
	require.ErrorAs(t, err, &ve)
	assert.Len(t, ve.Violations, 4)
}

func applyOdoo(t *testing.T, w *inventory.OdooWarehouse, events []inventory.Event) {
	t.Helper()
	for _, e := range events {
		b, err := json.Marshal(e)
		require.NoError(t, err)
		require.NoError(t, w.Apply(e.EventType(), b))
	}
}
