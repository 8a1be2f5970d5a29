// Command ingestbench measures partner ingest end to end, over HTTP, against the built crossdock binary:
//
//	go build -o bin/crossdock ./cmd/crossdock && go run ./bench/ingestbench -bin bin/crossdock
//
// For each backend (the embedded SQLite file, then PostgreSQL in a fresh schema) it starts `crossdock
// serve` with a partner onboarded from a generated YAML file, then -clients concurrent clients post
// -lines-line X12 856 ship notices, each a new interchange, for -duration, and it prints the documents
// acknowledged per second as name=value lines on stdout (progress goes to stderr):
//
//	ingest_docs_per_s_sqlite=1234
//	ingest_docs_per_s_postgres=2345
//
// A document counts when the hub answered it 2xx: stored, mapped, appended and acknowledged.
package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	"github.com/crossdock-hub/crossdock/bench/internal/hubproc"
)

type config struct {
	bin         string
	databaseURL string
	duration    time.Duration
	warmup      time.Duration
	clients     int
	lines       int
	backends    string
	pprofAddr   string
}

func main() {
	var cfg config
	flag.StringVar(&cfg.bin, "bin", "bin/crossdock", "the crossdock binary to measure")
	flag.StringVar(&cfg.databaseURL, "database-url", "postgres://postgres@127.0.0.1:5432/test?sslmode=disable",
		"PostgreSQL server and database for the postgres run (a fresh schema is created and dropped)")
	flag.DurationVar(&cfg.duration, "duration", 10*time.Second, "how long each backend is measured")
	flag.DurationVar(&cfg.warmup, "warmup", 2*time.Second, "load before measuring starts (not counted)")
	flag.IntVar(&cfg.clients, "clients", 16, "concurrent HTTP clients")
	flag.IntVar(&cfg.lines, "lines", 20, "item lines per document")
	flag.StringVar(&cfg.backends, "backends", "sqlite,postgres", "backends to measure, comma-separated")
	flag.StringVar(&cfg.pprofAddr, "pprof-addr", "", "start the hub with this profiling address (to profile it under load)")
	flag.Parse()

	logger := slog.New(slog.NewTextHandler(os.Stderr, nil))
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, cfg, logger); err != nil {
		logger.Error("ingestbench failed", "error", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, cfg config, logger *slog.Logger) error {
	for _, backend := range splitComma(cfg.backends) {
		var extra []string
		switch backend {
		case "sqlite":
		case "postgres":
			u, cleanup, err := hubproc.FreshSchema(ctx, cfg.databaseURL, "ingestbench")
			if err != nil {
				return err
			}
			defer cleanup()
			extra = []string{"--database-url", u}
		default:
			return fmt.Errorf("unknown backend %q (want sqlite or postgres)", backend)
		}
		rate, err := measure(ctx, cfg, logger.With("backend", backend), extra)
		if err != nil {
			return fmt.Errorf("%s: %w", backend, err)
		}
		fmt.Printf("ingest_docs_per_s_%s=%.0f\n", backend, rate)
	}
	return nil
}

func measure(ctx context.Context, cfg config, logger *slog.Logger, extra []string) (float64, error) {
	dir, err := hubproc.NewDir("ingestbench-")
	if err != nil {
		return 0, err
	}
	token := "bench-" + hubproc.RandomHex(16)
	partners := filepath.Join(dir, "partners.yaml")
	if err := os.WriteFile(partners, []byte(partnersYAML), 0o600); err != nil {
		return 0, err
	}
	args := append([]string{"--partners", partners}, extra...)
	if cfg.pprofAddr != "" {
		args = append(args, "--pprof-addr", cfg.pprofAddr)
	}
	hub, err := hubproc.Start(ctx, cfg.bin, dir, args, []string{"CROSSDOCK_BENCH_TOKEN=" + token})
	if err != nil {
		return 0, err
	}
	defer hub.Stop()
	base := hub.URL
	logger.Info("hub ready, loading", "clients", cfg.clients, "lines", cfg.lines, "duration", cfg.duration)

	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: cfg.clients}, Timeout: 30 * time.Second}
	var (
		seq      atomic.Int64
		counted  atomic.Int64
		counting atomic.Bool
		failed   atomic.Value
	)
	runCtx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	for range cfg.clients {
		wg.Go(func() {
			for runCtx.Err() == nil {
				n := seq.Add(1)
				body := ship856(n, cfg.lines)
				req, _ := http.NewRequestWithContext(runCtx, http.MethodPost, base+"/api/v1/documents", bytes.NewReader(body))
				req.Header.Set("Content-Type", "application/edi-x12")
				req.Header.Set("Authorization", "Bearer "+token)
				resp, err := client.Do(req)
				if err != nil {
					if runCtx.Err() == nil {
						failed.CompareAndSwap(nil, err)
						cancel()
					}
					return
				}
				msg, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				if resp.StatusCode/100 != 2 {
					failed.CompareAndSwap(nil, fmt.Errorf("document %d answered %d: %s", n, resp.StatusCode, msg))
					cancel()
					return
				}
				if counting.Load() {
					counted.Add(1)
				}
			}
		})
	}
	select {
	case <-time.After(cfg.warmup):
	case <-runCtx.Done():
	}
	counting.Store(true)
	start := time.Now()
	select {
	case <-time.After(cfg.duration):
	case <-runCtx.Done():
	}
	counting.Store(false)
	elapsed := time.Since(start)
	cancel()
	wg.Wait()
	if err, _ := failed.Load().(error); err != nil {
		return 0, err
	}
	if ctx.Err() != nil {
		return 0, ctx.Err()
	}
	rate := float64(counted.Load()) / elapsed.Seconds()
	logger.Info("measured", "documents", counted.Load(), "seconds", elapsed.Seconds(), "docs_per_s", rate)
	return rate, nil
}

