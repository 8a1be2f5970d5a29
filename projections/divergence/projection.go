// Package divergence is the inventory divergence read model: per warehouse and product, the warehouse's
// on-hand figure (its latest snapshot per location plus the adjustments after it), Odoo's (its latest
// reading), what is in flight between the two (receipts and shipments the warehouse confirmed that Odoo
// had not validated), the divergence that remains and its status (../shared/VIEWS.md). Like the
// three-way match it keeps each position's facts and derives the row from them on every change.
package divergence

import (
	"context"
	"database/sql"
	"embed"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/shopspring/decimal"

	"github.com/crossdock-hub/crossdock/domain/inventory"
	"github.com/crossdock-hub/crossdock/domain/order"
	"github.com/crossdock-hub/crossdock/domain/receipt"
	"github.com/crossdock-hub/crossdock/eventstore"
	"github.com/crossdock-hub/crossdock/projections"
)

// Name is the projection's name.
const Name = "divergence"

const version = 1

// ChangePosition is the kind of the projection's change feed rows, keyed "warehouse|product".
const ChangePosition = "inventory_position"

//go:embed sql
var sqlFiles embed.FS

var queries = projections.MustLoadQueries(sqlFiles, "sql", "divergence.sql")

// Fact kinds.
const (
	factSnapshot   = "snapshot"
	factAdjustment = "adjustment"
	factReceipt    = "receipt"
	factShipment   = "shipment"
	factOdoo       = "odoo"
	factBreach     = "breach"
)

// timeText is fixed-width, so that text order is time order.
const timeText = "2006-01-02T15:04:05.000000000Z"

// Projection writes the divergence tables.
type Projection struct{}

// NewProjection returns the inventory divergence projection.
func NewProjection() *Projection { return &Projection{} }

// Name implements projections.Projection.
func (*Projection) Name() string { return Name }

// Version implements projections.Projection.
func (*Projection) Version() int { return version }

// Filter implements projections.Projection.
func (*Projection) Filter() eventstore.Filter {
	return eventstore.Filter{Types: []string{inventory.EventSnapshotReported, inventory.EventAdjusted, receipt.EventReceived,
		receipt.EventRevised, order.EventShipped, inventory.EventOdooLevelsRead, inventory.EventOdooPickingValidated,
		inventory.EventDivergenceBreached}}
}

// Tables implements projections.Projection.
func (*Projection) Tables() []string {
	return []string{"div_fact", "div_reading", "div_validation", "div_position"}
}

// Schema implements projections.Projection.
func (*Projection) Schema(t projections.Tables) ([]string, error) {
	q, err := queriesFor(t)
	if err != nil {
		return nil, err
	}
	stmts := q.Statements("schema")
	for i, s := range stmts {
		stmts[i] = t.Expand(s)
	}
	return stmts, nil
}

func queriesFor(t projections.Tables) (projections.Queries, error) {
	q, ok := queries[t.Dialect]
	if !ok {
		return nil, fmt.Errorf("divergence: unsupported dialect %q", t.Dialect)
	}
	return q, nil
}

// Apply implements projections.Projection.
func (p *Projection) Apply(ctx context.Context, tx *sql.Tx, t projections.Tables, events []eventstore.Event) error {
	_, err := p.ApplyChanges(ctx, tx, t, events)
	return err
}

type key struct{ warehouse, product string }

// ApplyChanges implements projections.ChangeReporter: it records the batch's facts and derives every
// position they touched again, returning those rows.
func (p *Projection) ApplyChanges(ctx context.Context, tx *sql.Tx, t projections.Tables, events []eventstore.Event) ([]projections.Change, error) {
	q, err := queriesFor(t)
	if err != nil {
		return nil, err
	}
	x := executor{ctx: ctx, tx: tx, t: t, q: q, warehouseReadings: map[string][]OdooReading{}}
	touched := map[key]bool{}
	for _, ev := range events {
		keys, err := x.record(ev)
		if err != nil {
			return nil, fmt.Errorf("divergence: event %s (%s): %w", ev.ID, ev.Type, err)
		}
		for _, k := range keys {
			touched[k] = true
		}
	}
	keys := make([]key, 0, len(touched))
	for k := range touched {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b key) int {
		if a.warehouse != b.warehouse {
			return compare(a.warehouse, b.warehouse)
		}
		return compare(a.product, b.product)
	})
	var changes []projections.Change
	for _, k := range keys {
		pos, err := x.derive(k)
		if err != nil {
			return nil, fmt.Errorf("divergence: %s at %s: %w", k.product, k.warehouse, err)
		}
		row, _ := json.Marshal(pos) // plain data: always encodes
		changes = append(changes, projections.Change{Kind: ChangePosition, Key: k.warehouse + "|" + k.product, Row: row})
	}
	return changes, nil
}

