package projections_test

import (
	"context"
	"encoding/json"
	"fmt"
	"iter"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/crossdock-hub/crossdock/eventstore"
	"github.com/crossdock-hub/crossdock/projections"
	"github.com/crossdock-hub/crossdock/projections/internal/projtest"
	"github.com/crossdock-hub/crossdock/projections/timeline"
)

// pausingStore holds a subscription from the start of the log before it yields its n-th batch, until
// released: a rebuild stopped half way, outside any transaction.
type pausingStore struct {
	eventstore.Store
	n       int
	paused  chan struct{}
	release chan struct{}
}

func (p *pausingStore) Subscribe(ctx context.Context, from eventstore.Position, f eventstore.Filter) iter.Seq2[[]eventstore.Event, error] {
	inner := p.Store.Subscribe(ctx, from, f)
	return func(yield func([]eventstore.Event, error) bool) {
		batches := 0
		for batch, err := range inner {
			if batches++; batches == p.n && from.IsZero() {
				close(p.paused)
				select {
				case <-p.release:
				case <-ctx.Done():
				}
			}
			if !yield(batch, err) {
				return
			}
		}
	}
}

// staleResolver answers its stale tables once, then asks next.
type staleResolver struct {
	stale projections.Tables
	used  bool
	next  projections.TableResolver
}

func (s *staleResolver) ActiveTables(ctx context.Context, name string) (projections.Tables, error) {
	if !s.used {
		s.used = true
		return s.stale, nil
	}
	return s.next.ActiveTables(ctx, name)
}

func appendDocuments(t *testing.T, s eventstore.Store, key string, n int) {
	t.Helper()
	for i := range n {
		data, err := json.Marshal(map[string]any{"asn_number": fmt.Sprintf("ASN-%s-%d", key, i), "po_numbers": []string{"P-" + key}})
		require.NoError(t, err)
		_, err = s.Append(t.Context(), fmt.Sprintf("shipment-acme:ASN-%s-%d", key, i), eventstore.NoStream, eventstore.EventData{
			ID: eventstore.DeriveID(key, i), Type: "shipment.asn_received.v1", Data: data,
			Metadata: eventstore.Metadata{CorrelationID: "corr-" + key, PartnerID: "acme"},
		})
		require.NoError(t, err)
	}
}

func readAll(t *testing.T, r *timeline.Reader) []timeline.Entry {
	t.Helper()
	page, err := r.Timeline(t.Context(), timeline.Query{First: timeline.MaxFirst})
	require.NoError(t, err)
	require.False(t, page.HasNextPage)
	return page.Entries
}

