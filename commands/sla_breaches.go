package commands

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/crossdock-hub/crossdock/domain/partner"
	"github.com/crossdock-hub/crossdock/eventstore"
)

// DueBreach is a late measure of the SLA view with no breach raised yet.
type DueBreach struct {
	Partner, Metric, Reference string
	Promised, Actual           string
	Evidence                   []string
}

// DueBreaches lists the SLA view's late measures without a breach.
type DueBreaches interface {
	DueBreaches(ctx context.Context) ([]DueBreach, error)
}

// SLAWatch raises sla.breached.v1 for each late measure of the SLA view, once per partner, metric and
// document: the event's ID derives from the three, so every hub running the watch, every check and every
// restart raise the same event, stored once. The SLA view then marks the measure breached.
type SLAWatch struct {
	Due    DueBreaches
	Store  Appender
	Now    func() time.Time
	Logger *slog.Logger
}

// Check raises the breaches due and returns how many it recorded.
func (w *SLAWatch) Check(ctx context.Context) (int, error) {
	if w.Due == nil || w.Store == nil {
		return 0, errors.New("SLA watch: due breaches and store are required")
	}
	now := time.Now
	if w.Now != nil {
		now = w.Now
	}
	due, err := w.Due.DueBreaches(ctx)
	if err != nil {
		return 0, fmt.Errorf("SLA watch: %w", err)
	}
	raised := 0
	for _, b := range due {
		data, err := json.Marshal(partner.NewSLABreached(partner.SLABreachedData{Partner: b.Partner, Metric: b.Metric,
			Reference: b.Reference, Promised: b.Promised, Actual: b.Actual, RaisedAt: now().UTC(), Evidence: b.Evidence}))
		if err != nil {
			return raised, err
		}
		res, err := w.Store.Append(ctx, partner.SLABreachStreamID(b.Partner, b.Metric, b.Reference), eventstore.Any, eventstore.EventData{
			ID: eventstore.DeriveID("sla-breach:"+b.Partner+"|"+b.Metric+"|"+b.Reference, 0), Type: partner.EventSLABreached, Data: data,
			Metadata: eventstore.Metadata{PartnerID: b.Partner, Source: "crossdock:sla-watch"},
		})
		if errors.Is(err, eventstore.ErrDuplicateEvent) {
			continue // raised before: the view has not caught up with it yet
		}
		if err != nil {
			return raised, fmt.Errorf("raise SLA breach %s of %s on %s: %w", b.Metric, b.Partner, b.Reference, err)
		}
		if !res.Duplicate {
			raised++
			if w.Logger != nil {
				w.Logger.WarnContext(ctx, "partner SLA breached", "partner", b.Partner, "metric", b.Metric, "reference", b.Reference,
					"promised", b.Promised, "actual", b.Actual)
			}
		}
	}
	return raised, nil
}
