package commands_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crossdock-hub/crossdock/commands"
	"github.com/crossdock-hub/crossdock/domain/inventory"
	"github.com/crossdock-hub/crossdock/eventstore"
)

// diverged is the divergence view as the watch reads it.
type diverged []commands.DivergedPosition

func (d diverged) DivergedBefore(_ context.Context, before time.Time) ([]commands.DivergedPosition, error) {
	var out []commands.DivergedPosition
	for _, p := range d {
		if p.Since.Before(before) {
			out = append(out, p)
		}
	}
	return out, nil
}

// VIEWS.md: diverged by −2 since 10:00; at 14:00, with no change, one breach event — and no second one
// at 15:00, nor from a second check of the same instant.
func TestDivergenceWatchRaisesOncePerEpisode(t *testing.T) {
	forEachStore(t, func(t *testing.T, store eventstore.Store) { testDivergenceWatch(t, store) })
}

func testDivergenceWatch(t *testing.T, store eventstore.Store) {
	ten := time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC)
	now := ten.Add(3 * time.Hour)
	view := diverged{{Warehouse: "wh1", Product: "WID-A", Since: ten, Divergence: decimal.NewFromInt(-2), Evidence: []string{"adj"}}}
	w := &commands.DivergenceWatch{Positions: view, Store: store, Now: func() time.Time { return now }}

	n, err := w.Check(t.Context())
	require.NoError(t, err)
	assert.Zero(t, n, "13:00: within the 4 h window")
	now = ten.Add(4*time.Hour + time.Second)
	n, err = w.Check(t.Context())
	require.NoError(t, err)
	assert.Equal(t, 1, n, "14:00: the window has passed")
	n, err = w.Check(t.Context())
	require.NoError(t, err)
	assert.Zero(t, n, "the same check again")
	now = ten.Add(5 * time.Hour)
	n, err = w.Check(t.Context())
	require.NoError(t, err)
	assert.Zero(t, n, "15:00: raised for this episode already")

	events, err := store.ReadStream(t.Context(), inventory.DivergenceStreamID("wh1", "WID-A"), 1, 10)
	require.NoError(t, err)
	require.Len(t, events, 1)
	var d inventory.DivergenceBreachedData
	require.NoError(t, json.Unmarshal(events[0].Data, &d))
	assert.True(t, ten.Equal(d.DivergedSince))
	assert.True(t, decimal.NewFromInt(-2).Equal(d.Divergence))
	assert.Equal(t, 240, d.WindowMinutes)
	assert.Equal(t, []string{"adj"}, d.Evidence)
	assert.True(t, ten.Add(4*time.Hour).Equal(events[0].Metadata.OccurredAt), "it breached when the window ended")

	// A new episode (diverged again from 16:00) breaches again.
	w.Positions = diverged{{Warehouse: "wh1", Product: "WID-A", Since: ten.Add(6 * time.Hour), Divergence: decimal.NewFromInt(3)}}
	now = ten.Add(11 * time.Hour)
	n, err = w.Check(t.Context())
	require.NoError(t, err)
	assert.Equal(t, 1, n)
}
