// Command divergencebench measures a filtered divergence page over GraphQL, from an HTTP client, on
// PostgreSQL:
//
//	go build -o bin/crossdock ./cmd/crossdock && go run ./bench/divergencebench -bin bin/crossdock
//
// It migrates a fresh schema with `crossdock migrate`, fills the divergence view's serving generation
// with -rows positions (each computed by divergence.Compute from generated warehouse and Odoo figures:
// about a quarter diverged), starts `crossdock serve` on it, then asks -queries times, one client after
// the other, for a page of 50 diverged positions of one warehouse after a cursor, and prints the latency
// percentiles (progress on stderr):
//
//	graphql_divergence_p99_ms=3.2
//	graphql_divergence_p50_ms=1.9
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"

	"github.com/crossdock-hub/crossdock/bench/internal/hubproc"
	"github.com/crossdock-hub/crossdock/projections/divergence"
)

type config struct {
	bin         string
	databaseURL string
	rows        int
	warehouses  int
	queries     int
}

func main() {
	var cfg config
	flag.StringVar(&cfg.bin, "bin", "bin/crossdock", "the crossdock binary to measure")
	flag.StringVar(&cfg.databaseURL, "database-url", "postgres://postgres@127.0.0.1:5432/test?sslmode=disable",
		"PostgreSQL server and database (a fresh schema is created and dropped)")
	flag.IntVar(&cfg.rows, "rows", 100_000, "positions in the view")
	flag.IntVar(&cfg.warehouses, "warehouses", 20, "warehouses the positions are spread over")
	flag.IntVar(&cfg.queries, "queries", 2000, "queries measured")
	flag.Parse()
	logger := slog.New(slog.NewTextHandler(os.Stderr, nil))
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	p50, p99, err := run(ctx, cfg, logger)
	if err != nil {
		logger.Error("divergencebench failed", "error", err)
		os.Exit(1)
	}
	fmt.Printf("graphql_divergence_p99_ms=%.2f\ngraphql_divergence_p50_ms=%.2f\n", p99, p50)
}

func run(ctx context.Context, cfg config, logger *slog.Logger) (p50, p99 float64, err error) {
	url, drop, err := hubproc.FreshSchema(ctx, cfg.databaseURL, "divergencebench")
	if err != nil {
		return 0, 0, err
	}
	defer drop()
	dir, err := hubproc.NewDir("divergencebench-")
	if err != nil {
		return 0, 0, err
	}
	migrate := exec.CommandContext(ctx, cfg.bin, "migrate", "--database-url", url, "--data-dir", dir)
	migrate.Stderr = os.Stderr
	if err := migrate.Run(); err != nil {
		return 0, 0, fmt.Errorf("crossdock migrate: %w", err)
	}
	start := time.Now()
	if err := fill(ctx, url, cfg); err != nil {
		return 0, 0, err
	}
	logger.Info("view filled", "rows", cfg.rows, "seconds", time.Since(start).Seconds())

	hub, err := hubproc.Start(ctx, cfg.bin, dir, []string{"--database-url", url}, nil)
	if err != nil {
		return 0, 0, err
	}
	defer hub.Stop()

	const query = `query($wh: String, $after: String) { inventoryPositions(warehouse: $wh, status: "diverged", first: 50, after: $after) {
		edges { cursor node { warehouse product wmsOnHand odooOnHand inFlight divergence status stale divergedSince } }
		pageInfo { endCursor hasNextPage } } }`
	rng := rand.New(rand.NewPCG(1, 2))
	client := &http.Client{Timeout: 10 * time.Second}
	var latencies []float64
	cursors := map[string]string{} // per warehouse, the cursor the next page starts after
	for i := range cfg.queries + 100 {
		wh := warehouse(rng.IntN(cfg.warehouses))
		body, _ := json.Marshal(map[string]any{"query": query, "variables": map[string]any{"wh": wh, "after": nullIfEmpty(cursors[wh])}})
		t0 := time.Now()
		resp, err := client.Post(hub.URL+"/graphql", "application/json", bytes.NewReader(body))
		if err != nil {
			return 0, 0, err
		}
		b, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		elapsed := time.Since(t0)
		if err != nil {
			return 0, 0, err
		}
		var out struct {
			Data struct {
				Positions struct {
					Edges    []json.RawMessage `json:"edges"`
					PageInfo struct {
						EndCursor   string `json:"endCursor"`
						HasNextPage bool   `json:"hasNextPage"`
					} `json:"pageInfo"`
				} `json:"inventoryPositions"`
			} `json:"data"`
			Errors []json.RawMessage `json:"errors"`
		}
		if err := json.Unmarshal(b, &out); err != nil || len(out.Errors) > 0 || resp.StatusCode != http.StatusOK {
			return 0, 0, fmt.Errorf("query answered %d: %s", resp.StatusCode, b)
		}
		if len(out.Data.Positions.Edges) == 0 {
			return 0, 0, fmt.Errorf("an empty page for %s: the view holds no diverged position there", wh)
		}
		cursors[wh] = out.Data.Positions.PageInfo.EndCursor
		if !out.Data.Positions.PageInfo.HasNextPage {
			cursors[wh] = ""
		}
		if i >= 100 { // the first hundred warm the connection pools and caches
			latencies = append(latencies, float64(elapsed.Microseconds())/1000)
		}
	}
	slices.Sort(latencies)
	return percentile(latencies, 0.50), percentile(latencies, 0.99), nil
}

