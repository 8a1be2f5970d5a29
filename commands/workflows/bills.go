package workflows

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"log/slog"
	"slices"
	"strings"
	"time"

	"github.com/crossdock-hub/crossdock/commands"
	"github.com/crossdock-hub/crossdock/domain/invoice"
	"github.com/crossdock-hub/crossdock/domain/order"
	"github.com/crossdock-hub/crossdock/domain/receipt"
	"github.com/crossdock-hub/crossdock/eventstore"
	"github.com/crossdock-hub/crossdock/projections"
)

// InvoiceMatch is the three-way match's verdict on one supplier invoice.
type InvoiceMatch struct {
	Partner, Number, PONumber string
	// Type is invoice.TypeDebit or invoice.TypeCredit.
	Type string
	// Matched is true when the match finds the invoice matched; Reasons say why it is held otherwise.
	Matched bool
	Reasons []string
}

// MatchView reads the three-way match (projections/match, adapted in cmd/crossdock).
type MatchView interface {
	// Invoices returns the verdicts on the purchase order's invoices as the view stands once it has
	// applied the log up to at: ErrLater while it has not.
	Invoices(ctx context.Context, po string, at eventstore.Position) ([]InvoiceMatch, error)
}

// Bill is a matched invoice to enter in Odoo as a draft vendor bill.
type Bill struct {
	Partner, Number, PONumber string
	InvoiceDate               time.Time
	// Lines are the quantities invoiced per product.
	Lines []BookingLine
}

// ErrNotReceived is what a Biller answers when Odoo has not yet received (validated) what the invoice
// bills: the warehouse's receipt is not booked there yet. The invoice waits, held with that reason,
// and is billed when the receipt is booked in Odoo.
var ErrNotReceived = errors.New("not received in Odoo yet")

// BillMade is what the biller did: Outcome invoice.BillCreated or invoice.BillAlreadyDone.
type BillMade struct {
	Outcome string
	BillID  int64
	State   string
}

// Biller makes draft vendor bills in Odoo (adapters/odoodriver, adapted in cmd/crossdock); its errors
// are ErrLater when a later try may pass.
type Biller interface {
	CreateBill(ctx context.Context, b Bill) (BillMade, error)
	// PlanBill says what CreateBill would do, writing nothing: Outcome invoice.BillAlreadyDone or
	// PlanWouldCreate.
	PlanBill(ctx context.Context, b Bill) (BillMade, error)
}

// BillingRecorder records the workflow's findings on the invoice's stream, and reads the invoice:
// *commands.OdooBookingHandler.
type BillingRecorder interface {
	RecordBilling(ctx context.Context, cmd commands.RecordInvoiceBilling) (commands.StreamResult, error)
	Invoice(ctx context.Context, partner, number string) (d invoice.InvoiceData, billed, found bool, err error)
}

// BillsConfig configures BillsToOdoo.
type BillsConfig struct {
	Matches  MatchView
	Biller   Biller
	Billings BillingRecorder
	Source   string
	Now      func() time.Time
	Logger   *slog.Logger
}

// BillsName is the workflow's name among the projections.
const BillsName = "workflow_bills_to_odoo"

// BillsToOdoo makes the draft vendor bill of every supplier invoice the three-way match finds matched,
// from its purchase order in Odoo, and records invoice.billed_in_odoo.v1 on the invoice's stream; an
// invoice the match holds gets no bill, and invoice.bill_held.v1 with the match's reasons says why; a
// bill Odoo refuses is invoice.odoo_bill_failed.v1, a dead letter.
//
// It looks when an invoice arrives or is revised, and again when a receipt of its order is booked in
// Odoo (receipt.booked_in_odoo.v1, or order.odoo_picking_done.v1 when a person validated it there), or
// when the order changes (order.placed.v1, order.changed.v1) — what makes a held invoice matched, and
// the goods Odoo bills:
// Odoo bills what it has received, so a matched invoice whose goods Odoo has not received yet waits,
// held with that reason, for the booking. It reads the match view only once the view has applied the
// log up to the event it reacts to, waiting (ErrLater) until then. Credit notes are not billed.
type BillsToOdoo struct {
	cfg BillsConfig
}

