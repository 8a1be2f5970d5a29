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
	return projections.SchemaFor(queries, t)
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
// Each step is one statement per table for the whole batch (rows travel as one JSON array).
func (p *Projection) ApplyChanges(ctx context.Context, tx *sql.Tx, t projections.Tables, events []eventstore.Event) ([]projections.Change, error) {
	q, err := queriesFor(t)
	if err != nil {
		return nil, err
	}
	x := &executor{JSONBatch: projections.JSONBatch{Ctx: ctx, Tx: tx, Tables: t, Queries: q}, orders: map[string]orderRow{}, documents: map[docKey]documentRow{},
		tolerances: map[string]string{}, touched: map[string]bool{}}
	for _, ev := range events {
		if err := x.record(ev); err != nil {
			return nil, fmt.Errorf("match: event %s (%s): %w", ev.ID, ev.Type, err)
		}
	}
	if err := x.flush(); err != nil {
		return nil, fmt.Errorf("match: record facts: %w", err)
	}
	orders := make([]string, 0, len(x.touched))
	for po := range x.touched {
		orders = append(orders, po)
	}
	slices.Sort(orders)
	lines, invoices, err := x.derive(orders)
	if err != nil {
		return nil, fmt.Errorf("match: derive rows: %w", err)
	}
	changes := make([]projections.Change, 0, len(lines)+len(invoices))
	for _, l := range lines {
		changes = append(changes, change(ChangeLine, l.PONumber+"/"+l.LineNumber, l))
	}
	for _, v := range invoices {
		changes = append(changes, change(ChangeInvoice, v.Partner+"/"+v.InvoiceNumber, v))
	}
	return changes, nil
}

func change(kind, key string, row any) projections.Change {
	b, _ := json.Marshal(row) // rows are plain data: they always encode
	return projections.Change{Kind: kind, Key: key, Row: b}
}

type orderRow struct {
	PONumber string `json:"po_number"`
	Supplier string `json:"supplier"`
	Version  int64  `json:"version"`
	EventID  string `json:"event_id"`
	Data     string `json:"data"`
}

type docKey struct{ kind, partner, number string }

type documentRow struct {
	Kind     string `json:"kind"`
	Partner  string `json:"partner"`
	Number   string `json:"number"`
	PONumber string `json:"po_number"`
	Version  int64  `json:"version"`
	EventID  string `json:"event_id"`
	Data     string `json:"data"`
}

// executor applies one batch: record buffers its facts, flush writes them, derive computes and writes
// the rows of the orders they touched.
type executor struct {
	projections.JSONBatch

	orders     map[string]orderRow
	documents  map[docKey]documentRow
	tolerances map[string]string
	touched    map[string]bool
}

// record buffers the fact an event carries and notes the purchase orders whose rows it may change.
func (x *executor) record(ev eventstore.Event) error {
	switch ev.Type {
	case order.EventPlaced, order.EventChanged:
		var d order.OrderData
		if err := json.Unmarshal(ev.Data, &d); err != nil {
			return err
		}
		if cur, ok := x.orders[d.PONumber]; !ok || ev.StreamVersion > cur.Version {
			x.orders[d.PONumber] = orderRow{PONumber: d.PONumber, Supplier: d.Supplier, Version: ev.StreamVersion,
				EventID: ev.ID.String(), Data: string(ev.Data)}
		}
		x.touched[d.PONumber] = true
	case receipt.EventReceived, receipt.EventRevised:
		var d receipt.ReceiptData
		if err := json.Unmarshal(ev.Data, &d); err != nil {
			return err
		}
		if d.PONumber == "" {
			return nil // a receipt for no purchase order matches nothing
		}
		x.document(kindReceipt, d.Partner, d.ReceiptNumber, d.PONumber, ev)
	case invoice.EventReceived, invoice.EventRevised:
		var d invoice.InvoiceData
		if err := json.Unmarshal(ev.Data, &d); err != nil {
			return err
		}
		x.document(kindInvoice, d.Partner, d.InvoiceNumber, d.PONumber, ev)
	case partner.EventTolerancesSet:
		id, ok := strings.CutPrefix(ev.StreamID, partner.StreamPrefix)
		if !ok {
			return fmt.Errorf("tolerances on stream %s, not a partner's", ev.StreamID)
		}
		x.tolerances[id] = string(ev.Data) // a partner's stream is in order: the last stands
	}
	return nil
}

