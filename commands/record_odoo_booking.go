package commands

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"

	"github.com/crossdock-hub/crossdock/domain/receipt"
)

// RecordReceiptBooking records what Odoo answered when a receipt was booked there (the receipts
// workflow): exactly one of Booked and Failed. Message.Key seeds the event's ID: the workflow derives it
// from the receipt's event and the outcome, so the same outcome recorded again is recognised.
type RecordReceiptBooking struct {
	Message Message
	Partner string
	Number  string
	Booked  *receipt.OdooBookingData
	Failed  *receipt.OdooBookingFailedData
}

// ReceiptBookingHandler records Odoo's answers on the receipt's stream.
type ReceiptBookingHandler struct {
	rec recorder
}

// NewReceiptBookingHandler returns a handler appending to store.
func NewReceiptBookingHandler(store StreamStore, logger *slog.Logger) (*ReceiptBookingHandler, error) {
	if store == nil {
		return nil, errors.New("receipt booking: nil store")
	}
	if logger == nil {
		logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	return &ReceiptBookingHandler{rec: recorder{store: store, logger: logger, page: 500}}, nil
}

// Record appends the answer.
func (h *ReceiptBookingHandler) Record(ctx context.Context, cmd RecordReceiptBooking) (StreamResult, error) {
	if err := cmd.Message.Validate(); err != nil {
		return StreamResult{}, fmt.Errorf("record receipt booking: %w", err)
	}
	return record(ctx, &h.rec, write[*receipt.Aggregate]{
		stream: receipt.StreamID(cmd.Partner, cmd.Number),
		key:    cmd.Message.Key,
		msg:    cmd.Message,
		fresh:  receipt.New,
		decide: func(a *receipt.Aggregate) ([]event, string, error) {
			events, err := asEvents(a.RecordOdooBooking(cmd.Booked, cmd.Failed))
			return events, OutcomeUnchanged, err
		},
	})
}
