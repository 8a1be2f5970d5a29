package invoice

import (
	"encoding/json"
	"errors"
	"fmt"

	"github.com/shopspring/decimal"

	"github.com/crossdock-hub/crossdock/domain"
	"github.com/crossdock-hub/crossdock/domain/order"
)

// StreamID names the stream of supplier partner's invoice invoiceNumber: invoice numbers are only
// unique per supplier.
func StreamID(partner, invoiceNumber string) string {
	return "invoice-" + partner + ":" + invoiceNumber
}

// Aggregate is one invoice's aggregate: rebuilt from its stream with Apply, asked to decide with Receive.
// Exceptions raised beside a revision advance the version only.
type Aggregate struct {
	domain.Revisions[InvoiceData]
	billing billing
}

// New returns a invoice with no history (an empty stream).
func New() *Aggregate {
	return &Aggregate{Revisions: domain.NewRevisions[InvoiceData](EventReceived, EventRevised)}
}

// Receive decides what a supplier's invoice means: Received the first time, Revised when its content
// differs from the one recorded, nothing when it is the same. po is the purchase order it bills;
// priceVariancePercent the supplier's price tolerance. When the invoice is recorded, the rules check it
// and raise exceptions beside it, in this order:
//
//   - the PO was never placed: unknown_po (no line is checked then);
//   - the stated total does not reconcile: total_mismatch with the stated and computed totals;
//   - per line, a product not on the PO: unknown_po_line; a unit price (per canonical unit) off the PO
//     line's by more than priceVariancePercent of it: price_variance. A PO line without a price, or in
//     another canonical unit than the invoice line, is not checked.
func (a *Aggregate) Receive(d InvoiceData, po order.View, priceVariancePercent decimal.Decimal) ([]Event, error) {
	if d.InvoiceNumber == "" {
		return nil, errors.New("receive invoice: no invoice number")
	}
	cur, ok := a.Current()
	if ok && cur.InvoiceNumber != d.InvoiceNumber {
		return nil, fmt.Errorf("invoice %s sent to the stream of invoice %s", d.InvoiceNumber, cur.InvoiceNumber)
	}
	var events []Event
	revision := a.Revision() + 1
	if !ok {
		events = append(events, Received{InvoiceData: d})
	} else {
		same, err := sameContent(cur, d)
		if err != nil || same {
			return nil, err
		}
		events = append(events, Revised{InvoiceData: d, Revision: revision})
	}
	return append(events, exceptions(d, po, priceVariancePercent, revision)...), nil
}

var hundred = decimal.NewFromInt(100)

func exceptions(d InvoiceData, po order.View, tolerance decimal.Decimal, revision int) []Event {
	base := ExceptionRaised{InvoiceNumber: d.InvoiceNumber, PONumber: d.PONumber, Revision: revision}
	var events []Event
	if !po.Found {
		e := base
		e.Kind = ExceptionUnknownPO
		e.Message = fmt.Sprintf("invoice %s bills purchase order %s, which was never placed", d.InvoiceNumber, d.PONumber)
		events = append(events, e)
	}
	if !d.Reconciles && d.Total != nil {
		e := base
		e.Kind = ExceptionTotalMismatch
		stated, computed := *d.Total, d.Computed
		e.Stated, e.Computed = &stated, &computed
		e.Message = fmt.Sprintf("invoice %s states a total of %s, its lines, charges and tax add up to %s",
			d.InvoiceNumber, stated, computed)
		events = append(events, e)
	}
	if !po.Found {
		return events
	}
	for _, l := range d.Lines {
		ol, ok := po.Line(l.POLine, l.Product)
		if !ok {
			e := base
			e.Kind, e.Line, e.Product = ExceptionUnknownPOLine, l.LineNumber, l.Product
			e.Message = fmt.Sprintf("invoice %s line %s bills %s, which is not on purchase order %s",
				d.InvoiceNumber, l.LineNumber, l.Product, d.PONumber)
			events = append(events, e)
			continue
		}
		if ol.UnitPrice == nil || ol.Quantity.Unit != l.Unit {
			continue // no price to compare with, or prices per different units
		}
		allowed := ol.UnitPrice.Abs().Mul(tolerance).Div(hundred)
		if l.UnitPrice.Sub(*ol.UnitPrice).Abs().LessThanOrEqual(allowed) {
			continue
		}
		e := base
		e.Kind, e.Line, e.Product = ExceptionPriceVariance, l.LineNumber, l.Product
		poPrice, invoiced, tol := *ol.UnitPrice, l.UnitPrice, tolerance
		e.POPrice, e.InvoicedPrice, e.TolerancePercent = &poPrice, &invoiced, &tol
		e.Message = fmt.Sprintf("invoice %s line %s bills %s at %s per %s, purchase order %s says %s (tolerance %s%%)",
			d.InvoiceNumber, l.LineNumber, l.Product, invoiced, l.Unit, d.PONumber, poPrice, tol)
		events = append(events, e)
	}
	return events
}

// sameContent compares two payloads by their canonical JSON: instants are UTC and decimals carry no
// trailing zeros in payloads, so equal content encodes equally.
func sameContent(a, b any) (bool, error) {
	ja, err := json.Marshal(a)
	if err != nil {
		return false, fmt.Errorf("encode content: %w", err)
	}
	jb, err := json.Marshal(b)
	if err != nil {
		return false, fmt.Errorf("encode content: %w", err)
	}
	return string(ja) == string(jb), nil
}
