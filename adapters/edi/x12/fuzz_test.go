package x12_test

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/crossdock-hub/crossdock/adapters/edi/x12"
	"github.com/crossdock-hub/crossdock/adapters/edi/x12/x12test"
)

// FuzzParse feeds partner bytes to Parse. It must never panic; a refusal is an *Error with an offset
// inside the input; every envelope error has a position, a code and a reason; segments are numbered in
// input order; and when the interchange can be acknowledged, the 997 parses back and reads as Review
// decided.
func FuzzParse(f *testing.F) {
	for _, dir := range []string{fixtureDir, "testdata"} {
		paths, err := filepath.Glob(filepath.Join(dir, "*.x12"))
		if err != nil || len(paths) == 0 {
			f.Logf("no seeds in %s (%v): not seeding from it", dir, err)
			continue
		}
		for _, p := range paths {
			data, err := os.ReadFile(p)
			if err != nil {
				f.Fatal(err)
			}
			f.Add(data)
		}
	}
	f.Add(x12test.Generate856(3, 2))
	f.Add(x12doc(gs, "ST*856*0001", "", "b*", "SE*9*0002", "GE*7*2"))
	f.Add([]byte("ISA"))
	f.Fuzz(func(t *testing.T, data []byte) {
		file, err := x12.Parse(data)
		if err != nil {
			var xe *x12.Error
			if !errors.As(err, &xe) {
				t.Fatalf("Parse returned %T %v, not an *x12.Error", err, err)
			}
			if file != nil || xe.Offset < 0 || xe.Offset > len(data) || xe.Code == "" || xe.Reason == "" {
				t.Fatalf("bad refusal (file %v): %+v", file != nil, xe)
			}
			return
		}
		for _, e := range file.Errors() {
			if e.Offset < 0 || e.Offset > len(data) || (e.Segment == 0 && e.Offset != len(data)) {
				t.Fatalf("error without a position: %+v", e)
			}
			if e.Code == "" || e.Reason == "" || e.Error() == "" {
				t.Fatalf("error without code or reason: %+v", e)
			}
		}
		last := 0
		for i := range file.Interchanges {
			ic := &file.Interchanges[i]
			if ic.Header.Number <= last {
				t.Fatalf("interchange %d starts at segment %d, after %d", i, ic.Header.Number, last)
			}
			last = ic.Header.Number
			for _, g := range ic.Groups {
				for _, tx := range g.Transactions {
					if len(tx.Segments) == 0 || tx.Segments[0].ID != "ST" {
						t.Fatalf("a set that does not start with ST: %+v", tx)
					}
					for _, s := range tx.Segments {
						if s.Number <= last || s.Offset < 0 || s.Offset >= len(data) {
							t.Fatalf("segment %d (%s) at byte %d out of order (after %d)", s.Number, s.ID, s.Offset, last)
						}
						last = s.Number
					}
				}
			}
			checkAck(t, ic)
		}
	})
}

// checkAck acknowledges ic and reads the 997 back.
func checkAck(t *testing.T, ic *x12.Interchange) {
	env := x12.AckEnvelope{Control: "1", GroupControl: 1, Date: time.Date(2024, 1, 2, 3, 4, 0, 0, time.UTC), Usage: "T"}
	data, err := x12.Acknowledge(ic, env, nil)
	if err != nil {
		return // e.g. an inbound sender ID the 997 cannot carry; refusing is fine, panicking is not
	}
	f, err := x12.Parse(data)
	if err != nil {
		t.Fatalf("the 997 does not parse: %v\n%q", err, data)
	}
	if err := f.Err(); err != nil {
		t.Fatalf("the 997 has envelope errors: %v\n%q", err, data)
	}
	review := x12.Review(ic, nil)
	n := 0
	for _, g := range f.Interchanges[0].Groups {
		for _, tx := range g.Transactions {
			a, err := x12.ReadAck(tx)
			if err != nil {
				t.Fatalf("ReadAck of our own 997: %v\n%q", err, data)
			}
			if a.GroupControl != review[n].GroupControl || a.Status != review[n].Status || len(a.Sets) != len(review[n].Sets) {
				t.Fatalf("997 %d reads %+v, Review said %+v", n, a, review[n])
			}
			n++
		}
	}
	if n != len(review) {
		t.Fatalf("%d 997s for %d groups", n, len(review))
	}
}
