package messaging

import (
	"context"
	"fmt"
	"net/url"
	"time"

	"github.com/ThreeDotsLabs/watermill"
	wmamqp "github.com/ThreeDotsLabs/watermill-amqp/v3/pkg/amqp"
	amqp091 "github.com/rabbitmq/amqp091-go"
)

// openAMQP uses watermill-amqp's durable pub/sub layout: one durable fanout exchange per topic (named
// as the topic) and one durable queue per topic and consumer group ("<topic>_<group>"), which the
// group's hub processes share. Messages are persistent and each Publish waits for the broker's
// confirm. A group receives what is published after its queue exists, that is after its first
// Subscribe; from then on the queue keeps messages while no process of the group is running.
func openAMQP(ctx context.Context, u *url.URL, group string, logger watermill.LoggerAdapter) (*Bus, error) {
	timeout := connectTimeout(ctx, 10*time.Second)
	cfg := func(name string) wmamqp.Config {
		c := wmamqp.NewDurablePubSubConfig(u.String(), wmamqp.GenerateQueueNameTopicNameWithSuffix(group))
		props := amqp091.NewConnectionProperties()
		props.SetClientConnectionName(name) // shown in the management UI
		c.Connection.AmqpConfig = &amqp091.Config{
			Heartbeat:  10 * time.Second, // amqp091.Dial's defaults, which a Config replaces
			Locale:     "en_US",
			Dial:       amqp091.DefaultDial(timeout),
			Properties: props,
		}
		c.Publish.ConfirmDelivery = true
		return c
	}

	pub, err := wmamqp.NewPublisher(cfg("crossdock-publisher"), logger)
	if err != nil {
		return nil, fmt.Errorf("publisher: %w", err)
	}
	sub, err := wmamqp.NewSubscriber(cfg("crossdock-subscriber-"+group), logger)
	if err != nil {
		_ = pub.Close()
		return nil, fmt.Errorf("subscriber: %w", err)
	}
	if err := ctx.Err(); err != nil {
		_ = sub.Close()
		_ = pub.Close()
		return nil, err
	}
	return &Bus{Publisher: pub, Subscriber: sub}, nil
}
