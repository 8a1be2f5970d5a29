package x12doc_test

import (
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/crossdock-hub/crossdock/adapters/edi/x12doc"
)

var update = flag.Bool("update", false, "rewrite testdata/golden/*.golden from the mappers' output")

// goldenResult is what a golden file holds for one transaction set.
type goldenResult struct {
	Set      string   `json:"set"`
	Control  string   `json:"control"`
	Kind     string   `json:"kind,omitempty"`
	Document any      `json:"document"`
	Errors   []string `json:"errors,omitempty"`
	Warnings []string `json:"warnings,omitempty"`
}

// TestGolden compares whole documents, for every shared fixture and sample in testdata, with
// testdata/golden (go test -run TestGolden -update rewrites them).
func TestGolden(t *testing.T) {
	var files []string
	for _, pattern := range []string{"testdata/*.x12", filepath.Join(fixtures, "*.x12")} {
		m, err := filepath.Glob(pattern)
		require.NoError(t, err)
		files = append(files, m...)
	}
	require.GreaterOrEqual(t, len(files), 5)
	for _, path := range files {
		name := filepath.Base(path)
		if strings.Contains(name, "utf8-ellipsis") {
			continue // the reader rejects it (TestEveryFixtureMaps)
		}
		t.Run(name, func(t *testing.T) {
			var out []goldenResult
			for _, r := range mapFile(t, path, x12doc.Options{}) {
				g := goldenResult{Set: r.Transaction.Code, Control: r.Transaction.Control, Document: r.Document, Warnings: r.Warnings}
				if r.Document != nil {
					g.Kind = r.Document.Kind()
				}
				for _, e := range r.Errors {
					g.Errors = append(g.Errors, e.Error())
				}
				out = append(out, g)
			}
			got, err := json.MarshalIndent(out, "", "  ")
			require.NoError(t, err)
			got = append(got, '\n')
			golden := filepath.Join("testdata", "golden", strings.TrimSuffix(name, ".x12")+".golden")
			if *update {
				require.NoError(t, os.MkdirAll(filepath.Dir(golden), 0o755))
				require.NoError(t, os.WriteFile(golden, got, 0o644))
				return
			}
			want, err := os.ReadFile(golden)
			require.NoError(t, err, "run go test -run TestGolden -update to create it")
			require.JSONEq(t, string(want), string(got))
		})
	}
}