func TestRebuildWithoutReadDowntime(t *testing.T) {
	for _, b := range projtest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			loc := b.Location(t)
			store, db := b.Open(t, loc)
			appendDocuments(t, store, "before", 25)

			// The serving process.
			serving := newRunner(t, store, db, timeline.NewProjection(), &stock{})
			projtest.Start(t, serving)
			projtest.WaitStatus(t, serving, "timeline", projtest.Live(projtest.Head(t, store)))
			reader, err := timeline.NewReader(db, serving)
			require.NoError(t, err)
			before := readAll(t, reader)
			require.Len(t, before, 25)

			// The CLI's process, whose rebuild stops after two batches.
			store2, db2 := b.Open(t, loc)
			paused := &pausingStore{Store: store2, n: 3, paused: make(chan struct{}), release: make(chan struct{})}
			cli := newRunner(t, paused, db2, timeline.NewProjection(), &stock{})
			rebuilt := make(chan error, 1)
			go func() { rebuilt <- cli.Rebuild(t.Context(), "timeline") }()
			<-paused.paused

			st := statusOf(t, serving, "timeline")
			require.Equal(t, projections.Rebuilding, st.State)
			require.Equal(t, 1, st.Generation)
			require.NotNil(t, st.Rebuild)
			require.Equal(t, 2, st.Rebuild.Generation)
			require.Equal(t, positions(t, store)[2*projtest.BatchSize-1], st.Rebuild.Checkpoint)
			require.Equal(t, uint64(5), st.Rebuild.Lag)

			// Meanwhile the old generation keeps serving complete results and taking new events.
			appendDocuments(t, store, "during", 5)
			head := projtest.Head(t, store)
			projtest.WaitStatus(t, serving, "timeline", func(s projections.Status) bool { return s.Checkpoint == head })
			during := readAll(t, reader)
			require.Len(t, during, 30)
			require.Equal(t, before, during[:25])
			tables, err := serving.ActiveTables(t.Context(), timeline.Name)
			require.NoError(t, err)
			require.Equal(t, 1, tables.Generation, "the half-built generation is not served")

			close(paused.release)
			require.NoError(t, <-rebuilt)

			st = projtest.WaitStatus(t, serving, "timeline", projtest.Live(head))
			require.Equal(t, 2, st.Generation)
			require.Nil(t, st.Rebuild)
			tables, err = serving.ActiveTables(t.Context(), timeline.Name)
			require.NoError(t, err)
			require.Equal(t, 2, tables.Generation)
			require.Equal(t, during, readAll(t, reader), "the new generation has the same rows")
			_, err = db.Read.ExecContext(t.Context(), "SELECT count(*) FROM timeline_g1")
			require.Error(t, err, "the old generation's tables are dropped after the switch")
			// A reader that resolved generation 1 just before the switch retries on the new one.
			late, err := timeline.NewReader(db, &staleResolver{stale: projections.Tables{Dialect: db.Dialect, Generation: 1}, next: serving})
			require.NoError(t, err)
			require.Equal(t, during, readAll(t, late))

			// The serving process noticed the switch made by the other one and feeds the new generation.
			appendDocuments(t, store, "after", 3)
			head = projtest.Head(t, store)
			st = projtest.WaitStatus(t, serving, "timeline", projtest.Live(head))
			require.Equal(t, 2, st.Generation)
			after := readAll(t, reader)
			require.Len(t, after, 33)
			require.Equal(t, during, after[:30])
			page, err := reader.Timeline(t.Context(), timeline.Query{Reference: "P-after"})
			require.NoError(t, err)
			require.Len(t, page.Entries, 3)

			// The other projection was left alone.
			require.Equal(t, 1, statusOf(t, serving, "stock").Generation)
		})
	}
}

func TestRebuildOfEmptyLogSwitchesAtOnce(t *testing.T) {
	for _, b := range projtest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			store, db := b.Open(t, b.Location(t))
			r := newRunner(t, store, db, timeline.NewProjection())
			require.NoError(t, r.Rebuild(t.Context(), timeline.Name))
			require.NoError(t, r.Rebuild(t.Context(), timeline.Name))
			st := statusOf(t, r, timeline.Name)
			require.Equal(t, 3, st.Generation)
			require.Equal(t, projections.Live, st.State)
			require.ErrorIs(t, r.Rebuild(t.Context(), "nope"), projections.ErrUnknownProjection)
		})
	}
}

func TestRunRebuildsOnVersionChange(t *testing.T) {
	for _, b := range projtest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			store, db := b.Open(t, b.Location(t))
			totals := appendStock(t, store, "version", counts(23))
			v1 := newRunner(t, store, db, &stock{})
			stop := projtest.Start(t, v1)
			projtest.WaitStatus(t, v1, "stock", projtest.Live(projtest.Head(t, store)))
			stop()

			r, err := projections.New(store, db, projections.Config{Logger: projtest.Logger(t), RebuildOnVersionChange: true}, &stock{version: 2})
			require.NoError(t, err)
			projtest.Start(t, r)
			st := projtest.WaitStatus(t, r, "stock", func(s projections.Status) bool { return s.Generation == 2 && s.State == projections.Live })
			require.Equal(t, 2, st.Version)
			require.False(t, st.NeedsRebuild)
			require.Equal(t, totals[23], stockTotals(t, db))
		})
	}
}
