package messaging

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"sync"
	"time"

	"github.com/ThreeDotsLabs/watermill"
	wmnats "github.com/ThreeDotsLabs/watermill-nats/v2/pkg/nats"
	"github.com/ThreeDotsLabs/watermill/message"
	"github.com/nats-io/nats.go"
)

const (
	// natsAckWait is how long the server waits for an ack before it redelivers; the subscriber gives the
	// consumer as long before it stops waiting itself.
	natsAckWait = 30 * time.Second
	// natsCloseWait bounds Close: in-flight messages are abandoned (and redelivered later) after it.
	natsCloseWait = 10 * time.Second
)

// openNATS uses watermill-nats' JetStream mode with provisioning done here instead of by the library:
//   - its auto-provisioning names the stream after the topic, and stream names may not contain '.';
//     here topic "crossdock.views.x" is stored in stream "crossdock_views_x" (natsStreamName);
//   - nats.go deletes a durable consumer that it created itself when the subscription ends, so a hub
//     that shut down cleanly would lose its place; the consumer created here outlives every subscription.
//
// Each topic's stream keeps its messages (limits retention, file storage); the consumer group is a
// durable push consumer with explicit acks and a deliver group, so the hub processes of one group
// share the messages.
func openNATS(ctx context.Context, u *url.URL, group string, logger watermill.LoggerAdapter) (*Bus, error) {
	timeout := connectTimeout(ctx, 10*time.Second)
	pubConn, pubClosed, err := natsConnect(ctx, u, "crossdock-publisher", timeout)
	if err != nil {
		return nil, err
	}
	subConn, subClosed, err := natsConnect(ctx, u, "crossdock-subscriber-"+group, timeout)
	if err != nil {
		pubConn.Close()
		return nil, err
	}
	fail := func(err error) (*Bus, error) {
		pubConn.Close()
		subConn.Close()
		return nil, err
	}

	js := wmnats.JetStreamConfig{
		AutoProvision: false, // see natsStreams
		// ManualAck: without it nats.go acks every message when the handler returns, also when Watermill
		// gave up on it (closing, ack timeout), and the message would be lost instead of redelivered.
		SubscribeOptions: []nats.SubOpt{nats.ManualAck(), nats.AckExplicit()},
		// The message UUID becomes Nats-Msg-Id, so the server drops a retried publish of the same message.
		TrackMsgId:    true,
		DurablePrefix: group,
	}
	pubStreams, err := newNATSStreams(pubConn, group)
	if err != nil {
		return fail(err)
	}
	subStreams, err := newNATSStreams(subConn, group)
	if err != nil {
		return fail(err)
	}
	pub, err := wmnats.NewPublisherWithNatsConn(pubConn, wmnats.PublisherPublishConfig{
		Marshaler:         &wmnats.NATSMarshaler{},
		SubjectCalculator: wmnats.DefaultSubjectCalculator,
		JetStream:         js,
	}, logger)
	if err != nil {
		return fail(fmt.Errorf("publisher: %w", err))
	}
	sub, err := wmnats.NewSubscriberWithNatsConn(subConn, wmnats.SubscriberSubscriptionConfig{
		Unmarshaler:       &wmnats.NATSMarshaler{},
		SubjectCalculator: wmnats.DefaultSubjectCalculator,
		QueueGroupPrefix:  group,
		SubscribersCount:  1, // one handler per subscription keeps the stream's order
		AckWaitTimeout:    natsAckWait,
		CloseTimeout:      natsCloseWait,
		JetStream:         js,
	}, logger)
	if err != nil {
		return fail(fmt.Errorf("subscriber: %w", err))
	}
	return &Bus{
		Publisher:  &natsPublisher{Publisher: pub, streams: pubStreams, closed: pubClosed},
		Subscriber: &natsSubscriber{Subscriber: sub, streams: subStreams, closed: subClosed},
	}, nil
}

// natsConnect returns a connection and a channel closed once the connection is closed for good (after
// a drain, that is later than Close or Drain returns).
func natsConnect(ctx context.Context, u *url.URL, name string, timeout time.Duration) (*nats.Conn, <-chan struct{}, error) {
	closed := make(chan struct{})
	nc, err := nats.Connect(u.String(),
		nats.Name(name),
		nats.Timeout(timeout),
		nats.MaxReconnects(-1), // a broker restart must not end a long-running hub's feed
		nats.ClosedHandler(func(*nats.Conn) { close(closed) }),
	)
	if err != nil {
		return nil, nil, fmt.Errorf("connect: %w", err)
	}
	if err := ctx.Err(); err != nil {
		nc.Close()
		return nil, nil, err
	}
	return nc, closed, nil
}

