package odoocapture

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/crossdock-hub/crossdock/adapters/odoo"
	"github.com/crossdock-hub/crossdock/commands"
	"github.com/crossdock-hub/crossdock/domain"
	"github.com/crossdock-hub/crossdock/domain/order"
)

// SaleChannel is the archive channel of the sales orders read from Odoo.
const SaleChannel = "odoo:sale.order"

// WarehouseOrderPlacer records a warehouse order: *commands.PlaceOrderHandler.
type WarehouseOrderPlacer interface {
	PlaceWarehouseOrder(ctx context.Context, cmd commands.PlaceWarehouseOrder) (commands.DocumentResult, error)
}

// SalesConfig configures SalesCapture.
type SalesConfig struct {
	Odoo    Odoo
	Archive Archive
	Placer  WarehouseOrderPlacer
	// Warehouses maps an Odoo warehouse's code (stock.warehouse code) to the warehouse partner that ships
	// from it: the reverse of serve's --odoo-warehouse. A sales order from another warehouse is parked.
	Warehouses map[string]string
	// Units, Interval, Lookback, Overlap, PageSize, Now and Logger are as OrdersConfig's.
	Units                       map[string]string
	Interval, Lookback, Overlap time.Duration
	PageSize                    int
	Now                         func() time.Time
	Logger                      *slog.Logger
}

// SalesCapture records Odoo's confirmed sales orders as warehouse orders for the warehouse partner that
// ships them (order.warehouse_order_placed.v1, _changed.v1 when one changes, with purpose "cancel" when
// it is cancelled), polling sale.order on write_date and fetching what a webhook names, as
// OrderCapture does for purchase orders. Each version is archived before it is recorded. An order
// Crossdock cannot name — a product without an internal reference, a unit without a code, a warehouse
// no partner ships from — is parked in the archive with the reason.
type SalesCapture struct {
	*poller
	cfg SalesConfig
}

var saleFields = []string{"name", "partner_id", "client_order_ref", "state", "date_order", "commitment_date", "warehouse_id", "order_line", "write_date"}

