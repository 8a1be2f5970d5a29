package order_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crossdock-hub/crossdock/domain"
	"github.com/crossdock-hub/crossdock/domain/order"
)

func qty(t *testing.T, amount, unit string) domain.Quantity {
	t.Helper()
	q, err := domain.ParseQuantity(amount, unit)
	require.NoError(t, err)
	return q
}

func placed(t *testing.T) order.OrderData {
	price := decimal.RequireFromString("2.5")
	return order.OrderData{
		PONumber: "P00042", Supplier: "acme", OrderDate: time.Date(2026, 2, 20, 9, 0, 0, 0, time.UTC),
		Lines: []order.LineData{
			{LineNumber: "1", Product: "SKU-42", Quantity: decimal.RequireFromString("60"), Unit: "EA", UnitPrice: &price},
			{LineNumber: "2", Product: "SKU-42", Quantity: decimal.RequireFromString("40"), Unit: "EA"},
			{LineNumber: "3", Product: "SKU-77", Quantity: decimal.RequireFromString("2"), Unit: "KGM"},
		},
	}
}

// replay rebuilds an order from decided events, through their JSON payloads as the store keeps them.
func replay(t *testing.T, events ...order.Event) *order.Order {
	t.Helper()
	o := order.New()
	for _, e := range events {
		data, err := json.Marshal(e)
		require.NoError(t, err)
		require.NoError(t, o.Apply(e.EventType(), data))
	}
	return o
}

func TestPlace(t *testing.T) {
	t.Parallel()
	first, err := order.New().Place(placed(t))
	require.NoError(t, err)
	require.Equal(t, []order.Event{order.Placed{OrderData: placed(t)}}, first)

	o := replay(t, first...)
	again, err := o.Place(placed(t))
	require.NoError(t, err)
	assert.Empty(t, again, "the same order placed again")

	changed := placed(t)
	changed.Lines[2].Quantity = decimal.RequireFromString("3")
	events, err := o.Place(changed)
	require.NoError(t, err)
	require.Len(t, events, 1)
	assert.Equal(t, 2, events[0].(order.Changed).Revision)

	other := placed(t)
	other.PONumber = "P00043"
	_, err = o.Place(other)
	require.Error(t, err)

	// A cancellation changes a placed order, and means nothing for an order never placed.
	cancelled := placed(t)
	cancelled.Purpose = order.PurposeCancel
	events, err = o.Place(cancelled)
	require.NoError(t, err)
	require.Len(t, events, 1)
	assert.Equal(t, order.PurposeCancel, events[0].(order.Changed).Purpose)
	events, err = order.New().Place(cancelled)
	require.NoError(t, err)
	assert.Empty(t, events)
}

func TestView(t *testing.T) {
	t.Parallel()
	v := replay(t, order.Placed{OrderData: placed(t)}).View()
	require.True(t, v.Found)
	assert.True(t, v.HasProduct("SKU-77"))
	assert.False(t, v.HasProduct("SKU-99"))
	sum, ok := v.Ordered("SKU-42")
	require.True(t, ok)
	assert.Equal(t, "100 EA", sum.String(), "summed over the product's lines")
	_, ok = v.Ordered("SKU-99")
	assert.False(t, ok)

	l, ok := v.Line("2", "SKU-42")
	require.True(t, ok)
	assert.Equal(t, "2", l.LineNumber)
	l, ok = v.Line("3", "SKU-42")
	require.True(t, ok)
	assert.Equal(t, "1", l.LineNumber, "PO line 3 is another product: the product's first line")
	require.NotNil(t, l.UnitPrice)
	assert.Equal(t, "2.5", l.UnitPrice.String())

	mixed := v
	mixed.Lines = append(mixed.Lines, order.OrderedLine{Product: "SKU-42", Quantity: qty(t, "1", "CS")})
	_, ok = mixed.Ordered("SKU-42")
	assert.False(t, ok, "different units are not summed")

	assert.False(t, order.New().View().Found)
}

func TestAcknowledge(t *testing.T) {
	t.Parallel()
	ack := order.AckData{PONumber: "P00042", Partner: "acme", AckType: "AK", Accepted: true,
		Lines: []order.AckLineData{{LineNumber: "1", Product: "SKU-42", Status: order.LineAccepted, PartnerStatus: "IA", Quantity: decimal.NewFromInt(100), Unit: "EA", PartnerQuantity: decimal.NewFromInt(100), PartnerUnit: "EA"}}}

	events, err := order.New().Acknowledge(ack)
	require.NoError(t, err)
	require.Len(t, events, 2, "an order never placed")
	exc := events[1].(order.ExceptionRaised)
	assert.Equal(t, order.ExceptionUnknownPO, exc.Kind)
	assert.Equal(t, "P00042", exc.PONumber)

	o := replay(t, order.Placed{OrderData: placed(t)})
	events, err = o.Acknowledge(ack)
	require.NoError(t, err)
	require.Equal(t, []order.Event{order.Acknowledged{AckData: ack}}, events)
	events, err = replay(t, order.Placed{OrderData: placed(t)}, events[0]).Acknowledge(ack)
	require.NoError(t, err)
	assert.Empty(t, events, "the same acknowledgment again")
}

