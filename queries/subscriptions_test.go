package queries_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"

	"github.com/crossdock-hub/crossdock/projections"
	"github.com/crossdock-hub/crossdock/projections/divergence"
	"github.com/crossdock-hub/crossdock/queries"
)

// oneFeed hands every listener the same channel of changes.
type oneFeed chan projections.Change

func (f oneFeed) Listen(context.Context, string) <-chan projections.Change { return f }

// divergenceBreached sends a position once per breached episode, however often the episode's row
// changes afterwards.
func TestDivergenceBreachedOncePerEpisode(t *testing.T) {
	feed := make(oneFeed, 16)
	svc := newService(t, queries.Config{Timeline: &fakeReader{}, Changes: feed})
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	results := svc.Subscribe(ctx, queries.Request{Query: `subscription { divergenceBreached { product divergence divergedSince breachedAt } }`})
	ten := time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC)
	row := func(product string, since time.Time, breached bool, dv int64) projections.Change {
		p := divergence.Position{Warehouse: "wh1", Product: product, Status: divergence.StatusDiverged, DivergedSince: since,
			Divergence: decimal.NewFromInt(dv)}
		if breached {
			p.BreachedAt = since.Add(4 * time.Hour)
		}
		b, _ := json.Marshal(p)
		return projections.Change{Projection: divergence.Name, Kind: divergence.ChangePosition, Key: "wh1|" + product, Row: b}
	}
	feed <- row("A", ten, false, -2) // diverged, not breached yet
	feed <- row("A", ten, true, -2)  // breached: sent
	feed <- row("A", ten, true, -3)  // the same episode changes: not sent again
	feed <- row("A", ten.Add(6*time.Hour), true, 1)
	next := func() string {
		select {
		case r := <-results:
			require.Empty(t, r.Errors)
			b, _ := json.Marshal(r.Data)
			return string(b)
		case <-time.After(5 * time.Second):
			t.Fatal("no result")
			return ""
		}
	}
	require.JSONEq(t, `{"divergenceBreached":{"product":"A","divergence":"-2","divergedSince":"2026-11-26T10:00:00Z","breachedAt":"2026-11-26T14:00:00Z"}}`, next())
	require.JSONEq(t, `{"divergenceBreached":{"product":"A","divergence":"1","divergedSince":"2026-11-26T16:00:00Z","breachedAt":"2026-11-26T20:00:00Z"}}`, next())
	cancel()
	for range results { // the stream ends with the context
	}
}
