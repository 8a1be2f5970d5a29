package commands

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/google/uuid"

	"github.com/crossdock-hub/crossdock/eventstore"
)

// aggregate is what recording needs of a domain aggregate: rebuilt event by event, at a version.
type aggregate interface {
	Apply(eventType string, data []byte) error
	Version() int64
}

// event is a domain event: each domain package has its own Event interface of this shape.
type event interface {
	EventType() string
}

// occurred is an event that carries its own business time (a carrier milestone's instant), which then
// becomes its metadata occurred_at instead of the document's.
type occurred interface {
	OccurredAt() time.Time
}

// asEvents widens a domain package's events.
func asEvents[E event](es []E, err error) ([]event, error) {
	if err != nil {
		return nil, err
	}
	out := make([]event, len(es))
	for i, e := range es {
		out[i] = e
	}
	return out, nil
}

// write is one decision to record on one stream.
type write[A aggregate] struct {
	stream string
	// key seeds the event IDs (eventstore.DeriveID(key, i)): the message key, or the message key and the
	// stream when one message writes to several streams.
	key string
	msg Message
	// occurredAt is the document's business time; zero means the message's receipt time.
	occurredAt time.Time
	fresh      func() A
	// decide asks the loaded aggregate. With no events, none is the outcome ("" means unchanged).
	decide func(A) (events []event, none string, err error)
}

// recorder loads aggregates from their streams and appends what they decided, at the exact version
// loaded, retrying once from a fresh load when another writer got there first.
type recorder struct {
	store  StreamStore
	logger *slog.Logger
	page   int
}

// record decides and appends w. A message handled before (its events' IDs already on the stream) is
// answered with what it did then, without deciding again: deciding now would see its own content and
// call it unchanged.
func record[A aggregate](ctx context.Context, r *recorder, w write[A]) (StreamResult, error) {
	res, err := recordOnce(ctx, r, w)
	if errors.Is(err, eventstore.ErrConcurrency) {
		r.logger.InfoContext(ctx, "stream changed while deciding, retrying", "stream", w.stream, "message_id", w.msg.ID)
		res, err = recordOnce(ctx, r, w)
	}
	return res, err
}

func recordOnce[A aggregate](ctx context.Context, r *recorder, w write[A]) (StreamResult, error) {
	agg := w.fresh()
	stored, err := loadInto(ctx, r.store, r.page, w.stream, agg)
	if err != nil {
		return StreamResult{}, err
	}
	res := StreamResult{StreamID: w.stream, StreamVersion: agg.Version(), EventIDs: []uuid.UUID{}}

	if earlier := eventsOf(stored, w.key); len(earlier) > 0 {
		res.Duplicate, res.Outcome = true, outcomeOf(earlier[0].Type)
		for _, ev := range earlier {
			res.EventIDs = append(res.EventIDs, ev.ID)
		}
		return res, nil
	}

	decided, none, err := w.decide(agg)
	if err != nil {
		return StreamResult{}, err
	}
	if len(decided) == 0 {
		res.Duplicate, res.Outcome = true, none
		if res.Outcome == "" {
			res.Outcome = OutcomeUnchanged
		}
		return res, nil
	}

	meta := eventstore.Metadata{
		CorrelationID: w.msg.CorrelationID,
		CausationID:   w.msg.CausationID,
		MessageID:     w.msg.ID,
		PartnerID:     w.msg.PartnerID,
		Source:        w.msg.Source,
		Actor:         w.msg.Actor,
		OccurredAt:    w.occurredAt.UTC(),
	}
	if meta.OccurredAt.IsZero() {
		meta.OccurredAt = w.msg.ReceivedAt.UTC()
	}
	events := make([]eventstore.EventData, len(decided))
	for i, e := range decided {
		data, err := json.Marshal(e)
		if err != nil {
			return StreamResult{}, fmt.Errorf("encode %s for %s: %w", e.EventType(), w.stream, err)
		}
		m := meta
		if o, ok := e.(occurred); ok && !o.OccurredAt().IsZero() {
			m.OccurredAt = o.OccurredAt().UTC()
		}
		events[i] = eventstore.EventData{ID: eventstore.DeriveID(w.key, i), Type: e.EventType(), Data: data, Metadata: m}
		res.EventIDs = append(res.EventIDs, events[i].ID)
	}
	res.Outcome = outcomeOf(decided[0].EventType())

	ar, err := r.store.Append(ctx, w.stream, eventstore.Exact(agg.Version()), events...)
	if err != nil {
		return StreamResult{}, fmt.Errorf("append to %s at %d: %w", w.stream, agg.Version(), err)
	}
	res.StreamVersion, res.Duplicate = ar.StreamVersion, ar.Duplicate
	r.logger.InfoContext(ctx, "document recorded", "stream", w.stream, "outcome", res.Outcome,
		"events", len(events), "version", ar.StreamVersion, "message_id", w.msg.ID, "correlation_id", w.msg.CorrelationID)
	return res, nil
}

// loadInto rebuilds agg from its whole stream, page by page, and returns the stored events; a missing
// stream leaves agg new.
func loadInto(ctx context.Context, store StreamStore, page int, stream string, agg aggregate) ([]eventstore.Event, error) {
	var all []eventstore.Event
	for from := int64(1); ; {
		events, err := store.ReadStream(ctx, stream, from, page)
		if errors.Is(err, eventstore.ErrStreamNotFound) {
			return all, nil
		}
		if err != nil {
			return nil, fmt.Errorf("read %s from %d: %w", stream, from, err)
		}
		for _, ev := range events {
			if err := agg.Apply(ev.Type, ev.Data); err != nil {
				return nil, fmt.Errorf("load %s: %w", stream, err)
			}
		}
		all = append(all, events...)
		if len(events) < page {
			return all, nil
		}
		from += int64(len(events))
	}
}
