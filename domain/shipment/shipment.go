package shipment

import (
	"fmt"
)

// StreamID names the stream of the shipment announced by partner's ASN asnNumber.
func StreamID(partner, asnNumber string) string {
	return "shipment-" + partner + ":" + asnNumber
}

// Shipment is the aggregate: rebuilt from its stream with Apply, asked to decide with ReceiveASN.
type Shipment struct {
	version  int64
	current  *ASN // the latest ASN announced, nil before the first
	revision int
}

// New returns a shipment with no history (an empty stream).
func New() *Shipment { return &Shipment{} }

// Version is the stream version the shipment was rebuilt to: the expected version of the next append.
func (s *Shipment) Version() int64 { return s.version }

// Revision is how many versions of the ASN the shipment has seen (0 before the first).
func (s *Shipment) Revision() int { return s.revision }

// Current returns the latest ASN announced, and false before the first.
func (s *Shipment) Current() (ASN, bool) {
	if s.current == nil {
		return ASN{}, false
	}
	return *s.current, true
}

// Apply folds one stored event into the shipment. Event types this aggregate does not decide on (carrier
// milestones and receipts will share the stream later) still advance the version, so the next append is
// checked against the real end of the stream.
func (s *Shipment) Apply(eventType string, data []byte) error {
	switch eventType {
	case EventASNReceived, EventASNRevised:
		a, err := decodeASNData(data)
		if err != nil {
			return fmt.Errorf("apply %s at version %d: %w", eventType, s.version+1, err)
		}
		s.current = &a
		s.revision++
	}
	s.version++
	return nil
}

// ReceiveASN decides what an incoming ASN means for the shipment: an ASNReceived for the first, an
// ASNRevised when its content differs from the current one, and no event at all when it is the same.
// An ASN that breaks a rule is a *ValidationError and changes nothing.
func (s *Shipment) ReceiveASN(a ASN) ([]Event, error) {
	if err := a.Validate(); err != nil {
		return nil, err
	}
	if s.current != nil && s.current.ASNNumber != a.ASNNumber {
		return nil, fmt.Errorf("ASN %s sent to the shipment of ASN %s", a.ASNNumber, s.current.ASNNumber)
	}
	switch {
	case s.current == nil:
		return []Event{ASNReceived{ASNData: NewASNData(a)}}, nil
	case s.current.Equal(a):
		return nil, nil
	default:
		return []Event{ASNRevised{ASNData: NewASNData(a), Revision: s.revision + 1}}, nil
	}
}
