package workflows

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"time"

	"github.com/crossdock-hub/crossdock/commands"
	"github.com/crossdock-hub/crossdock/domain"
	"github.com/crossdock-hub/crossdock/domain/order"
	"github.com/crossdock-hub/crossdock/domain/partner"
	"github.com/crossdock-hub/crossdock/eventstore"
	"github.com/crossdock-hub/crossdock/projections"
)

// Partners gives a partner's profile: *partnerdir.Directory.
type Partners interface {
	Profile(id string) (partner.Profile, bool)
}

// Dispatch is what an order sender wrote.
type Dispatch struct {
	Format, Transaction string
	// Interchange and Group are the control numbers written; the partner's 997 / CONTRL names them.
	Interchange, Group string
	File               string
	Bytes              int
}

// OrderSender writes an order for a partner over its outbox channel (adapters/outbox, adapted in
// cmd/crossdock): a purchase order to a supplier, a warehouse order to a warehouse, under the control
// number given (the workflow gives the global log position of the event that asks for it: unique, and
// the same for a retry). Its errors are ErrLater when a later try may pass (the directory not writable);
// any other is the document's: it cannot be written as it is. Sending the same revision again must write
// the same document, not a second one.
type OrderSender interface {
	SendPurchaseOrder(ctx context.Context, p partner.Profile, ch partner.Channel, revision int, control uint64, at time.Time, po order.PurchaseOrder) (Dispatch, error)
	SendWarehouseOrder(ctx context.Context, p partner.Profile, ch partner.Channel, revision int, control uint64, at time.Time, wo order.WarehouseOrder) (Dispatch, error)
}

// SentRecorder records sendings on the order's stream, and says whether a revision was recorded as
// sent: *commands.OrderSentHandler.
type SentRecorder interface {
	RecordSent(ctx context.Context, cmd commands.RecordOrderSent) (commands.StreamResult, error)
	OrderSent(ctx context.Context, stream string, revision int) (bool, error)
}

// OrdersConfig configures OrdersToPartners.
type OrdersConfig struct {
	Partners Partners
	Sender   OrderSender
	Sent     SentRecorder
	Now      func() time.Time
	Logger   *slog.Logger
}

// OrdersName is the workflow's name among the projections.
const OrdersName = "workflow_orders_to_partners"

// OrdersToPartners sends every purchase order placed (order.placed.v1) and every change of it
// (order.changed.v1) to its supplier, when the supplier declares an outbox channel for purchase orders:
// an X12 850 or EDIFACT ORDERS naming each product by the supplier's item number (the partner's item
// crosswalk, read backwards). It sends every warehouse order (order.warehouse_order_placed.v1, a
// confirmed sales order of Odoo's) to its warehouse partner the same way, as an X12 940. It records
// order.sent.v1 on the order's stream (the format, the control numbers the partner's 997 will name, the
// file) or order.send_failed.v1 with the reason. A partner without an outbox channel for the kind is not
// sent anything: the order reaches it some other way.
//
// A revision recorded as sent is not sent again: a retried batch, a rebuild or a re-drive writes no
// second file, even once the partner has picked up the first.
type OrdersToPartners struct {
	cfg OrdersConfig
}

