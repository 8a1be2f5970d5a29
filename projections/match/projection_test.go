package match_test

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/crossdock-hub/crossdock/domain/invoice"
	"github.com/crossdock-hub/crossdock/domain/order"
	"github.com/crossdock-hub/crossdock/domain/partner"
	"github.com/crossdock-hub/crossdock/domain/receipt"
	"github.com/crossdock-hub/crossdock/eventstore"
	"github.com/crossdock-hub/crossdock/projections"
	"github.com/crossdock-hub/crossdock/projections/internal/projtest"
	"github.com/crossdock-hub/crossdock/projections/match"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func decp(s string) *decimal.Decimal { d := dec(s); return &d }

// fact is one event of a scenario, on its stream.
type fact struct {
	stream string
	typ    string
	data   any
}

func tolerances(id string, t partner.Tolerances) fact {
	return fact{partner.StreamID(id), partner.EventTolerancesSet, partner.TolerancesSet{Tolerances: t}}
}

func placed(po, supplier string, lines ...order.LineData) fact {
	return fact{order.POStreamID(po), order.EventPlaced, order.Placed{OrderData: order.OrderData{PONumber: po, Supplier: supplier, Currency: "USD", Lines: lines}}}
}

func received(warehouse, number, po string, lines ...receipt.LineData) fact {
	return fact{receipt.StreamID(warehouse, number), receipt.EventReceived, receipt.Received{ReceiptData: receipt.ReceiptData{
		ReceiptNumber: number, PONumber: po, Partner: warehouse, Lines: lines}}}
}

func billed(supplier, number, po, typ string, lines ...invoice.LineData) fact {
	return fact{invoice.StreamID(supplier, number), invoice.EventReceived, invoice.Received{InvoiceData: invoice.InvoiceData{
		InvoiceNumber: number, PONumber: po, Type: typ, Partner: supplier, Currency: "USD", Reconciles: true, Lines: lines}}}
}

// example1 is VIEWS.md's three-way match example 1, all four steps, then a second order whose receipt
// and invoice come before the order itself, and an invoice for an order never placed.
var example1 = []fact{
	tolerances("acme", partner.Tolerances{PriceVariancePercent: dec("2")}),
	placed("P00042", "acme", order.LineData{LineNumber: "1", Product: "WID-A", Quantity: dec("10"), Unit: "Units", UnitPrice: decp("2.50")}),
	received("wh1", "R1", "P00042", receipt.LineData{LineNumber: "1", Product: "WID-A", Quantity: dec("6"), Unit: "Units"}),
	billed("acme", "INV-7781", "P00042", invoice.TypeDebit, invoice.LineData{LineNumber: "1", Product: "WID-A", Quantity: dec("10"), UnitPrice: dec("2.60")}),
	received("wh1", "R2", "P00042", receipt.LineData{LineNumber: "1", Product: "WID-A", Quantity: dec("4"), Unit: "Units"}),
	billed("acme", "CN-12", "P00042", invoice.TypeCredit, invoice.LineData{LineNumber: "1", Product: "WID-A", Quantity: dec("10"), UnitPrice: dec("0.10")}),

	received("wh1", "R3", "P00050", receipt.LineData{LineNumber: "1", Product: "CUP-12", Quantity: dec("60"), Unit: "Units",
		PartnerQuantity: dec("5"), PartnerUnit: "CS"}),
	billed("acme", "INV-50", "P00050", invoice.TypeDebit, invoice.LineData{LineNumber: "1", Product: "CUP-12", Quantity: dec("60"), UnitPrice: dec("1.00"),
		PartnerQuantity: dec("5"), PartnerUnit: "CS", PartnerUnitPrice: dec("12.00")}),
	placed("P00050", "acme", order.LineData{LineNumber: "1", Product: "CUP-12", Quantity: dec("60"), Unit: "Units", UnitPrice: decp("1.00")}),

	billed("acme", "INV-99", "P00099", invoice.TypeDebit, invoice.LineData{LineNumber: "1", Product: "WID-A", Quantity: dec("1"), UnitPrice: dec("2.50")}),
}

func appendFacts(t *testing.T, store eventstore.Store, facts []fact) map[string]string {
	t.Helper()
	ids := map[string]string{}
	for i, f := range facts {
		data, err := json.Marshal(f.data)
		require.NoError(t, err)
		id := eventstore.DeriveID("match-test:"+f.stream, i)
		_, err = store.Append(t.Context(), f.stream, eventstore.Any, eventstore.EventData{ID: id, Type: f.typ, Data: data})
		require.NoError(t, err)
		ids[f.stream] = id.String()
	}
	return ids
}

