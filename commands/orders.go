package commands

import (
	"context"
	"errors"

	"github.com/crossdock-hub/crossdock/domain/order"
)

// OrderReader is the named query through which rules look at a purchase order: commands never read a
// read model to decide except through such an explicit lookup.
type OrderReader interface {
	// OrderLines returns the lines of purchase order po as last placed, in canonical terms; found is
	// false when no order with that number was placed.
	OrderLines(ctx context.Context, po string) (lines []order.OrderedLine, found bool, err error)
}

// StreamOrders answers OrderLines from the order's own stream, "order-po:<po>", rebuilt with the order
// aggregate: always as current as the log, at the cost of one stream read per lookup.
type StreamOrders struct {
	store StreamStore
	page  int
}

// NewStreamOrders returns the lookup over store, reading pageSize events per call (500 when not positive).
func NewStreamOrders(store StreamStore, pageSize int) *StreamOrders {
	if pageSize <= 0 {
		pageSize = 500
	}
	return &StreamOrders{store: store, page: pageSize}
}

// OrderLines implements OrderReader.
func (s *StreamOrders) OrderLines(ctx context.Context, po string) ([]order.OrderedLine, bool, error) {
	if po == "" {
		return nil, false, errors.New("order lines: empty PO number")
	}
	o := order.New()
	if _, err := loadInto(ctx, s.store, s.page, order.POStreamID(po), o); err != nil {
		return nil, false, err
	}
	v := o.View()
	return v.Lines, v.Found, nil
}
