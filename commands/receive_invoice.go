package commands

import (
	"context"
	"strconv"

	"github.com/crossdock-hub/crossdock/domain"
	"github.com/crossdock-hub/crossdock/domain/invoice"
)

// receiveInvoice records a supplier's invoice on "invoice-<partner>:<invoice number>":
// invoice.received.v1, invoice.revised.v1 for other content under the same number, nothing for the same,
// and invoice.exception_raised.v1 beside it for an unknown PO, a total that does not reconcile, a
// product not on the PO, or a unit price beyond the supplier's price-variance tolerance.
//
// Totals, warnings and reconciliation are computed on the invoice as sent (amounts do not depend on
// units); unit prices are converted to the canonical unit for the price check.
func (h *DocumentHandler) receiveInvoice(ctx context.Context, msg Message, inv invoice.Invoice) (DocumentResult, error) {
	r := newResolver(h.crosswalk, msg.PartnerID, domain.KindInvoice)
	r.identifier("/invoice_number", inv.InvoiceNumber, true)
	r.identifier("/po_number", inv.PONumber, true)
	if inv.InvoiceDate.IsZero() {
		r.violate("/invoice_date", "is required")
	}
	if len(inv.Lines) == 0 {
		r.violate("/lines", "must have at least one line")
	}
	typ := inv.Type
	if typ == "" {
		typ = invoice.TypeDebit
	}
	d := invoice.InvoiceData{
		InvoiceNumber: inv.InvoiceNumber, InvoiceDate: inv.InvoiceDate.UTC(), PONumber: inv.PONumber, Type: typ,
		Partner: msg.PartnerID, Currency: inv.Currency, Parties: inv.Parties, Terms: inv.Terms, Charges: inv.Charges,
		Tax: inv.Tax, Total: inv.Total, Computed: inv.Computed(), Reconciles: inv.Reconciles(), Warnings: inv.Warnings(),
		Lines: make([]invoice.LineData, len(inv.Lines)),
	}
	for i, l := range inv.Lines {
		p := "/lines/" + strconv.Itoa(i)
		ld := invoice.LineData{
			LineNumber: inv.LineLabel(i), Product: r.item(p+"/item", l.Item, true), ItemRef: l.Item, POLine: l.POLine,
			PartnerQuantity: l.Quantity.Amount, PartnerUnit: l.Quantity.Unit,
			UnitPrice: l.UnitPrice, PartnerUnitPrice: l.UnitPrice, Amount: l.Extended(),
		}
		if q, ok := r.quantity(p+"/quantity", l.Quantity, true); ok {
			ld.Quantity, ld.Unit = q.Amount, q.Unit
			ld.UnitPrice = r.price(l.UnitPrice, l.Quantity.Unit)
		}
		d.Lines[i] = ld
	}
	if err := r.err(); err != nil {
		return DocumentResult{}, err
	}
	po, err := h.orderView(ctx, inv.PONumber)
	if err != nil {
		return DocumentResult{}, err
	}
	_, priceVariance := h.crosswalk.Tolerances(msg.PartnerID)
	res, err := record(ctx, &h.rec, write[*invoice.Aggregate]{
		stream:     invoice.StreamID(msg.PartnerID, inv.InvoiceNumber),
		key:        msg.Key,
		msg:        msg,
		occurredAt: d.InvoiceDate,
		fresh:      invoice.New,
		decide: func(a *invoice.Aggregate) ([]event, string, error) {
			events, err := asEvents(a.Receive(d, po, priceVariance))
			return events, OutcomeUnchanged, err
		},
	})
	return one(domain.KindInvoice, res, err)
}
