package sla

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/crossdock-hub/crossdock/projections"
)

// ErrNotFound means no ASN of that supplier and number is known.
var ErrNotFound = errors.New("sla: no such ASN")

// Reader answers SLA queries from the active generation.
type Reader struct {
	db     *sql.DB
	tables projections.TableResolver
}

// NewReader returns a reader over the SLA tables in db.
func NewReader(db projections.Database, tables projections.TableResolver) (*Reader, error) {
	if err := projections.CheckReader(db, tables); err != nil {
		return nil, fmt.Errorf("sla reader: %w", err)
	}
	return &Reader{db: db.Read, tables: tables}, nil
}

// Shipments returns the ASNs that reached us in [from, to), of one supplier or all (""), by supplier and
// time.
func (r *Reader) Shipments(ctx context.Context, supplier string, from, to time.Time) ([]Shipment, error) {
	var out []Shipment
	err := queryRows(ctx, r, "select_shipments", func(s Shipment) { out = append(out, s) }, supplier,
		from.UTC().Format(timeText), to.UTC().Format(timeText))
	if err != nil {
		return nil, err
	}
	return out, nil
}

// Shipment returns one ASN's measures, or ErrNotFound.
func (r *Reader) Shipment(ctx context.Context, supplier, asnNumber string) (Shipment, error) {
	var out *Shipment
	err := queryRows(ctx, r, "select_shipment", func(s Shipment) { out = &s }, supplier, asnNumber)
	if err != nil {
		return Shipment{}, err
	}
	if out == nil {
		return Shipment{}, fmt.Errorf("%w: %s of %s", ErrNotFound, asnNumber, supplier)
	}
	return *out, nil
}

// Windows summarises the ASNs that reached us in [from, to) per supplier and day (or week).
func (r *Reader) Windows(ctx context.Context, supplier string, from, to time.Time, week bool) ([]Window, error) {
	s, err := r.Shipments(ctx, supplier, from, to)
	if err != nil {
		return nil, err
	}
	return Summarize(s, week), nil
}

// queryRows runs the named query on the active generation and hands each row, decoded from its JSON
// data, to each (once the query has succeeded: a retry on a new generation does not repeat rows).
func queryRows[T any](ctx context.Context, r *Reader, name string, each func(T), args ...any) error {
	var batch []T
	err := r.scan(ctx, name, func() { batch = nil }, func(rows *sql.Rows) error {
		var data string
		if err := rows.Scan(&data); err != nil {
			return err
		}
		var v T
		if err := json.Unmarshal([]byte(data), &v); err != nil {
			return err
		}
		batch = append(batch, v)
		return nil
	}, args...)
	if err != nil {
		return err
	}
	for _, v := range batch {
		each(v)
	}
	return nil
}

// scan runs the named query on the active generation, calling begin before each attempt (a rebuild's
// switch may make it run twice) and row for each row.
func (r *Reader) scan(ctx context.Context, name string, begin func(), row func(*sql.Rows) error, args ...any) error {
	err := projections.OnActive(ctx, r.tables, Name, func(t projections.Tables) error {
		begin()
		q, err := queriesFor(t)
		if err != nil {
			return err
		}
		rows, err := r.db.QueryContext(ctx, t.Expand(q[name]), args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			if err := row(rows); err != nil {
				return err
			}
		}
		return rows.Err()
	})
	if err != nil {
		return fmt.Errorf("sla: %w", err)
	}
	return nil
}

// Deliveries returns the deliveries measured (delivered) in [from, to), of one carrier or all (""), by
// carrier and time.
func (r *Reader) Deliveries(ctx context.Context, carrier string, from, to time.Time) ([]Delivery, error) {
	var out []Delivery
	err := queryRows(ctx, r, "select_deliveries", func(d Delivery) { out = append(out, d) }, carrier,
		from.UTC().Format(timeText), to.UTC().Format(timeText))
	return out, err
}

// Delivery returns one tracking number's delivery, or ErrNotFound.
func (r *Reader) Delivery(ctx context.Context, tracking string) (Delivery, error) {
	var out *Delivery
	if err := queryRows(ctx, r, "select_delivery", func(d Delivery) { out = &d }, tracking); err != nil {
		return Delivery{}, err
	}
	if out == nil {
		return Delivery{}, fmt.Errorf("%w: tracking number %s", ErrNotFound, tracking)
	}
	return *out, nil
}

