package eventstoretest

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/crossdock-hub/crossdock/eventstore"
)

func testReadStream(t *testing.T, b Backend) {
	s := b.New(t)
	p := prefix(t)
	stream := p + "receipt-acme3pl:RCV-1"
	var events []eventstore.EventData
	for i := range 7 {
		events = append(events, event(t, "rcv", i, "receipt.line_received.v1", fmt.Sprintf(`{"line":%d}`, i+1)))
	}
	mustAppend(t, s, stream, eventstore.NoStream, events[:3]...)
	// Another stream in between, so versions and global positions differ.
	mustAppend(t, s, p+"receipt-acme3pl:RCV-2", eventstore.NoStream, event(t, "rcv2", 0, "receipt.line_received.v1", `{}`))
	mustAppend(t, s, stream, eventstore.Exact(3), events[3:]...)

	for _, tc := range []struct {
		from     int64
		limit    int
		versions []int64
	}{
		{1, 100, []int64{1, 2, 3, 4, 5, 6, 7}},
		{1, 3, []int64{1, 2, 3}},
		{3, 2, []int64{3, 4}},
		{6, 100, []int64{6, 7}},
		{7, 1, []int64{7}},
		{8, 100, nil}, // an existing stream read past its end is empty, not missing
	} {
		got, err := s.ReadStream(t.Context(), stream, tc.from, tc.limit)
		require.NoError(t, err, "from %d limit %d", tc.from, tc.limit)
		var versions []int64
		for _, ev := range got {
			versions = append(versions, ev.StreamVersion)
			requireEvent(t, events[ev.StreamVersion-1], stream, ev.StreamVersion, ev)
		}
		require.Equal(t, tc.versions, versions, "from %d limit %d", tc.from, tc.limit)
		requireOrdered(t, got)
	}

	_, err := s.ReadStream(t.Context(), p+"receipt-acme3pl:RCV-404", 1, 10)
	require.ErrorIs(t, err, eventstore.ErrStreamNotFound)
	// A stream name is matched exactly, never as a prefix.
	_, err = s.ReadStream(t.Context(), p+"receipt-acme3pl:RCV", 1, 10)
	require.ErrorIs(t, err, eventstore.ErrStreamNotFound)
}

func testReadAll(t *testing.T, b Backend) {
	s := b.New(t)
	p := prefix(t)
	streams := []string{p + "order-po:P1", p + "shipment-ups:1Z1", p + "invoice-acme:INV-1"}
	// Interleave appends to three streams; remember the global order they were written in.
	var want []string
	for round := range 4 {
		for j, stream := range streams {
			n := 1 + (round+j)%3
			var batch []eventstore.EventData
			for k := range n {
				batch = append(batch, event(t, stream, round*10+k, "any.event.v1", fmt.Sprintf(`{"round":%d,"k":%d}`, round, k)))
			}
			mustAppend(t, s, stream, eventstore.Any, batch...)
			want = append(want, dataIDs(batch)...)
		}
	}

	all, err := s.ReadAll(t.Context(), eventstore.Start, 1000, eventstore.Filter{})
	require.NoError(t, err)
	require.Equal(t, want, ids(all), "global order is append order")
	requireOrdered(t, all)

	got, err := s.ReadAll(t.Context(), eventstore.Start, 5, eventstore.Filter{})
	require.NoError(t, err)
	require.Equal(t, want[:5], ids(got), "limit")

	got, err = s.ReadAll(t.Context(), all[4].Position, 3, eventstore.Filter{})
	require.NoError(t, err)
	require.Equal(t, want[5:8], ids(got), "from is exclusive")

	got, err = s.ReadAll(t.Context(), all[len(all)-1].Position, 10, eventstore.Filter{})
	require.NoError(t, err)
	require.Empty(t, got, "nothing after the last event")

	// Paging with the last position of each page reads everything exactly once.
	var paged []eventstore.Event
	from := eventstore.Start
	for {
		page, err := s.ReadAll(t.Context(), from, 4, eventstore.Filter{})
		require.NoError(t, err)
		if len(page) == 0 {
			break
		}
		paged = append(paged, page...)
		from = page[len(page)-1].Position
	}
	require.Equal(t, want, ids(paged), "paging")
}

