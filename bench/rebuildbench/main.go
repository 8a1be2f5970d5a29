// Command rebuildbench measures how fast every read model is rebuilt from the log, on PostgreSQL:
//
//	go run ./bench/rebuildbench -events 1000000
//
// It writes -events generated events of a realistic mix into a fresh schema (inventory snapshots and
// adjustments, carrier milestones, purchase orders, receipts, invoices, Odoo readings and validations),
// builds the read models' first generation, then rebuilds each of the hub's views (timeline, three-way
// match, inventory divergence, partner SLA) one after the other, and prints the events applied per second over all
// of them (progress on stderr):
//
//	rebuild_events_per_s=45000
//	rebuild_seconds_timeline=...
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"os"
	"os/signal"
	"runtime/pprof"
	"sync"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/shopspring/decimal"

	"github.com/crossdock-hub/crossdock/bench/internal/hubproc"
	"github.com/crossdock-hub/crossdock/domain/inventory"
	"github.com/crossdock-hub/crossdock/domain/invoice"
	"github.com/crossdock-hub/crossdock/domain/order"
	"github.com/crossdock-hub/crossdock/domain/receipt"
	"github.com/crossdock-hub/crossdock/domain/shipment"
	"github.com/crossdock-hub/crossdock/eventstore"
	"github.com/crossdock-hub/crossdock/eventstore/postgres"
	"github.com/crossdock-hub/crossdock/projections"
	"github.com/crossdock-hub/crossdock/projections/divergence"
	"github.com/crossdock-hub/crossdock/projections/match"
	"github.com/crossdock-hub/crossdock/projections/sla"
	"github.com/crossdock-hub/crossdock/projections/timeline"
)

type config struct {
	databaseURL string
	events      int
	writers     int
	cpuProfile  string
	sweepLag    time.Duration
}

