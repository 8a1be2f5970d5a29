package order

import (
	"errors"
	"time"
)

// What Crossdock sent a partner about an order (a purchase order's 850 / ORDERS to the supplier, a
// warehouse order's 940 to the warehouse), and what stopped it: recorded on the order's stream, so the
// timeline shows it and the SLA view measures the partner's answer from it.
const (
	EventSent       = "order.sent.v1"
	EventSendFailed = "order.send_failed.v1"
)

// SentData is the payload of order.sent.v1: one revision of the order, written for the partner.
type SentData struct {
	// OrderNumber is the purchase order's number, or the warehouse order's.
	OrderNumber string `json:"order_number"`
	Partner     string `json:"partner"`
	// Document is the outbound kind: "purchase_order" or "warehouse_order".
	Document string `json:"document"`
	// Revision is the order's revision sent (1 for the order as first placed).
	Revision int `json:"revision"`
	// Format is "x12" or "edifact"; Transaction the set or message ("850", "ORDERS", "940").
	Format      string `json:"format"`
	Transaction string `json:"transaction"`
	// Interchange and Group are the control numbers written (X12 ISA13 and GS06, EDIFACT UNB05 for
	// both): the partner's functional acknowledgment names them.
	Interchange string `json:"interchange"`
	Group       string `json:"group"`
	// File is where the document was written; Bytes its size.
	File   string    `json:"file"`
	Bytes  int       `json:"bytes"`
	SentAt time.Time `json:"sent_at"`
}

// Sent records an order sent to a partner.
type Sent struct {
	SentData
}

// EventType implements Event.
func (Sent) EventType() string { return EventSent }

// SendFailedData is the payload of order.send_failed.v1: the order could not be written for the partner
// (an item the partner's crosswalk does not know, a field the format cannot carry); sending it as it is
// would fail again.
type SendFailedData struct {
	OrderNumber string `json:"order_number"`
	Partner     string `json:"partner"`
	Document    string `json:"document"`
	Revision    int    `json:"revision"`
	Reason      string `json:"reason"`
}

// SendFailed records an order not sent: a dead letter, to send again once the cause is fixed.
type SendFailed struct {
	SendFailedData
}

// EventType implements Event.
func (SendFailed) EventType() string { return EventSendFailed }

// Sent reports whether revision of the order was recorded as sent.
func (o *Order) Sent(revision int) bool { return o.sent[revision] }

// RecordSent decides what sending the order means: a revision already recorded as sent decides nothing
// (a retry, a re-drive). Exactly one of sent and failed is given.
func (o *Order) RecordSent(sent *SentData, failed *SendFailedData) ([]Event, error) {
	if (sent == nil) == (failed == nil) {
		return nil, errors.New("record sent: give the sending or the failure")
	}
	if sent != nil {
		if o.sent[sent.Revision] {
			return nil, nil
		}
		return []Event{Sent{SentData: *sent}}, nil
	}
	if o.sent[failed.Revision] {
		return nil, nil
	}
	return []Event{SendFailed{SendFailedData: *failed}}, nil
}
