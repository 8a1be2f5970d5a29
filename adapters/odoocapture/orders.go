package odoocapture

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"strconv"
	"time"

	"github.com/crossdock-hub/crossdock/adapters/odoo"
	"github.com/crossdock-hub/crossdock/commands"
	"github.com/crossdock-hub/crossdock/domain"
	"github.com/crossdock-hub/crossdock/domain/order"
)

// OrderChannel is the archive channel of the purchase orders read from Odoo.
const OrderChannel = "odoo:purchase.order"

// OrderPlacer records a purchase order: *commands.PlaceOrderHandler.
type OrderPlacer interface {
	Handle(ctx context.Context, cmd commands.PlaceOrder) (commands.DocumentResult, error)
}

// OrdersConfig configures OrderCapture.
type OrdersConfig struct {
	Odoo    Odoo
	Archive Archive
	Placer  OrderPlacer
	// Units maps Odoo's unit names to Crossdock's unit codes. Default {"Units": "EA", "Dozens": "DZ"};
	// entries given are added to the default.
	Units map[string]string
	// Interval is the time between polls. Default 1 minute.
	Interval time.Duration
	// Lookback is how far back the first poll after a start reaches: what was read before is recognised
	// in the archive and not recorded again. Default 7 days.
	Lookback time.Duration
	// Overlap is how far each poll reaches back before the latest write_date seen, for transactions
	// that committed late. Default 5 minutes.
	Overlap time.Duration
	// PageSize is how many orders one call reads. Default 200.
	PageSize int
	// Now is the clock; default time.Now.
	Now func() time.Time
	// Logger; default discards.
	Logger *slog.Logger
}

