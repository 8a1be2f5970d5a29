package edifactdoc

import (
	"testing"

	"github.com/crossdock-hub/crossdock/adapters/edi/edifact"
)

// FuzzMap checks that Parse and Map never panic on any input, and that a result never carries both a
// document and errors.
func FuzzMap(f *testing.F) {
	for _, path := range goldenInputs(f) {
		f.Add(readFile(f, path))
	}
	f.Add(interchange("DESADV", desadvBody()...))
	f.Add(interchange("INVOIC", invoiceBody()...))
	f.Add(interchange("IFTSTA", "BGM+23+S-1", "STS+1+21", "DTM+334:202403011230?+01:303", "CNI+1", "STS"))
	f.Add(interchange("INVRPT", "LIN+1", "LOC+18", "QTY+145", "QTY+145:1:KILOGRAM"))
	f.Add(interchange("ORDRSP", "LIN", "QTY+113:1e3", "PRI+AAA:1:::0", "DTM+69:2024:102"))
	f.Add(interchange("DESADV", "CPS+1+2", "CPS+2+1", "LIN+1", "GIN+BJ+1:2+3", "CPS+1"))
	f.Fuzz(func(t *testing.T, data []byte) {
		file, err := edifact.Parse(data)
		if err != nil {
			return
		}
		for _, r := range Map(file, Options{}) {
			if r.Document != nil && len(r.Errors) > 0 {
				t.Fatalf("a document with errors: %v", r.Errors)
			}
			if r.Message == nil || r.Interchange == nil {
				t.Fatal("a result without its message or interchange")
			}
			if r.Document == nil && len(r.Errors) == 0 {
				t.Fatal("a rejected message without an error saying why")
			}
		}
	})
}
