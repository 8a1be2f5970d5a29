package webhooks

import (
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	sharedfixtures "github.com/crossdock-hub/crossdock/internal/fixtures"
)

var update = flag.Bool("update", false, "rewrite the testdata/golden files from the current output")

// fixture reads a provider sample from the shared fixtures (see internal/fixtures).
func fixture(t testing.TB, name string) []byte {
	t.Helper()
	return sharedfixtures.Read(t, "webhooks/"+name)
}

// sample reads one of this package's own samples in testdata.
func sample(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	require.NoError(t, err)
	return b
}

// checkGolden compares the whole result, as JSON, with testdata/golden/<name>.golden.
func checkGolden(t *testing.T, name string, res Result) {
	t.Helper()
	got, err := json.MarshalIndent(struct {
		Format    string
		Documents any
		MessageID string
		Warnings  []string
	}{res.Format, res.Documents, res.MessageID, res.Warnings}, "", "  ")
	require.NoError(t, err)
	got = append(got, '\n')
	path := filepath.Join("testdata", "golden", strings.TrimSuffix(name, filepath.Ext(name))+".golden")
	if *update {
		require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
		require.NoError(t, os.WriteFile(path, got, 0o644))
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "run go test -update to create the golden file")
	require.Equal(t, string(want), string(got))
}

func utc(s string) time.Time {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		panic(err)
	}
	return t.UTC()
}
