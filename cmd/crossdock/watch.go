package main

import (
	"context"
	"log/slog"
	"time"

	"github.com/crossdock-hub/crossdock/commands"
	"github.com/crossdock-hub/crossdock/projections/divergence"
)

// divergedView lists, from the divergence view, the diverged positions whose episode began before an
// instant and has no breach yet (commands.DivergedPositions).
type divergedView struct{ reader *divergence.Reader }

func (v divergedView) DivergedBefore(ctx context.Context, before time.Time) ([]commands.DivergedPosition, error) {
	var out []commands.DivergedPosition
	q := divergence.Query{Status: divergence.StatusDiverged, First: divergence.MaxFirst}
	for {
		page, err := v.reader.Positions(ctx, q)
		if err != nil {
			return nil, err
		}
		for _, p := range page.Positions {
			if p.DivergedSince.Before(before) && p.BreachedAt.IsZero() {
				out = append(out, commands.DivergedPosition{Warehouse: p.Warehouse, Product: p.Product, Since: p.DivergedSince,
					Divergence: p.Divergence, Evidence: p.Evidence})
			}
		}
		if !page.HasNextPage {
			return out, nil
		}
		q.After = page.Cursors[len(page.Cursors)-1]
	}
}

// watchDivergence checks for divergence breaches every interval until ctx ends. The check runs on a
// clock, not only when an event arrives: a divergence nobody touches still breaches.
func watchDivergence(ctx context.Context, w *commands.DivergenceWatch, interval time.Duration, logger *slog.Logger) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		if _, err := w.Check(ctx); err != nil && ctx.Err() == nil {
			logger.Error("divergence watch", "error", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
