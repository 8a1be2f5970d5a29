package workflows

import (
	"context"
	"errors"
	"fmt"
	"sort"

	"github.com/shopspring/decimal"

	"github.com/crossdock-hub/crossdock/eventstore"
)

// PlanWouldValidate is the outcome of a plan that found the document's picking open in Odoo.
const PlanWouldValidate = "would_validate"

// Plan outcomes beside the booker's (receipt.BookingAlreadyDone, PlanWouldValidate).
const (
	// PlanRefused: Odoo would refuse the document (Reason says why); a real run records a dead letter.
	PlanRefused = "refused"
	// PlanWouldCreate: the record (a vendor bill) is not in Odoo and would be made.
	PlanWouldCreate = "would_create"
	// PlanHeld: nothing would be written: the document waits (a bill the three-way match holds, or whose
	// goods Odoo has not received); Reason says why.
	PlanHeld = "held"
)

// Plan is what a re-drive would do for one document, and what Odoo already has.
type Plan struct {
	// Event is the event the workflow reacts to: its ID and stream name the document.
	Event eventstore.Event
	// Workflow is the workflow's name; Document names the document ("receipt RCV-1 of northwind").
	Workflow, Document string
	// Outcome is receipt.BookingAlreadyDone (nothing to write), PlanWouldValidate or PlanRefused.
	Outcome string
	// Picking is the Odoo record the document is (or would be) booked on — a picking, or a vendor bill
	// ("account.move 7"); Backorder the picking holding the rest, when Odoo has it.
	Picking, Backorder string
	// Lines are, per product, what would be written and what Odoo has.
	Lines []PlanLine
	// Reason says why Odoo would refuse it.
	Reason string
}

// PlanLine is one product of a plan.
type PlanLine struct {
	Product string
	// Write is the done quantity the workflow would write; Odoo the one the picking holds now.
	Write, Odoo decimal.Decimal
}

// Planner is a workflow that can say what it would do with events without doing it: a dry-run re-drive.
type Planner interface {
	Plan(ctx context.Context, events []eventstore.Event) ([]Plan, error)
}

// Plan implements Planner: the events the workflow reacts to, each asked of Odoo without writing.
func (w *ReceiptsToOdoo) Plan(ctx context.Context, events []eventstore.Event) ([]Plan, error) {
	var plans []Plan
	for _, ev := range events {
		d, revision, b, refused, ok, err := w.receiptOf(ev)
		if err != nil {
			return plans, fmt.Errorf("receipt event %s: %w", ev.ID, err)
		}
		if !ok {
			continue
		}
		doc := fmt.Sprintf("receipt %s of %s", d.ReceiptNumber, d.Partner)
		if revision > 1 {
			doc += fmt.Sprintf(" (revision %d)", revision)
		}
		p := Plan{Event: ev, Workflow: ReceiptsName, Document: doc}
		if refused != "" {
			p.Outcome, p.Reason = PlanRefused, refused
			plans = append(plans, p)
			continue
		}
		booked, err := w.cfg.Booker.PlanReceipt(ctx, b)
		if err = p.fill(booked, err); err != nil {
			return plans, fmt.Errorf("%s: %w", doc, err)
		}
		plans = append(plans, p)
	}
	return plans, nil
}

// Plan implements Planner.
func (w *ShipmentsToOdoo) Plan(ctx context.Context, events []eventstore.Event) ([]Plan, error) {
	var plans []Plan
	for _, ev := range events {
		d, s, ok, err := w.shipmentOf(ev)
		if err != nil {
			return plans, fmt.Errorf("shipment event %s: %w", ev.ID, err)
		}
		if !ok {
			continue
		}
		p := Plan{Event: ev, Workflow: ShipmentsName, Document: fmt.Sprintf("shipment %s of %s for order %s", s.Reference, d.Partner, s.Order)}
		booked, err := w.cfg.Booker.PlanShipment(ctx, s)
		if err = p.fill(booked, err); err != nil {
			return plans, fmt.Errorf("%s: %w", p.Document, err)
		}
		plans = append(plans, p)
	}
	return plans, nil
}

// fill takes the booker's answer to a plan; an ErrLater is returned, any other error is Odoo's refusal.
func (p *Plan) fill(booked Booked, err error) error {
	switch {
	case errors.Is(err, ErrLater):
		return err
	case err != nil:
		p.Outcome, p.Reason = PlanRefused, err.Error()
		return nil
	}
	p.Outcome, p.Picking, p.Backorder = booked.Outcome, booked.Picking, booked.Backorder
	products := make([]string, 0, len(booked.Writes))
	for product := range booked.Writes {
		products = append(products, product)
	}
	sort.Strings(products)
	for _, product := range products {
		p.Lines = append(p.Lines, PlanLine{Product: product, Write: booked.Writes[product], Odoo: booked.Odoo[product]})
	}
	return nil
}