// document buffers a document's latest revision.
func (x *executor) document(kind, partnerID, number, po string, ev eventstore.Event) {
	k := docKey{kind, partnerID, number}
	if cur, ok := x.documents[k]; !ok || ev.StreamVersion > cur.Version {
		x.documents[k] = documentRow{Kind: kind, Partner: partnerID, Number: number, PONumber: po,
			Version: ev.StreamVersion, EventID: ev.ID.String(), Data: string(ev.Data)}
	}
	x.touched[po] = true
}

// flush writes the batch's facts, noting first the orders a revised document leaves, and afterwards every
// order of a supplier whose tolerances changed.
func (x *executor) flush() error {
	addPO := func(r *sql.Rows) error {
		var po string
		if err := r.Scan(&po); err != nil {
			return err
		}
		x.touched[po] = true
		return nil
	}
	if len(x.documents) > 0 {
		type key struct {
			Kind    string `json:"kind"`
			Partner string `json:"partner"`
			Number  string `json:"number"`
		}
		keys := make([]key, 0, len(x.documents))
		rows := make([]documentRow, 0, len(x.documents))
		for k, r := range x.documents {
			keys = append(keys, key{k.kind, k.partner, k.number})
			rows = append(rows, r)
		}
		if err := x.Query("documents_po", keys, addPO); err != nil {
			return err
		}
		if err := x.Exec("upsert_documents", rows); err != nil {
			return err
		}
	}
	if len(x.orders) > 0 {
		rows := make([]orderRow, 0, len(x.orders))
		for _, r := range x.orders {
			rows = append(rows, r)
		}
		if err := x.Exec("upsert_orders", rows); err != nil {
			return err
		}
	}
	if len(x.tolerances) > 0 {
		type row struct {
			Partner string `json:"partner"`
			Data    string `json:"data"`
		}
		rows := make([]row, 0, len(x.tolerances))
		suppliers := make([]string, 0, len(x.tolerances))
		for p, d := range x.tolerances {
			rows = append(rows, row{p, d})
			suppliers = append(suppliers, p)
		}
		if err := x.Exec("upsert_tolerances", rows); err != nil {
			return err
		}
		if err := x.Query("supplier_orders", suppliers, addPO); err != nil {
			return err
		}
	}
	return nil
}

