package x12doc_test

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/crossdock-hub/crossdock/adapters/edi/x12"
	"github.com/crossdock-hub/crossdock/adapters/edi/x12doc"
	"github.com/crossdock-hub/crossdock/domain/shipment"
)

// FuzzMap feeds partner bytes through x12.Parse and Map: mapping must never panic, a set with errors
// must have no document, every error must point into its set (or name the missing segment), and
// instants must be in UTC.
func FuzzMap(f *testing.F) {
	var seeds []string
	for _, pattern := range []string{"testdata/*.x12", filepath.Join(fixtures, "*.x12")} {
		m, _ := filepath.Glob(pattern)
		seeds = append(seeds, m...)
	}
	for _, p := range seeds {
		data, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		file, err := x12.Parse(data)
		if err != nil {
			return
		}
		for _, r := range x12doc.Map(file, x12doc.Options{}) {
			if len(r.Errors) > 0 && r.Document != nil {
				t.Fatalf("set %s %s has errors and a document", r.Transaction.Code, r.Transaction.Control)
			}
			if r.Document == nil && len(r.Errors) == 0 && len(r.EnvelopeErrors()) == 0 {
				t.Fatalf("set %s %s has neither a document nor a reason", r.Transaction.Code, r.Transaction.Control)
			}
			for _, e := range r.Errors {
				switch {
				case e.Reason == "":
					t.Fatalf("error without a reason: %#v", e)
				case e.Segment == 0 && e.SegmentID == "":
					t.Fatalf("error names no segment, neither in the set nor missing: %#v", e)
				case e.Segment != 0 && r.Transaction.Position(e.Segment) == 0:
					t.Fatalf("error %v points outside its set", e)
				}
			}
			checkUTC(t, r)
			x12.Review(r.Interchange, map[x12.TxKey][]*x12.Error{r.Key(): r.Errors})
		}
	})
}

func checkUTC(t *testing.T, r x12doc.Result) {
	var instants []time.Time
	switch d := r.Document.(type) {
	case shipment.ASN:
		instants = append(instants, d.ShipDate, d.ExpectedArrival)
	case shipment.StatusReport:
		for _, ev := range d.Events {
			instants = append(instants, ev.At)
		}
	}
	for _, at := range instants {
		if !at.IsZero() && at.Location() != time.UTC {
			t.Fatalf("instant %s is not in UTC", at)
		}
	}
}

// FuzzMapTransaction fuzzes the body of one transaction set (the bytes between ST and SE, with '*' and
// '~' as delimiters), so that the fuzzer works on what the mappers read rather than on the fixed-width
// ISA. Seeds are the bodies of the samples.
func FuzzMapTransaction(f *testing.F) {
	for _, p := range []string{"testdata/*.x12", filepath.Join(fixtures, "*.x12")} {
		m, _ := filepath.Glob(p)
		for _, path := range m {
			data, err := os.ReadFile(path)
			if err != nil {
				f.Fatal(err)
			}
			file, err := x12.Parse(data)
			if err != nil || file.Interchanges[0].Delimiters != x12.DefaultDelimiters() {
				continue
			}
			for _, g := range file.Interchanges[0].Groups {
				for _, t := range g.Transactions {
					var body []byte
					for _, s := range t.Body() {
						body = append(body, s.ID...)
						for _, e := range s.Elements {
							body = append(body, '*')
							body = append(body, e...)
						}
						body = append(body, '~')
					}
					f.Add(t.Code, body)
				}
			}
		}
	}
	f.Fuzz(func(t *testing.T, code string, body []byte) {
		data := "ISA*00*          *00*          *ZZ*PARTNER        *ZZ*CROSSDOCK      *240320*1200*U*00401*000000001*0*T*>~" +
			"GS*XX*PARTNER*CROSSDOCK*20240320*1200*1*X*004010~ST*" + code + "*0001~" + string(body) + "~SE*1*0001~GE*1*1~IEA*1*000000001~"
		file, err := x12.Parse([]byte(data))
		if err != nil {
			return
		}
		for _, ic := range file.Interchanges {
			for _, g := range ic.Groups {
				for i := range g.Transactions {
					tx := &g.Transactions[i]
					doc, _, errs := x12doc.MapTransaction(tx, tx.Version, x12doc.Options{})
					if len(errs) > 0 && doc != nil {
						t.Fatalf("errors and a document: %v", errs)
					}
					if len(errs) == 0 && doc == nil {
						t.Fatal("no document and no error")
					}
					for _, e := range errs {
						if e.Segment != 0 && tx.Position(e.Segment) == 0 {
							t.Fatalf("error %v points outside its set", e)
						}
					}
				}
			}
		}
	})
}