func waitClosed(closed <-chan struct{}, within time.Duration) error {
	t := time.NewTimer(within)
	defer t.Stop()
	select {
	case <-closed:
		return nil
	case <-t.C:
		return fmt.Errorf("NATS connection not closed after %s", within)
	}
}

type natsPublisher struct {
	*wmnats.Publisher
	streams *natsStreams
	closed  <-chan struct{}
}

func (p *natsPublisher) Publish(topic string, msgs ...*message.Message) error {
	if _, err := p.streams.ensureStream(topic); err != nil {
		return err
	}
	return p.Publisher.Publish(topic, msgs...)
}

func (p *natsPublisher) Close() error {
	return errors.Join(p.Publisher.Close(), waitClosed(p.closed, natsCloseWait))
}

type natsSubscriber struct {
	*wmnats.Subscriber
	streams *natsStreams
	closed  <-chan struct{}
}

func (s *natsSubscriber) Subscribe(ctx context.Context, topic string) (<-chan *message.Message, error) {
	if err := s.streams.ensureConsumer(topic); err != nil {
		return nil, err
	}
	return s.Subscriber.Subscribe(ctx, topic)
}

func (s *natsSubscriber) Close() error {
	// The subscriber drains its connection, which then closes in the background.
	return errors.Join(s.Subscriber.Close(), waitClosed(s.closed, natsCloseWait+5*time.Second))
}

// natsStreams creates, once per topic, the stream that stores it and the group's durable consumer.
type natsStreams struct {
	js      nats.JetStreamContext
	group   string
	streams sync.Map // topic → stream name, once ensured
	groups  sync.Map // topic → struct{}, once the durable consumer is ensured
}

func newNATSStreams(nc *nats.Conn, group string) (*natsStreams, error) {
	js, err := nc.JetStream()
	if err != nil {
		return nil, fmt.Errorf("JetStream: %w", err)
	}
	if _, err := js.AccountInfo(); err != nil {
		return nil, fmt.Errorf("JetStream unavailable (is the server started with -js?): %w", err)
	}
	return &natsStreams{js: js, group: group}, nil
}

// natsStreamName is the stream that stores topic: stream names may not contain '.', ' ', '*', '>'
// (nor path separators: the server uses the name as a directory).
func natsStreamName(topic string) string {
	return sanitize(topic, isNameByte)
}

func (s *natsStreams) ensureStream(topic string) (string, error) {
	if name, ok := s.streams.Load(topic); ok {
		return name.(string), nil
	}
	name := natsStreamName(topic)
	info, err := s.js.StreamInfo(name)
	switch {
	case errors.Is(err, nats.ErrStreamNotFound):
		// Concurrent creators send the same config, which the server accepts as a no-op.
		if _, err := s.js.AddStream(&nats.StreamConfig{
			Name:      name,
			Subjects:  []string{topic},
			Storage:   nats.FileStorage,
			Retention: nats.LimitsPolicy,
		}); err != nil {
			return "", fmt.Errorf("create stream %s for topic %s: %w", name, topic, err)
		}
	case err != nil:
		return "", fmt.Errorf("stream %s for topic %s: %w", name, topic, err)
	case !slices.Contains(info.Config.Subjects, topic):
		return "", fmt.Errorf("topic %s maps to stream %s, which already stores subjects %v", topic, name, info.Config.Subjects)
	}
	s.streams.Store(topic, name)
	return name, nil
}

func (s *natsStreams) ensureConsumer(topic string) error {
	if _, ok := s.groups.Load(topic); ok {
		return nil
	}
	stream, err := s.ensureStream(topic)
	if err != nil {
		return err
	}
	_, err = s.js.ConsumerInfo(stream, s.group)
	if errors.Is(err, nats.ErrConsumerNotFound) {
		// Every process of the group sends the same config (the deliver subject is derived, not a
		// random inbox), so concurrent creation is a no-op for all but the first.
		_, err = s.js.AddConsumer(stream, &nats.ConsumerConfig{
			Durable:        s.group,
			DeliverSubject: "_CROSSDOCK.deliver." + stream + "." + s.group,
			DeliverGroup:   s.group,
			FilterSubject:  topic,
			DeliverPolicy:  nats.DeliverAllPolicy,
			AckPolicy:      nats.AckExplicitPolicy,
			AckWait:        natsAckWait,
		})
	}
	if err != nil {
		return fmt.Errorf("durable consumer %s on stream %s: %w", s.group, stream, err)
	}
	s.groups.Store(topic, struct{}{})
	return nil
}
