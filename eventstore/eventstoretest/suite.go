package eventstoretest

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/crossdock-hub/crossdock/eventstore"
)

// Backend is what a backend's TestStoreContract hands the suite.
type Backend struct {
	// New returns a fresh, isolated, empty store; it registers its own cleanup with t.Cleanup.
	New func(t *testing.T) eventstore.Store
	// AppendHeld starts appending events to stream (expected version Any) and returns once the append has
	// taken its global positions but before it commits; release lets it commit and returns its error.
	// On a single-writer backend (SQLite) the hold keeps the write lock, so a second append waits.
	AppendHeld func(t *testing.T, s eventstore.Store, stream string, events []eventstore.EventData) (release func() error)
}

// waitFor bounds every wait of the suite for something that must happen; it is generous so a loaded CI
// machine does not fail a correct backend, and only a broken one ever reaches it.
const waitFor = 10 * time.Second

// Run runs the whole contract against b. Every subtest gets a store of its own from b.New.
func Run(t *testing.T, b Backend) {
	t.Helper()
	require.NotNil(t, b.New, "Backend.New is required")
	require.NotNil(t, b.AppendHeld, "Backend.AppendHeld is required")

	tests := []struct {
		name string
		fn   func(t *testing.T, b Backend)
	}{
		{"RoundTrip", testRoundTrip},
		{"ExpectedVersion", testExpectedVersion},
		{"ConcurrentAppendersOneWins", testConcurrentAppendersOneWins},
		{"ConcurrentAnyAppendsAllSucceed", testConcurrentAnyAppends},
		{"ConcurrentStreams", testConcurrentStreams},
		{"Idempotent", testIdempotent},
		{"DuplicateEventID", testDuplicateEventID},
		{"InvalidEvents", testInvalidEvents},
		{"ReadStream", testReadStream},
		{"ReadAll", testReadAll},
		{"ReadAllFilter", testReadAllFilter},
		{"Head", testHead},
		{"LargePayload", testLargePayload},
		{"NonASCII", testNonASCII},
		{"SubscribeCatchUpThenLive", testSubscribeCatchUpThenLive},
		{"SubscribeResume", testSubscribeResume},
		{"SubscribeFilter", testSubscribeFilter},
		{"LateCommitNotSkipped", func(t *testing.T, b Backend) { testLateCommitNotSkipped(t, b, 2) }},
		{"LateCommitNotSkippedLargeBatch", func(t *testing.T, b Backend) { testLateCommitNotSkipped(t, b, largeBatch) }},
		{"LargeBatch", testLargeBatch},
		{"ExactAheadWritesNothing", testExactAheadWritesNothing},
		{"ConcurrentAnyLargeBatchesAllSucceed", testConcurrentAnyLargeBatches},
		{"Cancellation", testCancellation},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tc.fn(t, b)
		})
	}
}

// Events returns n valid events whose IDs derive from key, so the same key and n give the same events.
// Their payloads look like warehouse receipts (decimal strings, a nested object); benchmarks use them too.
func Events(key string, n int) []eventstore.EventData {
	out := make([]eventstore.EventData, n)
	for i := range n {
		out[i] = eventstore.EventData{
			ID:   eventstore.DeriveID(key, i),
			Type: "receipt.line_received.v1",
			Data: json.RawMessage(fmt.Sprintf(
				`{"receipt":%q,"line":%d,"sku":"SKU-%04d","qty":"%d.500","uom":"EA","lot":{"id":"L-%d","expires":"2027-01-31"}}`,
				key, i+1, i%1000, i+1, i)),
			Metadata: eventstore.Metadata{
				CorrelationID: "corr-" + key,
				MessageID:     "msg-" + key,
				PartnerID:     "acme-3pl",
				Source:        "wms:acme-3pl",
				Actor:         "edi-856",
				OccurredAt:    time.Date(2025, 6, 1, 8, 0, i%60, 0, time.UTC),
			},
		}
	}
	return out
}

