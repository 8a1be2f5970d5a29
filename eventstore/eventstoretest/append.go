package eventstoretest

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/crossdock-hub/crossdock/eventstore"
)

func testRoundTrip(t *testing.T, b Backend) {
	s := b.New(t)
	stream := prefix(t) + "receipt-acme3pl:RCV-88"
	// A zone other than UTC and a whole number of microseconds: the store must keep the instant and
	// hand it back in UTC.
	occurred := time.Date(2025, 3, 14, 9, 26, 53, 589793000, time.FixedZone("CET", 3600))
	full := event(t, "rcv", 0, "receipt.line_received.v1",
		`{"receipt":"RCV-88","lines":[{"sku":"SKU-42","qty":"12.500","uom":"KG"}],"pallets":3,"urgent":true,"note":null}`)
	full.Metadata = eventstore.Metadata{
		CorrelationID: "corr-7f3a",
		CausationID:   "cause-19b2",
		MessageID:     "msg-edi-856-000123",
		PartnerID:     "acme-3pl",
		Source:        "wms:acme-3pl",
		Actor:         "edi-gateway",
		OccurredAt:    occurred,
	}
	bare := event(t, "rcv", 1, "receipt.closed.v1", `{"receipt":"RCV-88"}`)

	before := time.Now().Add(-time.Second)
	res := mustAppend(t, s, stream, eventstore.Any, full, bare)
	after := time.Now().Add(time.Second)
	require.Equal(t, int64(2), res.StreamVersion)
	require.False(t, res.Duplicate)

	got, err := s.ReadStream(t.Context(), stream, 1, 10)
	require.NoError(t, err)
	require.Len(t, got, 2)
	requireEvent(t, full, stream, 1, got[0])
	requireEvent(t, bare, stream, 2, got[1])
	require.Equal(t, res.Position, got[1].Position, "append result position is the last event's")
	requireOrdered(t, got)
	for _, ev := range got {
		require.True(t, ev.RecordedAt.After(before) && ev.RecordedAt.Before(after),
			"recorded at %s is not the append time (%s .. %s)", ev.RecordedAt, before, after)
	}

	// Every read path hands back the same envelope.
	all, err := s.ReadAll(t.Context(), eventstore.Start, 10, eventstore.Filter{})
	require.NoError(t, err)
	require.Len(t, all, 2)
	requireEvent(t, full, stream, 1, all[0])
	requireEvent(t, bare, stream, 2, all[1])
	require.Equal(t, got[0].Position, all[0].Position)
	require.True(t, got[0].RecordedAt.Equal(all[0].RecordedAt))

	sub := subscribe(t, s, eventstore.Start, eventstore.Filter{})
	live := sub.next(t, 2)
	requireEvent(t, full, stream, 1, live[0])
	requireEvent(t, bare, stream, 2, live[1])
	require.Equal(t, got[1].Position, live[1].Position)
}

func testExpectedVersion(t *testing.T, b Backend) {
	s := b.New(t)
	p := prefix(t)
	ctx := t.Context()

	t.Run("NoStream", func(t *testing.T) {
		stream := p + "order-po:P00042"
		res := mustAppend(t, s, stream, eventstore.NoStream, event(t, "a", 0, "order.placed.v1", `{"po":"P00042"}`))
		require.Equal(t, int64(1), res.StreamVersion)
		_, err := s.Append(ctx, stream, eventstore.NoStream, event(t, "a", 1, "order.placed.v1", `{"po":"P00042"}`))
		require.ErrorIs(t, err, eventstore.ErrConcurrency, "NoStream on an existing stream")
		_, err = s.Append(ctx, stream, eventstore.Exact(0), event(t, "a", 2, "order.placed.v1", `{"po":"P00042"}`))
		require.ErrorIs(t, err, eventstore.ErrConcurrency, "Exact(0) on an existing stream")
	})
	t.Run("Exact", func(t *testing.T) {
		stream := p + "order-po:P00043"
		_, err := s.Append(ctx, stream, eventstore.Exact(1), event(t, "b", 0, "order.placed.v1", `{}`))
		require.ErrorIs(t, err, eventstore.ErrConcurrency, "Exact(1) on a missing stream")
		_, err = s.ReadStream(ctx, stream, 1, 10)
		require.ErrorIs(t, err, eventstore.ErrStreamNotFound, "a refused append must write nothing")

		mustAppend(t, s, stream, eventstore.Exact(0), event(t, "b", 1, "order.placed.v1", `{}`), event(t, "b", 2, "order.line_added.v1", `{}`))
		res := mustAppend(t, s, stream, eventstore.Exact(2), event(t, "b", 3, "order.confirmed.v1", `{}`))
		require.Equal(t, int64(3), res.StreamVersion)

		for _, wrong := range []eventstore.ExpectedVersion{eventstore.Exact(2), eventstore.Exact(4), eventstore.Exact(1)} {
			_, err := s.Append(ctx, stream, wrong, event(t, "b", 4, "order.cancelled.v1", `{}`))
			require.ErrorIs(t, err, eventstore.ErrConcurrency, "Exact(%d) on a stream at 3", wrong)
		}
		got, err := s.ReadStream(ctx, stream, 1, 10)
		require.NoError(t, err)
		require.Len(t, got, 3, "refused appends must write nothing")
		require.Equal(t, "order.confirmed.v1", got[2].Type)
	})
	t.Run("Any", func(t *testing.T) {
		stream := p + "order-po:P00044"
		res := mustAppend(t, s, stream, eventstore.Any, event(t, "c", 0, "order.placed.v1", `{}`))
		require.Equal(t, int64(1), res.StreamVersion)
		res = mustAppend(t, s, stream, eventstore.Any, event(t, "c", 1, "order.line_added.v1", `{}`), event(t, "c", 2, "order.line_added.v1", `{}`))
		require.Equal(t, int64(3), res.StreamVersion)
	})
}

