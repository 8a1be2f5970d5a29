package commands_test

import (
	"context"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crossdock-hub/crossdock/commands"
	"github.com/crossdock-hub/crossdock/domain"
	"github.com/crossdock-hub/crossdock/domain/inventory"
	"github.com/crossdock-hub/crossdock/domain/invoice"
	"github.com/crossdock-hub/crossdock/domain/order"
	"github.com/crossdock-hub/crossdock/domain/receipt"
	"github.com/crossdock-hub/crossdock/domain/shipment"
	"github.com/crossdock-hub/crossdock/eventstore"
	"github.com/crossdock-hub/crossdock/projections/timeline"
)

// documents gives one document of every kind a partner sends, with the partner that sends it.
func documents(t *testing.T) []struct {
	partner string
	doc     domain.Document
} {
	return []struct {
		partner string
		doc     domain.Document
	}{
		{"acme", partnerASN(t, "P00042", asnLine(t, 1, domain.ItemRef{PartnerItem: "A-42"}, "2", "CS"))},
		{"ups", statusReport(milestonePickedUp, milestoneInTransit)},
		{"wh1", warehouseReceipt(t, "P77777", receipt.Line{Number: "1", Item: domain.ItemRef{PartnerItem: "W42"}, Received: q(t, "5", "EA")})},
		{"wh1", order.ShipConfirmation{OrderNumber: "WO-1", ShipDate: shipDate, Lines: []order.ShipmentLine{{Number: "1", Item: domain.ItemRef{PartnerItem: "W42"}, Shipped: q(t, "1", "CA")}}}},
		{"wh1", snapshot(t, asOf1, "8")},
		{"wh1", inventory.Adjustment{At: asOf1, Item: domain.ItemRef{PartnerItem: "W77"}, Change: q(t, "3", "EA")}},
		{"acme", supplierInvoice(t, "P77777", "", invoice.Line{Number: "1", Item: domain.ItemRef{PartnerItem: "A-42"}, Quantity: q(t, "1", "CS"), UnitPrice: dec(t, "30")})},
		{"acme", acknowledgment(t, "P55555")},
		{"acme", order.FunctionalAck{Standard: "x12", GroupControl: "9", GroupStatus: "accepted"}},
	}
}

// TestDocumentSameMessageTwice: for every kind, a message handled twice (a retry whose answer was lost)
// appends nothing the second time and answers with the same event IDs.
func TestDocumentSameMessageTwice(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, store eventstore.Store) {
		h := newDocumentHandler(t, store)
		for _, d := range documents(t) {
			t.Run(d.doc.Kind(), func(t *testing.T) {
				cmd := commands.ReceiveDocument{Message: message(d.partner, "twice-"+d.doc.Kind()), Document: d.doc}
				first, err := h.Handle(t.Context(), cmd)
				require.NoError(t, err)
				require.NotEmpty(t, first.Streams)
				before := len(allEvents(t, store))

				second, err := h.Handle(t.Context(), cmd)
				require.NoError(t, err)
				assert.Len(t, allEvents(t, store), before, "nothing appended the second time")
				require.Len(t, second.Streams, len(first.Streams))
				for i, st := range first.Streams {
					assert.False(t, st.Duplicate)
					assert.NotEmpty(t, st.EventIDs)
					assert.True(t, second.Streams[i].Duplicate)
					assert.Equal(t, st.EventIDs, second.Streams[i].EventIDs)
					assert.Equal(t, st.Outcome, second.Streams[i].Outcome)
					assert.Equal(t, st.StreamVersion, second.Streams[i].StreamVersion)
				}
			})
		}
	})
}

