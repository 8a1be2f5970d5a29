package eventstoretest

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/crossdock-hub/crossdock/eventstore"
)

// appendMany appends n events to stream in batches of batch and returns their IDs in order.
func appendMany(t *testing.T, s eventstore.Store, stream, key string, n, batch int) []string {
	t.Helper()
	var out []string
	for i := 0; i < n; i += batch {
		var events []eventstore.EventData
		for k := i; k < min(i+batch, n); k++ {
			events = append(events, event(t, key, k, "inventory.counted.v1", fmt.Sprintf(`{"count":%d,"qty":"%d.00"}`, k, k)))
		}
		mustAppend(t, s, stream, eventstore.Any, events...)
		out = append(out, dataIDs(events)...)
	}
	return out
}

func testSubscribeCatchUpThenLive(t *testing.T, b Backend) {
	s := b.New(t)
	p := prefix(t)
	// Enough stored events that a backend reading catch-up in batches needs several.
	stored := appendMany(t, s, p+"inventory-wh1:SKU-1", "stored", 250, 25)

	sub := subscribe(t, s, eventstore.Start, eventstore.Filter{})
	caughtUp := sub.next(t, len(stored))
	require.Equal(t, stored, ids(caughtUp), "catch-up")
	requireOrdered(t, caughtUp)
	sub.quiet(t, 100*time.Millisecond)

	// Appended after the subscriber caught up: they arrive live, in order, after the stored ones.
	live := appendMany(t, s, p+"inventory-wh1:SKU-2", "live", 5, 2)
	time.Sleep(50 * time.Millisecond)
	live = append(live, appendMany(t, s, p+"inventory-wh1:SKU-1", "live2", 3, 3)...)
	got := sub.next(t, len(live))
	require.Equal(t, live, ids(got), "live")
	requireOrdered(t, append(caughtUp, got...))
	for i, ev := range got {
		require.Equal(t, "inventory.counted.v1", ev.Type, "live event %d", i)
		require.False(t, ev.RecordedAt.IsZero())
	}
	sub.quiet(t, 200*time.Millisecond)
}

func testSubscribeResume(t *testing.T, b Backend) {
	s := b.New(t)
	p := prefix(t)
	first := appendMany(t, s, p+"order-po:P1", "first", 30, 7)

	sub := subscribe(t, s, eventstore.Start, eventstore.Filter{})
	got := sub.next(t, 12)
	require.Equal(t, first[:12], ids(got))
	sub.stop()
	checkpoint := got[len(got)-1].Position

	// More events arrive while no one listens.
	second := appendMany(t, s, p+"order-po:P2", "second", 10, 3)
	want := append(append([]string{}, first[12:]...), second...)

	resumed := subscribe(t, s, checkpoint, eventstore.Filter{})
	again := resumed.next(t, len(want))
	require.Equal(t, want, ids(again), "resumed from %s: no duplicate, no gap", checkpoint)
	require.True(t, checkpoint.Less(again[0].Position))

	third := appendMany(t, s, p+"order-po:P1", "third", 4, 4)
	require.Equal(t, third, ids(resumed.next(t, len(third))), "live after resume")
	resumed.quiet(t, 200*time.Millisecond)

	// Resuming from the last event's position delivers only what comes next.
	head, err := s.Head(t.Context())
	require.NoError(t, err)
	tail := subscribe(t, s, head, eventstore.Filter{})
	tail.quiet(t, 200*time.Millisecond)
	last := appendMany(t, s, p+"order-po:P3", "last", 1, 1)
	require.Equal(t, last, ids(tail.next(t, 1)))
}

func testSubscribeFilter(t *testing.T, b Backend) {
	s := b.New(t)
	p := prefix(t)
	appendMany(t, s, p+"order-po:P1", "noise", 40, 10)
	want := appendMany(t, s, p+"shipment-ups:1Z1", "ship", 3, 3)

	sub := subscribe(t, s, eventstore.Start, eventstore.Filter{StreamPrefix: p + "shipment-"})
	require.Equal(t, want, ids(sub.next(t, len(want))), "catch-up past non-matching events")

	appendMany(t, s, p+"order-po:P1", "noise2", 40, 10)
	shipped := event(t, "ship-live", 0, "shipment.delivered.v1", `{"pod":"signed"}`)
	mustAppend(t, s, p+"shipment-ups:1Z2", eventstore.Any, shipped)
	require.Equal(t, []string{shipped.ID.String()}, ids(sub.next(t, 1)), "live past non-matching events")
	sub.quiet(t, 200*time.Millisecond)

	byType := subscribe(t, s, eventstore.Start, eventstore.Filter{Types: []string{"shipment.delivered.v1"}})
	require.Equal(t, []string{shipped.ID.String()}, ids(byType.next(t, 1)))
	byType.quiet(t, 100*time.Millisecond)
}

// testLateCommitNotSkipped is the gap of ARCHITECTURE.md: append A takes its positions first but commits
// after append B. A subscriber that has seen B must still deliver A, once, and in position order.
func testLateCommitNotSkipped(t *testing.T, b Backend, n int) {
	s := b.New(t)
	p := prefix(t)
	streamA, streamB := p+"receipt-a", p+"receipt-b"
	eventsA, eventsB := batchEvents(t, "a", n), batchEvents(t, "b", n)

	sub := subscribe(t, s, eventstore.Start, eventstore.Filter{})
	release := b.AppendHeld(t, s, streamA, eventsA)

	bDone := make(chan error, 1)
	go func() {
		_, err := s.Append(t.Context(), streamB, eventstore.Any, eventsB...)
		bDone <- err
	}()
	var bErr error
	bReturned := false
	select {
	case bErr = <-bDone:
		bReturned = true
	case <-time.After(500 * time.Millisecond):
		// A single-writer backend makes B wait for A's write lock.
	}
	// Give the subscriber time to poll while A is still uncommitted.
	time.Sleep(300 * time.Millisecond)
	require.NoError(t, release(), "held append of A")
	if !bReturned {
		select {
		case bErr = <-bDone:
		case <-time.After(waitFor):
			t.Fatal("append B did not return after A was released")
		}
	}
	require.NoError(t, bErr, "append B")

	got := sub.next(t, len(eventsA)+len(eventsB))
	requireOrdered(t, got)
	seen := map[string]eventstore.Event{}
	for _, ev := range got {
		_, dup := seen[ev.ID.String()]
		require.False(t, dup, "event %s delivered twice", ev.ID)
		seen[ev.ID.String()] = ev
	}
	for i, want := range eventsA {
		ev, ok := seen[want.ID.String()]
		require.True(t, ok, "A's event %d was skipped", i)
		requireEvent(t, want, streamA, int64(i+1), ev)
	}
	for i, want := range eventsB {
		ev, ok := seen[want.ID.String()]
		require.True(t, ok, "B's event %d was skipped", i)
		requireEvent(t, want, streamB, int64(i+1), ev)
	}
	require.Less(t, seen[eventsA[n-1].ID.String()].Position.Global, seen[eventsB[0].ID.String()].Position.Global,
		"A took its global positions before B")
	sub.quiet(t, 300*time.Millisecond)

	// A reader that starts afterwards sees the same order.
	all := readAll(t, s, eventstore.Start, eventstore.Filter{})
	require.Equal(t, ids(got), ids(all))
}
