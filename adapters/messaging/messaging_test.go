package messaging

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/ThreeDotsLabs/watermill"
	"github.com/ThreeDotsLabs/watermill/message"
	"github.com/nats-io/nats.go"
	amqp091 "github.com/rabbitmq/amqp091-go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/crossdock-hub/crossdock/internal/testdb"
)

// TestMain fails the package when a test leaves a goroutine behind: after Bus.Close no library may keep
// one running. No goroutine needed an ignore.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

const (
	feedSize = 20
	// Like testdb's CROSSDOCK_TEST_DATABASE_URL: where the test brokers are, when not on this machine.
	natsURLEnv = "CROSSDOCK_TEST_NATS_URL"
	amqpURLEnv = "CROSSDOCK_TEST_AMQP_URL"
)

type backend struct {
	name string
	// url returns the URL of a server for this test, or skips it (testdb.Unavailable) when unreachable.
	url func(t *testing.T) string
	// ordered: a single subscriber receives messages in publish order.
	ordered bool
	// durable: a consumer group keeps what is published while none of its subscribers runs.
	durable bool
	// cleanup removes what the test left on the broker (tables go with testdb's schema).
	cleanup func(t *testing.T, url, topic, group string)
}

var backends = []backend{
	{
		name:    KindMemory,
		url:     func(*testing.T) string { return "memory:" },
		ordered: true,
	},
	{
		name:    KindPostgres,
		url:     func(t *testing.T) string { return testdb.PostgresSchemaURL(t) },
		ordered: true,
		durable: true,
	},
	{
		name:    KindNATS,
		url:     func(t *testing.T) string { return reachable(t, "NATS", envOr(natsURLEnv, "nats://127.0.0.1:4222")) },
		ordered: true,
		durable: true,
		cleanup: deleteNATSStream,
	},
	{
		name: KindAMQP,
		url: func(t *testing.T) string {
			return reachable(t, "RabbitMQ", envOr(amqpURLEnv, "amqp://guest:guest@127.0.0.1:5672/"))
		},
		ordered: true,
		durable: true,
		cleanup: deleteAMQPTopology,
	},
}

// TestBus runs the same contract on every backend: all messages arrive with their UUID, payload and
// metadata; a nacked message comes again; a consumer group resumes after a restart (durable
// backends); Close ends subscriptions and is idempotent.
func TestBus(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			t.Parallel()
			serverURL := b.url(t)
			suffix := randomSuffix(t)
			topic := Topic("test_" + suffix)
			group := "test_" + suffix
			if b.cleanup != nil {
				t.Cleanup(func() { b.cleanup(t, serverURL, topic, group) })
			}
			ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
			defer cancel()

			bus := openBus(t, serverURL, group)
			require.Equal(t, b.name, bus.Kind)

			// Subscribe first: GoChannel drops messages for absent subscribers, and an AMQP group's queue
			// exists from its first Subscribe on.
			subCtx, stopSub := context.WithCancel(ctx)
			defer stopSub()
			feed, err := bus.Subscriber.Subscribe(subCtx, topic)
			require.NoError(t, err)

			// Published from another goroutine: the memory backend's Publish returns once the subscriber
			// has acknowledged.
			publish := func(msgs ...*message.Message) <-chan error {
				done := make(chan error, 1)
				go func() { done <- bus.Publisher.Publish(topic, msgs...) }()
				return done
			}
			sent := makeMessages(feedSize, "row")
			published := publish(sent...)
			got, _ := receiveAll(ctx, t, feed, sent, nil)
			require.NoError(t, <-published)
			if b.ordered {
				assert.Equal(t, uuids(sent), got, "delivery order")
			}

			// A nacked message is delivered again, unchanged.
			retry := makeMessages(1, "retry")[0]
			published = publish(retry)
			first := receive(ctx, t, feed)
			require.Equal(t, retry.UUID, first.UUID)
			first.Nack()
			again := receive(ctx, t, feed)
			assertSame(t, retry, again)
			again.Ack()
			require.NoError(t, <-published)

			require.NoError(t, bus.Close())
			require.NoError(t, bus.Close(), "second Close")
			for range feed { // Close closes the subscription's channel; what was buffered is dropped
			}
			assert.Error(t, bus.Publisher.Publish(topic, makeMessages(1, "late")...), "Publish after Close")

			if !b.durable {
				return
			}
			// The group's place survives the restart: what is published while no subscriber runs is
			// delivered to the next one. The last message acked before the restart may come again (its ack
			// raced Close), which at-least-once allows; more would mean the group lost its place (a NATS
			// consumer recreated from the start of the stream, say).
			restarted := openBus(t, serverURL, group)
			whileDown := makeMessages(5, "while-down")
			require.NoError(t, restarted.Publisher.Publish(topic, whileDown...))
			feed, err = restarted.Subscriber.Subscribe(subCtx, topic)
			require.NoError(t, err)
			earlier := append(append([]*message.Message{}, sent...), retry)
			_, replayed := receiveAll(ctx, t, feed, whileDown, earlier)
			assert.LessOrEqual(t, replayed, 1, "messages acked before the restart delivered again")
			require.NoError(t, restarted.Close())
		})
	}
}

