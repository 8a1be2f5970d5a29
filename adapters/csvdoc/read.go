package csvdoc

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/crossdock-hub/crossdock/domain"
)

var bom = []byte("\xEF\xBB\xBF")

// Read reads a whole CSV file written as m says. It returns the documents in the order first seen and
// the warnings (oddities that did not stop the file, each with its line). A problem in the file is an
// *Error; an invalid map is reported as such before anything is read.
func Read(r io.Reader, m Map) ([]domain.Document, []string, error) {
	if err := m.Validate(); err != nil {
		return nil, nil, fmt.Errorf("csv map: %w", err)
	}
	br := bufio.NewReader(r)
	if b, err := br.Peek(len(bom)); err == nil && bytes.Equal(b, bom) {
		_, _ = br.Discard(len(bom))
	}
	cr := csv.NewReader(br)
	cr.Comma = m.comma()
	cr.FieldsPerRecord = -1 // ragged rows are reported by readRow, with the line
	// `a, "b"` is common; a space before a quote is not data. Not for a blank separator (tab), which the
	// trimming would eat.
	cr.TrimLeadingSpace = !unicode.IsSpace(cr.Comma)
	p := newParser(m)
	lastLine := 0
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			return nil, nil, &Error{Line: pe.Line, Reason: fmt.Sprintf("%v (byte %d of the line)", pe.Err, pe.Column)}
		}
		if err != nil {
			return nil, nil, fmt.Errorf("read csv: %w", err)
		}
		rw := row{rec: rec, lines: make([]int, len(rec))}
		for i := range rec {
			rw.lines[i], _ = cr.FieldPos(i)
		}
		rw.line = rw.lines[0]
		lastLine = rw.line
		if blank(rec) {
			continue
		}
		if p.cols == nil {
			if err := p.columns(rw); err != nil {
				return nil, nil, err
			}
			if m.Header {
				continue
			}
		}
		if err := p.readRow(rw); err != nil {
			return nil, nil, err
		}
	}
	docs, err := p.finish(lastLine)
	if err != nil {
		return nil, nil, err
	}
	return docs, p.warnings, nil
}

// row is one record with the line each of its fields starts on.
type row struct {
	rec   []string
	lines []int
	line  int
}

func blank(rec []string) bool {
	for _, f := range rec {
		if strings.TrimSpace(f) != "" {
			return false
		}
	}
	return true
}

// parser holds what is known of the file while rows are read, and the document builder of its kind.
type parser struct {
	m        Map
	cols     map[string]int // field -> 0-based column
	names    []string       // header names as written (trimmed); nil without a header
	width    int            // fields every row must have
	warnings []string
	build    builder
	rows     int
}

// builder collects the documents of one kind of file.
type builder interface {
	add(p *parser, r row) error
	finish(p *parser) ([]domain.Document, error)
}

func newParser(m Map) *parser {
	p := &parser{m: m}
	switch m.Kind {
	case domain.KindInventorySnapshot:
		p.build = &snapshotBuilder{seen: map[string]int{}}
	case domain.KindReceipt:
		p.build = &receiptBuilder{byNumber: map[string]*receiptDoc{}}
	case domain.KindShipConfirmation:
		p.build = &shipBuilder{byNumber: map[string]*shipDoc{}}
	}
	return p
}

// columns resolves the map against the first row: the header, or the first data row's width.
func (p *parser) columns(r row) error {
	p.width = len(r.rec)
	p.cols = map[string]int{}
	if p.m.Header {
		p.names = make([]string, len(r.rec))
		for i, n := range r.rec {
			p.names[i] = strings.TrimSpace(n)
		}
	}
	for _, field := range kinds[p.m.Kind].fields {
		col := strings.TrimSpace(p.m.Columns[field])
		if col == "" {
			continue
		}
		i, err := p.resolve(r, field, col)
		if err != nil {
			return err
		}
		p.cols[field] = i
	}
	return nil
}