// NewSalesCapture returns a capture.
func NewSalesCapture(cfg SalesConfig) (*SalesCapture, error) {
	oc := OrdersConfig{Odoo: cfg.Odoo, Archive: cfg.Archive, Placer: noPlacer{}, Units: cfg.Units, Interval: cfg.Interval,
		Lookback: cfg.Lookback, Overlap: cfg.Overlap, PageSize: cfg.PageSize, Now: cfg.Now, Logger: cfg.Logger}
	oc.setDefaults()
	if err := oc.Validate(); err != nil {
		return nil, errors.New(strings.ReplaceAll(err.Error(), "odoo orders", "odoo sales orders"))
	}
	if cfg.Placer == nil {
		return nil, errors.New("odoo sales orders: the warehouse order placer is required")
	}
	cfg.Units, cfg.Interval, cfg.Lookback, cfg.Overlap, cfg.PageSize, cfg.Now = oc.Units, oc.Interval, oc.Lookback, oc.Overlap, oc.PageSize, oc.Now
	if cfg.Logger = oc.Logger; cfg.Logger == nil {
		cfg.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	c := &SalesCapture{cfg: cfg}
	c.poller = newPoller(pollerConfig{Odoo: cfg.Odoo, Model: "sale.order", Fields: saleFields, What: "sales orders",
		Interval: cfg.Interval, Lookback: cfg.Lookback, Overlap: cfg.Overlap, PageSize: cfg.PageSize, Now: cfg.Now, Logger: cfg.Logger}, c.one)
	return c, nil
}

// noPlacer stands in for OrdersConfig's placer when its defaults and checks are borrowed.
type noPlacer struct{}

func (noPlacer) Handle(context.Context, commands.PlaceOrder) (commands.DocumentResult, error) {
	return commands.DocumentResult{}, errors.New("not a purchase order placer")
}

// capturedSale is what the archive keeps of one version of a sales order: the records as read.
type capturedSale struct {
	Database  string                `json:"database"`
	Order     odoo.Record           `json:"sale_order"`
	Lines     []odoo.Record         `json:"lines"`
	Products  map[int64]odoo.Record `json:"products"`
	Customer  odoo.Record           `json:"customer"`
	Warehouse odoo.Record           `json:"warehouse"`
	LineUoM   string                `json:"line_uom_field"`
	// ProductKind is the product's kind field in this version.
	ProductKind string `json:"product_kind_field,omitempty"`
}

func (c *SalesCapture) one(ctx context.Context, rec odoo.Record, out *Outcome) (time.Time, error) {
	f := rec.Fields()
	name, state, written := f.String("name"), f.String("state"), f.Time("write_date")
	if err := f.Err(); err != nil {
		return time.Time{}, fmt.Errorf("odoo sales order %d: %w", rec.ID(), err)
	}
	var purpose string
	switch state {
	case "sale", "done":
		purpose = order.PurposeOriginal
	case "cancel":
		purpose = order.PurposeCancel
	default: // draft, sent: a quotation
		return written, nil
	}
	got, err := c.read(ctx, rec)
	if err != nil {
		return written, fmt.Errorf("odoo sales order %s: %w", name, err)
	}
	code := got.Warehouse.Fields().String("code")
	partner := c.cfg.Warehouses[code]
	wo, problems := c.mapSale(got, purpose, partner)
	if partner == "" {
		partner = "odoo"
		problems = append(problems, fmt.Sprintf("it ships from Odoo warehouse %q, which no warehouse partner ships from (--odoo-warehouse PARTNER=%s)", code, code))
	}
	return written, c.keeper().keep(ctx, version{what: "sales order " + name, model: "sale.order", id: rec.ID(), written: written,
		partner: partner, channel: SaleChannel, correlation: "odoo-so:" + name, body: got, problems: problems,
		record: func(msg commands.Message) (string, error) {
			return documentOutcome(c.cfg.Placer.PlaceWarehouseOrder(ctx, commands.PlaceWarehouseOrder{Message: msg, Order: wo}))
		}}, out)
}

func (c *SalesCapture) keeper() keeper {
	return keeper{archive: c.cfg.Archive, database: c.cfg.Odoo.Database(), now: c.cfg.Now, logger: c.cfg.Logger}
}

// read reads what a sales order's version needs besides itself: its lines, their products, its
// customer and its warehouse.
func (c *SalesCapture) read(ctx context.Context, rec odoo.Record) (capturedSale, error) {
	schema, err := c.cfg.Odoo.Schema(ctx)
	if err != nil {
		return capturedSale{}, err
	}
	got := capturedSale{Database: c.cfg.Odoo.Database(), Order: rec, Products: map[int64]odoo.Record{}, LineUoM: schema.LineUoM,
		ProductKind: schema.ProductKind}
	f := rec.Fields()
	lineIDs, customer, warehouse := f.IDs("order_line"), f.Many2One("partner_id"), f.Many2One("warehouse_id")
	if err := f.Err(); err != nil {
		return got, err
	}
	if len(lineIDs) > 0 {
		if got.Lines, err = c.cfg.Odoo.Read(ctx, "sale.order.line", lineIDs, []string{"product_id", "name", "product_uom_qty", schema.LineUoM}); err != nil {
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
	one := func(model string, id int64, fields []string) (odoo.Record, error) {
		if id == 0 {
			return nil, nil
		}
		recs, err := c.cfg.Odoo.Read(ctx, model, []int64{id}, fields)
		if err != nil || len(recs) == 0 {
			return nil, err
		}
		return recs[0], nil
	}
	if got.Customer, err = one("res.partner", customer.ID, []string{"name", "ref"}); err != nil {
		return got, fmt.Errorf("read customer: %w", err)
	}
	if got.Warehouse, err = one("stock.warehouse", warehouse.ID, []string{"code", "name"}); err != nil {
		return got, fmt.Errorf("read warehouse: %w", err)
	}
	return got, nil
}

// mapSale gives the sales order as a warehouse order, or what stands in the way.
func (c *SalesCapture) mapSale(got capturedSale, purpose, partner string) (order.WarehouseOrderData, []string) {
	f := got.Order.Fields()
	requested := f.Time("commitment_date")
	wo := order.WarehouseOrderData{OrderNumber: f.String("name"), Purpose: purpose, Partner: partner,
		Warehouse: got.Warehouse.Fields().String("code"), CustomerPO: f.String("client_order_ref"), OrderDate: f.Time("date_order"),
		RequestedShip: requested}
	if err := f.Err(); err != nil {
		return wo, []string{err.Error()}
	}
	cf := got.Customer.Fields()
	wo.ShipTo = domain.Party{Role: "ST", Name: cf.String("name")}
	if ref := cf.String("ref"); ref != "" {
		wo.ShipTo.IDQualifier, wo.ShipTo.ID = "92", ref
	}
	var problems []string
	for i, l := range got.Lines {
		lf := l.Fields()
		product, qty, uom := lf.Many2One("product_id"), lf.Decimal("product_uom_qty"), lf.Many2One(got.LineUoM)
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
		wo.Lines = append(wo.Lines, order.LineData{LineNumber: strconv.FormatInt(l.ID(), 10), Product: code,
			ItemRef: domain.ItemRef{Product: code, Description: lf.String("name")}, Quantity: qty, Unit: unit})
	}
	if len(got.Lines) == 0 && purpose != order.PurposeCancel {
		problems = append(problems, "it has no lines")
	}
	return wo, problems
}
