package edifact

import (
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// Syntax error codes (ISO 9735 service code list 0085) that this package reports or that mappers may
// use in CONTRL answers.
const (
	CodeSyntaxVersion          = "2"  // syntax version or level not supported
	CodeInvalidValue           = "12" // invalid value
	CodeMissing                = "13" // missing
	CodeNotSupportedValue      = "14" // value not supported in this position
	CodeNotSupported           = "15" // not supported in this position
	CodeTooManyConstituents    = "16" // too many constituents
	CodeUnspecified            = "18" // unspecified error
	CodeInvalidDecimal         = "19" // invalid decimal notation
	CodeInvalidServiceChar     = "20" // character invalid as service character
	CodeInvalidCharacter       = "21" // invalid character(s)
	CodeReferencesDoNotMatch   = "28" // references do not match
	CodeCountMismatch          = "29" // control count does not match number of instances received
	CodeGroupsMessagesMixed    = "30" // groups and messages/packages mixed
	CodeLowerLevelEmpty        = "32" // lower level empty
	CodeOutsideMessage         = "33" // invalid occurrence outside message, package or group
	CodeInvalidCharacterType   = "37" // invalid type of character(s)
	CodeDataElementTooLong     = "39" // data element too long
	CodeTrailingSeparator      = "45" // trailing separator
	CodeCharsetNotSupported    = "46" // character set not supported
	CodeDependencyNotSatisfied = "48" // dependency condition violated
)

// ErrNoInterchange is returned by Parse when the input holds no UNB to frame.
var ErrNoInterchange = errors.New("edifact: no interchange")

// Error is one syntax or envelope problem, positioned so that it can be reported back to the sender
// (in CONTRL, Segment becomes a position in the message and Element/Component a UCD position).
type Error struct {
	Segment   int    // 1-based position of the segment in the file (UNB = 1); 0 when no segment is present, e.g. a missing trailer
	Tag       string // tag of that segment, or of the missing one (UNT, UNE, UNZ) when Segment is 0
	Element   int    // 1-based data element position; 0 for the whole segment
	Component int    // 1-based component position; 0 for the whole element
	Offset    int    // byte offset in the input: the offending character, element or segment
	Code      string // ISO 9735 syntax error code (list 0085), see the Code constants
	Reason    string // what is wrong, in words
}

// Error renders the position and the reason, e.g.
// `segment 20 (UNT) element 1: UNT says 21 segments, there are 18 from UNH to UNT`.
func (e *Error) Error() string {
	var b strings.Builder
	switch {
	case e.Segment > 0:
		b.WriteString("segment ")
		b.WriteString(strconv.Itoa(e.Segment))
		if e.Tag != "" {
			b.WriteString(" (")
			b.WriteString(e.Tag)
			b.WriteString(")")
		}
	case e.Tag != "":
		fmt.Fprintf(&b, "%s at offset %d", e.Tag, e.Offset)
	default:
		fmt.Fprintf(&b, "offset %d", e.Offset)
	}
	if e.Element > 0 {
		b.WriteString(" element ")
		b.WriteString(strconv.Itoa(e.Element))
		if e.Component > 0 {
			b.WriteString(" component ")
			b.WriteString(strconv.Itoa(e.Component))
		}
	}
	b.WriteString(": ")
	b.WriteString(e.Reason)
	return b.String()
}

// Err joins every error of every interchange, group and message, ordered by position in the input and
// each listed once; nil when the file is clean. Warnings are not errors.
func (f *File) Err() error {
	var all []*Error
	for i := range f.Interchanges {
		all = f.Interchanges[i].collect(all)
	}
	return joinErrors(all)
}

// Err joins the errors of the interchange and of its groups and messages; nil when there are none.
func (ic *Interchange) Err() error { return joinErrors(ic.collect(nil)) }

// Err joins the errors of the message; nil when there are none.
func (m *Message) Err() error { return joinErrors(m.Errors) }

func (ic *Interchange) collect(all []*Error) []*Error {
	all = append(all, ic.Errors...)
	for gi := range ic.Groups {
		g := &ic.Groups[gi]
		all = append(all, g.Errors...)
		for mi := range g.Messages {
			all = append(all, g.Messages[mi].Errors...)
		}
	}
	for mi := range ic.Messages {
		all = append(all, ic.Messages[mi].Errors...)
	}
	return all
}

func joinErrors(list []*Error) error {
	if len(list) == 0 {
		return nil
	}
	seen := make(map[*Error]bool, len(list))
	uniq := make([]*Error, 0, len(list))
	for _, e := range list {
		if e == nil || seen[e] {
			continue
		}
		seen[e] = true
		uniq = append(uniq, e)
	}
	sort.SliceStable(uniq, func(i, j int) bool {
		if uniq[i].Offset != uniq[j].Offset {
			return uniq[i].Offset < uniq[j].Offset
		}
		return uniq[i].Segment < uniq[j].Segment
	})
	errs := make([]error, len(uniq))
	for i, e := range uniq {
		errs[i] = e
	}
	return errors.Join(errs...)
}
