package commands

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"

	"github.com/google/uuid"

	"github.com/crossdock-hub/crossdock/domain/shipment"
	"github.com/crossdock-hub/crossdock/eventstore"
)

// StreamStore is the part of eventstore.Store a command handler needs: read one stream, append to it.
type StreamStore interface {
	Append(ctx context.Context, stream string, expected eventstore.ExpectedVersion, events ...eventstore.EventData) (eventstore.AppendResult, error)
	ReadStream(ctx context.Context, stream string, from int64, limit int) ([]eventstore.Event, error)
}

// ReceiveASN asks to record an advance ship notice sent by Message.PartnerID.
type ReceiveASN struct {
	Message Message
	ASN     shipment.ASN
	// OverShip, when set, checks the ASN against its purchase order (shipment.Shipment.ReceiveASNAgainst):
	// an over-shipped product adds a shipment.overship_flagged.v1 to the same append. Nil: no check.
	OverShip *shipment.OverShipCheck
}

// ASNOutcome says what a received ASN did to its shipment.
type ASNOutcome string

// ASN outcomes.
const (
	// ASNReceived: the first ASN of the shipment was recorded.
	ASNReceived ASNOutcome = "received"
	// ASNRevised: the ASN changed an earlier one with the same number.
	ASNRevised ASNOutcome = "revised"
	// ASNUnchanged: the ASN carried the content already recorded; nothing was appended.
	ASNUnchanged ASNOutcome = "unchanged"
)

// ReceiveASNResult says what happened.
type ReceiveASNResult struct {
	StreamID string
	// StreamVersion is the version of the shipment's stream after the command.
	StreamVersion int64
	// EventIDs are the IDs of the events this message produced: appended now, or by an earlier handling
	// of the same message. Empty when the ASN changed nothing.
	EventIDs []uuid.UUID
	Outcome  ASNOutcome
	// Duplicate is true when nothing was appended: the content was already recorded, by this message
	// handled before (a retry) or by another carrying the same ASN.
	Duplicate bool
}

// ReceiveASNConfig configures ReceiveASNHandler.
type ReceiveASNConfig struct {
	// Logger receives the handler's logs. Default: discarded.
	Logger *slog.Logger
	// PageSize is how many events are read per ReadStream call when loading a shipment. Default: 500.
	PageSize int
}

func (c *ReceiveASNConfig) setDefaults() {
	if c.Logger == nil {
		c.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if c.PageSize == 0 {
		c.PageSize = 500
	}
}

// Validate reports every invalid field.
func (c ReceiveASNConfig) Validate() error {
	var errs []error
	if c.PageSize < 0 {
		errs = append(errs, fmt.Errorf("page size %d is negative", c.PageSize))
	}
	return errors.Join(errs...)
}

// ReceiveASNHandler records ASNs on their shipment's stream.
type ReceiveASNHandler struct {
	store  StreamStore
	logger *slog.Logger
	page   int
}

// NewReceiveASNHandler returns a handler appending to store.
func NewReceiveASNHandler(store StreamStore, cfg ReceiveASNConfig) (*ReceiveASNHandler, error) {
	cfg.setDefaults()
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("receive ASN config: %w", err)
	}
	if store == nil {
		return nil, errors.New("receive ASN: nil store")
	}
	return &ReceiveASNHandler{store: store, logger: cfg.Logger, page: cfg.PageSize}, nil
}

// Handle loads the shipment, decides, and appends at the exact version it loaded. Losing a race with
// another writer of the same shipment (ErrConcurrency) is retried once from a fresh load; the decision
// may then differ, e.g. become a no-op when the winner carried the same content. An ASN that breaks a
// domain rule returns the *shipment.ValidationError.
func (h *ReceiveASNHandler) Handle(ctx context.Context, cmd ReceiveASN) (ReceiveASNResult, error) {
	if err := cmd.Message.Validate(); err != nil {
		return ReceiveASNResult{}, fmt.Errorf("receive ASN: %w", err)
	}
	// The stream belongs to the sender: an ASN number is only unique per partner.
	cmd.ASN.Supplier = cmd.Message.PartnerID
	if err := cmd.ASN.Validate(); err != nil {
		return ReceiveASNResult{}, err
	}
	stream := shipment.StreamID(cmd.Message.PartnerID, cmd.ASN.ASNNumber)

	res, err := h.try(ctx, stream, cmd)
	if errors.Is(err, eventstore.ErrConcurrency) {
		h.logger.InfoContext(ctx, "shipment changed while deciding, retrying", "stream", stream,
			"message_id", cmd.Message.ID)
		res, err = h.try(ctx, stream, cmd)
	}
	return res, err
}

