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
	"sort"
	"strings"
	"sync"
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

// version 2: positions keep their sweep (a generation of version 1 needs `projections rebuild`).
const version = 2

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
type Projection struct {
	// stats counts the facts written to each generation, to refresh the planner's statistics as a
	// generation grows (see analyze).
	stats sync.Map // fact table name → *growth
	// SweepLag is how far behind a position's newest fact its sweep is kept: a fact arriving late by
	// less than this goes on from the sweep; an older one makes the position sweep all its facts again.
	// Default (NewProjection) 24 hours.
	SweepLag time.Duration
}

// NewProjection returns the inventory divergence projection.
func NewProjection() *Projection { return &Projection{SweepLag: 24 * time.Hour} }

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
	return projections.SchemaFor(queries, t)
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

// growth is how many facts a generation has been given, and how many it had at its last ANALYZE.
type growth struct {
	mu                sync.Mutex
	written, analyzed int
}

// analyze refreshes the database's statistics of the view's tables each time the facts written to the
// generation have doubled (from 10,000): a generation built by a rebuild grows from empty faster than
// autovacuum looks at it, and with the statistics of an empty table the planner scans where it should
// look up (select_facts took 1 s a batch at 200,000 events instead of 50 ms).
func (p *Projection) analyze(x *executor, facts int) error {
	v, _ := p.stats.LoadOrStore(x.Tables.Name("div_fact"), &growth{})
	g := v.(*growth)
	g.mu.Lock()
	defer g.mu.Unlock()
	g.written += facts
	if g.written < 10_000 || g.written < 2*g.analyzed {
		return nil
	}
	if _, err := x.Tx.ExecContext(x.Ctx, x.Tables.Expand(x.Queries["analyze"])); err != nil {
		return fmt.Errorf("analyze: %w", err)
	}
	g.analyzed = g.written
	return nil
}

// ApplyChanges implements projections.ChangeReporter: it records the batch's facts, then derives every
// position they touched again, returning those rows. Each step is one statement per table for the whole
// batch (rows travel as one JSON array), so a batch costs a dozen round trips however many events it
// holds.
func (p *Projection) ApplyChanges(ctx context.Context, tx *sql.Tx, t projections.Tables, events []eventstore.Event) ([]projections.Change, error) {
	q, err := queriesFor(t)
	if err != nil {
		return nil, err
	}
	x := &executor{JSONBatch: projections.JSONBatch{Ctx: ctx, Tx: tx, Tables: t, Queries: q}, facts: map[factKey]factRow{}, touched: map[key]bool{},
		readWarehouses: map[string]bool{}, earliest: map[key]time.Time{}, earliestReading: map[string]time.Time{}, validatedRefs: map[key][][2]string{}, sweepLag: p.SweepLag}
	for _, ev := range events {
		if err := x.record(ev); err != nil {
			return nil, fmt.Errorf("divergence: event %s (%s): %w", ev.ID, ev.Type, err)
		}
	}
	if err := x.flush(); err != nil {
		return nil, fmt.Errorf("divergence: record facts: %w", err)
	}
	if err := p.analyze(x, len(x.facts)); err != nil {
		return nil, fmt.Errorf("divergence: %w", err)
	}
	keys, err := x.touchedKeys()
	if err != nil {
		return nil, fmt.Errorf("divergence: %w", err)
	}
	positions, err := x.derive(keys)
	if err != nil {
		return nil, fmt.Errorf("divergence: derive positions: %w", err)
	}
	changes := make([]projections.Change, len(positions))
	for i, pos := range positions {
		row, _ := json.Marshal(pos) // plain data: always encodes
		changes[i] = projections.Change{Kind: ChangePosition, Key: pos.Warehouse + "|" + pos.Product, Row: row}
	}
	return changes, nil
}

type factKey struct{ warehouse, product, kind, id string }

type factRow struct {
	Warehouse string `json:"warehouse"`
	Product   string `json:"product"`
	Kind      string `json:"kind"`
	ID        string `json:"id"`
	At        string `json:"at"`
	EventID   string `json:"event_id"`
	Data      string `json:"data"`
}

type readingRow struct {
	Warehouse string `json:"warehouse"`
	AsOf      string `json:"as_of"`
	EventID   string `json:"event_id"`
}

