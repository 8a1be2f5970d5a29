// Package sla is the partner SLA read model, for now its supplier metrics that Crossdock's events carry
// today: ASN timeliness (how long before the goods arrived the ASN reached us, against the supplier's
// promised lead) and ASN accuracy (how well it announced what was received), per ASN and summarised per
// supplier and day or week with exact percentiles (../shared/VIEWS.md, partner SLA).
//
// An ASN is paired with the receipts that name its number. Every row is derived again from its facts
// when one changes, so late and out-of-order documents give the rows the same documents in order do.
package sla

import (
	"context"
	"database/sql"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/crossdock-hub/crossdock/domain/partner"
	"github.com/crossdock-hub/crossdock/domain/receipt"
	"github.com/crossdock-hub/crossdock/domain/shipment"
	"github.com/crossdock-hub/crossdock/eventstore"
	"github.com/crossdock-hub/crossdock/projections"
)

// Name is the projection's name.
const Name = "sla"

const version = 1

// Kinds of the feed's rows: ASN measures keyed "supplier/asn", deliveries keyed by tracking number.
const (
	ChangeShipment = "asn_shipment"
	ChangeDelivery = "carrier_delivery"
)

//go:embed sql
var sqlFiles embed.FS

var queries = projections.MustLoadQueries(sqlFiles, "sql", "sla.sql")

const timeText = "2006-01-02T15:04:05.000000000Z"

// Projection writes the SLA tables.
type Projection struct{}

// NewProjection returns the partner SLA projection.
func NewProjection() *Projection { return &Projection{} }

// Name implements projections.Projection.
func (*Projection) Name() string { return Name }

// Version implements projections.Projection.
func (*Projection) Version() int { return version }

// Filter implements projections.Projection.
func (*Projection) Filter() eventstore.Filter {
	return eventstore.Filter{Types: []string{shipment.EventASNReceived, shipment.EventASNRevised, receipt.EventReceived,
		receipt.EventRevised, partner.EventSLASet, shipment.EventStatusReported}}
}

// Tables implements projections.Projection.
func (*Projection) Tables() []string {
	return []string{"sla_asn", "sla_receipt", "sla_promise", "sla_shipment", "sla_milestone", "sla_delivery"}
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
		return nil, fmt.Errorf("sla: unsupported dialect %q", t.Dialect)
	}
	return q, nil
}

// Apply implements projections.Projection.
func (p *Projection) Apply(ctx context.Context, tx *sql.Tx, t projections.Tables, events []eventstore.Event) error {
	_, err := p.ApplyChanges(ctx, tx, t, events)
	return err
}

// ApplyChanges implements projections.ChangeReporter.
func (p *Projection) ApplyChanges(ctx context.Context, tx *sql.Tx, t projections.Tables, events []eventstore.Event) ([]projections.Change, error) {
	q, err := queriesFor(t)
	if err != nil {
		return nil, err
	}
	x := executor{ctx: ctx, tx: tx, t: t, q: q}
	touched, trackings := map[string]bool{}, map[string]bool{}
	for _, ev := range events {
		numbers, tracking, err := x.record(ev)
		if err != nil {
			return nil, fmt.Errorf("sla: event %s (%s): %w", ev.ID, ev.Type, err)
		}
		for _, n := range numbers {
			touched[n] = true
		}
		if tracking != "" {
			trackings[tracking] = true
		}
	}
	numbers := make([]string, 0, len(touched))
	for n := range touched {
		numbers = append(numbers, n)
	}
	slices.Sort(numbers)
	var changes []projections.Change
	for _, n := range numbers {
		rows, err := x.derive(n)
		if err != nil {
			return nil, fmt.Errorf("sla: ASN %s: %w", n, err)
		}
		for _, s := range rows {
			b, _ := json.Marshal(s) // plain data: always encodes
			changes = append(changes, projections.Change{Kind: ChangeShipment, Key: s.Supplier + "/" + s.ASNNumber, Row: b})
		}
	}
	sorted := make([]string, 0, len(trackings))
	for tr := range trackings {
		sorted = append(sorted, tr)
	}
	slices.Sort(sorted)
	for _, tr := range sorted {
		d, err := x.deriveDelivery(tr)
		if err != nil {
			return nil, fmt.Errorf("sla: tracking %s: %w", tr, err)
		}
		b, _ := json.Marshal(d) // plain data: always encodes
		changes = append(changes, projections.Change{Kind: ChangeDelivery, Key: tr, Row: b})
	}
	return changes, nil
}

