package projections_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/crossdock-hub/crossdock/eventstore"
	"github.com/crossdock-hub/crossdock/projections"
	"github.com/crossdock-hub/crossdock/projections/internal/projtest"
	"github.com/crossdock-hub/crossdock/projections/timeline"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

func newRunner(t *testing.T, s projections.EventSource, db projections.Database, ps ...projections.Projection) *projections.Runner {
	t.Helper()
	r, err := projections.New(s, db, projections.Config{Logger: projtest.Logger(t), RetryDelay: 20 * time.Millisecond}, ps...)
	require.NoError(t, err)
	return r
}

func statusOf(t *testing.T, r *projections.Runner, name string) projections.Status {
	t.Helper()
	all, err := r.Status(t.Context())
	require.NoError(t, err)
	for _, s := range all {
		if s.Name == name {
			return s
		}
	}
	require.FailNow(t, "no status for "+name)
	return projections.Status{}
}

func countRows(t *testing.T, db projections.Database, name, base string) (rows, distinctIDs int) {
	t.Helper()
	tables, err := projections.NewCatalog(db).ActiveTables(t.Context(), name)
	require.NoError(t, err)
	require.NoError(t, db.Read.QueryRowContext(t.Context(),
		tables.Expand("SELECT count(*), count(DISTINCT event_id) FROM {{"+base+"}}")).Scan(&rows, &distinctIDs))
	return rows, distinctIDs
}

func TestExactlyOnceAcrossRestart(t *testing.T) {
	for _, b := range projtest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			loc := b.Location(t)
			store, db := b.Open(t, loc)
			totals := appendStock(t, store, "restart", counts(45))
			pos := positions(t, store)

			// First process: dies inside the third batch, after writing some of its rows.
			ctx, crash := context.WithCancel(t.Context())
			first := &stock{onApply: func(call int) {
				if call == 3 {
					crash()
				}
			}}
			r1 := newRunner(t, store, db, first, timeline.NewProjection())
			require.NoError(t, r1.Run(ctx))

			st := statusOf(t, r1, "stock")
			require.Equal(t, pos[2*projtest.BatchSize-1], st.Checkpoint, "checkpoint of the last committed batch")
			require.Equal(t, totals[2*projtest.BatchSize], stockTotals(t, db), "rows of exactly the two committed batches")

			// Second process on the same data carries on from the checkpoint.
			store2, db2 := b.Open(t, loc)
			r2 := newRunner(t, store2, db2, &stock{}, timeline.NewProjection())
			stop := projtest.Start(t, r2)
			head := projtest.Head(t, store2)
			projtest.WaitStatus(t, r2, "stock", projtest.Live(head))
			projtest.WaitStatus(t, r2, "timeline", projtest.Live(head))
			stop()

			require.Equal(t, totals[45], stockTotals(t, db2), "every event applied once")
			require.Equal(t, map[string][2]int64{
				"SKU-0": {1 + 4 + 7 + 10 + 13 + 16 + 19 + 22 + 25 + 28 + 31 + 34 + 37 + 40 + 43, 15},
				"SKU-1": {2 + 5 + 8 + 11 + 14 + 17 + 20 + 23 + 26 + 29 + 32 + 35 + 38 + 41 + 44, 15},
				"SKU-2": {3 + 6 + 9 + 12 + 15 + 18 + 21 + 24 + 27 + 30 + 33 + 36 + 39 + 42 + 45, 15},
			}, stockTotals(t, db2))
			rows, distinct := countRows(t, db2, "timeline", "timeline")
			require.Equal(t, 45, rows)
			require.Equal(t, 45, distinct)
		})
	}
}