type validationRow struct {
	Kind        string `json:"kind"`
	Reference   string `json:"reference"`
	ValidatedAt string `json:"validated_at"`
	EventID     string `json:"event_id"`
}

// executor applies one batch: record buffers its facts, flush writes them, derive computes and writes
// the positions.
type executor struct {
	projections.JSONBatch

	facts       map[factKey]factRow
	readings    []readingRow
	validations []validationRow
	// touched are the positions the batch's facts concern directly; readWarehouses the warehouses Odoo
	// read (a reading concerns every product known there), validated the movements Odoo validated.
	touched        map[key]bool
	readWarehouses map[string]bool
	validated      []map[string]string
	// earliest is the business time of each position's earliest fact in the batch, earliestReading of
	// each warehouse's earliest reading; validatedRefs the movements (kind, reference) of each position
	// the batch's validations name. A position whose batch facts all come after its sweep, and whose
	// sweep can take the validations, goes on from the sweep; any other is derived from all its facts.
	earliest        map[key]time.Time
	earliestReading map[string]time.Time
	validatedRefs   map[key][][2]string
	sweepLag        time.Duration
}

func earlier(m map[key]time.Time, k key, t time.Time) {
	if cur, ok := m[k]; !ok || t.Before(cur) {
		m[k] = t
	}
}

// fact buffers a fact. A later one of the same key replaces it, except that of two snapshots or two
// readings at one instant the greater event ID stands (as upsert_facts does with what is stored).
func (x *executor) fact(k key, kind, id string, at time.Time, eventID string, v any) error {
	data, err := json.Marshal(v)
	if err != nil {
		return err
	}
	fk := factKey{k.warehouse, k.product, kind, id}
	if cur, ok := x.facts[fk]; ok && (kind == factSnapshot || kind == factOdoo) && cur.EventID > eventID {
		return nil
	}
	x.facts[fk] = factRow{Warehouse: k.warehouse, Product: k.product, Kind: kind, ID: id, At: at.UTC().Format(timeText),
		EventID: eventID, Data: string(data)}
	x.touched[k] = true
	if kind != factBreach { // a breach changes no figure: it need not sweep again
		earlier(x.earliest, k, at)
	}
	return nil
}

// record buffers the facts an event carries and notes what they concern.
func (x *executor) record(ev eventstore.Event) error {
	id := ev.ID.String()
	switch ev.Type {
	case inventory.EventSnapshotReported:
		var d inventory.SnapshotData
		if err := json.Unmarshal(ev.Data, &d); err != nil {
			return err
		}
		q, ok := d.Quantities[inventory.OnHand]
		if !ok {
			return nil // a snapshot without an on-hand figure says nothing of it
		}
		k := key{inventory.WarehouseKey(d.Partner, d.Warehouse), d.Product}
		return x.fact(k, factSnapshot, d.Location+"@"+d.AsOf.UTC().Format(timeText), d.AsOf, id,
			Snapshot{EventID: id, Location: d.Location, AsOf: d.AsOf, OnHand: q.Quantity})
	case inventory.EventAdjusted:
		var d inventory.AdjustmentData
		if err := json.Unmarshal(ev.Data, &d); err != nil {
			return err
		}
		k := key{inventory.WarehouseKey(d.Partner, d.Warehouse), d.Product}
		return x.fact(k, factAdjustment, id, d.At, id, Adjustment{EventID: id, Location: d.Location, At: d.At, Quantity: d.Quantity})
	case receipt.EventReceived, receipt.EventRevised:
		var d receipt.ReceiptData
		if err := json.Unmarshal(ev.Data, &d); err != nil {
			return err
		}
		totals := map[string]decimal.Decimal{}
		for _, l := range d.Lines {
			totals[l.Product] = totals[l.Product].Add(l.Quantity)
		}
		return x.movements(inventory.WarehouseKey(d.Partner, d.Warehouse), factReceipt, d.ReceiptNumber, d.ReceivedAt, id, totals)
	case order.EventShipped:
		var d order.ShippedData
		if err := json.Unmarshal(ev.Data, &d); err != nil {
			return err
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
			return err
		}
		levels := map[string]decimal.Decimal{}
		for _, l := range d.Levels {
			levels[l.Product] = levels[l.Product].Add(l.Quantity)
		}
		asOf := d.AsOf.UTC().Format(timeText)
		x.readings = append(x.readings, readingRow{Warehouse: d.Warehouse, AsOf: asOf, EventID: id})
		if cur, ok := x.earliestReading[d.Warehouse]; !ok || d.AsOf.Before(cur) {
			x.earliestReading[d.Warehouse] = d.AsOf
		}
		for product, q := range levels {
			if err := x.fact(key{d.Warehouse, product}, factOdoo, asOf, d.AsOf, id, OdooReading{EventID: id, AsOf: d.AsOf, Quantity: q}); err != nil {
				return err
			}
		}
		// A reading is the whole warehouse: it concerns every product known there (found after the flush).
		x.readWarehouses[d.Warehouse] = true
		return nil
	case inventory.EventDivergenceBreached:
		var d inventory.DivergenceBreachedData
		if err := json.Unmarshal(ev.Data, &d); err != nil {
			return err
		}
		return x.fact(key{d.Warehouse, d.Product}, factBreach, d.DivergedSince.UTC().Format(timeText), d.RaisedAt, id,
			Breach{EventID: id, Since: d.DivergedSince, RaisedAt: d.RaisedAt})
	case inventory.EventOdooPickingValidated:
		var d inventory.OdooPickingValidatedData
		if err := json.Unmarshal(ev.Data, &d); err != nil {
			return err
		}
		kind := factReceipt
		if d.Kind == inventory.PickingDelivery {
			kind = factShipment
		}
		x.validations = append(x.validations, validationRow{Kind: kind, Reference: d.Reference,
			ValidatedAt: d.ValidatedAt.UTC().Format(timeText), EventID: id})
		x.validated = append(x.validated, map[string]string{"kind": kind, "id": d.Reference})
	}
	return nil
}