// NewOrdersToPartners returns the workflow.
func NewOrdersToPartners(cfg OrdersConfig) (*OrdersToPartners, error) {
	if cfg.Partners == nil || cfg.Sender == nil || cfg.Sent == nil {
		return nil, errors.New("orders to partners: the partners, the sender and the recorder are required")
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	return &OrdersToPartners{cfg: cfg}, nil
}

// Name implements projections.Projection.
func (*OrdersToPartners) Name() string { return OrdersName }

// Version implements projections.Projection.
func (*OrdersToPartners) Version() int { return 1 }

// Filter implements projections.Projection: purchase and warehouse orders, as placed and changed.
func (*OrdersToPartners) Filter() eventstore.Filter {
	return eventstore.Filter{Types: []string{order.EventPlaced, order.EventChanged, order.EventWarehouseOrderPlaced, order.EventWarehouseOrderChanged}}
}

// Schema implements projections.Projection: the workflow has no tables.
func (*OrdersToPartners) Schema(projections.Tables) ([]string, error) { return nil, nil }

// Tables implements projections.Projection.
func (*OrdersToPartners) Tables() []string { return nil }

// Apply implements projections.Projection: everything is done in React.
func (*OrdersToPartners) Apply(context.Context, *sql.Tx, projections.Tables, []eventstore.Event) error {
	return nil
}

// React implements projections.Reactor: each order in turn.
func (w *OrdersToPartners) React(ctx context.Context, events []eventstore.Event) error {
	for _, ev := range events {
		if err := w.one(ctx, ev); err != nil {
			return fmt.Errorf("order event %s: %w", ev.ID, err)
		}
	}
	return nil
}

func (w *OrdersToPartners) one(ctx context.Context, ev eventstore.Event) error {
	if ev.Type == order.EventWarehouseOrderPlaced || ev.Type == order.EventWarehouseOrderChanged {
		return w.warehouseOrder(ctx, ev)
	}
	var d order.OrderData
	revision := 1
	switch ev.Type {
	case order.EventPlaced:
		if err := json.Unmarshal(ev.Data, &d); err != nil {
			return err
		}
	case order.EventChanged:
		var c order.Changed
		if err := json.Unmarshal(ev.Data, &c); err != nil {
			return err
		}
		d, revision = c.OrderData, c.Revision
	default:
		return nil
	}
	log := w.cfg.Logger.With("po", d.PONumber, "supplier", d.Supplier, "revision", revision)
	profile, ok := w.cfg.Partners.Profile(d.Supplier)
	if !ok {
		log.WarnContext(ctx, "purchase order not sent: its supplier is not a registered partner")
		return nil
	}
	ch, ok := profile.Outbox(partner.KindPurchaseOrder)
	if !ok {
		log.DebugContext(ctx, "purchase order not sent: the supplier has no outbox channel for purchase orders")
		return nil
	}
	sent, err := w.cfg.Sent.OrderSent(ctx, ev.StreamID, revision)
	if err != nil || sent {
		return err
	}
	msg := func(outcome string) commands.Message {
		return commands.Message{Key: "order-sent:" + ev.ID.String() + ":" + outcome, CorrelationID: ev.Metadata.CorrelationID,
			CausationID: ev.ID.String(), PartnerID: d.Supplier, Source: "crossdock", Actor: "workflow:" + OrdersName,
			ReceivedAt: w.cfg.Now().UTC()}
	}
	fail := func(reason string) error {
		log.WarnContext(ctx, "purchase order not sent", "reason", reason)
		_, err := w.cfg.Sent.RecordSent(ctx, commands.RecordOrderSent{Message: msg("failed"), Stream: ev.StreamID,
			Failed: &order.SendFailedData{OrderNumber: d.PONumber, Partner: d.Supplier, Document: partner.KindPurchaseOrder,
				Revision: revision, Reason: reason}})
		return err
	}
	po, missing := purchaseOrderFor(d, profile)
	if revision > 1 && (po.Purpose == "" || po.Purpose == order.PurposeOriginal) {
		po.Purpose = order.PurposeReplace // a change of an order sent before: not a second order
	}
	if len(missing) > 0 {
		return fail(fmt.Sprintf("partner %s's item crosswalk names no item for %s: map them, then retry", d.Supplier, strings.Join(missing, ", ")))
	}
	dispatch, err := w.cfg.Sender.SendPurchaseOrder(ctx, profile, ch, revision, ev.Position.Global, ev.RecordedAt, po)
	switch {
	case errors.Is(err, ErrLater):
		return err // the batch is tried again: the checkpoint stays before this order
	case err != nil:
		return fail(err.Error())
	}
	log.InfoContext(ctx, "purchase order sent", "file", dispatch.File, "interchange", dispatch.Interchange)
	_, err = w.cfg.Sent.RecordSent(ctx, commands.RecordOrderSent{Message: msg("sent"), Stream: ev.StreamID,
		Sent: &order.SentData{OrderNumber: d.PONumber, Partner: d.Supplier, Document: partner.KindPurchaseOrder, Revision: revision,
			Format: dispatch.Format, Transaction: dispatch.Transaction, Interchange: dispatch.Interchange, Group: dispatch.Group,
			File: dispatch.File, Bytes: dispatch.Bytes, SentAt: w.cfg.Now().UTC()}})
	return err
}

// purchaseOrderFor is the order as the supplier reads it: each line names Odoo's product (as the buyer's
// part number) and the supplier's own identifiers from its crosswalk. missing lists the products the
// crosswalk has no entry for, when it has entries at all (a supplier that keeps no crosswalk reads the
// buyer's codes).
func purchaseOrderFor(d order.OrderData, p partner.Profile) (po order.PurchaseOrder, missing []string) {
	po = order.PurchaseOrder{PONumber: d.PONumber, Purpose: d.Purpose, OrderDate: d.OrderDate, RequestedDelivery: d.RequestedDelivery,
		Currency: d.Currency, Supplier: d.Supplier, Parties: d.Parties}
	if d.Total != nil {
		po.Total = &domain.Money{Amount: *d.Total, Currency: d.Currency}
	}
	for _, l := range d.Lines {
		line := order.Line{Number: l.LineNumber, Item: domain.ItemRef{Product: l.Product, Description: l.ItemRef.Description},
			Quantity: domain.Quantity{Amount: l.Quantity, Unit: l.Unit}}
		if it, ok := p.ItemFor(l.Product, d.OrderDate); ok {
			line.Item.PartnerItem, line.Item.UPC, line.Item.GTIN = it.PartnerItem, it.UPC, it.GTIN
		} else if len(p.Items) > 0 {
			missing = append(missing, l.Product)
		}
		if l.UnitPrice != nil {
			line.UnitPrice = &domain.Money{Amount: *l.UnitPrice, Currency: cmp.Or(l.Currency, d.Currency)}
		}
		po.Lines = append(po.Lines, line)
	}
	return po, missing
}

// warehouseOrder sends a warehouse order to the warehouse partner that ships it.
func (w *OrdersToPartners) warehouseOrder(ctx context.Context, ev eventstore.Event) error {
	var d order.WarehouseOrderData
	revision := 1
	if ev.Type == order.EventWarehouseOrderChanged {
		var c order.WarehouseOrderChanged
		if err := json.Unmarshal(ev.Data, &c); err != nil {
			return err
		}
		d, revision = c.WarehouseOrderData, c.Revision
	} else if err := json.Unmarshal(ev.Data, &d); err != nil {
		return err
	}
	log := w.cfg.Logger.With("order", d.OrderNumber, "warehouse", d.Partner, "revision", revision)
	profile, ok := w.cfg.Partners.Profile(d.Partner)
	if !ok {
		log.WarnContext(ctx, "warehouse order not sent: its warehouse is not a registered partner")
		return nil
	}
	ch, ok := profile.Outbox(partner.KindWarehouseOrder)
	if !ok {
		log.DebugContext(ctx, "warehouse order not sent: the warehouse has no outbox channel for warehouse orders")
		return nil
	}
	sent, err := w.cfg.Sent.OrderSent(ctx, ev.StreamID, revision)
	if err != nil || sent {
		return err
	}
	msg := func(outcome string) commands.Message {
		return commands.Message{Key: "order-sent:" + ev.ID.String() + ":" + outcome, CorrelationID: ev.Metadata.CorrelationID,
			CausationID: ev.ID.String(), PartnerID: d.Partner, Source: "crossdock", Actor: "workflow:" + OrdersName,
			ReceivedAt: w.cfg.Now().UTC()}
	}
	fail := func(reason string) error {
		log.WarnContext(ctx, "warehouse order not sent", "reason", reason)
		_, err := w.cfg.Sent.RecordSent(ctx, commands.RecordOrderSent{Message: msg("failed"), Stream: ev.StreamID,
			Failed: &order.SendFailedData{OrderNumber: d.OrderNumber, Partner: d.Partner, Document: partner.KindWarehouseOrder,
				Revision: revision, Reason: reason}})
		return err
	}
	if d.Purpose == order.PurposeCancel {
		return fail("a cancellation is not sent as a 940: tell the warehouse to cancel order " + d.OrderNumber)
	}
	if revision > 1 {
		return fail(fmt.Sprintf("order %s changed after it was sent: a second 940 would be a second order to ship; tell the warehouse of the change", d.OrderNumber))
	}
	wo := order.WarehouseOrder{OrderNumber: d.OrderNumber, PONumber: d.CustomerPO, ShipTo: d.ShipTo, CarrierSCAC: d.CarrierSCAC,
		RequestedShip: d.RequestedShip}
	var missing []string
	for _, l := range d.Lines {
		line := order.Line{Number: l.LineNumber, Item: domain.ItemRef{Product: l.Product, Description: l.ItemRef.Description},
			Quantity: domain.Quantity{Amount: l.Quantity, Unit: l.Unit}}
		if it, ok := profile.ItemFor(l.Product, d.OrderDate); ok {
			line.Item.PartnerItem, line.Item.UPC, line.Item.GTIN = it.PartnerItem, it.UPC, it.GTIN
		} else if len(profile.Items) > 0 {
			missing = append(missing, l.Product)
		}
		wo.Lines = append(wo.Lines, line)
	}
	if len(missing) > 0 {
		return fail(fmt.Sprintf("partner %s's item crosswalk names no item for %s: map them, then retry", d.Partner, strings.Join(missing, ", ")))
	}
	dispatch, err := w.cfg.Sender.SendWarehouseOrder(ctx, profile, ch, revision, ev.Position.Global, ev.RecordedAt, wo)
	switch {
	case errors.Is(err, ErrLater):
		return err
	case err != nil:
		return fail(err.Error())
	}
	log.InfoContext(ctx, "warehouse order sent", "file", dispatch.File, "interchange", dispatch.Interchange)
	_, err = w.cfg.Sent.RecordSent(ctx, commands.RecordOrderSent{Message: msg("sent"), Stream: ev.StreamID,
		Sent: &order.SentData{OrderNumber: d.OrderNumber, Partner: d.Partner, Document: partner.KindWarehouseOrder, Revision: revision,
			Format: dispatch.Format, Transaction: dispatch.Transaction, Interchange: dispatch.Interchange, Group: dispatch.Group,
			File: dispatch.File, Bytes: dispatch.Bytes, SentAt: w.cfg.Now().UTC()}})
	return err
}
