package odoocapture

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"time"

	"github.com/crossdock-hub/crossdock/adapters/odoo"
)

// pollerConfig configures a poller of one model.
type pollerConfig struct {
	Odoo   Odoo
	Model  string
	Fields []string
	// Where narrows the poll beyond write_date (e.g. done pickings only).
	Where odoo.Domain
	// What names the records in logs and errors ("purchase orders").
	What                        string
	Interval, Lookback, Overlap time.Duration
	PageSize                    int
	Now                         func() time.Time
	Logger                      *slog.Logger
}

// poller reads one model's records written since it last looked (on write_date, reaching back Overlap
// for transactions that committed late, and Lookback after a start), and those a webhook names, and
// gives each to one, which records it and answers its write_date.
type poller struct {
	cfg pollerConfig
	one func(ctx context.Context, rec odoo.Record, out *Outcome) (time.Time, error)

	mu    sync.Mutex
	since time.Time // the latest write_date handled; zero before the first poll
	wake  chan struct{}
	ids   []int64 // named by webhooks, to fetch
}

func newPoller(cfg pollerConfig, one func(context.Context, odoo.Record, *Outcome) (time.Time, error)) *poller {
	return &poller{cfg: cfg, one: one, wake: make(chan struct{}, 1)}
}

// Notify asks for record id to be fetched now (from a webhook).
func (p *poller) Notify(id int64) {
	p.mu.Lock()
	p.ids = append(p.ids, id)
	p.mu.Unlock()
	select {
	case p.wake <- struct{}{}:
	default:
	}
}

// Run polls every Interval, and fetches what Notify names as it comes, until ctx is done.
func (p *poller) Run(ctx context.Context) error {
	t := time.NewTicker(p.cfg.Interval)
	defer t.Stop()
	poll := true
	for {
		if poll {
			if _, err := p.Poll(ctx); err != nil && ctx.Err() == nil {
				p.cfg.Logger.ErrorContext(ctx, "odoo "+p.cfg.What+" not polled", "retryable", odoo.Retryable(err), "error", err)
			}
		}
		p.mu.Lock()
		ids := p.ids
		p.ids = nil
		p.mu.Unlock()
		if len(ids) > 0 {
			if _, err := p.Fetch(ctx, ids); err != nil && ctx.Err() == nil {
				p.cfg.Logger.ErrorContext(ctx, "odoo "+p.cfg.What+" not fetched", "ids", ids, "retryable", odoo.Retryable(err), "error", err)
				p.mu.Lock()
				p.ids = append(p.ids, ids...) // again at the next wake or tick
				p.mu.Unlock()
			}
		}
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
			poll = true
		case <-p.wake:
			poll = false
		}
	}
}

// Poll reads the records written since the last poll (less Overlap; Lookback after a start) and
// handles each.
func (p *poller) Poll(ctx context.Context) (Outcome, error) {
	p.mu.Lock()
	since := p.since
	p.mu.Unlock()
	if since.IsZero() {
		since = p.cfg.Now().Add(-p.cfg.Lookback)
	} else {
		since = since.Add(-p.cfg.Overlap)
	}
	base := append(odoo.Domain{odoo.Where("write_date", ">=", odoo.FormatTime(since))}, p.cfg.Where...)
	var out Outcome
	// Pages follow a key, (write_date, id), not an offset: a record written while the poll pages moves
	// to the end, where the next page (or the next poll) finds it, instead of shifting the others.
	domain := base
	for {
		page, err := p.cfg.Odoo.SearchRead(ctx, p.cfg.Model, domain, p.cfg.Fields,
			odoo.Page{Limit: p.cfg.PageSize, Order: "write_date asc, id asc"})
		if err != nil {
			return out, fmt.Errorf("odoo %s since %s: %w", p.cfg.What, odoo.FormatTime(since), err)
		}
		if err := p.handle(ctx, page, &out); err != nil {
			return out, err
		}
		if len(page) < p.cfg.PageSize {
			return out, nil
		}
		last := page[len(page)-1]
		written := last.Fields().String("write_date")
		domain = append(slices.Clone(base), "|", odoo.Where("write_date", ">", written),
			"&", odoo.Where("write_date", "=", written), odoo.Where("id", ">", last.ID()))
	}
}

// Fetch reads records ids and handles each.
func (p *poller) Fetch(ctx context.Context, ids []int64) (Outcome, error) {
	var out Outcome
	// Searched, not read: a record deleted since it was named is simply not there (reading it would fail
	// the whole batch, again at every try).
	recs, err := p.cfg.Odoo.SearchRead(ctx, p.cfg.Model, odoo.Domain{odoo.Where("id", "in", ids)}, p.cfg.Fields, odoo.Page{Order: "id asc"})
	if err != nil {
		return out, fmt.Errorf("odoo %s %v: %w", p.cfg.What, ids, err)
	}
	return out, p.handle(ctx, recs, &out)
}

func (p *poller) handle(ctx context.Context, recs []odoo.Record, out *Outcome) error {
	for _, rec := range recs {
		out.Read++
		written, err := p.one(ctx, rec, out)
		if err != nil {
			return err
		}
		p.mu.Lock()
		if written.After(p.since) {
			p.since = written
		}
		p.mu.Unlock()
	}
	return nil
}