func TestThreeWayMatchView(t *testing.T) {
	for _, b := range projtest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			store, db := b.Open(t, b.Location(t))
			ids := appendFacts(t, store, example1)
			feed := &recorder{}
			r, err := projections.New(store, db, projections.Config{Logger: projtest.Logger(t), Changes: feed}, match.NewProjection())
			require.NoError(t, err)
			projtest.Start(t, r)
			projtest.WaitStatus(t, r, match.Name, projtest.Live(projtest.Head(t, store)))
			reader, err := match.NewReader(db, projections.NewCatalog(db))
			require.NoError(t, err)

			lines, err := reader.Lines(t.Context(), match.Query{})
			require.NoError(t, err)
			require.Len(t, lines.Lines, 2)
			l := lines.Lines[0]
			assert.Equal(t, "P00042", l.PONumber)
			assert.Equal(t, match.StatusMatched, l.Status)
			assert.True(t, dec("10").Equal(l.Ordered) && dec("10").Equal(l.Received) && dec("10").Equal(l.Invoiced))
			assert.True(t, dec("2.5").Equal(*l.InvoicePrice), "invoice price %s", l.InvoicePrice)
			assert.True(t, l.AtRisk.IsZero())
			assert.Equal(t, []string{ids[order.POStreamID("P00042")], ids[receipt.StreamID("wh1", "R1")], ids[receipt.StreamID("wh1", "R2")],
				ids[invoice.StreamID("acme", "INV-7781")], ids[invoice.StreamID("acme", "CN-12")]}, l.Evidence)
			late := lines.Lines[1]
			assert.Equal(t, "P00050", late.PONumber, "the order placed after its receipt and invoice")
			assert.Equal(t, match.StatusMatched, late.Status)
			assert.True(t, dec("60").Equal(late.Received))

			held, err := reader.Invoices(t.Context(), match.Query{Status: match.InvoiceHeld})
			require.NoError(t, err)
			require.Len(t, held.Invoices, 1)
			assert.Equal(t, "INV-99", held.Invoices[0].InvoiceNumber)
			assert.Equal(t, []string{"purchase order P00099 is not known"}, held.Invoices[0].Reasons)
			assert.True(t, dec("2.5").Equal(held.Invoices[0].AtRisk), "nothing received against it: all at risk")

			// The feed: the last change of each row is the row as the view serves it.
			last := feed.last()
			var fed match.Line
			require.NoError(t, json.Unmarshal(last[match.ChangeLine+" P00042/1"].Row, &fed))
			assert.Equal(t, l, fed)
			var fedInv match.InvoiceResult
			require.NoError(t, json.Unmarshal(last[match.ChangeInvoice+" acme/INV-99"].Row, &fedInv))
			assert.Equal(t, held.Invoices[0], fedInv)
			assert.Equal(t, match.Name, last[match.ChangeLine+" P00042/1"].Projection)
			assert.False(t, last[match.ChangeLine+" P00042/1"].Position.IsZero())
			assert.Len(t, last, 6, "2 lines and 4 invoices")

			// Pages of one, by cursor.
			p1, err := reader.Invoices(t.Context(), match.Query{Partner: "acme", First: 1})
			require.NoError(t, err)
			require.True(t, p1.HasNextPage)
			assert.Equal(t, "CN-12", p1.Invoices[0].InvoiceNumber)
			p2, err := reader.Invoices(t.Context(), match.Query{Partner: "acme", First: 3, After: p1.Cursors[0]})
			require.NoError(t, err)
			require.False(t, p2.HasNextPage)
			var numbers []string
			for _, v := range p2.Invoices {
				numbers = append(numbers, v.InvoiceNumber)
			}
			assert.Equal(t, []string{"INV-50", "INV-7781", "INV-99"}, numbers)
			_, err = reader.Lines(t.Context(), match.Query{After: "not a cursor"})
			require.ErrorIs(t, err, match.ErrInvalidQuery)

			// A tolerance change re-derives the supplier's orders: 1 % of price is now less than what a
			// new invoice is off by.
			appendFacts(t, store, []fact{
				billed("acme", "INV-50", "P00050", invoice.TypeDebit, invoice.LineData{LineNumber: "1", Product: "CUP-12", Quantity: dec("60"), UnitPrice: dec("1.015")}),
			})
			_, err = store.Append(t.Context(), partner.StreamID("acme"), eventstore.Any, eventstore.EventData{
				ID: eventstore.DeriveID("tol", 2), Type: partner.EventTolerancesSet,
				Data: mustJSON(t, partner.TolerancesSet{Tolerances: partner.Tolerances{PriceVariancePercent: dec("1")}})})
			require.NoError(t, err)
			projtest.WaitStatus(t, r, match.Name, projtest.Live(projtest.Head(t, store)))
			lines, err = reader.Lines(t.Context(), match.Query{PONumber: "P00050"})
			require.NoError(t, err)
			require.Len(t, lines.Lines, 1)
			assert.Equal(t, match.StatusPriceVariance, lines.Lines[0].Status, "1.5 %% off, tolerance 1 %%")
		})
	}
}

