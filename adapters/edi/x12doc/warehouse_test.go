package x12doc_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crossdock-hub/crossdock/adapters/edi/x12"
	"github.com/crossdock-hub/crossdock/adapters/edi/x12doc"
	"github.com/crossdock-hub/crossdock/domain"
	"github.com/crossdock-hub/crossdock/domain/inventory"
	"github.com/crossdock-hub/crossdock/domain/order"
	"github.com/crossdock-hub/crossdock/domain/receipt"
)

func TestMap944(t *testing.T) {
	rs := mapFile(t, "testdata/944_receipt.x12", x12doc.Options{})
	require.Len(t, rs, 1)
	require.Empty(t, rs[0].Errors)
	assert.Empty(t, rs[0].Warnings, "W14 34 is the lines' 24 + 10")
	r, ok := rs[0].Document.(receipt.Receipt)
	require.True(t, ok)
	assert.Equal(t, "RCV-88", r.ReceiptNumber)
	assert.Equal(t, "PO4500123", r.PONumber)
	assert.Equal(t, "ASN829716", r.ASNNumber, "N9*MA")
	assert.Equal(t, "WH1", r.Warehouse)
	assert.Equal(t, utc(2024, 3, 19, 0, 0), r.ReceivedAt)
	assert.Contains(t, r.References, domain.Reference{Qualifier: "BM", Value: "BOL-555"})
	require.Len(t, r.Lines, 2)

	l := r.Lines[0]
	assert.Equal(t, "1", l.Number)
	assert.Equal(t, domain.ItemRef{UPC: "061414100014", PartnerItem: "WID-1"}, l.Item)
	assertQty(t, qty("24", "EA"), l.Received, "received")
	assertQty(t, qty("2", "EA"), l.Damaged, "W13 condition 01 is damaged")
	assert.Equal(t, []string{"01"}, l.Exceptions)

	l = r.Lines[1]
	assert.Equal(t, domain.ItemRef{PartnerItem: "SKU-2"}, l.Item)
	assertQty(t, qty("10", "CS"), l.Received, "received")
	assert.True(t, l.Damaged.IsZero(), "a shortage is not damage")
	assert.Equal(t, []string{"03"}, l.Exceptions)
	assert.Equal(t, "LOT-B2", l.Lot)
}

func TestMap944Problems(t *testing.T) {
	tests := []struct {
		name     string
		segments []string
		errAt    string
		errEl    int
		warning  string
	}{
		{"total differs", []string{"W17*F*20240319*RCV-1*PO1", "W07*5*EA*061414100014", "W14*6"}, "", 0,
			"W1401 total quantity received is 6 but the lines add up to 5"},
		{"no order or ASN", []string{"W17*F*20240319*RCV-1", "W07*5*EA*061414100014"}, "W17", 4, ""},
		{"no receipt number", []string{"W17*F*20240319**PO1", "W07*5*EA*061414100014"}, "W17", 3, ""},
		{"bad date", []string{"W17*F*20241319*RCV-1*PO1", "W07*5*EA*061414100014"}, "W17", 2, ""},
		{"no item", []string{"W17*F*20240319*RCV-1*PO1", "W07*5*EA"}, "W07", 3, ""},
		{"bad unit", []string{"W17*F*20240319*RCV-1*PO1", "W07*5*E-A*061414100014"}, "W07", 2, ""},
		{"no lines", []string{"W17*F*20240319*RCV-1*PO1"}, "W07", 0, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := mapOne(t, build(t, "RE", "944", tt.segments...), x12doc.Options{})
			if tt.errAt == "" {
				require.Empty(t, r.Errors)
				assert.True(t, containsWarning(r.Warnings, tt.warning), "warnings: %q", r.Warnings)
				return
			}
			assert.Nil(t, r.Document)
			e := errorAt(t, r.Errors, tt.errAt, tt.errEl)
			if tt.errEl > 0 {
				assert.Positive(t, e.Segment, "an element error points at its segment")
			}
		})
	}
}

