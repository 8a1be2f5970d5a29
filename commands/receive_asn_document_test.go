package commands_test

import (
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crossdock-hub/crossdock/commands"
	"github.com/crossdock-hub/crossdock/domain"
	"github.com/crossdock-hub/crossdock/domain/shipment"
	"github.com/crossdock-hub/crossdock/eventstore"
)

// partnerASN is an ASN as a mapper gives it: items as acme names them, quantities in acme's cases, in
// both Quantity and PartnerQuantity, Item empty.
func partnerASN(t *testing.T, po string, lines ...shipment.Line) shipment.ASN {
	return shipment.ASN{
		ASNNumber: "ASN-2001", PONumber: po, ShipDate: shipDate, ShipTo: "WH1", CarrierSCAC: "UPSN",
		TrackingNumber: "1Z999", BillOfLading: "BOL-7", Lines: lines,
	}
}

func asnLine(t *testing.T, n int, ref domain.ItemRef, amount, unit string) shipment.Line {
	sent := q(t, amount, unit)
	return shipment.Line{Number: n, Ref: ref, Quantity: sent, PartnerQuantity: sent}
}

func TestDocumentASN(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, store eventstore.Store) {
		ctx := t.Context()
		h := newDocumentHandler(t, store)
		l1 := asnLine(t, 1, domain.ItemRef{PartnerItem: "A-42", UPC: "012345678905", Description: "Widget"}, "2", "CS")
		l1.Ordered, l1.SSCC, l1.Lot = q(t, "3", "CS"), "000123456789012345", "L7"
		l2 := asnLine(t, 2, domain.ItemRef{PartnerItem: "A-77"}, "5", "PCE")
		doc := partnerASN(t, "P00042", l1, l2)

		res, err := h.Handle(ctx, commands.ReceiveDocument{Message: message("acme", "asn-1"), Document: doc})
		require.NoError(t, err)
		const stream = "shipment-acme:ASN-2001"
		assert.Equal(t, commands.DocumentResult{Kind: domain.KindASN, Streams: []commands.StreamResult{{
			StreamID: stream, StreamVersion: 1, Outcome: commands.OutcomeReceived,
			EventIDs: []uuid.UUID{eventstore.DeriveID("asn-1", 0)},
		}}}, res)

		events := readStream(t, store, stream)
		require.Len(t, events, 1)
		require.Equal(t, shipment.EventASNReceived, events[0].Type)
		data := decode[shipment.ASNData](t, events[0])
		assert.Equal(t, "acme", data.Supplier)
		assert.Equal(t, "BOL-7", data.BillOfLading)
		assert.Equal(t, []shipment.LineData{
			{
				LineNumber: 1, Item: "SKU-42", Quantity: "24", Unit: "EA", Lot: "L7",
				ItemRef:         &domain.ItemRef{PartnerItem: "A-42", UPC: "012345678905", Description: "Widget"},
				PartnerQuantity: "2", PartnerUnit: "CS", OrderedQuantity: "36", OrderedUnit: "EA", SSCC: "000123456789012345",
			},
			{
				LineNumber: 2, Item: "SKU-77", Quantity: "5", Unit: "EA",
				ItemRef: &domain.ItemRef{PartnerItem: "A-77"}, PartnerQuantity: "5", PartnerUnit: "PCE",
			},
		}, data.Lines)
		// On the wire: decimal strings, the partner's beside the canonical.
		assert.JSONEq(t, `"2"`, string(mustField(t, events[0].Data, "lines", 0, "partner_quantity")))
		assert.JSONEq(t, `"CS"`, string(mustField(t, events[0].Data, "lines", 0, "partner_unit")))

		// The same message again: nothing appended, the same event IDs.
		again, err := h.Handle(ctx, commands.ReceiveDocument{Message: message("acme", "asn-1"), Document: doc})
		require.NoError(t, err)
		assert.True(t, again.Streams[0].Duplicate)
		assert.Equal(t, res.Streams[0].EventIDs, again.Streams[0].EventIDs)
		assert.Equal(t, commands.OutcomeReceived, again.Streams[0].Outcome)

		// Another message with the same ASN: the partner's fields survive the round trip through the
		// stream, so the resend is recognised as unchanged, not as a revision.
		resend, err := h.Handle(ctx, commands.ReceiveDocument{Message: message("acme", "asn-2"), Document: doc})
		require.NoError(t, err)
		assert.Equal(t, commands.OutcomeUnchanged, resend.Streams[0].Outcome)
		assert.Len(t, readStream(t, store, stream), 1)
	})
}