// testConcurrentAppendersOneWins is wild-workouts' race: 20 writers at the same expected version, one may
// win. A backend that reads the version and then inserts without a guard lets several win.
func testConcurrentAppendersOneWins(t *testing.T, b Backend) {
	s := b.New(t)
	stream := prefix(t) + "inventory-wh1:SKU-42"
	mustAppend(t, s, stream, eventstore.NoStream, event(t, "seed", 0, "inventory.counted.v1", `{"qty":"10"}`))

	errs := race(20, func(w int) error {
		_, err := s.Append(t.Context(), stream, eventstore.Exact(1),
			event(t, fmt.Sprint("writer", w), 0, "inventory.adjusted.v1", fmt.Sprintf(`{"writer":%d,"delta":"-1"}`, w)),
			event(t, fmt.Sprint("writer", w), 1, "inventory.adjusted.v1", fmt.Sprintf(`{"writer":%d,"delta":"+2"}`, w)))
		return err
	})

	winner := -1
	for w, err := range errs {
		if err == nil {
			require.Equal(t, -1, winner, "writers %d and %d both won", winner, w)
			winner = w
			continue
		}
		require.ErrorIs(t, err, eventstore.ErrConcurrency, "writer %d", w)
	}
	require.NotEqual(t, -1, winner, "no writer won")

	got, err := s.ReadStream(t.Context(), stream, 1, 100)
	require.NoError(t, err)
	require.Len(t, got, 3, "the stream holds the seed and the winner's two events")
	require.Equal(t, eventstore.DeriveID(t.Name()+"/"+fmt.Sprint("writer", winner), 0), got[1].ID)
	require.Equal(t, eventstore.DeriveID(t.Name()+"/"+fmt.Sprint("writer", winner), 1), got[2].ID)
	require.Len(t, readAll(t, s, eventstore.Start, eventstore.Filter{}), 3, "losers left nothing in the global log")
}

// testConcurrentAnyAppends: Any never conflicts, so concurrent Any appends to one stream all succeed and
// the versions stay contiguous. A backend computing max(version)+1 and failing on the unique key breaks it.
func testConcurrentAnyAppends(t *testing.T, b Backend) {
	s := b.New(t)
	stream := prefix(t) + "partner-acme"
	const writers = 20
	errs := race(writers, func(w int) error {
		_, err := s.Append(t.Context(), stream, eventstore.Any,
			event(t, fmt.Sprint("writer", w), 0, "partner.pinged.v1", fmt.Sprintf(`{"writer":%d}`, w)))
		return err
	})
	for w, err := range errs {
		require.NoError(t, err, "writer %d appending with Any", w)
	}
	got, err := s.ReadStream(t.Context(), stream, 1, 100)
	require.NoError(t, err)
	require.Len(t, got, writers)
	requireContiguous(t, got)
	requireOrdered(t, got)
}

