package invoice

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
)

// What became of a supplier's invoice in Odoo: a draft vendor bill made from its purchase order once the
// three-way match finds it matched, no bill while it is held (and why), or Odoo's refusal. Recorded on
// the invoice's stream, so the timeline shows them beside the invoice.
const (
	EventBilledInOdoo   = "invoice.billed_in_odoo.v1"
	EventBillHeld       = "invoice.bill_held.v1"
	EventOdooBillFailed = "invoice.odoo_bill_failed.v1"
	// EventOdooBillDeferred: Odoo could not be reached when the bill was to be made; the workflow waits
	// and tries again.
	EventOdooBillDeferred = "invoice.odoo_bill_deferred.v1"
)

// Billing outcomes.
const (
	// BillCreated: the draft bill was made now.
	BillCreated = "created"
	// BillAlreadyDone: an earlier run made it; nothing was written.
	BillAlreadyDone = "already_done"
)

// BilledData is the payload of invoice.billed_in_odoo.v1.
type BilledData struct {
	InvoiceNumber string `json:"invoice_number"`
	Partner       string `json:"partner"`
	PONumber      string `json:"po_number"`
	// Outcome is BillCreated or BillAlreadyDone.
	Outcome string `json:"outcome"`
	// BillID is the vendor bill (account.move) in Odoo; State its state when it was made or found.
	BillID int64  `json:"bill_id"`
	State  string `json:"state"`
}

// BilledInOdoo records the invoice's draft vendor bill.
type BilledInOdoo struct {
	BilledData
}

// EventType implements Event.
func (BilledInOdoo) EventType() string { return EventBilledInOdoo }

// BillHeldData is the payload of invoice.bill_held.v1: the three-way match holds the invoice, so no bill
// is made for it; Reasons are the match's findings. A bill follows once the match finds it matched.
type BillHeldData struct {
	InvoiceNumber string   `json:"invoice_number"`
	Partner       string   `json:"partner"`
	PONumber      string   `json:"po_number"`
	Reasons       []string `json:"reasons"`
}

// BillHeld records an invoice not billed, with why.
type BillHeld struct {
	BillHeldData
}

// EventType implements Event.
func (BillHeld) EventType() string { return EventBillHeld }

// BillFailedData is the payload of invoice.odoo_bill_failed.v1: Odoo did not make the bill (no such
// order, nothing left to bill, Odoo's refusal): a dead letter, to retry once the cause is fixed.
type BillFailedData struct {
	InvoiceNumber string `json:"invoice_number"`
	Partner       string `json:"partner"`
	PONumber      string `json:"po_number"`
	Reason        string `json:"reason"`
}

// OdooBillFailed records a bill Odoo did not make.
type OdooBillFailed struct {
	BillFailedData
}

// EventType implements Event.
func (OdooBillFailed) EventType() string { return EventOdooBillFailed }

// BillDeferredData is the payload of invoice.odoo_bill_deferred.v1.
type BillDeferredData struct {
	InvoiceNumber string `json:"invoice_number"`
	Partner       string `json:"partner"`
	PONumber      string `json:"po_number"`
	Reason        string `json:"reason"`
}

// OdooBillDeferred records a bill put off until Odoo answers.
type OdooBillDeferred struct {
	BillDeferredData
}

// EventType implements Event.
func (OdooBillDeferred) EventType() string { return EventOdooBillDeferred }

// DeferBilling decides what Odoo not answering means: a deferral, unless the bill is already made.
func (a *Aggregate) DeferBilling(d BillDeferredData) ([]Event, error) {
	if _, ok := a.Current(); !ok {
		return nil, errors.New("defer billing: the invoice was never received")
	}
	if a.billing.billed {
		return nil, nil
	}
	return []Event{OdooBillDeferred{BillDeferredData: d}}, nil
}

// billing is what the invoice's stream says of its bill.
type billing struct {
	billed bool
	// held are the reasons last recorded for holding it, nil when it is not held.
	held []string
}

func (b *billing) apply(eventType string, data []byte) error {
	switch eventType {
	case EventBilledInOdoo:
		b.billed, b.held = true, nil
	case EventBillHeld:
		var d BillHeldData
		if err := json.Unmarshal(data, &d); err != nil {
			return err
		}
		b.held = d.Reasons
	}
	return nil
}

// Billed reports whether the invoice's bill is recorded as made in Odoo.
func (a *Aggregate) Billed() bool { return a.billing.billed }

// RecordBilling decides what the billing workflow's finding means; exactly one of billed, held and failed
// is given. Once the bill is recorded, nothing more is: Odoo saying again it has it (a re-drive), or the
// invoice held after it was billed. A hold with the reasons last recorded decides nothing either.
func (a *Aggregate) RecordBilling(billed *BilledData, held *BillHeldData, failed *BillFailedData) ([]Event, error) {
	n := 0
	for _, given := range []bool{billed != nil, held != nil, failed != nil} {
		if given {
			n++
		}
	}
	if n != 1 {
		return nil, errors.New("record billing: give exactly one of the bill, the hold and the failure")
	}
	if _, ok := a.Current(); !ok {
		return nil, errors.New("record billing: the invoice was never received")
	}
	switch {
	case a.billing.billed:
		return nil, nil
	case billed != nil:
		return []Event{BilledInOdoo{BilledData: *billed}}, nil
	case held != nil:
		if a.billing.held != nil && slices.Equal(a.billing.held, held.Reasons) {
			return nil, nil
		}
		return []Event{BillHeld{BillHeldData: *held}}, nil
	default:
		return []Event{OdooBillFailed{BillFailedData: *failed}}, nil
	}
}

// Apply folds one stored event into the invoice.
func (a *Aggregate) Apply(eventType string, data []byte) error {
	if err := a.billing.apply(eventType, data); err != nil {
		return fmt.Errorf("apply %s at version %d: %w", eventType, a.Version()+1, err)
	}
	return a.Revisions.Apply(eventType, data)
}