// prefix gives each subtest its own stream namespace, as watermill gives each test its own topic, so the
// suite stays correct even for a backend whose New shares one database between subtests.
func prefix(t *testing.T) string {
	name := t.Name()
	if i := strings.LastIndexByte(name, '/'); i >= 0 {
		name = name[i+1:]
	}
	return strings.ToLower(name) + "-"
}

// event builds one event whose ID derives from the test, the key and i.
func event(t *testing.T, key string, i int, typ, data string) eventstore.EventData {
	return eventstore.EventData{
		ID:   eventstore.DeriveID(t.Name()+"/"+key, i),
		Type: typ,
		Data: json.RawMessage(data),
	}
}

// requireEvent checks that got is want, stored as the version-th event of stream.
func requireEvent(t *testing.T, want eventstore.EventData, stream string, version int64, got eventstore.Event) {
	t.Helper()
	require.Equal(t, want.ID, got.ID, "event ID")
	require.Equal(t, stream, got.StreamID, "stream of %s", want.ID)
	require.Equal(t, version, got.StreamVersion, "stream version of %s", want.ID)
	require.Equal(t, want.Type, got.Type, "type of %s", want.ID)
	require.True(t, eventstore.JSONEqual(want.Data, got.Data), "data of %s: want %s, got %s", want.ID, want.Data, got.Data)
	require.False(t, got.Position.IsZero(), "position of %s is Start", want.ID)

	wm, gm := want.Metadata, got.Metadata
	require.Equal(t, wm.CorrelationID, gm.CorrelationID, "correlation ID of %s", want.ID)
	require.Equal(t, wm.CausationID, gm.CausationID, "causation ID of %s", want.ID)
	require.Equal(t, wm.MessageID, gm.MessageID, "message ID of %s", want.ID)
	require.Equal(t, wm.PartnerID, gm.PartnerID, "partner ID of %s", want.ID)
	require.Equal(t, wm.Source, gm.Source, "source of %s", want.ID)
	require.Equal(t, wm.Actor, gm.Actor, "actor of %s", want.ID)
	if wm.OccurredAt.IsZero() {
		require.True(t, gm.OccurredAt.IsZero(), "occurred at of %s: want zero, got %s", want.ID, gm.OccurredAt)
	} else {
		require.True(t, wm.OccurredAt.Truncate(time.Microsecond).Equal(gm.OccurredAt),
			"occurred at of %s: want %s, got %s", want.ID, wm.OccurredAt, gm.OccurredAt)
		require.Equal(t, time.UTC, gm.OccurredAt.Location(), "occurred at of %s is not UTC", want.ID)
	}
	require.False(t, got.RecordedAt.IsZero(), "recorded at of %s not set by the store", want.ID)
	require.Equal(t, time.UTC, got.RecordedAt.Location(), "recorded at of %s is not UTC", want.ID)
}

// requireOrdered checks that events come in strictly increasing global order.
func requireOrdered(t *testing.T, events []eventstore.Event) {
	t.Helper()
	for i := 1; i < len(events); i++ {
		require.True(t, events[i-1].Position.Less(events[i].Position),
			"event %d at %s does not come after event %d at %s", i, events[i].Position, i-1, events[i-1].Position)
	}
}

func ids(events []eventstore.Event) []string {
	out := make([]string, len(events))
	for i, ev := range events {
		out[i] = ev.ID.String()
	}
	return out
}

func dataIDs(events []eventstore.EventData) []string {
	out := make([]string, len(events))
	for i, ev := range events {
		out[i] = ev.ID.String()
	}
	return out
}

// mustAppend appends and fails the test on error.
func mustAppend(t *testing.T, s eventstore.Store, stream string, expected eventstore.ExpectedVersion, events ...eventstore.EventData) eventstore.AppendResult {
	t.Helper()
	res, err := s.Append(t.Context(), stream, expected, events...)
	require.NoError(t, err, "append %d events to %s at %s", len(events), stream, expected)
	return res
}

