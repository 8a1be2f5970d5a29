package csvdoc

import (
	"bytes"
	"errors"
	"slices"
	"testing"
)

// FuzzRead reads arbitrary bytes with every testdata map (and with what Sniff makes of them): Read must
// never panic, every error must be an *Error with a sensible place, and every document must be of the
// map's kind.
func FuzzRead(f *testing.F) {
	names := make([]string, 0, len(testdataMaps))
	for name := range testdataMaps {
		names = append(names, name)
	}
	slices.Sort(names)
	for i, name := range names {
		f.Add(readTestdata(f, name), uint8(i))
	}
	f.Add([]byte("sku,on_hand,unit\n\"A\n,1,EA\nB,\"\"\"\",EA\n"), uint8(0))
	f.Add([]byte("\xEF\xBB\xBF\r\n,,\r\nx"), uint8(1))
	f.Fuzz(func(t *testing.T, data []byte, which uint8) {
		maps := []Map{testdataMaps[names[int(which)%len(names)]]}
		if m, ok := Sniff(data); ok {
			maps = append(maps, m)
		}
		for _, m := range maps {
			docs, _, err := Read(bytes.NewReader(data), m)
			if err != nil {
				var e *Error
				if !errors.As(err, &e) {
					t.Fatalf("error %v is not a *Error", err)
				}
				if e.Line < 0 || e.Column < 0 || (e.Column > 0 && e.Line == 0) {
					t.Fatalf("error %#v has no sensible place", e)
				}
				continue
			}
			if len(docs) == 0 {
				t.Fatal("no error and no document")
			}
			for _, d := range docs {
				if d.Kind() != m.Kind {
					t.Fatalf("a %s file gave a %s", m.Kind, d.Kind())
				}
			}
		}
	})
}
