// Package match is the three-way match read model: per purchase order line, what was ordered, received
// and invoiced, in the canonical unit, with the line's status under the supplier's tolerances; and per
// invoice, matched or held with its reasons and the amount at risk (../shared/VIEWS.md). Every row names
// the events that prove it.
//
// The projection keeps each purchase order's facts (the order as last placed, the latest revision of
// every receipt and invoice naming it, its supplier's tolerances) and derives the order's rows from them
// again whenever one changes (Compute), so late, repeated and out-of-order documents give the rows the
// same documents in order would.
package match

import (
	"context"
	"database/sql"
	"embed"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/crossdock-hub/crossdock/domain/invoice"
	"github.com/crossdock-hub/crossdock/domain/order"
	"github.com/crossdock-hub/crossdock/domain/partner"
	"github.com/crossdock-hub/crossdock/domain/receipt"
	"github.com/crossdock-hub/crossdock/eventstore"
	"github.com/crossdock-hub/crossdock/projections"
)

// Name is the projection's name (its checkpoint key and its tables' base name).
const Name = "match"

// version is bumped whenever the tables or what Apply writes change; the runner then rebuilds.
const version = 1

//go:embed sql
var sqlFiles embed.FS

var queries = projections.MustLoadQueries(sqlFiles, "sql", "match.sql")

const (
	kindReceipt = "receipt"
	kindInvoice = "invoice"
)

// Projection writes the three-way match tables.
type Projection struct{}

// NewProjection returns the three-way match projection, to register with a projections.Runner.
func NewProjection() *Projection { return &Projection{} }

// Name implements projections.Projection.
func (*Projection) Name() string { return Name }

// Version implements projections.Projection.
func (*Projection) Version() int { return version }

// Filter implements projections.Projection: orders, receipts, invoices and suppliers' tolerances.
func (*Projection) Filter() eventstore.Filter {
	return eventstore.Filter{Types: []string{order.EventPlaced, order.EventChanged, receipt.EventReceived,
		receipt.EventRevised, invoice.EventReceived, invoice.EventRevised, partner.EventTolerancesSet}}
}

// Tables implements projections.Projection.
func (*Projection) Tables() []string {
	return []string{"match_order", "match_document", "match_tolerance", "match_line", "match_invoice"}
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
		return nil, fmt.Errorf("match: unsupported dialect %q", t.Dialect)
	}
	return q, nil
}

// Change kinds of the projection's feed.
const (
	ChangeLine    = "purchase_order_line"
	ChangeInvoice = "invoice_match"
)

// Apply implements projections.Projection: it records the batch's facts, then derives the rows of every
// purchase order they touched.
func (p *Projection) Apply(ctx context.Context, tx *sql.Tx, t projections.Tables, events []eventstore.Event) error {
	_, err := p.ApplyChanges(ctx, tx, t, events)
	return err
}

// ApplyChanges implements projections.ChangeReporter: Apply, returning every line and invoice row of the
// purchase orders the batch touched (ChangeLine, keyed "PO/line"; ChangeInvoice, keyed "partner/number").
func (p *Projection) ApplyChanges(ctx context.Context, tx *sql.Tx, t projections.Tables, events []eventstore.Event) ([]projections.Change, error) {
	q, err := queriesFor(t)
	if err != nil {
		return nil, err
	}
	x := executor{ctx: ctx, tx: tx, t: t, q: q}
	touched := map[string]bool{}
	for _, ev := range events {
		pos, err := x.record(ev)
		if err != nil {
			return nil, fmt.Errorf("match: event %s (%s): %w", ev.ID, ev.Type, err)
		}
		for _, po := range pos {
			touched[po] = true
		}
	}
	orders := make([]string, 0, len(touched))
	for po := range touched {
		orders = append(orders, po)
	}
	slices.Sort(orders)
	var changes []projections.Change
	for _, po := range orders {
		lines, invoices, err := x.derive(po)
		if err != nil {
			return nil, fmt.Errorf("match: purchase order %s: %w", po, err)
		}
		for _, l := range lines {
			changes = append(changes, change(ChangeLine, l.PONumber+"/"+l.LineNumber, l))
		}
		for _, v := range invoices {
			changes = append(changes, change(ChangeInvoice, v.Partner+"/"+v.InvoiceNumber, v))
		}
	}
	return changes, nil
}