func testReadAllFilter(t *testing.T, b Backend) {
	s := b.New(t)
	p := prefix(t)
	// The prefixes hold LIKE wildcards and differ only by case, so a backend matching with an unescaped
	// or case-insensitive LIKE fails here.
	appendOne := func(stream, typ string, i int) string {
		ev := event(t, stream, i, typ, `{}`)
		mustAppend(t, s, stream, eventstore.Any, ev)
		return ev.ID.String()
	}
	a1 := appendOne(p+"order_po:P1", "order.placed.v1", 0)
	b1 := appendOne(p+"orderXpo:P2", "order.placed.v1", 0)
	c1 := appendOne(p+"Order_po:P3", "order.placed.v1", 0)
	a2 := appendOne(p+"order_po:P1", "order.confirmed.v1", 1)
	d1 := appendOne(p+"order%po:P4", "order.cancelled.v1", 0)
	e1 := appendOne(p+"shipment-ups:1Z", "shipment.created.v1", 0)
	b2 := appendOne(p+"orderXpo:P2", "order.cancelled.v1", 1)

	for _, tc := range []struct {
		name   string
		filter eventstore.Filter
		want   []string
	}{
		{"None", eventstore.Filter{}, []string{a1, b1, c1, a2, d1, e1, b2}},
		{"Prefix", eventstore.Filter{StreamPrefix: p + "order"}, []string{a1, b1, a2, d1, b2}},
		{"PrefixUnderscore", eventstore.Filter{StreamPrefix: p + "order_"}, []string{a1, a2}},
		{"PrefixPercent", eventstore.Filter{StreamPrefix: p + "order%"}, []string{d1}},
		{"PrefixCase", eventstore.Filter{StreamPrefix: p + "Order"}, []string{c1}},
		{"WholeStream", eventstore.Filter{StreamPrefix: p + "orderXpo:P2"}, []string{b1, b2}},
		{"NoMatch", eventstore.Filter{StreamPrefix: p + "invoice-"}, nil},
		{"Type", eventstore.Filter{Types: []string{"order.cancelled.v1"}}, []string{d1, b2}},
		{"Types", eventstore.Filter{Types: []string{"order.confirmed.v1", "shipment.created.v1"}}, []string{a2, e1}},
		{"PrefixAndType", eventstore.Filter{StreamPrefix: p + "order", Types: []string{"order.placed.v1"}}, []string{a1, b1}},
		{"UnknownType", eventstore.Filter{Types: []string{"order.placed"}}, nil},
	} {
		got := readAll(t, s, eventstore.Start, tc.filter)
		require.Equal(t, tc.want, nilIfEmpty(ids(got)), tc.name)
		for _, ev := range got {
			require.True(t, tc.filter.Match(ev), "%s: %s in %s does not match", tc.name, ev.Type, ev.StreamID)
		}
	}

	// A filtered page of limit 1 after the first match skips the events that do not match.
	all := readAll(t, s, eventstore.Start, eventstore.Filter{})
	got, err := s.ReadAll(t.Context(), all[0].Position, 1, eventstore.Filter{Types: []string{"order.cancelled.v1"}})
	require.NoError(t, err)
	require.Equal(t, []string{d1}, ids(got))
}

func nilIfEmpty(s []string) []string {
	if len(s) == 0 {
		return nil
	}
	return s
}