func main() {
	var cfg config
	flag.StringVar(&cfg.databaseURL, "database-url", "postgres://postgres@127.0.0.1:5432/test?sslmode=disable",
		"PostgreSQL server and database (a fresh schema is created and dropped)")
	flag.IntVar(&cfg.events, "events", 1_000_000, "events in the log")
	flag.IntVar(&cfg.writers, "writers", 4, "concurrent writers filling the log")
	flag.DurationVar(&cfg.sweepLag, "divergence-sweep-lag", -1, "the divergence view's sweep lag (default: the view's own)")
	flag.StringVar(&cfg.cpuProfile, "cpuprofile", "", "write a CPU profile of the rebuilds to this file")
	flag.Parse()
	logger := slog.New(slog.NewTextHandler(os.Stderr, nil))
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, cfg, logger); err != nil {
		logger.Error("rebuildbench failed", "error", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, cfg config, logger *slog.Logger) error {
	url, drop, err := hubproc.FreshSchema(ctx, cfg.databaseURL, "rebuildbench")
	if err != nil {
		return err
	}
	defer drop()
	pool, err := pgxpool.New(ctx, url)
	if err != nil {
		return err
	}
	defer pool.Close()
	store, err := postgres.New(pool, postgres.Config{})
	if err != nil {
		return err
	}
	if err := store.Migrate(ctx); err != nil {
		return err
	}
	start := time.Now()
	if err := fill(ctx, store, cfg); err != nil {
		return err
	}
	logger.Info("log filled", "events", cfg.events, "seconds", time.Since(start).Seconds())

	sqlDB := stdlib.OpenDBFromPool(pool)
	defer sqlDB.Close()
	db := projections.Database{Dialect: projections.Postgres, Write: sqlDB, Read: sqlDB}
	div := divergence.NewProjection()
	if cfg.sweepLag >= 0 {
		div.SweepLag = cfg.sweepLag
	}
	views := []projections.Projection{timeline.NewProjection(), match.NewProjection(), div, sla.NewProjection()}
	runner, err := projections.New(store, db, projections.Config{Logger: logger.With("component", "projections")}, views...)
	if err != nil {
		return err
	}
	if err := runner.Migrate(ctx); err != nil {
		return err
	}
	if cfg.cpuProfile != "" {
		f, err := os.Create(cfg.cpuProfile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	var total time.Duration
	for _, v := range views {
		t0 := time.Now()
		if err := runner.Rebuild(ctx, v.Name()); err != nil {
			return err
		}
		d := time.Since(t0)
		total += d
		logger.Info("view rebuilt", "view", v.Name(), "seconds", d.Seconds(), "events_per_s", float64(cfg.events)/d.Seconds())
		fmt.Printf("rebuild_seconds_%s=%.1f\n", v.Name(), d.Seconds())
	}
	fmt.Printf("rebuild_events_per_s=%.0f\n", float64(cfg.events*len(views))/total.Seconds())
	return nil
}

// fill writes the log: each writer takes every writers-th batch of a generated sequence of documents.
func fill(ctx context.Context, store eventstore.Store, cfg config) error {
	var wg sync.WaitGroup
	errs := make(chan error, cfg.writers)
	per := cfg.events / cfg.writers
	for w := range cfg.writers {
		wg.Go(func() {
			g := generator{rng: rand.New(rand.NewPCG(uint64(w), 7)), writer: w}
			for written := 0; written < per; {
				stream, events := g.next()
				if len(events) > per-written {
					events = events[:per-written]
				}
				if _, err := store.Append(ctx, stream, eventstore.Any, events...); err != nil {
					errs <- fmt.Errorf("append %s: %w", stream, err)
					return
				}
				written += len(events)
			}
		})
	}
	wg.Wait()
	close(errs)
	return <-errs
}

// generator makes a realistic mix: per document, the events one append writes.
type generator struct {
	rng    *rand.Rand
	writer int
	n      int
	// validations are Odoo's validations of receipts the warehouse confirmed, each written a few
	// documents after its receipt (Odoo validates every receipt, some time after the WMS confirms it).
	validations []pendingValidation
}

type pendingValidation struct {
	due       int
	warehouse string
	reference string
}

var epoch = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

func (g *generator) next() (string, []eventstore.EventData) {
	g.n++
	at := epoch.Add(time.Duration(g.n) * time.Minute)
	if len(g.validations) > 0 && g.validations[0].due <= g.n {
		v := g.validations[0]
		g.validations = g.validations[1:]
		e := eventstore.EventData{ID: eventstore.DeriveID("rebuildbench:validation:"+v.reference, 0), Type: inventory.EventOdooPickingValidated,
			Metadata: eventstore.Metadata{CorrelationID: v.reference, OccurredAt: at}}
		e.Data, _ = json.Marshal(inventory.OdooPickingValidated{OdooPickingValidatedData: inventory.OdooPickingValidatedData{
			Warehouse: v.warehouse, Kind: inventory.PickingReceipt, Reference: v.reference, ValidatedAt: at}})
		return inventory.OdooStreamID(v.warehouse), []eventstore.EventData{e}
	}
	id := fmt.Sprintf("%d-%d", g.writer, g.n)
	po := fmt.Sprintf("PO-%d-%d", g.writer, g.n/6)
	product := fmt.Sprintf("SKU-%03d", g.rng.IntN(500))
	warehouse := fmt.Sprintf("3pl-%d", g.rng.IntN(5))
	ev := func(typ string, v any) eventstore.EventData {
		b, _ := json.Marshal(v)
		return eventstore.EventData{ID: eventstore.DeriveID("rebuildbench:"+id+":"+typ, 0), Type: typ, Data: b,
			Metadata: eventstore.Metadata{CorrelationID: id, OccurredAt: at}}
	}
	qty := decimal.NewFromInt(int64(1 + g.rng.IntN(50)))
	price := decimal.New(int64(100+g.rng.IntN(900)), -2)
	switch g.n % 10 {
	case 0, 1, 2: // inventory: a position's snapshot then adjustments
		key := inventory.PositionKey{Partner: warehouse, Product: product}
		var events []eventstore.EventData
		events = append(events, ev(inventory.EventSnapshotReported, inventory.SnapshotReported{SnapshotData: inventory.SnapshotData{
			PositionKey: key, AsOf: at, Quantities: map[string]inventory.QuantityData{inventory.OnHand: {Quantity: qty, Unit: "EA"}}}}))
		for i := range 4 {
			e := ev(inventory.EventAdjusted, inventory.Adjusted{AdjustmentData: inventory.AdjustmentData{
				PositionKey: key, At: at.Add(time.Duration(i+1) * time.Second), Quantity: decimal.NewFromInt(int64(g.rng.IntN(5) - 2)), Unit: "EA"}})
			e.ID = eventstore.DeriveID("rebuildbench:"+id+":adj", i)
			events = append(events, e)
		}
		return inventory.StreamID(key), events
	case 3, 4: // a carrier's milestones
		var events []eventstore.EventData
		for i, status := range []string{"picked_up", "in_transit", "out_for_delivery", "delivered"} {
			e := ev(shipment.EventStatusReported, map[string]any{"tracking_number": "1Z" + id, "status": status,
				"at": at.Add(time.Duration(i) * time.Hour)})
			e.ID = eventstore.DeriveID("rebuildbench:"+id+":status", i)
			events = append(events, e)
		}
		return "shipment-carrier:1Z" + id, events
	case 5:
		lines := []order.LineData{{LineNumber: "1", Product: product, Quantity: qty, Unit: "EA", UnitPrice: &price},
			{LineNumber: "2", Product: "SKU-900", Quantity: qty, Unit: "EA", UnitPrice: &price}}
		return order.POStreamID(po), []eventstore.EventData{ev(order.EventPlaced, order.Placed{OrderData: order.OrderData{
			PONumber: po, Supplier: "acme", OrderDate: at, Lines: lines}})}
	case 6, 7:
		g.validations = append(g.validations, pendingValidation{due: g.n + 3 + g.rng.IntN(20), warehouse: warehouse, reference: "R" + id})
		return receipt.StreamID(warehouse, "R"+id), []eventstore.EventData{ev(receipt.EventReceived, receipt.Received{ReceiptData: receipt.ReceiptData{
			ReceiptNumber: "R" + id, PONumber: po, Partner: warehouse, ReceivedAt: at,
			Lines: []receipt.LineData{{LineNumber: "1", Product: product, Quantity: qty, Unit: "EA"}}}})}
	case 8:
		return invoice.StreamID("acme", "I"+id), []eventstore.EventData{ev(invoice.EventReceived, invoice.Received{InvoiceData: invoice.InvoiceData{
			InvoiceNumber: "I" + id, PONumber: po, Type: invoice.TypeDebit, Partner: "acme", Reconciles: true, InvoiceDate: at,
			Lines: []invoice.LineData{{LineNumber: "1", Product: product, Quantity: qty, UnitPrice: price}}}})}
	default: // Odoo's reading of a warehouse
		var levels []inventory.OdooLevelData
		for i := range 20 {
			levels = append(levels, inventory.OdooLevelData{Product: fmt.Sprintf("SKU-%03d", g.rng.IntN(500)), Quantity: decimal.NewFromInt(int64(i))})
		}
		return inventory.OdooStreamID(warehouse), []eventstore.EventData{ev(inventory.EventOdooLevelsRead, inventory.OdooLevelsRead{
			OdooLevelsData: inventory.OdooLevelsData{Warehouse: warehouse, AsOf: at, Levels: dedupe(levels)}})}
	}
}

func dedupe(levels []inventory.OdooLevelData) []inventory.OdooLevelData {
	seen := map[string]bool{}
	out := levels[:0]
	for _, l := range levels {
		if !seen[l.Product] {
			seen[l.Product] = true
			out = append(out, l)
		}
	}
	return out
}