// partnersYAML onboards the supplier the generated ship notices come from, with a token read from the
// environment and an item crosswalk covering every generated UPC prefix.
var partnersYAML = `partners:
  - id: bench-supplier
    name: Bench Supplier
    roles: [supplier]
    identifiers:
      isa: [{qualifier: "ZZ", id: "BENCHSUP"}]
    tokens:
      - name: bench
        kinds: [asn]
        value_env: CROSSDOCK_BENCH_TOKEN
    units:
      - {partner_unit: CS, factor: "12", unit: EA}
      - {partner_unit: EA, factor: "1", unit: EA}
    items:
` + benchItems

// ship856 renders the n-th ship notice: interchange control number n, ASN number n, and lines items
// named by UPC so the crosswalk resolves each.
func ship856(n int64, lines int) []byte {
	var b bytes.Buffer
	ctl := fmt.Sprintf("%09d", n%1_000_000_000)
	fmt.Fprintf(&b, "ISA*00*          *00*          *ZZ*BENCHSUP       *ZZ*CROSSDOCK      *261126*1200*U*00401*%s*0*P*>~", ctl)
	fmt.Fprintf(&b, "GS*SH*BENCHSUP*CROSSDOCK*20261126*1200*%d*X*004010~ST*856*0001~", n)
	fmt.Fprintf(&b, "BSN*00*ASN%d*20261126*1200*0001~HL*1**S~TD5**2*UPSN~REF*CN*1Z%012d~DTM*011*20261126~N1*ST*WH1*92*WH1~HL*2*1*O~PRF*PO%d~", n, n, n%997)
	segs := 9 // ST BSN HL TD5 REF DTM N1 HL PRF
	hl := 2
	for i := range lines {
		hl++
		fmt.Fprintf(&b, "HL*%d*2*I~LIN*%d*UP*%s~SN1**%d*CS~", hl, i+1, benchUPC(i), 1+i%5)
		segs += 3
	}
	fmt.Fprintf(&b, "CTT*%d~SE*%d*0001~GE*1*%d~IEA*1*%s~", hl, segs+2, n, ctl)
	return b.Bytes()
}

var benchItems = func() string {
	var b bytes.Buffer
	for i := range 64 {
		fmt.Fprintf(&b, "      - {upc: \"%s\", product: \"BENCH-%02d\"}\n", benchUPC(i), i)
	}
	return b.String()
}()

// benchUPC is the i-th of 64 UPC-A codes, with a valid check digit.
func benchUPC(i int) string {
	body := fmt.Sprintf("0123456%04d", i%64)
	sum := 0
	for j := range body {
		d := int(body[j] - '0')
		if j%2 == 0 {
			d *= 3
		}
		sum += d
	}
	return body + string(rune('0'+(10-sum%10)%10))
}

func splitComma(s string) []string {
	var out []string
	for _, p := range bytes.Split([]byte(s), []byte(",")) {
		if t := string(bytes.TrimSpace(p)); t != "" {
			out = append(out, t)
		}
	}
	return out
}
