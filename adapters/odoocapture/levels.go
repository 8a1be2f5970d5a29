package odoocapture

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/crossdock-hub/crossdock/adapters/archive"
	"github.com/crossdock-hub/crossdock/adapters/odoo"
	"github.com/crossdock-hub/crossdock/commands"
	"github.com/crossdock-hub/crossdock/domain/inventory"
)

// Odoo is what the capture reads from Odoo: *odoo.Client.
type Odoo interface {
	SearchRead(ctx context.Context, model string, domain odoo.Domain, fields []string, page odoo.Page) ([]odoo.Record, error)
	Read(ctx context.Context, model string, ids []int64, fields []string) ([]odoo.Record, error)
	Schema(ctx context.Context) (odoo.Schema, error)
	Database() string
}

// Archive keeps what is read from Odoo before it is recorded, and how it ended: *archive.Archive.
type Archive interface {
	Store(ctx context.Context, in archive.Inbound) (archive.Stored, error)
	Accept(ctx context.Context, id string, answer archive.Answer) error
	Park(ctx context.Context, id, reason string, answer archive.Answer) error
	Fail(ctx context.Context, id, reason string, answer archive.Answer) error
}

// LevelsRecorder records a reading: *commands.OdooInventoryHandler.
type LevelsRecorder interface {
	Levels(ctx context.Context, cmd commands.RecordOdooLevels) (commands.StreamResult, error)
}

// Channel is the archive channel of what the poller reads.
const Channel = "odoo:levels"

// LevelsConfig configures a LevelsPoller.
type LevelsConfig struct {
	Odoo     Odoo
	Archive  Archive
	Recorder LevelsRecorder
	// Warehouses maps each Crossdock warehouse key (the warehouse partner's ID, "/" and its code when it
	// has several) to the code of Odoo's stock.warehouse it is. Required.
	Warehouses map[string]string
	// Interval is the time between readings. Default 5 minutes.
	Interval time.Duration
	// PageSize is how many quants one call reads. Default 2,000.
	PageSize int
	// Now is the clock; default time.Now.
	Now func() time.Time
	// Logger; default discards.
	Logger *slog.Logger
}

