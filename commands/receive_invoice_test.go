package commands_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crossdock-hub/crossdock/commands"
	"github.com/crossdock-hub/crossdock/domain"
	"github.com/crossdock-hub/crossdock/domain/invoice"
	"github.com/crossdock-hub/crossdock/eventstore"
)

var invoiceDate = time.Date(2026, 3, 7, 0, 0, 0, 0, time.UTC)

func supplierInvoice(t *testing.T, po, total string, lines ...invoice.Line) invoice.Invoice {
	inv := invoice.Invoice{InvoiceNumber: "INV-7781", InvoiceDate: invoiceDate, PONumber: po, Currency: "USD", Lines: lines}
	if total != "" {
		inv.Total = decp(t, total)
	}
	return inv
}

func TestDocumentInvoice(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, store eventstore.Store) {
		ctx := t.Context()
		placeOrder(t, store)
		doc := supplierInvoice(t, "P00042", "440",
			// 30.60 a case of 12 is 2.55 an each: 2% over the PO's 2.50, within the tolerance.
			invoice.Line{Number: "1", Item: domain.ItemRef{PartnerItem: "A-42"}, Quantity: q(t, "10", "CS"), UnitPrice: dec(t, "30.60")},
			// 12.30 against 12: 2.5% over.
			invoice.Line{Number: "2", Item: domain.ItemRef{PartnerItem: "A-77"}, Quantity: q(t, "10", "EA"), UnitPrice: dec(t, "12.30"), POLine: "2"},
			invoice.Line{Number: "3", Item: domain.ItemRef{PartnerItem: "A-99"}, Quantity: q(t, "1", "EA"), UnitPrice: dec(t, "5")},
		)
		res, err := newDocumentHandler(t, store).Handle(ctx, commands.ReceiveDocument{Message: message("acme", "inv-1"), Document: doc})
		require.NoError(t, err)
		assert.Equal(t, "invoice-acme:INV-7781", res.Streams[0].StreamID)
		assert.Equal(t, commands.OutcomeReceived, res.Streams[0].Outcome)

		events := readStream(t, store, "invoice-acme:INV-7781")
		require.Equal(t, []string{invoice.EventReceived, invoice.EventExceptionRaised, invoice.EventExceptionRaised, invoice.EventExceptionRaised}, types(events))
		got := decode[invoice.InvoiceData](t, events[0])
		assert.Equal(t, "P00042", got.PONumber)
		assert.Equal(t, "acme", got.Partner)
		assert.Equal(t, invoice.TypeDebit, got.Type)
		assert.Equal(t, "434", got.Computed.String())
		assert.False(t, got.Reconciles)
		assert.NotEmpty(t, got.Warnings)
		l := got.Lines[0]
		assert.Equal(t, "SKU-42", l.Product)
		assert.Equal(t, "120 EA", l.Quantity.String()+" "+l.Unit)
		assert.Equal(t, "10 CS", l.PartnerQuantity.String()+" "+l.PartnerUnit)
		assert.Equal(t, "2.55", l.UnitPrice.String())
		assert.Equal(t, "30.6", l.PartnerUnitPrice.String())
		assert.Equal(t, "306", l.Amount.String())
		assert.JSONEq(t, `"2.55"`, string(mustField(t, events[0].Data, "lines", 0, "unit_price")))

		mismatch := decode[invoice.ExceptionRaised](t, events[1])
		assert.Equal(t, invoice.ExceptionTotalMismatch, mismatch.Kind)
		assert.Equal(t, "440", mismatch.Stated.String())
		assert.Equal(t, "434", mismatch.Computed.String())

		variance := decode[invoice.ExceptionRaised](t, events[2])
		assert.Equal(t, invoice.ExceptionPriceVariance, variance.Kind)
		assert.Equal(t, "2", variance.Line)
		assert.Equal(t, "SKU-77", variance.Product)
		assert.Equal(t, "12", variance.POPrice.String())
		assert.Equal(t, "12.3", variance.InvoicedPrice.String())
		assert.Equal(t, "2", variance.TolerancePercent.String())

		unknownLine := decode[invoice.ExceptionRaised](t, events[3])
		assert.Equal(t, invoice.ExceptionUnknownPOLine, unknownLine.Kind)
		assert.Equal(t, "3", unknownLine.Line)
		assert.Equal(t, "SKU-99", unknownLine.Product)
		for _, ev := range events {
			assert.Equal(t, invoiceDate, ev.Metadata.OccurredAt.UTC())
		}
	})
}

func TestDocumentInvoiceUnknownPO(t *testing.T) {
	t.Parallel()
	store := sqliteStore(t)
	doc := supplierInvoice(t, "P77777", "25",
		invoice.Line{Number: "1", Item: domain.ItemRef{PartnerItem: "A-42"}, Quantity: q(t, "10", "EA"), UnitPrice: dec(t, "2.50")})
	res, err := newDocumentHandler(t, store).Handle(t.Context(), commands.ReceiveDocument{Message: message("acme", "inv"), Document: doc})
	require.NoError(t, err)
	assert.Equal(t, commands.OutcomeReceived, res.Streams[0].Outcome)
	events := readStream(t, store, "invoice-acme:INV-7781")
	require.Equal(t, []string{invoice.EventReceived, invoice.EventExceptionRaised}, types(events))
	exc := decode[invoice.ExceptionRaised](t, events[1])
	assert.Equal(t, invoice.ExceptionUnknownPO, exc.Kind)
	assert.Equal(t, "P77777", exc.PONumber)
	assert.Equal(t, "INV-7781", exc.InvoiceNumber)
	assert.Equal(t, 1, exc.Revision)
}

func TestDocumentInvoiceClean(t *testing.T) {
	t.Parallel()
	store := sqliteStore(t)
	placeOrder(t, store)
	h := newDocumentHandler(t, store)
	doc := supplierInvoice(t, "P00042", "25.00",
		invoice.Line{Number: "1", Item: domain.ItemRef{PartnerItem: "A-42"}, Quantity: q(t, "10", "EA"), UnitPrice: dec(t, "2.50")})
	_, err := h.Handle(t.Context(), commands.ReceiveDocument{Message: message("acme", "inv-1"), Document: doc})
	require.NoError(t, err)
	assert.Equal(t, []string{invoice.EventReceived}, types(readStream(t, store, "invoice-acme:INV-7781")))

	// A revised invoice that now bills above tolerance: revised, and the exception found in revision 2.
	doc.Lines[0].UnitPrice = dec(t, "2.60")
	doc.Total = decp(t, "26")
	res, err := h.Handle(t.Context(), commands.ReceiveDocument{Message: message("acme", "inv-2"), Document: doc})
	require.NoError(t, err)
	assert.Equal(t, commands.OutcomeRevised, res.Streams[0].Outcome)
	events := readStream(t, store, "invoice-acme:INV-7781")
	require.Equal(t, []string{invoice.EventReceived, invoice.EventRevised, invoice.EventExceptionRaised}, types(events))
	exc := decode[invoice.ExceptionRaised](t, events[2])
	assert.Equal(t, invoice.ExceptionPriceVariance, exc.Kind)
	assert.Equal(t, 2, exc.Revision)
}
