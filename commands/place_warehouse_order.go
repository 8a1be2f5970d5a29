package commands

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/crossdock-hub/crossdock/domain"
	"github.com/crossdock-hub/crossdock/domain/order"
)

// PlaceWarehouseOrder asks to record an order for a warehouse partner to ship (a confirmed sales order
// of Odoo's). Like PlaceOrder it comes from Crossdock's side, in canonical terms: Odoo's products and
// canonical units. Message.PartnerID is the warehouse partner; Order.Partner defaults to it.
type PlaceWarehouseOrder struct {
	Message Message
	Order   order.WarehouseOrderData
}

// PlaceWarehouseOrder records a warehouse order on "order-wo:<number>": placed the first time, changed
// when its content changes, nothing when it is the same. An order that breaks a rule is a
// *domain.ValidationError listing every problem, and records nothing.
func (h *PlaceOrderHandler) PlaceWarehouseOrder(ctx context.Context, cmd PlaceWarehouseOrder) (DocumentResult, error) {
	if err := cmd.Message.Validate(); err != nil {
		return DocumentResult{}, fmt.Errorf("place warehouse order: %w", err)
	}
	d := cmd.Order
	if d.Partner == "" {
		d.Partner = cmd.Message.PartnerID
	}
	d.OrderDate, d.RequestedShip = d.OrderDate.UTC(), d.RequestedShip.UTC()
	r := &resolver{kind: domain.KindWarehouseOrder}
	r.identifier("/order_number", d.OrderNumber, true)
	r.identifier("/partner", d.Partner, true)
	if d.ShipTo.Name == "" && d.ShipTo.ID == "" {
		r.violate("/ship_to", "needs a name or an ID")
	}
	if len(d.Lines) == 0 && d.Purpose != order.PurposeCancel {
		r.violate("/lines", "must have at least one line")
	}
	for i := range d.Lines {
		l := &d.Lines[i]
		p := "/lines/" + strconv.Itoa(i)
		if strings.TrimSpace(l.Product) == "" {
			r.violate(p+"/product", "is required: an order placed by Crossdock names Odoo's product")
		}
		unit, err := domain.NormalizeUnit(l.Unit)
		switch {
		case err != nil:
			r.violate(p+"/unit", "must be a unit code of 1 to 3 letters or digits")
		case !l.Quantity.IsPositive():
			r.violate(p+"/quantity", "must be greater than zero")
		}
		l.Unit = unit
	}
	if err := r.err(); err != nil {
		return DocumentResult{}, err
	}
	res, err := record(ctx, &h.rec, write[*order.Order]{
		stream:     order.WarehouseOrderStreamID(d.OrderNumber),
		key:        cmd.Message.Key,
		msg:        cmd.Message,
		occurredAt: d.OrderDate,
		fresh:      order.New,
		decide: func(o *order.Order) ([]event, string, error) {
			events, err := asEvents(o.PlaceWarehouseOrder(d))
			return events, OutcomeUnchanged, err
		},
	})
	return one(domain.KindWarehouseOrder, res, err)
}