func (c *LevelsConfig) setDefaults() {
	if c.Interval == 0 {
		c.Interval = 5 * time.Minute
	}
	if c.PageSize == 0 {
		c.PageSize = 2000
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
}

// Validate reports every problem of the configuration.
func (c *LevelsConfig) Validate() error {
	var errs []error
	if c.Odoo == nil {
		errs = append(errs, errors.New("odoo levels: no Odoo client"))
	}
	if c.Archive == nil {
		errs = append(errs, errors.New("odoo levels: no archive"))
	}
	if c.Recorder == nil {
		errs = append(errs, errors.New("odoo levels: no recorder"))
	}
	if len(c.Warehouses) == 0 {
		errs = append(errs, errors.New("odoo levels: no warehouse mapped (crossdock warehouse = Odoo warehouse code)"))
	}
	for key, code := range c.Warehouses {
		if key == "" || code == "" {
			errs = append(errs, fmt.Errorf("odoo levels: warehouse mapping %q = %q: both sides are required", key, code))
		}
	}
	if c.Interval < 0 || c.PageSize < 0 {
		errs = append(errs, errors.New("odoo levels: interval and page size must not be negative"))
	}
	return errors.Join(errs...)
}

// LevelsPoller reads Odoo's stock levels at each mapped warehouse on a clock.
type LevelsPoller struct {
	cfg LevelsConfig
}

// NewLevelsPoller returns a poller.
func NewLevelsPoller(cfg LevelsConfig) (*LevelsPoller, error) {
	cfg.setDefaults()
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	return &LevelsPoller{cfg: cfg}, nil
}

// Run reads every warehouse at once and then every Interval until ctx is done. A warehouse whose reading
// fails is logged and read again at the next tick; Run returns nil when ctx ends it.
func (p *LevelsPoller) Run(ctx context.Context) error {
	t := time.NewTicker(p.cfg.Interval)
	defer t.Stop()
	for {
		for _, key := range p.keys() {
			if _, err := p.Read(ctx, key); err != nil && ctx.Err() == nil {
				p.cfg.Logger.ErrorContext(ctx, "odoo levels not read", "warehouse", key, "odoo_warehouse", p.cfg.Warehouses[key],
					"retryable", odoo.Retryable(err), "error", err)
			}
		}
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
	}
}

func (p *LevelsPoller) keys() []string {
	keys := make([]string, 0, len(p.cfg.Warehouses))
	for k := range p.cfg.Warehouses {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// quantRow is a quant as read, kept in the archive.
type quantRow struct {
	ID       int64           `json:"id"`
	Product  int64           `json:"product_id"`
	Location int64           `json:"location_id"`
	Quantity decimal.Decimal `json:"quantity"`
}

// reading is what the archive keeps of one reading: the Odoo warehouse, its stock location, the quants
// and the products they name.
type reading struct {
	Database  string            `json:"database"`
	Warehouse string            `json:"warehouse"`
	Code      string            `json:"odoo_warehouse"`
	Location  int64             `json:"stock_location_id"`
	AsOf      time.Time         `json:"as_of"`
	Quants    []quantRow        `json:"quants"`
	Products  map[int64]product `json:"products"`
}

type product struct {
	Code string `json:"default_code"`
	Unit string `json:"uom"`
}

// Read reads Odoo's levels at one Crossdock warehouse now, archives the reading and records it. It
// answers the levels recorded; products without an internal reference (default_code) cannot be named in
// Crossdock's terms and are left out, with a warning.
func (p *LevelsPoller) Read(ctx context.Context, warehouse string) (inventory.OdooLevelsData, error) {
	code, ok := p.cfg.Warehouses[warehouse]
	if !ok {
		return inventory.OdooLevelsData{}, fmt.Errorf("odoo levels: warehouse %q is not mapped to an Odoo warehouse", warehouse)
	}
	r := reading{Database: p.cfg.Odoo.Database(), Warehouse: warehouse, Code: code, AsOf: p.cfg.Now().UTC().Truncate(time.Second),
		Products: map[int64]product{}}
	whs, err := p.cfg.Odoo.SearchRead(ctx, "stock.warehouse", odoo.Domain{odoo.Where("code", "=", code)}, []string{"lot_stock_id"}, odoo.Page{Limit: 1})
	if err != nil {
		return inventory.OdooLevelsData{}, fmt.Errorf("odoo levels at %s: find Odoo warehouse %s: %w", warehouse, code, err)
	}
	if len(whs) == 0 {
		return inventory.OdooLevelsData{}, fmt.Errorf("odoo levels at %s: Odoo has no warehouse with code %q", warehouse, code)
	}
	f := whs[0].Fields()
	r.Location = f.Many2One("lot_stock_id").ID
	if err := f.Err(); err != nil || r.Location == 0 {
		return inventory.OdooLevelsData{}, fmt.Errorf("odoo levels at %s: warehouse %s has no stock location: %v", warehouse, code, err)
	}
	// The quants of the stock location and of every location under it.
	domain := odoo.Domain{odoo.Where("location_id", "child_of", r.Location)}
	for offset := 0; ; offset += p.cfg.PageSize {
		page, err := p.cfg.Odoo.SearchRead(ctx, "stock.quant", domain, []string{"product_id", "location_id", "quantity"},
			odoo.Page{Offset: offset, Limit: p.cfg.PageSize, Order: "id"})
		if err != nil {
			return inventory.OdooLevelsData{}, fmt.Errorf("odoo levels at %s: read quants: %w", warehouse, err)
		}
		for _, rec := range page {
			f := rec.Fields()
			q := quantRow{ID: rec.ID(), Product: f.Many2One("product_id").ID, Location: f.Many2One("location_id").ID, Quantity: f.Decimal("quantity")}
			if err := f.Err(); err != nil {
				return inventory.OdooLevelsData{}, fmt.Errorf("odoo levels at %s: quant %d: %w", warehouse, rec.ID(), err)
			}
			r.Quants = append(r.Quants, q)
		}
		if len(page) < p.cfg.PageSize {
			break
		}
	}
	if err := p.products(ctx, &r); err != nil {
		return inventory.OdooLevelsData{}, fmt.Errorf("odoo levels at %s: %w", warehouse, err)
	}
	return p.record(ctx, r)
}

// products reads the internal reference and unit of every product the quants name.
func (p *LevelsPoller) products(ctx context.Context, r *reading) error {
	var ids []int64
	for _, q := range r.Quants {
		if _, seen := r.Products[q.Product]; !seen {
			r.Products[q.Product] = product{}
			ids = append(ids, q.Product)
		}
	}
	for start := 0; start < len(ids); start += p.cfg.PageSize {
		recs, err := p.cfg.Odoo.Read(ctx, "product.product", ids[start:min(start+p.cfg.PageSize, len(ids))], []string{"default_code", "uom_id"})
		if err != nil {
			return fmt.Errorf("read products: %w", err)
		}
		for _, rec := range recs {
			f := rec.Fields()
			pr := product{Code: f.String("default_code"), Unit: f.Many2One("uom_id").Name}
			if err := f.Err(); err != nil {
				return fmt.Errorf("product %d: %w", rec.ID(), err)
			}
			r.Products[rec.ID()] = pr
		}
	}
	return nil
}

// record archives the reading, then records its levels, and marks the archived reading accepted.
func (p *LevelsPoller) record(ctx context.Context, r reading) (inventory.OdooLevelsData, error) {
	levels := inventory.OdooLevelsData{Warehouse: r.Warehouse, AsOf: r.AsOf}
	totals := map[string]decimal.Decimal{}
	units := map[string]string{}
	var unnamed []int64
	for _, q := range r.Quants {
		pr := r.Products[q.Product]
		if pr.Code == "" {
			if !slices.Contains(unnamed, q.Product) {
				unnamed = append(unnamed, q.Product)
			}
			continue
		}
		totals[pr.Code] = totals[pr.Code].Add(q.Quantity)
		units[pr.Code] = pr.Unit
	}
	for code, q := range totals {
		levels.Levels = append(levels.Levels, inventory.OdooLevelData{Product: code, Quantity: q, Unit: units[code]})
	}
	slices.SortFunc(levels.Levels, func(a, b inventory.OdooLevelData) int {
		switch {
		case a.Product < b.Product:
			return -1
		case a.Product > b.Product:
			return 1
		}
		return 0
	})
	if len(unnamed) > 0 {
		p.cfg.Logger.WarnContext(ctx, "odoo products without an internal reference left out of the levels", "warehouse", r.Warehouse,
			"product_ids", unnamed)
	}

	body, err := json.Marshal(r)
	if err != nil {
		return levels, err
	}
	partner, _, _ := strings.Cut(r.Warehouse, "/") // the warehouse partner of "acme3pl/EAST"
	stored, err := p.cfg.Archive.Store(ctx, archive.Inbound{PartnerID: partner, Channel: Channel, ContentType: "application/json",
		PartnerMessageID: fmt.Sprintf("odoo:%s:levels:%s:%s", r.Database, r.Warehouse, r.AsOf.Format(time.RFC3339)),
		CorrelationID:    fmt.Sprintf("odoo-levels:%s:%s", r.Warehouse, r.AsOf.Format(time.RFC3339)), Body: body, ReceivedAt: r.AsOf})
	if err != nil {
		return levels, fmt.Errorf("archive the reading: %w", err)
	}
	msg := commands.Message{ID: stored.Message.ID, Key: stored.Message.ID, CorrelationID: stored.Message.CorrelationID,
		PartnerID: partner, Source: "odoo:" + r.Database, Actor: "odoo-poller", ReceivedAt: r.AsOf}
	res, err := p.cfg.Recorder.Levels(ctx, commands.RecordOdooLevels{Message: msg, Levels: levels})
	if err != nil {
		if ferr := p.cfg.Archive.Fail(ctx, stored.Message.ID, err.Error(), archive.Answer{}); ferr != nil {
			p.cfg.Logger.ErrorContext(ctx, "odoo reading not marked failed", "message", stored.Message.ID, "error", ferr)
		}
		return levels, fmt.Errorf("record the reading: %w", err)
	}
	answer, _ := json.Marshal(map[string]any{"stream": res.StreamID, "outcome": res.Outcome, "products": len(levels.Levels)})
	if err := p.cfg.Archive.Accept(ctx, stored.Message.ID, archive.Answer{Status: http.StatusOK, ContentType: "application/json", Body: answer}); err != nil {
		return levels, fmt.Errorf("mark the reading accepted: %w", err)
	}
	p.cfg.Logger.InfoContext(ctx, "odoo levels read", "warehouse", r.Warehouse, "odoo_warehouse", r.Code, "as_of", r.AsOf,
		"products", len(levels.Levels), "outcome", res.Outcome)
	return levels, nil
}