func TestShip(t *testing.T) {
	t.Parallel()
	sc := order.ShippedData{OrderNumber: "WO-1", Partner: "wh1", ShipDate: time.Date(2026, 3, 8, 0, 0, 0, 0, time.UTC),
		Lines: []order.ShippedLineData{{LineNumber: "1", Product: "SKU-42", Quantity: decimal.NewFromInt(5), Unit: "EA", PartnerQuantity: decimal.NewFromInt(5), PartnerUnit: "EA"}}}
	events, err := order.New().Ship(sc)
	require.NoError(t, err)
	require.Len(t, events, 1)
	o := replay(t, events...)
	again, err := o.Ship(sc)
	require.NoError(t, err)
	assert.Empty(t, again)
	second := sc
	second.ShipmentID = "SH-2"
	more, err := o.Ship(second)
	require.NoError(t, err)
	assert.Len(t, more, 1, "another shipment of the same order")
	_, err = order.New().Ship(order.ShippedData{})
	require.Error(t, err)
}

func TestFunctionalAcks(t *testing.T) {
	t.Parallel()
	fa := order.FunctionalAckData{Partner: "acme", Standard: "x12", GroupControlNumber: "9", GroupStatus: "rejected"}
	a := order.NewFunctionalAcks()
	events, err := a.Receive(fa)
	require.NoError(t, err)
	require.Len(t, events, 1)
	data, err := json.Marshal(events[0])
	require.NoError(t, err)
	require.NoError(t, a.Apply(events[0].EventType(), data))
	again, err := a.Receive(fa)
	require.NoError(t, err)
	assert.Empty(t, again)
	fa.GroupStatus = "accepted"
	more, err := a.Receive(fa)
	require.NoError(t, err)
	assert.Len(t, more, 1)
	assert.Equal(t, "edi-ack-acme:9", order.FunctionalAckStreamID("acme", "9"))
}

// A shipment Odoo says again is done, once recorded as booked, adds nothing: a re-drive is silent.
func TestRecordOdooDelivery(t *testing.T) {
	t.Parallel()
	o := order.New()
	booked := &order.DeliveryBookingData{OrderNumber: "S00001", Partner: "northwind", ShipmentID: "SHP-77",
		Outcome: order.DeliveryValidated, Picking: "WH/OUT/00001", TrackingNumber: "1Z999"}
	events, err := o.RecordOdooDelivery(booked, nil)
	require.NoError(t, err)
	require.Len(t, events, 1)
	data, _ := json.Marshal(booked)
	require.NoError(t, o.Apply(order.EventDeliveryBookedInOdoo, data))

	done := *booked
	done.Outcome = order.DeliveryAlreadyDone
	events, err = o.RecordOdooDelivery(&done, nil)
	require.NoError(t, err)
	assert.Empty(t, events)
	other := done
	other.ShipmentID = "SHP-78"
	events, err = o.RecordOdooDelivery(&other, nil)
	require.NoError(t, err)
	assert.Len(t, events, 1, "another shipment of the order is its own")
	assert.Equal(t, int64(1), o.Version())

	// Without shipment IDs, each 945 is told apart by its reference.
	first := &order.DeliveryBookingData{OrderNumber: "S00001", Partner: "northwind", Reference: "S00001-aaaa", Outcome: order.DeliveryValidated}
	data, _ = json.Marshal(first)
	require.NoError(t, o.Apply(order.EventDeliveryBookedInOdoo, data))
	second := *first
	second.Reference, second.Outcome = "S00001-bbbb", order.DeliveryAlreadyDone
	events, err = o.RecordOdooDelivery(&second, nil)
	require.NoError(t, err)
	assert.Len(t, events, 1, "the backorder's 945 is a shipment of its own")
	again := *first
	again.Outcome = order.DeliveryAlreadyDone
	events, err = o.RecordOdooDelivery(&again, nil)
	require.NoError(t, err)
	assert.Empty(t, events)
}

// A warehouse order is placed once, changed when its content changes, and a cancellation of one never
// placed records nothing.
func TestPlaceWarehouseOrder(t *testing.T) {
	t.Parallel()
	o := order.New()
	d := order.WarehouseOrderData{OrderNumber: "S00001", Purpose: order.PurposeOriginal, Partner: "northwind",
		ShipTo: domain.Party{Role: "ST", Name: "Bolt Retail"}, OrderDate: time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC),
		Lines: []order.LineData{{LineNumber: "1", Product: "WIDGET-BLUE", Quantity: decimal.NewFromInt(8), Unit: "EA"}}}
	cancel := d
	cancel.Purpose = order.PurposeCancel
	events, err := o.PlaceWarehouseOrder(cancel)
	require.NoError(t, err)
	assert.Empty(t, events)

	events, err = o.PlaceWarehouseOrder(d)
	require.NoError(t, err)
	require.Len(t, events, 1)
	assert.Equal(t, order.EventWarehouseOrderPlaced, events[0].EventType())
	data, _ := json.Marshal(events[0])
	require.NoError(t, o.Apply(order.EventWarehouseOrderPlaced, data))
	events, err = o.PlaceWarehouseOrder(d)
	require.NoError(t, err)
	assert.Empty(t, events, "the same again")
	events, err = o.PlaceWarehouseOrder(cancel)
	require.NoError(t, err)
	require.Len(t, events, 1)
	changed := events[0].(order.WarehouseOrderChanged)
	assert.Equal(t, 2, changed.Revision)
	assert.Equal(t, order.PurposeCancel, changed.Purpose)
	got, revision, ok := o.WarehouseOrder()
	require.True(t, ok)
	assert.Equal(t, 1, revision)
	assert.Equal(t, "northwind", got.Partner)
	_, err = o.PlaceWarehouseOrder(order.WarehouseOrderData{OrderNumber: "S00002", Partner: "northwind"})
	require.Error(t, err)
}
