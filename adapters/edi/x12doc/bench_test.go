package x12doc_test

import (
	"testing"

	"github.com/crossdock-hub/crossdock/adapters/edi/x12"
	"github.com/crossdock-hub/crossdock/adapters/edi/x12/x12test"
	"github.com/crossdock-hub/crossdock/adapters/edi/x12doc"
	"github.com/crossdock-hub/crossdock/domain/shipment"
)

// BenchmarkMap856_10k measures what one large ship notice costs from bytes to canonical document:
// x12.Parse and Map together, on an 856 of 10,000 items in 500 cartons (10 orders).
func BenchmarkMap856_10k(b *testing.B) {
	data := x12test.Generate856(10000, 500)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		f, err := x12.Parse(data)
		if err != nil {
			b.Fatal(err)
		}
		rs := x12doc.Map(f, x12doc.Options{})
		if len(rs) != 1 || len(rs[0].Errors) > 0 || len(rs[0].Document.(shipment.ASN).Lines) != 10000 {
			b.Fatalf("unexpected result: %d results, errors %v", len(rs), rs[0].Errors)
		}
	}
}
