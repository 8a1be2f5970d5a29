// Package changefeed carries the projections' row changes over Watermill: Publisher puts each batch's
// changes on the projection's topic (the runner's projections.ChangePublisher), and Feed follows the
// topics and hands every change to the GraphQL subscriptions listening in this process
// (queries.ChangeSource). With the embedded GoChannel the two meet in memory; with a broker, a hub that
// does not run a projection still streams its changes.
package changefeed

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/ThreeDotsLabs/watermill/message"
	"github.com/google/uuid"

	"github.com/crossdock-hub/crossdock/projections"
)

// messageNamespace derives a change's message UUID from the row and the log position, so that a change
// published twice carries one UUID and consumers can drop the repeat.
var messageNamespace = uuid.MustParse("5f0c3a2e-8d1b-4c1e-9a57-3b9e2f6d0c41")

// Publisher publishes projections' changes to their topics.
type Publisher struct {
	pub   message.Publisher
	topic func(projection string) string
}

// NewPublisher returns a publisher writing to pub, on topic(projection) for each projection.
func NewPublisher(pub message.Publisher, topic func(projection string) string) *Publisher {
	return &Publisher{pub: pub, topic: topic}
}

// PublishChanges implements projections.ChangePublisher: one message per change, with the projection,
// kind, key and position also in its metadata so a consumer can route without decoding the payload.
func (p *Publisher) PublishChanges(_ context.Context, changes []projections.Change) error {
	now := time.Now().UTC().Format(time.RFC3339Nano)
	byTopic := map[string][]*message.Message{}
	var order []string
	for _, c := range changes {
		payload, err := json.Marshal(c)
		if err != nil {
			return fmt.Errorf("encode change %s %s: %w", c.Kind, c.Key, err)
		}
		id := uuid.NewSHA1(messageNamespace, []byte(c.Projection+"\x00"+c.Kind+"\x00"+c.Key+"\x00"+c.Position.String()))
		m := message.NewMessage(id.String(), payload)
		m.Metadata.Set("projection", c.Projection)
		m.Metadata.Set("kind", c.Kind)
		m.Metadata.Set("key", c.Key)
		m.Metadata.Set("position", c.Position.String())
		m.Metadata.Set(publishedAtKey, now)
		t := p.topic(c.Projection)
		if _, ok := byTopic[t]; !ok {
			order = append(order, t)
		}
		byTopic[t] = append(byTopic[t], m)
	}
	for _, t := range order {
		if err := p.pub.Publish(t, byTopic[t]...); err != nil {
			return fmt.Errorf("publish %d changes to %s: %w", len(byTopic[t]), t, err)
		}
	}
	return nil
}

// publishedAtKey is the metadata key of the instant a change was published, which tells a feed the
// changes it was started after.
const publishedAtKey = "published_at"

// ListenerBuffer is how many changes a listener may fall behind before it is dropped: a GraphQL
// subscriber that cannot keep up loses its subscription (it is told the stream ended) rather than slow
// every other one down.
const ListenerBuffer = 1024

// Feed follows projections' topics, one Watermill subscription per projection and process, and fans each
// change out to this process's listeners.
type Feed struct {
	sub     message.Subscriber
	topic   func(projection string) string
	logger  *slog.Logger
	started time.Time

	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup

	mu     sync.Mutex
	topics map[string]*fanout
}

type fanout struct {
	listeners map[chan projections.Change]struct{}
}

// NewFeed returns a feed reading from sub. It hands on only changes published after it was made: a
// durable subscription new to a broker may be given the topic's history, and a resumed one what it
// missed while the hub was down, but listeners follow the views from now on. (Hubs sharing a bus
// compare their clocks this way; NTP's skew only shifts where "now" falls by as much.) Close it to end
// its subscriptions.
func NewFeed(sub message.Subscriber, topic func(projection string) string, logger *slog.Logger) *Feed {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	ctx, cancel := context.WithCancel(context.Background())
	return &Feed{sub: sub, topic: topic, started: time.Now(), logger: logger, ctx: ctx, cancel: cancel, topics: map[string]*fanout{}}
}

// Listen implements queries.ChangeSource. The projection's topic is subscribed to on the first Listen;
// if that fails the channel is closed at once and the failure logged.
func (f *Feed) Listen(ctx context.Context, projection string) <-chan projections.Change {
	ch := make(chan projections.Change, ListenerBuffer)
	f.mu.Lock()
	defer f.mu.Unlock()
	fo, ok := f.topics[projection]
	if !ok {
		if f.ctx.Err() != nil {
			close(ch)
			return ch
		}
		msgs, err := f.sub.Subscribe(f.ctx, f.topic(projection))
		if err != nil {
			f.logger.ErrorContext(ctx, "subscribe to view changes", "projection", projection, "error", err)
			close(ch)
			return ch
		}
		fo = &fanout{listeners: map[chan projections.Change]struct{}{}}
		f.topics[projection] = fo
		f.wg.Go(func() { f.deliver(projection, fo, msgs) })
	}
	fo.listeners[ch] = struct{}{}
	context.AfterFunc(ctx, func() { f.drop(fo, ch) })
	return ch
}

// deliver hands each message of the topic to every listener, then acknowledges it.
func (f *Feed) deliver(projection string, fo *fanout, msgs <-chan *message.Message) {
	defer func() {
		// The subscription ended (Close): so does every listener's stream.
		f.mu.Lock()
		defer f.mu.Unlock()
		for ch := range fo.listeners {
			delete(fo.listeners, ch)
			close(ch)
		}
		delete(f.topics, projection)
	}()
	for m := range msgs {
		var c projections.Change
		if err := json.Unmarshal(m.Payload, &c); err != nil {
			f.logger.Warn("undecodable view change dropped", "projection", projection, "message_uuid", m.UUID, "error", err)
			m.Ack()
			continue
		}
		if at, err := time.Parse(time.RFC3339Nano, m.Metadata.Get(publishedAtKey)); err != nil || at.Before(f.started) {
			m.Ack() // history: published before this feed started (or by a publisher that does not say when)
			continue
		}
		f.mu.Lock()
		for ch := range fo.listeners {
			select {
			case ch <- c:
			default:
				delete(fo.listeners, ch)
				close(ch)
				f.logger.Warn("view change listener dropped: it fell behind", "projection", projection, "buffer", ListenerBuffer)
			}
		}
		f.mu.Unlock()
		m.Ack()
	}
}

// drop removes a listener whose context ended.
func (f *Feed) drop(fo *fanout, ch chan projections.Change) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if _, ok := fo.listeners[ch]; ok {
		delete(fo.listeners, ch)
		close(ch)
	}
}

// Close ends the feed's subscriptions and every listener's stream. The subscriber itself is the
// caller's to close, after Close returns.
func (f *Feed) Close() error {
	f.cancel()
	f.wg.Wait()
	return nil
}
