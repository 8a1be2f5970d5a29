package changefeed_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/ThreeDotsLabs/watermill"
	"github.com/ThreeDotsLabs/watermill/message"
	"github.com/ThreeDotsLabs/watermill/pubsub/gochannel"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/crossdock-hub/crossdock/adapters/changefeed"
	"github.com/crossdock-hub/crossdock/eventstore"
	"github.com/crossdock-hub/crossdock/projections"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

func topic(p string) string { return "views." + p }

func change(key string, n uint64) projections.Change {
	return projections.Change{Projection: "match", Kind: "purchase_order_line", Key: key,
		Row: json.RawMessage(`{"po_number":"` + key + `"}`), Position: eventstore.Position{Commit: n, Global: n}}
}

func next(t *testing.T, ch <-chan projections.Change) projections.Change {
	t.Helper()
	select {
	case c, ok := <-ch:
		require.True(t, ok, "the stream ended")
		return c
	case <-time.After(5 * time.Second):
		t.Fatal("no change within 5s")
		return projections.Change{}
	}
}

func TestChangesReachEveryListener(t *testing.T) {
	bus := gochannel.NewGoChannel(gochannel.Config{OutputChannelBuffer: 64, BlockPublishUntilSubscriberAck: true}, watermill.NopLogger{})
	defer bus.Close()
	feed := changefeed.NewFeed(bus, topic, nil)
	pub := changefeed.NewPublisher(bus, topic)

	ctxA, stopA := context.WithCancel(t.Context())
	a := feed.Listen(ctxA, "match")
	b := feed.Listen(t.Context(), "match")
	other := feed.Listen(t.Context(), "timeline")

	// Published before the feed started: history, not handed on.
	old := message.NewMessage("old", []byte(`{"projection":"match","kind":"purchase_order_line","key":"P0/1","row":{}}`))
	old.Metadata.Set("published_at", time.Now().Add(-time.Hour).UTC().Format(time.RFC3339Nano))
	require.NoError(t, bus.Publish(topic("match"), old))
	require.NoError(t, pub.PublishChanges(t.Context(), []projections.Change{change("P1/1", 7), change("P2/1", 7)}))
	for _, ch := range []<-chan projections.Change{a, b} {
		got := next(t, ch)
		assert.Equal(t, "P1/1", got.Key)
		assert.Equal(t, eventstore.Position{Commit: 7, Global: 7}, got.Position)
		assert.JSONEq(t, `{"po_number":"P1/1"}`, string(got.Row))
		assert.Equal(t, "P2/1", next(t, ch).Key)
	}
	select {
	case c := <-other:
		t.Fatalf("another projection's listener got %v", c)
	case <-time.After(50 * time.Millisecond):
	}

	// A listener whose context ends is closed; the others go on.
	stopA()
	require.Eventually(t, func() bool {
		select {
		case _, ok := <-a:
			return !ok
		default:
			return false
		}
	}, 5*time.Second, 10*time.Millisecond)
	require.NoError(t, pub.PublishChanges(t.Context(), []projections.Change{change("P3/1", 8)}))
	assert.Equal(t, "P3/1", next(t, b).Key)

	// Close ends every stream.
	require.NoError(t, feed.Close())
	_, ok := <-b
	assert.False(t, ok)
}

// A listener that does not read is dropped once it falls a buffer behind; the others keep receiving.
func TestSlowListenerIsDropped(t *testing.T) {
	bus := gochannel.NewGoChannel(gochannel.Config{OutputChannelBuffer: 64, BlockPublishUntilSubscriberAck: true}, watermill.NopLogger{})
	defer bus.Close()
	feed := changefeed.NewFeed(bus, topic, nil)
	defer feed.Close()
	pub := changefeed.NewPublisher(bus, topic)
	slow := feed.Listen(t.Context(), "match")
	fast := feed.Listen(t.Context(), "match")
	n := changefeed.ListenerBuffer + 10
	done := make(chan int)
	go func() {
		seen := 0
		for range fast {
			if seen++; seen == n {
				break
			}
		}
		done <- seen
	}()
	for i := range n {
		require.NoError(t, pub.PublishChanges(t.Context(), []projections.Change{change("P/1", uint64(i+4))}))
	}
	select {
	case seen := <-done:
		assert.Equal(t, n, seen)
	case <-time.After(10 * time.Second):
		t.Fatal("the fast listener was held up")
	}
	got := 0
	for range slow {
		got++
	}
	assert.Equal(t, changefeed.ListenerBuffer, got, "the slow listener kept its buffer, then its stream ended")
}

// One change handed to 100 listeners through the embedded bus, as one subscription per process fans out.
func BenchmarkFanout100(b *testing.B) {
	bus := gochannel.NewGoChannel(gochannel.Config{OutputChannelBuffer: 1024, BlockPublishUntilSubscriberAck: true}, watermill.NopLogger{})
	defer bus.Close()
	feed := changefeed.NewFeed(bus, topic, nil)
	defer feed.Close()
	pub := changefeed.NewPublisher(bus, topic)
	const n = 100
	listeners := make([]<-chan projections.Change, n)
	for i := range listeners {
		listeners[i] = feed.Listen(b.Context(), "match")
	}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		if err := pub.PublishChanges(b.Context(), []projections.Change{change("P/1", uint64(i+1))}); err != nil {
			b.Fatal(err)
		}
		for _, l := range listeners {
			<-l
		}
	}
}
