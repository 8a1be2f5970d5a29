package edifactdoc

import (
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/crossdock-hub/crossdock/adapters/edi/edifact"
	"github.com/crossdock-hub/crossdock/domain"
)

var update = flag.Bool("update", false, "rewrite the testdata/*.golden files")

// goldenResult is a Result as the golden files show it.
type goldenResult struct {
	Message  string          `json:"message"`
	Group    string          `json:"group,omitempty"`
	Kind     string          `json:"kind,omitempty"`
	Document domain.Document `json:"document,omitempty"`
	Errors   []string        `json:"errors,omitempty"`
	Warnings []string        `json:"warnings,omitempty"`
}

// goldenInputs are every sample this package maps: its testdata and the shared EDIFACT fixtures.
func goldenInputs(t testing.TB) map[string]string {
	t.Helper()
	inputs := map[string]string{}
	files, err := filepath.Glob("testdata/*.edi")
	require.NoError(t, err)
	for _, f := range files {
		inputs[strings.TrimSuffix(filepath.Base(f), ".edi")] = f
	}
	for _, name := range []string{"INVOIC_D93A_staedi_una_decimal-comma.edi", "INVOIC_D97B_staedi.edi", "ORDERS_D96B_EAN008_staedi_UNG-group.edi"} {
		inputs["fixture_"+strings.TrimSuffix(name, ".edi")] = fixturePath(t, name)
	}
	return inputs
}

// TestGolden compares the whole mapping of every sample with testdata/<name>.golden; run with -update
// to rewrite them after a deliberate change, and read the diff.
func TestGolden(t *testing.T) {
	for name, path := range goldenInputs(t) {
		t.Run(name, func(t *testing.T) {
			f, err := edifact.Parse(readFile(t, path))
			require.NoError(t, err)
			var out []goldenResult
			for _, r := range Map(f, Options{}) {
				g := goldenResult{Message: r.Message.Type + " " + r.Message.Reference, Document: r.Document, Warnings: r.Warnings}
				if r.Group != nil {
					g.Group = r.Group.Reference
				}
				if r.Document != nil {
					g.Kind = r.Document.Kind()
				}
				for _, e := range r.Errors {
					g.Errors = append(g.Errors, e.Code+" "+e.Error())
				}
				out = append(out, g)
			}
			got, err := json.MarshalIndent(out, "", "  ")
			require.NoError(t, err)
			got = append(got, '\n')
			golden := filepath.Join("testdata", name+".golden")
			if *update {
				require.NoError(t, os.WriteFile(golden, got, 0o644))
				return
			}
			want, err := os.ReadFile(golden)
			require.NoError(t, err, "run go test -run TestGolden -update to create it")
			require.Equal(t, string(want), string(got))
		})
	}
}