func (h *ReceiveASNHandler) try(ctx context.Context, stream string, cmd ReceiveASN) (ReceiveASNResult, error) {
	s, stored, err := h.load(ctx, stream)
	if err != nil {
		return ReceiveASNResult{}, err
	}
	res := ReceiveASNResult{StreamID: stream, StreamVersion: s.Version()}

	// This message handled before (the answer lost, e.g. a crash after the append): report what it did
	// then instead of deciding again, which would now see its own content and call it unchanged.
	if earlier := eventsOf(stored, cmd.Message.Key); len(earlier) > 0 {
		res.Duplicate = true
		res.Outcome = ASNRevised
		for _, ev := range earlier {
			res.EventIDs = append(res.EventIDs, ev.ID)
			if ev.Type == shipment.EventASNReceived {
				res.Outcome = ASNReceived
			}
		}
		return res, nil
	}

	decided, err := s.ReceiveASNAgainst(cmd.ASN, cmd.OverShip)
	if err != nil {
		return ReceiveASNResult{}, err
	}
	if len(decided) == 0 {
		res.Outcome, res.Duplicate, res.EventIDs = ASNUnchanged, true, []uuid.UUID{}
		return res, nil
	}

	meta := eventstore.Metadata{
		CorrelationID: cmd.Message.CorrelationID,
		CausationID:   cmd.Message.CausationID,
		MessageID:     cmd.Message.ID,
		PartnerID:     cmd.Message.PartnerID,
		Source:        cmd.Message.Source,
		Actor:         cmd.Message.Actor,
		OccurredAt:    cmd.ASN.ShipDate.UTC(),
	}
	if meta.OccurredAt.IsZero() {
		meta.OccurredAt = cmd.Message.ReceivedAt.UTC()
	}
	events := make([]eventstore.EventData, len(decided))
	for i, e := range decided {
		data, err := json.Marshal(e)
		if err != nil {
			return ReceiveASNResult{}, fmt.Errorf("encode %s: %w", e.EventType(), err)
		}
		events[i] = eventstore.EventData{
			ID:       eventstore.DeriveID(cmd.Message.Key, i),
			Type:     e.EventType(),
			Data:     data,
			Metadata: meta,
		}
		res.EventIDs = append(res.EventIDs, events[i].ID)
		switch e.(type) {
		case shipment.ASNReceived:
			res.Outcome = ASNReceived
		case shipment.ASNRevised:
			res.Outcome = ASNRevised
		}
	}

	ar, err := h.store.Append(ctx, stream, eventstore.Exact(s.Version()), events...)
	if err != nil {
		return ReceiveASNResult{}, fmt.Errorf("append to %s at %d: %w", stream, s.Version(), err)
	}
	res.StreamVersion, res.Duplicate = ar.StreamVersion, ar.Duplicate
	h.logger.InfoContext(ctx, "ASN recorded", "stream", stream, "outcome", string(res.Outcome),
		"version", ar.StreamVersion, "message_id", cmd.Message.ID, "correlation_id", cmd.Message.CorrelationID)
	return res, nil
}

// load rebuilds the shipment from its whole stream; a missing stream is a new shipment.
func (h *ReceiveASNHandler) load(ctx context.Context, stream string) (*shipment.Shipment, []eventstore.Event, error) {
	s := shipment.New()
	all, err := loadInto(ctx, h.store, h.page, stream, s)
	if err != nil {
		return nil, nil, err
	}
	return s, all, nil
}

// eventsOf returns the stored events whose IDs were derived from message key: those the message
// appended when it was handled before.
func eventsOf(stored []eventstore.Event, key string) []eventstore.Event {
	var out []eventstore.Event
	for i := 0; ; i++ {
		id := eventstore.DeriveID(key, i)
		found := false
		for _, ev := range stored {
			if ev.ID == id {
				out = append(out, ev)
				found = true
				break
			}
		}
		if !found {
			return out
		}
	}
}
