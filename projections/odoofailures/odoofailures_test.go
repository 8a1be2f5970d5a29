package odoofailures_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/crossdock-hub/crossdock/domain/order"
	"github.com/crossdock-hub/crossdock/domain/receipt"
	"github.com/crossdock-hub/crossdock/eventstore"
	"github.com/crossdock-hub/crossdock/projections"
	"github.com/crossdock-hub/crossdock/projections/internal/projtest"
	"github.com/crossdock-hub/crossdock/projections/odoofailures"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// A failure waits in the list with its reason and the event Odoo was to be told of, a newer failure of
// the same event renews it, and a booking of the document clears it; receipts and deliveries alike.
func TestFailures(t *testing.T) {
	for _, b := range projtest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			store, db := b.Open(t, b.Location(t))
			appendOne := func(stream, typ, causation string, v any) {
				data, err := json.Marshal(v)
				require.NoError(t, err)
				_, err = store.Append(t.Context(), stream, eventstore.Any, eventstore.EventData{ID: eventstore.DeriveID(stream+typ+causation, 0),
					Type: typ, Data: data, Metadata: eventstore.Metadata{CausationID: causation, OccurredAt: time.Now()}})
				require.NoError(t, err)
			}
			rcv := receipt.StreamID("northwind", "RCV-1")
			appendOne(rcv, receipt.EventOdooBookingFailed, "trigger-1", receipt.OdooBookingFailed{OdooBookingFailedData: receipt.OdooBookingFailedData{
				ReceiptNumber: "RCV-1", Partner: "northwind", Reason: "no purchase.order P00001 in Odoo"}})
			wo := order.WarehouseOrderStreamID("S00001")
			appendOne(wo, order.EventOdooDeliveryFailed, "trigger-2", order.OdooDeliveryFailed{DeliveryFailedData: order.DeliveryFailedData{
				OrderNumber: "S00001", Partner: "acme3pl", Reason: "product WID-9 is not on picking WH/OUT/00001"}})

			r, err := projections.New(store, db, projections.Config{Logger: projtest.Logger(t), RetryDelay: 20 * time.Millisecond},
				odoofailures.NewProjection())
			require.NoError(t, err)
			projtest.Start(t, r)
			projtest.WaitStatus(t, r, odoofailures.Name, projtest.Live(projtest.Head(t, store)))
			reader, err := odoofailures.NewReader(db, r)
			require.NoError(t, err)

			all, err := reader.List(t.Context(), "", 0)
			require.NoError(t, err)
			require.Len(t, all, 2)
			assert.Equal(t, "S00001", all[0].Document, "the latest first")
			assert.Equal(t, odoofailures.KindDelivery, all[0].Kind)
			assert.Equal(t, "trigger-2", all[0].TriggerEventID)
			assert.Equal(t, odoofailures.KindReceipt, all[1].Kind)
			assert.Equal(t, "no purchase.order P00001 in Odoo", all[1].Reason)
			mine, err := reader.List(t.Context(), "northwind", 0)
			require.NoError(t, err)
			require.Len(t, mine, 1)
			got, err := reader.Get(t.Context(), all[1].EventID)
			require.NoError(t, err)
			assert.Equal(t, rcv, got.StreamID)

			appendOne(rcv, receipt.EventBookedInOdoo, "trigger-1", receipt.BookedInOdoo{OdooBookingData: receipt.OdooBookingData{
				ReceiptNumber: "RCV-1", Partner: "northwind", Outcome: receipt.BookingValidated, Picking: "WH/IN/00001"}})
			projtest.WaitStatus(t, r, odoofailures.Name, projtest.Live(projtest.Head(t, store)))
			all, err = reader.List(t.Context(), "", 0)
			require.NoError(t, err)
			require.Len(t, all, 1)
			assert.Equal(t, "S00001", all[0].Document)
			_, err = reader.Get(t.Context(), got.EventID)
			require.ErrorIs(t, err, odoofailures.ErrNotFound)
		})
	}
}