// NewBillsToOdoo returns the workflow.
func NewBillsToOdoo(cfg BillsConfig) (*BillsToOdoo, error) {
	if cfg.Matches == nil || cfg.Biller == nil || cfg.Billings == nil {
		return nil, errors.New("bills to odoo: the match view, the biller and the recorder are required")
	}
	if cfg.Source == "" {
		cfg.Source = "odoo"
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	return &BillsToOdoo{cfg: cfg}, nil
}

// Name implements projections.Projection.
func (*BillsToOdoo) Name() string { return BillsName }

// Version implements projections.Projection.
func (*BillsToOdoo) Version() int { return 1 }

// Filter implements projections.Projection.
func (*BillsToOdoo) Filter() eventstore.Filter {
	return eventstore.Filter{Types: []string{invoice.EventReceived, invoice.EventRevised, receipt.EventBookedInOdoo,
		order.EventOdooPickingDone, order.EventPlaced, order.EventChanged}}
}

// Schema implements projections.Projection: the workflow has no tables.
func (*BillsToOdoo) Schema(projections.Tables) ([]string, error) { return nil, nil }

// Tables implements projections.Projection.
func (*BillsToOdoo) Tables() []string { return nil }

// Apply implements projections.Projection: everything is done in React.
func (*BillsToOdoo) Apply(context.Context, *sql.Tx, projections.Tables, []eventstore.Event) error {
	return nil
}

// React implements projections.Reactor: each event in turn.
func (w *BillsToOdoo) React(ctx context.Context, events []eventstore.Event) error {
	for _, ev := range events {
		if err := w.one(ctx, ev); err != nil {
			return fmt.Errorf("billing event %s: %w", ev.ID, err)
		}
	}
	return nil
}

func (w *BillsToOdoo) one(ctx context.Context, ev eventstore.Event) error {
	switch ev.Type {
	case invoice.EventReceived, invoice.EventRevised:
		var d invoice.InvoiceData // a revision's payload carries the invoice's fields too
		if err := json.Unmarshal(ev.Data, &d); err != nil {
			return err
		}
		if d.Type == invoice.TypeCredit || d.PONumber == "" {
			return nil
		}
		matches, err := w.cfg.Matches.Invoices(ctx, d.PONumber, ev.Position)
		if err != nil {
			return err
		}
		// The invoice as last recorded: a batch retried after a revision bills the revision.
		if latest, _, found, err := w.cfg.Billings.Invoice(ctx, d.Partner, d.InvoiceNumber); err != nil {
			return err
		} else if found {
			d = latest
		}
		for _, m := range matches {
			if m.Partner == d.Partner && m.Number == d.InvoiceNumber {
				return w.settle(ctx, ev, m, d)
			}
		}
		return w.settle(ctx, ev, InvoiceMatch{Partner: d.Partner, Number: d.InvoiceNumber, PONumber: d.PONumber,
			Reasons: []string{"purchase order " + d.PONumber + " is not in the three-way match: it was never placed"}}, d)
	case receipt.EventBookedInOdoo, order.EventOdooPickingDone, order.EventPlaced, order.EventChanged:
		po, err := lookAgainAt(ev)
		if err != nil || po == "" {
			return err
		}
		matches, err := w.cfg.Matches.Invoices(ctx, po, ev.Position)
		if err != nil {
			return err
		}
		for _, m := range matches {
			if m.Type == invoice.TypeCredit {
				continue
			}
			inv, billed, found, err := w.cfg.Billings.Invoice(ctx, m.Partner, m.Number)
			if err != nil {
				return err
			}
			if !found || billed {
				continue
			}
			if err := w.settle(ctx, ev, m, inv); err != nil {
				return err
			}
		}
	}
	return nil
}

// settle bills a matched invoice, or records why it is held.
func (w *BillsToOdoo) settle(ctx context.Context, ev eventstore.Event, m InvoiceMatch, inv invoice.InvoiceData) error {
	log := w.cfg.Logger.With("invoice", m.Number, "partner", m.Partner, "po", m.PONumber)
	record := func(outcome string, cmd commands.RecordInvoiceBilling) error {
		cmd.Message = commands.Message{Key: "odoo-bill:" + ev.ID.String() + ":" + outcome + ":" + m.Partner + "/" + m.Number,
			CorrelationID: ev.Metadata.CorrelationID, CausationID: ev.ID.String(), PartnerID: m.Partner, Source: w.cfg.Source,
			Actor: "workflow:" + BillsName, ReceivedAt: w.cfg.Now().UTC()}
		cmd.Partner, cmd.Number = m.Partner, m.Number
		_, err := w.cfg.Billings.RecordBilling(ctx, cmd)
		return err
	}
	hold := func(reasons []string) error {
		if reasons == nil {
			reasons = []string{}
		}
		log.InfoContext(ctx, "invoice held: no bill in odoo", "reasons", reasons)
		h := fnv.New64a()
		_, _ = h.Write([]byte(strings.Join(reasons, "\n")))
		return record(fmt.Sprintf("held-%x", h.Sum64()), commands.RecordInvoiceBilling{Held: &invoice.BillHeldData{InvoiceNumber: m.Number, Partner: m.Partner,
			PONumber: m.PONumber, Reasons: reasons}})
	}
	if !m.Matched {
		return hold(m.Reasons)
	}
	b := Bill{Partner: m.Partner, Number: m.Number, PONumber: m.PONumber, InvoiceDate: inv.InvoiceDate}
	for _, l := range inv.Lines {
		b.Lines = append(b.Lines, BookingLine{Product: l.Product, Quantity: l.Quantity})
	}
	made, err := w.cfg.Biller.CreateBill(ctx, b)
	switch {
	case errors.Is(err, ErrLater):
		// The batch is tried again: the checkpoint stays before this event; the first wait is recorded.
		if rerr := record("deferred", commands.RecordInvoiceBilling{Deferred: &invoice.BillDeferredData{InvoiceNumber: m.Number,
			Partner: m.Partner, PONumber: m.PONumber, Reason: err.Error()}}); rerr != nil {
			return errors.Join(err, rerr)
		}
		return err
	case errors.Is(err, ErrNotReceived):
		return hold([]string{err.Error()})
	case err != nil:
		log.WarnContext(ctx, "invoice not billed in odoo", "reason", err)
		return record("failed", commands.RecordInvoiceBilling{Failed: &invoice.BillFailedData{InvoiceNumber: m.Number, Partner: m.Partner,
			PONumber: m.PONumber, Reason: err.Error()}})
	}
	return record(made.Outcome, commands.RecordInvoiceBilling{Billed: &invoice.BilledData{InvoiceNumber: m.Number, Partner: m.Partner,
		PONumber: m.PONumber, Outcome: made.Outcome, BillID: made.BillID, State: made.State}})
}

// Plan implements Planner: each invoice (not the receipts' bookings, which only look again), as the
// three-way match stands now, asked of Odoo without writing.
func (w *BillsToOdoo) Plan(ctx context.Context, events []eventstore.Event) ([]Plan, error) {
	var plans []Plan
	for _, ev := range events {
		if ev.Type != invoice.EventReceived && ev.Type != invoice.EventRevised {
			continue
		}
		var d invoice.InvoiceData
		if err := json.Unmarshal(ev.Data, &d); err != nil {
			return plans, fmt.Errorf("invoice event %s: %w", ev.ID, err)
		}
		if d.Type == invoice.TypeCredit || d.PONumber == "" {
			continue
		}
		p := Plan{Event: ev, Workflow: BillsName, Document: fmt.Sprintf("invoice %s of %s for order %s", d.InvoiceNumber, d.Partner, d.PONumber)}
		// The invoice as last recorded: a revision's plan is the invoice's.
		latest, _, found, err := w.cfg.Billings.Invoice(ctx, d.Partner, d.InvoiceNumber)
		if err != nil {
			return plans, err
		}
		if found {
			d = latest
		}
		matches, err := w.cfg.Matches.Invoices(ctx, d.PONumber, ev.Position)
		if err != nil {
			return plans, err
		}
		i := slices.IndexFunc(matches, func(m InvoiceMatch) bool { return m.Partner == d.Partner && m.Number == d.InvoiceNumber })
		switch {
		case i < 0:
			p.Outcome, p.Reason = PlanHeld, "purchase order "+d.PONumber+" is not in the three-way match"
		case !matches[i].Matched:
			p.Outcome, p.Reason = PlanHeld, strings.Join(matches[i].Reasons, "; ")
		default:
			b := Bill{Partner: d.Partner, Number: d.InvoiceNumber, PONumber: d.PONumber, InvoiceDate: d.InvoiceDate}
			for _, l := range d.Lines {
				b.Lines = append(b.Lines, BookingLine{Product: l.Product, Quantity: l.Quantity})
			}
			made, err := w.cfg.Biller.PlanBill(ctx, b)
			switch {
			case errors.Is(err, ErrLater):
				return plans, err
			case errors.Is(err, ErrNotReceived):
				p.Outcome, p.Reason = PlanHeld, err.Error()
			case err != nil:
				p.Outcome, p.Reason = PlanRefused, err.Error()
			default:
				p.Outcome = made.Outcome
				if made.BillID != 0 {
					p.Picking = fmt.Sprintf("account.move %d", made.BillID)
				}
			}
		}
		plans = append(plans, p)
	}
	return plans, nil
}

// lookAgainAt answers the purchase order whose invoices an event may have changed the fate of: a
// receipt booked in Odoo, a receipt validated in Odoo by hand, the order placed again with other lines
// or prices; "" for an event that concerns none (a delivery).
func lookAgainAt(ev eventstore.Event) (string, error) {
	switch ev.Type {
	case receipt.EventBookedInOdoo:
		var d receipt.OdooBookingData
		err := json.Unmarshal(ev.Data, &d)
		return d.PONumber, err
	case order.EventOdooPickingDone:
		var d order.OdooPickingData
		if err := json.Unmarshal(ev.Data, &d); err != nil || d.Kind != "receipt" {
			return "", err
		}
		return d.OrderNumber, nil
	case order.EventPlaced, order.EventChanged:
		var d order.OrderData
		err := json.Unmarshal(ev.Data, &d)
		return d.PONumber, err
	}
	return "", nil
}
