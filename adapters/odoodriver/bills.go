package odoodriver

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/crossdock-hub/crossdock/adapters/odoo"
)

// Bill is a supplier's invoice, matched against its purchase order, to enter in Odoo as a draft vendor
// bill.
type Bill struct {
	// Partner and Number identify the supplier's invoice: the external ID crossdock.bill_<partner>_<number>
	// ties it to the bill made for it. Number is written as the bill's ref (the vendor reference).
	Partner, Number string
	PONumber        string
	// InvoiceDate is the invoice's date, written as the bill's invoice_date (Odoo needs it to post).
	InvoiceDate time.Time
	// Lines are the quantities invoiced per product (default_code), in the product's unit. Odoo bills
	// what it has received and not billed yet: until that covers them, the bill is ErrNotReceived.
	Lines []Line
}

// ErrNotReceived: Odoo has not received (validated) enough of an invoiced product to bill it — the
// warehouse's receipt is not booked there yet. Nothing was written; try once it is.
var ErrNotReceived = errors.New("not received in Odoo yet")

// BillOutcome is what CreateBill did.
type BillOutcome struct {
	// Status is Created, or AlreadyDone when an earlier run made the bill.
	Status string
	// BillID is the account.move; State its state (draft, posted, cancel).
	BillID int64
	State  string
}

// Created: the draft bill was made now.
const Created = "created"

// BillExternalID is the name (within Module) of the external ID that ties a supplier's invoice to its
// vendor bill.
func BillExternalID(partner, number string) string { return externalID("bill", partner, number) }

// CreateBill makes the draft vendor bill of a supplier's invoice from its purchase order
// (action_create_invoice: Odoo bills the received quantities not billed yet), with the invoice's number
// as the vendor reference and its date.
//
// Odoo bills all the order has received and not billed: the draft is then trimmed to the invoice's
// quantities per product (Lines), so a second invoice of the same order finds its goods still to bill.
//
// It is idempotent. The bill is found before anything is made: by the external ID that ties it to the
// invoice, then by its business key (a vendor bill of the order with the invoice's number as ref), then —
// a run that stopped between making the bill and naming it — a draft bill of the order with no ref yet,
// which is adopted. A found draft is finished (named, dated, trimmed) where an earlier run stopped short;
// AlreadyDone when nothing was left to write; a posted bill is not touched. An order Odoo does not have,
// or one with nothing left to bill, is ErrRefused.
func (d *Driver) CreateBill(ctx context.Context, b Bill) (BillOutcome, error) {
	return d.bill(ctx, b, false)
}

// PlanBill says what CreateBill would do, writing nothing: AlreadyDone with the bill found, or
// WouldCreate; ErrRefused and ErrNotReceived as CreateBill's.
func (d *Driver) PlanBill(ctx context.Context, b Bill) (BillOutcome, error) {
	return d.bill(ctx, b, true)
}

// WouldCreate: a plan found no bill for the invoice, and Odoo able to make it.
const WouldCreate = "would_create"

