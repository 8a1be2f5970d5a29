package inventory

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/crossdock-hub/crossdock/domain"
)

// OdooStreamID is the stream of Odoo's side of a warehouse: "inventory-odoo:<warehouse>".
func OdooStreamID(warehouse string) string { return "inventory-odoo:" + warehouse }

// OdooWarehouse is Odoo's side of one warehouse: its readings of the levels and its validations of the
// pickings that book the warehouse's receipts and shipments.
type OdooWarehouse struct {
	version   int64
	lastRead  time.Time
	validated map[string]bool
}

// NewOdooWarehouse returns a warehouse with no history.
func NewOdooWarehouse() *OdooWarehouse { return &OdooWarehouse{validated: map[string]bool{}} }

// Version implements the aggregate's stream version.
func (w *OdooWarehouse) Version() int64 { return w.version }

// Apply folds one stored event in.
func (w *OdooWarehouse) Apply(eventType string, data []byte) error {
	switch eventType {
	case EventOdooLevelsRead:
		var d OdooLevelsData
		if err := json.Unmarshal(data, &d); err != nil {
			return fmt.Errorf("apply %s at version %d: %w", eventType, w.version+1, err)
		}
		if d.AsOf.After(w.lastRead) {
			w.lastRead = d.AsOf
		}
	case EventOdooPickingValidated:
		var d OdooPickingValidatedData
		if err := json.Unmarshal(data, &d); err != nil {
			return fmt.Errorf("apply %s at version %d: %w", eventType, w.version+1, err)
		}
		w.validated[d.Kind+"\x00"+d.Reference] = true
	}
	w.version++
	return nil
}

// RecordLevels records a reading, unless one as of the same instant or later is recorded already (a
// reading delivered twice, or late): nothing is recorded then. A reading lists each product once; any
// quantity is taken, negative included (Odoo's quants go negative when stock is moved before it is
// counted).
func (w *OdooWarehouse) RecordLevels(d OdooLevelsData) ([]Event, error) {
	var vs []domain.Violation
	if strings.TrimSpace(d.Warehouse) == "" {
		vs = append(vs, domain.Violation{Field: "/warehouse", Reason: "is required"})
	}
	if d.AsOf.IsZero() {
		vs = append(vs, domain.Violation{Field: "/as_of", Reason: "is required"})
	}
	seen := map[string]int{}
	for i, l := range d.Levels {
		p := fmt.Sprintf("/levels/%d", i)
		if strings.TrimSpace(l.Product) == "" {
			vs = append(vs, domain.Violation{Field: p + "/product", Reason: "is required"})
		}
		if first, dup := seen[l.Product]; dup {
			vs = append(vs, domain.Violation{Field: p + "/product", Reason: fmt.Sprintf("%s is listed at /levels/%d already", l.Product, first)})
		}
		seen[l.Product] = i
	}
	if len(vs) > 0 {
		return nil, &domain.ValidationError{Document: "odoo levels", Violations: vs}
	}
	if !d.AsOf.After(w.lastRead) {
		return nil, nil
	}
	d.AsOf = d.AsOf.UTC()
	return []Event{OdooLevelsRead{OdooLevelsData: d}}, nil
}

// RecordValidation records Odoo's validation of a picking, once per kind and reference.
func (w *OdooWarehouse) RecordValidation(d OdooPickingValidatedData) ([]Event, error) {
	var vs []domain.Violation
	if strings.TrimSpace(d.Warehouse) == "" {
		vs = append(vs, domain.Violation{Field: "/warehouse", Reason: "is required"})
	}
	if d.Kind != PickingReceipt && d.Kind != PickingDelivery {
		vs = append(vs, domain.Violation{Field: "/kind", Reason: fmt.Sprintf("must be %q or %q", PickingReceipt, PickingDelivery)})
	}
	if strings.TrimSpace(d.Reference) == "" {
		vs = append(vs, domain.Violation{Field: "/reference", Reason: "is required: the warehouse's receipt number or shipment ID"})
	}
	if d.ValidatedAt.IsZero() {
		vs = append(vs, domain.Violation{Field: "/validated_at", Reason: "is required"})
	}
	if len(vs) > 0 {
		return nil, &domain.ValidationError{Document: "odoo picking validation", Violations: vs}
	}
	if w.validated[d.Kind+"\x00"+d.Reference] {
		return nil, nil
	}
	d.ValidatedAt = d.ValidatedAt.UTC()
	return []Event{OdooPickingValidated{OdooPickingValidatedData: d}}, nil
}
