package eventstoretest

import (
	"fmt"
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
	errs := race(8, func(w int) error {
		_, err := s.Append(t.Context(), stream, eventstore.Exact(1+largeBatch), batchEvents(t, fmt.Sprint("w", w), largeBatch)...)
		return err
	})
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

// testExactAheadWritesNothing: an expected version the stream has not reached is a conflict, not a gap.
// A backend guarding versions with a unique (stream, version) key alone would accept Exact(5) on a stream
// at 2 and store versions 6.. with 3..5 missing; the batch sizes take both the single-statement and the
// bulk path.
func testExactAheadWritesNothing(t *testing.T, b Backend) {
	s := b.New(t)
	p := prefix(t)
	stream := p + "receipt-acme3pl:RCV-77"
	mustAppend(t, s, stream, eventstore.NoStream, batchEvents(t, "seed", 2)...)
	for _, tc := range []struct {
		name     string
		stream   string
		expected eventstore.ExpectedVersion
		n        int
	}{
		{"OneAhead", stream, eventstore.Exact(3), 1},
		{"FarAhead", stream, eventstore.Exact(5), 3},
		{"BulkAhead", stream, eventstore.Exact(3), largeBatch},
		{"BulkBehind", stream, eventstore.Exact(1), largeBatch},
		{"BulkNoStream", stream, eventstore.NoStream, largeBatch},
		{"MissingStream", p + "receipt-acme3pl:RCV-78", eventstore.Exact(1), 1},
		{"BulkMissingStream", p + "receipt-acme3pl:RCV-78", eventstore.Exact(2), largeBatch},
	} {
		_, err := s.Append(t.Context(), tc.stream, tc.expected, batchEvents(t, tc.name, tc.n)...)
		require.ErrorIs(t, err, eventstore.ErrConcurrency, tc.name)
		require.NotErrorIs(t, err, eventstore.ErrDuplicateEvent, tc.name)
	}
	_, err := s.ReadStream(t.Context(), p+"receipt-acme3pl:RCV-78", 1, 0)
	require.ErrorIs(t, err, eventstore.ErrStreamNotFound, "refused appends to a missing stream wrote nothing")
	require.Len(t, readAll(t, s, eventstore.Start, eventstore.Filter{}), 2, "refused appends wrote nothing")

	// A bulk NoStream re-append of the first batch is still an idempotent no-op, and the stream goes on
	// from where it is.
	again := mustAppend(t, s, stream, eventstore.NoStream, batchEvents(t, "seed", 2)...)
	require.True(t, again.Duplicate)
	res := mustAppend(t, s, stream, eventstore.Exact(2), batchEvents(t, "next", largeBatch)...)
	require.Equal(t, int64(2+largeBatch), res.StreamVersion)
	got, err := s.ReadStream(t.Context(), stream, 1, 0)
	require.NoError(t, err)
	requireContiguous(t, got)
}

// testConcurrentAnyLargeBatches: concurrent bulk appends with Any to one stream all succeed, each
// batch lands whole and in order, and the versions stay contiguous.
func testConcurrentAnyLargeBatches(t *testing.T, b Backend) {
	s := b.New(t)
	stream := prefix(t) + "partner-acme:bulk"
	const writers = 6
	errs := race(writers, func(w int) error {
		_, err := s.Append(t.Context(), stream, eventstore.Any, batchEvents(t, fmt.Sprint("w", w), largeBatch)...)
		return err
	})
	for w, err := range errs {
		require.NoError(t, err, "writer %d appending with Any", w)
	}
	got, err := s.ReadStream(t.Context(), stream, 1, 0)
	require.NoError(t, err)
	require.Len(t, got, writers*largeBatch)
	requireContiguous(t, got)
	for i, ev := range got {
		if i%largeBatch > 0 {
			require.Equal(t, got[i-1].ID[:8], ev.ID[:8], "version %d: batches interleaved", i+1)
		}
	}
	requireOrdered(t, got)
}
