package order

import (
	"encoding/json"
	"errors"
	"fmt"
)

// FunctionalAckStreamID names the stream of the EDI group with control number groupControl that we sent
// to partner: "edi-ack-<partner>:<group control>". Control numbers are only unique per trading partner.
// Correlating the group to the purchase orders it carried is left to a later process manager: the
// acknowledgment names control numbers, not orders.
func FunctionalAckStreamID(partner, groupControl string) string {
	return "edi-ack-" + partner + ":" + groupControl
}

// FunctionalAcks is the aggregate of one EDI group's functional acknowledgments.
type FunctionalAcks struct {
	version int64
	seen    map[string]bool
}

// NewFunctionalAcks returns the aggregate with no history.
func NewFunctionalAcks() *FunctionalAcks { return &FunctionalAcks{seen: map[string]bool{}} }

// Version is the stream version the aggregate was rebuilt to.
func (a *FunctionalAcks) Version() int64 { return a.version }

// Apply folds one stored event in.
func (a *FunctionalAcks) Apply(eventType string, data []byte) error {
	if eventType == EventFunctionalAckReceived {
		var d FunctionalAckData
		if err := json.Unmarshal(data, &d); err != nil {
			return fmt.Errorf("apply %s at version %d: %w", eventType, a.version+1, err)
		}
		key, err := contentKey(d)
		if err != nil {
			return err
		}
		a.seen[key] = true
	}
	a.version++
	return nil
}

// Receive decides what a functional acknowledgment means: FunctionalAckReceived, unless the same one
// was recorded before. A partner that acknowledges a group twice with different answers (first rejected,
// then accepted after a resend) has both recorded.
func (a *FunctionalAcks) Receive(d FunctionalAckData) ([]Event, error) {
	if d.GroupControlNumber == "" {
		return nil, errors.New("functional acknowledgment: no group control number")
	}
	key, err := contentKey(d)
	if err != nil {
		return nil, err
	}
	if a.seen[key] {
		return nil, nil
	}
	return []Event{FunctionalAckReceived{FunctionalAckData: d}}, nil
}