// movements buffers a receipt's or shipment's quantity per product.
func (x *executor) movements(warehouse, kind, reference string, at time.Time, eventID string, totals map[string]decimal.Decimal) error {
	for product, q := range totals {
		if err := x.fact(key{warehouse, product}, kind, reference, at, eventID,
			Movement{EventID: eventID, Reference: reference, At: at, Quantity: q}); err != nil {
			return err
		}
	}
	return nil
}

// earliestStored counts the stored versions of the documents' facts in the positions' earliest times.
func (x *executor) earliestStored(documents []factRow) error {
	if len(documents) == 0 {
		return nil
	}
	return x.Query("stored_facts", documents, func(r *sql.Rows) error {
		var k key
		var at string
		if err := r.Scan(&k.warehouse, &k.product, &at); err != nil {
			return err
		}
		t, err := time.Parse(timeText, at)
		if err != nil {
			return fmt.Errorf("stored fact of %s at %s: %w", k.product, k.warehouse, err)
		}
		earlier(x.earliest, k, t)
		return nil
	})
}

// flush writes the batch's facts, readings and validations: one statement each.
func (x *executor) flush() error {
	if len(x.facts) > 0 {
		rows := make([]factRow, 0, len(x.facts))
		var documents []factRow // receipts and shipments: the facts whose revision may move in time
		for _, r := range x.facts {
			rows = append(rows, r)
			if r.Kind == factReceipt || r.Kind == factShipment {
				documents = append(documents, r)
			}
		}
		// A document's revision counts from the time of the version it replaces too: that version may be
		// in the position's sweep. (Snapshots, adjustments and readings cannot move: their keys hold
		// their instants or their event.)
		if err := x.earliestStored(documents); err != nil {
			return err
		}
		if err := x.Exec("upsert_facts", rows); err != nil {
			return err
		}
	}
	if len(x.readings) > 0 {
		// One row per warehouse and instant, the greater event ID (as the statement keeps it).
		latest := map[[2]string]readingRow{}
		for _, r := range x.readings {
			k := [2]string{r.Warehouse, r.AsOf}
			if cur, ok := latest[k]; !ok || r.EventID > cur.EventID {
				latest[k] = r
			}
		}
		rows := make([]readingRow, 0, len(latest))
		for _, r := range latest {
			rows = append(rows, r)
		}
		if err := x.Exec("upsert_readings", rows); err != nil {
			return err
		}
	}
	if len(x.validations) > 0 {
		// The first validation of a picking stands (as the statement keeps the one stored).
		first := map[[2]string]validationRow{}
		var rows []validationRow
		for _, v := range x.validations {
			k := [2]string{v.Kind, v.Reference}
			if _, ok := first[k]; !ok {
				first[k] = v
				rows = append(rows, v)
			}
		}
		if err := x.Exec("insert_validations", rows); err != nil {
			return err
		}
	}
	return nil
}

