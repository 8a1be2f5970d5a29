package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"

	"github.com/crossdock-hub/crossdock/adapters/odoo"
	"github.com/crossdock-hub/crossdock/adapters/odoodriver"
	"github.com/crossdock-hub/crossdock/commands"
	"github.com/crossdock-hub/crossdock/commands/workflows"
	"github.com/crossdock-hub/crossdock/domain/invoice"
	"github.com/crossdock-hub/crossdock/domain/receipt"
	"github.com/crossdock-hub/crossdock/domain/shipment"
	"github.com/crossdock-hub/crossdock/eventstore"
	"github.com/crossdock-hub/crossdock/projections"
	"github.com/crossdock-hub/crossdock/projections/match"
)

// odooWorkflows are the workflows that drive Odoo from the log.
type odooWorkflows struct {
	receipts  *workflows.ReceiptsToOdoo
	shipments *workflows.ShipmentsToOdoo
	bills     *workflows.BillsToOdoo
	// matches is the bills workflow's view of the three-way match: attach it to the runner once made.
	matches *matchView
}

// all lists them for the runner.
func (w odooWorkflows) all() []projections.Projection {
	return []projections.Projection{w.receipts, w.shipments, w.bills}
}

// newOdooWorkflows returns the workflows that drive Odoo from the log, recording Odoo's answers with
// source (e.g. "odoo:acme").
func newOdooWorkflows(b *backend, client *odoo.Client, partners workflows.Partners, source string, logger *slog.Logger) (odooWorkflows, error) {
	w := odooWorkflows{matches: &matchView{db: b.db, store: b.store}}
	bookings, err := commands.NewOdooBookingHandler(b.store, logger.With("component", "commands"))
	if err != nil {
		return w, err
	}
	validations, err := commands.NewOdooInventoryHandler(b.store, logger.With("component", "commands"))
	if err != nil {
		return w, err
	}
	driver := odoodriver.New(client, logger.With("component", "odoo-driver"))
	logger = logger.With("component", "workflows")
	// Each warehouse partner's policy: keep what a receipt or shipment leaves short on a backorder, or
	// close the picking short.
	backorder := func(partner string) bool {
		p, ok := partners.Profile(partner)
		return !ok || p.KeepsBackorders()
	}
	asns, err := workflows.NewASNsToOdoo(workflows.ASNsConfig{Announcer: announcer{driver}, Recorder: bookings, Source: source, Logger: logger})
	if err != nil {
		return w, err
	}
	if w.receipts, err = workflows.NewReceiptsToOdoo(workflows.ReceiptsConfig{Booker: receiptBooker{driver},
		Bookings: bookings, Validations: validations, Backorder: backorder, ASNs: asns, Source: source, Logger: logger}); err != nil {
		return w, err
	}
	if w.shipments, err = workflows.NewShipmentsToOdoo(workflows.ShipmentsConfig{Booker: shipmentBooker{driver},
		Bookings: bookings, Validations: validations, Backorder: backorder, Source: source, Logger: logger}); err != nil {
		return w, err
	}
	w.bills, err = workflows.NewBillsToOdoo(workflows.BillsConfig{Matches: w.matches, Biller: biller{driver}, Billings: bookings,
		Source: source, Logger: logger})
	return w, err
}

// matchView reads the three-way match for the bills workflow, from the runner's active generation.
type matchView struct {
	db     projections.Database
	store  eventstore.Store
	mu     sync.Mutex
	runner *projections.Runner
	reader *match.Reader
}

// attach makes the view readable through runner; until then it answers ErrLater.
func (m *matchView) attach(runner *projections.Runner) error {
	reader, err := match.NewReader(m.db, runner)
	if err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.runner, m.reader = runner, reader
	return nil
}

func (m *matchView) Invoices(ctx context.Context, po string, at eventstore.Position) ([]workflows.InvoiceMatch, error) {
	m.mu.Lock()
	runner, reader := m.runner, m.reader
	m.mu.Unlock()
	if runner == nil {
		return nil, fmt.Errorf("%w: the three-way match is not open yet", workflows.ErrLater)
	}
	cp, err := runner.Checkpoint(ctx, match.Name)
	if err != nil {
		return nil, err
	}
	if cp.Less(at) {
		// Behind at only if an event the view takes lies between its checkpoint and at.
		next, err := m.store.ReadAll(ctx, cp, 1, match.NewProjection().Filter())
		if err != nil {
			return nil, err
		}
		if len(next) > 0 && !at.Less(next[0].Position) {
			return nil, fmt.Errorf("%w: the three-way match is at %s, before the event at %s", workflows.ErrLater, cp, at)
		}
	}
	var out []workflows.InvoiceMatch
	q := match.Query{PONumber: po, First: match.MaxFirst}
	for {
		page, err := reader.Invoices(ctx, q)
		if err != nil {
			return nil, err
		}
		for _, v := range page.Invoices {
			out = append(out, workflows.InvoiceMatch{Partner: v.Partner, Number: v.InvoiceNumber, PONumber: v.PONumber, Type: v.Type,
				Matched: v.Status == match.InvoiceMatched, Reasons: v.Reasons})
		}
		if !page.HasNextPage {
			return out, nil
		}
		q.After = page.Cursors[len(page.Cursors)-1]
	}
}

// biller makes bills through the Odoo driver for the bills workflow.
type biller struct{ driver *odoodriver.Driver }

func (b biller) CreateBill(ctx context.Context, in workflows.Bill) (workflows.BillMade, error) {
	return billMade(b.driver.CreateBill(ctx, driverBill(in)))
}

func (b biller) PlanBill(ctx context.Context, in workflows.Bill) (workflows.BillMade, error) {
	return billMade(b.driver.PlanBill(ctx, driverBill(in)))
}