func TestFailedBatchRollsBackRowsAndCheckpoint(t *testing.T) {
	for _, b := range projtest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			store, db := b.Open(t, b.Location(t))
			cs := counts(25)
			cs[14] = stockCounted{SKU: "POISON", Qty: 1000} // in the second batch, after 4 good events
			totals := appendStock(t, store, "fail", cs)
			pos := positions(t, store)

			p := &stock{}
			poison := "POISON"
			p.failSKU.Store(&poison)
			r := newRunner(t, store, db, p)
			projtest.Start(t, r)

			st := projtest.WaitStatus(t, r, "stock", func(s projections.Status) bool { return s.State == projections.Failed })
			require.Contains(t, st.Error, "poison event for POISON")
			require.Equal(t, pos[projtest.BatchSize-1], st.Checkpoint, "checkpoint stays before the failed batch")
			require.Equal(t, uint64(15), st.Lag)
			require.Equal(t, totals[projtest.BatchSize], stockTotals(t, db), "the failed batch's earlier rows are rolled back too")

			// Retried from the checkpoint once the cause is gone: each event counted once.
			p.failSKU.Store(nil)
			st = projtest.WaitStatus(t, r, "stock", projtest.Live(projtest.Head(t, store)))
			require.Empty(t, st.Error)
			require.Equal(t, totals[25], stockTotals(t, db))
			require.Equal(t, [2]int64{1000, 1}, stockTotals(t, db)["POISON"])
		})
	}
}

func TestStatus(t *testing.T) {
	for _, b := range projtest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			loc := b.Location(t)
			store, db := b.Open(t, loc)
			appendStock(t, store, "status", counts(30))
			events, err := store.ReadAll(t.Context(), eventstore.Start, 100, eventstore.Filter{})
			require.NoError(t, err)
			last := events[len(events)-1]

			r := newRunner(t, store, db, &stock{}, timeline.NewProjection())
			require.NoError(t, r.Migrate(t.Context()))
			st := statusOf(t, r, "stock")
			require.Equal(t, projections.Status{Name: "stock", State: projections.CatchingUp, Generation: 1, Version: 1,
				Checkpoint: eventstore.Start, Lag: 30, UpdatedAt: st.UpdatedAt}, st)

			stop := projtest.Start(t, r)
			st = projtest.WaitStatus(t, r, "stock", projtest.Live(last.Position))
			projtest.WaitStatus(t, r, "timeline", projtest.Live(last.Position)) // the projections run independently
			require.Equal(t, uint64(0), st.Lag)
			require.True(t, last.RecordedAt.Equal(st.LastEventAt), "last event at %s, status says %s", last.RecordedAt, st.LastEventAt)
			require.False(t, st.NeedsRebuild)

			// Another process, not running the projections, sees the same figures; with code at version 2
			// it reports that a rebuild is due.
			store2, db2 := b.Open(t, loc)
			other := newRunner(t, store2, db2, &stock{version: 2}, timeline.NewProjection())
			st2 := statusOf(t, other, "stock")
			require.Equal(t, st.Checkpoint, st2.Checkpoint)
			require.Equal(t, projections.Live, st2.State)
			require.True(t, st2.NeedsRebuild)
			require.Equal(t, 1, st2.Version)
			tl := statusOf(t, other, "timeline")
			require.Equal(t, last.Position, tl.Checkpoint)
			require.Equal(t, 1, tl.Generation)

			// Events nobody has applied yet show as lag.
			stop()
			appendStock(t, store2, "status-more", counts(4))
			st2 = statusOf(t, other, "stock")
			require.Equal(t, projections.CatchingUp, st2.State)
			require.Equal(t, uint64(4), st2.Lag)
			require.Equal(t, last.Position, st2.Checkpoint)
		})
	}
}

// An error recorded while the projection had nothing left to apply (a lost connection, say) must not
// keep it failed — and every hub unready — until the next event arrives.
func TestRecoveredProjectionAtHeadClearsItsError(t *testing.T) {
	for _, b := range projtest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			store, db := b.Open(t, b.Location(t))
			appendStock(t, store, "recover", counts(5))
			r := newRunner(t, store, db, &stock{})
			stop := projtest.Start(t, r)
			projtest.WaitStatus(t, r, "stock", projtest.Live(projtest.Head(t, store)))
			stop()

			_, err := db.Write.ExecContext(t.Context(), `UPDATE projection_state SET error = 'read events: connection reset' WHERE name = 'stock'`)
			require.NoError(t, err)
			st := statusOf(t, r, "stock")
			require.Equal(t, projections.Failed, st.State)

			projtest.Start(t, r)
			st = projtest.WaitStatus(t, r, "stock", func(s projections.Status) bool { return s.State == projections.Live })
			require.Empty(t, st.Error)
			require.Zero(t, st.Lag)
		})
	}
}