// readAll reads every event after from that passes filter, in pages of 1000.
func readAll(t *testing.T, s eventstore.Store, from eventstore.Position, filter eventstore.Filter) []eventstore.Event {
	t.Helper()
	var out []eventstore.Event
	for {
		page, err := s.ReadAll(t.Context(), from, 1000, filter)
		require.NoError(t, err, "read all from %s", from)
		out = append(out, page...)
		if len(page) < 1000 {
			return out
		}
		from = page[len(page)-1].Position
	}
}

// subscription runs one Subscribe in a goroutine and hands its events over a channel.
type subscription struct {
	cancel context.CancelFunc
	events chan eventstore.Event
	done   chan struct{}

	mu  sync.Mutex
	err error // the error Subscribe yielded last; read after done is closed
}

func subscribe(t *testing.T, s eventstore.Store, from eventstore.Position, filter eventstore.Filter) *subscription {
	t.Helper()
	ctx, cancel := context.WithCancel(t.Context())
	sub := &subscription{cancel: cancel, events: make(chan eventstore.Event, 100_000), done: make(chan struct{})}
	go func() {
		defer close(sub.done)
		for batch, err := range s.Subscribe(ctx, from, filter) {
			if err != nil {
				sub.mu.Lock()
				sub.err = err
				sub.mu.Unlock()
				return
			}
			for _, ev := range batch {
				select {
				case sub.events <- ev:
				case <-ctx.Done():
					return
				}
			}
		}
	}()
	t.Cleanup(sub.stop)
	return sub
}

// stop cancels the subscription and waits for its goroutine to end.
func (sub *subscription) stop() {
	sub.cancel()
	<-sub.done
}

func (sub *subscription) yieldedErr() error {
	sub.mu.Lock()
	defer sub.mu.Unlock()
	return sub.err
}

// next waits for n events and fails the test when they do not come within waitFor.
func (sub *subscription) next(t *testing.T, n int) []eventstore.Event {
	t.Helper()
	out := make([]eventstore.Event, 0, n)
	timeout := time.NewTimer(waitFor)
	defer timeout.Stop()
	for len(out) < n {
		select {
		case ev := <-sub.events:
			out = append(out, ev)
		case <-sub.done:
			// Drain what was sent before the goroutine ended, then report why it ended.
			for len(out) < n {
				select {
				case ev := <-sub.events:
					out = append(out, ev)
				default:
					t.Fatalf("subscription ended after %d of %d events: %v", len(out), n, sub.yieldedErr())
				}
			}
		case <-timeout.C:
			t.Fatalf("subscription delivered %d of %d events within %s: %v", len(out), n, waitFor, ids(out))
		}
	}
	return out
}

// quiet asserts that the subscription delivers nothing more for d.
func (sub *subscription) quiet(t *testing.T, d time.Duration) {
	t.Helper()
	select {
	case ev := <-sub.events:
		t.Fatalf("unexpected event %s (stream %s v%d at %s)", ev.ID, ev.StreamID, ev.StreamVersion, ev.Position)
	case <-time.After(d):
	}
}

// race runs op for writers 0..n-1 at once (released together, so they contend) and returns each
// writer's error.
func race(n int, op func(w int) error) []error {
	start := make(chan struct{})
	errs := make([]error, n)
	var wg sync.WaitGroup
	for w := range n {
		wg.Go(func() {
			<-start
			errs[w] = op(w)
		})
	}
	close(start)
	wg.Wait()
	return errs
}

// requireContiguous checks that events are a stream's versions 1, 2, 3 ... with no gap.
func requireContiguous(t *testing.T, events []eventstore.Event) {
	t.Helper()
	for i, ev := range events {
		require.Equal(t, int64(i+1), ev.StreamVersion, "version %d of %d", i+1, len(events))
	}
}
