package sla_test

import (
	"context"
	"encoding/json"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/crossdock-hub/crossdock/domain/order"
	"github.com/crossdock-hub/crossdock/domain/partner"
	"github.com/crossdock-hub/crossdock/domain/receipt"
	"github.com/crossdock-hub/crossdock/domain/shipment"
	"github.com/crossdock-hub/crossdock/eventstore"
	"github.com/crossdock-hub/crossdock/projections"
	"github.com/crossdock-hub/crossdock/projections/internal/projtest"
	"github.com/crossdock-hub/crossdock/projections/sla"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

var monday = time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)

func d(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func TestCompute(t *testing.T) {
	asn := sla.ASN{EventID: "asn", Supplier: "acme", Number: "A1", RecordedAt: monday.Add(8 * time.Hour),
		Quantities: map[string]decimal.Decimal{"WID-A": d("30"), "WID-B": d("10")}}
	s := sla.Compute(asn, nil, 12)
	assert.Nil(t, s.LeadHours, "nothing received yet")
	assert.False(t, s.Late)

	// Goods arrive 10 h after the ASN (promise 12 h): late. Received 28 A, 10 B and 1 C that was not
	// announced: accuracy 1 − (2 + 0 + 1) / 40 = 0.925.
	receipts := []sla.Receipt{
		{EventID: "r2", Number: "R2", ReceivedAt: monday.Add(19 * time.Hour), Quantities: map[string]decimal.Decimal{"WID-B": d("10"), "WID-C": d("1")}},
		{EventID: "r1", Number: "R1", ReceivedAt: monday.Add(18 * time.Hour), Quantities: map[string]decimal.Decimal{"WID-A": d("28")}},
	}
	s = sla.Compute(asn, receipts, 12)
	require.NotNil(t, s.LeadHours)
	assert.True(t, d("10").Equal(*s.LeadHours), "lead %s", s.LeadHours)
	assert.True(t, s.Late)
	assert.True(t, d("0.925").Equal(*s.Accuracy), "accuracy %s", s.Accuracy)
	assert.True(t, monday.Add(18*time.Hour).Equal(s.ArrivedAt), "the first receipt is the arrival")
	assert.Equal(t, []string{"asn", "r1", "r2"}, s.Evidence)
	assert.False(t, sla.Compute(asn, receipts, 8).Late, "10 h ≥ 8 h promised")
	assert.False(t, sla.Compute(asn, receipts, 0).Late, "no promise, never late")
}

// Exact nearest-rank percentiles per supplier and day, or week.
func TestSummarize(t *testing.T) {
	var shipments []sla.Shipment
	for i := 1; i <= 10; i++ {
		lead := decimal.NewFromInt(int64(i))
		acc := d("1")
		shipments = append(shipments, sla.Shipment{Supplier: "acme", ASNNumber: "A" + lead.String(), RecordedAt: monday.Add(time.Duration(i) * time.Hour),
			LeadHours: &lead, Accuracy: &acc, Late: i < 3})
	}
	shipments = append(shipments, sla.Shipment{Supplier: "acme", ASNNumber: "pending", RecordedAt: monday.Add(30 * time.Hour)})
	days := sla.Summarize(shipments, false)
	require.Len(t, days, 2)
	mon := days[0]
	assert.Equal(t, 10, mon.Shipments)
	assert.Equal(t, 10, mon.Received)
	assert.Equal(t, 2, mon.Late)
	assert.True(t, d("5").Equal(*mon.LeadP50), "p50 %s", mon.LeadP50)
	assert.True(t, d("9").Equal(*mon.LeadP90), "p90 %s", mon.LeadP90)
	assert.True(t, d("10").Equal(*mon.LeadP99), "p99 %s", mon.LeadP99)
	assert.True(t, d("1").Equal(*mon.MeanAccuracy))
	tue := days[1]
	assert.Equal(t, 1, tue.Shipments)
	assert.Zero(t, tue.Received)
	assert.Nil(t, tue.LeadP50)
	weeks := sla.Summarize(shipments, true)
	require.Len(t, weeks, 1)
	assert.True(t, monday.Equal(weeks[0].Start))
	assert.Equal(t, 11, weeks[0].Shipments)
}

type fact struct {
	stream, typ string
	recorded    time.Time
	data        any
}

func asn(number string, at time.Time, lines ...shipment.LineData) fact {
	return fact{"shipment-acme:" + number, shipment.EventASNReceived, at, shipment.ASNReceived{ASNData: shipment.ASNData{
		ASNNumber: number, Supplier: "acme", Lines: lines}}}
}

func rcv(number, asnNumber string, at time.Time, product, qty string) fact {
	return fact{receipt.StreamID("wh1", number), receipt.EventReceived, at.Add(time.Minute), receipt.Received{ReceiptData: receipt.ReceiptData{
		ReceiptNumber: number, ASNNumber: asnNumber, Partner: "wh1", ReceivedAt: at,
		Lines: []receipt.LineData{{LineNumber: "1", Product: product, Quantity: d(qty)}}}}}
}

var history = []fact{
	{partner.StreamID("acme"), partner.EventSLASet, monday, partner.SLASet{SLA: partner.SLA{ASNLeadHours: 12}}},
	asn("A1", monday.Add(8*time.Hour), shipment.LineData{LineNumber: 1, Item: "WID-A", Quantity: "30"}),
	rcv("R1", "A1", monday.Add(22*time.Hour), "WID-A", "30"), // 14 h: on time
	asn("A2", monday.Add(9*time.Hour), shipment.LineData{LineNumber: 1, Item: "WID-B", Quantity: "10"}),
	rcv("R2", "A2", monday.Add(11*time.Hour), "WID-B", "8"), // 2 h: late; accuracy 0.8
	rcv("R3", "A3", monday.Add(30*time.Hour), "WID-C", "5"), // its ASN comes later (out of order)
	asn("A3", monday.Add(20*time.Hour), shipment.LineData{LineNumber: 1, Item: "WID-C", Quantity: "5"}),
	// The carrier delivers 1Z9 before its ASN (which promises 28 h) is recorded: 27 h, on time.
	{"shipment-swift:1Z9", shipment.EventStatusReported, monday.Add(27 * time.Hour), shipment.StatusReported{TrackingNumber: "1Z9",
		Partner: "swift", Status: "delivered", At: monday.Add(27 * time.Hour)}},
	{"shipment-acme:A3", shipment.EventASNRevised, monday.Add(21 * time.Hour), shipment.ASNRevised{ASNData: shipment.ASNData{
		ASNNumber: "A3", Supplier: "acme", TrackingNumber: "1Z9", ExpectedArrival: monday.Add(28 * time.Hour),
		Lines: []shipment.LineData{{LineNumber: 1, Item: "WID-C", Quantity: "5"}}}}},
	// The watch raised A2's lateness (A3's is still due).
	{partner.SLABreachStreamID("acme", partner.MetricASNTimeliness, "A2"), partner.EventSLABreached, monday.Add(12 * time.Hour),
		partner.SLABreached{SLABreachedData: partner.SLABreachedData{Partner: "acme", Metric: partner.MetricASNTimeliness, Reference: "A2",
			RaisedAt: monday.Add(12 * time.Hour)}}},
}

func events(t *testing.T, facts []fact) []eventstore.Event {
	version := map[string]int64{}
	out := make([]eventstore.Event, len(facts))
	for i, f := range facts {
		b, err := json.Marshal(f.data)
		require.NoError(t, err)
		version[f.stream]++
		out[i] = eventstore.Event{ID: eventstore.DeriveID("sla:"+f.stream, int(version[f.stream])), StreamID: f.stream,
			StreamVersion: version[f.stream], Type: f.typ, Data: b, RecordedAt: f.recorded}
	}
	return out
}

func TestSLAView(t *testing.T) {
	for _, b := range projtest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			_, db := b.Open(t, b.Location(t))
			evs := events(t, history)
			want := apply(t, db, 1, evs, len(evs))
			require.Len(t, want.shipments, 3)
			require.Len(t, want.deliveries, 1)
			del := want.deliveries[0]
			assert.Equal(t, "asn", del.PromiseSource)
			require.NotNil(t, del.OnTime)
			assert.True(t, *del.OnTime)
			assert.True(t, dec("-1").Equal(*del.LateHours))
			assert.Equal(t, "swift", del.Carrier)
			byASN := map[string]sla.Shipment{}
			for _, s := range want.shipments {
				byASN[s.ASNNumber] = s
			}
			assert.False(t, byASN["A1"].Late)
			assert.True(t, d("14").Equal(*byASN["A1"].LeadHours))
			assert.True(t, byASN["A2"].Late)
			assert.True(t, monday.Add(12*time.Hour).Equal(byASN["A2"].BreachedAt), "breached: %+v", byASN["A2"])
			assert.Len(t, byASN["A2"].Evidence, 3, "the ASN, the receipt and the breach")
			assert.True(t, byASN["A3"].BreachedAt.IsZero())
			assert.True(t, d("0.8").Equal(*byASN["A2"].Accuracy))
			assert.True(t, d("10").Equal(*byASN["A3"].LeadHours), "paired though its receipt came first; the revision keeps the first ASN's instant: %+v", byASN["A3"])
			assert.Equal(t, 12, byASN["A3"].PromisedLeadHours)
			assert.True(t, byASN["A3"].Late)

			// Any arrival order, any batching: the same rows.
			rng := rand.New(rand.NewPCG(5, 8))
			for gen := 2; gen <= 6; gen++ {
				assert.Equal(t, want, apply(t, db, gen, projtest.Interleave(rng, evs), 1+rng.IntN(3)), "order %d", gen)
			}

			reader, err := sla.NewReader(db, fixed{projections.Tables{Dialect: db.Dialect, Generation: 1}})
			require.NoError(t, err)
			windows, err := reader.Windows(t.Context(), "acme", monday, monday.AddDate(0, 0, 7), false)
			require.NoError(t, err)
			require.Len(t, windows, 1, "%+v", windows)
			w := windows[0]
			assert.Equal(t, 3, w.Shipments)
			assert.Equal(t, 2, w.Late, "A2 (2 h) and A3 (10 h) against 12 h promised")
			assert.True(t, d("10").Equal(*w.LeadP50), "p50 %s", w.LeadP50)
			assert.True(t, d("14").Equal(*w.LeadP99))
			dueShipments, dueDeliveries, err := reader.Due(t.Context())
			require.NoError(t, err)
			require.Len(t, dueShipments, 1, "A3 is late without a breach; A2's is raised")
			assert.Equal(t, "A3", dueShipments[0].ASNNumber)
			assert.Empty(t, dueDeliveries, "1Z9 came on time")
			one, err := reader.Shipment(t.Context(), "acme", "A2")
			require.NoError(t, err)
			assert.Len(t, one.Evidence, 3)
			_, err = reader.Shipment(t.Context(), "acme", "nope")
			require.ErrorIs(t, err, sla.ErrNotFound)
		})
	}
}

