package messaging

import (
	"github.com/ThreeDotsLabs/watermill"
	"github.com/ThreeDotsLabs/watermill/pubsub/gochannel"
)

// memoryOutputBuffer is how many messages a subscriber may have waiting before the publisher waits for
// it.
const memoryOutputBuffer = 1024

// openMemory returns GoChannel, the embedded default. It keeps nothing: a subscriber receives what is
// published after it subscribed, and a message published to a topic without subscribers is dropped.
//
// Publish waits until every subscriber has acknowledged each message (BlockPublishUntilSubscriberAck):
// without it GoChannel hands each message to its subscribers from a goroutine of its own, and a topic's
// messages arrive in any order, which a change feed cannot have (the later change of a row must win). A
// subscriber must therefore acknowledge promptly; the hub's change feed acknowledges each message as
// soon as it has handed it on.
func openMemory(logger watermill.LoggerAdapter) *Bus {
	ps := gochannel.NewGoChannel(gochannel.Config{
		OutputChannelBuffer:            memoryOutputBuffer,
		Persistent:                     false,
		BlockPublishUntilSubscriberAck: true,
	}, logger)
	return &Bus{Publisher: ps, Subscriber: ps}
}
