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
	err := r.query(ctx, "select_shipments", func(s Shipment) { out = append(out, s) }, supplier,
		from.UTC().Format(timeText), to.UTC().Format(timeText))
	if err != nil {
		return nil, err
	}
	return out, nil
}

// Shipment returns one ASN's measures, or ErrNotFound.
func (r *Reader) Shipment(ctx context.Context, supplier, asnNumber string) (Shipment, error) {
	var out *Shipment
	err := r.query(ctx, "select_shipment", func(s Shipment) { out = &s }, supplier, asnNumber)
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

func (r *Reader) query(ctx context.Context, name string, each func(Shipment), args ...any) error {
	err := projections.OnActive(ctx, r.tables, Name, func(t projections.Tables) error {
		q, err := queriesFor(t)
		if err != nil {
			return err
		}
		rows, err := r.db.QueryContext(ctx, t.Expand(q[name]), args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		var batch []Shipment
		for rows.Next() {
			var data string
			if err := rows.Scan(&data); err != nil {
				return err
			}
			var s Shipment
			if err := json.Unmarshal([]byte(data), &s); err != nil {
				return err
			}
			batch = append(batch, s)
		}
		if err := rows.Err(); err != nil {
			return err
		}
		for _, s := range batch {
			each(s)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("sla: %w", err)
	}
	return nil
}