func mustJSON(t *testing.T, v any) json.RawMessage {
	t.Helper()
	b, err := json.Marshal(v)
	require.NoError(t, err)
	return b
}

// Arrival order does not change the view: the same documents, applied in shuffled orders (each stream's
// own events kept in order, as the store keeps them), one event per batch, give the same rows as in
// order.
func TestArrivalOrderDoesNotChangeTheView(t *testing.T) {
	for _, b := range projtest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			_, db := b.Open(t, b.Location(t))
			events := make([]eventstore.Event, len(example1))
			for i, f := range example1 {
				events[i] = eventstore.Event{ID: eventstore.DeriveID("match-test:"+f.stream, i), StreamID: f.stream, StreamVersion: 1,
					Type: f.typ, Data: mustJSON(t, f.data)}
			}
			want := applyInOrder(t, db, 1, events, len(events))
			require.Len(t, want[0], 2, "lines")
			require.Len(t, want[1], 4, "invoices")
			rng := rand.New(rand.NewPCG(7, 11))
			for gen := 2; gen <= 9; gen++ {
				shuffled := append([]eventstore.Event(nil), events...)
				rng.Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
				got := applyInOrder(t, db, gen, shuffled, 1+rng.IntN(3))
				require.Equal(t, want, got, "order %d", gen)
			}
		})
	}
}

// applyInOrder creates generation gen of the tables, applies events to it in batches of batch, and
// returns its derived rows as text.
func applyInOrder(t *testing.T, db projections.Database, gen int, events []eventstore.Event, batch int) [][]string {
	t.Helper()
	ctx := context.Background()
	p := match.NewProjection()
	tables := projections.Tables{Dialect: db.Dialect, Generation: gen}
	stmts, err := p.Schema(tables)
	require.NoError(t, err)
	for _, s := range stmts {
		_, err := db.Write.ExecContext(ctx, s)
		require.NoError(t, err)
	}
	for i := 0; i < len(events); i += batch {
		tx, err := db.Write.BeginTx(ctx, nil)
		require.NoError(t, err)
		require.NoError(t, p.Apply(ctx, tx, tables, events[i:min(i+batch, len(events))]))
		require.NoError(t, tx.Commit())
	}
	var out [][]string
	for _, q := range []string{
		`SELECT po_number || '|' || line_number || '|' || status || '|' || issues || '|' || received || '|' || invoiced || '|' ||
			coalesce(invoice_price, '') || '|' || at_risk || '|' || evidence FROM ` + tables.Name("match_line") + ` ORDER BY po_number, line_number`,
		`SELECT partner || '|' || invoice_number || '|' || status || '|' || reasons || '|' || at_risk || '|' || evidence FROM ` +
			tables.Name("match_invoice") + ` ORDER BY partner, invoice_number`,
	} {
		rows, err := db.Read.QueryContext(ctx, q)
		require.NoError(t, err)
		var got []string
		for rows.Next() {
			var s string
			require.NoError(t, rows.Scan(&s))
			got = append(got, s)
		}
		require.NoError(t, rows.Err())
		rows.Close()
		out = append(out, got)
	}
	return out
}