// fixed resolves every projection to one generation.
type fixed struct{ t projections.Tables }

func (f fixed) ActiveTables(context.Context, string) (projections.Tables, error) { return f.t, nil }

type rows struct {
	shipments  []sla.Shipment
	deliveries []sla.Delivery
}

func apply(t *testing.T, db projections.Database, gen int, evs []eventstore.Event, batch int) rows {
	t.Helper()
	ctx := context.Background()
	reader := build(t, db, gen, evs, batch)
	var out rows
	var err error
	out.shipments, err = reader.Shipments(ctx, "", monday.AddDate(0, 0, -1), monday.AddDate(0, 0, 7))
	require.NoError(t, err)
	out.deliveries, err = reader.Deliveries(ctx, "", monday.AddDate(0, 0, -1), monday.AddDate(0, 0, 7))
	require.NoError(t, err)
	return out
}

// build makes generation gen of the view from evs, applied batch events at a time, and reads it.
func build(t *testing.T, db projections.Database, gen int, evs []eventstore.Event, batch int) *sla.Reader {
	t.Helper()
	ctx := context.Background()
	p := sla.NewProjection()
	tables := projections.Tables{Dialect: db.Dialect, Generation: gen}
	stmts, err := p.Schema(tables)
	require.NoError(t, err)
	for _, s := range stmts {
		_, err := db.Write.ExecContext(ctx, s)
		require.NoError(t, err)
	}
	for i := 0; i < len(evs); i += batch {
		tx, err := db.Write.BeginTx(ctx, nil)
		require.NoError(t, err)
		require.NoError(t, p.Apply(ctx, tx, tables, evs[i:min(i+batch, len(evs))]))
		require.NoError(t, tx.Commit())
	}
	reader, err := sla.NewReader(db, fixed{tables})
	require.NoError(t, err)
	return reader
}

