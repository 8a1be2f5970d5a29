package commands

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"

	"github.com/crossdock-hub/crossdock/domain/order"
	"github.com/crossdock-hub/crossdock/domain/product"
)

// OdooRecordsHandler records what Odoo did on its own side, read by the capture: pickings validated and
// vendor bills posted (on the order's stream), products changed (on the product's).
type OdooRecordsHandler struct {
	rec recorder
}

// NewOdooRecordsHandler returns a handler appending to store.
func NewOdooRecordsHandler(store StreamStore, logger *slog.Logger) (*OdooRecordsHandler, error) {
	if store == nil {
		return nil, errors.New("odoo records: nil store")
	}
	if logger == nil {
		logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	return &OdooRecordsHandler{rec: recorder{store: store, logger: logger, page: 500}}, nil
}

// RecordOdooPicking asks to record a picking validated in Odoo on the stream of its order (Stream).
type RecordOdooPicking struct {
	Message Message
	Stream  string
	Picking order.OdooPickingData
}

// Picking records it; a picking recorded before records nothing.
func (h *OdooRecordsHandler) Picking(ctx context.Context, cmd RecordOdooPicking) (StreamResult, error) {
	if err := cmd.Message.Validate(); err != nil {
		return StreamResult{}, fmt.Errorf("record odoo picking: %w", err)
	}
	return record(ctx, &h.rec, write[*order.Order]{stream: cmd.Stream, key: cmd.Message.Key, msg: cmd.Message,
		occurredAt: cmd.Picking.DoneAt, fresh: order.New,
		decide: func(o *order.Order) ([]event, string, error) {
			events, err := asEvents(o.RecordOdooPicking(cmd.Picking))
			return events, OutcomeUnchanged, err
		}})
}

// RecordOdooBill asks to record a vendor bill posted in Odoo on the stream of its purchase order.
type RecordOdooBill struct {
	Message Message
	Stream  string
	Bill    order.OdooBillData
}

// Bill records it; a bill recorded before records nothing.
func (h *OdooRecordsHandler) Bill(ctx context.Context, cmd RecordOdooBill) (StreamResult, error) {
	if err := cmd.Message.Validate(); err != nil {
		return StreamResult{}, fmt.Errorf("record odoo bill: %w", err)
	}
	return record(ctx, &h.rec, write[*order.Order]{stream: cmd.Stream, key: cmd.Message.Key, msg: cmd.Message,
		occurredAt: cmd.Bill.Date, fresh: order.New,
		decide: func(o *order.Order) ([]event, string, error) {
			events, err := asEvents(o.RecordOdooBill(cmd.Bill))
			return events, OutcomeUnchanged, err
		}})
}

// RecordOdooProduct asks to record a product as read from Odoo database.
type RecordOdooProduct struct {
	Message  Message
	Database string
	Product  product.Data
}

// Product records it when it is new or changed.
func (h *OdooRecordsHandler) Product(ctx context.Context, cmd RecordOdooProduct) (StreamResult, error) {
	if err := cmd.Message.Validate(); err != nil {
		return StreamResult{}, fmt.Errorf("record odoo product: %w", err)
	}
	return record(ctx, &h.rec, write[*product.Product]{stream: product.StreamID(cmd.Database, cmd.Product.ID), key: cmd.Message.Key,
		msg: cmd.Message, fresh: product.New,
		decide: func(p *product.Product) ([]event, string, error) {
			events, err := asEvents(p.Read(cmd.Product))
			return events, OutcomeUnchanged, err
		}})
}
