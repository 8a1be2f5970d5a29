package workflows

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/crossdock-hub/crossdock/commands"
	"github.com/crossdock-hub/crossdock/domain/inventory"
	"github.com/crossdock-hub/crossdock/domain/order"
	"github.com/crossdock-hub/crossdock/eventstore"
	"github.com/crossdock-hub/crossdock/projections"
)

// Shipment is a warehouse's shipment of a sales order to book on Odoo's delivery.
type Shipment struct {
	// Partner and Reference (the shipment ID, else the warehouse order number) identify it.
	Partner, Reference string
	// Order is the warehouse order's number: the sales order's name in Odoo.
	Order          string
	Lines          []BookingLine
	TrackingNumber string
	Backorder      bool
}

// ShipmentBooker books shipments in Odoo (adapters/odoodriver, adapted in cmd/crossdock); its errors
// are ErrLater when a later try may pass.
type ShipmentBooker interface {
	BookShipment(ctx context.Context, s Shipment) (Booked, error)
	PlanShipment(ctx context.Context, s Shipment) (Booked, error)
}

// DeliveryRecorder records Odoo's answer on the order's stream: *commands.OdooBookingHandler.
type DeliveryRecorder interface {
	RecordDelivery(ctx context.Context, cmd commands.RecordDeliveryBooking) (commands.StreamResult, error)
}

// ShipmentsConfig configures ShipmentsToOdoo.
type ShipmentsConfig struct {
	Booker      ShipmentBooker
	Bookings    DeliveryRecorder
	Validations ValidationRecorder
	// Backorder says whether a warehouse partner's short shipments keep a backorder. Default: always.
	Backorder func(partner string) bool
	Source    string
	Now       func() time.Time
	Logger    *slog.Logger
}

// ShipmentsName is the workflow's name among the projections.
const ShipmentsName = "workflow_shipments_to_odoo"

// ShipmentsToOdoo books every warehouse shipment of a sales order (order.shipped.v1 for a warehouse
// order) on Odoo's delivery, with the carrier's tracking number, and records what Odoo answered on the
// order's stream (order.delivery_booked_in_odoo.v1, or order.odoo_delivery_failed.v1) and the
// validation for the divergence view. A shipment against a purchase order (no warehouse order) is not
// a delivery of Odoo's and is left alone.
type ShipmentsToOdoo struct {
	cfg ShipmentsConfig
}