func driverBill(in workflows.Bill) odoodriver.Bill {
	bill := odoodriver.Bill{Partner: in.Partner, Number: in.Number, PONumber: in.PONumber, InvoiceDate: in.InvoiceDate}
	for _, l := range in.Lines {
		bill.Lines = append(bill.Lines, odoodriver.Line{Product: l.Product, Quantity: l.Quantity})
	}
	return bill
}

// billMade gives the driver's answer in the workflow's terms, marking what is worth retrying.
func billMade(out odoodriver.BillOutcome, err error) (workflows.BillMade, error) {
	if err != nil {
		if errors.Is(err, odoodriver.ErrNotReceived) {
			return workflows.BillMade{}, fmt.Errorf("%w: %w", workflows.ErrNotReceived, err)
		}
		if odooWaits(err) {
			return workflows.BillMade{}, fmt.Errorf("%w: %w", workflows.ErrLater, err)
		}
		return workflows.BillMade{}, err
	}
	outcome := invoice.BillCreated
	switch out.Status {
	case odoodriver.AlreadyDone:
		outcome = invoice.BillAlreadyDone
	case odoodriver.WouldCreate:
		outcome = workflows.PlanWouldCreate
	}
	return workflows.BillMade{Outcome: outcome, BillID: out.BillID, State: out.State}, nil
}

// receiptBooker books receipts through the Odoo driver for the receipts workflow, marking what is worth
// retrying.
type receiptBooker struct{ driver *odoodriver.Driver }

func (r receiptBooker) BookReceipt(ctx context.Context, b workflows.Booking) (workflows.Booked, error) {
	return booked(r.driver.ValidateReceipt(ctx, driverReceipt(b)))
}

func (r receiptBooker) PlanReceipt(ctx context.Context, b workflows.Booking) (workflows.Booked, error) {
	return booked(r.driver.PlanReceipt(ctx, driverReceipt(b)))
}

func driverReceipt(b workflows.Booking) odoodriver.Receipt {
	rec := odoodriver.Receipt{Partner: b.Partner, Reference: b.Reference, PONumber: b.PONumber, Backorder: b.Backorder}
	for _, l := range b.Lines {
		rec.Lines = append(rec.Lines, odoodriver.Line{Product: l.Product, Quantity: l.Quantity})
	}
	return rec
}

// shipmentBooker books shipments through the Odoo driver for the shipments workflow.
type shipmentBooker struct{ driver *odoodriver.Driver }

func (s shipmentBooker) BookShipment(ctx context.Context, in workflows.Shipment) (workflows.Booked, error) {
	return booked(s.driver.ValidateDelivery(ctx, driverDelivery(in)))
}

func (s shipmentBooker) PlanShipment(ctx context.Context, in workflows.Shipment) (workflows.Booked, error) {
	return booked(s.driver.PlanDelivery(ctx, driverDelivery(in)))
}

func driverDelivery(in workflows.Shipment) odoodriver.Delivery {
	del := odoodriver.Delivery{Partner: in.Partner, Reference: in.Reference, Order: in.Order, TrackingRef: in.TrackingNumber,
		Backorder: in.Backorder}
	for _, l := range in.Lines {
		del.Lines = append(del.Lines, odoodriver.Line{Product: l.Product, Quantity: l.Quantity})
	}
	return del
}

// booked turns the driver's outcome into the workflows' terms, marking what is worth retrying.
func booked(out odoodriver.Outcome, err error) (workflows.Booked, error) {
	if err != nil {
		if odooWaits(err) {
			return workflows.Booked{}, fmt.Errorf("%w: %w", workflows.ErrLater, err)
		}
		return workflows.Booked{}, err
	}
	outcome := receipt.BookingValidated
	switch out.Status {
	case odoodriver.AlreadyDone:
		outcome = receipt.BookingAlreadyDone
	case odoodriver.WouldValidate:
		outcome = workflows.PlanWouldValidate
	}
	return workflows.Booked{Outcome: outcome, Picking: out.Picking, Backorder: out.Backorder, DoneAt: out.DoneAt,
		Writes: out.Done, Odoo: out.Odoo}, nil
}

// announcer announces ASNs through the Odoo driver for the ASNs workflow.
type announcer struct{ driver *odoodriver.Driver }

func (a announcer) AnnounceASN(ctx context.Context, in workflows.Announcement) (workflows.AnnounceResult, error) {
	ann := odoodriver.Announcement{Partner: in.Partner, Number: in.Number, PONumber: in.PONumber, TrackingRef: in.TrackingRef}
	for _, l := range in.Lines {
		ann.Lines = append(ann.Lines, odoodriver.Line{Product: l.Product, Quantity: l.Quantity})
	}
	out, err := a.driver.AnnounceASN(ctx, ann)
	if err != nil {
		if odooWaits(err) {
			return workflows.AnnounceResult{}, fmt.Errorf("%w: %w", workflows.ErrLater, err)
		}
		return workflows.AnnounceResult{}, err
	}
	outcome := shipment.AnnouncedUpdated
	if out.Status == odoodriver.AlreadyDone {
		outcome = shipment.AnnouncedAlreadyReceived
	}
	return workflows.AnnounceResult{Outcome: outcome, Picking: out.Picking, Expected: out.Done}, nil
}

// odooWaits reports whether a workflow should wait and try again rather than record a dead letter: Odoo
// unreachable or busy (odoo.Retryable), and also a key Odoo no longer accepts or a right the integration
// user lacks — the connection's fault, not the document's, which every document would meet.
func odooWaits(err error) bool {
	return odoo.Retryable(err) || errors.Is(err, odoo.ErrAuthentication) || errors.Is(err, odoo.ErrAccess)
}