func TestComputeDelivery(t *testing.T) {
	est := monday.Add(30 * time.Hour)
	ms := []sla.Milestone{
		{EventID: "m3", Carrier: "swift", Status: "delivered", At: monday.Add(33 * time.Hour)},
		{EventID: "m1", Carrier: "swift", Status: "picked_up", At: monday.Add(2 * time.Hour), EstimatedDelivery: est},
		{EventID: "m2", Carrier: "swift", Status: "in_transit", At: monday.Add(10 * time.Hour), EstimatedDelivery: est.Add(5 * time.Hour)},
	}
	d := sla.ComputeDelivery("1Z", ms, nil)
	assert.Equal(t, "carrier_estimate", d.PromiseSource, "the first estimate, when no ASN promises")
	assert.True(t, est.Equal(d.Promised))
	require.NotNil(t, d.OnTime)
	assert.False(t, *d.OnTime)
	assert.True(t, dec("3").Equal(*d.LateHours), "late %s", d.LateHours)
	assert.Equal(t, []string{"m1", "m3"}, d.Evidence)

	d = sla.ComputeDelivery("1Z", ms, []sla.Promise{{EventID: "asn", Arrival: monday.Add(36 * time.Hour)}})
	assert.Equal(t, "asn", d.PromiseSource, "the ASN's expected arrival comes first")
	assert.True(t, *d.OnTime)
	assert.True(t, dec("-3").Equal(*d.LateHours))

	pending := sla.ComputeDelivery("1Z", ms[1:], nil)
	assert.Nil(t, pending.OnTime, "not delivered yet")
	windows := sla.SummarizeDeliveries([]sla.Delivery{d, pending}, false)
	require.Len(t, windows, 1)
	assert.Equal(t, 1, windows[0].Deliveries)
	assert.Equal(t, 1, windows[0].OnTime)
}

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

