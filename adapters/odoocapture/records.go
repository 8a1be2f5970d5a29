package odoocapture

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"time"

	"github.com/crossdock-hub/crossdock/adapters/odoo"
	"github.com/crossdock-hub/crossdock/commands"
	"github.com/crossdock-hub/crossdock/domain/order"
	odooproduct "github.com/crossdock-hub/crossdock/domain/product"
)

// RecordsRecorder records what Odoo did on its own side: *commands.OdooRecordsHandler.
type RecordsRecorder interface {
	Picking(ctx context.Context, cmd commands.RecordOdooPicking) (commands.StreamResult, error)
	Bill(ctx context.Context, cmd commands.RecordOdooBill) (commands.StreamResult, error)
	Product(ctx context.Context, cmd commands.RecordOdooProduct) (commands.StreamResult, error)
}

// RecordsConfig configures RecordsCapture. Interval, Lookback, Overlap, PageSize, Now and Logger are
// as OrdersConfig's.
type RecordsConfig struct {
	Odoo                        Odoo
	Archive                     Archive
	Recorder                    RecordsRecorder
	Interval, Lookback, Overlap time.Duration
	PageSize                    int
	Now                         func() time.Time
	Logger                      *slog.Logger
}

// Archive channels of the records read.
const (
	PickingChannel = "odoo:stock.picking"
	BillChannel    = "odoo:account.move"
	ProductChannel = "odoo:product.product"
)

// RecordsCapture reads what Odoo did on its own side, each on write_date as the orders are: pickings
// validated (order.odoo_picking_done.v1 on the purchase or sales order's stream), vendor bills posted
// (order.odoo_bill_posted.v1 on the purchase order's stream) and products created or changed
// (product.odoo_changed.v1). A picking validated by a person in Odoo shows on the order's timeline as
// one the workflows validated does. Each version read is archived before it is recorded, and recognised
// there when read again.
type RecordsCapture struct {
	cfg                       RecordsConfig
	pickings, bills, products *poller
}

var (
	pickingFields = []string{"name", "state", "picking_type_code", "purchase_id", "sale_id", "date_done", "backorder_id",
		"carrier_tracking_ref", "move_ids", "write_date"}
	billFields    = []string{"name", "move_type", "state", "ref", "invoice_origin", "invoice_date", "amount_total", "invoice_line_ids", "write_date"}
	productFields = []string{"default_code", "barcode", "name", "uom_id", "active", "write_date"}
)