func change(kind, key string, row any) projections.Change {
	b, _ := json.Marshal(row) // rows are plain data: they always encode
	return projections.Change{Kind: kind, Key: key, Row: b}
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

func (x executor) strings(name string, args ...any) ([]string, error) {
	rows, err := x.tx.QueryContext(x.ctx, x.t.Expand(x.q[name]), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// record stores the fact an event carries and returns the purchase orders whose rows it may change.
func (x executor) record(ev eventstore.Event) ([]string, error) {
	switch ev.Type {
	case order.EventPlaced, order.EventChanged:
		var d order.OrderData
		if err := json.Unmarshal(ev.Data, &d); err != nil {
			return nil, err
		}
		return []string{d.PONumber}, x.exec("upsert_order", d.PONumber, d.Supplier, ev.StreamVersion, ev.ID.String(), string(ev.Data))
	case receipt.EventReceived, receipt.EventRevised:
		var d receipt.ReceiptData
		if err := json.Unmarshal(ev.Data, &d); err != nil {
			return nil, err
		}
		if d.PONumber == "" {
			return nil, nil // a receipt for no purchase order matches nothing
		}
		return x.recordDocument(kindReceipt, d.Partner, d.ReceiptNumber, d.PONumber, ev)
	case invoice.EventReceived, invoice.EventRevised:
		var d invoice.InvoiceData
		if err := json.Unmarshal(ev.Data, &d); err != nil {
			return nil, err
		}
		return x.recordDocument(kindInvoice, d.Partner, d.InvoiceNumber, d.PONumber, ev)
	case partner.EventTolerancesSet:
		id, ok := strings.CutPrefix(ev.StreamID, partner.StreamPrefix)
		if !ok {
			return nil, fmt.Errorf("tolerances on stream %s, not a partner's", ev.StreamID)
		}
		if err := x.exec("upsert_tolerance", id, string(ev.Data)); err != nil {
			return nil, err
		}
		return x.strings("supplier_orders", id)
	}
	return nil, nil
}

// recordDocument keeps the document's latest revision; a revision naming another purchase order
// touches both.
func (x executor) recordDocument(kind, partnerID, number, po string, ev eventstore.Event) ([]string, error) {
	before, err := x.strings("document_po", kind, partnerID, number)
	if err != nil {
		return nil, err
	}
	if err := x.exec("upsert_document", kind, partnerID, number, po, ev.StreamVersion, ev.ID.String(), string(ev.Data)); err != nil {
		return nil, err
	}
	return append(before, po), nil
}

// derive computes one purchase order's rows from its facts and replaces the ones it had.
func (x executor) derive(po string) ([]Line, []InvoiceResult, error) {
	f := Facts{PONumber: po}
	var eventID, data string
	err := x.tx.QueryRowContext(x.ctx, x.t.Expand(x.q["select_order"]), po).Scan(&eventID, &data)
	switch {
	case err == sql.ErrNoRows:
	case err != nil:
		return nil, nil, err
	default:
		o := &Order{EventID: eventID}
		if err := json.Unmarshal([]byte(data), &o.Data); err != nil {
			return nil, nil, fmt.Errorf("stored order: %w", err)
		}
		f.Order = o
		tols, err := x.strings("select_tolerance", o.Data.Supplier)
		if err != nil {
			return nil, nil, err
		}
		if len(tols) == 1 {
			if err := json.Unmarshal([]byte(tols[0]), &f.Tolerances); err != nil {
				return nil, nil, fmt.Errorf("stored tolerances: %w", err)
			}
		}
	}
	rows, err := x.tx.QueryContext(x.ctx, x.t.Expand(x.q["select_documents"]), po)
	if err != nil {
		return nil, nil, err
	}
	for rows.Next() {
		var kind string
		if err := rows.Scan(&kind, &eventID, &data); err != nil {
			rows.Close()
			return nil, nil, err
		}
		switch kind {
		case kindReceipt:
			r := Receipt{EventID: eventID}
			err = json.Unmarshal([]byte(data), &r.Data)
			f.Receipts = append(f.Receipts, r)
		case kindInvoice:
			i := Invoice{EventID: eventID}
			err = json.Unmarshal([]byte(data), &i.Data)
			f.Invoices = append(f.Invoices, i)
		}
		if err != nil {
			rows.Close()
			return nil, nil, fmt.Errorf("stored %s: %w", kind, err)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, nil, err
	}

	lines, invoices := Compute(f)
	if err := x.exec("delete_lines", po); err != nil {
		return nil, nil, err
	}
	for _, l := range lines {
		if err := x.exec("insert_line", l.PONumber, l.LineNumber, l.Supplier, l.Product, l.Unit, l.Currency,
			l.Ordered.String(), decimalOrNil(l.POPrice), l.Received.String(), l.Invoiced.String(), l.InvoicedAmount.String(),
			decimalOrNil(l.InvoicePrice), l.Status, jsonList(l.Issues), l.AtRisk.String(), jsonList(l.Evidence)); err != nil {
			return nil, nil, err
		}
	}
	if err := x.exec("delete_invoices", po); err != nil {
		return nil, nil, err
	}
	for _, r := range invoices {
		if err := x.exec("insert_invoice", r.Partner, r.InvoiceNumber, r.PONumber, r.Type, r.Currency, r.Status,
			jsonList(r.Reasons), r.AtRisk.String(), jsonList(r.Lines), jsonList(r.Evidence)); err != nil {
			return nil, nil, err
		}
	}
	return lines, invoices, nil
}

func decimalOrNil(d *decimal.Decimal) any {
	if d == nil {
		return nil
	}
	return d.String()
}

func jsonList(s []string) string {
	if s == nil {
		s = []string{}
	}
	b, _ := json.Marshal(s) // a []string always encodes
	return string(b)
}
