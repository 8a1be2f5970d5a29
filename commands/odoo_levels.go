package commands

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"

	"github.com/crossdock-hub/crossdock/domain/inventory"
)

// RecordOdooLevels records a reading of Odoo's levels at a warehouse (the Odoo connector's poller, or
// an admin call standing in for it). A reading not newer than the last recorded is ignored.
type RecordOdooLevels struct {
	Message Message
	Levels  inventory.OdooLevelsData
}

// RecordOdooValidation records Odoo's validation of the picking that books a warehouse's receipt or
// shipment; a validation recorded before is ignored.
type RecordOdooValidation struct {
	Message    Message
	Validation inventory.OdooPickingValidatedData
}

// OdooInventoryHandler records Odoo's side of warehouses on "inventory-odoo:<warehouse>".
type OdooInventoryHandler struct {
	rec recorder
}

// NewOdooInventoryHandler returns a handler appending to store.
func NewOdooInventoryHandler(store StreamStore, logger *slog.Logger) (*OdooInventoryHandler, error) {
	if store == nil {
		return nil, errors.New("odoo inventory: nil store")
	}
	if logger == nil {
		logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	return &OdooInventoryHandler{rec: recorder{store: store, logger: logger, page: 500}}, nil
}

// Levels records a reading. A reading that breaks a rule is a *domain.ValidationError and records nothing.
func (h *OdooInventoryHandler) Levels(ctx context.Context, cmd RecordOdooLevels) (StreamResult, error) {
	if err := cmd.Message.Validate(); err != nil {
		return StreamResult{}, fmt.Errorf("record odoo levels: %w", err)
	}
	return record(ctx, &h.rec, write[*inventory.OdooWarehouse]{
		stream:     inventory.OdooStreamID(cmd.Levels.Warehouse),
		key:        cmd.Message.Key,
		msg:        cmd.Message,
		occurredAt: cmd.Levels.AsOf,
		fresh:      inventory.NewOdooWarehouse,
		decide: func(w *inventory.OdooWarehouse) ([]event, string, error) {
			events, err := asEvents(w.RecordLevels(cmd.Levels))
			return events, OutcomeUnchanged, err
		},
	})
}

// Validation records a picking's validation.
func (h *OdooInventoryHandler) Validation(ctx context.Context, cmd RecordOdooValidation) (StreamResult, error) {
	if err := cmd.Message.Validate(); err != nil {
		return StreamResult{}, fmt.Errorf("record odoo validation: %w", err)
	}
	return record(ctx, &h.rec, write[*inventory.OdooWarehouse]{
		stream:     inventory.OdooStreamID(cmd.Validation.Warehouse),
		key:        cmd.Message.Key,
		msg:        cmd.Message,
		occurredAt: cmd.Validation.ValidatedAt,
		fresh:      inventory.NewOdooWarehouse,
		decide: func(w *inventory.OdooWarehouse) ([]event, string, error) {
			events, err := asEvents(w.RecordValidation(cmd.Validation))
			return events, OutcomeUnchanged, err
		},
	})
}
