package x12

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// isaLen is the length of an ISA segment with its terminator.
const isaLen = 106

// isaFields are the start and length of ISA01..ISA16 inside the fixed-width ISA; the element separator
// sits right before each start.
var isaFields = [16]struct{ start, length int }{
	{4, 2}, {7, 10}, {18, 2}, {21, 10}, {32, 2}, {35, 15}, {51, 2}, {54, 15},
	{70, 6}, {77, 4}, {82, 1}, {84, 5}, {90, 9}, {100, 1}, {102, 1}, {104, 1},
}

// isaFieldCodes are the TA105 codes for an invalid ISA01..ISA15.
var isaFieldCodes = [15]string{"010", "011", "012", "013", "005", "006", "007", "008", "014", "015", "016", "017", "018", "019", "020"}

func isAlnum(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z'
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// fatal makes an error about the ISA at offset at.
func fatal(at int, code, reason string) *Error {
	return &Error{SegmentID: "ISA", Offset: at, Kind: KindInterchange, Code: code, Reason: reason}
}

// describe names a delimiter byte for people: '*', or a control character by its code.
func describe(c byte) string {
	switch {
	case c == '\n':
		return `'\n' (newline)`
	case c == '\r':
		return `'\r' (carriage return)`
	case c == ' ':
		return "' ' (space)"
	case c < 0x20 || c >= 0x7f:
		return fmt.Sprintf("byte 0x%02X", c)
	default:
		return "'" + string(c) + "'"
	}
}

// multiByte reports whether s starts with a UTF-8 character longer than one byte, and which.
func multiByte(s string) (rune, int, bool) {
	if s == "" || s[0] < utf8.RuneSelf {
		return 0, 0, false
	}
	r, size := utf8.DecodeRuneInString(s)
	if r == utf8.RuneError && size <= 1 {
		return 0, 0, false
	}
	return r, size, true
}

// readISA checks the fixed-width ISA at src[at:] and returns its delimiters and its 16 elements.
func readISA(src string, at int) (Delimiters, [16]string, error) {
	var d Delimiters
	var el [16]string
	isa := src[at:]
	if len(isa) < isaLen {
		return d, el, fatal(at, ICPrematureEnd, fmt.Sprintf(
			"the ISA is %d bytes long; an ISA is fixed-width, 106 bytes with its segment terminator", len(isa)))
	}
	d.Element = isa[3]
	if isAlnum(d.Element) {
		return d, el, fatal(at+3, ICElementSep, fmt.Sprintf(
			"the element separator (byte 3 of the ISA) is %s, a letter or digit", describe(d.Element)))
	}
	for i := 1; i < len(isaFields); i++ { // the separator before ISA(i+1) closes ISA(i)
		f, prev := isaFields[i], isaFields[i-1]
		if isa[f.start-1] == d.Element {
			continue
		}
		got := isa[prev.start:isaLen]
		if j := strings.IndexByte(got, d.Element); j >= 0 {
			got = got[:j]
		}
		return d, el, fatal(at+f.start-1, ICStructure, fmt.Sprintf(
			"the ISA is not fixed-width: ISA%02d must be %d characters, found %q (no element separator %s at byte %d of the ISA)",
			i, prev.length, got, describe(d.Element), f.start-1))
	}
	for i, f := range isaFields {
		el[i] = isa[f.start : f.start+f.length]
	}
	if r, size, ok := multiByte(isa[104:]); ok {
		return d, el, fatal(at+104, ICComponentSep, fmt.Sprintf(
			"ISA16 (the component separator) is U+%04X '%c', a %d-byte UTF-8 character; X12 delimiters are single bytes", r, r, size))
	}
	if r, size, ok := multiByte(isa[105:]); ok {
		return d, el, fatal(at+105, ICSegmentTerm, fmt.Sprintf(
			"the segment terminator after ISA16 is U+%04X '%c', a %d-byte UTF-8 character; X12 delimiters are single bytes", r, r, size))
	}
	d.Component, d.Segment = isa[104], isa[105]
	if isAlnum(d.Component) {
		return d, el, fatal(at+104, ICComponentSep, fmt.Sprintf(
			"ISA16 (the component separator) is %s, a letter or digit", describe(d.Component)))
	}
	if isAlnum(d.Segment) {
		return d, el, fatal(at+105, ICSegmentTerm, fmt.Sprintf(
			"the segment terminator after ISA16 is %s, a letter or digit", describe(d.Segment)))
	}
	if r := isa[82]; !isAlnum(r) && r != ' ' {
		d.Repetition = r
	}
	if err := d.distinct(); err != nil {
		err.Offset += at
		return d, el, err
	}
	return d, el, nil
}

// distinct checks that no two delimiters are the same byte. Offsets are within the ISA.
func (d Delimiters) distinct() *Error {
	type named struct {
		name string
		at   int
		c    byte
	}
	all := []named{
		{"the element separator (ISA byte 3)", 3, d.Element},
		{"the repetition separator (ISA11)", 82, d.Repetition},
		{"the component separator (ISA16)", 104, d.Component},
		{"the segment terminator (ISA byte 105)", 105, d.Segment},
	}
	for i, a := range all {
		if a.c == 0 {
			continue
		}
		for _, b := range all[:i] {
			if b.c == a.c {
				return fatal(a.at, ICStructure, fmt.Sprintf("%s is %s, the same as %s: delimiters must be distinct",
					a.name, describe(a.c), b.name))
			}
		}
	}
	return nil
}