func (c *OrdersConfig) setDefaults() {
	units := map[string]string{"Units": "EA", "Dozens": "DZ"}
	for k, v := range c.Units {
		units[k] = v
	}
	c.Units = units
	if c.Interval == 0 {
		c.Interval = time.Minute
	}
	if c.Lookback == 0 {
		c.Lookback = 7 * 24 * time.Hour
	}
	if c.Overlap == 0 {
		c.Overlap = 5 * time.Minute
	}
	if c.PageSize == 0 {
		c.PageSize = 200
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
}

// Validate reports every problem of the configuration.
func (c *OrdersConfig) Validate() error {
	var errs []error
	if c.Odoo == nil || c.Archive == nil || c.Placer == nil {
		errs = append(errs, errors.New("odoo orders: the Odoo client, the archive and the order placer are required"))
	}
	if c.Interval < 0 || c.Lookback < 0 || c.Overlap < 0 || c.PageSize < 0 {
		errs = append(errs, errors.New("odoo orders: interval, lookback, overlap and page size must not be negative"))
	}
	for name, code := range c.Units {
		if _, err := domain.NormalizeUnit(code); err != nil {
			errs = append(errs, fmt.Errorf("odoo orders: unit %s = %q: %w", name, code, err))
		}
	}
	return errors.Join(errs...)
}

// OrderCapture records Odoo's confirmed purchase orders as order.placed.v1 (order.changed.v1 when one
// changes, with purpose "cancel" when it is cancelled). It polls purchase.order on write_date, and
// fetches at once the orders a webhook names (Notify): the webhook is fire-and-forget, so the poll is
// the safety net. Each version of an order (id and write_date) is archived before it is recorded, and
// recognised there when it is read again.
//
// An order Crossdock cannot name — its supplier has no Crossdock partner ID in Odoo's Reference field
// (res.partner ref), a product has no internal reference, a unit has no code — is parked in the
// archive with the reason.
type OrderCapture struct {
	*poller
	cfg OrdersConfig
}

// NewOrderCapture returns a capture.
func NewOrderCapture(cfg OrdersConfig) (*OrderCapture, error) {
	cfg.setDefaults()
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	c := &OrderCapture{cfg: cfg}
	c.poller = newPoller(pollerConfig{Odoo: cfg.Odoo, Model: "purchase.order", Fields: orderFields, What: "purchase orders",
		Interval: cfg.Interval, Lookback: cfg.Lookback, Overlap: cfg.Overlap, PageSize: cfg.PageSize, Now: cfg.Now, Logger: cfg.Logger}, c.one)
	return c, nil
}

// Outcome counts what a poll or a fetch did.
type Outcome struct {
	Read, Recorded, Unchanged, Parked int
}

var orderFields = []string{"name", "partner_id", "state", "date_order", "date_planned", "order_line", "write_date"}

// capturedOrder is what the archive keeps of one version of a purchase order: the records as read.
type capturedOrder struct {
	Database string                `json:"database"`
	Order    odoo.Record           `json:"purchase_order"`
	Lines    []odoo.Record         `json:"lines"`
	Products map[int64]odoo.Record `json:"products"`
	Supplier odoo.Record           `json:"supplier"`
	// LineUoM is the field of the lines' unit in this version; ProductKind the product's kind field.
	LineUoM     string `json:"line_uom_field"`
	ProductKind string `json:"product_kind_field,omitempty"`
}

// one records one version of a purchase order, answering its write_date.
func (c *OrderCapture) one(ctx context.Context, rec odoo.Record, out *Outcome) (time.Time, error) {
	f := rec.Fields()
	name, state, written := f.String("name"), f.String("state"), f.Time("write_date")
	if err := f.Err(); err != nil {
		return time.Time{}, fmt.Errorf("odoo purchase order %d: %w", rec.ID(), err)
	}
	var purpose string
	switch state {
	case "purchase", "done":
		purpose = order.PurposeOriginal
	case "cancel":
		purpose = order.PurposeCancel // nothing for an order never confirmed
	default: // draft, sent, to approve: not placed yet
		return written, nil
	}
	got, err := c.read(ctx, rec)
	if err != nil {
		return written, fmt.Errorf("odoo purchase order %s: %w", name, err)
	}
	partner := got.Supplier.Fields().String("ref")
	if partner == "" {
		partner = "odoo"
	}
	po, problems := c.mapOrder(got, purpose)
	return written, c.keeper().keep(ctx, version{what: "purchase order " + name, model: "purchase.order", id: rec.ID(), written: written,
		partner: partner, channel: OrderChannel, correlation: "odoo-po:" + name, body: got, problems: problems,
		record: func(msg commands.Message) (string, error) {
			return documentOutcome(c.cfg.Placer.Handle(ctx, commands.PlaceOrder{Message: msg, Order: po}))
		}}, out)
}

func (c *OrderCapture) keeper() keeper {
	return keeper{archive: c.cfg.Archive, database: c.cfg.Odoo.Database(), now: c.cfg.Now, logger: c.cfg.Logger}
}

// read reads what a purchase order's version needs besides itself: its lines, their products and its
// supplier.
func (c *OrderCapture) read(ctx context.Context, rec odoo.Record) (capturedOrder, error) {
	schema, err := c.cfg.Odoo.Schema(ctx)
	if err != nil {
		return capturedOrder{}, err
	}
	got := capturedOrder{Database: c.cfg.Odoo.Database(), Order: rec, Products: map[int64]odoo.Record{}, LineUoM: schema.LineUoM,
		ProductKind: schema.ProductKind}
	f := rec.Fields()
	lineIDs, supplier := f.IDs("order_line"), f.Many2One("partner_id")
	if err := f.Err(); err != nil {
		return got, err
	}
	if len(lineIDs) > 0 {
		got.Lines, err = c.cfg.Odoo.Read(ctx, "purchase.order.line", lineIDs,
			[]string{"product_id", "name", "product_qty", schema.LineUoM, "price_unit", "date_planned"})
		if err != nil {
			return got, fmt.Errorf("read lines: %w", err)
		}
	}
	var products []int64
	for _, l := range got.Lines {
		if id := l.Fields().Many2One("product_id").ID; id != 0 && !slices.Contains(products, id) {
			products = append(products, id)
		}
	}
	if len(products) > 0 {
		recs, err := c.cfg.Odoo.Read(ctx, "product.product", products, []string{"default_code", "barcode", schema.ProductKind})
		if err != nil {
			return got, fmt.Errorf("read products: %w", err)
		}
		for _, p := range recs {
			got.Products[p.ID()] = p
		}
	}
	if supplier.ID != 0 {
		recs, err := c.cfg.Odoo.Read(ctx, "res.partner", []int64{supplier.ID}, []string{"name", "ref"})
		if err != nil {
			return got, fmt.Errorf("read supplier: %w", err)
		}
		if len(recs) == 1 {
			got.Supplier = recs[0]
		}
	}
	return got, nil
}

// mapOrder gives the purchase order in Crossdock's terms, or what stands in the way.
func (c *OrderCapture) mapOrder(got capturedOrder, purpose string) (order.PurchaseOrder, []string) {
	f := got.Order.Fields()
	po := order.PurchaseOrder{PONumber: f.String("name"), Purpose: purpose, OrderDate: f.Time("date_order"),
		RequestedDelivery: f.Time("date_planned")}
	supplier := f.Many2One("partner_id")
	var problems []string
	if err := f.Err(); err != nil {
		return po, []string{err.Error()}
	}
	sf := got.Supplier.Fields()
	if po.Supplier = sf.String("ref"); po.Supplier == "" {
		problems = append(problems, fmt.Sprintf("supplier %q (res.partner %d) has no Crossdock partner ID in its Reference field", supplier.Name, supplier.ID))
	}
	for i, l := range got.Lines {
		lf := l.Fields()
		product, qty, uom, price := lf.Many2One("product_id"), lf.Decimal("product_qty"), lf.Many2One(got.LineUoM), lf.Decimal("price_unit")
		if err := lf.Err(); err != nil {
			problems = append(problems, fmt.Sprintf("line %d: %v", l.ID(), err))
			continue
		}
		if product.ID == 0 {
			continue // a section or a note
		}
		code := ""
		if p, ok := got.Products[product.ID]; ok {
			pf := p.Fields()
			if got.ProductKind != "" && pf.String(got.ProductKind) == "service" {
				continue // a service (a delivery charge, a down payment): nothing to receive or ship
			}
			code = pf.String("default_code")
		}
		if code == "" {
			problems = append(problems, fmt.Sprintf("line %d: product %q (product.product %d) has no internal reference", i+1, product.Name, product.ID))
		}
		unit, ok := c.cfg.Units[uom.Name]
		if !ok {
			problems = append(problems, fmt.Sprintf("line %d: unit %q has no code (--odoo-unit %s=CODE)", i+1, uom.Name, uom.Name))
		}
		// The line's id numbers it: it stays when other lines are added or removed.
		po.Lines = append(po.Lines, order.Line{Number: strconv.FormatInt(l.ID(), 10), Item: domain.ItemRef{Product: code, Description: lf.String("name")},
			Quantity: domain.Quantity{Amount: qty, Unit: unit}, UnitPrice: &domain.Money{Amount: price}})
	}
	if len(got.Lines) == 0 {
		problems = append(problems, "it has no lines")
	}
	return po, problems
}
