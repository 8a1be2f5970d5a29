package x12_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/crossdock-hub/crossdock/adapters/edi/x12"

	sharedfixtures "github.com/crossdock-hub/crossdock/internal/fixtures"
)

// fixtureDir holds the shared partner fixtures, relative to this package.
var fixtureDir = filepath.Join(sharedfixtures.Dir(), "x12")

func fixture(t testing.TB, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(fixtureDir, name))
	if os.IsNotExist(err) {
		t.Skipf("fixture %s is not there (shared fixtures absent): %v", name, err)
	}
	require.NoError(t, err)
	return data
}

func testdata(t testing.TB, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	require.NoError(t, err)
	return data
}

// parseClean parses data and requires it to have no envelope errors.
func parseClean(t testing.TB, data []byte) *x12.File {
	t.Helper()
	f, err := x12.Parse(data)
	require.NoError(t, err)
	require.NoError(t, f.Err())
	return f
}

// find returns the segments of a set with the given ID.
func find(tx x12.Transaction, id string) []x12.Segment {
	var out []x12.Segment
	for _, s := range tx.Segments {
		if s.ID == id {
			out = append(out, s)
		}
	}
	return out
}

// countSegments counts every segment of a file, envelopes included.
func countSegments(f *x12.File) int {
	n := 0
	for _, ic := range f.Interchanges {
		n += 2
		for _, g := range ic.Groups {
			n += 2
			for _, tx := range g.Transactions {
				n += len(tx.Segments)
			}
		}
	}
	return n
}

// codes lists the Kind/Code pairs of errors, for compact assertions.
func codes(errs []*x12.Error) []string {
	out := make([]string, 0, len(errs))
	for _, e := range errs {
		out = append(out, e.CodeList()+":"+e.Code)
	}
	return out
}
