package match

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/shopspring/decimal"

	"github.com/crossdock-hub/crossdock/projections"
)

// Page sizes.
const (
	DefaultFirst = 50
	MaxFirst     = 500
)

// ErrInvalidQuery means a query cannot be answered as asked (a malformed cursor, a negative page size).
var ErrInvalidQuery = errors.New("match: invalid query")

// Reader answers three-way match queries from the active generation.
type Reader struct {
	db     *sql.DB
	tables projections.TableResolver
}

// NewReader returns a reader over the match tables in db (its Read pool serves the queries).
func NewReader(db projections.Database, tables projections.TableResolver) (*Reader, error) {
	if err := projections.CheckReader(db, tables); err != nil {
		return nil, fmt.Errorf("match reader: %w", err)
	}
	return &Reader{db: db.Read, tables: tables}, nil
}

// Query selects rows; filters combine with AND, empty ones select everything. Rows come in key order
// (purchase order and line; partner and invoice number), a page of First after the cursor After.
type Query struct {
	PONumber string
	Status   string
	// Partner is the supplier (lines) or the billing partner (invoices).
	Partner string
	First   int
	After   string
}

// LinePage is one page of lines.
type LinePage struct {
	Lines []Line
	// Cursors[i] is the cursor after Lines[i].
	Cursors     []string
	HasNextPage bool
}

// InvoicePage is one page of invoices.
type InvoicePage struct {
	Invoices    []InvoiceResult
	Cursors     []string
	HasNextPage bool
}

// Lines returns a page of purchase order lines.
func (r *Reader) Lines(ctx context.Context, q Query) (LinePage, error) {
	first, k1, k2, err := pageArgs(q)
	if err != nil {
		return LinePage{}, err
	}
	var page LinePage
	err = r.query(ctx, "select_lines", []any{q.PONumber, q.Status, q.Partner, k1, k2, first + 1}, func() { page = LinePage{} }, func(rows *sql.Rows) error {
		var l Line
		var ordered, received, invoiced, amount, atRisk, issues, evidence string
		var poPrice, invoicePrice sql.NullString
		if err := rows.Scan(&l.PONumber, &l.LineNumber, &l.Supplier, &l.Product, &l.Unit, &l.Currency, &ordered,
			&poPrice, &received, &invoiced, &amount, &invoicePrice, &l.Status, &issues, &atRisk, &evidence); err != nil {
			return err
		}
		var errs []error
		l.Ordered, errs = parseDecimal(ordered, errs)
		l.Received, errs = parseDecimal(received, errs)
		l.Invoiced, errs = parseDecimal(invoiced, errs)
		l.InvoicedAmount, errs = parseDecimal(amount, errs)
		l.AtRisk, errs = parseDecimal(atRisk, errs)
		l.POPrice, errs = parseOptional(poPrice, errs)
		l.InvoicePrice, errs = parseOptional(invoicePrice, errs)
		errs = append(errs, json.Unmarshal([]byte(issues), &l.Issues), json.Unmarshal([]byte(evidence), &l.Evidence))
		if err := errors.Join(errs...); err != nil {
			return fmt.Errorf("line %s/%s: %w", l.PONumber, l.LineNumber, err)
		}
		page.Lines = append(page.Lines, l)
		page.Cursors = append(page.Cursors, projections.KeyCursor(l.PONumber, l.LineNumber))
		return nil
	})
	if len(page.Lines) > first {
		page.Lines, page.Cursors, page.HasNextPage = page.Lines[:first], page.Cursors[:first], true
	}
	return page, err
}

// Invoices returns a page of invoices.
func (r *Reader) Invoices(ctx context.Context, q Query) (InvoicePage, error) {
	first, k1, k2, err := pageArgs(q)
	if err != nil {
		return InvoicePage{}, err
	}
	var page InvoicePage
	err = r.query(ctx, "select_invoices", []any{q.PONumber, q.Status, q.Partner, k1, k2, first + 1}, func() { page = InvoicePage{} }, func(rows *sql.Rows) error {
		var v InvoiceResult
		var reasons, atRisk, lines, evidence string
		if err := rows.Scan(&v.Partner, &v.InvoiceNumber, &v.PONumber, &v.Type, &v.Currency, &v.Status, &reasons,
			&atRisk, &lines, &evidence); err != nil {
			return err
		}
		var errs []error
		v.AtRisk, errs = parseDecimal(atRisk, errs)
		errs = append(errs, json.Unmarshal([]byte(reasons), &v.Reasons), json.Unmarshal([]byte(lines), &v.Lines),
			json.Unmarshal([]byte(evidence), &v.Evidence))
		if err := errors.Join(errs...); err != nil {
			return fmt.Errorf("invoice %s/%s: %w", v.Partner, v.InvoiceNumber, err)
		}
		page.Invoices = append(page.Invoices, v)
		page.Cursors = append(page.Cursors, projections.KeyCursor(v.Partner, v.InvoiceNumber))
		return nil
	})
	if len(page.Invoices) > first {
		page.Invoices, page.Cursors, page.HasNextPage = page.Invoices[:first], page.Cursors[:first], true
	}
	return page, err
}

// query runs the named query on the active generation, calling begin before each attempt (a rebuild's
// switch may make it run twice) and scan for each row.
func (r *Reader) query(ctx context.Context, name string, args []any, begin func(), scan func(*sql.Rows) error) error {
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
			if err := scan(rows); err != nil {
				return err
			}
		}
		return rows.Err()
	})
	if err != nil {
		return fmt.Errorf("match: %s: %w", name, err)
	}
	return nil
}

func pageArgs(q Query) (first int, k1, k2 string, err error) {
	first, ok := projections.PageSize(q.First, DefaultFirst, MaxFirst)
	if !ok {
		return 0, "", "", fmt.Errorf("%w: first %d is negative", ErrInvalidQuery, q.First)
	}
	if q.After == "" {
		return first, "", "", nil
	}
	if k1, k2, ok = projections.ParseKeyCursor(q.After); !ok {
		return 0, "", "", fmt.Errorf("%w: cursor %q is not one this API gave", ErrInvalidQuery, q.After)
	}
	return first, k1, k2, nil
}

func parseDecimal(s string, errs []error) (decimal.Decimal, []error) {
	d, err := decimal.NewFromString(s)
	if err != nil {
		errs = append(errs, err)
	}
	return d, errs
}

func parseOptional(s sql.NullString, errs []error) (*decimal.Decimal, []error) {
	if !s.Valid {
		return nil, errs
	}
	d, errs := parseDecimal(s.String, errs)
	return &d, errs
}