func TestMap945(t *testing.T) {
	sc, r := mapClean[order.ShipConfirmation](t, readFile(t, "testdata/945_ship_confirmation.x12"), x12doc.Options{})
	assert.Empty(t, r.Warnings, "W03 14 is the lines' 10 + 4")
	assert.Equal(t, "ORD-1001", sc.OrderNumber)
	assert.Equal(t, "PO4500123", sc.PONumber)
	assert.Equal(t, "SHIP-9", sc.ShipmentID)
	assert.Equal(t, utc(2024, 3, 22, 15, 30), sc.ShipDate, "G62*11 date and time win over W0603")
	assert.Equal(t, "UPSN", sc.CarrierSCAC)
	assert.Equal(t, "1Z999AA10123456784", sc.TrackingNumber, "N9*CN before N9*BM")
	assert.Equal(t, "WH1", sc.Warehouse)
	assert.Len(t, sc.Parties, 2)
	require.Len(t, sc.Lines, 2)

	l := sc.Lines[0]
	assert.Equal(t, "1", l.Number)
	assert.Equal(t, "061414100014", l.Item.UPC)
	assertQty(t, qty("10", "EA"), l.Ordered, "ordered")
	assertQty(t, qty("10", "EA"), l.Shipped, "shipped")
	assert.Equal(t, "LOT-A1", l.Lot, "N9*LT after the W12")
	assert.Equal(t, "006141410000000104", l.SSCC, "20-digit MAN*GM loses its 00")

	l = sc.Lines[1]
	assert.Equal(t, "2", l.Number)
	assert.Equal(t, "WID-2", l.Item.PartnerItem)
	assertQty(t, qty("5", "CS"), l.Ordered, "ordered")
	assertQty(t, qty("4", "CS"), l.Shipped, "shipped")
	assert.Equal(t, "LOT-B2", l.Lot, "W1209")
	assert.Equal(t, "006141410000000272", l.SSCC)
}

func TestMap846(t *testing.T) {
	snap, r := mapClean[inventory.Snapshot](t, readFile(t, "testdata/846_inventory.x12"), x12doc.Options{})
	assert.Empty(t, r.Warnings)
	assert.Equal(t, "INV-2024-03-20", snap.ReportID)
	assert.Equal(t, "WH1", snap.Warehouse)
	assert.Equal(t, utc(2024, 3, 20, 6, 0), snap.AsOf)
	require.Len(t, snap.Positions, 4)

	p := snap.Positions[0]
	assert.Equal(t, domain.ItemRef{UPC: "061414100014", PartnerItem: "WID-1", Description: "BLUE WIDGET"}, p.Item)
	assert.Empty(t, p.Location)
	assertQty(t, qty("120", "EA"), p.Quantities[inventory.OnHand], "on hand")
	assertQty(t, qty("100", "EA"), p.Quantities[inventory.Available], "available")
	assert.Equal(t, map[string]string{inventory.OnHand: "17", inventory.Available: "33"}, p.PartnerQualifiers)

	// WID-2: on hand is split by SDQ into two bins; available is for the whole warehouse.
	want := []struct {
		location, qualifier, amount string
	}{{"", inventory.Available, "30"}, {"BIN-A", inventory.OnHand, "25"}, {"BIN-B", inventory.OnHand, "15"}}
	for i, w := range want {
		p := snap.Positions[i+1]
		assert.Equal(t, "WID-2", p.Item.PartnerItem)
		assert.Equal(t, w.location, p.Location)
		require.Len(t, p.Quantities, 1, "position %d", i+1)
		assertQty(t, qty(w.amount, "CS"), p.Quantities[w.qualifier], w.location+" "+w.qualifier)
	}
}

