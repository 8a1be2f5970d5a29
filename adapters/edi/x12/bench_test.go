package x12_test

import (
	"testing"

	"github.com/crossdock-hub/crossdock/adapters/edi/x12"
	"github.com/crossdock-hub/crossdock/adapters/edi/x12/x12test"
)

// BenchmarkParse856_10k parses a generated 856 with 10,000 item lines in 500 cartons (about 1 MB,
// 41,000 segments): framing, envelope checks, every segment and element.
func BenchmarkParse856_10k(b *testing.B) {
	data := x12test.Generate856(10000, 500)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		f, err := x12.Parse(data)
		if err != nil || f.Err() != nil {
			b.Fatal(err, f.Err())
		}
	}
}