// resolve finds one mapped column: by exact header name, by name regardless of case, or by index.
func (p *parser) resolve(r row, field, col string) (int, error) {
	if p.names != nil {
		for _, match := range []func(a, b string) bool{
			func(a, b string) bool { return a == b },
			strings.EqualFold,
		} {
			var found []int
			for i, n := range p.names {
				if match(n, col) {
					found = append(found, i)
				}
			}
			if len(found) > 1 {
				return 0, &Error{Line: r.lines[found[1]], Column: found[1] + 1, Field: field, Name: p.names[found[1]],
					Reason: fmt.Sprintf("header %q is also column %d: which one holds %s is ambiguous", col, found[0]+1, field)}
			}
			if len(found) == 1 {
				return found[0], nil
			}
		}
	}
	n, ok := columnIndex(col)
	switch {
	case !ok:
		return 0, &Error{Line: r.line, Field: field, Reason: fmt.Sprintf("no column %q in the header", col)}
	case n > p.width:
		return 0, &Error{Line: r.line, Field: field, Reason: fmt.Sprintf("column %d is mapped, the %s has %d fields", n, p.firstRow(), p.width)}
	}
	return n - 1, nil
}

func (p *parser) firstRow() string {
	if p.m.Header {
		return "header"
	}
	return "first row"
}

// readRow checks a data row's shape and encoding, then gives it to the builder.
func (p *parser) readRow(r row) error {
	if len(r.rec) != p.width {
		col := min(len(r.rec), p.width) + 1
		line := r.lines[len(r.lines)-1]
		return &Error{Line: line, Column: col,
			Reason: fmt.Sprintf("%d fields where the %s has %d", len(r.rec), p.firstRow(), p.width)}
	}
	for field, i := range p.cols {
		if !utf8.ValidString(r.rec[i]) {
			return p.errAt(r, field, "not valid UTF-8 (is the file in another encoding?)")
		}
	}
	p.rows++
	return p.build.add(p, r)
}

func (p *parser) finish(lastLine int) ([]domain.Document, error) {
	if p.rows == 0 {
		return nil, &Error{Line: lastLine, Reason: "no data rows"}
	}
	return p.build.finish(p)
}

// get is the field's value in r, without surrounding spaces; "" when the field is not mapped.
func (p *parser) get(r row, field string) string {
	i, ok := p.cols[field]
	if !ok {
		return ""
	}
	return strings.TrimSpace(r.rec[i])
}

// errAt is a problem with field's cell in r (with the row's line when the field is not mapped).
func (p *parser) errAt(r row, field, reason string) *Error {
	e := &Error{Line: r.line, Field: field, Reason: reason}
	if i, ok := p.cols[field]; ok {
		e.Line, e.Column = r.lines[i], i+1
		e.Name = p.headerOf(i, field)
	}
	return e
}

// errLine is a problem with field at a line remembered from an earlier row.
func (p *parser) errLine(line int, field, reason string) *Error {
	e := &Error{Line: line, Field: field, Reason: reason}
	if i, ok := p.cols[field]; ok {
		e.Column, e.Name = i+1, p.headerOf(i, field)
	}
	return e
}

func (p *parser) name(i int) string {
	if p.names == nil {
		return ""
	}
	return p.names[i]
}

// headerOf is column i's header when it is not simply field's name (for Error.Name).
func (p *parser) headerOf(i int, field string) string {
	if n := p.name(i); n != field {
		return n
	}
	return ""
}

// partnerName is how the partner calls field's column: its header, or "column N".
func (p *parser) partnerName(field string) string {
	i := p.cols[field]
	if n := p.name(i); n != "" {
		return n
	}
	return fmt.Sprintf("column %d", i+1)
}

func (p *parser) warn(r row, field, reason string) {
	p.warnings = append(p.warnings, p.errAt(r, field, reason).Error())
}