// CarrierWindows summarises the deliveries of [from, to) per carrier and day (or week).
func (r *Reader) CarrierWindows(ctx context.Context, carrier string, from, to time.Time, week bool) ([]CarrierWindow, error) {
	d, err := r.Deliveries(ctx, carrier, from, to)
	if err != nil {
		return nil, err
	}
	return SummarizeDeliveries(d, week), nil
}

// Due returns the late ASN measures and deliveries that have no breach yet.
func (r *Reader) Due(ctx context.Context) ([]Shipment, []Delivery, error) {
	var shipments []Shipment
	var deliveries []Delivery
	if err := queryRows(ctx, r, "due_shipments", func(s Shipment) { shipments = append(shipments, s) }); err != nil {
		return nil, nil, err
	}
	if err := queryRows(ctx, r, "due_deliveries", func(d Delivery) { deliveries = append(deliveries, d) }); err != nil {
		return nil, nil, err
	}
	return shipments, deliveries, nil
}

// Orders returns the orders sent in [from, to) — of one partner or all (""), of one document or both
// ("") — measured against their first answers and the partners' promises as of now.
func (r *Reader) Orders(ctx context.Context, partner, document string, from, to, now time.Time) ([]OrderLatency, error) {
	return r.orders(ctx, now, "select_orders", partner, document, from.UTC().Format(timeText), to.UTC().Format(timeText))
}

// DueOrders returns the orders sent since since that are late and have no breach raised yet, as of now.
func (r *Reader) DueOrders(ctx context.Context, since, now time.Time) ([]OrderLatency, error) {
	all, err := r.orders(ctx, now, "due_orders", since.UTC().Format(timeText))
	if err != nil {
		return nil, err
	}
	var out []OrderLatency
	for _, o := range all {
		if o.Late {
			out = append(out, o)
		}
	}
	return out, nil
}

func (r *Reader) orders(ctx context.Context, now time.Time, query string, args ...any) ([]OrderLatency, error) {
	var out []OrderLatency
	err := r.scan(ctx, query, func() { out = nil }, func(rows *sql.Rows) error {
		var p, doc, number, sent, answered string
		var ackHours, shipHours int
		if err := rows.Scan(&p, &doc, &number, &sent, &answered, &ackHours, &shipHours); err != nil {
			return err
		}
		sentAt, err := time.Parse(timeText, sent)
		if err != nil {
			return fmt.Errorf("order %s/%s sent at %q: %w", p, number, sent, err)
		}
		var answeredAt time.Time
		if answered != "" {
			if answeredAt, err = time.Parse(timeText, answered); err != nil {
				return fmt.Errorf("order %s/%s answered at %q: %w", p, number, answered, err)
			}
		}
		promised := ackHours
		if doc == DocumentWarehouseOrder {
			promised = shipHours
		}
		out = append(out, MeasureOrder(p, doc, number, sentAt, answeredAt, promised, now))
		return nil
	}, args...)
	return out, err
}

// OrderWindows summarises the orders sent in [from, to) per partner, document and day (or week).
func (r *Reader) OrderWindows(ctx context.Context, partner, document string, from, to, now time.Time, week bool) ([]OrderWindow, error) {
	o, err := r.Orders(ctx, partner, document, from, to, now)
	if err != nil {
		return nil, err
	}
	return SummarizeOrders(o, week), nil
}

// Unannounced returns the receipts in [from, to) of a supplier's orders (one supplier, or all ""),
// whose goods arrived with no ASN of the order recorded before them.
func (r *Reader) Unannounced(ctx context.Context, supplier string, from, to time.Time) ([]Unannounced, error) {
	return r.unannounced(ctx, "select_unannounced", supplier, from.UTC().Format(timeText), to.UTC().Format(timeText))
}

// DueUnannounced returns those received since since with no no_asn breach raised yet.
func (r *Reader) DueUnannounced(ctx context.Context, since time.Time) ([]Unannounced, error) {
	return r.unannounced(ctx, "due_unannounced", since.UTC().Format(timeText))
}

func (r *Reader) unannounced(ctx context.Context, query string, args ...any) ([]Unannounced, error) {
	var out []Unannounced
	err := r.scan(ctx, query, func() { out = nil }, func(rows *sql.Rows) error {
		var u Unannounced
		var received string
		if err := rows.Scan(&u.Supplier, &u.PONumber, &u.Warehouse, &u.ReceiptNumber, &received, &u.EventID); err != nil {
			return err
		}
		var err error
		if u.ReceivedAt, err = time.Parse(timeText, received); err != nil {
			return fmt.Errorf("receipt %s received at %q: %w", u.ReceiptNumber, received, err)
		}
		out = append(out, u)
		return nil
	}, args...)
	return out, err
}
