package projections_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/crossdock-hub/crossdock/eventstore"
	"github.com/crossdock-hub/crossdock/projections"
	"github.com/crossdock-hub/crossdock/projections/internal/projtest"
)

// reactor is a test workflow: it "books" each SKU it sees in an outside system (a map), failing while
// down is set, and counts the calls per SKU.
type reactor struct {
	mu     sync.Mutex
	down   bool
	booked map[string]int64 // sku -> qty booked (idempotent: set, not added)
	calls  map[string]int
}

func (r *reactor) Name() string                                { return "reactor" }
func (r *reactor) Version() int                                { return 1 }
func (r *reactor) Tables() []string                            { return nil }
func (r *reactor) Schema(projections.Tables) ([]string, error) { return nil, nil }
func (r *reactor) Filter() eventstore.Filter {
	return eventstore.Filter{Types: []string{"stock.counted.v1"}}
}
func (r *reactor) Apply(context.Context, *sql.Tx, projections.Tables, []eventstore.Event) error {
	return nil
}

func (r *reactor) React(_ context.Context, events []eventstore.Event) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, ev := range events {
		var c stockCounted
		if err := json.Unmarshal(ev.Data, &c); err != nil {
			return err
		}
		r.calls[c.SKU+"/"+ev.ID.String()]++
		if r.down {
			return errors.New("the outside system is down")
		}
		r.booked[ev.ID.String()] = c.Qty
	}
	return nil
}

// A reactor's batch that fails leaves the checkpoint before it and is tried again once the cause is
// gone; every event is then reacted to, the failed batch's earlier ones again.
func TestReactorRetriesAFailedBatch(t *testing.T) {
	b := projtest.Backends()[0] // the runner's handling is the same on both backends
	store, db := b.Open(t, b.Location(t))
	appendStock(t, store, "react", counts(5))
	rc := &reactor{down: true, booked: map[string]int64{}, calls: map[string]int{}}
	r := newRunner(t, store, db, rc)
	projtest.Start(t, r)

	st := projtest.WaitStatus(t, r, "reactor", func(s projections.Status) bool { return s.State == projections.Failed })
	require.Contains(t, st.Error, "the outside system is down")
	require.True(t, st.Checkpoint.IsZero(), "nothing done, the checkpoint stays at the start")
	require.Equal(t, uint64(5), st.Lag)

	rc.mu.Lock()
	rc.down = false
	rc.mu.Unlock()
	st = projtest.WaitStatus(t, r, "reactor", projtest.Live(projtest.Head(t, store)))
	require.Empty(t, st.Error)
	rc.mu.Lock()
	defer rc.mu.Unlock()
	require.Len(t, rc.booked, 5, "every event reacted to")
	retried := 0
	for _, n := range rc.calls {
		if n > 1 {
			retried++
		}
	}
	require.GreaterOrEqual(t, retried, 1, "the failed event was tried again")
}
