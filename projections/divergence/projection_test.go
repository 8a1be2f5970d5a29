package divergence_test

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/crossdock-hub/crossdock/domain/inventory"
	"github.com/crossdock-hub/crossdock/domain/order"
	"github.com/crossdock-hub/crossdock/domain/receipt"
	"github.com/crossdock-hub/crossdock/eventstore"
	"github.com/crossdock-hub/crossdock/projections"
	"github.com/crossdock-hub/crossdock/projections/divergence"
	"github.com/crossdock-hub/crossdock/projections/internal/projtest"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

func d(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func at(hhmm string) time.Time {
	t, err := time.Parse("2006-01-02 15:04", "2026-11-26 "+hhmm)
	if err != nil {
		panic(err)
	}
	return t
}

type fact struct {
	stream, typ string
	data        any
}

var wh1 = inventory.PositionKey{Partner: "wh1", Product: "WID-A"}

func snapshot(asOf string, onHand string) fact {
	return fact{inventory.StreamID(wh1), inventory.EventSnapshotReported, inventory.SnapshotReported{SnapshotData: inventory.SnapshotData{
		PositionKey: wh1, AsOf: at(asOf), Quantities: map[string]inventory.QuantityData{inventory.OnHand: {Quantity: d(onHand), Unit: "Units"}}}}}
}

func adjusted(when, qty string) fact {
	return fact{inventory.StreamID(wh1), inventory.EventAdjusted, inventory.Adjusted{AdjustmentData: inventory.AdjustmentData{
		PositionKey: wh1, At: at(when), Quantity: d(qty), Unit: "Units", Reason: "damaged"}}}
}

func odoo(asOf string, levels ...inventory.OdooLevelData) fact {
	return fact{"inventory-odoo:wh1", inventory.EventOdooLevelsRead, inventory.OdooLevelsRead{OdooLevelsData: inventory.OdooLevelsData{
		Warehouse: "wh1", AsOf: at(asOf), Levels: levels}}}
}

func level(product, qty string) inventory.OdooLevelData {
	return inventory.OdooLevelData{Product: product, Quantity: d(qty), Unit: "Units"}
}

// VIEWS.md's example as events, then a shipment the warehouse confirmed (a 945) for another product that
// Odoo has not validated, and a product only Odoo knows.
var example = []fact{
	{receipt.StreamID("wh1", "R1"), receipt.EventReceived, receipt.Received{ReceiptData: receipt.ReceiptData{ReceiptNumber: "R1",
		Partner: "wh1", ReceivedAt: at("07:50"), Lines: []receipt.LineData{{LineNumber: "1", Product: "WID-A", Quantity: d("6"), Unit: "Units"}}}}},
	odoo("08:00", level("WID-A", "100"), level("GADGET", "40"), level("ODOO-ONLY", "3")),
	snapshot("08:05", "106"),
	{"inventory-odoo:wh1", inventory.EventOdooPickingValidated, inventory.OdooPickingValidated{OdooPickingValidatedData: inventory.OdooPickingValidatedData{
		Warehouse: "wh1", Kind: inventory.PickingReceipt, Reference: "R1", ValidatedAt: at("09:00")}}},
	odoo("09:00", level("WID-A", "106"), level("GADGET", "40"), level("ODOO-ONLY", "3")),
	adjusted("10:00", "-2"),
	{inventory.StreamID(inventory.PositionKey{Partner: "wh1", Product: "GADGET"}), inventory.EventSnapshotReported, inventory.SnapshotReported{SnapshotData: inventory.SnapshotData{
		PositionKey: inventory.PositionKey{Partner: "wh1", Product: "GADGET"}, AsOf: at("10:30"),
		Quantities: map[string]inventory.QuantityData{inventory.OnHand: {Quantity: d("35"), Unit: "Units"}}}}},
	{order.WarehouseOrderStreamID("WO-1"), order.EventShipped, order.Shipped{ShippedData: order.ShippedData{OrderNumber: "WO-1", Partner: "wh1",
		ShipmentID: "SH-1", ShipDate: at("10:15"), Lines: []order.ShippedLineData{{LineNumber: "1", Product: "GADGET", Quantity: d("5"), Unit: "Units"}}}}},
}

func events(t *testing.T, facts []fact) []eventstore.Event {
	t.Helper()
	version := map[string]int64{}
	out := make([]eventstore.Event, len(facts))
	for i, f := range facts {
		b, err := json.Marshal(f.data)
		require.NoError(t, err)
		version[f.stream]++
		out[i] = eventstore.Event{ID: eventstore.DeriveID("div:"+f.stream, int(version[f.stream])), StreamID: f.stream,
			StreamVersion: version[f.stream], Type: f.typ, Data: b}
	}
	return out
}

func TestDivergenceView(t *testing.T) {
	for _, b := range projtest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			store, db := b.Open(t, b.Location(t))
			for _, ev := range events(t, example) {
				_, err := store.Append(t.Context(), ev.StreamID, eventstore.Any, eventstore.EventData{ID: ev.ID, Type: ev.Type, Data: ev.Data})
				require.NoError(t, err)
			}
			r, err := projections.New(store, db, projections.Config{Logger: projtest.Logger(t)}, divergence.NewProjection())
			require.NoError(t, err)
			projtest.Start(t, r)
			projtest.WaitStatus(t, r, divergence.Name, projtest.Live(projtest.Head(t, store)))
			reader, err := divergence.NewReader(db, projections.NewCatalog(db))
			require.NoError(t, err)

			page, err := reader.Positions(t.Context(), divergence.Query{Warehouse: "wh1"})
			require.NoError(t, err)
			require.Len(t, page.Positions, 3)
			byProduct := map[string]divergence.Position{}
			for _, p := range page.Positions {
				byProduct[p.Product] = p
			}
			wid := byProduct["WID-A"]
			assert.Equal(t, divergence.StatusDiverged, wid.Status)
			assert.True(t, d("104").Equal(*wid.WMSOnHand), "wms %s", wid.WMSOnHand)
			assert.True(t, d("106").Equal(*wid.OdooOnHand))
			assert.True(t, d("-2").Equal(wid.Divergence))
			assert.True(t, at("10:00").Equal(wid.DivergedSince), "diverged since %s", wid.DivergedSince)
			// The shipment of 5 is in flight: 35 − 40 − (−5) = 0.
			gadget := byProduct["GADGET"]
			assert.Equal(t, divergence.StatusExplained, gadget.Status)
			assert.True(t, d("-5").Equal(gadget.InFlight))
			assert.Equal(t, divergence.StatusIncomplete, byProduct["ODOO-ONLY"].Status)
			assert.Nil(t, byProduct["ODOO-ONLY"].WMSOnHand)

			diverged, err := reader.Positions(t.Context(), divergence.Query{Status: divergence.StatusDiverged})
			require.NoError(t, err)
			require.Len(t, diverged.Positions, 1)
			assert.Equal(t, "WID-A", diverged.Positions[0].Product)
			p1, err := reader.Positions(t.Context(), divergence.Query{First: 1})
			require.NoError(t, err)
			require.True(t, p1.HasNextPage)
			p2, err := reader.Positions(t.Context(), divergence.Query{First: 5, After: p1.Cursors[0]})
			require.NoError(t, err)
			assert.Len(t, p2.Positions, 2)
		})
	}
}