func testHead(t *testing.T, b Backend) {
	s := b.New(t)
	p := prefix(t)
	head, err := s.Head(t.Context())
	require.NoError(t, err)
	require.Equal(t, eventstore.Start, head, "an empty store is at Start")

	first := mustAppend(t, s, p+"order-po:P1", eventstore.Any, event(t, "a", 0, "order.placed.v1", `{}`), event(t, "a", 1, "order.placed.v1", `{}`))
	head, err = s.Head(t.Context())
	require.NoError(t, err)
	require.Equal(t, first.Position, head)

	second := mustAppend(t, s, p+"order-po:P2", eventstore.Any, event(t, "b", 0, "order.placed.v1", `{}`))
	head, err = s.Head(t.Context())
	require.NoError(t, err)
	require.Equal(t, second.Position, head)
	require.True(t, first.Position.Less(head))

	// A refused append does not move the head.
	_, err = s.Append(t.Context(), p+"order-po:P2", eventstore.NoStream, event(t, "c", 0, "order.placed.v1", `{}`))
	require.ErrorIs(t, err, eventstore.ErrConcurrency)
	head, err = s.Head(t.Context())
	require.NoError(t, err)
	require.Equal(t, second.Position, head)
	all := readAll(t, s, eventstore.Start, eventstore.Filter{})
	require.Equal(t, all[len(all)-1].Position, head)
}

func testLargePayload(t *testing.T, b Backend) {
	s := b.New(t)
	stream := prefix(t) + "invoice-acme:INV-BIG"
	// 1 MiB of JSON: an EDI invoice with many lines, as partners do send.
	var sb strings.Builder
	sb.WriteString(`{"invoice":"INV-BIG","lines":[`)
	for i := 0; sb.Len() < 1<<20-200; i++ {
		if i > 0 {
			sb.WriteByte(',')
		}
		fmt.Fprintf(&sb, `{"n":%d,"sku":"SKU-%06d","qty":"%d.000","price":"12.34"}`, i, i, i%97)
	}
	sb.WriteString(`],"pad":"`)
	sb.WriteString(strings.Repeat("x", 1<<20-sb.Len()-2))
	sb.WriteString(`"}`)
	data := []byte(sb.String())
	require.Len(t, data, 1<<20)
	require.True(t, json.Valid(data))

	big := event(t, "big", 0, "invoice.received.v1", string(data))
	mustAppend(t, s, stream, eventstore.NoStream, big)
	got, err := s.ReadStream(t.Context(), stream, 1, 1)
	require.NoError(t, err)
	require.Len(t, got, 1)
	requireEvent(t, big, stream, 1, got[0])
	all := readAll(t, s, eventstore.Start, eventstore.Filter{})
	require.Len(t, all, 1)
	require.True(t, eventstore.JSONEqual(data, all[0].Data), "1 MiB payload through ReadAll")
	again := mustAppend(t, s, stream, eventstore.NoStream, big)
	require.True(t, again.Duplicate, "re-append of the 1 MiB event")
}

func testNonASCII(t *testing.T, b Backend) {
	s := b.New(t)
	p := prefix(t)
	const text = "Müller – 東京 – Zürich 🚚"
	stream := p + "partner-müller–東京🚚"
	ev := event(t, "u", 0, "partner.registered.v1", fmt.Sprintf(`{"name":%q,"city":"Zürich","note":"\u00e9\ud83d\ude9a"}`, text))
	ev.Metadata = eventstore.Metadata{
		CorrelationID: "corr-東京",
		CausationID:   "cause-🚚",
		MessageID:     "msg-Müller",
		PartnerID:     "müller-gmbh",
		Source:        "edi:müller–東京",
		Actor:         text,
	}
	mustAppend(t, s, stream, eventstore.NoStream, ev)
	mustAppend(t, s, p+"partner-mueller", eventstore.NoStream, event(t, "ascii", 0, "partner.registered.v1", `{}`))

	got, err := s.ReadStream(t.Context(), stream, 1, 10)
	require.NoError(t, err)
	require.Len(t, got, 1)
	requireEvent(t, ev, stream, 1, got[0])
	var body struct{ Name, Note string }
	require.NoError(t, json.Unmarshal(got[0].Data, &body))
	require.Equal(t, text, body.Name)
	require.Equal(t, "é🚚", body.Note)

	byPrefix := readAll(t, s, eventstore.Start, eventstore.Filter{StreamPrefix: p + "partner-mü"})
	require.Equal(t, []string{ev.ID.String()}, ids(byPrefix), "non-ASCII stream prefix")
	again := mustAppend(t, s, stream, eventstore.NoStream, ev)
	require.True(t, again.Duplicate, "re-append of the non-ASCII event")
}
