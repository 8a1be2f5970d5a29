package x12

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
)

// Parse frames every interchange, group and transaction set of data. It returns an *Error, and no File,
// only when the data cannot be framed (see the package documentation); every envelope problem is
// recorded in the Errors of the set, group or interchange it concerns (see File.Err).
func Parse(data []byte) (*File, error) {
	p := &parser{}
	p.presize(data)
	p.src = string(data)
	if err := p.run(); err != nil {
		return nil, err
	}
	return &p.file, nil
}

// parser holds the state of one Parse. Segments and elements are appended to arenas sized from a count
// of delimiter bytes, so a file needs a handful of allocations; a transaction set's Segments is a slice
// of the segment arena.
type parser struct {
	src   string
	d     Delimiters
	skip  [256]bool // bytes skipped between segments: CR, LF, space, tab, unless a delimiter
	segs  []Segment
	elems []string
	num   int // number of the last segment read

	file  File
	ic    Interchange
	inIC  bool
	grp   Group
	inGrp bool
	tx    Transaction
	inTx  bool
	txAt  int  // index in segs of the open set's ST
	stray bool // inside an ST outside any group: skip to its SE
	seen  map[string]int
}

// presize sizes the arenas from the first ISA's delimiters: each element separator starts one element
// and each terminator ends one segment.
func (p *parser) presize(data []byte) {
	i := 0
	for i < len(data) && !bytes.HasPrefix(data[i:], []byte("ISA")) && i < 64 {
		i++
	}
	if len(data)-i < isaLen {
		return
	}
	segs := bytes.Count(data, data[i+105:i+106]) + 1
	elems := bytes.Count(data, data[i+3:i+4]) + 1
	p.segs = make([]Segment, 0, segs)
	p.elems = make([]string, 0, elems)
}

var bom = "\xEF\xBB\xBF"

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }

func (p *parser) run() error {
	pos := 0
	if strings.HasPrefix(p.src, bom) {
		pos = len(bom)
	}
	for pos < len(p.src) && isSpace(p.src[pos]) {
		pos++
	}
	if !strings.HasPrefix(p.src[pos:], "ISA") {
		got := p.src[pos:min(len(p.src), pos+16)]
		if got == "" {
			return &Error{Offset: pos, Kind: KindInterchange, Code: ICPrematureEnd, Reason: "no X12 data: the input is empty"}
		}
		return &Error{Offset: pos, Kind: KindInterchange, Code: ICStructure,
			Reason: fmt.Sprintf("X12 data must start with an ISA segment, found %q", got)}
	}
	for pos < len(p.src) {
		if p.isISA(pos) {
			next, err := p.openInterchange(pos)
			if err != nil {
				return err
			}
			pos = p.skipBlank(next)
			continue
		}
		if !p.inIC {
			return p.garbage(pos)
		}
		end := strings.IndexByte(p.src[pos:], p.d.Segment)
		if end < 0 {
			end = len(p.src) // a last segment without terminator: its trailer check still applies
		} else {
			end += pos
		}
		p.segment(pos, end)
		pos = end + 1
		if p.inIC {
			pos = p.skipBlank(pos)
		} else {
			for pos < len(p.src) && isSpace(p.src[pos]) {
				pos++
			}
		}
	}
	if p.inIC {
		p.closeInterchange(nil, len(p.src))
	}
	return nil
}

// isISA reports whether an ISA segment starts at pos: "ISA" then a byte that cannot continue an ID.
func (p *parser) isISA(pos int) bool {
	return strings.HasPrefix(p.src[pos:], "ISA") && (len(p.src) == pos+3 || !isAlnum(p.src[pos+3]))
}

func (p *parser) skipBlank(pos int) int {
	for pos < len(p.src) && p.skip[p.src[pos]] {
		pos++
	}
	return pos
}

