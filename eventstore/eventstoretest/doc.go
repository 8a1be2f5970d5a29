// Package eventstoretest is the contract suite every eventstore backend runs from its own tests, in the
// manner of river's riverdrivertest and watermill's pubsub/tests:
//
//	func TestStoreContract(t *testing.T) {
//		eventstoretest.Run(t, eventstoretest.Backend{New: newStore, AppendHeld: appendHeld})
//	}
//
// When a backend needs a new behaviour, extend this suite rather than that backend's own tests, so every
// backend is held to it. Each subtest gets a fresh store from Backend.New and its own stream prefix.
package eventstoretest
