package wake

import (
	"testing"
	"time"
)

func TestNotifyWakesEveryWaiterOnce(t *testing.T) {
	var n Notifier
	a, b := n.Wait(), n.Wait()
	n.Notify()
	for _, ch := range []<-chan struct{}{a, b} {
		select {
		case <-ch:
		case <-time.After(time.Second):
			t.Fatal("a waiter was not woken")
		}
	}
	next := n.Wait()
	select {
	case <-next:
		t.Fatal("a wait after the notify must wait for the next one")
	default:
	}
	n.Notify()
	<-next
}
