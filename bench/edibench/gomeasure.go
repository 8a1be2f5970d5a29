package main

import (
	"fmt"
	"log/slog"
	"runtime"
	"slices"
	"time"

	"github.com/shopspring/decimal"

	"github.com/crossdock-hub/crossdock/adapters/edi/x12"
	"github.com/crossdock-hub/crossdock/adapters/edi/x12/x12test"
	"github.com/crossdock-hub/crossdock/adapters/edi/x12doc"
	"github.com/crossdock-hub/crossdock/domain/shipment"
)

// goWarmups is how many untimed parse+map runs come before the timed ones.
const goWarmups = 3

// goResult is the Go measurement.
type goResult struct {
	medianMS float64
	allocMiB float64 // bytes allocated per parse+map, in MiB
}

// parseAndMap is the work measured: bytes to canonical documents.
func parseAndMap(data []byte) ([]x12doc.Result, error) {
	f, err := x12.Parse(data)
	if err != nil {
		return nil, fmt.Errorf("x12.Parse: %w", err)
	}
	return x12doc.Map(f, x12doc.Options{}), nil
}

// measureGo checks that parse+map reads the generated 856 right, then times it runs times.
func measureGo(asn x12test.ASN, runs int, logger *slog.Logger) (goResult, error) {
	for range goWarmups {
		results, err := parseAndMap(asn.Data)
		if err != nil {
			return goResult{}, err
		}
		if err := checkASN(results, asn); err != nil {
			return goResult{}, err
		}
	}

	// One collection now so that the generator's and the warm-ups' garbage is not charged to the timed
	// runs; none after, so each run pays for the collections its own allocations cause.
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	times := make([]time.Duration, runs)
	var sink []x12doc.Result
	start := time.Now()
	for i := range times {
		t0 := time.Now()
		results, err := parseAndMap(asn.Data)
		times[i] = time.Since(t0)
		if err != nil {
			return goResult{}, err
		}
		sink = results
	}
	total := time.Since(start)
	runtime.ReadMemStats(&after)
	runtime.KeepAlive(sink)

	slices.Sort(times)
	res := goResult{
		medianMS: ms(median(times)),
		allocMiB: float64(after.TotalAlloc-before.TotalAlloc) / float64(runs) / (1 << 20),
	}
	logger.Info("go parse+map measured", "runs", runs, "median_ms", res.medianMS,
		"min_ms", ms(times[0]), "max_ms", ms(times[len(times)-1]), "mean_ms", ms(total/time.Duration(runs)),
		"alloc_mib_per_run", res.allocMiB, "mallocs_per_run", (after.Mallocs-before.Mallocs)/uint64(runs),
		"gc_cycles", after.NumGC-before.NumGC)
	return res, nil
}

// checkASN fails unless results is the one ship notice the generator wrote, every line mapped: a
// benchmark of a mapper that rejected the file would measure nothing.
func checkASN(results []x12doc.Result, want x12test.ASN) error {
	if len(results) != 1 {
		return fmt.Errorf("mapped %d transaction sets, want 1", len(results))
	}
	r := results[0]
	if len(r.Errors) > 0 || len(r.EnvelopeErrors()) > 0 {
		return fmt.Errorf("the generated 856 was rejected: %v %v", r.Errors, r.EnvelopeErrors())
	}
	doc, ok := r.Document.(shipment.ASN)
	if !ok {
		return fmt.Errorf("mapped a %T, want a shipment.ASN", r.Document)
	}
	total := decimal.Zero
	for _, l := range doc.Lines {
		total = total.Add(l.Quantity.Amount)
	}
	switch {
	case doc.ASNNumber != want.ASNNumber:
		return fmt.Errorf("ASN number %q, want %q", doc.ASNNumber, want.ASNNumber)
	case len(doc.Lines) != want.Lines:
		return fmt.Errorf("%d lines mapped, want %d", len(doc.Lines), want.Lines)
	case !total.Equal(decimal.NewFromInt(int64(want.TotalQuantity))):
		return fmt.Errorf("total quantity %s, want %d", total, want.TotalQuantity)
	}
	return nil
}

// median of sorted durations; the mean of the middle two when there is an even number.
func median(sorted []time.Duration) time.Duration {
	mid := len(sorted) / 2
	if len(sorted)%2 == 1 {
		return sorted[mid]
	}
	return (sorted[mid-1] + sorted[mid]) / 2
}

// ms is d in milliseconds.
func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
