package receipt_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crossdock-hub/crossdock/domain"
	"github.com/crossdock-hub/crossdock/domain/order"
	"github.com/crossdock-hub/crossdock/domain/receipt"
)

func data(products ...string) receipt.ReceiptData {
	d := receipt.ReceiptData{ReceiptNumber: "RCV-1", PONumber: "P1", Partner: "wh1", ReceivedAt: time.Date(2026, 3, 5, 0, 0, 0, 0, time.UTC)}
	for i, p := range products {
		d.Lines = append(d.Lines, receipt.LineData{LineNumber: string(rune('1' + i)), Product: p,
			Quantity: decimal.NewFromInt(1), Unit: "EA", PartnerQuantity: decimal.NewFromInt(1), PartnerUnit: "EA"})
	}
	return d
}

func TestReceive(t *testing.T) {
	t.Parallel()
	po := order.View{PONumber: "P1", Found: true, Lines: []order.OrderedLine{{LineNumber: "1", Product: "SKU-42", Quantity: domain.Quantity{Amount: decimal.NewFromInt(5), Unit: "EA"}}}}
	tests := []struct {
		name  string
		d     receipt.ReceiptData
		po    order.View
		kinds []string // exception kinds, in order
	}{
		{name: "on the order", d: data("SKU-42"), po: po},
		{name: "a product not on the order", d: data("SKU-42", "SKU-9", "SKU-8"), po: po,
			kinds: []string{receipt.ExceptionUnknownPOLine, receipt.ExceptionUnknownPOLine}},
		{name: "unknown order", d: data("SKU-42", "SKU-9"), po: order.View{PONumber: "P1"},
			kinds: []string{receipt.ExceptionUnknownPO}},
		{name: "no PO named: no check", d: func() receipt.ReceiptData { d := data("SKU-9"); d.PONumber = ""; d.ASNNumber = "A1"; return d }()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			events, err := receipt.New().Receive(tt.d, tt.po)
			require.NoError(t, err)
			require.Len(t, events, 1+len(tt.kinds))
			assert.Equal(t, receipt.Received{ReceiptData: tt.d}, events[0])
			for i, k := range tt.kinds {
				exc := events[1+i].(receipt.ExceptionRaised)
				assert.Equal(t, k, exc.Kind)
				assert.Equal(t, 1, exc.Revision)
				if k == receipt.ExceptionUnknownPOLine {
					assert.Equal(t, tt.d.Lines[1+i].Product, exc.Product)
					assert.Equal(t, tt.d.Lines[1+i].LineNumber, exc.Line)
				}
			}
		})
	}
}

func TestReceiveRevision(t *testing.T) {
	t.Parallel()
	a := receipt.New()
	first, err := a.Receive(data("SKU-42"), order.View{})
	require.NoError(t, err)
	for _, e := range first {
		b, err := json.Marshal(e)
		require.NoError(t, err)
		require.NoError(t, a.Apply(e.EventType(), b))
	}
	assert.Equal(t, int64(2), a.Version(), "the exception counts in the version")
	same, err := a.Receive(data("SKU-42"), order.View{})
	require.NoError(t, err)
	assert.Empty(t, same, "same content: no exception raised again either")

	changed := data("SKU-42")
	changed.Lines[0].Quantity = decimal.RequireFromString("1.5")
	events, err := a.Receive(changed, order.View{})
	require.NoError(t, err)
	require.Len(t, events, 2)
	assert.Equal(t, 2, events[0].(receipt.Revised).Revision)
	assert.Equal(t, 2, events[1].(receipt.ExceptionRaised).Revision)
}

// Odoo's answers are facts of their own, but a re-drive that finds a booked revision done in Odoo adds
// nothing: the log already says so.
func TestRecordOdooBooking(t *testing.T) {
	t.Parallel()
	a := receipt.New()
	received, _ := json.Marshal(data("SKU-42"))
	require.NoError(t, a.Apply(receipt.EventReceived, received))

	validated := &receipt.OdooBookingData{ReceiptNumber: "RCV-1", Partner: "wh1", Revision: 1, Outcome: receipt.BookingValidated, Picking: "WH/IN/00001"}
	events, err := a.RecordOdooBooking(validated, nil)
	require.NoError(t, err)
	require.Len(t, events, 1)
	assert.Equal(t, receipt.EventBookedInOdoo, events[0].EventType())

	// A run that stopped before recording: Odoo says done, nothing recorded yet — recorded.
	again := *validated
	again.Outcome = receipt.BookingAlreadyDone
	events, err = a.RecordOdooBooking(&again, nil)
	require.NoError(t, err)
	require.Len(t, events, 1, "the first word that the receipt is booked is recorded")

	booked, _ := json.Marshal(validated)
	require.NoError(t, a.Apply(receipt.EventBookedInOdoo, booked))
	events, err = a.RecordOdooBooking(&again, nil)
	require.NoError(t, err)
	assert.Empty(t, events, "a re-drive that finds the booked revision done records nothing")

	// A later revision is a document of its own.
	revised := again
	revised.Revision = 2
	events, err = a.RecordOdooBooking(&revised, nil)
	require.NoError(t, err)
	assert.Len(t, events, 1)
	// Failures are always recorded.
	events, err = a.RecordOdooBooking(nil, &receipt.OdooBookingFailedData{ReceiptNumber: "RCV-1", Partner: "wh1", Revision: 1, Reason: "no P1 in Odoo"})
	require.NoError(t, err)
	assert.Len(t, events, 1)
}
