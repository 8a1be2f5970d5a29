package odoodriver

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/crossdock-hub/crossdock/adapters/odoo"
)

// Odoo is what the driver calls: *odoo.Client.
type Odoo interface {
	SearchRead(ctx context.Context, model string, domain odoo.Domain, fields []string, page odoo.Page) ([]odoo.Record, error)
	Read(ctx context.Context, model string, ids []int64, fields []string) ([]odoo.Record, error)
	Create(ctx context.Context, model string, vals map[string]any) (int64, error)
	Write(ctx context.Context, model string, ids []int64, vals map[string]any) error
	Unlink(ctx context.Context, model string, ids []int64) error
	Execute(ctx context.Context, model, method string, ids []int64, odooContext map[string]any) (odoo.Answer, error)
	Schema(ctx context.Context) (odoo.Schema, error)
}

// Module is the ir.model.data module of the external IDs the driver creates.
const Module = "crossdock"

// ErrRefused marks what Odoo cannot be made to do with this payload, whatever the retries: a receipt for
// a purchase order Odoo does not have, a product not on the picking. The caller records it as failed
// (a dead letter) with the message; errors.Is also matches the odoo package's permanent kinds.
var ErrRefused = errors.New("refused")

// Driver writes to one Odoo.
type Driver struct {
	odoo   Odoo
	logger *slog.Logger
}

// New returns a driver; logger may be nil.
func New(o Odoo, logger *slog.Logger) *Driver {
	if logger == nil {
		logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	return &Driver{odoo: o, logger: logger}
}

// Receipt is a warehouse's confirmation of goods received against a purchase order, in Odoo's terms.
type Receipt struct {
	// Partner and Reference identify the warehouse's receipt (its 944 or receipt number): the external
	// ID crossdock.receipt_<partner>_<reference> ties it to the picking it was booked on.
	Partner, Reference string
	PONumber           string
	// Lines are the quantities received per product (Odoo's default_code), in the product's unit.
	Lines []Line
	// Backorder keeps what did not arrive on a backorder (Odoo's skip_backorder); false closes the
	// receipt short (picking_ids_not_to_backorder), as the warehouse partner's policy says.
	Backorder bool
}

// Line is one product received or shipped, in the product's unit.
type Line struct {
	Product  string
	Quantity decimal.Decimal
}

// Outcomes.
const (
	// Validated: the picking was validated now.
	Validated = "validated"
	// AlreadyDone: an earlier run validated it; nothing was written.
	AlreadyDone = "already_done"
	// WouldValidate: a plan (PlanReceipt, PlanDelivery) found the picking open; validating it would
	// write Done.
	WouldValidate = "would_validate"
)

// Outcome is what ValidateReceipt or ValidateDelivery did.
type Outcome struct {
	Status string
	// Picking is the picking the document is booked on; Backorder the one holding the rest, if any.
	Picking, Backorder string
	PickingID          int64
	DoneAt             time.Time
	// Done are the quantities written per product (or, in a plan, that would be).
	Done map[string]decimal.Decimal
	// Odoo are the done quantities the picking's moves held per product before anything was written:
	// what Odoo already has.
	Odoo map[string]decimal.Decimal
}

// ExternalID is the name (within Module) of the external ID that ties a warehouse's receipt to its
// picking.
func ExternalID(partner, reference string) string { return externalID("receipt", partner, reference) }

// externalID is the name of the external ID that ties a warehouse's document of a kind to its picking.
func externalID(kind, partner, reference string) string {
	clean := func(s string) string {
		return strings.Map(func(r rune) rune {
			if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' {
				return r
			}
			return '_'
		}, s)
	}
	return kind + "_" + clean(partner) + "_" + clean(reference)
}

// ValidateReceipt books a warehouse's receipt on the purchase order's open incoming picking: done
// quantities on its moves (marked picked on 17+), then button_validate with the backorder decision.
//
// It is idempotent. The picking chosen is tied to the receipt by an external ID before anything is
// written; run again, the driver finds it: a done picking answers AlreadyDone, an open one is validated
// (a run stopped half-way goes on). A receipt naming a product the picking does not have, or an order
// Odoo does not have, is ErrRefused.
func (d *Driver) ValidateReceipt(ctx context.Context, r Receipt) (Outcome, error) {
	return d.book(ctx, d.receipt(r))
}

// PlanReceipt says what ValidateReceipt would do, writing nothing: AlreadyDone with the picking it is
// booked on, or WouldValidate with the quantities it would write and those Odoo has. A receipt Odoo
// would refuse is ErrRefused, as ValidateReceipt's.
func (d *Driver) PlanReceipt(ctx context.Context, r Receipt) (Outcome, error) {
	b := d.receipt(r)
	b.plan = true
	return d.book(ctx, b)
}

func (d *Driver) receipt(r Receipt) booking {
	return booking{what: "receipt " + r.Reference, xmlid: ExternalID(r.Partner, r.Reference), lines: quantities(r.Lines),
		backorder: r.Backorder, open: func(ctx context.Context) (int64, error) {
			return d.openPicking(ctx, "purchase.order", r.PONumber, "incoming")
		}}
}

