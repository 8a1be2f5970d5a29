package workflows

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"time"

	"github.com/shopspring/decimal"

	"github.com/crossdock-hub/crossdock/commands"
	"github.com/crossdock-hub/crossdock/domain/inventory"
	"github.com/crossdock-hub/crossdock/domain/receipt"
	"github.com/crossdock-hub/crossdock/eventstore"
	"github.com/crossdock-hub/crossdock/projections"
)

// ErrLater marks a failure worth retrying: the booker wraps its retryable errors with it. It is a
// projections.ErrWait, so the runner logs the wait as a warning.
var ErrLater error = later{}

type later struct{}

func (later) Error() string { return "retry later" }

func (later) Is(target error) bool { return target == projections.ErrWait }

// Booking is a warehouse's receipt to book on Odoo's incoming picking.
type Booking struct {
	Partner, Reference, PONumber string
	Lines                        []BookingLine
	// Backorder keeps what did not arrive on a backorder; false closes the receipt short.
	Backorder bool
}

// BookingLine is one product received, in the product's unit.
type BookingLine struct {
	Product  string
	Quantity decimal.Decimal
}

// Booked is what the booker did: Outcome is receipt.BookingValidated or receipt.BookingAlreadyDone (or,
// from a plan, PlanWouldValidate).
type Booked struct {
	Outcome, Picking, Backorder string
	DoneAt                      time.Time
	// Writes are the quantities written per product (from a plan, that would be); Odoo those the
	// picking held before.
	Writes, Odoo map[string]decimal.Decimal
}

// ReceiptBooker books receipts in Odoo (adapters/odoodriver, adapted in cmd/crossdock). Its errors are
// ErrLater when a later try may pass; any other is Odoo's refusal, for a dead letter. PlanReceipt says
// what BookReceipt would do, writing nothing: Outcome BookingAlreadyDone or PlanWouldValidate.
type ReceiptBooker interface {
	BookReceipt(ctx context.Context, b Booking) (Booked, error)
	PlanReceipt(ctx context.Context, b Booking) (Booked, error)
}

// BookingRecorder records Odoo's answer on the receipt's stream: *commands.OdooBookingHandler.
type BookingRecorder interface {
	RecordReceipt(ctx context.Context, cmd commands.RecordReceiptBooking) (commands.StreamResult, error)
}

// ValidationRecorder records Odoo's validation for the divergence view: *commands.OdooInventoryHandler.
type ValidationRecorder interface {
	Validation(ctx context.Context, cmd commands.RecordOdooValidation) (commands.StreamResult, error)
}

// ReceiptsConfig configures ReceiptsToOdoo.
type ReceiptsConfig struct {
	Booker      ReceiptBooker
	Bookings    BookingRecorder
	Validations ValidationRecorder
	// Backorder says whether a warehouse partner's short receipts keep a backorder. Default: always.
	Backorder func(partner string) bool
	// ASNs, when set, announces suppliers' ASNs on the same receipts, in log order with the bookings.
	ASNs *ASNsToOdoo
	// Source is the metadata source of the events recorded, e.g. "odoo:acme". Default "odoo".
	Source string
	Now    func() time.Time
	Logger *slog.Logger
}

// ReceiptsName is the workflow's name among the projections.
const ReceiptsName = "workflow_receipts_to_odoo"

// ReceiptsToOdoo books every warehouse receipt (receipt.received.v1, receipt.revised.v1) on Odoo's
// incoming picking for its purchase order, and records what Odoo answered on the receipt's stream
// (receipt.booked_in_odoo.v1, or receipt.odoo_booking_failed.v1), and the validation for the
// divergence view (inventory.odoo_picking_validated.v1).
type ReceiptsToOdoo struct {
	cfg ReceiptsConfig
}