func warehouse(i int) string { return fmt.Sprintf("3pl-%02d", i) }

func nullIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// fill writes the positions straight into the serving generation's table, as the projection would have
// left them: each is computed from generated facts by divergence.Compute.
func fill(ctx context.Context, url string, cfg config) error {
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	var gen int
	if err := conn.QueryRow(ctx, `SELECT generation FROM projection_state WHERE name = $1 AND state = 'active'`, divergence.Name).Scan(&gen); err != nil {
		return fmt.Errorf("the divergence view's serving generation: %w", err)
	}
	table := fmt.Sprintf("div_position_g%d", gen)
	rng := rand.New(rand.NewPCG(3, 4))
	asOf := time.Now().UTC().Add(-time.Hour).Truncate(time.Second)
	rows := make([][]any, 0, cfg.rows)
	for i := range cfg.rows {
		wh := warehouse(i % cfg.warehouses)
		product := fmt.Sprintf("SKU-%06d", i)
		wms := decimal.NewFromInt(int64(rng.IntN(500)))
		odoo := wms
		var movements []divergence.Movement
		switch rng.IntN(4) {
		case 0: // diverged
			odoo = wms.Add(decimal.NewFromInt(int64(1 + rng.IntN(9))))
		case 1: // explained by a receipt in flight
			q := decimal.NewFromInt(int64(1 + rng.IntN(9)))
			odoo = wms.Sub(q)
			movements = []divergence.Movement{{EventID: fmt.Sprintf("rcv-%d", i), At: asOf.Add(-time.Minute), Quantity: q}}
		}
		p, sweep := divergence.ComputeFrom(nil, divergence.Facts{Warehouse: wh, Product: product,
			Snapshots: []divergence.Snapshot{{EventID: fmt.Sprintf("snap-%d", i), AsOf: asOf, OnHand: wms}},
			Movements: movements,
			Readings:  []divergence.OdooReading{{EventID: fmt.Sprintf("odoo-%d", i%cfg.warehouses), AsOf: asOf, Quantity: odoo}}}, time.Time{})
		data, err := json.Marshal(p)
		if err != nil {
			return err
		}
		swept, err := json.Marshal(sweep)
		if err != nil {
			return err
		}
		rows = append(rows, []any{p.Warehouse, p.Product, p.Status, p.Divergence.String(), string(data), string(swept)})
	}
	if _, err := conn.CopyFrom(ctx, pgx.Identifier{table}, []string{"warehouse", "product", "status", "divergence", "data", "sweep"}, pgx.CopyFromRows(rows)); err != nil {
		return fmt.Errorf("fill %s: %w", table, err)
	}
	_, err = conn.Exec(ctx, "ANALYZE "+table)
	return err
}

// percentile is the nearest-rank percentile of sorted values.
func percentile(sorted []float64, p float64) float64 {
	if len(sorted) == 0 {
		return 0
	}
	i := int(float64(len(sorted))*p+0.5) - 1
	return sorted[min(max(i, 0), len(sorted)-1)]
}
