package commands_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crossdock-hub/crossdock/commands"
	"github.com/crossdock-hub/crossdock/domain"
	"github.com/crossdock-hub/crossdock/domain/receipt"
	"github.com/crossdock-hub/crossdock/eventstore"
)

var receiptTime = time.Date(2026, 3, 5, 10, 15, 0, 0, time.UTC)

func warehouseReceipt(t *testing.T, po string, lines ...receipt.Line) receipt.Receipt {
	return receipt.Receipt{ReceiptNumber: "RCV-88", PONumber: po, ASNNumber: "ASN-2001", Warehouse: "WH1", ReceivedAt: receiptTime, Lines: lines}
}

func TestDocumentReceipt(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, store eventstore.Store) {
		ctx := t.Context()
		placeOrder(t, store)
		h := newDocumentHandler(t, store)
		const stream = "receipt-wh1:RCV-88"
		doc := warehouseReceipt(t, "P00042",
			receipt.Line{Number: "1", Item: domain.ItemRef{PartnerItem: "W42"}, POLine: "1", Received: q(t, "8", "CA"), Damaged: q(t, "1", "CA"), Lot: "L7"},
			receipt.Line{Number: "2", Item: domain.ItemRef{PartnerItem: "W99"}, Received: q(t, "3", "EA"), Exceptions: []string{"03"}},
		)

		res, err := h.Handle(ctx, commands.ReceiveDocument{Message: message("wh1", "rcv-1"), Document: doc})
		require.NoError(t, err)
		require.Len(t, res.Streams, 1)
		assert.Equal(t, stream, res.Streams[0].StreamID)
		assert.Equal(t, commands.OutcomeReceived, res.Streams[0].Outcome)

		events := readStream(t, store, stream)
		require.Equal(t, []string{receipt.EventReceived, receipt.EventExceptionRaised}, types(events))
		got := decode[receipt.ReceiptData](t, events[0])
		assert.Equal(t, "RCV-88", got.ReceiptNumber)
		assert.Equal(t, "P00042", got.PONumber)
		assert.Equal(t, "wh1", got.Partner)
		assert.Equal(t, receiptTime, got.ReceivedAt)
		require.Len(t, got.Lines, 2)
		l := got.Lines[0]
		assert.Equal(t, "SKU-42", l.Product)
		assert.Equal(t, "W42", l.ItemRef.PartnerItem)
		assert.Equal(t, "96 EA", l.Quantity.String()+" "+l.Unit)
		assert.Equal(t, "8 CA", l.PartnerQuantity.String()+" "+l.PartnerUnit)
		require.NotNil(t, l.DamagedQuantity)
		assert.Equal(t, "12 EA", l.DamagedQuantity.String()+" "+l.DamagedUnit)
		assert.Equal(t, "1 CA", l.PartnerDamagedQuantity.String()+" "+l.PartnerDamagedUnit)
		assert.Equal(t, "L7", l.Lot)
		assert.Equal(t, "SKU-99", got.Lines[1].Product)
		assert.Equal(t, []string{"03"}, got.Lines[1].Exceptions)
		assert.JSONEq(t, `"96"`, string(mustField(t, events[0].Data, "lines", 0, "quantity")))
		assert.Equal(t, receiptTime, events[0].Metadata.OccurredAt.UTC())

		exc := decode[receipt.ExceptionRaised](t, events[1])
		assert.Equal(t, receipt.ExceptionRaised{
			Kind: receipt.ExceptionUnknownPOLine, ReceiptNumber: "RCV-88", PONumber: "P00042", Line: "2", Product: "SKU-99",
			Revision: 1, Message: exc.Message,
		}, exc)
		assert.Contains(t, exc.Message, "SKU-99")

		// The same receipt from another message: nothing. A corrected one: a revision, checked again.
		res, err = h.Handle(ctx, commands.ReceiveDocument{Message: message("wh1", "rcv-2"), Document: doc})
		require.NoError(t, err)
		assert.Equal(t, commands.OutcomeUnchanged, res.Streams[0].Outcome)
		doc.Lines = doc.Lines[:1]
		doc.Lines[0].Received = q(t, "9", "CA")
		res, err = h.Handle(ctx, commands.ReceiveDocument{Message: message("wh1", "rcv-3"), Document: doc})
		require.NoError(t, err)
		assert.Equal(t, commands.OutcomeRevised, res.Streams[0].Outcome)
		events = readStream(t, store, stream)
		require.Equal(t, []string{receipt.EventReceived, receipt.EventExceptionRaised, receipt.EventRevised}, types(events))
		rev := decode[receipt.Revised](t, events[2])
		assert.Equal(t, 2, rev.Revision)
		assert.Equal(t, "108", rev.Lines[0].Quantity.String())
	})
}

func TestDocumentReceiptUnknownPO(t *testing.T) {
	t.Parallel()
	store := sqliteStore(t)
	doc := warehouseReceipt(t, "P77777", receipt.Line{Number: "1", Item: domain.ItemRef{PartnerItem: "W42"}, Received: q(t, "5", "EA")})
	res, err := newDocumentHandler(t, store).Handle(t.Context(), commands.ReceiveDocument{Message: message("wh1", "rcv"), Document: doc})
	require.NoError(t, err)
	assert.Equal(t, commands.OutcomeReceived, res.Streams[0].Outcome, "the receipt is recorded all the same")
	events := readStream(t, store, "receipt-wh1:RCV-88")
	require.Equal(t, []string{receipt.EventReceived, receipt.EventExceptionRaised}, types(events))
	exc := decode[receipt.ExceptionRaised](t, events[1])
	assert.Equal(t, receipt.ExceptionUnknownPO, exc.Kind)
	assert.Equal(t, "P77777", exc.PONumber)
	assert.Empty(t, exc.Line)
}
