package commands_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crossdock-hub/crossdock/commands"
	"github.com/crossdock-hub/crossdock/domain"
	"github.com/crossdock-hub/crossdock/domain/order"
)

var ackDate = time.Date(2026, 2, 21, 8, 0, 0, 0, time.UTC)

func acknowledgment(t *testing.T, po string) order.Acknowledgment {
	return order.Acknowledgment{
		PONumber: po, AckType: "AC", Accepted: true, AckNumber: "ACK-9", Date: ackDate,
		Lines: []order.AckLine{
			{Number: "1", Item: domain.ItemRef{PartnerItem: "A-42"}, Status: order.LineChanged, PartnerStatus: "IQ",
				Ordered: q(t, "100", "EA"), Quantity: q(t, "8", "CS"), UnitPrice: &domain.Money{Amount: dec(t, "30"), Currency: "USD"}},
			{Number: "2", Status: order.LineBackordered, PartnerStatus: "IB", Quantity: q(t, "10", "EA")},
		},
	}
}

func TestDocumentOrderAck(t *testing.T) {
	t.Parallel()
	store := sqliteStore(t)
	ctx := t.Context()
	placeOrder(t, store)
	h := newDocumentHandler(t, store)

	res, err := h.Handle(ctx, commands.ReceiveDocument{Message: message("acme", "ack-1"), Document: acknowledgment(t, "P00042")})
	require.NoError(t, err)
	assert.Equal(t, "order-po:P00042", res.Streams[0].StreamID)
	assert.Equal(t, commands.OutcomeRecorded, res.Streams[0].Outcome)
	events := readStream(t, store, "order-po:P00042")
	require.Equal(t, []string{order.EventPlaced, order.EventAcknowledged}, types(events), "a known order: no exception")
	got := decode[order.AckData](t, events[1])
	assert.Equal(t, "AC", got.AckType)
	assert.Equal(t, "ACK-9", got.AckNumber)
	assert.Equal(t, "acme", got.Partner)
	l := got.Lines[0]
	assert.Equal(t, "SKU-42", l.Product)
	assert.Equal(t, order.LineChanged, l.Status)
	assert.Equal(t, "IQ", l.PartnerStatus)
	assert.Equal(t, "96 EA", l.Quantity.String()+" "+l.Unit)
	assert.Equal(t, "8 CS", l.PartnerQuantity.String()+" "+l.PartnerUnit)
	assert.Equal(t, "100 EA", l.OrderedQuantity.String()+" "+l.OrderedUnit)
	assert.Equal(t, "2.5", l.UnitPrice.String(), "30 a case of 12")
	assert.Equal(t, "30", l.PartnerUnitPrice.String())
	assert.Empty(t, got.Lines[1].Product, "a line answered by number alone")
	assert.Equal(t, order.LineBackordered, got.Lines[1].Status)
	assert.Equal(t, ackDate, events[1].Metadata.OccurredAt.UTC())

	res, err = h.Handle(ctx, commands.ReceiveDocument{Message: message("acme", "ack-2"), Document: acknowledgment(t, "P00042")})
	require.NoError(t, err)
	assert.Equal(t, commands.OutcomeUnchanged, res.Streams[0].Outcome, "the same acknowledgment again")
}

func TestDocumentOrderAckUnknownPO(t *testing.T) {
	t.Parallel()
	store := sqliteStore(t)
	_, err := newDocumentHandler(t, store).Handle(t.Context(), commands.ReceiveDocument{Message: message("acme", "ack"), Document: acknowledgment(t, "P55555")})
	require.NoError(t, err)
	events := readStream(t, store, "order-po:P55555")
	require.Equal(t, []string{order.EventAcknowledged, order.EventExceptionRaised}, types(events))
	exc := decode[order.ExceptionRaised](t, events[1])
	assert.Equal(t, order.ExceptionUnknownPO, exc.Kind)
	assert.Equal(t, "P55555", exc.PONumber)
	assert.Equal(t, "ACK-9", exc.AckNumber)
}

