package order

import (
	"encoding/json"
	"errors"
	"fmt"
)

// POStreamID names the stream of purchase order po: "order-po:<po>". A PO number is the buyer's, unique
// across partners, so the stream is not scoped to one.
func POStreamID(po string) string { return "order-po:" + po }

// WarehouseOrderStreamID names the stream of warehouse order number (X12 940 W0502, the depositor order
// number): "order-wo:<number>", for a ship confirmation that names no purchase order.
func WarehouseOrderStreamID(number string) string { return "order-wo:" + number }

// Order is the aggregate of one order stream: rebuilt from its stream with Apply, asked to decide with
// Place, Acknowledge and Ship. It is pure: the handler loads it, asks, and appends what it decided.
type Order struct {
	version  int64
	current  *OrderData // the order as last placed, nil before the first
	revision int
	// acks and shipments hold the content of every acknowledgment and ship confirmation recorded, so the
	// same one sent again decides nothing.
	acks      map[string]bool
	shipments map[string]bool
	// delivered holds the warehouse shipments (partner and shipment ID) recorded as booked in Odoo.
	delivered map[string]bool
	// sent holds the revisions recorded as sent to the partner.
	sent map[int]bool
	// wo is the warehouse order as last placed, nil before the first; woRevision counts its versions.
	wo         *WarehouseOrderData
	woRevision int
	// odooDone holds the Odoo pickings and bills of the order recorded as done or posted.
	odooDone map[string]bool
}

// New returns an order with no history (an empty stream).
func New() *Order {
	return &Order{acks: map[string]bool{}, shipments: map[string]bool{}, delivered: map[string]bool{}, sent: map[int]bool{}, odooDone: map[string]bool{}}
}

// Version is the stream version the order was rebuilt to: the expected version of the next append.
func (o *Order) Version() int64 { return o.version }

// Revision is how many versions of the purchase order were placed (0 before the first).
func (o *Order) Revision() int { return o.revision }

// Current returns the purchase order as last placed, and false when it was never placed.
func (o *Order) Current() (OrderData, bool) {
	if o.current == nil {
		return OrderData{}, false
	}
	return *o.current, true
}

// View is the order as other aggregates' rules see it (View.Found is false when it was never placed).
func (o *Order) View() View {
	if o.current == nil {
		return View{}
	}
	v := View{PONumber: o.current.PONumber, Found: true, Supplier: o.current.Supplier}
	for _, l := range o.current.Lines {
		v.Lines = append(v.Lines, l.Ordered())
	}
	return v
}

// Apply folds one stored event into the order. Other event types still advance the version.
func (o *Order) Apply(eventType string, data []byte) error {
	fail := func(err error) error {
		return fmt.Errorf("apply %s at version %d: %w", eventType, o.version+1, err)
	}
	switch eventType {
	case EventPlaced, EventChanged:
		var d OrderData
		if err := json.Unmarshal(data, &d); err != nil {
			return fail(err)
		}
		o.current = &d
		o.revision++
	case EventAcknowledged:
		var d AckData
		if err := json.Unmarshal(data, &d); err != nil {
			return fail(err)
		}
		key, err := contentKey(d)
		if err != nil {
			return fail(err)
		}
		o.acks[key] = true
	case EventShipped:
		var d ShippedData
		if err := json.Unmarshal(data, &d); err != nil {
			return fail(err)
		}
		key, err := contentKey(d)
		if err != nil {
			return fail(err)
		}
		o.shipments[key] = true
	case EventDeliveryBookedInOdoo:
		var d DeliveryBookingData
		if err := json.Unmarshal(data, &d); err != nil {
			return fail(err)
		}
		o.delivered[d.deliveryKey()] = true
	case EventOdooPickingDone, EventOdooBillPosted:
		if err := o.applyOdooRecord(eventType, data); err != nil {
			return fail(err)
		}
	case EventWarehouseOrderPlaced, EventWarehouseOrderChanged:
		if err := o.applyWarehouseOrder(data); err != nil {
			return fail(err)
		}
	case EventSent:
		var d SentData
		if err := json.Unmarshal(data, &d); err != nil {
			return fail(err)
		}
		o.sent[d.Revision] = true
	}
	o.version++
	return nil
}

// Place decides what placing purchase order d means: Placed the first time, Changed when its content
// differs from the order as last placed, nothing when it is the same.
func (o *Order) Place(d OrderData) ([]Event, error) {
	if d.PONumber == "" {
		return nil, errors.New("place order: no PO number")
	}
	if o.current != nil && o.current.PONumber != d.PONumber {
		return nil, fmt.Errorf("order %s placed on the stream of order %s", d.PONumber, o.current.PONumber)
	}
	if o.current == nil {
		if d.Purpose == PurposeCancel {
			return nil, nil // a cancellation of an order never placed: nothing was ordered
		}
		return []Event{Placed{OrderData: d}}, nil
	}
	same, err := sameContent(*o.current, d)
	if err != nil || same {
		return nil, err
	}
	return []Event{Changed{OrderData: d, Revision: o.revision + 1}}, nil
}

// Acknowledge decides what a supplier's acknowledgment means: Acknowledged, unless the very same
// acknowledgment was recorded before. An acknowledgment of an order never placed is still recorded, with
// an ExceptionRaised of kind unknown_po beside it.
func (o *Order) Acknowledge(d AckData) ([]Event, error) {
	if d.PONumber == "" {
		return nil, errors.New("acknowledge order: no PO number")
	}
	if o.current != nil && o.current.PONumber != d.PONumber {
		return nil, fmt.Errorf("acknowledgment of order %s sent to the stream of order %s", d.PONumber, o.current.PONumber)
	}
	key, err := contentKey(d)
	if err != nil {
		return nil, err
	}
	if o.acks[key] {
		return nil, nil
	}
	events := []Event{Acknowledged{AckData: d}}
	if o.current == nil {
		events = append(events, ExceptionRaised{
			Kind: ExceptionUnknownPO, PONumber: d.PONumber, AckNumber: d.AckNumber, Partner: d.Partner,
			Message: fmt.Sprintf("%s acknowledged purchase order %s, which was never placed", d.Partner, d.PONumber),
		})
	}
	return events, nil
}

// Ship decides what a ship confirmation means: Shipped, unless the very same confirmation was recorded
// before. Several different confirmations of one order are several shipments.
func (o *Order) Ship(d ShippedData) ([]Event, error) {
	if d.OrderNumber == "" && d.PONumber == "" {
		return nil, errors.New("ship order: neither order number nor PO number")
	}
	key, err := contentKey(d)
	if err != nil {
		return nil, err
	}
	if o.shipments[key] {
		return nil, nil
	}
	return []Event{Shipped{ShippedData: d}}, nil
}

// contentKey is the canonical JSON of a payload: what tells a resend from a new fact. Instants are UTC
// and decimals carry no trailing zeros in payloads, so equal content has equal keys.
func contentKey(v any) (string, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return "", fmt.Errorf("encode content: %w", err)
	}
	return string(b), nil
}

func sameContent(a, b any) (bool, error) {
	ka, err := contentKey(a)
	if err != nil {
		return false, err
	}
	kb, err := contentKey(b)
	return err == nil && ka == kb, err
}