func (d *Driver) bill(ctx context.Context, b Bill, plan bool) (BillOutcome, error) {
	what := "invoice " + b.Number
	xmlid := BillExternalID(b.Partner, b.Number)
	id, err := d.tied(ctx, xmlid)
	if err != nil {
		return BillOutcome{}, err
	}
	if id != 0 {
		if plan {
			state, err := d.billState(ctx, id)
			return BillOutcome{Status: AlreadyDone, BillID: id, State: state}, err
		}
		return d.finish(ctx, what, id, b) // a run may have stopped before it was named, dated and trimmed
	}
	found, err := d.odoo.SearchRead(ctx, "account.move", odoo.Domain{odoo.Where("move_type", "=", "in_invoice"),
		odoo.Where("invoice_origin", "=", b.PONumber), odoo.Where("ref", "=", b.Number)}, []string{"state"}, odoo.Page{Order: "id asc", Limit: 1})
	if err != nil {
		return BillOutcome{}, fmt.Errorf("%s: find its bill: %w", what, err)
	}
	if len(found) == 1 {
		id = found[0].ID()
		if plan {
			return BillOutcome{Status: AlreadyDone, BillID: id, State: found[0].Fields().String("state")}, nil
		}
		if err := d.tie(ctx, xmlid, "account.move", id); err != nil {
			return BillOutcome{}, fmt.Errorf("%s: %w", what, err)
		}
		return d.finish(ctx, what, id, b)
	}
	orphans, err := d.odoo.SearchRead(ctx, "account.move", odoo.Domain{odoo.Where("move_type", "=", "in_invoice"),
		odoo.Where("invoice_origin", "=", b.PONumber), odoo.Where("ref", "=", false), odoo.Where("state", "=", "draft")},
		[]string{"state"}, odoo.Page{Order: "id asc", Limit: 1})
	if err != nil {
		return BillOutcome{}, fmt.Errorf("%s: find a bill left unnamed: %w", what, err)
	}
	if len(orphans) == 1 {
		id = orphans[0].ID()
		if plan {
			return BillOutcome{Status: WouldCreate, BillID: id, State: "draft"}, nil // to name, date and trim
		}
	} else {
		orders, err := d.odoo.SearchRead(ctx, "purchase.order", odoo.Domain{odoo.Where("name", "=", b.PONumber)}, []string{"state"}, odoo.Page{Limit: 1})
		if err != nil {
			return BillOutcome{}, fmt.Errorf("%s: find purchase.order %s: %w", what, b.PONumber, err)
		}
		if len(orders) == 0 {
			return BillOutcome{}, fmt.Errorf("%s: no purchase.order %s in Odoo: %w", what, b.PONumber, ErrRefused)
		}
		if err := d.billable(ctx, orders[0].ID(), b); err != nil {
			return BillOutcome{}, fmt.Errorf("%s: %w", what, err)
		}
		if plan {
			return BillOutcome{Status: WouldCreate}, nil
		}
		answer, err := d.odoo.Execute(ctx, "purchase.order", "action_create_invoice", []int64{orders[0].ID()}, nil)
		if err != nil {
			return BillOutcome{}, fmt.Errorf("%s: bill %s: %w", what, b.PONumber, err)
		}
		act, ok := answer.Action()
		if !ok || act.ResModel != "account.move" || act.ResID == 0 {
			return BillOutcome{}, fmt.Errorf("%s: billing %s, Odoo answered %s, not one bill: %w", what, b.PONumber, answer, ErrRefused)
		}
		id = act.ResID
	}
	// Name it first (its business key), then tie it: a run stopping after either finds it again.
	if err := d.odoo.Write(ctx, "account.move", []int64{id}, map[string]any{"ref": b.Number}); err != nil {
		return BillOutcome{}, fmt.Errorf("%s: name bill %d: %w", what, id, err)
	}
	if err := d.tie(ctx, xmlid, "account.move", id); err != nil {
		return BillOutcome{}, fmt.Errorf("%s: %w", what, err)
	}
	out, err := d.finish(ctx, what, id, b)
	out.Status = Created // made now, or (an unnamed draft adopted) finished now
	d.logger.InfoContext(ctx, "odoo draft vendor bill made", "invoice", b.Number, "po", b.PONumber, "bill", id)
	return out, err
}

// finish makes a draft bill say what the invoice says: its number as ref, its date, and no more than the
// invoiced quantity of each product (action_create_invoice bills everything received and not billed; a
// line beyond the invoice is lowered, one with nothing left is removed). It writes only what differs:
// AlreadyDone when nothing did, Created when it finished the bill now. A posted bill is not touched.
func (d *Driver) finish(ctx context.Context, what string, id int64, b Bill) (BillOutcome, error) {
	recs, err := d.odoo.Read(ctx, "account.move", []int64{id}, []string{"ref", "invoice_date", "state", "invoice_line_ids"})
	if err != nil {
		return BillOutcome{}, fmt.Errorf("%s: read bill %d: %w", what, id, err)
	}
	if len(recs) == 0 {
		return BillOutcome{}, fmt.Errorf("%s: bill %d is gone from Odoo: %w", what, id, ErrRefused)
	}
	f := recs[0].Fields()
	ref, date, state, lineIDs := f.String("ref"), f.Time("invoice_date"), f.String("state"), f.IDs("invoice_line_ids")
	if err := f.Err(); err != nil {
		return BillOutcome{}, fmt.Errorf("%s: bill %d: %w", what, id, err)
	}
	out := BillOutcome{Status: AlreadyDone, BillID: id, State: state}
	if state != "draft" {
		return out, nil
	}
	vals := map[string]any{}
	if ref != b.Number {
		vals["ref"] = b.Number
	}
	if !b.InvoiceDate.IsZero() && !date.Equal(b.InvoiceDate.UTC().Truncate(24*time.Hour)) {
		vals["invoice_date"] = b.InvoiceDate.UTC().Format(time.DateOnly)
	}
	if len(vals) > 0 {
		if err := d.odoo.Write(ctx, "account.move", []int64{id}, vals); err != nil {
			return out, fmt.Errorf("%s: name bill %d: %w", what, id, err)
		}
		out.Status = Created
	}
	want := quantities(b.Lines)
	if len(want) == 0 || len(lineIDs) == 0 {
		return out, nil
	}
	lines, err := d.odoo.Read(ctx, "account.move.line", lineIDs, []string{"product_id", "quantity"})
	if err != nil {
		return out, fmt.Errorf("%s: read the lines of bill %d: %w", what, id, err)
	}
	codes, err := d.productCodes(ctx, lines)
	if err != nil {
		return out, fmt.Errorf("%s: %w", what, err)
	}
	var drop []int64
	for _, l := range lines {
		lf := l.Fields()
		p := lf.Many2One("product_id").ID
		if p == 0 {
			continue // a section or a note
		}
		code, qty := codes[p], lf.Decimal("quantity")
		keep := decimal.Min(qty, want[code])
		want[code] = want[code].Sub(keep)
		switch {
		case keep.IsZero():
			drop = append(drop, l.ID())
		case !keep.Equal(qty):
			if err := d.odoo.Write(ctx, "account.move.line", []int64{l.ID()}, map[string]any{"quantity": json.Number(keep.String())}); err != nil {
				return out, fmt.Errorf("%s: bill %d: set %s to %s: %w", what, id, code, keep, err)
			}
			out.Status = Created
		}
	}
	if len(drop) > 0 {
		if err := d.odoo.Unlink(ctx, "account.move.line", drop); err != nil {
			return out, fmt.Errorf("%s: bill %d: remove the lines the invoice does not bill: %w", what, id, err)
		}
		out.Status = Created
	}
	return out, nil
}