// booking is a warehouse's document to book on an Odoo picking.
type booking struct {
	// what names the document in errors and logs ("receipt RCV-1").
	what  string
	xmlid string
	// open finds the picking to book it on when no earlier run tied one.
	open      func(context.Context) (int64, error)
	lines     map[string]decimal.Decimal
	backorder bool
	// before are values written on the picking before it is validated (carrier_tracking_ref).
	before map[string]any
	// plan stops before the first write: the outcome says what would be written.
	plan bool
}

// book is the idempotent booking every document kind shares: the tied picking, or the open one tied
// first; done quantities; the picking's values; button_validate with the backorder decision.
func (d *Driver) book(ctx context.Context, b booking) (Outcome, error) {
	schema, err := d.odoo.Schema(ctx)
	if err != nil {
		return Outcome{}, err
	}
	pickingID, err := d.tied(ctx, b.xmlid)
	if err != nil {
		return Outcome{}, err
	}
	tied := pickingID != 0
	if !tied {
		if pickingID, err = b.open(ctx); err != nil {
			return Outcome{}, err
		}
	}
	picking, err := d.picking(ctx, pickingID)
	if err != nil {
		return Outcome{}, err
	}
	out := Outcome{Picking: picking.name, PickingID: pickingID, Done: map[string]decimal.Decimal{}, Odoo: map[string]decimal.Decimal{}}
	if picking.state == "done" {
		out.Status, out.DoneAt = AlreadyDone, picking.doneAt
		out.Backorder, err = d.backorder(ctx, pickingID)
		return out, err
	}
	if picking.state == "cancel" {
		return out, fmt.Errorf("%s: picking %s is cancelled in Odoo: %w", b.what, picking.name, ErrRefused)
	}

	// Each product must be on the picking, before anything is written.
	moves, err := d.moves(ctx, schema, picking.moveIDs)
	if err != nil {
		return out, err
	}
	products := sortedKeys(b.lines)
	moveOf := map[string]int64{}
	for _, product := range products {
		i := slices.IndexFunc(moves, func(m move) bool { return m.product == product })
		if i < 0 {
			return out, fmt.Errorf("%s: product %s is not on picking %s: %w", b.what, product, picking.name, ErrRefused)
		}
		moveOf[product] = moves[i].id
		out.Odoo[product] = moves[i].done
	}
	if b.plan {
		out.Status, out.Done = WouldValidate, b.lines
		return out, nil
	}
	// Tie the document to the picking before writing: a run that stops after this goes on with the same
	// picking, and one that finds it done knows the document is booked.
	if !tied {
		if _, err := d.odoo.Create(ctx, "ir.model.data", map[string]any{"module": Module, "name": b.xmlid,
			"model": "stock.picking", "res_id": pickingID}); err != nil {
			return out, fmt.Errorf("%s: tie it to picking %s: %w", b.what, picking.name, err)
		}
	}
	for _, product := range products {
		q := b.lines[product]
		if err := d.odoo.Write(ctx, "stock.move", []int64{moveOf[product]}, schema.MoveDone(q)); err != nil {
			return out, fmt.Errorf("%s: set %s done on %s: %w", b.what, product, picking.name, err)
		}
		out.Done[product] = q
	}
	if len(b.before) > 0 {
		if err := d.odoo.Write(ctx, "stock.picking", []int64{pickingID}, b.before); err != nil {
			return out, fmt.Errorf("%s: write %s: %w", b.what, picking.name, err)
		}
	}
	validation := map[string]any{"skip_backorder": true}
	if !b.backorder {
		validation["picking_ids_not_to_backorder"] = []int64{pickingID}
	}
	answer, err := d.odoo.Execute(ctx, "stock.picking", "button_validate", []int64{pickingID}, validation)
	if err != nil {
		return out, fmt.Errorf("%s: validate %s: %w", b.what, picking.name, err)
	}
	if !answer.True() {
		if act, ok := answer.Action(); ok {
			return out, fmt.Errorf("%s: validating %s, Odoo asked for %s: %w", b.what, picking.name, act.ResModel, ErrRefused)
		}
		return out, fmt.Errorf("%s: validating %s, Odoo answered %s: %w", b.what, picking.name, answer, ErrRefused)
	}
	done, err := d.picking(ctx, pickingID)
	if err != nil {
		return out, err
	}
	out.Status, out.DoneAt = Validated, done.doneAt
	out.Backorder, err = d.backorder(ctx, pickingID)
	d.logger.InfoContext(ctx, "odoo picking validated", "document", b.what, "picking", out.Picking, "backorder", out.Backorder)
	return out, err
}

func quantities[L interface {
	line() (string, decimal.Decimal)
}](lines []L) map[string]decimal.Decimal {
	out := map[string]decimal.Decimal{}
	for _, l := range lines {
		p, q := l.line()
		out[p] = out[p].Add(q)
	}
	return out
}

func (l Line) line() (string, decimal.Decimal) { return l.Product, l.Quantity }

