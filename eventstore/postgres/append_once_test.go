package postgres_test

import (
	"bytes"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/crossdock-hub/crossdock/eventstore"
	"github.com/crossdock-hub/crossdock/eventstore/postgres"
)

// trickyBatch returns a bulk batch whose values stress the hand-written binary COPY encoding.
func trickyBatch(key string) []eventstore.EventData {
	const n = 24
	big := bytes.Repeat([]byte("x"), 1<<20)
	paris := time.FixedZone("CET", 3600)
	out := make([]eventstore.EventData, n)
	for i := range out {
		out[i] = eventstore.EventData{
			ID:   eventstore.DeriveID(key, i),
			Type: "receipt.line_received.v1",
			Data: []byte(fmt.Sprintf(`{"line":%d,"qty":"%d.500"}`, i, i)),
			Metadata: eventstore.Metadata{
				CorrelationID: "corr-" + key, MessageID: "msg", PartnerID: "acme", Source: "wms", Actor: "edi",
				OccurredAt: time.Date(2026, 3, 29, 1, 59, 59, 999_999_000, time.UTC).Add(time.Duration(i) * time.Microsecond),
			},
		}
	}
	out[1].Metadata = eventstore.Metadata{}                            // all NULL, zero OccurredAt
	out[2].Data = nil                                                  // NULL data
	out[3].Data = []byte(`{"bin":"Größe ✓ 日本語 \"q\" \\ 'x'","e":"😀"}`) // non-ASCII and escapes
	out[3].Type = "réception.ligne.v1"
	out[3].Metadata.Actor = "Zoë 'o'Brien' \\ 操作员"
	out[4].Data = append(append([]byte(`{"blob":"`), big...), `"}`...) // 1 MiB payload
	out[5].Metadata.OccurredAt = time.Date(1999, 12, 31, 23, 59, 59, 1000, time.UTC)
	out[6].Metadata.OccurredAt = time.Date(2026, 7, 1, 12, 0, 0, 123_456_789, paris) // sub-µs, other zone
	out[7].Data = []byte(`  [1, 2.50, null, true]  `)
	out[8].Data = []byte(`"just a string"`)
	out[9].Metadata.OccurredAt = time.Date(1, 1, 1, 0, 0, 0, 1000, time.UTC) // the year 1, not zero
	return out
}

// TestBulkAppendEncoding appends the same tricky batch once at an exact version (the one-query COPY
// with hand-encoded rows) and once at Any (pgx's CopyFrom) and checks both read back as written.
func TestBulkAppendEncoding(t *testing.T) {
	s, _ := newStore(t, postgres.Config{})
	ctx := t.Context()
	for _, stream := range []string{
		"receipt-acme:o'brien\\", // quotes and a backslash in the SQL literal
		"receipt-x'); DROP TABLE events; --",
		"receipt-Größe-日本",
	} {
		for _, expected := range []eventstore.ExpectedVersion{eventstore.NoStream, eventstore.Any} {
			st := fmt.Sprintf("%s/%s", stream, expected)
			batch := trickyBatch(st)
			res, err := s.Append(ctx, st, expected, batch...)
			require.NoError(t, err, st)
			require.Equal(t, int64(len(batch)), res.StreamVersion)
			got, err := s.ReadStream(ctx, st, 1, 0)
			require.NoError(t, err)
			require.Len(t, got, len(batch))
			require.Equal(t, got[len(got)-1].Position, res.Position, "the result names the last event's position")
			for i, want := range batch {
				ev := got[i]
				require.Equal(t, want.ID, ev.ID, "%s #%d", st, i)
				require.Equal(t, st, ev.StreamID)
				require.Equal(t, int64(i+1), ev.StreamVersion)
				require.Equal(t, want.Type, ev.Type)
				if want.Data == nil {
					require.Empty(t, ev.Data, "#%d", i)
				} else {
					require.True(t, eventstore.JSONEqual(want.Data, ev.Data), "#%d: %.200s", i, ev.Data)
				}
				wm, gm := want.Metadata, ev.Metadata
				require.Equal(t, wm.OccurredAt.Truncate(time.Microsecond).UTC(), gm.OccurredAt.UTC(), "#%d", i)
				wm.OccurredAt, gm.OccurredAt = time.Time{}, time.Time{}
				require.Equal(t, wm, gm, "#%d", i)
			}
			if expected == eventstore.Any {
				continue
			}
			// Exact next to it, then a stale retry of the first batch: an idempotent no-op, and a new
			// batch at a stale version is refused with nothing written.
			next := trickyBatch(st + "/next")
			res2, err := s.Append(ctx, st, eventstore.Exact(int64(len(batch))), next...)
			require.NoError(t, err)
			require.Equal(t, int64(2*len(batch)), res2.StreamVersion)
			again, err := s.Append(ctx, st, expected, batch...)
			require.NoError(t, err)
			require.True(t, again.Duplicate)
			require.Equal(t, res.Position, again.Position)
			_, err = s.Append(ctx, st, eventstore.Exact(int64(len(batch))), trickyBatch(st+"/stale")...)
			require.ErrorIs(t, err, eventstore.ErrConcurrency)
			require.ErrorContains(t, err, fmt.Sprintf("stream is at version %d", 2*len(batch)))
			_, err = s.Append(ctx, st+"/none", eventstore.Exact(3), trickyBatch(st+"/none")...)
			require.ErrorIs(t, err, eventstore.ErrConcurrency)
			// One ID already stored elsewhere: a duplicate, not a version problem, and nothing written.
			clash := trickyBatch(st + "/clash")
			clash[10].ID, clash[10].Data = next[10].ID, []byte(`{"line":999}`)
			_, err = s.Append(ctx, st, eventstore.Exact(int64(2*len(batch))), clash...)
			require.ErrorIs(t, err, eventstore.ErrDuplicateEvent)
			// Data that is not JSON is refused by the server.
			bad := trickyBatch(st + "/bad")
			bad[20].Data = []byte(`{"qty":`)
			_, err = s.Append(ctx, st, eventstore.Exact(int64(2*len(batch))), bad...)
			require.ErrorIs(t, err, eventstore.ErrInvalidEvent)
			all, err := s.ReadStream(ctx, st, 1, 0)
			require.NoError(t, err)
			require.Len(t, all, 2*len(batch))
		}
	}
	// A stream ID no text value can hold is refused, not spliced into the query.
	_, err := s.Append(ctx, "receipt-nul\x00'; DROP TABLE events; --", eventstore.NoStream, trickyBatch("nul")...)
	require.Error(t, err)
	_, err = s.ReadAll(ctx, eventstore.Start, 1, eventstore.Filter{})
	require.NoError(t, err, "the events table is still there")
}
