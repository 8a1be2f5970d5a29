package invoice_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crossdock-hub/crossdock/domain"
	"github.com/crossdock-hub/crossdock/domain/invoice"
	"github.com/crossdock-hub/crossdock/domain/order"
)

func d(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func dp(s string) *decimal.Decimal { v := d(s); return &v }

func line(n, product, price string) invoice.LineData {
	return invoice.LineData{LineNumber: n, Product: product, Quantity: d("10"), Unit: "EA", PartnerQuantity: d("10"),
		PartnerUnit: "EA", UnitPrice: d(price), PartnerUnitPrice: d(price), Amount: d(price).Mul(d("10"))}
}

func TestReceiveRules(t *testing.T) {
	t.Parallel()
	po := order.View{PONumber: "P1", Found: true, Lines: []order.OrderedLine{
		{LineNumber: "1", Product: "SKU-42", Quantity: domain.Quantity{Amount: d("10"), Unit: "EA"}, UnitPrice: dp("2.50")},
		{LineNumber: "2", Product: "SKU-77", Quantity: domain.Quantity{Amount: d("10"), Unit: "EA"}},
	}}
	tests := []struct {
		name  string
		data  invoice.InvoiceData
		po    order.View
		kinds []string
	}{
		{name: "exactly at the tolerance", data: invoice.InvoiceData{Lines: []invoice.LineData{line("1", "SKU-42", "2.55")}}, po: po},
		{name: "below the PO price beyond tolerance", data: invoice.InvoiceData{Lines: []invoice.LineData{line("1", "SKU-42", "2.44")}}, po: po,
			kinds: []string{invoice.ExceptionPriceVariance}},
		{name: "a PO line without a price is not checked", data: invoice.InvoiceData{Lines: []invoice.LineData{line("1", "SKU-77", "99")}}, po: po},
		{name: "not on the PO", data: invoice.InvoiceData{Lines: []invoice.LineData{line("1", "SKU-9", "1")}}, po: po,
			kinds: []string{invoice.ExceptionUnknownPOLine}},
		{name: "unknown PO, lines not checked", data: invoice.InvoiceData{Lines: []invoice.LineData{line("1", "SKU-9", "1")}}, po: order.View{PONumber: "P1"},
			kinds: []string{invoice.ExceptionUnknownPO}},
		{name: "total mismatch", data: invoice.InvoiceData{Total: dp("30"), Computed: d("25.5"), Lines: []invoice.LineData{line("1", "SKU-42", "2.55")}}, po: po,
			kinds: []string{invoice.ExceptionTotalMismatch}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tt.data.InvoiceNumber, tt.data.PONumber, tt.data.Partner = "INV-1", "P1", "acme"
			tt.data.InvoiceDate = time.Date(2026, 3, 7, 0, 0, 0, 0, time.UTC)
			tt.data.Reconciles = tt.data.Total == nil
			events, err := invoice.New().Receive(tt.data, tt.po, d("2"))
			require.NoError(t, err)
			require.Len(t, events, 1+len(tt.kinds))
			for i, k := range tt.kinds {
				exc := events[1+i].(invoice.ExceptionRaised)
				assert.Equal(t, k, exc.Kind)
				switch k {
				case invoice.ExceptionPriceVariance:
					assert.Equal(t, "2.5", exc.POPrice.String())
					assert.Equal(t, "2.44", exc.InvoicedPrice.String())
					assert.Equal(t, "2", exc.TolerancePercent.String())
				case invoice.ExceptionTotalMismatch:
					assert.Equal(t, "30", exc.Stated.String())
					assert.Equal(t, "25.5", exc.Computed.String())
				}
			}
		})
	}
}

func TestReceiveRevision(t *testing.T) {
	t.Parallel()
	data := invoice.InvoiceData{InvoiceNumber: "INV-1", PONumber: "P1", Partner: "acme", Reconciles: true, Lines: []invoice.LineData{line("1", "SKU-42", "2.5")}}
	po := order.View{PONumber: "P1", Found: true, Lines: []order.OrderedLine{{Product: "SKU-42", Quantity: domain.Quantity{Amount: d("10"), Unit: "EA"}, UnitPrice: dp("2.5")}}}
	a := invoice.New()
	events, err := a.Receive(data, po, d("0"))
	require.NoError(t, err)
	require.Len(t, events, 1)
	b, err := json.Marshal(events[0])
	require.NoError(t, err)
	require.NoError(t, a.Apply(events[0].EventType(), b))
	same, err := a.Receive(data, po, d("0"))
	require.NoError(t, err)
	assert.Empty(t, same)
	data.Terms = "net 30"
	rev, err := a.Receive(data, po, d("0"))
	require.NoError(t, err)
	require.Len(t, rev, 1)
	assert.Equal(t, 2, rev[0].(invoice.Revised).Revision)
	other := data
	other.InvoiceNumber = "INV-2"
	_, err = a.Receive(other, po, d("0"))
	require.Error(t, err)
}

// A hold is recorded once per set of reasons; the bill once; after it, nothing more.
func TestRecordBilling(t *testing.T) {
	t.Parallel()
	a := invoice.New()
	data, err := json.Marshal(invoice.InvoiceData{InvoiceNumber: "INV-1", PONumber: "P1", Partner: "acme", Type: invoice.TypeDebit})
	require.NoError(t, err)
	require.NoError(t, a.Apply(invoice.EventReceived, data))
	apply := func(events []invoice.Event) {
		for _, e := range events {
			b, err := json.Marshal(e)
			require.NoError(t, err)
			require.NoError(t, a.Apply(e.EventType(), b))
		}
	}
	held := &invoice.BillHeldData{InvoiceNumber: "INV-1", PONumber: "P1", Partner: "acme", Reasons: []string{"line 1: over_invoiced"}}
	events, err := a.RecordBilling(nil, held, nil)
	require.NoError(t, err)
	require.Len(t, events, 1)
	assert.Equal(t, invoice.EventBillHeld, events[0].EventType())
	apply(events)
	events, err = a.RecordBilling(nil, held, nil)
	require.NoError(t, err)
	assert.Empty(t, events, "the same hold again")
	other := *held
	other.Reasons = []string{"line 1: price_variance"}
	events, err = a.RecordBilling(nil, &other, nil)
	require.NoError(t, err)
	assert.Len(t, events, 1, "held for another reason")
	apply(events)

	billed := &invoice.BilledData{InvoiceNumber: "INV-1", PONumber: "P1", Partner: "acme", Outcome: invoice.BillCreated, BillID: 7, State: "draft"}
	events, err = a.RecordBilling(billed, nil, nil)
	require.NoError(t, err)
	require.Len(t, events, 1)
	apply(events)
	assert.True(t, a.Billed())
	done := *billed
	done.Outcome = invoice.BillAlreadyDone
	events, err = a.RecordBilling(&done, nil, nil)
	require.NoError(t, err)
	assert.Empty(t, events, "a re-drive finds the bill made")
	events, err = a.RecordBilling(nil, held, nil)
	require.NoError(t, err)
	assert.Empty(t, events, "billed: a hold is moot")
	_, err = a.RecordBilling(nil, nil, nil)
	require.Error(t, err)
}
