package x12doc_test

import (
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crossdock-hub/crossdock/adapters/edi/x12"
	"github.com/crossdock-hub/crossdock/adapters/edi/x12doc"
	"github.com/crossdock-hub/crossdock/domain"
	"github.com/crossdock-hub/crossdock/domain/order"
)

func testEnvelope() x12doc.Envelope {
	return x12doc.Envelope{Interchange: x12.Envelope{
		SenderQualifier: "ZZ", SenderID: "CROSSDOCK", ReceiverQualifier: "12", ReceiverID: "4405197800",
		Control: "000000042", Date: time.Date(2024, 3, 20, 9, 15, 0, 0, time.UTC), Usage: "T",
	}}
}

// The fixture's purchase order, written by Encode850 and read back, is the same order.
func TestEncode850RoundTrip(t *testing.T) {
	po, _ := mapClean[order.PurchaseOrder](t, readFile(t, fixturePath(t, "850_node-x12_xyzretail_vics.x12")), x12doc.Options{})
	po.Currency = "USD"
	po.Total.Currency = "USD"
	for i := range po.Lines {
		po.Lines[i].UnitPrice.Currency = "USD"
	}
	data, err := x12doc.Encode850(po, testEnvelope())
	require.NoError(t, err)

	f, err := x12.Parse(data)
	require.NoError(t, err)
	require.NoError(t, f.Err(), "envelope counts and control numbers are consistent")
	ic := f.Interchanges[0]
	assert.Equal(t, "CROSSDOCK", ic.SenderID)
	assert.Equal(t, "4405197800", ic.ReceiverID)
	assert.Equal(t, "00401", ic.Version)
	assert.Equal(t, "000000042", ic.Control)
	g := ic.Groups[0]
	assert.Equal(t, "PO", g.FunctionalID)
	assert.Equal(t, "CROSSDOCK", g.Sender, "GS02 defaults to ISA06")
	assert.Equal(t, "42", g.Control, "GS06 defaults to ISA13 without leading zeros")
	assert.Equal(t, "004010", g.Version)
	assert.Equal(t, "0001", g.Transactions[0].Control)

	back, _ := mapClean[order.PurchaseOrder](t, data, x12doc.Options{})
	assert.Equal(t, po.PONumber, back.PONumber)
	assert.Equal(t, po.Purpose, back.Purpose)
	assert.Equal(t, po.OrderDate, back.OrderDate)
	assert.Equal(t, po.RequestedDelivery, back.RequestedDelivery)
	assert.Equal(t, po.Currency, back.Currency)
	assert.Equal(t, po.Parties, back.Parties)
	require.Len(t, back.Lines, 6)
	for i, l := range po.Lines {
		b := back.Lines[i]
		assert.Equal(t, l.Number, b.Number)
		assert.Equal(t, l.Item, b.Item)
		assertQty(t, l.Quantity, b.Quantity, "line "+l.Number)
		assert.True(t, l.UnitPrice.Amount.Equal(b.UnitPrice.Amount))
		assert.Equal(t, "USD", b.UnitPrice.Currency)
	}
	assert.True(t, po.Total.Amount.Equal(back.Total.Amount))
	assert.Equal(t, "13045.94", back.Total.Amount.String())
}

func TestEncode850Envelope(t *testing.T) {
	po := order.PurchaseOrder{PONumber: "PO-1", OrderDate: utc(2024, 3, 1, 0, 0), Lines: []order.Line{
		{Item: domain.ItemRef{Product: "SKU-42", GTIN: "00614141000012"}, Quantity: qty("3", "CS")},
	}}
	env := testEnvelope()
	env.GroupSender, env.GroupReceiver, env.GroupControl, env.SetControl = "XDOCK", "ACME", "9001", "12345"
	env.Version = "005010"
	env.Delimiters = x12.Delimiters{Element: '|', Component: '^', Segment: '\n'}
	data, err := x12doc.Encode850(po, env)
	require.NoError(t, err)
	assert.Contains(t, string(data), "\nPO1|1|3|CS|||BP|SKU-42|UK|00614141000012\n")
	f, err := x12.Parse(data)
	require.NoError(t, err)
	require.NoError(t, f.Err())
	g := f.Interchanges[0].Groups[0]
	assert.Equal(t, []string{"XDOCK", "ACME", "9001", "005010", "12345"},
		[]string{g.Sender, g.Receiver, g.Control, g.Version, g.Transactions[0].Control})
	back, _ := mapClean[order.PurchaseOrder](t, data, x12doc.Options{})
	assert.Equal(t, "SKU-42", back.Lines[0].Item.BuyerItem, "Odoo's code is the buyer's part number")
	assert.Equal(t, "00614141000012", back.Lines[0].Item.GTIN)
	assert.Equal(t, "1", back.Lines[0].Number)
	assert.Nil(t, back.Total)
}

