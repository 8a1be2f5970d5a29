package queries

import (
	"context"
	"fmt"
	"time"

	"github.com/graphql-go/graphql"

	"github.com/crossdock-hub/crossdock/projections"
	"github.com/crossdock-hub/crossdock/projections/timeline"
)

// MessageCount counts one partner's inbound messages on one channel with one outcome.
type MessageCount struct {
	PartnerID, Channel string
	// Outcome is the message's status in the archive: received (being handled), accepted, rejected
	// (quarantined), parked (an exception awaiting a mapping) or failed.
	Outcome        string
	Count          int
	LastReceivedAt time.Time
}

// HealthSource gives what integrationHealth reports: the archive's message counts, the timeline's
// exception counts and the projections' state.
type HealthSource interface {
	CountMessages(ctx context.Context, since time.Time, partnerID string) ([]MessageCount, error)
	Exceptions(ctx context.Context, since time.Time, partnerID string) ([]timeline.ExceptionCount, error)
	Status(ctx context.Context) ([]projections.Status, error)
}

// healthValue is the source of IntegrationHealth.
type healthValue struct {
	since      time.Time
	messages   []MessageCount
	exceptions []timeline.ExceptionCount
	views      []projections.Status
}

// DefaultHealthWindow is the window integrationHealth counts over when the request names none.
const DefaultHealthWindow = 24 * time.Hour

func healthField(src HealthSource, errs errorPolicy, now func() time.Time) *graphql.Field {
	str := graphql.NewNonNull(graphql.String)
	integer := graphql.NewNonNull(graphql.Int)
	messages := graphql.NewObject(graphql.ObjectConfig{
		Name: "MessageCount",
		Fields: graphql.Fields{
			"partner": field[MessageCount](str, "", func(m MessageCount) any { return m.PartnerID }),
			"channel": field[MessageCount](str, `"http", "webhook:easypost", "inbox", "cli".`, func(m MessageCount) any { return m.Channel }),
			"outcome": field[MessageCount](str, "received (being handled), accepted, rejected (quarantined), parked (awaiting a mapping) or failed.",
				func(m MessageCount) any { return m.Outcome }),
			"count":          field[MessageCount](integer, "", func(m MessageCount) any { return m.Count }),
			"lastReceivedAt": field[MessageCount](graphql.String, "", func(m MessageCount) any { return timestamp(m.LastReceivedAt) }),
		},
	})
	exceptions := graphql.NewObject(graphql.ObjectConfig{
		Name: "ExceptionCount",
		Fields: graphql.Fields{
			"partner":        field[timeline.ExceptionCount](graphql.String, "", func(e timeline.ExceptionCount) any { return optional(e.PartnerID) }),
			"type":           field[timeline.ExceptionCount](str, `e.g. "invoice.exception_raised.v1".`, func(e timeline.ExceptionCount) any { return e.Type }),
			"count":          field[timeline.ExceptionCount](integer, "", func(e timeline.ExceptionCount) any { return e.Count }),
			"lastRecordedAt": field[timeline.ExceptionCount](graphql.String, "", func(e timeline.ExceptionCount) any { return timestamp(e.LastRecordedAt) }),
		},
	})
	view := graphql.NewObject(graphql.ObjectConfig{
		Name: "ViewLag",
		Fields: graphql.Fields{
			"name":  field[projections.Status](str, "", func(s projections.Status) any { return s.Name }),
			"state": field[projections.Status](str, "live, catching_up, rebuilding or failed.", func(s projections.Status) any { return string(s.State) }),
			"lag": field[projections.Status](graphql.NewNonNull(graphql.Float), "Events behind the log's head.",
				func(s projections.Status) any { return float64(s.Lag) }),
			"lastEventAt": field[projections.Status](graphql.String, "", func(s projections.Status) any { return timestamp(s.LastEventAt) }),
		},
	})
	list := func(t *graphql.Object) graphql.Output {
		return graphql.NewNonNull(graphql.NewList(graphql.NewNonNull(t)))
	}
	health := graphql.NewObject(graphql.ObjectConfig{
		Name:        "IntegrationHealth",
		Description: "How the integrations fare over a window: messages per partner, channel and outcome, exceptions raised, and how far each view lags.",
		Fields: graphql.Fields{
			"since":      field[healthValue](str, "The window's start.", func(h healthValue) any { return timestamp(h.since) }),
			"messages":   field[healthValue](list(messages), "", func(h healthValue) any { return nonNilSlice(h.messages) }),
			"exceptions": field[healthValue](list(exceptions), "", func(h healthValue) any { return nonNilSlice(h.exceptions) }),
			"views":      field[healthValue](list(view), "", func(h healthValue) any { return nonNilSlice(h.views) }),
		},
	})
	return &graphql.Field{
		Type:        graphql.NewNonNull(health),
		Description: fmt.Sprintf("Integration health since an instant (RFC 3339; the last %s when absent), for one partner or all.", DefaultHealthWindow),
		Args: graphql.FieldConfigArgument{
			"since":   {Type: graphql.String},
			"partner": {Type: graphql.String},
		},
		Resolve: func(p graphql.ResolveParams) (any, error) {
			h := healthValue{since: now().Add(-DefaultHealthWindow).UTC()}
			if s, ok := p.Args["since"].(string); ok && s != "" {
				t, err := time.Parse(time.RFC3339Nano, s)
				if err != nil {
					return nil, fmt.Errorf("since %q is not an RFC 3339 instant", s)
				}
				h.since = t.UTC()
			}
			partner, _ := p.Args["partner"].(string)
			var err error
			if h.messages, err = src.CountMessages(p.Context, h.since, partner); err != nil {
				return nil, errs.clientError(p.Context, err, "integrationHealth")
			}
			if h.exceptions, err = src.Exceptions(p.Context, h.since, partner); err != nil {
				return nil, errs.clientError(p.Context, err, "integrationHealth")
			}
			if h.views, err = src.Status(p.Context); err != nil {
				return nil, errs.clientError(p.Context, err, "integrationHealth")
			}
			return h, nil
		},
	}
}

func nonNilSlice[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
