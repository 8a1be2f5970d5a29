package wake

import (
	"testing"
	"time"
)

func TestNotifyWakesEveryWaiterOnce(t *testing.T) {
	var n Notifier
	a, b := n.Wait(), n.Wait()
	n.Notify("s-1")
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
	n.Notify("s-1")
	<-next
}

func TestNotifyWakesOnlyTheWaitersOfItsStream(t *testing.T) {
	var n Notifier
	partners, all := n.WaitPrefix("partner-"), n.Wait()
	n.Notify("shipment-p1:ASN1")
	select {
	case <-all:
	case <-time.After(time.Second):
		t.Fatal("a waiter for every stream was not woken")
	}
	select {
	case <-partners:
		t.Fatal("a waiter for partner streams was woken by a shipment")
	default:
	}
	n.Notify("partner-p1")
	select {
	case <-partners:
	case <-time.After(time.Second):
		t.Fatal("a waiter for partner streams was not woken by a partner stream")
	}
	if again := n.WaitPrefix("partner-"); again == partners {
		t.Fatal("a wait after the notify must wait for the next one")
	}
}
