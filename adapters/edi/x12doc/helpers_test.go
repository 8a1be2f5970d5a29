package x12doc_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/crossdock-hub/crossdock/adapters/edi/x12"
	"github.com/crossdock-hub/crossdock/adapters/edi/x12doc"

	sharedfixtures "github.com/crossdock-hub/crossdock/internal/fixtures"
)

// fixtures is where the shared X12 samples live (see internal/fixtures); "x12" when they are absent.
var fixtures = filepath.Join(sharedfixtures.Dir(), "x12")

// fixturePath finds a shared fixture (see internal/fixtures), skipping the test when they are absent.
func fixturePath(t testing.TB, name string) string {
	t.Helper()
	return sharedfixtures.Path(t, "x12/"+name)
}

// mapFile parses a file that must frame without envelope errors and maps it.
func mapFile(t testing.TB, path string, opts x12doc.Options) []x12doc.Result {
	t.Helper()
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	return mapBytes(t, data, opts)
}

func mapBytes(t testing.TB, data []byte, opts x12doc.Options) []x12doc.Result {
	t.Helper()
	f, err := x12.Parse(data)
	require.NoError(t, err)
	require.NoError(t, f.Err(), "envelope errors")
	return x12doc.Map(f, opts)
}

// mapOne maps a file holding one transaction set.
func mapOne(t testing.TB, data []byte, opts x12doc.Options) x12doc.Result {
	t.Helper()
	rs := mapBytes(t, data, opts)
	require.Len(t, rs, 1)
	return rs[0]
}

// mapClean maps one set that must map without errors and returns its document as D.
func mapClean[D any](t testing.TB, data []byte, opts x12doc.Options) (D, x12doc.Result) {
	t.Helper()
	r := mapOne(t, data, opts)
	require.Empty(t, r.Errors)
	require.NotNil(t, r.Document)
	d, ok := r.Document.(D)
	require.True(t, ok, "document is %T", r.Document)
	return d, r
}

// build wraps segments written as "ID*el*el" in a valid interchange, group and set (counts and
// control numbers computed by x12.Writer).
func build(t testing.TB, fid, code string, segments ...string) []byte {
	t.Helper()
	w := x12.NewWriter(x12.DefaultDelimiters())
	ic := w.Interchange(x12.Envelope{SenderQualifier: "ZZ", SenderID: "PARTNER", ReceiverQualifier: "ZZ",
		ReceiverID: "CROSSDOCK", Version: "00401", Control: "7", Date: time.Date(2024, 3, 20, 12, 0, 0, 0, time.UTC), Usage: "T"})
	tx := ic.Group(fid, "PARTNER", "CROSSDOCK", "7", "004010").Transaction(code, "0001")
	for _, s := range segments {
		parts := strings.Split(s, "*")
		tx.Segment(parts[0], parts[1:]...)
	}
	data, err := w.Bytes()
	require.NoError(t, err)
	return data
}

// errorAt finds the mapping error about segment id (and element, when el > 0).
func errorAt(t testing.TB, errs []*x12.Error, id string, el int) *x12.Error {
	t.Helper()
	for _, e := range errs {
		if e.SegmentID == id && (el == 0 || e.Element == el) {
			return e
		}
	}
	require.Failf(t, "no error at "+id, "errors: %v", errs)
	return nil
}

func utc(y int, m time.Month, d, h, mi int) time.Time {
	return time.Date(y, m, d, h, mi, 0, 0, time.UTC)
}

func containsWarning(ws []string, part string) bool {
	for _, w := range ws {
		if strings.Contains(w, part) {
			return true
		}
	}
	return false
}

func readFile(t testing.TB, path string) []byte {
	t.Helper()
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	return data
}
