package projections_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/crossdock-hub/crossdock/projections/internal/projtest"
)

// Two hubs on one PostgreSQL database: one runs the projection, the other stands by and takes over when
// the first stops, and every event is still applied exactly once.
func TestOneProcessRunsAProjectionOnPostgres(t *testing.T) {
	var pg projtest.Backend
	for _, b := range projtest.Backends() {
		if b.Name == "postgres" {
			pg = b
		}
	}
	loc := pg.Location(t)
	store1, db1 := pg.Open(t, loc)
	store2, db2 := pg.Open(t, loc)

	appendStock(t, store1, "lease-1", counts(12))
	first, second := &stock{onApply: func(int) {}}, &stock{onApply: func(int) {}}
	r1 := newRunner(t, store1, db1, first)
	stop1 := projtest.Start(t, r1)
	projtest.WaitStatus(t, r1, "stock", projtest.Live(projtest.Head(t, store1)))

	r2 := newRunner(t, store2, db2, second)
	stop2 := projtest.Start(t, r2)
	appendStock(t, store2, "lease-2", counts(6))
	projtest.WaitStatus(t, r2, "stock", projtest.Live(projtest.Head(t, store2)))
	time.Sleep(100 * time.Millisecond) // several lease retries (RetryDelay is 20 ms in these tests)
	require.Zero(t, second.calls.Load(), "the standby applies nothing while the first process runs")
	firstCalls := first.calls.Load()
	require.Positive(t, firstCalls)

	// Work beside the runner (a re-drive) cannot take the lease the first process holds.
	_, held, err := r2.TryLease(t.Context(), "stock")
	require.NoError(t, err)
	require.False(t, held, "another process runs the projection")

	stop1()
	appendStock(t, store1, "lease-3", counts(6))
	projtest.WaitStatus(t, r2, "stock", projtest.Live(projtest.Head(t, store2)))
	stop2()
	require.Positive(t, second.calls.Load(), "the standby took over")
	require.Equal(t, firstCalls, first.calls.Load(), "the stopped process applied nothing more")

	var events int64
	for _, v := range stockTotals(t, db2) {
		events += v[1]
	}
	require.EqualValues(t, 24, events, "every event applied exactly once")

	// Nobody runs it now: the lease is free to take, and given back.
	release, held, err := r1.TryLease(t.Context(), "stock")
	require.NoError(t, err)
	require.True(t, held)
	_, heldToo, err := r2.TryLease(t.Context(), "stock")
	require.NoError(t, err)
	require.False(t, heldToo, "taken by the first")
	release()
}