func (p *parser) garbage(pos int) error {
	got := p.src[pos:min(len(p.src), pos+16)]
	return &Error{Offset: pos, Kind: KindInterchange, Code: ICContent,
		Reason: fmt.Sprintf("after IEA (segment %d) only another ISA may follow, found %q", p.num, got)}
}

// newSegment appends a segment to the arena and returns its index. When the arena is full a new one is
// started holding the open transaction set, so that a set's segments stay contiguous.
func (p *parser) newSegment(id string, at, elemsFrom int) int {
	if len(p.segs) == cap(p.segs) {
		keep := len(p.segs)
		if p.inTx {
			keep = p.txAt
		}
		grown := make([]Segment, len(p.segs)-keep, max(2*cap(p.segs), 256))
		copy(grown, p.segs[keep:])
		p.segs = grown
		if p.inTx {
			p.txAt = 0
		}
	}
	p.num++
	p.segs = append(p.segs, Segment{
		ID: id, Elements: p.elems[elemsFrom:len(p.elems):len(p.elems)], Number: p.num, Offset: at,
		ComponentSeparator: p.d.Component, RepetitionSeparator: p.d.Repetition,
	})
	return len(p.segs) - 1
}

// addElement appends one element of the segment whose elements start at *from. When the arena is full a
// new one is started with the segment's elements so far.
func (p *parser) addElement(v string, from *int) {
	if len(p.elems) == cap(p.elems) {
		grown := make([]string, len(p.elems)-*from, max(2*cap(p.elems), 1024))
		copy(grown, p.elems[*from:])
		p.elems = grown
		*from = 0
	}
	p.elems = append(p.elems, v)
}

// segment splits src[at:end] into its ID and elements and files it.
func (p *parser) segment(at, end int) {
	text := p.src[at:end]
	from := len(p.elems)
	id := text
	sep := p.d.Element
	if i := strings.IndexByte(text, sep); i >= 0 {
		id = text[:i]
		start := i + 1
		for j := start; j < len(text); j++ {
			if text[j] == sep {
				p.addElement(text[start:j], &from)
				start = j + 1
			}
		}
		p.addElement(text[start:], &from)
	}
	idx := p.newSegment(id, at, from)
	s := &p.segs[idx]
	if !validID(id) {
		reason := fmt.Sprintf("%q is not a segment ID (2 or 3 upper-case letters and digits)", id)
		if id == "" {
			reason = "empty segment"
		}
		p.note(segErr(s, KindSegment, SegUnrecognizedID, reason))
	}
	p.file1(idx)
}

