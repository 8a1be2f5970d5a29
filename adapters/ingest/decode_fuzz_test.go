package ingest

import (
	"os"
	"strings"
	"testing"
)

// FuzzDecodeASN feeds partner bytes to the decoder: it must never panic, every problem must carry a JSON
// pointer into the document, and an ASN reported clean must satisfy the domain's rules.
func FuzzDecodeASN(f *testing.F) {
	sample, err := os.ReadFile("testdata/asn.json")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(sample)
	f.Add([]byte(`{"lines":[{"quantity":"abc"},7,{"line_number":1.5}]}`))
	f.Add([]byte(`[]`))
	f.Fuzz(func(t *testing.T, body []byte) {
		asn, errs, err := decodeASN(body, "acme")
		if err != nil {
			return
		}
		for _, e := range errs {
			if e.Pointer != "" && !strings.HasPrefix(e.Pointer, "/") {
				t.Fatalf("pointer %q is not a JSON pointer", e.Pointer)
			}
		}
		if len(errs) == 0 {
			if verr := asn.Validate(); verr != nil {
				t.Fatalf("decoded without problems but invalid: %v", verr)
			}
		}
	})
}