// Arrival order does not change the positions (diverged_since included: it is found from the facts'
// business times), and a single-pass rebuild equals small incremental batches over a random history.
func TestDivergenceArrivalOrderAndRebuild(t *testing.T) {
	for _, b := range projtest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			_, db := b.Open(t, b.Location(t))
			evs := events(t, example)
			want := apply(t, db, 1, evs, len(evs))
			rng := rand.New(rand.NewPCG(3, 5))
			for gen := 2; gen <= 6; gen++ {
				shuffled := projtest.Interleave(rng, evs)
				require.Equal(t, want, apply(t, db, gen, shuffled, 1+rng.IntN(3)), "order %d", gen)
			}
			history := projtest.Interleave(rng, randomHistory(t, rng, 200, true))
			require.Equal(t, applyLag(t, db, 10, history, 9, 15*time.Minute), apply(t, db, 11, history, len(history)))
		})
	}
}

// Facts arriving mostly in business order go on from each position's stored sweep; the late ones, and
// revisions of a document already swept, make a position sweep its whole history again. Either way the
// rows equal those of one pass over the history.
func TestDivergenceSweepsOnWithLateFactsAndRevisions(t *testing.T) {
	for _, b := range projtest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			_, db := b.Open(t, b.Location(t))
			rng := rand.New(rand.NewPCG(7, 11))
			history := randomHistory(t, rng, 300, true)
			// One event in ten arrives late: up to 40 events after its place.
			for i := len(history) - 1; i >= 0; i-- {
				if rng.IntN(10) == 0 {
					j := min(len(history)-1, i+1+rng.IntN(40))
					ev := history[i]
					copy(history[i:j], history[i+1:j+1])
					history[j] = ev
				}
			}
			// In business order and without revisions every derive goes on from the sweep: nothing sweeps
			// all again to hide a mistake.
			inOrder := randomHistory(t, rng, 300, false)
			want := apply(t, db, 19, inOrder, len(inOrder))
			for gen, batch := range []int{1, 4} {
				require.Equal(t, want, applyLag(t, db, 15+gen, inOrder, batch, time.Minute), "in order, batches of %d", batch)
			}
			want = apply(t, db, 20, history, len(history))
			// The sweep kept at the newest fact, some minutes behind it, or days (every derive then
			// reads every fact).
			for l, lag := range []time.Duration{0, 15 * time.Minute, 7 * 24 * time.Hour} {
				for gen, batch := range []int{1, 3, 8} {
					require.Equal(t, want, applyLag(t, db, 21+10*l+gen, history, batch, lag), "batches of %d, lag %s", batch, lag)
				}
			}
		})
	}
}

