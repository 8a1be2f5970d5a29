package order

import (
	"github.com/shopspring/decimal"

	"github.com/crossdock-hub/crossdock/domain"
)

// View is what the rules of other aggregates (an ASN's over-ship check, a receipt's and an invoice's
// exceptions) see of a purchase order. The zero View is an order never placed.
type View struct {
	PONumber string
	// Found is false when no purchase order with that number was placed.
	Found    bool
	Supplier string
	Lines    []OrderedLine
}

// OrderedLine is one line of a placed order, in canonical terms.
type OrderedLine struct {
	LineNumber string
	Product    string
	Quantity   domain.Quantity
	// UnitPrice is the price per canonical unit, nil when the order gives none.
	UnitPrice *decimal.Decimal
}

// Ordered gives the line's view.
func (l LineData) Ordered() OrderedLine {
	return OrderedLine{
		LineNumber: l.LineNumber,
		Product:    l.Product,
		Quantity:   domain.Quantity{Amount: l.Quantity, Unit: l.Unit},
		UnitPrice:  l.UnitPrice,
	}
}

// HasProduct reports whether any line of the order is for product.
func (v View) HasProduct(product string) bool {
	for _, l := range v.Lines {
		if l.Product == product {
			return true
		}
	}
	return false
}

// Ordered sums the quantity ordered of product over the order's lines. It is false when the product is
// on no line, or on lines in different units (which cannot be added).
func (v View) Ordered(product string) (domain.Quantity, bool) {
	var sum domain.Quantity
	found := false
	for _, l := range v.Lines {
		if l.Product != product {
			continue
		}
		if found && l.Quantity.Unit != sum.Unit {
			return domain.Quantity{}, false
		}
		if !found {
			sum, found = domain.Quantity{Amount: decimal.Zero, Unit: l.Quantity.Unit}, true
		}
		sum.Amount = sum.Amount.Add(l.Quantity.Amount)
	}
	return sum, found
}

// Line finds the order line a partner's line refers to: the line numbered poLine when it is for product
// (or product is empty), else the first line for product.
func (v View) Line(poLine, product string) (OrderedLine, bool) {
	if poLine != "" {
		for _, l := range v.Lines {
			if l.LineNumber == poLine && (product == "" || l.Product == product) {
				return l, true
			}
		}
	}
	for _, l := range v.Lines {
		if product != "" && l.Product == product {
			return l, true
		}
	}
	return OrderedLine{}, false
}
