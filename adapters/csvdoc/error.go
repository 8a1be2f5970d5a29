package csvdoc

import (
	"strconv"
	"strings"
)

// Error is a problem at a place in a CSV file.
type Error struct {
	// Line is the 1-based line of the file (of the field, for a quoted field spanning lines); 0 when the
	// problem is not at a line.
	Line int
	// Column is the 1-based field position in the row; 0 when the problem is the whole row.
	Column int
	// Field is the canonical field concerned ("on_hand"), if any.
	Field string
	// Name is the column's header as the partner wrote it, when the file has a header and it is not the
	// field's own name.
	Name   string
	Reason string
}

// Error says where and what: `line 7, column 3 (on_hand): "12x" is not a decimal number`, or with a
// partner header `line 7, column 3 (on_hand, header "Qty OH"): ...`.
func (e *Error) Error() string {
	var b strings.Builder
	if e.Line > 0 {
		b.WriteString("line ")
		b.WriteString(strconv.Itoa(e.Line))
	}
	if e.Column > 0 {
		if b.Len() > 0 {
			b.WriteString(", ")
		}
		b.WriteString("column ")
		b.WriteString(strconv.Itoa(e.Column))
	}
	if e.Field != "" {
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteByte('(')
		b.WriteString(e.Field)
		if e.Name != "" && e.Name != e.Field {
			b.WriteString(", header ")
			b.WriteString(strconv.Quote(e.Name))
		}
		b.WriteByte(')')
	}
	if b.Len() > 0 {
		b.WriteString(": ")
	}
	b.WriteString(e.Reason)
	return b.String()
}