// TestMemorySubscriberDoesNotBlockPublisher: publishing with no subscriber, or to a subscriber that
// does not read, returns at once.
// The embedded bus keeps a topic's order, which the change feed relies on; a topic without subscribers
// does not hold the publisher up.
func TestMemoryKeepsOrder(t *testing.T) {
	bus := openBus(t, "", "")
	topic := Topic("memory_" + randomSuffix(t))
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	require.NoError(t, bus.Publisher.Publish(topic, makeMessages(100, "nobody")...), "no subscriber: nothing to wait for")

	sub, err := bus.Subscriber.Subscribe(ctx, topic)
	require.NoError(t, err)
	sent := makeMessages(200, "ordered")
	published := make(chan error, 1)
	go func() {
		for _, m := range sent {
			if err := bus.Publisher.Publish(topic, m); err != nil {
				published <- err
				return
			}
		}
		published <- nil
	}()
	for i := range sent {
		got := receive(ctx, t, sub)
		require.Equal(t, sent[i].UUID, got.UUID, "message %d", i)
		got.Ack()
	}
	require.NoError(t, <-published)
	require.NoError(t, bus.Close())
}

func TestConfigErrors(t *testing.T) {
	tests := []struct {
		name string
		cfg  Config
		want []string // substrings of the error
		hide string   // must not appear in the error
	}{
		{
			name: "unknown scheme",
			cfg:  Config{URL: "kafka://x"},
			want: []string{`unknown scheme "kafka"`, "memory:", "postgres://", "postgresql://", "nats://", "amqp://"},
		},
		{
			name: "no scheme",
			cfg:  Config{URL: "localhost:4222"},
			want: []string{"supported", "nats://"},
		},
		{
			name: "no host",
			cfg:  Config{URL: "nats://"},
			want: []string{"no host"},
		},
		{
			name: "unparsable URL keeps its password",
			cfg:  Config{URL: "amqp://guest:s3cret@host:port/"},
			want: []string{"not a valid URL", "guest:xxxxx@"},
			hide: "s3cret",
		},
		{
			name: "every problem at once",
			cfg:  Config{URL: "kafka://u:s3cret@x", ConsumerGroup: "hub.one"},
			want: []string{`unknown scheme "kafka"`, "u:xxxxx@x", `ConsumerGroup "hub.one"`},
			hide: "s3cret",
		},
		{
			name: "consumer group too long",
			cfg:  Config{ConsumerGroup: strings.Repeat("g", maxConsumerGroupLen+1)},
			want: []string{"longer than 64"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.cfg.Validate()
			require.Error(t, err)
			_, openErr := Open(t.Context(), tt.cfg)
			require.Error(t, openErr)
			for _, e := range []error{err, openErr} {
				for _, w := range tt.want {
					assert.Contains(t, e.Error(), w)
				}
				if tt.hide != "" {
					assert.NotContains(t, e.Error(), tt.hide)
				}
			}
		})
	}

	for _, u := range []string{"", "memory:", "postgres://h/db", "postgresql:///db?host=/run/pg", "nats://h:4222", "amqp://u:p@h:5672/"} {
		assert.NoError(t, Config{URL: u}.Validate(), u)
	}
}

