package commands

import (
	"errors"
	"time"
)

// Message is the context of the inbound message a command comes from. It becomes the metadata of every
// event the command appends, and its Key seeds their IDs.
type Message struct {
	// ID is the archived raw message's ID (metadata message_id).
	ID string
	// Key identifies the message for event IDs (eventstore.DeriveID): the same message handled twice must
	// give the same key, so its events are recognised as already stored. The archive's dedup key fits.
	Key           string
	CorrelationID string
	CausationID   string
	PartnerID     string
	// Source says where the message came from, e.g. "api:acme".
	Source string
	// Actor is who sent it: the authenticated partner or user.
	Actor string
	// ReceivedAt is when Crossdock received the message; the business time when the document has none.
	ReceivedAt time.Time
}

// Validate checks the fields every command needs.
func (m Message) Validate() error {
	var errs []error
	if m.Key == "" {
		errs = append(errs, errors.New("message key is required"))
	}
	if m.PartnerID == "" {
		errs = append(errs, errors.New("message partner ID is required"))
	}
	if m.ReceivedAt.IsZero() {
		errs = append(errs, errors.New("message received-at time is required"))
	}
	return errors.Join(errs...)
}