// TestDocumentUnmapped: for every kind with items and units, a document with an unknown item and an
// unknown unit is refused with both listed, and nothing of it is recorded.
func TestDocumentUnmapped(t *testing.T) {
	t.Parallel()
	unknown := domain.ItemRef{PartnerItem: "NOPE", Description: "mystery"}
	tests := []struct {
		partner string
		doc     domain.Document
		items   []commands.UnmappedItem
		units   []commands.UnmappedUnit
	}{
		{
			partner: "acme",
			doc: partnerASN(t, "P00042",
				asnLine(t, 1, domain.ItemRef{PartnerItem: "A-42"}, "2", "CS"),
				asnLine(t, 2, unknown, "2", "CS"),
				asnLine(t, 3, domain.ItemRef{PartnerItem: "A-77"}, "1", "BX")),
			items: []commands.UnmappedItem{{Path: "/lines/1/item_ref", Ref: unknown}},
			units: []commands.UnmappedUnit{{Path: "/lines/2/partner_quantity/unit", Unit: "BX"}},
		},
		{
			partner: "wh1",
			doc: warehouseReceipt(t, "P00042",
				receipt.Line{Number: "1", Item: unknown, Received: q(t, "1", "EA")},
				receipt.Line{Number: "2", Item: domain.ItemRef{PartnerItem: "W42"}, Received: q(t, "1", "EA"), Damaged: q(t, "1", "PL")}),
			items: []commands.UnmappedItem{{Path: "/lines/0/item", Ref: unknown}},
			units: []commands.UnmappedUnit{{Path: "/lines/1/damaged/unit", Unit: "PL"}},
		},
		{
			partner: "wh1",
			doc: inventory.Snapshot{AsOf: asOf1, Positions: []inventory.Position{
				{Item: domain.ItemRef{PartnerItem: "W42"}, Quantities: map[string]domain.Quantity{inventory.OnHand: q(t, "1", "EA")}},
				{Item: unknown, Quantities: map[string]domain.Quantity{inventory.OnHand: q(t, "1", "LB")}},
			}},
			items: []commands.UnmappedItem{{Path: "/positions/1/item", Ref: unknown}},
			units: []commands.UnmappedUnit{{Path: "/positions/1/quantities/on_hand/unit", Unit: "LB"}},
		},
		{
			partner: "wh1",
			doc:     inventory.Adjustment{At: asOf1, Item: unknown, Change: q(t, "1", "LB")},
			items:   []commands.UnmappedItem{{Path: "/item", Ref: unknown}},
			units:   []commands.UnmappedUnit{{Path: "/change/unit", Unit: "LB"}},
		},
		{
			partner: "acme",
			doc: supplierInvoice(t, "P00042", "",
				invoice.Line{Number: "1", Item: unknown, Quantity: q(t, "1", "EA"), UnitPrice: dec(t, "1")},
				invoice.Line{Number: "2", Item: domain.ItemRef{PartnerItem: "A-42"}, Quantity: q(t, "1", "DZ"), UnitPrice: dec(t, "1")}),
			items: []commands.UnmappedItem{{Path: "/lines/0/item", Ref: unknown}},
			units: []commands.UnmappedUnit{{Path: "/lines/1/quantity/unit", Unit: "DZ"}},
		},
		{
			partner: "wh1",
			doc: order.ShipConfirmation{OrderNumber: "WO-1", ShipDate: shipDate, Lines: []order.ShipmentLine{
				{Number: "1", Item: unknown, Shipped: q(t, "1", "EA"), Ordered: q(t, "1", "PL")}}},
			items: []commands.UnmappedItem{{Path: "/lines/0/item", Ref: unknown}},
			units: []commands.UnmappedUnit{{Path: "/lines/0/ordered/unit", Unit: "PL"}},
		},
		{
			partner: "acme",
			doc: order.Acknowledgment{PONumber: "P00042", AckType: "AC", Lines: []order.AckLine{
				{Number: "1", Item: unknown, Status: order.LineAccepted, PartnerStatus: "IA", Quantity: q(t, "1", "BX")}}},
			items: []commands.UnmappedItem{{Path: "/lines/0/item", Ref: unknown}},
			units: []commands.UnmappedUnit{{Path: "/lines/0/quantity/unit", Unit: "BX"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.doc.Kind(), func(t *testing.T) {
			t.Parallel()
			store := sqliteStore(t)
			_, err := newDocumentHandler(t, store).Handle(t.Context(), commands.ReceiveDocument{Message: message(tt.partner, "m"), Document: tt.doc})
			require.ErrorIs(t, err, commands.ErrUnmapped)
			var ue *commands.UnmappedError
			require.True(t, errors.As(err, &ue))
			assert.Equal(t, tt.doc.Kind(), ue.Kind)
			assert.Equal(t, tt.partner, ue.PartnerID)
			assert.Equal(t, tt.items, ue.Items)
			assert.Equal(t, tt.units, ue.Units)
			assert.Contains(t, err.Error(), tt.items[0].Path)
			assert.Empty(t, allEvents(t, store), "all or nothing: nothing appended")
		})
	}
}

// TestDocumentUnmappedThenFixed: a parked message processed again after the mapping is fixed records
// its events with the IDs its key gives.
func TestDocumentUnmappedThenFixed(t *testing.T) {
	t.Parallel()
	store := sqliteStore(t)
	cw := testCrosswalk()
	h, err := commands.NewDocumentHandler(store, cw, commands.DocumentConfig{Logger: testLogger(t)})
	require.NoError(t, err)
	cmd := commands.ReceiveDocument{Message: message("acme", "parked"), Document: partnerASN(t, "P00042", asnLine(t, 1, domain.ItemRef{GTIN: "04012345678901"}, "1", "CS"))}
	_, err = h.Handle(t.Context(), cmd)
	require.ErrorIs(t, err, commands.ErrUnmapped)

	cw.items["acme|04012345678901"] = "SKU-77"
	res, err := h.Handle(t.Context(), cmd)
	require.NoError(t, err)
	assert.Equal(t, commands.OutcomeReceived, res.Streams[0].Outcome)
	assert.Equal(t, eventstore.DeriveID("parked", 0), res.Streams[0].EventIDs[0])
	data := decode[shipment.ASNData](t, readStream(t, store, "shipment-acme:ASN-2001")[0])
	assert.Equal(t, "SKU-77", data.Lines[0].Item)
	assert.Equal(t, "12", data.Lines[0].Quantity)
}

func TestNewDocumentHandlerValidates(t *testing.T) {
	t.Parallel()
	_, err := commands.NewDocumentHandler(nil, nil, commands.DocumentConfig{PageSize: -1})
	require.Error(t, err)
	for _, want := range []string{"page size -1 is negative", "nil store", "nil crosswalk"} {
		assert.Contains(t, err.Error(), want)
	}
}

func TestDocumentRetriesOnConcurrency(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, store eventstore.Store) {
		winner := warehouseReceipt(t, "", receipt.Line{Number: "1", Item: domain.ItemRef{PartnerItem: "W42"}, Received: q(t, "5", "EA")})
		loser := winner
		loser.Lines = []receipt.Line{{Number: "1", Item: domain.ItemRef{PartnerItem: "W42"}, Received: q(t, "6", "EA")}}
		other := newDocumentHandler(t, store)
		racing := &racingStore{Store: store, race: func(ctx context.Context) {
			_, err := other.Handle(ctx, commands.ReceiveDocument{Message: message("wh1", "winner"), Document: winner})
			require.NoError(t, err)
		}}
		res, err := newDocumentHandler(t, racing).Handle(t.Context(), commands.ReceiveDocument{Message: message("wh1", "loser"), Document: loser})
		require.NoError(t, err)
		assert.Equal(t, commands.OutcomeRevised, res.Streams[0].Outcome, "decided again on the winner's receipt")
		events := readStream(t, store, "receipt-wh1:RCV-88")
		require.Equal(t, []string{receipt.EventReceived, receipt.EventRevised}, types(events))
		assert.Equal(t, eventstore.DeriveID("winner", 0), events[0].ID)
		assert.Equal(t, eventstore.DeriveID("loser", 0), events[1].ID)
	})
}