// TestOpenErrorNamesBackend: a server that cannot be reached is reported with the backend and the URL,
// never the password.
func TestOpenErrorNamesBackend(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0") // a port that refuses once closed
	require.NoError(t, err)
	addr := ln.Addr().String()
	require.NoError(t, ln.Close())

	for _, tt := range []struct{ kind, url string }{
		{KindPostgres, "postgres://u:s3cret@" + addr + "/db?sslmode=disable"},
		{KindNATS, "nats://u:s3cret@" + addr},
		{KindAMQP, "amqp://u:s3cret@" + addr + "/"},
	} {
		t.Run(tt.kind, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
			defer cancel()
			bus, err := Open(ctx, Config{URL: tt.url})
			require.Error(t, err)
			assert.Nil(t, bus)
			assert.Contains(t, err.Error(), "open "+tt.kind+" messaging at ")
			assert.Contains(t, err.Error(), "u:xxxxx@"+addr)
			assert.NotContains(t, err.Error(), "s3cret")
		})
	}
}

func TestNames(t *testing.T) {
	assert.Equal(t, "crossdock.views.inventory_divergence", Topic("inventory_divergence"))
	assert.Equal(t, "crossdock.views.three_way_match", Topic("three way/match"))
	assert.Equal(t, "crossdock.views.partner-sla", Topic("partner-sla"))
	assert.Equal(t, "crossdock_views_partner-sla", natsStreamName(Topic("partner-sla")))

	long := Topic(strings.Repeat("x", 60))
	a, b := tableName("watermill_offsets_", long+"a"), tableName("watermill_offsets_", long+"b")
	assert.Len(t, a, maxIdentifierLen+2, "quoted, at most 63 characters inside")
	assert.NotEqual(t, a, b, "long topics that differ only at the end keep distinct tables")
	assert.Equal(t, `"watermill_crossdock.views.x"`, tableName("watermill_", Topic("x")))
}

// openBus opens a bus whose logs go to the test's output and closes it when the test ends.
func openBus(t *testing.T, serverURL, group string) *Bus {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 15*time.Second)
	defer cancel()
	bus, err := Open(ctx, Config{
		URL:           serverURL,
		ConsumerGroup: group,
		Logger:        slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelWarn})),
	})
	require.NoError(t, err)
	t.Cleanup(func() { assert.NoError(t, bus.Close()) })
	return bus
}

func makeMessages(n int, kind string) []*message.Message {
	correlation := watermill.NewUUID()
	msgs := make([]*message.Message, n)
	for i := range msgs {
		// Bytes that are neither JSON nor UTF-8: payloads are opaque to every backend.
		payload := append([]byte(fmt.Sprintf(`{"%s":%d}`, kind, i)), 0x00, 0xff, byte(i))
		msgs[i] = message.NewMessage(watermill.NewUUID(), payload)
		msgs[i].Metadata.Set("correlation_id", correlation)
		msgs[i].Metadata.Set("projection", "inventory_divergence")
		msgs[i].Metadata.Set("seq", fmt.Sprint(i))
	}
	return msgs
}

func uuids(msgs []*message.Message) []string {
	ids := make([]string, len(msgs))
	for i, m := range msgs {
		ids[i] = m.UUID
	}
	return ids
}