// tied answers the record an external ID names (0 when there is none).
func (d *Driver) tied(ctx context.Context, name string) (int64, error) {
	recs, err := d.odoo.SearchRead(ctx, "ir.model.data", odoo.Domain{odoo.Where("module", "=", Module), odoo.Where("name", "=", name)},
		[]string{"res_id"}, odoo.Page{Limit: 1})
	if err != nil {
		return 0, fmt.Errorf("look up external ID %s.%s: %w", Module, name, err)
	}
	if len(recs) == 0 {
		return 0, nil
	}
	f := recs[0].Fields()
	id := f.Int("res_id")
	return id, f.Err()
}

// openPicking answers the first open picking of a kind ("incoming", "outgoing") of an order (a
// purchase.order or a sale.order, by name): the original one, or the backorder holding what is still
// expected.
func (d *Driver) openPicking(ctx context.Context, model, name, kind string) (int64, error) {
	orders, err := d.odoo.SearchRead(ctx, model, odoo.Domain{odoo.Where("name", "=", name)}, []string{"picking_ids"}, odoo.Page{Limit: 1})
	if err != nil {
		return 0, fmt.Errorf("find %s %s: %w", model, name, err)
	}
	if len(orders) == 0 {
		return 0, fmt.Errorf("no %s %s in Odoo: %w", model, name, ErrRefused)
	}
	f := orders[0].Fields()
	ids := f.IDs("picking_ids")
	if err := f.Err(); err != nil {
		return 0, err
	}
	if len(ids) > 0 {
		open, err := d.odoo.SearchRead(ctx, "stock.picking", odoo.Domain{odoo.Where("id", "in", ids),
			odoo.Where("picking_type_code", "=", kind), odoo.Where("state", "not in", []string{"done", "cancel"})},
			[]string{"name"}, odoo.Page{Order: "id asc", Limit: 1})
		if err != nil {
			return 0, fmt.Errorf("find the open %s picking of %s: %w", kind, name, err)
		}
		if len(open) == 1 {
			return open[0].ID(), nil
		}
	}
	return 0, fmt.Errorf("%s %s has no open %s picking in Odoo (is it confirmed, or all done?): %w", model, name, kind, ErrRefused)
}

type pickingState struct {
	name, state string
	doneAt      time.Time
	moveIDs     []int64
}

func (d *Driver) picking(ctx context.Context, id int64) (pickingState, error) {
	recs, err := d.odoo.Read(ctx, "stock.picking", []int64{id}, []string{"name", "state", "date_done", "move_ids"})
	if err != nil {
		return pickingState{}, fmt.Errorf("read picking %d: %w", id, err)
	}
	if len(recs) == 0 {
		return pickingState{}, fmt.Errorf("picking %d is gone from Odoo: %w", id, ErrRefused)
	}
	f := recs[0].Fields()
	p := pickingState{name: f.String("name"), state: f.String("state"), doneAt: f.Time("date_done"), moveIDs: f.IDs("move_ids")}
	return p, f.Err()
}

type move struct {
	id      int64
	product string
	done    decimal.Decimal
	// picked: the move's quantity was counted (17 and later).
	picked bool
}

// moves reads a picking's moves with their products' internal references.
func (d *Driver) moves(ctx context.Context, schema odoo.Schema, ids []int64) ([]move, error) {
	recs, err := d.odoo.Read(ctx, "stock.move", ids, schema.MoveFields())
	if err != nil {
		return nil, fmt.Errorf("read moves: %w", err)
	}
	var products []int64
	out := make([]move, len(recs))
	productOf := make([]int64, len(recs))
	for i, rec := range recs {
		f := rec.Fields()
		productOf[i] = f.Many2One("product_id").ID
		out[i].done = f.Decimal(schema.MoveQuantity)
		if schema.MovePicked != "" {
			out[i].picked = f.Bool(schema.MovePicked)
		}
		if err := f.Err(); err != nil {
			return nil, fmt.Errorf("move %d: %w", rec.ID(), err)
		}
		out[i].id = rec.ID()
		products = append(products, productOf[i])
	}
	codes := map[int64]string{}
	if len(products) > 0 {
		prs, err := d.odoo.Read(ctx, "product.product", products, []string{"default_code"})
		if err != nil {
			return nil, fmt.Errorf("read products: %w", err)
		}
		for _, p := range prs {
			codes[p.ID()] = p.Fields().String("default_code")
		}
	}
	for i := range out {
		out[i].product = codes[productOf[i]]
	}
	return out, nil
}

// backorder answers the name of the picking that holds what id did not receive, if any.
func (d *Driver) backorder(ctx context.Context, id int64) (string, error) {
	recs, err := d.odoo.SearchRead(ctx, "stock.picking", odoo.Domain{odoo.Where("backorder_id", "=", id)}, []string{"name"}, odoo.Page{Limit: 1})
	if err != nil || len(recs) == 0 {
		return "", err
	}
	return recs[0].Fields().String("name"), nil
}

func sortedKeys(m map[string]decimal.Decimal) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