// NewShipmentsToOdoo returns the workflow.
func NewShipmentsToOdoo(cfg ShipmentsConfig) (*ShipmentsToOdoo, error) {
	if cfg.Booker == nil || cfg.Bookings == nil || cfg.Validations == nil {
		return nil, errors.New("shipments to odoo: the booker and both recorders are required")
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
	return &ShipmentsToOdoo{cfg: cfg}, nil
}

// Name implements projections.Projection.
func (*ShipmentsToOdoo) Name() string { return ShipmentsName }

// Version implements projections.Projection.
func (*ShipmentsToOdoo) Version() int { return 1 }

// Filter implements projections.Projection.
func (*ShipmentsToOdoo) Filter() eventstore.Filter {
	return eventstore.Filter{Types: []string{order.EventShipped}}
}

// Schema implements projections.Projection: the workflow has no tables.
func (*ShipmentsToOdoo) Schema(projections.Tables) ([]string, error) { return nil, nil }

// Tables implements projections.Projection.
func (*ShipmentsToOdoo) Tables() []string { return nil }

// Apply implements projections.Projection: everything is done in React.
func (*ShipmentsToOdoo) Apply(context.Context, *sql.Tx, projections.Tables, []eventstore.Event) error {
	return nil
}

// React implements projections.Reactor: each shipment in turn.
func (w *ShipmentsToOdoo) React(ctx context.Context, events []eventstore.Event) error {
	for _, ev := range events {
		if err := w.one(ctx, ev); err != nil {
			return fmt.Errorf("shipment event %s: %w", ev.ID, err)
		}
	}
	return nil
}

// shipmentOf reads a shipment event and the booking it asks for; ok is false for a shipment against a
// purchase order (no warehouse order): no delivery of Odoo's.
func (w *ShipmentsToOdoo) shipmentOf(ev eventstore.Event) (d order.ShippedData, s Shipment, ok bool, err error) {
	if ev.Type != order.EventShipped {
		return d, s, false, nil
	}
	if err := json.Unmarshal(ev.Data, &d); err != nil {
		return d, s, false, err
	}
	if d.OrderNumber == "" {
		return d, s, false, nil
	}
	ref := d.ShipmentID
	if ref == "" {
		// No shipment ID: each 945 of the order is a shipment of its own, named by its event.
		ref = d.OrderNumber + "-" + ev.ID.String()[:8]
	}
	s = Shipment{Partner: d.Partner, Reference: ref, Order: d.OrderNumber, TrackingNumber: d.TrackingNumber, Backorder: w.cfg.Backorder(d.Partner)}
	for _, l := range d.Lines {
		s.Lines = append(s.Lines, BookingLine{Product: l.Product, Quantity: l.Quantity})
	}
	return d, s, true, nil
}

func (w *ShipmentsToOdoo) one(ctx context.Context, ev eventstore.Event) error {
	d, s, ok, err := w.shipmentOf(ev)
	if err != nil || !ok {
		return err
	}
	ref := s.Reference
	msg := func(kind string) commands.Message {
		return commands.Message{Key: kind + ":" + ev.ID.String(), CorrelationID: ev.Metadata.CorrelationID, CausationID: ev.ID.String(),
			PartnerID: d.Partner, Source: w.cfg.Source, Actor: "workflow:" + ShipmentsName, ReceivedAt: w.cfg.Now().UTC()}
	}
	booked, err := w.cfg.Booker.BookShipment(ctx, s)
	if errors.Is(err, ErrLater) {
		// The batch is tried again: the checkpoint stays before this shipment; the first wait is recorded.
		if _, rerr := w.cfg.Bookings.RecordDelivery(ctx, commands.RecordDeliveryBooking{Message: msg("odoo-delivery:deferred"), Stream: ev.StreamID,
			Deferred: &order.DeliveryDeferredData{OrderNumber: d.OrderNumber, Partner: d.Partner, ShipmentID: d.ShipmentID, Reference: ref,
				Reason: err.Error()}}); rerr != nil {
			return errors.Join(err, rerr)
		}
		return err
	}
	if err != nil {
		w.cfg.Logger.WarnContext(ctx, "shipment not booked in odoo", "order", d.OrderNumber, "shipment", ref, "reason", err)
		_, rerr := w.cfg.Bookings.RecordDelivery(ctx, commands.RecordDeliveryBooking{Message: msg("odoo-delivery:failed"), Stream: ev.StreamID,
			Failed: &order.DeliveryFailedData{OrderNumber: d.OrderNumber, Partner: d.Partner, ShipmentID: d.ShipmentID, Reason: err.Error()}})
		return rerr
	}
	if _, err := w.cfg.Bookings.RecordDelivery(ctx, commands.RecordDeliveryBooking{Message: msg("odoo-delivery:" + booked.Outcome),
		Stream: ev.StreamID, Booked: &order.DeliveryBookingData{OrderNumber: d.OrderNumber, Partner: d.Partner, ShipmentID: d.ShipmentID, Reference: ref,
			Outcome: booked.Outcome, Picking: booked.Picking, Backorder: booked.Backorder, TrackingNumber: d.TrackingNumber, DoneAt: booked.DoneAt}}); err != nil {
		return err
	}
	validatedAt := booked.DoneAt
	if validatedAt.IsZero() {
		validatedAt = w.cfg.Now().UTC()
	}
	_, err = w.cfg.Validations.Validation(ctx, commands.RecordOdooValidation{Message: msg("odoo-validation"),
		Validation: inventory.OdooPickingValidatedData{Warehouse: inventory.WarehouseKey(d.Partner, d.Warehouse), Kind: inventory.PickingDelivery,
			Reference: ref, Picking: booked.Picking, ValidatedAt: validatedAt}})
	return err
}
