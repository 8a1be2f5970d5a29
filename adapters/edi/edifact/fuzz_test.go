package edifact

import (
	"os"
	"path/filepath"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/require"
)

// seedFiles are the shared fixtures (when present) and this package's own samples.
func seedFiles(tb testing.TB) []string {
	shared, err := filepath.Glob(filepath.Join(fixtureDir, "*.edi"))
	require.NoError(tb, err)
	if len(shared) == 0 {
		tb.Logf("no shared fixtures in %s: fuzzing from testdata only", fixtureDir)
	}
	own, err := filepath.Glob("testdata/*.edi")
	require.NoError(tb, err)
	return append(shared, own...)
}

// FuzzParse checks that Parse never panics, that everything it returns is valid UTF-8 and positioned
// inside the input, and that a CONTRL built for whatever it framed is itself clean EDIFACT.
func FuzzParse(f *testing.F) {
	for _, name := range seedFiles(f) {
		data, err := os.ReadFile(name)
		require.NoError(f, err)
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		file, err := Parse(data)
		if err != nil {
			require.ErrorIs(t, err, ErrNoInterchange)
			require.Nil(t, file)
			return
		}
		_ = file.Err()
		last := 0
		for i := range file.Interchanges {
			ic := &file.Interchanges[i]
			require.Greater(t, ic.Header.Number, last)
			for _, e := range ic.Errors {
				require.GreaterOrEqual(t, e.Offset, 0)
				require.LessOrEqual(t, e.Offset, len(data))
				_ = e.Error()
			}
			for _, m := range ic.AllMessages() {
				require.NotEmpty(t, m.Segments)
				require.Equal(t, "UNH", m.Segments[0].Tag)
				for _, s := range m.Segments {
					require.Greater(t, s.Number, last)
					last = s.Number
					require.True(t, utf8.ValidString(s.Tag))
					for _, el := range s.Elements {
						require.NotEmpty(t, el)
						for _, v := range el {
							require.True(t, utf8.ValidString(v), "%q", v)
							_, _ = ic.Delimiters.ParseDecimal(v)
						}
					}
				}
			}
			ctl, err := Control(ic, nil, controlOpts)
			if err != nil {
				continue // e.g. an identifier the inbound repertoire cannot carry back
			}
			back, err := Parse(ctl)
			require.NoError(t, err)
			require.NoError(t, back.Err(), "%s", ctl)
			require.Len(t, back.Interchanges, 1)
			report, err := ReadControl(back.Interchanges[0].Messages[0])
			require.NoError(t, err)
			require.Equal(t, ic.Reference, report.Reference)
		}
	})
}