func receive(ctx context.Context, t *testing.T, feed <-chan *message.Message) *message.Message {
	t.Helper()
	select {
	case m, ok := <-feed:
		require.True(t, ok, "subscription closed before a message arrived")
		return m
	case <-ctx.Done():
		t.Fatalf("no message: %v", context.Cause(ctx))
		return nil
	}
}

// receiveAll acks messages until each of want has arrived once, and returns their UUIDs in arrival
// order and how many messages of skip arrived meanwhile. Redeliveries of want, and messages of skip,
// are acked and left out; anything else fails.
func receiveAll(ctx context.Context, t *testing.T, feed <-chan *message.Message, want, skip []*message.Message) (order []string, skipped int) {
	t.Helper()
	byID := make(map[string]*message.Message, len(want))
	for _, m := range want {
		byID[m.UUID] = m
	}
	toSkip := make(map[string]bool, len(skip))
	for _, m := range skip {
		toSkip[m.UUID] = true
	}
	seen := make(map[string]bool, len(want))
	for len(order) < len(want) {
		m := receive(ctx, t, feed)
		m.Ack()
		switch exp, ok := byID[m.UUID]; {
		case toSkip[m.UUID]:
			skipped++
			t.Logf("redelivered after restart: %s", m.UUID)
		case !ok:
			t.Fatalf("unexpected message %s: %q", m.UUID, m.Payload)
		case seen[m.UUID]:
			t.Logf("delivered twice (allowed): %s", m.UUID)
		default:
			seen[m.UUID] = true
			order = append(order, m.UUID)
			assertSame(t, exp, m)
		}
	}
	return order, skipped
}

// assertSame compares UUID, payload and metadata, leaving out the metadata a backend adds itself
// ("_watermill_…", e.g. AMQP's redelivered flag).
func assertSame(t *testing.T, want, got *message.Message) {
	t.Helper()
	assert.Equal(t, want.UUID, got.UUID)
	assert.Equal(t, []byte(want.Payload), []byte(got.Payload), "payload of %s", want.UUID)
	md := message.Metadata{}
	for k, v := range got.Metadata {
		if !strings.HasPrefix(k, "_watermill") {
			md[k] = v
		}
	}
	assert.Equal(t, want.Metadata, md, "metadata of %s", want.UUID)
}

func randomSuffix(t *testing.T) string {
	b := make([]byte, 6)
	_, err := rand.Read(b)
	require.NoError(t, err)
	return hex.EncodeToString(b)
}

func envOr(name, fallback string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return fallback
}

// reachable returns rawURL when its host accepts TCP connections and otherwise skips the test (or fails
// it when services are required). Open's own errors then fail the test instead of hiding as skips.
func reachable(t *testing.T, service, rawURL string) string {
	t.Helper()
	u, err := url.Parse(rawURL)
	require.NoError(t, err)
	conn, err := net.DialTimeout("tcp", u.Host, 2*time.Second)
	if err != nil {
		testdb.Unavailable(t, service, err)
	}
	require.NoError(t, conn.Close())
	return rawURL
}

func deleteNATSStream(t *testing.T, serverURL, topic, _ string) {
	nc, err := nats.Connect(serverURL)
	if err != nil {
		t.Logf("delete stream of %s: %v", topic, err)
		return
	}
	defer nc.Close()
	js, err := nc.JetStream()
	if err == nil {
		err = js.DeleteStream(natsStreamName(topic))
	}
	if err != nil {
		t.Logf("delete stream of %s: %v", topic, err)
	}
}

func deleteAMQPTopology(t *testing.T, serverURL, topic, group string) {
	conn, err := amqp091.Dial(serverURL)
	if err != nil {
		t.Logf("delete exchange and queue of %s: %v", topic, err)
		return
	}
	defer conn.Close()
	ch, err := conn.Channel()
	if err == nil {
		_, err = ch.QueueDelete(topic+"_"+group, false, false, false)
	}
	if err == nil {
		err = ch.ExchangeDelete(topic, false, false)
	}
	if err != nil {
		t.Logf("delete exchange and queue of %s: %v", topic, err)
	}
}