// testConcurrentStreams: writers on different streams never block each other into failure, and the global
// log orders all their events.
func testConcurrentStreams(t *testing.T, b Backend) {
	s := b.New(t)
	p := prefix(t)
	const writers, appends = 8, 10
	var wg sync.WaitGroup
	errs := make([]error, writers)
	for w := range writers {
		wg.Go(func() {
			stream := fmt.Sprintf("%sshipment-ups:1Z%03d", p, w)
			for i := range appends {
				if _, err := s.Append(t.Context(), stream, eventstore.Exact(int64(i)),
					event(t, stream, i, "shipment.scanned.v1", fmt.Sprintf(`{"scan":%d}`, i))); err != nil {
					errs[w] = err
					return
				}
			}
		})
	}
	wg.Wait()
	for w, err := range errs {
		require.NoError(t, err, "writer %d", w)
	}
	all := readAll(t, s, eventstore.Start, eventstore.Filter{StreamPrefix: p})
	require.Len(t, all, writers*appends)
	requireOrdered(t, all)
	next := map[string]int64{}
	for _, ev := range all {
		next[ev.StreamID]++
		require.Equal(t, next[ev.StreamID], ev.StreamVersion, "versions of %s in global order", ev.StreamID)
	}
	require.Len(t, next, writers)
}

func testIdempotent(t *testing.T, b Backend) {
	s := b.New(t)
	stream := prefix(t) + "shipment-ups:1Z999"
	events := []eventstore.EventData{
		event(t, "asn", 0, "shipment.asn_received.v1", `{"asn":"ASN-1","lines":[{"sku":"SKU-1","qty":"4"}]}`),
		event(t, "asn", 1, "shipment.asn_line_added.v1", `{"asn":"ASN-1","sku":"SKU-2","qty":"1.25"}`),
	}
	first := mustAppend(t, s, stream, eventstore.NoStream, events...)
	require.False(t, first.Duplicate)
	other := mustAppend(t, s, prefix(t)+"shipment-ups:1Z000", eventstore.Any, event(t, "other", 0, "shipment.created.v1", `{}`))

	// A retried message re-appends with the expected version it used the first time.
	again := mustAppend(t, s, stream, eventstore.NoStream, events...)
	require.True(t, again.Duplicate, "re-append of stored events")
	require.Equal(t, first.StreamVersion, again.StreamVersion)
	require.Equal(t, first.Position, again.Position, "a duplicate reports where the events are stored")

	again = mustAppend(t, s, stream, eventstore.Any, events...)
	require.True(t, again.Duplicate, "re-append with Any")

	// Same JSON value, other whitespace and key order: still the same content.
	reformatted := events[1]
	reformatted.Data = []byte(`{ "sku": "SKU-2", "qty": "1.25", "asn": "ASN-1" }`)
	again = mustAppend(t, s, stream, eventstore.NoStream, events[0], reformatted)
	require.True(t, again.Duplicate, "re-append with reformatted JSON")

	// A batch of which only some events are stored is no retry of one append (appends are atomic): it is
	// refused as a duplicate, not as a concurrency conflict a caller would retry forever.
	extra := event(t, "asn", 2, "shipment.asn_line_added.v1", `{"asn":"ASN-1","sku":"SKU-3","qty":"2"}`)
	for _, expected := range []eventstore.ExpectedVersion{eventstore.Any, eventstore.Exact(first.StreamVersion), eventstore.NoStream} {
		_, err := s.Append(t.Context(), stream, expected, events[1], extra)
		require.ErrorIs(t, err, eventstore.ErrDuplicateEvent, "partly stored batch at %s", expected)
	}

	all := readAll(t, s, eventstore.Start, eventstore.Filter{})
	want := append(dataIDs(events), eventstore.DeriveID(t.Name()+"/other", 0).String())
	require.Equal(t, want, ids(all), "duplicates wrote nothing")
	head, err := s.Head(t.Context())
	require.NoError(t, err)
	require.Equal(t, other.Position, head)
}