// NewReceiptsToOdoo returns the workflow.
func NewReceiptsToOdoo(cfg ReceiptsConfig) (*ReceiptsToOdoo, error) {
	if cfg.Booker == nil || cfg.Bookings == nil || cfg.Validations == nil {
		return nil, errors.New("receipts to odoo: the booker and both recorders are required")
	}
	if cfg.Backorder == nil {
		cfg.Backorder = func(string) bool { return true }
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
	return &ReceiptsToOdoo{cfg: cfg}, nil
}

// Name implements projections.Projection.
func (*ReceiptsToOdoo) Name() string { return ReceiptsName }

// Version implements projections.Projection.
func (*ReceiptsToOdoo) Version() int { return 1 }

// Filter implements projections.Projection: receipts, and ASNs when it announces them.
func (w *ReceiptsToOdoo) Filter() eventstore.Filter {
	types := []string{receipt.EventReceived, receipt.EventRevised}
	if w.cfg.ASNs != nil {
		types = append(types, asnTypes...)
	}
	return eventstore.Filter{Types: types}
}

// Schema implements projections.Projection: the workflow has no tables.
func (*ReceiptsToOdoo) Schema(projections.Tables) ([]string, error) { return nil, nil }

// Tables implements projections.Projection.
func (*ReceiptsToOdoo) Tables() []string { return nil }

// Apply implements projections.Projection: everything is done in React.
func (*ReceiptsToOdoo) Apply(context.Context, *sql.Tx, projections.Tables, []eventstore.Event) error {
	return nil
}

// React implements projections.Reactor: each receipt (and ASN) in turn.
func (w *ReceiptsToOdoo) React(ctx context.Context, events []eventstore.Event) error {
	for _, ev := range events {
		if slices.Contains(asnTypes, ev.Type) {
			if w.cfg.ASNs != nil {
				if err := w.cfg.ASNs.React(ctx, []eventstore.Event{ev}); err != nil {
					return err
				}
			}
			continue
		}
		if err := w.one(ctx, ev); err != nil {
			return fmt.Errorf("receipt event %s: %w", ev.ID, err)
		}
	}
	return nil
}

// receiptOf reads a receipt event: the receipt as recorded, its revision, and the booking it asks for.
// refused says why it cannot be booked at all; ok is false for an event of another type.
func (w *ReceiptsToOdoo) receiptOf(ev eventstore.Event) (d receipt.ReceiptData, revision int, b Booking, refused string, ok bool, err error) {
	revision = 1
	switch ev.Type {
	case receipt.EventReceived:
		if err := json.Unmarshal(ev.Data, &d); err != nil {
			return d, 0, b, "", false, err
		}
	case receipt.EventRevised:
		var r receipt.Revised
		if err := json.Unmarshal(ev.Data, &r); err != nil {
			return d, 0, b, "", false, err
		}
		d, revision = r.ReceiptData, r.Revision
	default:
		return d, 0, b, "", false, nil
	}
	if d.PONumber == "" {
		return d, revision, b, "the receipt names no purchase order: Odoo's receipt cannot be found", true, nil
	}
	b = Booking{Partner: d.Partner, Reference: d.ReceiptNumber, PONumber: d.PONumber, Backorder: w.cfg.Backorder(d.Partner)}
	for _, l := range d.Lines {
		b.Lines = append(b.Lines, BookingLine{Product: l.Product, Quantity: l.Quantity})
	}
	return d, revision, b, "", true, nil
}

func (w *ReceiptsToOdoo) one(ctx context.Context, ev eventstore.Event) error {
	d, revision, b, refused, ok, err := w.receiptOf(ev)
	if err != nil || !ok {
		return err
	}
	record := func(outcome string, booked *receipt.OdooBookingData, failed *receipt.OdooBookingFailedData) error {
		msg := commands.Message{Key: "odoo-booking:" + ev.ID.String() + ":" + outcome, CorrelationID: ev.Metadata.CorrelationID,
			CausationID: ev.ID.String(), PartnerID: d.Partner, Source: w.cfg.Source, Actor: "workflow:" + ReceiptsName,
			ReceivedAt: w.cfg.Now().UTC()}
		_, err := w.cfg.Bookings.RecordReceipt(ctx, commands.RecordReceiptBooking{Message: msg, Partner: d.Partner, Number: d.ReceiptNumber,
			Booked: booked, Failed: failed})
		return err
	}
	fail := func(reason string) error {
		w.cfg.Logger.WarnContext(ctx, "receipt not booked in odoo", "receipt", d.ReceiptNumber, "partner", d.Partner, "reason", reason)
		return record("failed", nil, &receipt.OdooBookingFailedData{ReceiptNumber: d.ReceiptNumber, PONumber: d.PONumber,
			Partner: d.Partner, Revision: revision, Reason: reason})
	}
	if refused != "" {
		return fail(refused)
	}
	booked, err := w.cfg.Booker.BookReceipt(ctx, b)
	switch {
	case errors.Is(err, ErrLater):
		// The batch is tried again: the checkpoint stays before this receipt. The first wait is
		// recorded, so the timeline shows it.
		msg := commands.Message{Key: "odoo-booking:" + ev.ID.String() + ":deferred", CorrelationID: ev.Metadata.CorrelationID,
			CausationID: ev.ID.String(), PartnerID: d.Partner, Source: w.cfg.Source, Actor: "workflow:" + ReceiptsName,
			ReceivedAt: w.cfg.Now().UTC()}
		if _, rerr := w.cfg.Bookings.RecordReceipt(ctx, commands.RecordReceiptBooking{Message: msg, Partner: d.Partner, Number: d.ReceiptNumber,
			Deferred: &receipt.OdooDeferredData{ReceiptNumber: d.ReceiptNumber, Partner: d.Partner, Revision: revision, Reason: err.Error()}}); rerr != nil {
			return errors.Join(err, rerr)
		}
		return err
	case err != nil:
		return fail(err.Error())
	}
	if err := record(booked.Outcome, &receipt.OdooBookingData{ReceiptNumber: d.ReceiptNumber, PONumber: d.PONumber, Partner: d.Partner,
		Revision: revision, Outcome: booked.Outcome, Picking: booked.Picking, Backorder: booked.Backorder, DoneAt: booked.DoneAt}, nil); err != nil {
		return err
	}
	validatedAt := booked.DoneAt
	if validatedAt.IsZero() {
		validatedAt = w.cfg.Now().UTC()
	}
	_, err = w.cfg.Validations.Validation(ctx, commands.RecordOdooValidation{
		Message: commands.Message{Key: "odoo-validation:" + ev.ID.String(), CorrelationID: ev.Metadata.CorrelationID, CausationID: ev.ID.String(),
			PartnerID: d.Partner, Source: w.cfg.Source, Actor: "workflow:" + ReceiptsName, ReceivedAt: w.cfg.Now().UTC()},
		Validation: inventory.OdooPickingValidatedData{Warehouse: inventory.WarehouseKey(d.Partner, d.Warehouse), Kind: inventory.PickingReceipt,
			Reference: d.ReceiptNumber, Picking: booked.Picking, ValidatedAt: validatedAt},
	})
	return err
}