// randomHistory is n instants of facts about five products at one warehouse, with revisions of earlier
// receipts when revisions is set.
func randomHistory(t *testing.T, rng *rand.Rand, n int, revisions bool) []eventstore.Event {
	var facts []fact
	products := []string{"A", "B", "C", "D", "E"}
	receipts := map[string][]string{} // by product
	pending := map[int][]fact{}       // validations, by the iteration they arrive in
	for i := range n {
		facts = append(facts, pending[i]...)
		when := time.Date(2026, 11, 26, 0, 0, 0, 0, time.UTC).Add(time.Duration(i) * time.Minute)
		p := products[rng.IntN(len(products))]
		key := inventory.PositionKey{Partner: "wh1", Product: p}
		switch rng.IntN(6) {
		case 0:
			facts = append(facts, fact{inventory.StreamID(key), inventory.EventSnapshotReported, inventory.SnapshotReported{SnapshotData: inventory.SnapshotData{
				PositionKey: key, AsOf: when, Quantities: map[string]inventory.QuantityData{inventory.OnHand: {Quantity: decimal.NewFromInt(int64(rng.IntN(100)))}}}}})
		case 1:
			facts = append(facts, fact{inventory.StreamID(key), inventory.EventAdjusted, inventory.Adjusted{AdjustmentData: inventory.AdjustmentData{
				PositionKey: key, At: when, Quantity: decimal.NewFromInt(int64(rng.IntN(7) - 3))}}})
		case 2:
			num := fmt.Sprintf("R%d", i)
			receipts[p] = append(receipts[p], num)
			facts = append(facts, fact{receipt.StreamID("wh1", num), receipt.EventReceived, receipt.Received{ReceiptData: receipt.ReceiptData{
				ReceiptNumber: num, Partner: "wh1", ReceivedAt: when, Lines: []receipt.LineData{{Product: p, Quantity: decimal.NewFromInt(int64(1 + rng.IntN(9)))}}}}})
			if rng.IntN(2) == 0 {
				// Odoo validates it half an hour later; the event reaches us a few events after the receipt.
				due := i + 2 + rng.IntN(8)
				pending[due] = append(pending[due], fact{"inventory-odoo:wh1", inventory.EventOdooPickingValidated, inventory.OdooPickingValidated{OdooPickingValidatedData: inventory.OdooPickingValidatedData{
					Warehouse: "wh1", Kind: inventory.PickingReceipt, Reference: num, ValidatedAt: when.Add(30 * time.Minute)}}})
			}
		case 3:
			// A revision of an earlier receipt of the product: a later time and another quantity.
			if !revisions || len(receipts[p]) == 0 {
				continue
			}
			num := receipts[p][rng.IntN(len(receipts[p]))]
			facts = append(facts, fact{receipt.StreamID("wh1", num), receipt.EventReceived, receipt.Received{ReceiptData: receipt.ReceiptData{
				ReceiptNumber: num, Partner: "wh1", ReceivedAt: when,
				Lines: []receipt.LineData{{Product: p, Quantity: decimal.NewFromInt(int64(1 + rng.IntN(9)))}}}}})
		default:
			var levels []inventory.OdooLevelData
			for _, q := range products {
				levels = append(levels, inventory.OdooLevelData{Product: q, Quantity: decimal.NewFromInt(int64(rng.IntN(100)))})
			}
			facts = append(facts, fact{"inventory-odoo:wh1", inventory.EventOdooLevelsRead, inventory.OdooLevelsRead{OdooLevelsData: inventory.OdooLevelsData{
				Warehouse: "wh1", AsOf: when, Levels: levels}}})
		}
	}
	return events(t, facts)
}

// apply builds generation gen from evs in batches and returns its rows as text.
func apply(t *testing.T, db projections.Database, gen int, evs []eventstore.Event, batch int) []string {
	t.Helper()
	return applyLag(t, db, gen, evs, batch, divergence.NewProjection().SweepLag)
}

// applyLag is apply with the projection's sweep kept lag behind each position's newest fact.
func applyLag(t *testing.T, db projections.Database, gen int, evs []eventstore.Event, batch int, lag time.Duration) []string {
	t.Helper()
	ctx := context.Background()
	p := divergence.NewProjection()
	p.SweepLag = lag
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
	rows, err := db.Read.QueryContext(ctx, `SELECT data FROM `+tables.Name("div_position")+` ORDER BY warehouse, product`)
	require.NoError(t, err)
	defer rows.Close()
	var out []string
	for rows.Next() {
		var data string
		require.NoError(t, rows.Scan(&data))
		out = append(out, data)
	}
	require.NoError(t, rows.Err())
	require.NotEmpty(t, out)
	return out
}