// productCodes reads the internal references of the products records name (product_id).
func (d *Driver) productCodes(ctx context.Context, recs []odoo.Record) (map[int64]string, error) {
	var ids []int64
	for _, r := range recs {
		if id := r.Fields().Many2One("product_id").ID; id != 0 && !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	out := map[int64]string{}
	if len(ids) == 0 {
		return out, nil
	}
	prs, err := d.odoo.Read(ctx, "product.product", ids, []string{"default_code"})
	if err != nil {
		return nil, fmt.Errorf("read products: %w", err)
	}
	for _, p := range prs {
		out[p.ID()] = p.Fields().String("default_code")
	}
	return out, nil
}

// billable checks that the order has received and not billed at least what the invoice bills, per
// product.
func (d *Driver) billable(ctx context.Context, po int64, b Bill) error {
	want := quantities(b.Lines)
	if len(want) == 0 {
		return nil
	}
	lines, err := d.odoo.SearchRead(ctx, "purchase.order.line", odoo.Domain{odoo.Where("order_id", "=", po)},
		[]string{"product_id", "qty_received", "qty_invoiced"}, odoo.Page{})
	if err != nil {
		return fmt.Errorf("read the lines of %s: %w", b.PONumber, err)
	}
	open := map[int64]decimal.Decimal{}
	var products []int64
	for _, l := range lines {
		f := l.Fields()
		p := f.Many2One("product_id").ID
		q := f.Decimal("qty_received").Sub(f.Decimal("qty_invoiced"))
		if err := f.Err(); err != nil {
			return fmt.Errorf("line %d of %s: %w", l.ID(), b.PONumber, err)
		}
		if _, seen := open[p]; !seen {
			products = append(products, p)
		}
		open[p] = open[p].Add(q)
	}
	codes := map[string]decimal.Decimal{}
	if len(products) > 0 {
		prs, err := d.odoo.Read(ctx, "product.product", products, []string{"default_code"})
		if err != nil {
			return fmt.Errorf("read products: %w", err)
		}
		for _, p := range prs {
			code := p.Fields().String("default_code")
			codes[code] = codes[code].Add(open[p.ID()])
		}
	}
	var short []string
	for _, product := range sortedKeys(want) {
		if has := codes[product]; has.LessThan(want[product]) {
			short = append(short, fmt.Sprintf("%s %s of %s invoiced", has, product, want[product]))
		}
	}
	if len(short) > 0 {
		return fmt.Errorf("%s has received and not billed only %s in Odoo: %w", b.PONumber, strings.Join(short, ", "), ErrNotReceived)
	}
	return nil
}

// tie creates the external ID name → model/id.
func (d *Driver) tie(ctx context.Context, name, model string, id int64) error {
	if _, err := d.odoo.Create(ctx, "ir.model.data", map[string]any{"module": Module, "name": name, "model": model, "res_id": id}); err != nil {
		return fmt.Errorf("tie %s.%s to %s %d: %w", Module, name, model, id, err)
	}
	return nil
}

func (d *Driver) billState(ctx context.Context, id int64) (string, error) {
	recs, err := d.odoo.Read(ctx, "account.move", []int64{id}, []string{"state"})
	if err != nil {
		return "", fmt.Errorf("read bill %d: %w", id, err)
	}
	if len(recs) == 0 {
		return "", fmt.Errorf("bill %d is gone from Odoo: %w", id, ErrRefused)
	}
	return recs[0].Fields().String("state"), nil
}
