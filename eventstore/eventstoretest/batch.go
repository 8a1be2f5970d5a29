package eventstoretest

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/crossdock-hub/crossdock/eventstore"
)

// largeBatch is big enough to take a backend's bulk path (PostgreSQL writes batches with COPY), so the
// contract holds for it as for small appends.
const largeBatch = 120

// batchEvents returns n events of one receipt with full metadata, their IDs derived from key.
func batchEvents(t *testing.T, key string, n int) []eventstore.EventData {
	occurred := time.Date(2026, 11, 20, 7, 30, 0, 123456000, time.UTC)
	out := make([]eventstore.EventData, n)
	for i := range out {
		out[i] = event(t, key, i, "receipt.line_received.v1",
			fmt.Sprintf(`{"receipt":"RCV-%s","line":%d,"sku":"SKU-%03d","qty":"%d.250","uom":"EA"}`, key, i+1, i%17, i+1))
		out[i].Metadata = eventstore.Metadata{
			CorrelationID: "corr-" + key, CausationID: fmt.Sprintf("cause-%d", i), MessageID: "msg-" + key,
			PartnerID: "acme-3pl", Source: "wms:acme-3pl", Actor: "edi-gateway",
			OccurredAt: occurred.Add(time.Duration(i) * time.Minute),
		}
	}
	// One event with no metadata at all: empty fields must come back empty, not as "" turned NULL wrongly.
	out[n/2].Metadata = eventstore.Metadata{}
	return out
}

func testLargeBatch(t *testing.T, b Backend) {
	s := b.New(t)
	stream := prefix(t) + "receipt-acme3pl:RCV-900"
	mustAppend(t, s, stream, eventstore.NoStream, event(t, "seed", 0, "receipt.opened.v1", `{"receipt":"RCV-900"}`))
	batch := batchEvents(t, "big", largeBatch)

	res := mustAppend(t, s, stream, eventstore.Exact(1), batch...)
	require.Equal(t, int64(1+largeBatch), res.StreamVersion)
	require.False(t, res.Duplicate)

	got, err := s.ReadStream(t.Context(), stream, 2, 0)
	require.NoError(t, err)
	require.Len(t, got, largeBatch)
	for i, want := range batch {
		requireEvent(t, want, stream, int64(i+2), got[i])
	}
	requireOrdered(t, got)
	require.Equal(t, got[largeBatch-1].Position, res.Position, "the result names the last event's position")

	// The same batch again, at the version it was first appended at: an idempotent no-op.
	again, err := s.Append(t.Context(), stream, eventstore.Exact(1), batch...)
	require.NoError(t, err)
	require.True(t, again.Duplicate)
	require.Equal(t, res.StreamVersion, again.StreamVersion)
	require.Equal(t, res.Position, again.Position)

	// The same IDs with one payload changed: a collision, and nothing written.
	changed := append([]eventstore.EventData(nil), batch...)
	changed[7].Data = []byte(`{"receipt":"RCV-big","line":8,"qty":"999"}`)
	_, err = s.Append(t.Context(), stream, eventstore.Any, changed...)
	require.ErrorIs(t, err, eventstore.ErrDuplicateEvent)

	// One payload that is not JSON spoils the whole batch.
	bad := batchEvents(t, "bad", largeBatch)
	bad[largeBatch-3].Data = []byte(`{"qty":`)
	_, err = s.Append(t.Context(), stream, eventstore.Any, bad...)
	require.ErrorIs(t, err, eventstore.ErrInvalidEvent)

	// A new batch at a stale version: refused, and nothing written.
	_, err = s.Append(t.Context(), stream, eventstore.Exact(1), batchEvents(t, "stale", largeBatch)...)
	require.ErrorIs(t, err, eventstore.ErrConcurrency)
	require.Len(t, readAll(t, s, eventstore.Start, eventstore.Filter{}), 1+largeBatch)

	// Concurrent bulk appenders at one expected version: exactly one wins.
	const writers = 8
	start := make(chan struct{})
	errs := make([]error, writers)
	var wg sync.WaitGroup
	for w := range writers {
		wg.Go(func() {
			<-start
			_, errs[w] = s.Append(t.Context(), stream, eventstore.Exact(1+largeBatch), batchEvents(t, fmt.Sprint("w", w), largeBatch)...)
		})
	}
	close(start)
	wg.Wait()
	wins := 0
	for w, err := range errs {
		if err == nil {
			wins++
			continue
		}
		require.ErrorIs(t, err, eventstore.ErrConcurrency, "writer %d", w)
	}
	require.Equal(t, 1, wins)
	require.Len(t, readAll(t, s, eventstore.Start, eventstore.Filter{}), 1+2*largeBatch)

	// Subscribers see every event of the bulk appends once, in order.
	sub := subscribe(t, s, eventstore.Start, eventstore.Filter{})
	all := sub.next(t, 1+2*largeBatch)
	requireOrdered(t, all)
	sub.quiet(t, 100*time.Millisecond)
}