// TestDocumentEventsAreFindable: the events carry their documents' numbers where the document timeline
// looks for them (top-level *_number fields), so each shows up under the number people search by.
func TestDocumentEventsAreFindable(t *testing.T) {
	t.Parallel()
	store := sqliteStore(t)
	placeOrder(t, store)
	h := newDocumentHandler(t, store)
	for i, d := range documents(t) {
		_, err := h.Handle(t.Context(), commands.ReceiveDocument{Message: message(d.partner, "find-"+string(rune('a'+i))), Document: d.doc})
		require.NoError(t, err)
	}
	want := map[string]timeline.Reference{
		order.EventPlaced:                {Kind: "po_number", Value: "P00042"},
		shipment.EventASNReceived:        {Kind: "asn_number", Value: "ASN-2001"},
		shipment.EventStatusReported:     {Kind: "tracking_number", Value: "1Z999"},
		receipt.EventReceived:            {Kind: "receipt_number", Value: "RCV-88"},
		receipt.EventExceptionRaised:     {Kind: "po_number", Value: "P77777"},
		order.EventShipped:               {Kind: "order_number", Value: "WO-1"},
		inventory.EventSnapshotReported:  {Kind: "report_number", Value: "INV-1"},
		invoice.EventReceived:            {Kind: "invoice_number", Value: "INV-7781"},
		invoice.EventExceptionRaised:     {Kind: "invoice_number", Value: "INV-7781"},
		order.EventAcknowledged:          {Kind: "po_number", Value: "P55555"},
		order.EventExceptionRaised:       {Kind: "ack_number", Value: "ACK-9"},
		order.EventFunctionalAckReceived: {Kind: "group_control_number", Value: "9"},
	}
	seen := map[string]bool{}
	for _, ev := range allEvents(t, store) {
		seen[ev.Type] = true
		refs := timeline.ExtractReferences(ev.Data)
		if ev.Type == inventory.EventAdjusted {
			assert.Empty(t, refs, "an adjustment is found by its stream, not by a document number")
			continue
		}
		if w, ok := want[ev.Type]; ok {
			assert.Contains(t, refs, w, ev.Type)
		} else {
			t.Errorf("no expectation for %s (references %v)", ev.Type, refs)
		}
	}
	for typ := range want {
		assert.True(t, seen[typ], "no %s recorded", typ)
	}
}
