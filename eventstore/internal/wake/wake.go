// Package wake lets a backend's Append wake its caught-up subscribers at once instead of at their next
// poll.
package wake

import "sync"

// Notifier wakes every waiter when Notify is called. A waiter takes the channel from Wait before it reads
// the log, so an append that commits during the read closes that very channel and the waiter reads again
// at once instead of sleeping a poll interval. The zero Notifier is ready to use.
type Notifier struct {
	mu sync.Mutex
	ch chan struct{}
}

// Wait returns a channel closed by the next Notify.
func (n *Notifier) Wait() <-chan struct{} {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.ch == nil {
		n.ch = make(chan struct{})
	}
	return n.ch
}

// Notify wakes everyone waiting on the current channel.
func (n *Notifier) Notify() {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.ch != nil {
		close(n.ch)
		n.ch = nil
	}
}