func validID(id string) bool {
	if len(id) < 2 || len(id) > 3 || id[0] < 'A' || id[0] > 'Z' {
		return false
	}
	for i := 1; i < len(id); i++ {
		if c := id[i]; !(c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}

// note records an error in the innermost open envelope.
func (p *parser) note(e *Error) {
	switch {
	case p.inTx:
		p.tx.Errors = append(p.tx.Errors, e)
	case p.inGrp:
		p.grp.Errors = append(p.grp.Errors, e)
	default:
		p.ic.Errors = append(p.ic.Errors, e)
	}
}

// file1 files the segment at idx in the envelope structure.
func (p *parser) file1(idx int) {
	s := &p.segs[idx]
	switch s.ID {
	case "IEA":
		p.closeInterchange(s, s.Offset)
	case "GS":
		p.closeTx(s, s.Offset)
		p.closeGroup(s, s.Offset)
		p.openGroup(s)
	case "GE":
		p.closeTx(s, s.Offset)
		if !p.inGrp {
			p.ic.Errors = append(p.ic.Errors, segErr(s, KindInterchange, ICContent, "GE without a GS"))
			return
		}
		p.closeGroup(s, s.Offset)
	case "ST":
		p.closeTx(s, s.Offset)
		if !p.inGrp {
			p.ic.Errors = append(p.ic.Errors, segErr(s, KindInterchange, ICContent, fmt.Sprintf(
				"transaction set %s %s is outside a functional group (no GS before it); it is skipped", s.Element(1), s.Element(2))))
			p.stray = true
			return
		}
		p.openTx(idx)
	case "SE":
		switch {
		case p.inTx:
			p.closeTx(s, s.Offset)
		case p.stray:
			p.stray = false
		case p.inGrp:
			p.grp.Errors = append(p.grp.Errors, segErr(s, KindSegment, SegUnexpected, "SE without an ST"))
		default:
			p.ic.Errors = append(p.ic.Errors, segErr(s, KindInterchange, ICContent, "SE without an ST"))
		}
	default:
		switch {
		case p.inTx, p.stray:
		case p.inGrp:
			p.grp.Errors = append(p.grp.Errors, segErr(s, KindSegment, SegUnexpected, fmt.Sprintf(
				"%s is between transaction sets (outside ST/SE)", s.ID)))
		case s.ID == "TA1" && len(p.ic.Groups) == 0:
			p.ic.InterchangeAcks = append(p.ic.InterchangeAcks, *s)
		default:
			p.ic.Errors = append(p.ic.Errors, segErr(s, KindInterchange, ICContent, fmt.Sprintf(
				"%s is outside a functional group (outside GS/GE)", s.ID)))
		}
	}
}

// openInterchange reads the ISA at pos, closing an interchange still open, and returns where the next
// segment starts.
func (p *parser) openInterchange(pos int) (int, error) {
	d, el, err := readISA(p.src, pos)
	if err != nil {
		if e, ok := err.(*Error); ok {
			e.Segment = p.num + 1
		}
		return 0, err
	}
	if p.inIC {
		p.closeInterchange(nil, pos)
	}
	p.d = d
	p.skip = [256]bool{' ': true, '\t': true, '\r': true, '\n': true}
	for _, c := range []byte{d.Element, d.Component, d.Segment, d.Repetition} {
		p.skip[c] = false
	}
	from := len(p.elems)
	for _, v := range el {
		p.addElement(v, &from)
	}
	s := p.segs[p.newSegment("ISA", pos, from)]
	p.ic = Interchange{
		Delimiters:      d,
		SenderQualifier: el[4], SenderID: strings.TrimSpace(el[5]),
		ReceiverQualifier: el[6], ReceiverID: strings.TrimSpace(el[7]),
		Date: el[8], Time: el[9], Version: el[11], Control: el[12], AckRequested: el[13], Usage: el[14],
		Header: s,
	}
	p.inIC = true
	p.checkISA(&s)
	return pos + isaLen, nil
}

// checkISA records ISA values that break their syntax.
func (p *parser) checkISA(s *Segment) {
	bad := func(n int, code, reason string) {
		p.ic.Errors = append(p.ic.Errors, elemErr(s, n, KindInterchange, code, reason))
	}
	d := p.d
	for i, v := range s.Elements[:15] { // spaces are padding, even where a space is a delimiter
		if i == 10 && d.Repetition != 0 {
			continue // ISA11 is the repetition separator itself
		}
		for j := 0; j < len(v); j++ {
			if c := v[j]; c != ' ' && (c == d.Element || c == d.Component || c == d.Segment || (c == d.Repetition && c != 0)) {
				bad(i+1, isaFieldCodes[i], fmt.Sprintf("ISA%02d %q contains the delimiter %s", i+1, v, describe(c)))
				break
			}
		}
	}
	if !isDigits(p.ic.Control) {
		bad(13, ICControlInvalid, fmt.Sprintf("ISA13 %q is not a 9-digit control number", p.ic.Control))
	}
	if _, err := ParseDate(p.ic.Date); err != nil {
		bad(9, ICDateInvalid, fmt.Sprintf("ISA09 %q is not a YYMMDD date", p.ic.Date))
	}
	if _, _, _, err := ParseTime(p.ic.Time); err != nil {
		bad(10, ICTimeInvalid, fmt.Sprintf("ISA10 %q is not an HHMM time", p.ic.Time))
	}
	if !isDigits(p.ic.Version) {
		bad(12, ICVersionInvalid, fmt.Sprintf("ISA12 %q is not a version number such as 00401", p.ic.Version))
	}
	if a := p.ic.AckRequested; a != "0" && a != "1" {
		bad(14, ICAckInvalid, fmt.Sprintf("ISA14 %q must be 0 or 1", a))
	}
	if u := p.ic.Usage; u != "P" && u != "T" && u != "I" {
		bad(15, ICTestInvalid, fmt.Sprintf("ISA15 %q must be P (production), T (test) or I (information)", u))
	}
}

// closeInterchange ends the open interchange at its IEA (s), or without one (s nil) at offset at.
func (p *parser) closeInterchange(s *Segment, at int) {
	p.closeTx(s, at)
	p.closeGroup(s, at)
	p.stray = false
	ic := &p.ic
	if s == nil {
		ic.Errors = append(ic.Errors, p.missing("IEA", "interchange "+ic.Control, at, KindInterchange, ICPrematureEnd))
	} else {
		ic.Trailer = *s
		if reason := countMismatch("IEA01", s.Element(1), "functional groups", "interchange", len(ic.Groups)); reason != "" {
			ic.Errors = append(ic.Errors, elemErr(s, 1, KindInterchange, ICGroupCount, reason))
		}
		if s.Element(2) != ic.Control {
			ic.Errors = append(ic.Errors, elemErr(s, 2, KindInterchange, ICControlMismatch, fmt.Sprintf(
				"IEA02 %q does not match ISA13 %q", s.Element(2), ic.Control)))
		}
	}
	p.file.Interchanges = append(p.file.Interchanges, *ic)
	p.ic = Interchange{}
	p.inIC = false
}

// missing makes the error for a trailer that never came: the segment s (or the end of the input) closed
// the envelope instead.
func (p *parser) missing(trailer, what string, at int, kind, code string) *Error {
	e := &Error{Offset: at, Kind: kind, Code: code}
	by := "the end of the input"
	if at < len(p.src) {
		e.Segment = p.num
		e.SegmentID = p.segs[len(p.segs)-1].ID
		by = e.SegmentID + " (segment " + strconv.Itoa(e.Segment) + ")"
		if p.isISA(at) && (len(p.segs) == 0 || p.segs[len(p.segs)-1].Offset != at) {
			e.Segment, e.SegmentID, by = p.num+1, "ISA", "the next ISA (segment "+strconv.Itoa(p.num+1)+")"
		}
	}
	e.Reason = fmt.Sprintf("%s has no %s: %s ends it", what, trailer, by)
	return e
}

func (p *parser) openGroup(s *Segment) {
	p.grp = Group{
		FunctionalID: s.Element(1), Sender: s.Element(2), Receiver: s.Element(3), Date: s.Element(4),
		Time: s.Element(5), Control: s.Element(6), Version: s.Element(8), Header: *s,
	}
	p.inGrp = true
	clear(p.seen)
	if len(s.Elements) < 8 {
		p.ic.Errors = append(p.ic.Errors, segErr(s, KindInterchange, ICContent, fmt.Sprintf(
			"GS has %d elements, it needs 8", len(s.Elements))))
	}
	if c := p.grp.Control; !isDigits(c) || len(c) > 9 {
		p.grp.Errors = append(p.grp.Errors, elemErr(s, 6, KindGroup, GroupControlSyntax, fmt.Sprintf(
			"GS06 %q is not a group control number (1 to 9 digits)", c)))
	}
}

// closeGroup ends the open group at its GE (s with ID GE), or without one at s or offset at.
func (p *parser) closeGroup(s *Segment, at int) {
	if !p.inGrp {
		return
	}
	g := &p.grp
	if s == nil || s.ID != "GE" {
		g.Errors = append(g.Errors, p.missing("GE", "functional group "+g.Control, at, KindGroup, GroupTrailerMissing))
	} else {
		g.Trailer = *s
		if reason := countMismatch("GE01", s.Element(1), "transaction sets", "group", len(g.Transactions)); reason != "" {
			g.Errors = append(g.Errors, elemErr(s, 1, KindGroup, GroupCountMismatch, reason))
		}
		if s.Element(2) != g.Control {
			g.Errors = append(g.Errors, elemErr(s, 2, KindGroup, GroupControlMismatch, fmt.Sprintf(
				"GE02 %q does not match GS06 %q", s.Element(2), g.Control)))
		}
	}
	p.ic.Groups = append(p.ic.Groups, *g)
	p.grp = Group{}
	p.inGrp = false
}

func (p *parser) openTx(idx int) {
	s := &p.segs[idx]
	p.tx = Transaction{Code: s.Element(1), Control: s.Element(2), Version: s.Element(3)}
	if p.tx.Version == "" {
		p.tx.Version = p.grp.Version
	}
	p.inTx = true
	p.txAt = idx
	if c := p.tx.Code; len(c) != 3 || !isDigits(c) {
		p.note(elemErr(s, 1, KindTransaction, SetInvalidID, fmt.Sprintf("ST01 %q is not a transaction set identifier (3 digits)", c)))
	}
	if c := p.tx.Control; len(c) < 4 || len(c) > 9 {
		p.note(elemErr(s, 2, KindTransaction, SetInvalidControl, fmt.Sprintf("ST02 %q is not a control number (4 to 9 characters)", c)))
	} else {
		if p.seen == nil {
			p.seen = make(map[string]int)
		}
		if first, dup := p.seen[c]; dup {
			p.note(elemErr(s, 2, KindTransaction, SetControlNotUnique, fmt.Sprintf(
				"ST02 %q is already the control number of the set at segment %d in this group", c, first)))
		} else {
			p.seen[c] = s.Number
		}
	}
}

// closeTx ends the open set at its SE (s with ID SE), or without one at s or offset at.
func (p *parser) closeTx(s *Segment, at int) {
	if !p.inTx {
		return
	}
	t := &p.tx
	if s == nil || s.ID != "SE" {
		end := len(p.segs)
		if s != nil {
			end-- // s is the envelope segment that ended the set, not part of it
		}
		t.Segments = p.segs[p.txAt:end:end]
		t.Errors = append(t.Errors, p.missing("SE", "transaction set "+t.Code+" "+t.Control, at, KindTransaction, SetTrailerMissing))
	} else {
		end := len(p.segs)
		t.Segments = p.segs[p.txAt:end:end]
		if reason := countMismatch("SE01", s.Element(1), "segments", "transaction set", len(t.Segments)); reason != "" {
			t.Errors = append(t.Errors, elemErr(s, 1, KindTransaction, SetCountMismatch, reason))
		}
		if s.Element(2) != t.Control {
			t.Errors = append(t.Errors, elemErr(s, 2, KindTransaction, SetControlMismatch, fmt.Sprintf(
				"SE02 %q does not match ST02 %q", s.Element(2), t.Control)))
		}
	}
	p.grp.Transactions = append(p.grp.Transactions, *t)
	p.tx = Transaction{}
	p.inTx = false
}

// countMismatch says why a trailer count is wrong, or "" when it is right.
func countMismatch(ref, got, things, envelope string, actual int) string {
	if !isDigits(got) {
		return fmt.Sprintf("%s %q is not a number; the %s has %d %s", ref, got, envelope, actual, things)
	}
	if n, err := strconv.Atoi(got); err == nil && n == actual {
		return ""
	}
	return fmt.Sprintf("%s says %s %s, the %s has %d", ref, got, things, envelope, actual)
}