// NewRecordsCapture returns a capture.
func NewRecordsCapture(cfg RecordsConfig) (*RecordsCapture, error) {
	oc := OrdersConfig{Odoo: cfg.Odoo, Archive: cfg.Archive, Placer: noPlacer{}, Interval: cfg.Interval, Lookback: cfg.Lookback,
		Overlap: cfg.Overlap, PageSize: cfg.PageSize, Now: cfg.Now, Logger: cfg.Logger}
	oc.setDefaults()
	if err := oc.Validate(); err != nil {
		return nil, err
	}
	if cfg.Recorder == nil {
		return nil, errors.New("odoo records: the recorder is required")
	}
	cfg.Interval, cfg.Lookback, cfg.Overlap, cfg.PageSize, cfg.Now = oc.Interval, oc.Lookback, oc.Overlap, oc.PageSize, oc.Now
	if cfg.Logger = oc.Logger; cfg.Logger == nil {
		cfg.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	c := &RecordsCapture{cfg: cfg}
	base := pollerConfig{Odoo: cfg.Odoo, Interval: cfg.Interval, Lookback: cfg.Lookback, Overlap: cfg.Overlap, PageSize: cfg.PageSize,
		Now: cfg.Now, Logger: cfg.Logger}
	pc, bc, prc := base, base, base
	pc.Model, pc.Fields, pc.What, pc.Where = "stock.picking", pickingFields, "pickings", odoo.Domain{odoo.Where("state", "=", "done")}
	bc.Model, bc.Fields, bc.What = "account.move", billFields, "vendor bills"
	bc.Where = odoo.Domain{odoo.Where("move_type", "=", "in_invoice"), odoo.Where("state", "=", "posted")}
	prc.Model, prc.Fields, prc.What = "product.product", productFields, "products"
	c.pickings, c.bills, c.products = newPoller(pc, c.picking), newPoller(bc, c.bill), newPoller(prc, c.product)
	return c, nil
}

// Run polls the three models every Interval until ctx is done.
func (c *RecordsCapture) Run(ctx context.Context) error {
	done := make(chan struct{}, 3)
	for _, p := range []*poller{c.pickings, c.bills, c.products} {
		go func() {
			_ = p.Run(ctx)
			done <- struct{}{}
		}()
	}
	for range 3 {
		<-done
	}
	return nil
}

// Poll reads each model once: what was written since the last poll.
func (c *RecordsCapture) Poll(ctx context.Context) (Outcome, error) {
	var total Outcome
	var errs []error
	for _, p := range []*poller{c.pickings, c.bills, c.products} {
		out, err := p.Poll(ctx)
		total.Read += out.Read
		total.Recorded += out.Recorded
		total.Unchanged += out.Unchanged
		total.Parked += out.Parked
		errs = append(errs, err)
	}
	return total, errors.Join(errs...)
}

func (c *RecordsCapture) keeper() keeper {
	return keeper{archive: c.cfg.Archive, database: c.cfg.Odoo.Database(), now: c.cfg.Now, logger: c.cfg.Logger}
}

func (c *RecordsCapture) picking(ctx context.Context, rec odoo.Record, out *Outcome) (time.Time, error) {
	f := rec.Fields()
	name, state, written := f.String("name"), f.String("state"), f.Time("write_date")
	kind, po, so := f.String("picking_type_code"), f.Many2One("purchase_id"), f.Many2One("sale_id")
	d := order.OdooPickingData{Picking: name, DoneAt: f.Time("date_done"), BackorderOf: f.Many2One("backorder_id").Name,
		TrackingRef: f.String("carrier_tracking_ref")}
	moveIDs := f.IDs("move_ids")
	if err := f.Err(); err != nil {
		return time.Time{}, fmt.Errorf("odoo picking %d: %w", rec.ID(), err)
	}
	var stream, model string
	var orderID int64
	switch {
	case state != "done":
		return written, nil
	case kind == "incoming" && po.ID != 0:
		d.Kind, model, orderID = "receipt", "purchase.order", po.ID
	case kind == "outgoing" && so.ID != 0:
		d.Kind, model, orderID = "delivery", "sale.order", so.ID
	default:
		return written, nil // not a purchase order's receipt or a sales order's delivery
	}
	// The order's name, read: its display name may carry the vendor's reference ("P00001 (SO-778)").
	orders, err := c.cfg.Odoo.Read(ctx, model, []int64{orderID}, []string{"name"})
	if err != nil || len(orders) == 0 {
		return written, fmt.Errorf("odoo picking %s: read its %s %d: %w", name, model, orderID, err)
	}
	d.OrderNumber = orders[0].Fields().String("name")
	if model == "purchase.order" {
		stream = order.POStreamID(d.OrderNumber)
	} else {
		stream = order.WarehouseOrderStreamID(d.OrderNumber)
	}
	schema, err := c.cfg.Odoo.Schema(ctx)
	if err != nil {
		return written, err
	}
	moves, err := c.cfg.Odoo.Read(ctx, "stock.move", moveIDs, []string{"product_id", schema.MoveQuantity})
	if err != nil {
		return written, fmt.Errorf("odoo picking %s: read moves: %w", name, err)
	}
	codes, err := c.codes(ctx, moves)
	if err != nil {
		return written, fmt.Errorf("odoo picking %s: %w", name, err)
	}
	for _, m := range moves {
		mf := m.Fields()
		d.Lines = append(d.Lines, order.OdooLine{Product: codes[mf.Many2One("product_id").ID], Quantity: mf.Decimal(schema.MoveQuantity)})
	}
	return written, c.keeper().keep(ctx, version{what: "picking " + name, model: "stock.picking", id: rec.ID(), written: written,
		partner: "odoo", channel: PickingChannel, correlation: "odoo-picking:" + name, body: map[string]any{"picking": rec, "moves": moves},
		record: func(msg commands.Message) (string, error) {
			return streamOutcome(c.cfg.Recorder.Picking(ctx, commands.RecordOdooPicking{Message: msg, Stream: stream, Picking: d}))
		}}, out)
}

func (c *RecordsCapture) bill(ctx context.Context, rec odoo.Record, out *Outcome) (time.Time, error) {
	f := rec.Fields()
	written, origin := f.Time("write_date"), f.String("invoice_origin")
	d := order.OdooBillData{OrderNumber: origin, BillID: rec.ID(), Name: f.String("name"), Ref: f.String("ref"), Date: f.Time("invoice_date"),
		Total: f.Decimal("amount_total")}
	lineIDs := f.IDs("invoice_line_ids")
	if err := f.Err(); err != nil {
		return time.Time{}, fmt.Errorf("odoo bill %d: %w", rec.ID(), err)
	}
	if f.String("state") != "posted" || f.String("move_type") != "in_invoice" || origin == "" {
		return written, nil // not a posted vendor bill of a purchase order
	}
	lines, err := c.cfg.Odoo.Read(ctx, "account.move.line", lineIDs, []string{"product_id", "quantity", "price_unit"})
	if err != nil {
		return written, fmt.Errorf("odoo bill %s: read lines: %w", d.Name, err)
	}
	codes, err := c.codes(ctx, lines)
	if err != nil {
		return written, fmt.Errorf("odoo bill %s: %w", d.Name, err)
	}
	for _, l := range lines {
		lf := l.Fields()
		p := lf.Many2One("product_id")
		if p.ID == 0 {
			continue // a note or a section
		}
		price := lf.Decimal("price_unit")
		d.Lines = append(d.Lines, order.OdooLine{Product: codes[p.ID], Quantity: lf.Decimal("quantity"), UnitPrice: &price})
	}
	return written, c.keeper().keep(ctx, version{what: "bill " + d.Name, model: "account.move", id: rec.ID(), written: written,
		partner: "odoo", channel: BillChannel, correlation: "odoo-po:" + origin, body: map[string]any{"bill": rec, "lines": lines},
		record: func(msg commands.Message) (string, error) {
			return streamOutcome(c.cfg.Recorder.Bill(ctx, commands.RecordOdooBill{Message: msg, Stream: order.POStreamID(origin), Bill: d}))
		}}, out)
}

func (c *RecordsCapture) product(ctx context.Context, rec odoo.Record, out *Outcome) (time.Time, error) {
	f := rec.Fields()
	written := f.Time("write_date")
	d := odooproduct.Data{ID: rec.ID(), DefaultCode: f.String("default_code"), Barcode: f.String("barcode"), Name: f.String("name"),
		Unit: f.Many2One("uom_id").Name, Active: f.Bool("active")}
	if err := f.Err(); err != nil {
		return time.Time{}, fmt.Errorf("odoo product %d: %w", rec.ID(), err)
	}
	return written, c.keeper().keep(ctx, version{what: "product " + d.Name, model: "product.product", id: rec.ID(), written: written,
		partner: "odoo", channel: ProductChannel, correlation: "odoo-product:" + d.DefaultCode, body: rec,
		record: func(msg commands.Message) (string, error) {
			return streamOutcome(c.cfg.Recorder.Product(ctx, commands.RecordOdooProduct{Message: msg, Database: c.cfg.Odoo.Database(), Product: d}))
		}}, out)
}

// codes reads the internal references of the products records name (product_id).
func (c *RecordsCapture) codes(ctx context.Context, recs []odoo.Record) (map[int64]string, error) {
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
	prs, err := c.cfg.Odoo.Read(ctx, "product.product", ids, []string{"default_code"})
	if err != nil {
		return nil, fmt.Errorf("read products: %w", err)
	}
	for _, p := range prs {
		out[p.ID()] = p.Fields().String("default_code")
	}
	return out, nil
}

// Notifiers are the capture's pollers by model, for the webhook: each fetches at once the record a
// notification names.
func (c *RecordsCapture) Notifiers() map[string]Notifier {
	return map[string]Notifier{"stock.picking": c.pickings, "account.move": c.bills, "product.product": c.products}
}
