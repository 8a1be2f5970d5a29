package order

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/crossdock-hub/crossdock/domain"
)

// A warehouse order is what the company asks a warehouse (3PL) to ship: a confirmed sales order of
// Odoo's, on stream "order-wo:<order number>", where the warehouse's ship confirmations (945) land too.
const (
	EventWarehouseOrderPlaced  = "order.warehouse_order_placed.v1"
	EventWarehouseOrderChanged = "order.warehouse_order_changed.v1"
)

// WarehouseOrderData is the payload of order.warehouse_order_placed.v1 and _changed.v1: the whole order
// as placed, in canonical terms.
type WarehouseOrderData struct {
	// OrderNumber is the sales order's name in Odoo (S00042): the 940's W0502 and the 945's W0602.
	OrderNumber string `json:"order_number"`
	// Purpose is "original" or "cancel".
	Purpose string `json:"purpose,omitempty"`
	// Partner is the warehouse partner that ships it; Warehouse its warehouse code, if it has several.
	Partner   string `json:"partner"`
	Warehouse string `json:"warehouse,omitempty"`
	// CustomerPO is the customer's own order reference (Odoo's client_order_ref).
	CustomerPO    string       `json:"customer_po,omitempty"`
	ShipTo        domain.Party `json:"ship_to"`
	CarrierSCAC   string       `json:"carrier_scac,omitempty"`
	OrderDate     time.Time    `json:"order_date"`
	RequestedShip time.Time    `json:"requested_ship,omitzero"`
	Lines         []LineData   `json:"lines"`
}

// WarehouseOrderPlaced records a warehouse order placed.
type WarehouseOrderPlaced struct {
	WarehouseOrderData
}

// EventType implements Event.
func (WarehouseOrderPlaced) EventType() string { return EventWarehouseOrderPlaced }

// WarehouseOrderChanged records a new version of a warehouse order.
type WarehouseOrderChanged struct {
	WarehouseOrderData
	// Revision counts the order's versions: the first placed is 1.
	Revision int `json:"revision"`
}

// EventType implements Event.
func (WarehouseOrderChanged) EventType() string { return EventWarehouseOrderChanged }

// WarehouseOrder returns the warehouse order as last placed and its revision, and false when none was.
func (o *Order) WarehouseOrder() (WarehouseOrderData, int, bool) {
	if o.wo == nil {
		return WarehouseOrderData{}, 0, false
	}
	return *o.wo, o.woRevision, true
}

// PlaceWarehouseOrder decides what placing warehouse order d means: placed the first time, changed when
// its content differs from the order as last placed, nothing when it is the same (or when an order never
// placed is cancelled).
func (o *Order) PlaceWarehouseOrder(d WarehouseOrderData) ([]Event, error) {
	if d.OrderNumber == "" || d.Partner == "" {
		return nil, errors.New("place warehouse order: the order number and the warehouse partner are required")
	}
	if o.wo != nil && o.wo.OrderNumber != d.OrderNumber {
		return nil, fmt.Errorf("warehouse order %s placed on the stream of order %s", d.OrderNumber, o.wo.OrderNumber)
	}
	if o.wo == nil {
		if d.Purpose == PurposeCancel {
			return nil, nil
		}
		return []Event{WarehouseOrderPlaced{WarehouseOrderData: d}}, nil
	}
	same, err := sameContent(*o.wo, d)
	if err != nil || same {
		return nil, err
	}
	return []Event{WarehouseOrderChanged{WarehouseOrderData: d, Revision: o.woRevision + 1}}, nil
}

func (o *Order) applyWarehouseOrder(data []byte) error {
	var d WarehouseOrderData
	if err := json.Unmarshal(data, &d); err != nil {
		return err
	}
	o.wo = &d
	o.woRevision++
	return nil
}
