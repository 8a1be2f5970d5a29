package edifact

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	sharedfixtures "github.com/crossdock-hub/crossdock/internal/fixtures"
)

// fixtureDir holds the shared partner fixtures, seen from this package's directory.
var fixtureDir = filepath.Join(sharedfixtures.Dir(), "edifact")

// fixture reads a shared fixture, skipping the test when the shared folder is absent.
func fixture(t testing.TB, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(fixtureDir, name))
	if os.IsNotExist(err) {
		t.Skipf("shared fixture %s not present", name)
	}
	require.NoError(t, err)
	return data
}

// parseOne parses data and returns its only interchange.
func parseOne(t *testing.T, data string) *Interchange {
	t.Helper()
	f, err := Parse([]byte(data))
	require.NoError(t, err)
	require.Len(t, f.Interchanges, 1)
	return &f.Interchanges[0]
}

// wrap builds a syntax-3 UNOA interchange around one message whose body is the given segments
// (terminators included), with correct counts and references.
func wrap(body ...string) string {
	return wrapSyntax("UNOA:3", body...)
}

func wrapSyntax(syntax string, body ...string) string {
	var b strings.Builder
	b.WriteString("UNB+" + syntax + "+SENDER:14+RECEIVER:14+240501:0930+IC1'")
	b.WriteString("UNH+M1+INVOIC:D:96A:UN'")
	for _, s := range body {
		b.WriteString(s)
	}
	b.WriteString("UNT+" + strconv.Itoa(len(body)+2) + "+M1'")
	b.WriteString("UNZ+1+IC1'")
	return b.String()
}

// codes returns the codes of errs, in order.
func codes(errs []*Error) []string {
	out := make([]string, len(errs))
	for i, e := range errs {
		out[i] = e.Code
	}
	return out
}

// body returns the segment of m with the tag, failing when it is absent.
func body(t *testing.T, m Message, tag string) Segment {
	t.Helper()
	for _, s := range m.Segments {
		if s.Tag == tag {
			return s
		}
	}
	t.Fatalf("message %s has no %s", m.Reference, tag)
	return Segment{}
}
