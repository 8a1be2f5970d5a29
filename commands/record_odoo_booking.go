package commands

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"

	"github.com/crossdock-hub/crossdock/domain/invoice"
	"github.com/crossdock-hub/crossdock/domain/order"
	"github.com/crossdock-hub/crossdock/domain/receipt"
	"github.com/crossdock-hub/crossdock/domain/shipment"
)

// RecordReceiptBooking records what Odoo answered when a receipt was booked there (the receipts
// workflow): exactly one of Booked, Failed and Deferred (Odoo did not answer; the workflow tries again). Message.Key seeds the event's ID: the workflow derives it
// from the receipt's event and the outcome, so the same outcome recorded again is recognised.
type RecordReceiptBooking struct {
	Message  Message
	Partner  string
	Number   string
	Booked   *receipt.OdooBookingData
	Failed   *receipt.OdooBookingFailedData
	Deferred *receipt.OdooDeferredData
}

// OdooBookingHandler records what Odoo answered the workflows: on the receipt's stream for a receipt,
// on the order's for a shipment.
type OdooBookingHandler struct {
	rec recorder
}

// NewOdooBookingHandler returns a handler appending to store.
func NewOdooBookingHandler(store StreamStore, logger *slog.Logger) (*OdooBookingHandler, error) {
	if store == nil {
		return nil, errors.New("receipt booking: nil store")
	}
	if logger == nil {
		logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	return &OdooBookingHandler{rec: recorder{store: store, logger: logger, page: 500}}, nil
}

// RecordReceipt appends the answer on the receipt's stream.
func (h *OdooBookingHandler) RecordReceipt(ctx context.Context, cmd RecordReceiptBooking) (StreamResult, error) {
	if err := cmd.Message.Validate(); err != nil {
		return StreamResult{}, fmt.Errorf("record receipt booking: %w", err)
	}
	return record(ctx, &h.rec, write[*receipt.Aggregate]{
		stream: receipt.StreamID(cmd.Partner, cmd.Number),
		key:    cmd.Message.Key,
		msg:    cmd.Message,
		fresh:  receipt.New,
		decide: func(a *receipt.Aggregate) ([]event, string, error) {
			if cmd.Deferred != nil {
				events, err := asEvents(a.DeferOdooBooking(*cmd.Deferred))
				return events, OutcomeUnchanged, err
			}
			events, err := asEvents(a.RecordOdooBooking(cmd.Booked, cmd.Failed))
			return events, OutcomeUnchanged, err
		},
	})
}

// RecordDeliveryBooking records what Odoo answered when a warehouse's shipment was booked there (the
// shipments workflow), on the stream the shipment is on (Stream): exactly one of Booked, Failed and
// Deferred.
type RecordDeliveryBooking struct {
	Message  Message
	Stream   string
	Booked   *order.DeliveryBookingData
	Failed   *order.DeliveryFailedData
	Deferred *order.DeliveryDeferredData
}

// RecordDelivery appends the answer.
func (h *OdooBookingHandler) RecordDelivery(ctx context.Context, cmd RecordDeliveryBooking) (StreamResult, error) {
	if err := cmd.Message.Validate(); err != nil {
		return StreamResult{}, fmt.Errorf("record delivery booking: %w", err)
	}
	return record(ctx, &h.rec, write[*order.Order]{
		stream: cmd.Stream,
		key:    cmd.Message.Key,
		msg:    cmd.Message,
		fresh:  order.New,
		decide: func(o *order.Order) ([]event, string, error) {
			if cmd.Deferred != nil {
				events, err := asEvents(o.DeferOdooDelivery(*cmd.Deferred))
				return events, OutcomeUnchanged, err
			}
			events, err := asEvents(o.RecordOdooDelivery(cmd.Booked, cmd.Failed))
			return events, OutcomeUnchanged, err
		},
	})
}

// RecordInvoiceBilling records what the billing workflow found for a supplier's invoice: exactly one of
// Billed, Held, Failed and Deferred.
type RecordInvoiceBilling struct {
	Message  Message
	Partner  string
	Number   string
	Billed   *invoice.BilledData
	Held     *invoice.BillHeldData
	Failed   *invoice.BillFailedData
	Deferred *invoice.BillDeferredData
}

// RecordBilling appends it on the invoice's stream.
func (h *OdooBookingHandler) RecordBilling(ctx context.Context, cmd RecordInvoiceBilling) (StreamResult, error) {
	if err := cmd.Message.Validate(); err != nil {
		return StreamResult{}, fmt.Errorf("record invoice billing: %w", err)
	}
	return record(ctx, &h.rec, write[*invoice.Aggregate]{
		stream: invoice.StreamID(cmd.Partner, cmd.Number),
		key:    cmd.Message.Key,
		msg:    cmd.Message,
		fresh:  invoice.New,
		decide: func(a *invoice.Aggregate) ([]event, string, error) {
			if cmd.Deferred != nil {
				events, err := asEvents(a.DeferBilling(*cmd.Deferred))
				return events, OutcomeUnchanged, err
			}
			events, err := asEvents(a.RecordBilling(cmd.Billed, cmd.Held, cmd.Failed))
			return events, OutcomeUnchanged, err
		},
	})
}

// Invoice returns a supplier's invoice as last recorded and whether its bill is recorded as made; found
// is false when the invoice was never received.
func (h *OdooBookingHandler) Invoice(ctx context.Context, partner, number string) (d invoice.InvoiceData, billed, found bool, err error) {
	a := invoice.New()
	if _, err := loadInto(ctx, h.rec.store, h.rec.page, invoice.StreamID(partner, number), a); err != nil {
		return d, false, false, err
	}
	d, found = a.Current()
	return d, a.Billed(), found, nil
}

// RecordASNAnnouncement records what Odoo answered when a supplier's ASN was announced on its receipt
// (the ASNs workflow): exactly one of Announced, Failed and Deferred.
type RecordASNAnnouncement struct {
	Message   Message
	Supplier  string
	ASNNumber string
	Announced *shipment.AnnouncedData
	Failed    *shipment.AnnounceFailedData
	Deferred  *shipment.AnnounceFailedData
}

// RecordAnnouncement appends it on the shipment's stream.
func (h *OdooBookingHandler) RecordAnnouncement(ctx context.Context, cmd RecordASNAnnouncement) (StreamResult, error) {
	if err := cmd.Message.Validate(); err != nil {
		return StreamResult{}, fmt.Errorf("record asn announcement: %w", err)
	}
	return record(ctx, &h.rec, write[*shipment.Shipment]{
		stream: shipment.StreamID(cmd.Supplier, cmd.ASNNumber),
		key:    cmd.Message.Key,
		msg:    cmd.Message,
		fresh:  shipment.New,
		decide: func(s *shipment.Shipment) ([]event, string, error) {
			events, err := asEvents(s.RecordOdooAnnouncement(cmd.Announced, cmd.Failed, cmd.Deferred))
			return events, OutcomeUnchanged, err
		},
	})
}