// touchedKeys are the positions the batch concerns: those its facts name, every product of a warehouse
// Odoo read, and every position of a movement Odoo validated; in key order.
func (x *executor) touchedKeys() ([]key, error) {
	scanKey := func(r *sql.Rows) error {
		var k key
		if err := r.Scan(&k.warehouse, &k.product); err != nil {
			return err
		}
		x.touched[k] = true
		return nil
	}
	if len(x.readWarehouses) > 0 {
		warehouses := make([]string, 0, len(x.readWarehouses))
		for w := range x.readWarehouses {
			warehouses = append(warehouses, w)
		}
		if err := x.Query("warehouse_products", warehouses, scanKey); err != nil {
			return nil, err
		}
	}
	if len(x.validated) > 0 {
		err := x.Query("referenced", x.validated, func(r *sql.Rows) error {
			var k key
			var ref [2]string
			if err := r.Scan(&k.warehouse, &k.product, &ref[0], &ref[1]); err != nil {
				return err
			}
			x.touched[k] = true
			x.validatedRefs[k] = append(x.validatedRefs[k], ref)
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	keys := make([]key, 0, len(x.touched))
	for k := range x.touched {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b key) int {
		if c := strings.Compare(a.warehouse, b.warehouse); c != 0 {
			return c
		}
		return strings.Compare(a.product, b.product)
	})
	return keys, nil
}

// firstValidations are the batch's validations by kind and reference, the first of each (as
// insert_validations keeps it).
func (x *executor) firstValidations() (map[[2]string]validationRow, error) {
	out := make(map[[2]string]validationRow, len(x.validations))
	for _, v := range x.validations {
		if _, ok := out[[2]string{v.Kind, v.Reference}]; !ok {
			out[[2]string{v.Kind, v.Reference}] = v
		}
	}
	return out, nil
}

// takes records the batch's validations of a position's movements in its sweep, reporting false when
// the sweep cannot take one.
func takes(s *Sweep, refs [][2]string, validations map[[2]string]validationRow) bool {
	for _, ref := range refs {
		v, ok := validations[ref]
		if !ok {
			continue
		}
		at, err := time.Parse(timeText, v.ValidatedAt)
		if err != nil || !s.Validate(v.Reference, v.Kind == factShipment, at, v.EventID) {
			return false
		}
	}
	return true
}

// latest is the time of the newest of the facts and of the sweep's.
func (f *Facts) latest(s *Sweep) time.Time {
	var t time.Time
	if s != nil {
		t = s.At
	}
	for _, x := range f.Snapshots {
		t = later(t, x.AsOf)
	}
	for _, x := range f.Adjustments {
		t = later(t, x.At)
	}
	for _, x := range f.Movements {
		t = later(t, x.At)
	}
	for _, x := range f.Readings {
		t = later(t, x.AsOf)
	}
	return t
}

// derive computes the positions from their facts and writes them: four queries and one statement for
// the whole batch.
func (x *executor) derive(keys []key) ([]Position, error) {
	if len(keys) == 0 {
		return nil, nil
	}
	type keyRow struct {
		Warehouse string `json:"warehouse"`
		Product   string `json:"product"`
		After     string `json:"after"` // '': every fact
	}
	keyRows := make([]keyRow, len(keys))
	facts := make(map[key]*Facts, len(keys))
	for i, k := range keys {
		keyRows[i] = keyRow{Warehouse: k.warehouse, Product: k.product}
		facts[k] = &Facts{Warehouse: k.warehouse, Product: k.product}
	}
	// The positions' sweeps, and which can go on from theirs.
	sweeps := map[key]*Sweep{}
	err := x.Query("select_sweeps", keyRows, func(r *sql.Rows) error {
		var k key
		var data string
		if err := r.Scan(&k.warehouse, &k.product, &data); err != nil {
			return err
		}
		var s Sweep
		if err := json.Unmarshal([]byte(data), &s); err != nil {
			return fmt.Errorf("stored sweep of %s at %s: %w", k.product, k.warehouse, err)
		}
		sweeps[k] = &s
		return nil
	})
	if err != nil {
		return nil, err
	}
	validations, err := x.firstValidations()
	if err != nil {
		return nil, err
	}
	for i, k := range keys {
		s := sweeps[k]
		first, wrote := x.earliest[k]
		firstReading, read := x.earliestReading[k.warehouse]
		if s == nil || (wrote && !first.After(s.At)) || (read && !firstReading.After(s.At)) || !takes(s, x.validatedRefs[k], validations) {
			delete(sweeps, k) // from all its facts
			continue
		}
		keyRows[i].After = s.At.UTC().Format(timeText)
	}
	// The facts of each position (a movement with Odoo's validation of it, if any); the product's
	// quantity in each reading that lists it, by as_of.
	listed := map[key]map[string]decimal.Decimal{}
	err = x.Query("select_facts", keyRows, func(r *sql.Rows) error {
		var k key
		var kind, id, eventID, data, validatedAt, validationID string
		if err := r.Scan(&k.warehouse, &k.product, &kind, &id, &eventID, &data, &validatedAt, &validationID); err != nil {
			return err
		}
		f := facts[k]
		if f == nil {
			return nil
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
			if err = json.Unmarshal([]byte(data), &m); err != nil {
				return err
			}
			if validatedAt != "" {
				if m.ValidatedAt, err = time.Parse(timeText, validatedAt); err != nil {
					return err
				}
				m.ValidationEventID = validationID
			}
			f.Movements = append(f.Movements, m)
		case factOdoo:
			var o OdooReading
			err = json.Unmarshal([]byte(data), &o)
			if listed[k] == nil {
				listed[k] = map[string]decimal.Decimal{}
			}
			listed[k][id] = o.Quantity
		case factBreach:
			var b Breach
			err = json.Unmarshal([]byte(data), &b)
			f.Breaches = append(f.Breaches, b)
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	// The readings of the positions' warehouses after the earliest sweep there, in time order, with
	// their instants as stored.
	type reading struct {
		OdooReading
		asOf string
	}
	readings := map[string][]reading{}
	type bound struct {
		Warehouse string `json:"warehouse"`
		After     string `json:"after"`
	}
	bounds := map[string]string{}
	for _, k := range keyRows {
		if b, ok := bounds[k.Warehouse]; !ok || k.After < b {
			bounds[k.Warehouse] = k.After
		}
	}
	names := make([]bound, 0, len(bounds))
	for w, after := range bounds {
		names = append(names, bound{w, after})
	}
	err = x.Query("select_readings", names, func(r *sql.Rows) error {
		var w, asOf, eventID string
		if err := r.Scan(&w, &asOf, &eventID); err != nil {
			return err
		}
		t, err := time.Parse(timeText, asOf)
		readings[w] = append(readings[w], reading{OdooReading{EventID: eventID, AsOf: t}, asOf})
		return err
	})
	if err != nil {
		return nil, err
	}

	type positionRow struct {
		Warehouse  string `json:"warehouse"`
		Product    string `json:"product"`
		Status     string `json:"status"`
		Divergence string `json:"divergence"`
		Data       string `json:"data"`
		Sweep      string `json:"sweep"`
	}
	out := make([]Position, len(keys))
	rows := make([]positionRow, len(keys))
	for i, k := range keys {
		f := facts[k]
		from := sweeps[k]
		rs := readings[k.warehouse]
		if from != nil { // the readings after the sweep's
			rs = rs[sort.Search(len(rs), func(i int) bool { return rs[i].AsOf.After(from.At) }):]
		}
		for _, r := range rs {
			r.Quantity = listed[k][r.asOf]
			f.Readings = append(f.Readings, r.OdooReading)
		}
		pos, sweep := ComputeFrom(from, *f, f.latest(from).Add(-x.sweepLag))
		data, err := json.Marshal(pos)
		if err != nil {
			return nil, err
		}
		swept, err := json.Marshal(sweep)
		if err != nil {
			return nil, err
		}
		out[i] = pos
		rows[i] = positionRow{Warehouse: k.warehouse, Product: k.product, Status: pos.Status, Divergence: pos.Divergence.String(),
			Data: string(data), Sweep: string(swept)}
	}
	return out, x.Exec("upsert_positions", rows)
}
