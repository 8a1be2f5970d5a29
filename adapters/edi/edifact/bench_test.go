package edifact

import (
	"fmt"
	"strings"
	"testing"
)

// benchInterchange is an interchange of n small INVOIC messages, some values escaped.
func benchInterchange(n int) []byte {
	var b strings.Builder
	b.WriteString("UNA:+.? '\nUNB+UNOC:3+SENDER:14+RECEIVER:14+240501:0930+BENCH'\n")
	for i := range n {
		fmt.Fprintf(&b, "UNH+%d+INVOIC:D:96A:UN:EAN008'\nBGM+380+INV%d+9'\nDTM+137:20240501:102'\n", i, i)
		b.WriteString("NAD+SU+5013546107732::9++M\xfcller ?+ S\xf6hne'\nLIN+1++5400111864181:EN'\nQTY+47:288:PCE'\n")
		b.WriteString("MOA+203:3686.40'\nPRI+AAA:12.80:CT:AAE'\nUNS+S'\nMOA+79:3686.40'\n")
		fmt.Fprintf(&b, "UNT+11+%d'\n", i)
	}
	fmt.Fprintf(&b, "UNZ+%d+BENCH'\n", n)
	return []byte(b.String())
}

func BenchmarkParse(b *testing.B) {
	data := benchInterchange(1000)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		f, err := Parse(data)
		if err != nil || f.Err() != nil {
			b.Fatal(err, f.Err())
		}
	}
}