func compare(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

type executor struct {
	ctx context.Context
	tx  *sql.Tx
	t   projections.Tables
	q   projections.Queries
	// warehouseReadings keeps each warehouse's readings for the batch: every position of a warehouse
	// needs them, and a batch derives many positions of few warehouses. Filled once the batch's facts
	// are all recorded, so it holds them all.
	warehouseReadings map[string][]OdooReading
}

// readings returns Odoo's readings of the warehouse (their instants and event IDs).
func (x executor) readings(warehouse string) ([]OdooReading, error) {
	if rs, ok := x.warehouseReadings[warehouse]; ok {
		return rs, nil
	}
	var rs []OdooReading
	err := x.rows("select_readings", func(r *sql.Rows) error {
		var asOf, eventID string
		if err := r.Scan(&asOf, &eventID); err != nil {
			return err
		}
		t, err := time.Parse(timeText, asOf)
		rs = append(rs, OdooReading{EventID: eventID, AsOf: t})
		return err
	}, warehouse)
	if err == nil {
		x.warehouseReadings[warehouse] = rs
	}
	return rs, err
}

func (x executor) exec(name string, args ...any) error {
	_, err := x.tx.ExecContext(x.ctx, x.t.Expand(x.q[name]), args...)
	return err
}

func (x executor) rows(name string, scan func(*sql.Rows) error, args ...any) error {
	rows, err := x.tx.QueryContext(x.ctx, x.t.Expand(x.q[name]), args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := scan(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

func (x executor) fact(name string, k key, kind, id string, at time.Time, eventID string, v any) error {
	data, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return x.exec(name, k.warehouse, k.product, kind, id, at.UTC().Format(timeText), eventID, string(data))
}

// record stores the facts an event carries and returns the positions they concern.
func (x executor) record(ev eventstore.Event) ([]key, error) {
	id := ev.ID.String()
	switch ev.Type {
	case inventory.EventSnapshotReported:
		var d inventory.SnapshotData
		if err := json.Unmarshal(ev.Data, &d); err != nil {
			return nil, err
		}
		q, ok := d.Quantities[inventory.OnHand]
		if !ok {
			return nil, nil // a snapshot without an on-hand figure says nothing of it
		}
		k := key{inventory.WarehouseKey(d.Partner, d.Warehouse), d.Product}
		return []key{k}, x.fact("upsert_tied_fact", k, factSnapshot, d.Location+"@"+d.AsOf.UTC().Format(timeText), d.AsOf, id,
			Snapshot{EventID: id, Location: d.Location, AsOf: d.AsOf, OnHand: q.Quantity})
	case inventory.EventAdjusted:
		var d inventory.AdjustmentData
		if err := json.Unmarshal(ev.Data, &d); err != nil {
			return nil, err
		}
		k := key{inventory.WarehouseKey(d.Partner, d.Warehouse), d.Product}
		return []key{k}, x.fact("upsert_fact", k, factAdjustment, id, d.At, id,
			Adjustment{EventID: id, Location: d.Location, At: d.At, Quantity: d.Quantity})
	case receipt.EventReceived, receipt.EventRevised:
		var d receipt.ReceiptData
		if err := json.Unmarshal(ev.Data, &d); err != nil {
			return nil, err
		}
		totals := map[string]decimal.Decimal{}
		for _, l := range d.Lines {
			totals[l.Product] = totals[l.Product].Add(l.Quantity)
		}
		return x.movements(inventory.WarehouseKey(d.Partner, d.Warehouse), factReceipt, d.ReceiptNumber, d.ReceivedAt, id, totals)
	case order.EventShipped:
		var d order.ShippedData
		if err := json.Unmarshal(ev.Data, &d); err != nil {
			return nil, err
		}
		totals := map[string]decimal.Decimal{}
		for _, l := range d.Lines {
			totals[l.Product] = totals[l.Product].Sub(l.Quantity)
		}
		ref := d.ShipmentID
		if ref == "" {
			ref = d.OrderNumber
		}
		return x.movements(inventory.WarehouseKey(d.Partner, d.Warehouse), factShipment, ref, d.ShipDate, id, totals)
	case inventory.EventOdooLevelsRead:
		var d inventory.OdooLevelsData
		if err := json.Unmarshal(ev.Data, &d); err != nil {
			return nil, err
		}
		levels := map[string]decimal.Decimal{}
		for _, l := range d.Levels {
			levels[l.Product] = levels[l.Product].Add(l.Quantity)
		}
		asOf := d.AsOf.UTC().Format(timeText)
		if err := x.exec("upsert_reading", d.Warehouse, asOf, id); err != nil {
			return nil, err
		}
		for product, q := range levels {
			if err := x.fact("upsert_tied_fact", key{d.Warehouse, product}, factOdoo, asOf, d.AsOf, id,
				OdooReading{EventID: id, AsOf: d.AsOf, Quantity: q}); err != nil {
				return nil, err
			}
		}
		// A reading is the whole warehouse: it concerns every product known there.
		var keys []key
		err := x.rows("warehouse_products", func(r *sql.Rows) error {
			var p string
			if err := r.Scan(&p); err != nil {
				return err
			}
			keys = append(keys, key{d.Warehouse, p})
			return nil
		}, d.Warehouse)
		return keys, err
	case inventory.EventDivergenceBreached:
		var d inventory.DivergenceBreachedData
		if err := json.Unmarshal(ev.Data, &d); err != nil {
			return nil, err
		}
		k := key{d.Warehouse, d.Product}
		return []key{k}, x.fact("upsert_fact", k, factBreach, d.DivergedSince.UTC().Format(timeText), d.RaisedAt, id,
			Breach{EventID: id, Since: d.DivergedSince, RaisedAt: d.RaisedAt})
	case inventory.EventOdooPickingValidated:
		var d inventory.OdooPickingValidatedData
		if err := json.Unmarshal(ev.Data, &d); err != nil {
			return nil, err
		}
		kind := factReceipt
		if d.Kind == inventory.PickingDelivery {
			kind = factShipment
		}
		if err := x.exec("upsert_validation", kind, d.Reference, d.ValidatedAt.UTC().Format(timeText), id); err != nil {
			return nil, err
		}
		var keys []key
		err := x.rows("referenced", func(r *sql.Rows) error {
			var k key
			if err := r.Scan(&k.warehouse, &k.product); err != nil {
				return err
			}
			keys = append(keys, k)
			return nil
		}, kind, d.Reference)
		return keys, err
	}
	return nil, nil
}

// movements records a receipt's or shipment's quantity per product.
func (x executor) movements(warehouse, kind, reference string, at time.Time, eventID string, totals map[string]decimal.Decimal) ([]key, error) {
	var keys []key
	for product, q := range totals {
		k := key{warehouse, product}
		if err := x.fact("upsert_fact", k, kind, reference, at, eventID,
			Movement{EventID: eventID, Reference: reference, At: at, Quantity: q}); err != nil {
			return nil, err
		}
		keys = append(keys, k)
	}
	return keys, nil
}

// derive computes one position from its facts and stores it.
func (x executor) derive(k key) (Position, error) {
	f := Facts{Warehouse: k.warehouse, Product: k.product}
	var movementKinds []string             // the fact kind of each movement, for its validation
	listed := map[string]decimal.Decimal{} // the product's quantity in each reading that lists it, by as_of
	err := x.rows("select_facts", func(r *sql.Rows) error {
		var kind, id, eventID, data string
		if err := r.Scan(&kind, &id, &eventID, &data); err != nil {
			return err
		}
		var err error
		switch kind {
		case factSnapshot:
			var s Snapshot
			err = json.Unmarshal([]byte(data), &s)
			f.Snapshots = append(f.Snapshots, s)
		case factAdjustment:
			var a Adjustment
			err = json.Unmarshal([]byte(data), &a)
			f.Adjustments = append(f.Adjustments, a)
		case factReceipt, factShipment:
			var m Movement
			err = json.Unmarshal([]byte(data), &m)
			f.Movements = append(f.Movements, m)
			movementKinds = append(movementKinds, kind)
		case factOdoo:
			var o OdooReading
			err = json.Unmarshal([]byte(data), &o)
			listed[id] = o.Quantity
		case factBreach:
			var b Breach
			err = json.Unmarshal([]byte(data), &b)
			f.Breaches = append(f.Breaches, b)
		}
		return err
	}, k.warehouse, k.product)
	if err != nil {
		return Position{}, err
	}
	type validation struct {
		at      time.Time
		eventID string
	}
	validations := map[string]validation{} // by kind and reference
	err = x.rows("select_validations", func(r *sql.Rows) error {
		var kind, ref, at, eventID string
		if err := r.Scan(&kind, &ref, &at, &eventID); err != nil {
			return err
		}
		t, err := time.Parse(timeText, at)
		validations[kind+"\x00"+ref] = validation{t, eventID}
		return err
	}, k.warehouse, k.product)
	if err != nil {
		return Position{}, err
	}
	for i := range f.Movements {
		if v, ok := validations[movementKinds[i]+"\x00"+f.Movements[i].Reference]; ok {
			f.Movements[i].ValidatedAt, f.Movements[i].ValidationEventID = v.at, v.eventID
		}
	}
	readings, err := x.readings(k.warehouse)
	if err != nil {
		return Position{}, err
	}
	for _, r := range readings {
		f.Readings = append(f.Readings, OdooReading{EventID: r.EventID, AsOf: r.AsOf, Quantity: listed[r.AsOf.UTC().Format(timeText)]})
	}
	pos := Compute(f)
	row, err := json.Marshal(pos)
	if err != nil {
		return Position{}, err
	}
	return pos, x.exec("upsert_position", k.warehouse, k.product, pos.Status, pos.Divergence.String(), string(row))
}
