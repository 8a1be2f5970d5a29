package timeline_test

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/crossdock-hub/crossdock/eventstore"
	"github.com/crossdock-hub/crossdock/projections"
	"github.com/crossdock-hub/crossdock/projections/internal/projtest"
	"github.com/crossdock-hub/crossdock/projections/timeline"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

type doc struct {
	stream, typ, corr, data string
}

// documents is one purchase order's life across systems, then unrelated stock counts.
var documents = []doc{
	{"order-po:P100", "order.created.v1", "c-1", `{"po_number":"P100","order_number":"SO-1"}`},
	{"shipment-acme:ASN-7", "shipment.asn_received.v1", "c-1", `{"asn_number":"ASN-7","po_numbers":["P100","P200"],"tracking_numbers":["1Z1","1Z2"]}`},
	{"receipt-wh1:RCV-1", "receipt.line_received.v1", "c-2", `{"receipt_number":"RCV-1","lines":[{"po_number":"P100","sku":"A"},{"po_number":"P300"}]}`},
	{"invoice-acme:INV-1", "invoice.received.v1", "c-2", `{"invoice_number":"INV-1","po_number":"P200","bill_of_lading":"BOL-9","amount":"12.50"}`},
	{"order-po:P100", "order.confirmed.v1", "c-1", `{"po_number":"P100"}`},
}

var occurred = time.Date(2026, 3, 1, 9, 30, 0, 0, time.UTC)

func TestTimelineQueries(t *testing.T) {
	for _, b := range projtest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			store, db := b.Open(t, b.Location(t))
			ids := map[string]string{} // stream#version -> event ID
			for i, d := range documents {
				res, err := store.Append(t.Context(), d.stream, eventstore.Any, eventstore.EventData{
					ID: eventstore.DeriveID("doc", i), Type: d.typ, Data: json.RawMessage(d.data),
					Metadata: eventstore.Metadata{CorrelationID: d.corr, CausationID: fmt.Sprintf("cause-%d", i),
						MessageID: fmt.Sprintf("msg-%d", i), PartnerID: "acme", Source: "edi:acme", OccurredAt: occurred},
				})
				require.NoError(t, err)
				ids[fmt.Sprintf("%s#%d", d.stream, res.StreamVersion)] = eventstore.DeriveID("doc", i).String()
			}
			for i := range 60 {
				_, err := store.Append(t.Context(), "inventory-wh1:SKU-1", eventstore.Any, eventstore.EventData{
					ID: eventstore.DeriveID("filler", i), Type: "inventory.counted.v1", Data: json.RawMessage(`{"qty":"1"}`),
					Metadata: eventstore.Metadata{CorrelationID: "c-3"},
				})
				require.NoError(t, err)
			}

			r, err := projections.New(store, db, projections.Config{Logger: projtest.Logger(t)}, timeline.NewProjection())
			require.NoError(t, err)
			projtest.Start(t, r)
			projtest.WaitStatus(t, r, timeline.Name, projtest.Live(projtest.Head(t, store)))
			reader, err := timeline.NewReader(db, projections.NewCatalog(db))
			require.NoError(t, err)

			types := func(entries []timeline.Entry) []string {
				var out []string
				for _, e := range entries {
					out = append(out, e.Type)
				}
				return out
			}
			query := func(q timeline.Query) timeline.Page {
				t.Helper()
				page, err := reader.Timeline(t.Context(), q)
				require.NoError(t, err)
				return page
			}

			// By reference, in global order, two pages of two.
			p1 := query(timeline.Query{Reference: "P100", First: 2})
			require.Equal(t, []string{"order.created.v1", "shipment.asn_received.v1"}, types(p1.Entries))
			require.True(t, p1.HasNextPage)
			require.Equal(t, p1.Entries[1].Cursor, p1.EndCursor)
			p2 := query(timeline.Query{Reference: "P100", First: 2, After: p1.EndCursor})
			require.Equal(t, []string{"receipt.line_received.v1", "order.confirmed.v1"}, types(p2.Entries))
			require.False(t, p2.HasNextPage)
			require.Empty(t, query(timeline.Query{Reference: "P100", After: p2.EndCursor}).Entries)

			asn := query(timeline.Query{Reference: "1Z2"})
			require.Len(t, asn.Entries, 1)
			e := asn.Entries[0]
			require.Equal(t, ids["shipment-acme:ASN-7#1"], e.EventID)
			require.Equal(t, []timeline.Reference{{Kind: "asn_number", Value: "ASN-7"}, {Kind: "po_number", Value: "P100"},
				{Kind: "po_number", Value: "P200"}, {Kind: "tracking_number", Value: "1Z1"}, {Kind: "tracking_number", Value: "1Z2"}}, e.References)
			require.Equal(t, "shipment-acme:ASN-7", e.StreamID)
			require.Equal(t, int64(1), e.StreamVersion)
			require.Equal(t, "c-1", e.CorrelationID)
			require.Equal(t, "cause-1", e.CausationID)
			require.Equal(t, "msg-1", e.MessageID)
			require.Equal(t, "acme", e.PartnerID)
			require.Equal(t, "edi:acme", e.Source)
			require.True(t, occurred.Equal(e.OccurredAt), "occurred at %s", e.OccurredAt)
			require.WithinDuration(t, time.Now(), e.RecordedAt, time.Minute)
			require.JSONEq(t, documents[1].data, string(e.Data))

			require.Equal(t, []string{"order.created.v1", "shipment.asn_received.v1", "order.confirmed.v1"},
				types(query(timeline.Query{CorrelationID: "c-1"}).Entries))
			require.Equal(t, []string{"order.created.v1", "order.confirmed.v1"},
				types(query(timeline.Query{StreamID: "order-po:P100"}).Entries))
			require.Equal(t, []string{"invoice.received.v1"},
				types(query(timeline.Query{CorrelationID: "c-2", Reference: "P200"}).Entries))
			require.Equal(t, []string{"receipt.line_received.v1"}, types(query(timeline.Query{Reference: "P300"}).Entries))
			require.Equal(t, []string{"invoice.received.v1"}, types(query(timeline.Query{Reference: "BOL-9"}).Entries))
			none := query(timeline.Query{StreamID: "order-po:P100", Reference: "INV-1"})
			require.Empty(t, none.Entries)
			require.False(t, none.HasNextPage)
			require.Empty(t, none.EndCursor)

			// Page sizes: 50 by default, at most 500.
			all := query(timeline.Query{})
			require.Len(t, all.Entries, 50)
			require.True(t, all.HasNextPage)
			require.Equal(t, []string{"order.created.v1", "shipment.asn_received.v1"}, types(all.Entries[:2]))
			rest := query(timeline.Query{After: all.EndCursor, First: 1000})
			require.Len(t, rest.Entries, 15)
			require.False(t, rest.HasNextPage)
			require.Len(t, query(timeline.Query{CorrelationID: "c-3", First: 1000}).Entries, 60)

			_, err = reader.Timeline(t.Context(), timeline.Query{After: "garbage"})
			require.ErrorIs(t, err, timeline.ErrInvalidQuery)
			_, err = reader.Timeline(t.Context(), timeline.Query{First: -1})
			require.ErrorIs(t, err, timeline.ErrInvalidQuery)
		})
	}
}

