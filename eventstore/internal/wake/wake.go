// Package wake lets a backend's Append wake its caught-up subscribers at once instead of at their next
// poll.
package wake

import (
	"strings"
	"sync"
)

// Notifier wakes the waiters an append concerns when Notify is called. A waiter takes the channel from
// Wait before it reads the log, so an append that commits during the read closes that very channel and
// the waiter reads again at once instead of sleeping a poll interval. The zero Notifier is ready to use.
type Notifier struct {
	mu sync.Mutex
	// ch wakes the waiters of every stream.
	ch chan struct{}
	// byPrefix wakes the waiters of the streams that start with the key only: a subscriber that follows
	// a few streams (the partner directory follows "partner-") is not woken, to read nothing, by each
	// append to any other stream.
	byPrefix map[string]chan struct{}
}

// Wait returns a channel closed by the next Notify.
func (n *Notifier) Wait() <-chan struct{} { return n.WaitPrefix("") }

// WaitPrefix returns a channel closed by the next Notify of a stream that starts with prefix; "" waits
// for any stream.
func (n *Notifier) WaitPrefix(prefix string) <-chan struct{} {
	n.mu.Lock()
	defer n.mu.Unlock()
	if prefix == "" {
		if n.ch == nil {
			n.ch = make(chan struct{})
		}
		return n.ch
	}
	if n.byPrefix == nil {
		n.byPrefix = map[string]chan struct{}{}
	}
	ch := n.byPrefix[prefix]
	if ch == nil {
		ch = make(chan struct{})
		n.byPrefix[prefix] = ch
	}
	return ch
}

// Notify wakes everyone waiting for any stream, and everyone waiting for a prefix of stream.
func (n *Notifier) Notify(stream string) {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.ch != nil {
		close(n.ch)
		n.ch = nil
	}
	for prefix, ch := range n.byPrefix {
		if strings.HasPrefix(stream, prefix) {
			close(ch)
			delete(n.byPrefix, prefix)
		}
	}
}
