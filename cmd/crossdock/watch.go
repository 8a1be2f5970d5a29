package main

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/crossdock-hub/crossdock/adapters/archive"
	"github.com/crossdock-hub/crossdock/commands"
	"github.com/crossdock-hub/crossdock/domain/partner"
	"github.com/crossdock-hub/crossdock/projections"
	"github.com/crossdock-hub/crossdock/projections/divergence"
	"github.com/crossdock-hub/crossdock/projections/sla"
	"github.com/crossdock-hub/crossdock/projections/timeline"
	"github.com/crossdock-hub/crossdock/queries"
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

// healthSource answers integrationHealth from the archive, the timeline and the runner.
type healthSource struct {
	archive interface {
		Stats(ctx context.Context, since time.Time, partnerID string) ([]archive.MessageStats, error)
	}
	timeline *timeline.Reader
	runner   *projections.Runner
}

func (h healthSource) CountMessages(ctx context.Context, since time.Time, partnerID string) ([]queries.MessageCount, error) {
	stats, err := h.archive.Stats(ctx, since, partnerID)
	if err != nil {
		return nil, err
	}
	out := make([]queries.MessageCount, len(stats))
	for i, s := range stats {
		out[i] = queries.MessageCount{PartnerID: s.PartnerID, Channel: s.Channel, Outcome: string(s.Status), Count: s.Count,
			LastReceivedAt: s.LastReceivedAt}
	}
	return out, nil
}

func (h healthSource) Exceptions(ctx context.Context, since time.Time, partnerID string) ([]timeline.ExceptionCount, error) {
	return h.timeline.Exceptions(ctx, since, partnerID)
}

func (h healthSource) Status(ctx context.Context) ([]projections.Status, error) {
	return h.runner.Status(ctx)
}

// dueSLA lists the SLA view's late measures without a breach (commands.DueBreaches).
type dueSLA struct{ reader *sla.Reader }

func (v dueSLA) DueBreaches(ctx context.Context) ([]commands.DueBreach, error) {
	shipments, deliveries, err := v.reader.Due(ctx)
	if err != nil {
		return nil, err
	}
	var out []commands.DueBreach
	for _, s := range shipments {
		lead := "none"
		if s.LeadHours != nil {
			lead = s.LeadHours.String() + "h lead"
		}
		out = append(out, commands.DueBreach{Partner: s.Supplier, Metric: partner.MetricASNTimeliness, Reference: s.ASNNumber,
			Promised: fmt.Sprintf("%dh lead", s.PromisedLeadHours), Actual: lead, Evidence: s.Evidence})
	}
	for _, d := range deliveries {
		out = append(out, commands.DueBreach{Partner: d.Carrier, Metric: partner.MetricCarrierOnTime, Reference: d.TrackingNumber,
			Promised: d.Promised.UTC().Format(time.RFC3339), Actual: d.DeliveredAt.UTC().Format(time.RFC3339), Evidence: d.Evidence})
	}
	// Orders unanswered (or answered late) past the promise, sent in the last 30 days.
	now := time.Now()
	orders, err := v.reader.DueOrders(ctx, now.AddDate(0, 0, -30), now)
	if err != nil {
		return nil, err
	}
	for _, o := range orders {
		metric := partner.MetricAckLatency
		if o.Document == sla.DocumentWarehouseOrder {
			metric = partner.MetricShipConfirmLatency
		}
		actual := fmt.Sprintf("unanswered after %.1fh", now.Sub(o.SentAt).Hours())
		if o.LatencyHours != nil {
			actual = o.LatencyHours.String() + "h"
		}
		out = append(out, commands.DueBreach{Partner: o.Partner, Metric: metric, Reference: o.Number,
			Promised: fmt.Sprintf("within %dh", o.PromisedHours), Actual: actual, Evidence: []string{}})
	}
	// Goods that came with no ASN, received in the last 30 days.
	unannounced, err := v.reader.DueUnannounced(ctx, now.AddDate(0, 0, -30))
	if err != nil {
		return nil, err
	}
	for _, u := range unannounced {
		out = append(out, commands.DueBreach{Partner: u.Supplier, Metric: partner.MetricNoASN, Reference: u.ReceiptNumber,
			Promised: "an ASN before the goods", Actual: fmt.Sprintf("%s's goods received by %s at %s with no ASN", u.PONumber, u.Warehouse,
				u.ReceivedAt.UTC().Format(time.RFC3339)), Evidence: []string{u.EventID}})
	}
	return out, nil
}

// watch runs check every interval until ctx ends: checks run on a clock, not only when an event arrives.
func watch(ctx context.Context, name string, check func(context.Context) (int, error), interval time.Duration, logger *slog.Logger) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		if _, err := check(ctx); err != nil && ctx.Err() == nil {
			logger.Error(name, "error", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
