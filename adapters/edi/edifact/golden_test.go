package edifact

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

var update = flag.Bool("update", false, "rewrite testdata/golden/*.golden from the parser's output")

// TestGolden pins the complete parse of every fixture and sample: envelope fields, errors,
// warnings and every segment.
func TestGolden(t *testing.T) {
	for _, name := range seedFiles(t) {
		t.Run(filepath.Base(name), func(t *testing.T) {
			data, err := os.ReadFile(name)
			require.NoError(t, err)
			file, err := Parse(data)
			require.NoError(t, err)
			got := dump(file)
			golden := filepath.Join("testdata", "golden", strings.TrimSuffix(filepath.Base(name), ".edi")+".golden")
			if *update {
				require.NoError(t, os.MkdirAll(filepath.Dir(golden), 0o755))
				require.NoError(t, os.WriteFile(golden, []byte(got), 0o644))
			}
			want, err := os.ReadFile(golden)
			require.NoError(t, err, "run go test -run TestGolden -update to create it")
			require.Equal(t, string(want), got)
		})
	}
}

func dump(f *File) string {
	var b strings.Builder
	for _, ic := range f.Interchanges {
		d := ic.Delimiters
		fmt.Fprintf(&b, "interchange %q %s:%d %s:%s -> %s:%s prepared %s ack=%v test=%v delimiters %q\n",
			ic.Reference, ic.Syntax, ic.SyntaxVersion, ic.Sender, ic.SenderQualifier, ic.Recipient, ic.RecipientQualifier,
			ic.Prepared.Format("2006-01-02T15:04Z07:00"), ic.AckRequested, ic.TestIndicator,
			[]byte{d.Component, d.Element, d.Decimal, d.Release, d.Repetition, d.Segment})
		dumpErrors(&b, "", ic.Errors)
		for _, w := range ic.Warnings {
			fmt.Fprintf(&b, "warning %s\n", w)
		}
		for _, g := range ic.Groups {
			fmt.Fprintf(&b, "group %q %s %s -> %s\n", g.Reference, g.ID, g.Sender, g.Recipient)
			dumpErrors(&b, "  ", g.Errors)
			for _, m := range g.Messages {
				dumpMessage(&b, "  ", m)
			}
		}
		for _, m := range ic.Messages {
			dumpMessage(&b, "", m)
		}
	}
	return b.String()
}

func dumpMessage(b *strings.Builder, indent string, m Message) {
	fmt.Fprintf(b, "%smessage %q %s:%s:%s:%s:%s\n", indent, m.Reference, m.Type, m.Version, m.Release, m.Agency, m.Association)
	dumpErrors(b, indent+"  ", m.Errors)
	for _, s := range m.Segments {
		fmt.Fprintf(b, "%s  %d %s %q", indent, s.Number, s.Tag, s.Elements)
		for n := range len(s.Elements) {
			if more := s.Repeats[n]; more != nil {
				fmt.Fprintf(b, " repeats[%d] %q", n+1, more)
			}
		}
		b.WriteString("\n")
	}
}

func dumpErrors(b *strings.Builder, indent string, errs []*Error) {
	for _, e := range errs {
		fmt.Fprintf(b, "%serror [%s] @%d %s\n", indent, e.Code, e.Offset, e)
	}
}
