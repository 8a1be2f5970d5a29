package edifactdoc

import (
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"

	"github.com/crossdock-hub/crossdock/adapters/edi/edifact"
	"github.com/crossdock-hub/crossdock/domain"

	sharedfixtures "github.com/crossdock-hub/crossdock/internal/fixtures"
)

// fixturePath finds a shared fixture (see internal/fixtures), skipping the test when they are absent.
func fixturePath(t testing.TB, name string) string {
	t.Helper()
	return sharedfixtures.Path(t, "edifact/"+name)
}

func readFile(t testing.TB, path string) []byte {
	t.Helper()
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	return data
}

// bodyStart is the segment number of the first body segment of a message built by interchange:
// UNB is 1, UNH 2.
const bodyStart = 3

// interchange wraps body segments (without terminators) in UNB/UNH…UNT/UNZ with a correct count.
func interchange(typ string, body ...string) []byte {
	segs := []string{"UNB+UNOC:3+SENDER:14+RECEIVER:14+240301:1200+REF1", "UNH+1+" + typ + ":D:96A:UN"}
	segs = append(segs, body...)
	segs = append(segs, fmt.Sprintf("UNT+%d+1", len(body)+2), "UNZ+1+REF1")
	return []byte(strings.Join(segs, "'\n") + "'\n")
}

// mapAll parses data (which must frame) and maps it.
func mapAll(t testing.TB, data []byte, opts Options) []Result {
	t.Helper()
	f, err := edifact.Parse(data)
	require.NoError(t, err)
	return Map(f, opts)
}

// mapOne maps data that holds one message giving one result.
func mapOne(t testing.TB, data []byte, opts Options) Result {
	t.Helper()
	rs := mapAll(t, data, opts)
	require.Len(t, rs, 1)
	return rs[0]
}

// accepted asserts that r has a document and no errors, and returns the document.
func accepted(t testing.TB, r Result) domain.Document {
	t.Helper()
	require.Empty(t, r.Errors, "errors: %v", r.Errors)
	require.NotNil(t, r.Document)
	require.False(t, r.Rejected())
	return r.Document
}

// errorAt finds the error at segment number seg with the given tag; it fails the test when none is.
func errorAt(t testing.TB, r Result, seg int, tag string) *edifact.Error {
	t.Helper()
	require.Nil(t, r.Document, "a message with errors has no document")
	for _, e := range r.Errors {
		if e.Segment == seg && e.Tag == tag {
			return e
		}
	}
	require.Failf(t, "no error at the segment", "want an error at segment %d (%s), have %v", seg, tag, r.Errors)
	return nil
}

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func qty(amount, unit string) domain.Quantity {
	return domain.Quantity{Amount: dec(amount), Unit: unit}
}

// requireQty compares quantities by value (12 equals 12.00).
func requireQty(t testing.TB, want, got domain.Quantity, msgAndArgs ...any) {
	t.Helper()
	require.Truef(t, want.Equal(got), "want %s, got %s %v", want, got, msgAndArgs)
}

func requireDec(t testing.TB, want string, got decimal.Decimal, msgAndArgs ...any) {
	t.Helper()
	require.Truef(t, dec(want).Equal(got), "want %s, got %s %v", want, got, msgAndArgs)
}

func utc(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

func hasWarning(ws []string, substr string) bool {
	for _, w := range ws {
		if strings.Contains(w, substr) {
			return true
		}
	}
	return false
}
