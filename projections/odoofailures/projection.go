// Package odoofailures is the list of what Odoo did not take: the dead letters of the workflows that
// drive Odoo (ASNs, receipts, shipments, bills), each with Odoo's reason, until the document is booked — by a retry
// after the cause is fixed, or by a later version of the document.
package odoofailures

import (
	"context"
	"database/sql"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/crossdock-hub/crossdock/domain/invoice"
	"github.com/crossdock-hub/crossdock/domain/order"
	"github.com/crossdock-hub/crossdock/domain/receipt"
	"github.com/crossdock-hub/crossdock/domain/shipment"
	"github.com/crossdock-hub/crossdock/eventstore"
	"github.com/crossdock-hub/crossdock/projections"
)

// Name is the projection's name.
const Name = "odoo_failures"

// Kinds of document.
const (
	KindReceipt  = "receipt"
	KindDelivery = "delivery"
	KindBill     = "bill"
	KindASN      = "asn"
)

//go:embed sql
var sqlFiles embed.FS

var queries = projections.MustLoadQueries(sqlFiles, "sql", "odoofailures.sql")

const timeText = "2006-01-02T15:04:05.000000000Z"

// Projection keeps the list.
type Projection struct{}

// NewProjection returns the projection.
func NewProjection() *Projection { return &Projection{} }

// Name implements projections.Projection.
func (*Projection) Name() string { return Name }

// Version implements projections.Projection.
func (*Projection) Version() int { return 3 }

// Filter implements projections.Projection.
func (*Projection) Filter() eventstore.Filter {
	return eventstore.Filter{Types: []string{receipt.EventOdooBookingFailed, receipt.EventBookedInOdoo,
		order.EventOdooDeliveryFailed, order.EventDeliveryBookedInOdoo, invoice.EventOdooBillFailed, invoice.EventBilledInOdoo,
		shipment.EventOdooAnnounceFailed, shipment.EventAnnouncedInOdoo}}
}

// Schema implements projections.Projection.
func (*Projection) Schema(t projections.Tables) ([]string, error) {
	return projections.SchemaFor(queries, t)
}

// Tables implements projections.Projection.
func (*Projection) Tables() []string { return []string{"odoo_failure"} }

// Apply implements projections.Projection: a failure adds (or renews) the document's row for the event
// Odoo was to be told of; a booking clears the document.
func (*Projection) Apply(ctx context.Context, tx *sql.Tx, t projections.Tables, events []eventstore.Event) error {
	q, ok := queries[t.Dialect]
	if !ok {
		return fmt.Errorf("odoo failures: unsupported dialect %q", t.Dialect)
	}
	for _, ev := range events {
		var err error
		switch ev.Type {
		case receipt.EventBookedInOdoo, order.EventDeliveryBookedInOdoo, invoice.EventBilledInOdoo, shipment.EventAnnouncedInOdoo:
			_, err = tx.ExecContext(ctx, t.Expand(q["clear"]), ev.StreamID)
		case receipt.EventOdooBookingFailed:
			var d receipt.OdooBookingFailedData
			if err = json.Unmarshal(ev.Data, &d); err == nil {
				err = upsert(ctx, tx, t, q, ev, KindReceipt, d.ReceiptNumber, d.Partner, d.Reason)
			}
		case shipment.EventOdooAnnounceFailed:
			var d shipment.AnnounceFailedData
			if err = json.Unmarshal(ev.Data, &d); err == nil {
				err = upsert(ctx, tx, t, q, ev, KindASN, d.ASNNumber, d.Supplier, d.Reason)
			}
		case invoice.EventOdooBillFailed:
			var d invoice.BillFailedData
			if err = json.Unmarshal(ev.Data, &d); err == nil {
				err = upsert(ctx, tx, t, q, ev, KindBill, d.InvoiceNumber, d.Partner, d.Reason)
			}
		case order.EventOdooDeliveryFailed:
			var d order.DeliveryFailedData
			if err = json.Unmarshal(ev.Data, &d); err == nil {
				document := d.OrderNumber
				if document == "" {
					document = d.PONumber
				}
				err = upsert(ctx, tx, t, q, ev, KindDelivery, document, d.Partner, d.Reason)
			}
		}
		if err != nil {
			return fmt.Errorf("odoo failures: event %s (%s): %w", ev.ID, ev.Type, err)
		}
	}
	return nil
}

func upsert(ctx context.Context, tx *sql.Tx, t projections.Tables, q projections.Queries, ev eventstore.Event, kind, document, partner, reason string) error {
	trigger := ev.Metadata.CausationID
	if trigger == "" {
		return errors.New("the failure names no event (causation_id)")
	}
	_, err := tx.ExecContext(ctx, t.Expand(q["upsert"]), ev.StreamID, trigger, kind, document, partner, reason,
		ev.RecordedAt.UTC().Format(timeText), ev.ID.String())
	return err
}

// Failure is one document Odoo did not take.
type Failure struct {
	// StreamID is the document's stream; TriggerEventID the event Odoo was to be told of (what a retry
	// sends again); EventID the failure's own event.
	StreamID, TriggerEventID, EventID string
	// Kind is KindASN, KindReceipt, KindDelivery or KindBill; Document its number.
	Kind, Document, Partner string
	// Reason is Odoo's message, or why the document could not be booked.
	Reason   string
	FailedAt time.Time
}

// ErrNotFound: no waiting failure has that event ID.
var ErrNotFound = errors.New("no such odoo failure")

// Reader reads the list.
type Reader struct {
	db     *sql.DB
	tables projections.TableResolver
}

// NewReader returns a reader of the active generation.
func NewReader(db projections.Database, tables projections.TableResolver) (*Reader, error) {
	if err := projections.CheckReader(db, tables); err != nil {
		return nil, fmt.Errorf("odoo failures reader: %w", err)
	}
	return &Reader{db: db.Read, tables: tables}, nil
}

// List answers the waiting failures of a partner (or all, ""), the latest first, at most first.
func (r *Reader) List(ctx context.Context, partner string, first int) ([]Failure, error) {
	if first <= 0 || first > 500 {
		first = 100
	}
	return r.query(ctx, "list", partner, first)
}

// Get answers the waiting failure whose event is eventID.
func (r *Reader) Get(ctx context.Context, eventID string) (Failure, error) {
	out, err := r.query(ctx, "get", eventID)
	if err != nil {
		return Failure{}, err
	}
	if len(out) == 0 {
		return Failure{}, fmt.Errorf("%w: %s", ErrNotFound, eventID)
	}
	return out[0], nil
}

func (r *Reader) query(ctx context.Context, name string, args ...any) ([]Failure, error) {
	var out []Failure
	err := projections.OnActive(ctx, r.tables, Name, func(t projections.Tables) error {
		out = nil
		q, ok := queries[t.Dialect]
		if !ok {
			return fmt.Errorf("odoo failures: unsupported dialect %q", t.Dialect)
		}
		rows, err := r.db.QueryContext(ctx, t.Expand(q[name]), args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var f Failure
			var at string
			if err := rows.Scan(&f.StreamID, &f.TriggerEventID, &f.Kind, &f.Document, &f.Partner, &f.Reason, &at, &f.EventID); err != nil {
				return err
			}
			if f.FailedAt, err = time.Parse(timeText, at); err != nil {
				return err
			}
			out = append(out, f)
		}
		return rows.Err()
	})
	return out, err
}
