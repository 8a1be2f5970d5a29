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
	switch ev.Type {
	case order.EventPlaced, order.EventChanged:
		var c order.Changed // a placed order's payload is the same, without the revision
		if err := json.Unmarshal(ev.Data, &c); err != nil {
			return err
		}
		d, revision := c.OrderData, max(c.Revision, 1)
		return w.send(ctx, ev, outgoing{kind: partner.KindPurchaseOrder, partner: d.Supplier, number: d.PONumber, revision: revision,
			write: func(p partner.Profile, ch partner.Channel) (Dispatch, string, error) {
				po, missing := purchaseOrderFor(d, p)
				if len(missing) > 0 {
					return Dispatch{}, unmapped(d.Supplier, missing), nil
				}
				if revision > 1 && (po.Purpose == "" || po.Purpose == order.PurposeOriginal) {
					po.Purpose = order.PurposeReplace // a change of an order sent before: not a second order
				}
				dispatch, err := w.cfg.Sender.SendPurchaseOrder(ctx, p, ch, revision, ev.Position.Global, ev.RecordedAt, po)
				return dispatch, "", err
			}})
	case order.EventWarehouseOrderPlaced, order.EventWarehouseOrderChanged:
		var c order.WarehouseOrderChanged
		if err := json.Unmarshal(ev.Data, &c); err != nil {
			return err
		}
		d, revision := c.WarehouseOrderData, max(c.Revision, 1)
		return w.send(ctx, ev, outgoing{kind: partner.KindWarehouseOrder, partner: d.Partner, number: d.OrderNumber, revision: revision,
			write: func(p partner.Profile, ch partner.Channel) (Dispatch, string, error) {
				switch {
				case d.Purpose == order.PurposeCancel:
					return Dispatch{}, "a cancellation is not sent as a 940: tell the warehouse to cancel order " + d.OrderNumber, nil
				case revision > 1:
					return Dispatch{}, fmt.Sprintf("order %s changed after it was sent: a second 940 would be a second order to ship; tell the warehouse of the change", d.OrderNumber), nil
				}
				wo, missing := warehouseOrderFor(d, p)
				if len(missing) > 0 {
					return Dispatch{}, unmapped(d.Partner, missing), nil
				}
				dispatch, err := w.cfg.Sender.SendWarehouseOrder(ctx, p, ch, revision, ev.Position.Global, ev.RecordedAt, wo)
				return dispatch, "", err
			}})
	}
	return nil
}

// outgoing is one order to send: what it is, to whom, and how to write it for the partner.
type outgoing struct {
	kind, partner, number string
	revision              int
	// write writes the order over the partner's outbox channel, or says why it cannot be sent (refused).
	write func(p partner.Profile, ch partner.Channel) (d Dispatch, refused string, err error)
}

// send sends an order to a partner with an outbox channel for its kind, once per revision, and records
// what became of it on the order's stream.
func (w *OrdersToPartners) send(ctx context.Context, ev eventstore.Event, o outgoing) error {
	what := strings.ReplaceAll(o.kind, "_", " ")
	log := w.cfg.Logger.With("order", o.number, "partner", o.partner, "document", o.kind, "revision", o.revision)
	profile, ok := w.cfg.Partners.Profile(o.partner)
	if !ok {
		log.WarnContext(ctx, what+" not sent: its partner is not registered")
		return nil
	}
	ch, ok := profile.Outbox(o.kind)
	if !ok {
		log.DebugContext(ctx, what+" not sent: the partner has no outbox channel for it")
		return nil
	}
	sent, err := w.cfg.Sent.OrderSent(ctx, ev.StreamID, o.revision)
	if err != nil || sent {
		return err
	}
	record := func(outcome string, cmd commands.RecordOrderSent) error {
		cmd.Message = commands.Message{Key: "order-sent:" + ev.ID.String() + ":" + outcome, CorrelationID: ev.Metadata.CorrelationID,
			CausationID: ev.ID.String(), PartnerID: o.partner, Source: "crossdock", Actor: "workflow:" + OrdersName,
			ReceivedAt: w.cfg.Now().UTC()}
		cmd.Stream = ev.StreamID
		_, err := w.cfg.Sent.RecordSent(ctx, cmd)
		return err
	}
	fail := func(reason string) error {
		log.WarnContext(ctx, what+" not sent", "reason", reason)
		return record("failed", commands.RecordOrderSent{Failed: &order.SendFailedData{OrderNumber: o.number, Partner: o.partner,
			Document: o.kind, Revision: o.revision, Reason: reason}})
	}
	dispatch, refused, err := o.write(profile, ch)
	switch {
	case refused != "":
		return fail(refused)
	case errors.Is(err, ErrLater):
		return err // the batch is tried again: the checkpoint stays before this order
	case err != nil:
		return fail(err.Error())
	}
	log.InfoContext(ctx, what+" sent", "file", dispatch.File, "interchange", dispatch.Interchange)
	return record("sent", commands.RecordOrderSent{Sent: &order.SentData{OrderNumber: o.number, Partner: o.partner, Document: o.kind,
		Revision: o.revision, Format: dispatch.Format, Transaction: dispatch.Transaction, Interchange: dispatch.Interchange,
		Group: dispatch.Group, File: dispatch.File, Bytes: dispatch.Bytes, SentAt: w.cfg.Now().UTC()}})
}

func unmapped(partnerID string, missing []string) string {
	return fmt.Sprintf("partner %s's item crosswalk names no item for %s: map them, then retry", partnerID, strings.Join(missing, ", "))
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
	po.Lines, missing = linesFor(d.Lines, p, d.OrderDate, d.Currency)
	return po, missing
}

// warehouseOrderFor is the order as the warehouse reads it, its lines named as purchaseOrderFor's are.
func warehouseOrderFor(d order.WarehouseOrderData, p partner.Profile) (wo order.WarehouseOrder, missing []string) {
	wo = order.WarehouseOrder{OrderNumber: d.OrderNumber, PONumber: d.CustomerPO, ShipTo: d.ShipTo, CarrierSCAC: d.CarrierSCAC,
		RequestedShip: d.RequestedShip}
	wo.Lines, missing = linesFor(d.Lines, p, d.OrderDate, "")
	return wo, missing
}

// linesFor names each line's product by the partner's identifiers in effect at at.
func linesFor(lines []order.LineData, p partner.Profile, at time.Time, currency string) (out []order.Line, missing []string) {
	for _, l := range lines {
		line := order.Line{Number: l.LineNumber, Item: domain.ItemRef{Product: l.Product, Description: l.ItemRef.Description},
			Quantity: domain.Quantity{Amount: l.Quantity, Unit: l.Unit}}
		if it, ok := p.ItemFor(l.Product, at); ok {
			line.Item.PartnerItem, line.Item.UPC, line.Item.GTIN = it.PartnerItem, it.UPC, it.GTIN
		} else if len(p.Items) > 0 {
			missing = append(missing, l.Product)
		}
		if l.UnitPrice != nil {
			line.UnitPrice = &domain.Money{Amount: *l.UnitPrice, Currency: cmp.Or(l.Currency, currency)}
		}
		out = append(out, line)
	}
	return out, missing
}