func TestMap846Qualifiers(t *testing.T) {
	segments := []string{"BIA*00*MM*INV-1*20240320", "LIN*1*VN*WID-1", "QTY*17*10*EA", "QTY*02*3*EA"}
	data := build(t, "IB", "846", segments...)

	// QTY*02 is not in the default table: the set is rejected at QTY01 of the fourth segment of the set.
	r := mapOne(t, data, x12doc.Options{})
	assert.Nil(t, r.Document)
	require.Len(t, r.Errors, 1)
	e := r.Errors[0]
	assert.Equal(t, "QTY", e.SegmentID)
	assert.Equal(t, 1, e.Element)
	assert.Equal(t, x12.ElemInvalidCode, e.Code)
	assert.Equal(t, 5, r.Transaction.Position(e.Segment))
	assert.Contains(t, e.Error(), `"02"`)

	// A partner whose 02 means allocated.
	qualifiers := map[string]string{"17": inventory.OnHand, "02": inventory.Allocated}
	snap, _ := mapClean[inventory.Snapshot](t, data, x12doc.Options{InventoryQualifiers: qualifiers})
	require.Len(t, snap.Positions, 1)
	assertQty(t, qty("3", "EA"), snap.Positions[0].Quantities[inventory.Allocated], "allocated")

	// A table without 17 fails closed on it too.
	r = mapOne(t, data, x12doc.Options{InventoryQualifiers: map[string]string{"02": inventory.Allocated}})
	assert.Nil(t, r.Document)
	assert.Equal(t, 4, r.Transaction.Position(errorAt(t, r.Errors, "QTY", 1).Segment))
}

func TestMap846Problems(t *testing.T) {
	tests := []struct {
		name     string
		segments []string
		errAt    string
		errEl    int
	}{
		{"SDQ without QTY", []string{"BIA*00*MM*INV-1*20240320", "LIN*1*VN*W", "SDQ*EA*54*BIN-A*5"}, "SDQ", 0},
		{"no quantity", []string{"BIA*00*MM*INV-1*20240320", "LIN*1*VN*W"}, "LIN", 0},
		{"no item", []string{"BIA*00*MM*INV-1*20240320", "LIN*1", "QTY*17*1*EA"}, "LIN", 0},
		{"twice on hand", []string{"BIA*00*MM*INV-1*20240320", "LIN*1*VN*W", "QTY*17*1*EA", "QTY*17*2*EA"}, "QTY", 1},
		{"no date", []string{"BIA*00*MM*INV-1", "LIN*1*VN*W", "QTY*17*1*EA"}, "BIA", 4},
		{"bad quantity", []string{"BIA*00*MM*INV-1*20240320", "LIN*1*VN*W", "QTY*17*1,5*EA"}, "QTY", 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := mapOne(t, build(t, "IB", "846", tt.segments...), x12doc.Options{})
			assert.Nil(t, r.Document)
			errorAt(t, r.Errors, tt.errAt, tt.errEl)
		})
	}
}

func TestMap997(t *testing.T) {
	fa, _ := mapClean[order.FunctionalAck](t, readFile(t, "testdata/997_functional_ack.x12"), x12doc.Options{})
	assert.Equal(t, "x12", fa.Standard)
	assert.Equal(t, "1421", fa.GroupControl)
	assert.Equal(t, "partially_accepted", fa.GroupStatus)
	require.Len(t, fa.Sets, 2)
	assert.Equal(t, order.AckedSet{Code: "850", Control: "0001", Status: "accepted"}, fa.Sets[0])
	s := fa.Sets[1]
	assert.Equal(t, "850", s.Code)
	assert.Equal(t, "0002", s.Control)
	assert.Equal(t, "rejected", s.Status)
	assert.Equal(t, []string{
		"AK502 5 one or more segments in error",
		"segment PO1 at position 4: AK304 8 segment has data element errors",
		`segment PO1 at position 4 element 02: AK403 6 invalid character (value "X1")`,
	}, s.Errors)

	// A 997 that x12.ReadAck cannot read is rejected with ReadAck's position.
	r := mapOne(t, build(t, "FA", "997", "AK1*PO*1421", "AK2*850*0001"), x12doc.Options{})
	assert.Nil(t, r.Document)
	require.Len(t, r.Errors, 1)
	assert.Positive(t, r.Errors[0].Segment)
}