// VIEWS.md's example: ACME promises acknowledgements within 24 h. Monday P1 is sent at 10:00 and acked at
// 16:00 (6 h); P2 sent 11:00, acked Wednesday 09:00 (46 h, late); P3 sent 12:00, acked Tuesday 15:00
// (27 h, late). Monday's window: 3 orders, p50 27 h, 2 late. A warehouse order sent to Northwind
// (ship confirmation within 24 h) is confirmed 7 h later; another is still unanswered, and late by now.
// In any order and batching of the events, the same measures.
func TestOrderLatency(t *testing.T) {
	sent := func(partner, document, number string, at time.Time) fact {
		stream := "order-po:" + number
		if document == sla.DocumentWarehouseOrder {
			stream = "order-wo:" + number
		}
		return fact{stream, order.EventSent, at, order.Sent{SentData: order.SentData{OrderNumber: number, Partner: partner,
			Document: document, Revision: 1, Format: "x12", SentAt: at}}}
	}
	ack := func(number string, at time.Time) fact {
		return fact{"order-po:" + number, order.EventAcknowledged, at, order.Acknowledged{AckData: order.AckData{PONumber: number,
			Partner: "acme", AckType: "AC"}}}
	}
	facts := []fact{
		{partner.StreamID("acme"), partner.EventSLASet, monday, partner.SLASet{SLA: partner.SLA{AckWithinHours: 24}}},
		{partner.StreamID("northwind"), partner.EventSLASet, monday, partner.SLASet{SLA: partner.SLA{ShipConfirmWithinHours: 24}}},
		sent("acme", sla.DocumentPurchaseOrder, "P1", monday.Add(10*time.Hour)),
		sent("acme", sla.DocumentPurchaseOrder, "P2", monday.Add(11*time.Hour)),
		sent("acme", sla.DocumentPurchaseOrder, "P3", monday.Add(12*time.Hour)),
		ack("P1", monday.Add(16*time.Hour)),
		ack("P3", monday.Add(39*time.Hour)),
		ack("P2", monday.Add(57*time.Hour)),
		ack("P1", monday.Add(60*time.Hour)), // a second acknowledgment does not move the first
		sent("northwind", sla.DocumentWarehouseOrder, "S1", monday.Add(13*time.Hour)),
		{"order-wo:S1", order.EventShipped, monday.Add(20 * time.Hour), order.Shipped{ShippedData: order.ShippedData{OrderNumber: "S1", Partner: "northwind"}}},
		sent("northwind", sla.DocumentWarehouseOrder, "S2", monday.Add(14*time.Hour)),
	}
	now := monday.AddDate(0, 0, 5)
	for _, b := range projtest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			_, db := b.Open(t, b.Location(t))
			evs := events(t, facts)
			read := func(gen int, evs []eventstore.Event, batch int) []sla.OrderLatency {
				out, err := build(t, db, gen, evs, batch).Orders(context.Background(), "", "", monday, monday.AddDate(0, 0, 7), now)
				require.NoError(t, err)
				return out
			}
			want := read(1, evs, len(evs))
			require.Len(t, want, 5)
			by := map[string]sla.OrderLatency{}
			for _, o := range want {
				by[o.Number] = o
			}
			assert.True(t, d("6").Equal(*by["P1"].LatencyHours), "P1 %s", by["P1"].LatencyHours)
			assert.False(t, by["P1"].Late)
			assert.True(t, d("46").Equal(*by["P2"].LatencyHours))
			assert.True(t, by["P2"].Late)
			assert.True(t, d("27").Equal(*by["P3"].LatencyHours))
			assert.True(t, by["P3"].Late)
			assert.Equal(t, 24, by["P3"].PromisedHours)
			assert.True(t, d("7").Equal(*by["S1"].LatencyHours))
			assert.False(t, by["S1"].Late)
			assert.Nil(t, by["S2"].LatencyHours, "not confirmed yet")
			assert.True(t, by["S2"].Late, "24 h have passed")

			rng := rand.New(rand.NewPCG(3, 9))
			for gen := 2; gen <= 5; gen++ {
				assert.Equal(t, want, read(gen, projtest.Interleave(rng, evs), 1+rng.IntN(3)), "order %d", gen)
			}

			reader, err := sla.NewReader(db, fixed{projections.Tables{Dialect: db.Dialect, Generation: 1}})
			require.NoError(t, err)
			windows, err := reader.OrderWindows(t.Context(), "acme", sla.DocumentPurchaseOrder, monday, monday.AddDate(0, 0, 7), now, false)
			require.NoError(t, err)
			require.Len(t, windows, 1)
			w := windows[0]
			assert.Equal(t, 3, w.Sent)
			assert.Equal(t, 3, w.Answered)
			assert.Equal(t, 2, w.Late)
			assert.True(t, d("27").Equal(*w.P50), "p50 %s", w.P50)
			assert.True(t, d("46").Equal(*w.P99))

			// The watch's due list: the late ones without a breach; once P2's is raised, not P2.
			due, err := reader.DueOrders(t.Context(), monday.AddDate(0, 0, -1), now)
			require.NoError(t, err)
			var numbers []string
			for _, o := range due {
				numbers = append(numbers, o.Number)
			}
			assert.ElementsMatch(t, []string{"P2", "P3", "S2"}, numbers)
			breach := events(t, []fact{{partner.SLABreachStreamID("acme", partner.MetricAckLatency, "P2"), partner.EventSLABreached, now,
				partner.NewSLABreached(partner.SLABreachedData{Partner: "acme", Metric: partner.MetricAckLatency, Reference: "P2", RaisedAt: now})}})
			tables := projections.Tables{Dialect: db.Dialect, Generation: 1}
			tx, err := db.Write.BeginTx(t.Context(), nil)
			require.NoError(t, err)
			require.NoError(t, sla.NewProjection().Apply(t.Context(), tx, tables, breach))
			require.NoError(t, tx.Commit())
			due, err = reader.DueOrders(t.Context(), monday.AddDate(0, 0, -1), now)
			require.NoError(t, err)
			numbers = nil
			for _, o := range due {
				numbers = append(numbers, o.Number)
			}
			assert.ElementsMatch(t, []string{"P3", "S2"}, numbers)
		})
	}
}

