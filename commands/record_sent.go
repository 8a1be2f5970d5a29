package commands

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"

	"github.com/crossdock-hub/crossdock/domain/order"
)

// RecordOrderSent records what became of an order Crossdock sends a partner (the sending workflow), on
// the order's stream (Stream): exactly one of Sent and Failed.
type RecordOrderSent struct {
	Message Message
	Stream  string
	Sent    *order.SentData
	Failed  *order.SendFailedData
}

// OrderSentHandler records order sendings.
type OrderSentHandler struct {
	rec recorder
}

// NewOrderSentHandler returns a handler appending to store.
func NewOrderSentHandler(store StreamStore, logger *slog.Logger) (*OrderSentHandler, error) {
	if store == nil {
		return nil, errors.New("order sent: nil store")
	}
	if logger == nil {
		logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	return &OrderSentHandler{rec: recorder{store: store, logger: logger, page: 500}}, nil
}

// RecordSent appends the sending or its failure; a revision already recorded as sent records nothing.
func (h *OrderSentHandler) RecordSent(ctx context.Context, cmd RecordOrderSent) (StreamResult, error) {
	if err := cmd.Message.Validate(); err != nil {
		return StreamResult{}, fmt.Errorf("record order sent: %w", err)
	}
	return record(ctx, &h.rec, write[*order.Order]{
		stream: cmd.Stream,
		key:    cmd.Message.Key,
		msg:    cmd.Message,
		fresh:  order.New,
		decide: func(o *order.Order) ([]event, string, error) {
			events, err := asEvents(o.RecordSent(cmd.Sent, cmd.Failed))
			return events, OutcomeUnchanged, err
		},
	})
}

// OrderSent reports whether revision of the order on stream was recorded as sent.
func (h *OrderSentHandler) OrderSent(ctx context.Context, stream string, revision int) (bool, error) {
	o := order.New()
	if _, err := loadInto(ctx, h.rec.store, h.rec.page, stream, o); err != nil {
		return false, err
	}
	return o.Sent(revision), nil
}
