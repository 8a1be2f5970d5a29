package commands

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strconv"
	"strings"

	"github.com/crossdock-hub/crossdock/domain"
	"github.com/crossdock-hub/crossdock/domain/order"
)

// PlaceOrder asks to record a purchase order placed with a supplier. It comes from Crossdock's side
// (Odoo, an admin call), never from a partner, so it is already in canonical terms: every line names
// its Odoo product (Item.Product) and a canonical unit, and nothing goes through a crosswalk.
//
// Message.PartnerID is the partner the order concerns (the supplier), Source and Actor say who placed
// it ("odoo", "admin:<user>"). Order.Supplier defaults to Message.PartnerID.
type PlaceOrder struct {
	Message Message
	Order   order.PurchaseOrder
}

// PlaceOrderConfig configures PlaceOrderHandler.
type PlaceOrderConfig struct {
	// Logger receives the handler's logs. Default: discarded.
	Logger *slog.Logger
	// PageSize is how many events are read per ReadStream call when loading an order. Default: 500.
	PageSize int
}

func (c *PlaceOrderConfig) setDefaults() {
	if c.Logger == nil {
		c.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if c.PageSize == 0 {
		c.PageSize = 500
	}
}

// Validate reports every invalid field.
func (c PlaceOrderConfig) Validate() error {
	if c.PageSize < 0 {
		return fmt.Errorf("page size %d is negative", c.PageSize)
	}
	return nil
}

// PlaceOrderHandler records purchase orders on "order-po:<po>": order.placed.v1 the first time,
// order.changed.v1 when placed again with other content, nothing when placed again the same. These
// events are what OrderLines reads.
type PlaceOrderHandler struct {
	rec recorder
}

// NewPlaceOrderHandler returns a handler appending to store.
func NewPlaceOrderHandler(store StreamStore, cfg PlaceOrderConfig) (*PlaceOrderHandler, error) {
	cfg.setDefaults()
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("place order config: %w", err)
	}
	if store == nil {
		return nil, errors.New("place order: nil store")
	}
	return &PlaceOrderHandler{rec: recorder{store: store, logger: cfg.Logger, page: cfg.PageSize}}, nil
}

// Handle validates the order, then records it. An order that breaks a rule is a *domain.ValidationError
// listing every problem, and records nothing.
func (h *PlaceOrderHandler) Handle(ctx context.Context, cmd PlaceOrder) (DocumentResult, error) {
	if err := cmd.Message.Validate(); err != nil {
		return DocumentResult{}, fmt.Errorf("place order: %w", err)
	}
	po := cmd.Order
	if po.Supplier == "" {
		po.Supplier = cmd.Message.PartnerID
	}
	d, err := orderData(po)
	if err != nil {
		return DocumentResult{}, err
	}
	res, err := record(ctx, &h.rec, write[*order.Order]{
		stream:     order.POStreamID(po.PONumber),
		key:        cmd.Message.Key,
		msg:        cmd.Message,
		occurredAt: d.OrderDate,
		fresh:      order.New,
		decide: func(o *order.Order) ([]event, string, error) {
			events, err := asEvents(o.Place(d))
			return events, OutcomeUnchanged, err
		},
	})
	return one(domain.KindPurchaseOrder, res, err)
}

// orderData checks a purchase order and gives its payload form.
func orderData(po order.PurchaseOrder) (order.OrderData, error) {
	r := &resolver{kind: domain.KindPurchaseOrder}
	r.identifier("/po_number", po.PONumber, true)
	r.identifier("/supplier", po.Supplier, true)
	if po.OrderDate.IsZero() {
		r.violate("/order_date", "is required")
	}
	if len(po.Lines) == 0 {
		r.violate("/lines", "must have at least one line")
	}
	d := order.OrderData{
		PONumber: po.PONumber, Purpose: po.Purpose, Supplier: po.Supplier, OrderDate: po.OrderDate.UTC(),
		RequestedDelivery: po.RequestedDelivery.UTC(), Currency: po.Currency, Parties: po.Parties,
		Lines: make([]order.LineData, len(po.Lines)),
	}
	if po.Total != nil {
		total := po.Total.Amount
		d.Total = &total
	}
	numbers := map[string]int{}
	for i, l := range po.Lines {
		p := "/lines/" + strconv.Itoa(i)
		number := l.Number
		if number == "" {
			number = strconv.Itoa(i + 1)
		}
		if first, dup := numbers[number]; dup {
			r.violate(p+"/line_number", fmt.Sprintf("duplicates line %s (/lines/%d)", number, first))
		}
		numbers[number] = i
		if strings.TrimSpace(l.Item.Product) == "" {
			r.violate(p+"/item/product", "is required: an order placed by Crossdock names Odoo's product")
		}
		r.identifier(p+"/item/product", l.Item.Product, false)
		unit, err := domain.NormalizeUnit(l.Quantity.Unit)
		switch {
		case err != nil:
			r.violate(p+"/quantity/unit", "must be a unit code of 1 to 3 letters or digits")
		case !l.Quantity.IsPositive():
			r.violate(p+"/quantity", "must be greater than zero")
		}
		ld := order.LineData{LineNumber: number, Product: l.Item.Product, ItemRef: l.Item, Quantity: l.Quantity.Amount, Unit: unit}
		if l.UnitPrice != nil {
			price := l.UnitPrice.Amount
			ld.UnitPrice, ld.Currency = &price, l.UnitPrice.Currency
		}
		d.Lines[i] = ld
	}
	return d, r.err()
}
