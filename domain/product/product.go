// Package product is the aggregate of one Odoo product as Crossdock last read it, stream
// "product-odoo:<database>:<id>": its internal reference, barcode, name and unit, so that a product
// renamed or re-coded in Odoo shows when it happened, beside the crosswalks that name it.
package product

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
)

// EventChanged records a product as read from Odoo, the first time and whenever it changes.
const EventChanged = "product.odoo_changed.v1"

// StreamID names the stream of Odoo product id in database.
func StreamID(database string, id int64) string {
	return "product-odoo:" + database + ":" + strconv.FormatInt(id, 10)
}

// Data is the payload of product.odoo_changed.v1.
type Data struct {
	ID          int64  `json:"id"`
	DefaultCode string `json:"default_code,omitempty"`
	Barcode     string `json:"barcode,omitempty"`
	Name        string `json:"name"`
	Unit        string `json:"unit,omitempty"`
	Active      bool   `json:"active"`
	// Previous is the product as read before, absent the first time.
	Previous *Data `json:"previous,omitempty"`
}

// Changed records the product as now read.
type Changed struct {
	Data
}

// EventType implements the events' interface.
func (Changed) EventType() string { return EventChanged }

// Event is a product event.
type Event interface{ EventType() string }

// Product is the aggregate.
type Product struct {
	version int64
	current *Data
}

// New returns a product with no history.
func New() *Product { return &Product{} }

// Version is the stream version the product was rebuilt to.
func (p *Product) Version() int64 { return p.version }

// Apply folds one stored event.
func (p *Product) Apply(eventType string, data []byte) error {
	if eventType == EventChanged {
		var d Data
		if err := json.Unmarshal(data, &d); err != nil {
			return fmt.Errorf("apply %s at version %d: %w", eventType, p.version+1, err)
		}
		d.Previous = nil
		p.current = &d
	}
	p.version++
	return nil
}

// Read decides what reading the product from Odoo means: Changed the first time and when a field
// differs from the last reading (with that reading as Previous), nothing otherwise.
func (p *Product) Read(d Data) ([]Event, error) {
	if d.ID == 0 {
		return nil, errors.New("read product: no id")
	}
	d.Previous = nil
	if p.current != nil && *p.current == d {
		return nil, nil
	}
	if p.current != nil {
		prev := *p.current
		d.Previous = &prev
	}
	return []Event{Changed{Data: d}}, nil
}
