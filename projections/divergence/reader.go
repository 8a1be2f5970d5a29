package divergence

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/crossdock-hub/crossdock/projections"
)

// Page sizes.
const (
	DefaultFirst = 50
	MaxFirst     = 500
)

// ErrInvalidQuery means a query cannot be answered as asked (a malformed cursor, a negative page size).
var ErrInvalidQuery = errors.New("divergence: invalid query")

// Reader answers divergence queries from the active generation.
type Reader struct {
	db     *sql.DB
	tables projections.TableResolver
}

// NewReader returns a reader over the divergence tables in db.
func NewReader(db projections.Database, tables projections.TableResolver) (*Reader, error) {
	if err := projections.CheckReader(db, tables); err != nil {
		return nil, fmt.Errorf("divergence reader: %w", err)
	}
	return &Reader{db: db.Read, tables: tables}, nil
}

// Query selects positions; empty filters select everything. Positions come by warehouse and product.
type Query struct {
	Warehouse, Product, Status string
	First                      int
	After                      string
}

// Page is one page of positions; Cursors[i] is the cursor after Positions[i].
type Page struct {
	Positions   []Position
	Cursors     []string
	HasNextPage bool
}

// Positions returns a page of positions.
func (r *Reader) Positions(ctx context.Context, q Query) (Page, error) {
	first, ok := projections.PageSize(q.First, DefaultFirst, MaxFirst)
	if !ok {
		return Page{}, fmt.Errorf("%w: first %d is negative", ErrInvalidQuery, q.First)
	}
	var k1, k2 string
	if q.After != "" {
		if k1, k2, ok = projections.ParseKeyCursor(q.After); !ok {
			return Page{}, fmt.Errorf("%w: cursor %q is not one this API gave", ErrInvalidQuery, q.After)
		}
	}
	var page Page
	err := projections.OnActive(ctx, r.tables, Name, func(t projections.Tables) error {
		page = Page{}
		qs, err := queriesFor(t)
		if err != nil {
			return err
		}
		rows, err := r.db.QueryContext(ctx, t.Expand(qs["select_positions"]), q.Warehouse, q.Product, q.Status, k1, k2, first+1)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var data string
			if err := rows.Scan(&data); err != nil {
				return err
			}
			var p Position
			if err := json.Unmarshal([]byte(data), &p); err != nil {
				return fmt.Errorf("position row: %w", err)
			}
			page.Positions = append(page.Positions, p)
			page.Cursors = append(page.Cursors, projections.KeyCursor(p.Warehouse, p.Product))
		}
		return rows.Err()
	})
	if err != nil {
		return Page{}, fmt.Errorf("divergence: %w", err)
	}
	if len(page.Positions) > first {
		page.Positions, page.Cursors, page.HasNextPage = page.Positions[:first], page.Cursors[:first], true
	}
	return page, nil
}