// derive computes the rows of the orders from their facts and replaces the ones they had: three queries
// and four statements for the whole batch.
func (x *executor) derive(pos []string) ([]Line, []InvoiceResult, error) {
	if len(pos) == 0 {
		return nil, nil, nil
	}
	facts := make(map[string]*Facts, len(pos))
	for _, po := range pos {
		facts[po] = &Facts{PONumber: po}
	}
	suppliers := map[string]bool{}
	err := x.Query("select_orders", pos, func(r *sql.Rows) error {
		var po, eventID, data string
		if err := r.Scan(&po, &eventID, &data); err != nil {
			return err
		}
		o := &Order{EventID: eventID}
		if err := json.Unmarshal([]byte(data), &o.Data); err != nil {
			return fmt.Errorf("stored order %s: %w", po, err)
		}
		facts[po].Order = o
		suppliers[o.Data.Supplier] = true
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	err = x.Query("select_documents", pos, func(r *sql.Rows) error {
		var po, kind, eventID, data string
		if err := r.Scan(&po, &kind, &eventID, &data); err != nil {
			return err
		}
		f := facts[po]
		var err error
		switch kind {
		case kindReceipt:
			rc := Receipt{EventID: eventID}
			err = json.Unmarshal([]byte(data), &rc.Data)
			f.Receipts = append(f.Receipts, rc)
		case kindInvoice:
			i := Invoice{EventID: eventID}
			err = json.Unmarshal([]byte(data), &i.Data)
			f.Invoices = append(f.Invoices, i)
		}
		if err != nil {
			return fmt.Errorf("stored %s of %s: %w", kind, po, err)
		}
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	tolerances := map[string]partner.Tolerances{}
	if len(suppliers) > 0 {
		names := make([]string, 0, len(suppliers))
		for s := range suppliers {
			names = append(names, s)
		}
		err = x.Query("select_tolerances", names, func(r *sql.Rows) error {
			var p, data string
			if err := r.Scan(&p, &data); err != nil {
				return err
			}
			var t partner.Tolerances
			if err := json.Unmarshal([]byte(data), &t); err != nil {
				return fmt.Errorf("stored tolerances of %s: %w", p, err)
			}
			tolerances[p] = t
			return nil
		})
		if err != nil {
			return nil, nil, err
		}
	}

	type lineRow struct {
		PONumber       string `json:"po_number"`
		LineNumber     string `json:"line_number"`
		Supplier       string `json:"supplier"`
		Product        string `json:"product"`
		Unit           string `json:"unit"`
		Currency       string `json:"currency"`
		Ordered        string `json:"ordered"`
		POPrice        any    `json:"po_price"`
		Received       string `json:"received"`
		Invoiced       string `json:"invoiced"`
		InvoicedAmount string `json:"invoiced_amount"`
		InvoicePrice   any    `json:"invoice_price"`
		Status         string `json:"status"`
		Issues         string `json:"issues"`
		AtRisk         string `json:"at_risk"`
		Evidence       string `json:"evidence"`
	}
	type invoiceRow struct {
		Partner       string `json:"partner"`
		InvoiceNumber string `json:"invoice_number"`
		PONumber      string `json:"po_number"`
		Type          string `json:"type"`
		Currency      string `json:"currency"`
		Status        string `json:"status"`
		Reasons       string `json:"reasons"`
		AtRisk        string `json:"at_risk"`
		Lines         string `json:"lines"`
		Evidence      string `json:"evidence"`
	}
	var allLines []Line
	var allInvoices []InvoiceResult
	lineRows, invoiceRows := []lineRow{}, []invoiceRow{}
	for _, po := range pos {
		f := facts[po]
		if f.Order != nil {
			f.Tolerances = tolerances[f.Order.Data.Supplier]
		}
		lines, invoices := Compute(*f)
		for _, l := range lines {
			lineRows = append(lineRows, lineRow{PONumber: l.PONumber, LineNumber: l.LineNumber, Supplier: l.Supplier,
				Product: l.Product, Unit: l.Unit, Currency: l.Currency, Ordered: l.Ordered.String(), POPrice: decimalOrNil(l.POPrice),
				Received: l.Received.String(), Invoiced: l.Invoiced.String(), InvoicedAmount: l.InvoicedAmount.String(),
				InvoicePrice: decimalOrNil(l.InvoicePrice), Status: l.Status, Issues: jsonList(l.Issues), AtRisk: l.AtRisk.String(),
				Evidence: jsonList(l.Evidence)})
		}
		for _, r := range invoices {
			invoiceRows = append(invoiceRows, invoiceRow{Partner: r.Partner, InvoiceNumber: r.InvoiceNumber, PONumber: r.PONumber,
				Type: r.Type, Currency: r.Currency, Status: r.Status, Reasons: jsonList(r.Reasons), AtRisk: r.AtRisk.String(),
				Lines: jsonList(r.Lines), Evidence: jsonList(r.Evidence)})
		}
		allLines = append(allLines, lines...)
		allInvoices = append(allInvoices, invoices...)
	}
	if err := x.Exec("delete_lines", pos); err != nil {
		return nil, nil, err
	}
	if err := x.Exec("insert_lines", lineRows); err != nil {
		return nil, nil, err
	}
	if err := x.Exec("delete_invoices", pos); err != nil {
		return nil, nil, err
	}
	if err := x.Exec("insert_invoices", invoiceRows); err != nil {
		return nil, nil, err
	}
	return allLines, allInvoices, nil
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
