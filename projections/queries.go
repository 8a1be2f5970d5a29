package projections

import (
	"bufio"
	"fmt"
	"io/fs"
	"slices"
	"strings"
)

// Queries is a set of named SQL texts read from a file of sections, each introduced by a line
// "-- name: NAME". Each dialect keeps a file with the same name and the same section names, so code
// picks a statement by name and the dialect picks its text.
type Queries map[string]string

// ParseQueries reads the sections of src. Comment lines inside a section are kept; text before the
// first section is ignored (a file header).
func ParseQueries(src string) (Queries, error) {
	q := Queries{}
	var name string
	var body strings.Builder
	flush := func() {
		if name != "" {
			q[name] = strings.TrimSpace(body.String())
		}
		body.Reset()
	}
	sc := bufio.NewScanner(strings.NewReader(src))
	for sc.Scan() {
		line := sc.Text()
		if rest, ok := strings.CutPrefix(strings.TrimSpace(line), "-- name:"); ok {
			flush()
			name = strings.TrimSpace(rest)
			if _, dup := q[name]; dup || name == "" {
				return nil, fmt.Errorf("query section %q: empty or repeated name", name)
			}
			continue
		}
		body.WriteString(line)
		body.WriteByte('\n')
	}
	flush()
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read query sections: %w", err)
	}
	return q, nil
}

// LoadQueries reads file from each dialect's folder under dir in fsys ("dir/sqlite/file",
// "dir/postgres/file") and checks that both define the same sections.
func LoadQueries(fsys fs.FS, dir, file string) (map[Dialect]Queries, error) {
	out := map[Dialect]Queries{}
	for _, d := range []Dialect{SQLite, Postgres} {
		path := dir + "/" + string(d) + "/" + file
		b, err := fs.ReadFile(fsys, path)
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", path, err)
		}
		q, err := ParseQueries(string(b))
		if err != nil {
			return nil, fmt.Errorf("parse %s: %w", path, err)
		}
		out[d] = q
	}
	a, b := out[SQLite].names(), out[Postgres].names()
	if !slices.Equal(a, b) {
		return nil, fmt.Errorf("%s: sqlite defines %v but postgres %v", file, a, b)
	}
	return out, nil
}

// MustLoadQueries is LoadQueries for files embedded in the binary, where a missing or mismatched
// section is a programming error caught by the first test that loads the package.
func MustLoadQueries(fsys fs.FS, dir, file string) map[Dialect]Queries {
	q, err := LoadQueries(fsys, dir, file)
	if err != nil {
		panic(err)
	}
	return q
}

func (q Queries) names() []string {
	names := make([]string, 0, len(q))
	for n := range q {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

// Statements splits the named section into its statements (each ends with ";" at the end of a line),
// for drivers that run one statement per call.
func (q Queries) Statements(name string) []string {
	var out []string
	var cur strings.Builder
	for line := range strings.SplitSeq(q[name], "\n") {
		cur.WriteString(line)
		cur.WriteByte('\n')
		if strings.HasSuffix(strings.TrimSpace(line), ";") {
			if s := strings.TrimSpace(cur.String()); s != ";" {
				out = append(out, s)
			}
			cur.Reset()
		}
	}
	if s := strings.TrimSpace(cur.String()); s != "" {
		out = append(out, s)
	}
	return out
}