// Goods that arrive with no ASN of their order recorded before them are no_asn: R2 (P2's ASN comes only
// after the goods); R1 is announced by A1 though it does not name it; R3's order was never placed, so
// no supplier answers for it. In any order and batching of the events, the same rows.
func TestUnannouncedReceipts(t *testing.T) {
	placed := func(po string) fact {
		return fact{"order-po:" + po, order.EventPlaced, monday, order.Placed{OrderData: order.OrderData{PONumber: po, Supplier: "acme"}}}
	}
	asnFor := func(number, po string, at time.Time) fact {
		return fact{"shipment-acme:" + number, shipment.EventASNReceived, at, shipment.ASNReceived{ASNData: shipment.ASNData{
			ASNNumber: number, PONumber: po, Supplier: "acme", Lines: []shipment.LineData{{LineNumber: 1, Item: "WID", Quantity: "1"}}}}}
	}
	plain := func(number, po string, at time.Time) fact {
		return fact{receipt.StreamID("wh1", number), receipt.EventReceived, at.Add(time.Minute), receipt.Received{ReceiptData: receipt.ReceiptData{
			ReceiptNumber: number, PONumber: po, Partner: "wh1", ReceivedAt: at,
			Lines: []receipt.LineData{{LineNumber: "1", Product: "WID", Quantity: d("1")}}}}}
	}
	facts := []fact{
		placed("P1"), placed("P2"),
		asnFor("A1", "P1", monday.Add(8*time.Hour)),
		plain("R1", "P1", monday.Add(20*time.Hour)),
		plain("R2", "P2", monday.Add(21*time.Hour)),
		asnFor("A2", "P2", monday.Add(30*time.Hour)),
		plain("R3", "P3", monday.Add(22*time.Hour)),
	}
	for _, b := range projtest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			_, db := b.Open(t, b.Location(t))
			evs := events(t, facts)
			read := func(gen int, evs []eventstore.Event, batch int) []sla.Unannounced {
				out, err := build(t, db, gen, evs, batch).Unannounced(context.Background(), "", monday, monday.AddDate(0, 0, 7))
				require.NoError(t, err)
				return out
			}
			want := read(1, evs, len(evs))
			require.Len(t, want, 1, "%+v", want)
			assert.Equal(t, "R2", want[0].ReceiptNumber)
			assert.Equal(t, "P2", want[0].PONumber)
			assert.Equal(t, "acme", want[0].Supplier)
			assert.True(t, monday.Add(21*time.Hour).Equal(want[0].ReceivedAt))
			rng := rand.New(rand.NewPCG(4, 2))
			for gen := 2; gen <= 5; gen++ {
				assert.Equal(t, want, read(gen, projtest.Interleave(rng, evs), 1+rng.IntN(3)), "order %d", gen)
			}

			reader, err := sla.NewReader(db, fixed{projections.Tables{Dialect: db.Dialect, Generation: 1}})
			require.NoError(t, err)
			due, err := reader.DueUnannounced(t.Context(), monday)
			require.NoError(t, err)
			require.Len(t, due, 1)
			breach := events(t, []fact{{partner.SLABreachStreamID("acme", partner.MetricNoASN, "R2"), partner.EventSLABreached, monday,
				partner.NewSLABreached(partner.SLABreachedData{Partner: "acme", Metric: partner.MetricNoASN, Reference: "R2", RaisedAt: monday})}})
			tx, err := db.Write.BeginTx(t.Context(), nil)
			require.NoError(t, err)
			require.NoError(t, sla.NewProjection().Apply(t.Context(), tx, projections.Tables{Dialect: db.Dialect, Generation: 1}, breach))
			require.NoError(t, tx.Commit())
			due, err = reader.DueUnannounced(t.Context(), monday)
			require.NoError(t, err)
			assert.Empty(t, due, "raised")
		})
	}
}