type executor struct {
	ctx context.Context
	tx  *sql.Tx
	t   projections.Tables
	q   projections.Queries
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

// record stores an event's fact and returns the ASN numbers and the tracking number whose rows it may
// change.
func (x executor) record(ev eventstore.Event) (numbers []string, tracking string, err error) {
	switch ev.Type {
	case shipment.EventASNReceived, shipment.EventASNRevised:
		var d shipment.ASNData
		if err := json.Unmarshal(ev.Data, &d); err != nil {
			return nil, "", err
		}
		a := ASN{EventID: ev.ID.String(), Supplier: d.Supplier, Number: d.ASNNumber, RecordedAt: ev.RecordedAt.UTC(),
			Quantities: map[string]decimal.Decimal{}, TrackingNumber: d.TrackingNumber, ExpectedArrival: d.ExpectedArrival.UTC()}
		for _, l := range d.Lines {
			q, err := decimal.NewFromString(l.Quantity)
			if err != nil {
				return nil, "", fmt.Errorf("line %d quantity %q: %w", l.LineNumber, l.Quantity, err)
			}
			a.Quantities[l.Item] = a.Quantities[l.Item].Add(q)
		}
		b, _ := json.Marshal(a)
		return []string{d.ASNNumber}, d.TrackingNumber, x.exec("upsert_asn", d.Supplier, d.ASNNumber, a.RecordedAt.Format(timeText), a.EventID, string(b), d.TrackingNumber)
	case receipt.EventReceived, receipt.EventRevised:
		var d receipt.ReceiptData
		if err := json.Unmarshal(ev.Data, &d); err != nil {
			return nil, "", err
		}
		if d.ASNNumber == "" {
			return nil, "", nil // a receipt that names no ASN measures none
		}
		r := Receipt{EventID: ev.ID.String(), Number: d.ReceiptNumber, ReceivedAt: d.ReceivedAt.UTC(), Quantities: map[string]decimal.Decimal{}}
		for _, l := range d.Lines {
			r.Quantities[l.Product] = r.Quantities[l.Product].Add(l.Quantity)
		}
		b, _ := json.Marshal(r)
		return []string{d.ASNNumber}, "", x.exec("upsert_receipt", d.ASNNumber, d.ReceiptNumber, d.Partner, string(b))
	case partner.EventSLASet:
		var d partner.SLASet
		if err := json.Unmarshal(ev.Data, &d); err != nil {
			return nil, "", err
		}
		id, ok := strings.CutPrefix(ev.StreamID, partner.StreamPrefix)
		if !ok {
			return nil, "", fmt.Errorf("SLA on stream %s, not a partner's", ev.StreamID)
		}
		if err := x.exec("upsert_promise", id, d.ASNLeadHours); err != nil {
			return nil, "", err
		}
		err := x.rows("supplier_asns", func(r *sql.Rows) error {
			var n string
			err := r.Scan(&n)
			numbers = append(numbers, n)
			return err
		}, id)
		return numbers, "", err
	case shipment.EventStatusReported:
		var d shipment.StatusReported
		if err := json.Unmarshal(ev.Data, &d); err != nil {
			return nil, "", err
		}
		m := Milestone{EventID: ev.ID.String(), Carrier: d.Partner, Status: d.Status, At: d.At.UTC(), EstimatedDelivery: d.EstimatedDelivery.UTC()}
		b, _ := json.Marshal(m)
		return nil, d.TrackingNumber, x.exec("insert_milestone", d.TrackingNumber, m.EventID, string(b))
	}
	return nil, "", nil
}

// derive measures every supplier's ASN of that number against the receipts naming it, and stores the rows.
func (x executor) derive(number string) ([]Shipment, error) {
	var asns []ASN
	err := x.rows("select_asns", func(r *sql.Rows) error {
		var recordedAt, data string
		if err := r.Scan(&recordedAt, &data); err != nil {
			return err
		}
		var a ASN
		if err := json.Unmarshal([]byte(data), &a); err != nil {
			return err
		}
		t, err := time.Parse(timeText, recordedAt)
		a.RecordedAt = t // the first ASN's instant, which a revision keeps
		asns = append(asns, a)
		return err
	}, number)
	if err != nil {
		return nil, err
	}
	var receipts []Receipt
	err = x.rows("select_receipts", func(r *sql.Rows) error {
		var data string
		if err := r.Scan(&data); err != nil {
			return err
		}
		var rc Receipt
		err := json.Unmarshal([]byte(data), &rc)
		receipts = append(receipts, rc)
		return err
	}, number)
	if err != nil {
		return nil, err
	}
	out := make([]Shipment, 0, len(asns))
	for _, a := range asns {
		var promised int
		err := x.tx.QueryRowContext(x.ctx, x.t.Expand(x.q["select_promise"]), a.Supplier).Scan(&promised)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return nil, err
		}
		s := Compute(a, receipts, promised)
		b, _ := json.Marshal(s)
		if err := x.exec("upsert_shipment", s.Supplier, s.ASNNumber, s.RecordedAt.Format(timeText), string(b)); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, nil
}

// deriveDelivery measures one tracking number's delivery and stores it.
func (x executor) deriveDelivery(tracking string) (Delivery, error) {
	var milestones []Milestone
	err := x.rows("select_milestones", func(r *sql.Rows) error {
		var data string
		if err := r.Scan(&data); err != nil {
			return err
		}
		var m Milestone
		err := json.Unmarshal([]byte(data), &m)
		milestones = append(milestones, m)
		return err
	}, tracking)
	if err != nil {
		return Delivery{}, err
	}
	var promises []Promise
	err = x.rows("tracking_promises", func(r *sql.Rows) error {
		var eventID, data string
		if err := r.Scan(&eventID, &data); err != nil {
			return err
		}
		var a ASN
		err := json.Unmarshal([]byte(data), &a)
		promises = append(promises, Promise{EventID: eventID, Arrival: a.ExpectedArrival, Supplier: a.Supplier})
		return err
	}, tracking)
	if err != nil {
		return Delivery{}, err
	}
	d := ComputeDelivery(tracking, milestones, promises)
	b, _ := json.Marshal(d)
	delivered := ""
	if !d.DeliveredAt.IsZero() {
		delivered = d.DeliveredAt.UTC().Format(timeText)
	}
	return d, x.exec("upsert_delivery", tracking, d.Carrier, delivered, string(b))
}
