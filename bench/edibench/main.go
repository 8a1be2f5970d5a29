// Command edibench measures what one large X12 856 ship notice costs the hub, from bytes to canonical
// document, beside the npm parser node-x12 1.7.1 tokenizing the same file in the same run:
//
//	go run ./bench/edibench
//
// It generates the 856 once (x12test.Build856: -items item lines in -cartons cartons, 10,000 in 500 by
// default, about 1.1 MB) into a temporary directory, then:
//
//   - Go: x12.Parse and x12doc.Map(f, x12doc.Options{}) on the bytes in memory, after three untimed
//     warm-ups; -runs runs are timed one by one and the median is reported. No collection is forced
//     between runs: the collections a run's allocations trigger run during the timed runs, so the
//     median carries the garbage collector's share. The allocation figure is the runtime.MemStats
//     TotalAlloc delta over the timed runs divided by -runs.
//   - node-x12: `node <nodex12-dir>/tokenize.js FILE <node-runs>`, which times
//     `new X12Parser(true).parse(edi)` on the file read into a string (node-x12 has no separate public
//     tokenizer; see tokenize.js for why its stream mode is not the baseline) and reports the median
//     of its runs after three warm-ups and the process's peak resident set. `npm ci` is run in
//     <nodex12-dir> first when node-x12 is not installed there.
//
// Stdout gets only name=value lines (the names carry the item count, "10k" by default):
//
//	x12_856_10k_lines_ms=7.739         median ms of one parse+map
//	x12_856_10k_lines_mib=10.01        MiB allocated by one parse+map
//	node_x12_ms=104.028                median ms of one node-x12 parse
//	node_x12_max_rss_mib=453.0         peak RSS of the node process
//	x12_856_vs_node_x12=0.0744         x12_856_10k_lines_ms / node_x12_ms
//
// Progress goes to stderr. When node or npm is missing the node lines are skipped with a message on
// stderr and the exit status stays 0; any other failure exits 1.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"strconv"

	"github.com/crossdock-hub/crossdock/adapters/edi/x12/x12test"
)

// config is the driver's flags.
type config struct {
	items      int
	cartons    int
	runs       int
	nodeRuns   int
	nodex12Dir string
}

// minRuns is the fewest timed runs a median is reported from without a warning.
const minRuns = 20

func main() {
	var cfg config
	flag.IntVar(&cfg.items, "items", 10000, "item lines (HL*I) in the generated 856")
	flag.IntVar(&cfg.cartons, "cartons", 500, "cartons (HL*P with MAN*GM) in the generated 856")
	flag.IntVar(&cfg.runs, "runs", 30, "timed Go parse+map runs (the median is reported)")
	flag.IntVar(&cfg.nodeRuns, "node-runs", 20, "timed node-x12 runs (the median is reported)")
	flag.StringVar(&cfg.nodex12Dir, "nodex12-dir", "bench/nodex12", "folder of tokenize.js and its package.json")
	flag.Parse()

	logger := slog.New(slog.NewTextHandler(os.Stderr, nil))
	if err := cfg.validate(logger); err != nil {
		logger.Error("edibench: bad flags", "error", err)
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, cfg, logger); err != nil {
		logger.Error("edibench failed", "error", err)
		os.Exit(1)
	}
}

// validate rejects flags no measurement can be made from, and warns about too few runs.
func (c config) validate(logger *slog.Logger) error {
	var errs []error
	if c.items < 1 {
		errs = append(errs, fmt.Errorf("-items must be at least 1, got %d", c.items))
	}
	if c.cartons < 0 {
		errs = append(errs, fmt.Errorf("-cartons must not be negative, got %d", c.cartons))
	}
	if c.runs < 1 || c.nodeRuns < 1 {
		errs = append(errs, fmt.Errorf("-runs and -node-runs must be at least 1, got %d and %d", c.runs, c.nodeRuns))
	}
	if err := errors.Join(errs...); err != nil {
		return err
	}
	if c.runs < minRuns || c.nodeRuns < minRuns {
		logger.Warn("fewer timed runs than the benchmark asks for: the medians are less reliable",
			"runs", c.runs, "node_runs", c.nodeRuns, "at_least", minRuns)
	}
	return nil
}

func run(ctx context.Context, cfg config, logger *slog.Logger) error {
	asn := x12test.Build856(cfg.items, cfg.cartons)
	dir, err := os.MkdirTemp("", "edibench-")
	if err != nil {
		return fmt.Errorf("temporary directory: %w", err)
	}
	defer os.RemoveAll(dir)
	file := filepath.Join(dir, "856_"+sizeLabel(cfg.items)+".x12")
	if err := os.WriteFile(file, asn.Data, 0o600); err != nil {
		return fmt.Errorf("write the generated 856: %w", err)
	}
	logger.Info("generated 856", "file", file, "bytes", len(asn.Data), "segments", asn.Segments,
		"items", asn.Lines, "cartons", len(asn.SSCCs), "gomaxprocs", runtime.GOMAXPROCS(0))

	goRes, err := measureGo(asn, cfg.runs, logger)
	if err != nil {
		return err
	}
	prefix := "x12_856_" + sizeLabel(cfg.items) + "_lines"
	emit(prefix+"_ms", goRes.medianMS, 3)
	emit(prefix+"_mib", goRes.allocMiB, 2)

	nodeRes, err := measureNode(ctx, nodeConfig{dir: cfg.nodex12Dir, file: file, runs: cfg.nodeRuns}, logger)
	if errors.Is(err, errNodeMissing) {
		logger.Warn("node-x12 baseline skipped: node_x12_ms, node_x12_max_rss_mib and x12_856_vs_node_x12 are not printed",
			"reason", err)
		return nil
	}
	if err != nil {
		return err
	}
	// node-x12 counts the segments between ST and SE; SE01 counts ST and SE too.
	if want := asn.Segments - 2; nodeRes.Segments != want {
		return fmt.Errorf("node-x12 read %d segments in the set, the generator wrote %d: it did not parse the same document",
			nodeRes.Segments, want)
	}
	emit("node_x12_ms", nodeRes.MedianMS, 3)
	emit("node_x12_max_rss_mib", nodeRes.MaxRSSMiB, 1)
	emit("x12_856_vs_node_x12", goRes.medianMS/nodeRes.MedianMS, 4)
	return nil
}

// emit prints one name=value line on stdout.
func emit(name string, v float64, decimals int) {
	fmt.Printf("%s=%s\n", name, strconv.FormatFloat(v, 'f', decimals, 64))
}

// sizeLabel names an item count in the output: 10000 is "10k", 2500 stays "2500".
func sizeLabel(items int) string {
	if items%1000 == 0 {
		return strconv.Itoa(items/1000) + "k"
	}
	return strconv.Itoa(items)
}