// randomHistory generates the documents of n purchase orders: orders placed and sometimes changed,
// receipts and invoices (some revised, some credit notes, some for orders never placed, some sent
// before their order), and tolerance changes. Each stream's events are in stream order.
func randomHistory(rng *rand.Rand, n int) []eventstore.Event {
	var events []eventstore.Event
	version := map[string]int64{}
	add := func(stream, typ string, data any) {
		version[stream]++
		b, _ := json.Marshal(data)
		events = append(events, eventstore.Event{ID: eventstore.DeriveID(stream, int(version[stream])), StreamID: stream,
			StreamVersion: version[stream], Type: typ, Data: b})
	}
	products := []string{"WID-A", "WID-B", "CUP-12", "BOLT-9"}
	qty := func() decimal.Decimal { return decimal.NewFromInt(int64(1 + rng.IntN(20))) }
	price := func() decimal.Decimal { return decimal.New(int64(100+rng.IntN(60)), -2) }
	for _, s := range []string{"acme", "globex"} {
		add(partner.StreamID(s), partner.EventTolerancesSet, partner.TolerancesSet{Tolerances: partner.Tolerances{
			QuantityPercent: decimal.NewFromInt(int64(rng.IntN(3))), PriceVariancePercent: decimal.NewFromInt(int64(rng.IntN(4)))}})
	}
	for i := range n {
		po := fmt.Sprintf("P%05d", i)
		supplier := []string{"acme", "globex"}[rng.IntN(2)]
		var lines []order.LineData
		for j := range 1 + rng.IntN(3) {
			p := price()
			lines = append(lines, order.LineData{LineNumber: fmt.Sprint(j + 1), Product: products[(i+j)%len(products)],
				Quantity: qty(), Unit: "Units", UnitPrice: &p})
		}
		placed := rng.IntN(10) > 0 // one order in ten is never placed
		if placed {
			add(order.POStreamID(po), order.EventPlaced, order.Placed{OrderData: order.OrderData{PONumber: po, Supplier: supplier, Lines: lines}})
		}
		for r := range rng.IntN(3) {
			number := fmt.Sprintf("R-%s-%d", po, r)
			for range 1 + rng.IntN(2) { // sometimes revised
				l := lines[rng.IntN(len(lines))]
				add(receipt.StreamID("wh1", number), receipt.EventReceived, receipt.Received{ReceiptData: receipt.ReceiptData{
					ReceiptNumber: number, PONumber: po, Partner: "wh1",
					Lines: []receipt.LineData{{LineNumber: "1", Product: l.Product, Quantity: qty(), Unit: "Units"}}}})
			}
		}
		for k := range rng.IntN(3) {
			number := fmt.Sprintf("I-%s-%d", po, k)
			typ := invoice.TypeDebit
			if k > 0 && rng.IntN(3) == 0 {
				typ = invoice.TypeCredit
			}
			l := lines[rng.IntN(len(lines))]
			add(invoice.StreamID(supplier, number), invoice.EventReceived, invoice.Received{InvoiceData: invoice.InvoiceData{
				InvoiceNumber: number, PONumber: po, Type: typ, Partner: supplier, Reconciles: rng.IntN(8) > 0,
				Lines: []invoice.LineData{{LineNumber: "1", Product: l.Product, Quantity: qty(), UnitPrice: price()}}}})
		}
		if placed && rng.IntN(5) == 0 {
			lines[0].Quantity = qty()
			add(order.POStreamID(po), order.EventChanged, order.Changed{OrderData: order.OrderData{PONumber: po, Supplier: supplier, Lines: lines}, Revision: 2})
		}
	}
	add(partner.StreamID("acme"), partner.EventTolerancesSet, partner.TolerancesSet{Tolerances: partner.Tolerances{PriceVariancePercent: decimal.NewFromInt(10)}})
	return events
}

// A view built incrementally, in small batches as events arrive, equals one rebuilt in a single pass
// over the same log, row for row; and a different interleaving of the streams gives the same rows.
func TestRebuildEqualsIncrementalOverARandomHistory(t *testing.T) {
	for _, b := range projtest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			_, db := b.Open(t, b.Location(t))
			rng := rand.New(rand.NewPCG(2026, 11))
			history := projtest.Interleave(rng, randomHistory(rng, 300))
			incremental := applyInOrder(t, db, 1, history, 7)
			rebuilt := applyInOrder(t, db, 2, history, len(history))
			require.Equal(t, incremental, rebuilt)
			other := applyInOrder(t, db, 3, projtest.Interleave(rng, history), 13)
			require.Equal(t, incremental, other)
			require.Greater(t, len(incremental[0]), 400, "lines")
			statuses := map[string]int{}
			for _, row := range incremental[0] {
				statuses[strings.Split(row, "|")[2]]++
			}
			for _, s := range []string{match.StatusOverReceived, match.StatusOverInvoiced, match.StatusPriceVariance,
				match.StatusAwaitingReceipt, match.StatusAwaitingInvoice, match.StatusMatched} {
				require.Positive(t, statuses[s], "the history exercises %s: %v", s, statuses)
			}
		})
	}
}

// recorder is a projections.ChangePublisher that keeps what it was given.
type recorder struct {
	mu      sync.Mutex
	changes []projections.Change
}

func (r *recorder) PublishChanges(_ context.Context, changes []projections.Change) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.changes = append(r.changes, changes...)
	return nil
}

// last returns each row's last change, by kind and key.
func (r *recorder) last() map[string]projections.Change {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := map[string]projections.Change{}
	for _, c := range r.changes {
		out[c.Kind+" "+c.Key] = c
	}
	return out
}
