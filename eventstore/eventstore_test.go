package eventstore_test

import (
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/crossdock-hub/crossdock/eventstore"
)

func TestPositionOrderAndText(t *testing.T) {
	// A later commit group orders after an earlier one even with a lower global number: that is how a
	// PostgreSQL transaction that took position 41 and committed after 42 is still read after it.
	a := eventstore.Position{Commit: 900, Global: 42}
	b := eventstore.Position{Commit: 901, Global: 41}
	require.True(t, a.Less(b))
	require.False(t, b.Less(a))
	require.True(t, eventstore.Start.Less(a))
	require.True(t, eventstore.Start.IsZero())

	for _, p := range []eventstore.Position{eventstore.Start, a, {Commit: 1<<63 + 5, Global: 1<<64 - 1}} {
		got, err := eventstore.ParsePosition(p.String())
		require.NoError(t, err)
		require.Equal(t, p, got)
	}
	got, err := eventstore.ParsePosition("")
	require.NoError(t, err)
	require.Equal(t, eventstore.Start, got)
	for _, bad := range []string{"42", "a/1", "1/b", "-1/2"} {
		_, err := eventstore.ParsePosition(bad)
		require.Error(t, err, bad)
	}
}

func TestDeriveIDIsDeterministic(t *testing.T) {
	a := eventstore.DeriveID("acme:sha256:abc", 0)
	require.Equal(t, a, eventstore.DeriveID("acme:sha256:abc", 0))
	require.NotEqual(t, a, eventstore.DeriveID("acme:sha256:abc", 1))
	require.NotEqual(t, a, eventstore.DeriveID("acme:sha256:abd", 0))
	require.Equal(t, 8, int(a.Version()))
	require.Equal(t, uuid.RFC4122, a.Variant())

	// One message's events share the high half, so they sit together in an index over the ID; other
	// messages' events do not.
	for i := 1; i < 200; i++ {
		b := eventstore.DeriveID("acme:sha256:abc", i)
		require.Equal(t, a[:8], b[:8], "index %d", i)
		require.NotEqual(t, a[8:], b[8:], "index %d", i)
		require.Equal(t, 8, int(b.Version()))
		require.Equal(t, uuid.RFC4122, b.Variant())
	}
	for _, other := range []string{"acme:sha256:abd", "acme:sha256:ab", "", "acme:sha256:abc#0"} {
		b := eventstore.DeriveID(other, 0)
		require.NotEqual(t, a[:8], b[:8], "key %q", other)
	}
}

func TestFilterMatch(t *testing.T) {
	ev := eventstore.Event{StreamID: "shipment-acme:ASN-1", Type: "shipment.asn_received.v1"}
	require.True(t, eventstore.Filter{}.Match(ev))
	require.True(t, eventstore.Filter{StreamPrefix: "shipment-"}.Match(ev))
	require.False(t, eventstore.Filter{StreamPrefix: "order-"}.Match(ev))
	require.True(t, eventstore.Filter{Types: []string{"x", "shipment.asn_received.v1"}}.Match(ev))
	require.False(t, eventstore.Filter{StreamPrefix: "shipment-", Types: []string{"x"}}.Match(ev))
}

func TestExpectedVersionText(t *testing.T) {
	require.Equal(t, "any", eventstore.Any.String())
	require.Equal(t, "no-stream", eventstore.NoStream.String())
	require.Equal(t, "7", eventstore.Exact(7).String())
	require.Equal(t, eventstore.NoStream, eventstore.Exact(0))
}

func TestJSONEqual(t *testing.T) {
	require.True(t, eventstore.JSONEqual([]byte(`{"a":"1","b":[1,2]}`), []byte(`{ "b": [1, 2], "a": "1" }`)))
	require.False(t, eventstore.JSONEqual([]byte(`{"a":"1"}`), []byte(`{"a":"2"}`)))
	require.False(t, eventstore.JSONEqual([]byte(`{"q":1.50}`), []byte(`{"q":1.5}`)), "numbers compare by text")
	require.False(t, eventstore.JSONEqual([]byte(`{"a":`), []byte(`{"a":1}`)))
}

func TestValidate(t *testing.T) {
	err := eventstore.EventData{Data: []byte(`{`)}.Validate()
	require.ErrorIs(t, err, eventstore.ErrInvalidEvent)
	require.ErrorContains(t, err, "no ID")
	require.ErrorContains(t, err, "no type")
	require.ErrorContains(t, err, "not valid JSON")
	require.NoError(t, eventstore.EventData{ID: eventstore.DeriveID("k", 0), Type: "t.v1", Data: []byte(`{}`)}.Validate())
}