func TestDocumentASNOverShip(t *testing.T) {
	t.Parallel()
	sku42 := domain.ItemRef{PartnerItem: "A-42"}
	tests := []struct {
		name  string
		po    string
		lines func(t *testing.T) []shipment.Line
		want  []shipment.OverShipFlagged // ASNNumber, PONumber, Supplier filled in below
	}{
		{
			name:  "within 5 percent",
			po:    "P00042",
			lines: func(t *testing.T) []shipment.Line { return []shipment.Line{asnLine(t, 1, sku42, "105", "EA")} },
		},
		{
			name:  "beyond 5 percent",
			po:    "P00042",
			lines: func(t *testing.T) []shipment.Line { return []shipment.Line{asnLine(t, 1, sku42, "106", "EA")} },
			want:  []shipment.OverShipFlagged{{Product: "SKU-42", Ordered: dec(t, "100"), Shipped: dec(t, "106"), Unit: "EA"}},
		},
		{
			name: "summed over the lines of a product, in canonical units",
			po:   "P00042",
			lines: func(t *testing.T) []shipment.Line {
				return []shipment.Line{asnLine(t, 1, sku42, "5", "CS"), asnLine(t, 2, domain.ItemRef{UPC: "012345678905"}, "48", "EA")}
			},
			want: []shipment.OverShipFlagged{{Product: "SKU-42", Ordered: dec(t, "100"), Shipped: dec(t, "108"), Unit: "EA"}},
		},
		{
			name: "a product not on the order",
			po:   "P00042",
			lines: func(t *testing.T) []shipment.Line {
				return []shipment.Line{asnLine(t, 1, sku42, "10", "EA"), asnLine(t, 2, domain.ItemRef{PartnerItem: "A-99"}, "1", "EA")}
			},
			want: []shipment.OverShipFlagged{{Product: "SKU-99", Ordered: dec(t, "0"), Shipped: dec(t, "1"), Unit: "EA"}},
		},
		{
			name:  "unknown order: no check",
			po:    "P09999",
			lines: func(t *testing.T) []shipment.Line { return []shipment.Line{asnLine(t, 1, sku42, "500", "EA")} },
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			store := sqliteStore(t)
			placeOrder(t, store)
			res, err := newDocumentHandler(t, store).Handle(t.Context(), commands.ReceiveDocument{
				Message: message("acme", "asn"), Document: partnerASN(t, tt.po, tt.lines(t)...),
			})
			require.NoError(t, err)
			require.Len(t, res.Streams, 1)
			assert.Equal(t, commands.OutcomeReceived, res.Streams[0].Outcome, "an over-shipping ASN is still accepted")
			events := readStream(t, store, "shipment-acme:ASN-2001")
			require.Len(t, events, 1+len(tt.want))
			assert.Equal(t, shipment.EventASNReceived, events[0].Type)
			for i, want := range tt.want {
				ev := events[1+i]
				require.Equal(t, shipment.EventOverShipFlagged, ev.Type)
				assert.Equal(t, eventstore.DeriveID("asn", 1+i), ev.ID, "in the ASN's append")
				got := decode[shipment.OverShipFlagged](t, ev)
				want.ASNNumber, want.PONumber, want.Supplier, want.Revision = "ASN-2001", tt.po, "acme", 1
				want.TolerancePercent = dec(t, "5")
				assert.Equal(t, want.Product, got.Product)
				assert.True(t, want.Ordered.Equal(got.Ordered), "ordered %s", got.Ordered)
				assert.True(t, want.Shipped.Equal(got.Shipped), "shipped %s", got.Shipped)
				assert.True(t, want.TolerancePercent.Equal(got.TolerancePercent))
				assert.Equal(t, want.Unit, got.Unit)
				assert.Equal(t, want.Revision, got.Revision)
				assert.Equal(t, want.ASNNumber, got.ASNNumber)
				assert.Equal(t, want.PONumber, got.PONumber)
			}
		})
	}
}

func TestDocumentASNRejected(t *testing.T) {
	t.Parallel()
	store := sqliteStore(t)
	doc := partnerASN(t, "P00042", asnLine(t, 1, domain.ItemRef{}, "2", "CS"), asnLine(t, 2, domain.ItemRef{PartnerItem: "A-00"}, "0", "CS"))
	doc.ShipTo = ""
	_, err := newDocumentHandler(t, store).Handle(t.Context(), commands.ReceiveDocument{Message: message("acme", "bad"), Document: doc})
	var ve *shipment.ValidationError
	require.ErrorAs(t, err, &ve, "broken rules come before unmapped items")
	assert.Equal(t, []domain.Violation{
		{Field: "/lines/0/item", Reason: "is required"},
		{Field: "/lines/1/quantity", Reason: "must be greater than zero"},
	}, ve.Violations)
	assert.Empty(t, allEvents(t, store))
}