// Exceptions counts exception events by partner and type since an instant.
func TestTimelineExceptions(t *testing.T) {
	for _, b := range projtest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			store, db := b.Open(t, b.Location(t))
			for i, ev := range []struct{ stream, typ, partner string }{
				{"receipt-wh1:R1", "receipt.exception_raised.v1", "wh1"},
				{"receipt-wh1:R2", "receipt.exception_raised.v1", "wh1"},
				{"invoice-acme:I1", "invoice.exception_raised.v1", "acme"},
				{"invoice-acme:I1", "invoice.received.v1", "acme"},
				{"receipt-wh1:R3", "receipt.exceptionXraised.v1", "wh1"}, // not one: the _ is matched as itself
			} {
				_, err := store.Append(t.Context(), ev.stream, eventstore.Any, eventstore.EventData{
					ID: eventstore.DeriveID("exc", i), Type: ev.typ, Data: json.RawMessage(`{}`),
					Metadata: eventstore.Metadata{PartnerID: ev.partner}})
				require.NoError(t, err)
			}
			r, err := projections.New(store, db, projections.Config{Logger: projtest.Logger(t)}, timeline.NewProjection())
			require.NoError(t, err)
			projtest.Start(t, r)
			projtest.WaitStatus(t, r, timeline.Name, projtest.Live(projtest.Head(t, store)))
			reader, err := timeline.NewReader(db, projections.NewCatalog(db))
			require.NoError(t, err)
			counts, err := reader.Exceptions(t.Context(), time.Now().Add(-time.Hour), "")
			require.NoError(t, err)
			require.Len(t, counts, 2)
			require.Equal(t, "acme", counts[0].PartnerID)
			require.Equal(t, "invoice.exception_raised.v1", counts[0].Type)
			require.Equal(t, 1, counts[0].Count)
			require.Equal(t, "wh1", counts[1].PartnerID)
			require.Equal(t, 2, counts[1].Count)
			require.WithinDuration(t, time.Now(), counts[1].LastRecordedAt, time.Minute)
			none, err := reader.Exceptions(t.Context(), time.Now().Add(time.Hour), "")
			require.NoError(t, err)
			require.Empty(t, none, "nothing recorded since an hour from now")
			wh1, err := reader.Exceptions(t.Context(), time.Now().Add(-time.Hour), "wh1")
			require.NoError(t, err)
			require.Len(t, wh1, 1)
		})
	}
}
