package order

import (
	"encoding/json"
	"time"

	"github.com/shopspring/decimal"
)

// What Odoo did with an order on its own side, read from Odoo: a picking of the order validated there
// (by the workflows or by a person), a vendor bill of it posted. Recorded on the order's stream, so the
// timeline shows Odoo's side beside the partners'.
const (
	EventOdooPickingDone = "order.odoo_picking_done.v1"
	EventOdooBillPosted  = "order.odoo_bill_posted.v1"
)

// OdooLine is a product's quantity on an Odoo record, in the product's unit.
type OdooLine struct {
	Product  string          `json:"product"`
	Quantity decimal.Decimal `json:"quantity"`
	// UnitPrice is the bill line's price, when the record is a bill.
	UnitPrice *decimal.Decimal `json:"unit_price,omitempty"`
}

// OdooPickingData is the payload of order.odoo_picking_done.v1.
type OdooPickingData struct {
	OrderNumber string `json:"order_number"`
	// Picking is its name (WH/IN/00001); Kind "receipt" or "delivery".
	Picking string    `json:"picking"`
	Kind    string    `json:"kind"`
	DoneAt  time.Time `json:"done_at"`
	// BackorderOf is the picking it holds the rest of, if it is a backorder.
	BackorderOf string `json:"backorder_of,omitempty"`
	// TrackingRef is the picking's carrier_tracking_ref.
	TrackingRef string     `json:"tracking_ref,omitempty"`
	Lines       []OdooLine `json:"lines"`
}

// OdooPickingDone records a picking of the order validated in Odoo.
type OdooPickingDone struct {
	OdooPickingData
}

// EventType implements Event.
func (OdooPickingDone) EventType() string { return EventOdooPickingDone }

// OdooBillData is the payload of order.odoo_bill_posted.v1.
type OdooBillData struct {
	OrderNumber string `json:"order_number"`
	BillID      int64  `json:"bill_id"`
	// Name is the bill's number once posted (BILL/2026/11/0001); Ref the vendor's reference.
	Name  string          `json:"name"`
	Ref   string          `json:"ref,omitempty"`
	Date  time.Time       `json:"date,omitzero"`
	Total decimal.Decimal `json:"total"`
	Lines []OdooLine      `json:"lines"`
}

// OdooBillPosted records a vendor bill of the order posted in Odoo.
type OdooBillPosted struct {
	OdooBillData
}

// EventType implements Event.
func (OdooBillPosted) EventType() string { return EventOdooBillPosted }

// RecordOdooPicking decides what a done picking read from Odoo means: recorded the first time; a done
// picking read again (a poll's overlap, a later write on it) decides nothing.
func (o *Order) RecordOdooPicking(d OdooPickingData) ([]Event, error) {
	if o.odooDone["picking:"+d.Picking] {
		return nil, nil
	}
	return []Event{OdooPickingDone{OdooPickingData: d}}, nil
}

// RecordOdooBill decides what a posted bill read from Odoo means: recorded once per bill.
func (o *Order) RecordOdooBill(d OdooBillData) ([]Event, error) {
	if o.odooDone["bill:"+decimal.NewFromInt(d.BillID).String()] {
		return nil, nil
	}
	return []Event{OdooBillPosted{OdooBillData: d}}, nil
}

func (o *Order) applyOdooRecord(eventType string, data []byte) error {
	switch eventType {
	case EventOdooPickingDone:
		var d OdooPickingData
		if err := json.Unmarshal(data, &d); err != nil {
			return err
		}
		o.odooDone["picking:"+d.Picking] = true
	case EventOdooBillPosted:
		var d OdooBillData
		if err := json.Unmarshal(data, &d); err != nil {
			return err
		}
		o.odooDone["bill:"+decimal.NewFromInt(d.BillID).String()] = true
	}
	return nil
}
