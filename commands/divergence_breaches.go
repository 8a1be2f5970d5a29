package commands

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/shopspring/decimal"

	"github.com/crossdock-hub/crossdock/domain/inventory"
	"github.com/crossdock-hub/crossdock/eventstore"
)

// DivergedPosition is a position diverged between a warehouse and Odoo, as the divergence view shows it.
type DivergedPosition struct {
	Warehouse, Product string
	Since              time.Time
	Divergence         decimal.Decimal
	Evidence           []string
}

// DivergedPositions lists the positions diverged since before an instant (the divergence view).
type DivergedPositions interface {
	DivergedBefore(ctx context.Context, before time.Time) ([]DivergedPosition, error)
}

// Appender appends events to a stream: eventstore.Store.
type Appender interface {
	Append(ctx context.Context, stream string, expected eventstore.ExpectedVersion, events ...eventstore.EventData) (eventstore.AppendResult, error)
}

// DivergenceWatch raises inventory.divergence_breached.v1 for each position diverged for longer than
// Window, once per episode: the event's ID derives from the position and the episode's start, so every
// hub running the watch, every check and every restart raises the same event, stored once.
type DivergenceWatch struct {
	Positions DivergedPositions
	Store     Appender
	// Window is how long a divergence may last. Default: 4h (VIEWS.md).
	Window time.Duration
	Now    func() time.Time
	Logger *slog.Logger
}

// Check raises the breaches due now and returns how many it recorded (not counting those recorded before).
func (w *DivergenceWatch) Check(ctx context.Context) (int, error) {
	if w.Positions == nil || w.Store == nil {
		return 0, errors.New("divergence watch: positions and store are required")
	}
	window := w.Window
	if window <= 0 {
		window = 4 * time.Hour
	}
	now := time.Now
	if w.Now != nil {
		now = w.Now
	}
	at := now().UTC()
	due, err := w.Positions.DivergedBefore(ctx, at.Add(-window))
	if err != nil {
		return 0, fmt.Errorf("divergence watch: %w", err)
	}
	raised := 0
	for _, p := range due {
		data, err := json.Marshal(inventory.DivergenceBreached{DivergenceBreachedData: inventory.DivergenceBreachedData{
			Warehouse: p.Warehouse, Product: p.Product, DivergedSince: p.Since.UTC(), Divergence: p.Divergence,
			WindowMinutes: int(window / time.Minute), RaisedAt: at, Evidence: p.Evidence}})
		if err != nil {
			return raised, err
		}
		episode := p.Warehouse + "|" + p.Product + "|" + p.Since.UTC().Format(time.RFC3339Nano)
		res, err := w.Store.Append(ctx, inventory.DivergenceStreamID(p.Warehouse, p.Product), eventstore.Any, eventstore.EventData{
			ID: eventstore.DeriveID("divergence-breach:"+episode, 0), Type: inventory.EventDivergenceBreached, Data: data,
			Metadata: eventstore.Metadata{PartnerID: partnerOf(p.Warehouse), Source: "crossdock:divergence-watch", OccurredAt: p.Since.Add(window)},
		})
		if errors.Is(err, eventstore.ErrDuplicateEvent) {
			continue // raised before with other figures: the episode's breach stands
		}
		if err != nil {
			return raised, fmt.Errorf("raise divergence breach of %s at %s: %w", p.Product, p.Warehouse, err)
		}
		if !res.Duplicate {
			raised++
			if w.Logger != nil {
				w.Logger.WarnContext(ctx, "inventory divergence breached its window", "warehouse", p.Warehouse, "product", p.Product,
					"diverged_since", p.Since, "divergence", p.Divergence.String())
			}
		}
	}
	return raised, nil
}

// partnerOf is the warehouse partner of a warehouse key ("northwind/WH1" → "northwind").
func partnerOf(warehouse string) string {
	for i := range len(warehouse) {
		if warehouse[i] == '/' {
			return warehouse[:i]
		}
	}
	return warehouse
}