func TestDocumentShipConfirmation(t *testing.T) {
	t.Parallel()
	shipped := time.Date(2026, 3, 8, 11, 0, 0, 0, time.UTC)
	confirmation := func(po string) order.ShipConfirmation {
		return order.ShipConfirmation{
			OrderNumber: "WO-31", PONumber: po, ShipmentID: "SH-1", ShipDate: shipped, CarrierSCAC: "UPSN", TrackingNumber: "1Z777",
			Lines: []order.ShipmentLine{{Number: "1", Item: domain.ItemRef{PartnerItem: "W42"}, Ordered: q(t, "2", "CA"), Shipped: q(t, "20", "EA"), SSCC: "00012345"}},
		}
	}
	tests := []struct{ name, po, stream string }{
		{"on the purchase order", "P00042", "order-po:P00042"},
		{"on the warehouse order when no PO is named", "", "order-wo:WO-31"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			store := sqliteStore(t)
			h := newDocumentHandler(t, store)
			res, err := h.Handle(t.Context(), commands.ReceiveDocument{Message: message("wh1", "sc-1"), Document: confirmation(tt.po)})
			require.NoError(t, err)
			assert.Equal(t, tt.stream, res.Streams[0].StreamID)
			events := readStream(t, store, tt.stream)
			require.Equal(t, []string{order.EventShipped}, types(events))
			got := decode[order.ShippedData](t, events[0])
			assert.Equal(t, "WO-31", got.OrderNumber)
			assert.Equal(t, "1Z777", got.TrackingNumber)
			assert.Equal(t, shipped, got.ShipDate)
			l := got.Lines[0]
			assert.Equal(t, "SKU-42", l.Product)
			assert.Equal(t, "20 EA", l.Quantity.String()+" "+l.Unit)
			assert.Equal(t, "20 EA", l.PartnerQuantity.String()+" "+l.PartnerUnit)
			assert.Equal(t, "24 EA", l.OrderedQuantity.String()+" "+l.OrderedUnit)
			assert.Equal(t, "2 CA", l.PartnerOrderedQuantity.String()+" "+l.PartnerOrderedUnit)
			assert.Equal(t, "00012345", l.SSCC)

			res, err = h.Handle(t.Context(), commands.ReceiveDocument{Message: message("wh1", "sc-2"), Document: confirmation(tt.po)})
			require.NoError(t, err)
			assert.Equal(t, commands.OutcomeUnchanged, res.Streams[0].Outcome)
		})
	}
}

func TestDocumentFunctionalAck(t *testing.T) {
	t.Parallel()
	store := sqliteStore(t)
	h := newDocumentHandler(t, store)
	fa := order.FunctionalAck{Standard: "x12", GroupControl: "4405", GroupStatus: "accepted_with_errors",
		Sets: []order.AckedSet{{Code: "850", Control: "0001", Status: "accepted_with_errors", Errors: []string{"PO1*4: invalid"}}}}
	res, err := h.Handle(t.Context(), commands.ReceiveDocument{Message: message("acme", "997-1"), Document: &fa})
	require.NoError(t, err)
	assert.Equal(t, "edi-ack-acme:4405", res.Streams[0].StreamID)
	events := readStream(t, store, "edi-ack-acme:4405")
	require.Equal(t, []string{order.EventFunctionalAckReceived}, types(events))
	got := decode[order.FunctionalAckData](t, events[0])
	assert.Equal(t, order.FunctionalAckData{
		Partner: "acme", Standard: "x12", GroupControlNumber: "4405", GroupStatus: "accepted_with_errors",
		Sets: []order.AckedSetData{{Code: "850", Control: "0001", Status: "accepted_with_errors", Errors: []string{"PO1*4: invalid"}}},
	}, got)
	assert.Equal(t, receivedAt, events[0].Metadata.OccurredAt.UTC(), "no business time: the message's")

	res, err = h.Handle(t.Context(), commands.ReceiveDocument{Message: message("acme", "997-2"), Document: fa})
	require.NoError(t, err)
	assert.Equal(t, commands.OutcomeUnchanged, res.Streams[0].Outcome)
}

func TestDocumentOrdersAreNotReceived(t *testing.T) {
	t.Parallel()
	store := sqliteStore(t)
	_, err := newDocumentHandler(t, store).Handle(t.Context(), commands.ReceiveDocument{Message: message("acme", "po"), Document: purchaseOrder(t)})
	var ve *domain.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, domain.KindPurchaseOrder, ve.Document)
	assert.Empty(t, allEvents(t, store))
}
