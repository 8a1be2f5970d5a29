// Command gen writes the generated 856 that bench/nodex12/tokenize.js and the Go benchmark
// BenchmarkParse856_10k (adapters/edi/x12) both read:
//
//	go run ./bench/nodex12/gen -o /tmp/856_10k.x12            # 10,000 item lines in 500 cartons
//	node bench/nodex12/tokenize.js /tmp/856_10k.x12 20
//
// Without -o it writes 856_10k.x12 in the system's temporary directory, never in the source tree.
// bench/edibench generates the same document itself and runs both sides; this command is for timing
// node-x12 by hand.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/crossdock-hub/crossdock/adapters/edi/x12/x12test"
)

func main() {
	items := flag.Int("items", 10000, "item lines (HL*I)")
	cartons := flag.Int("cartons", 500, "cartons (HL*P with MAN*GM)")
	out := flag.String("o", filepath.Join(os.TempDir(), "856_10k.x12"), "file to write")
	flag.Parse()
	asn := x12test.Build856(*items, *cartons)
	if err := os.WriteFile(*out, asn.Data, 0o644); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
	fmt.Printf("wrote %s: %d bytes, %d segments in the set, %d item lines, %d cartons\n",
		*out, len(asn.Data), asn.Segments, asn.Lines, len(asn.SSCCs))
}