func TestEncodeInvalid(t *testing.T) {
	good := order.Line{Number: "1", Item: domain.ItemRef{Product: "SKU"}, Quantity: qty("1", "EA")}
	tests := []struct {
		name string
		po   order.PurchaseOrder
		want string
	}{
		{"no PO number", order.PurchaseOrder{OrderDate: utc(2024, 3, 1, 0, 0), Lines: []order.Line{good}}, "/po_number"},
		{"no lines", order.PurchaseOrder{PONumber: "P", OrderDate: utc(2024, 3, 1, 0, 0)}, "/lines"},
		{"no date", order.PurchaseOrder{PONumber: "P", Lines: []order.Line{good}}, "/order_date"},
		{"zero quantity", order.PurchaseOrder{PONumber: "P", OrderDate: utc(2024, 3, 1, 0, 0),
			Lines: []order.Line{{Item: good.Item, Quantity: qty("0", "EA")}}}, "/lines/0/quantity"},
		{"unknown purpose", order.PurchaseOrder{PONumber: "P", Purpose: "revise", OrderDate: utc(2024, 3, 1, 0, 0),
			Lines: []order.Line{good}}, "/purpose"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := x12doc.Encode850(tt.po, testEnvelope())
			require.Error(t, err)
			assert.True(t, errors.Is(err, x12doc.ErrInvalidDocument))
			assert.Contains(t, err.Error(), tt.want)
		})
	}
	// A value holding a delimiter cannot be written: the x12 writer says where.
	po := order.PurchaseOrder{PONumber: "P*1", OrderDate: utc(2024, 3, 1, 0, 0), Lines: []order.Line{good}}
	_, err := x12doc.Encode850(po, testEnvelope())
	require.Error(t, err)
	assert.Contains(t, err.Error(), "element separator")

	_, err = x12doc.Encode940(order.WarehouseOrder{OrderNumber: "W1"}, testEnvelope())
	require.Error(t, err)
	assert.Contains(t, err.Error(), "/ship_to")
}

func TestEncode940RoundTrip(t *testing.T) {
	wo := order.WarehouseOrder{
		OrderNumber: "ORD-1001", PONumber: "PO4500123", Warehouse: "WH1", CarrierSCAC: "UPSN",
		ShipTo:        domain.Party{Role: "ST", Name: "STORE 12", IDQualifier: "92", ID: "ST12"},
		RequestedShip: utc(2024, 3, 21, 0, 0),
		Lines: []order.Line{
			{Number: "1", Item: domain.ItemRef{UPC: "061414100014", Product: "SKU-1", Description: "BLUE WIDGET"}, Quantity: qty("10", "EA")},
			{Number: "2", Item: domain.ItemRef{PartnerItem: "WID-2"}, Quantity: qty("5", "CS")},
		},
	}
	data, err := x12doc.Encode940(wo, testEnvelope())
	require.NoError(t, err)
	f, err := x12.Parse(data)
	require.NoError(t, err)
	require.NoError(t, f.Err())
	assert.Equal(t, "OW", f.Interchanges[0].Groups[0].FunctionalID)

	back, r := mapClean[order.WarehouseOrder](t, data, x12doc.Options{})
	assert.Empty(t, r.Warnings, "W76 is the lines' total")
	assert.Equal(t, wo.OrderNumber, back.OrderNumber)
	assert.Equal(t, wo.PONumber, back.PONumber)
	assert.Equal(t, wo.Warehouse, back.Warehouse)
	assert.Equal(t, wo.CarrierSCAC, back.CarrierSCAC)
	assert.Equal(t, wo.ShipTo, back.ShipTo)
	assert.Equal(t, wo.RequestedShip, back.RequestedShip)
	require.Len(t, back.Lines, 2)
	assert.Equal(t, domain.ItemRef{UPC: "061414100014", BuyerItem: "SKU-1", Description: "BLUE WIDGET"}, back.Lines[0].Item)
	assertQty(t, qty("10", "EA"), back.Lines[0].Quantity, "line 1")
	assert.Equal(t, domain.ItemRef{PartnerItem: "WID-2"}, back.Lines[1].Item)
	assertQty(t, qty("5", "CS"), back.Lines[1].Quantity, "line 2")
	assert.Equal(t, "2", back.Lines[1].Number)
}