func testDuplicateEventID(t *testing.T, b Backend) {
	s := b.New(t)
	p := prefix(t)
	stream := p + "invoice-acme:INV-7781"
	stored := event(t, "inv", 0, "invoice.received.v1", `{"invoice":"INV-7781","total":"118.00"}`)
	mustAppend(t, s, stream, eventstore.NoStream, stored)

	otherData := stored
	otherData.Data = []byte(`{"invoice":"INV-7781","total":"181.00"}`)
	otherType := stored
	otherType.Type = "invoice.disputed.v1"

	for _, tc := range []struct {
		name   string
		stream string
		ev     eventstore.EventData
	}{
		{"OtherData", stream, otherData},
		{"OtherType", stream, otherType},
		{"OtherStream", p + "invoice-acme:INV-7782", stored},
	} {
		_, err := s.Append(t.Context(), tc.stream, eventstore.Any, tc.ev)
		require.ErrorIs(t, err, eventstore.ErrDuplicateEvent, tc.name)
		require.NotErrorIs(t, err, eventstore.ErrConcurrency, tc.name)
	}
	// A batch that mixes a new event with a colliding one is refused whole.
	_, err := s.Append(t.Context(), stream, eventstore.Any, event(t, "inv", 1, "invoice.line.v1", `{}`), otherData)
	require.ErrorIs(t, err, eventstore.ErrDuplicateEvent)

	all := readAll(t, s, eventstore.Start, eventstore.Filter{})
	require.Equal(t, []string{stored.ID.String()}, ids(all), "collisions wrote nothing")
	require.True(t, eventstore.JSONEqual(stored.Data, all[0].Data), "the stored event keeps its content")
	_, err = s.ReadStream(t.Context(), p+"invoice-acme:INV-7782", 1, 10)
	require.ErrorIs(t, err, eventstore.ErrStreamNotFound)
}

func testInvalidEvents(t *testing.T, b Backend) {
	s := b.New(t)
	stream := prefix(t) + "order-po:P1"
	valid := event(t, "ok", 0, "order.placed.v1", `{"po":"P1"}`)
	noID := event(t, "x", 0, "order.placed.v1", `{}`)
	noID.ID = uuid.Nil
	noType := event(t, "x", 1, "", `{}`)
	notJSON := event(t, "x", 2, "order.placed.v1", `{"po": P1}`)

	for _, tc := range []struct {
		name   string
		stream string
		events []eventstore.EventData
	}{
		{"NoID", stream, []eventstore.EventData{noID}},
		{"NoType", stream, []eventstore.EventData{noType}},
		{"NotJSON", stream, []eventstore.EventData{notJSON}},
		{"ValidThenInvalid", stream, []eventstore.EventData{valid, notJSON}},
		{"EmptyStream", "", []eventstore.EventData{valid}},
	} {
		_, err := s.Append(t.Context(), tc.stream, eventstore.Any, tc.events...)
		require.ErrorIs(t, err, eventstore.ErrInvalidEvent, tc.name)
	}
	require.Empty(t, readAll(t, s, eventstore.Start, eventstore.Filter{}), "invalid appends wrote nothing")
}

func testCancellation(t *testing.T, b Backend) {
	s := b.New(t)
	stream := prefix(t) + "order-po:P9"
	mustAppend(t, s, stream, eventstore.Any, event(t, "seed", 0, "order.placed.v1", `{}`))

	cancelled, cancel := context.WithCancel(t.Context())
	cancel()
	_, err := s.Append(cancelled, stream, eventstore.Any, event(t, "late", 0, "order.cancelled.v1", `{}`))
	require.ErrorIs(t, err, context.Canceled, "append with a cancelled context")
	_, err = s.ReadAll(cancelled, eventstore.Start, 10, eventstore.Filter{})
	require.ErrorIs(t, err, context.Canceled, "read all with a cancelled context")
	_, err = s.ReadStream(cancelled, stream, 1, 10)
	require.ErrorIs(t, err, context.Canceled, "read stream with a cancelled context")
	require.Len(t, readAll(t, s, eventstore.Start, eventstore.Filter{}), 1, "the cancelled append wrote nothing")

	// A live subscription, waiting for events that never come, ends promptly on cancel with ctx's error.
	sub := subscribe(t, s, eventstore.Start, eventstore.Filter{})
	sub.next(t, 1)
	time.Sleep(50 * time.Millisecond)
	cancelledAt := time.Now()
	sub.cancel()
	select {
	case <-sub.done:
	case <-time.After(2 * time.Second):
		t.Fatal("subscribe did not end within 2s of cancel")
	}
	t.Logf("subscribe ended %s after cancel", time.Since(cancelledAt))
	err = sub.yieldedErr()
	require.Error(t, err, "subscribe must yield the context's error when it ends")
	require.True(t, errors.Is(err, context.Canceled), "subscribe yielded %v, want context.Canceled", err)
}
