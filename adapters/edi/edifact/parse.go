package edifact

import (
	"bytes"
	"fmt"
	"strings"
)

var utf8BOM = []byte{0xef, 0xbb, 0xbf}

// maxCharsetReports caps the repertoire violations recorded per interchange.
const maxCharsetReports = 100

type parser struct {
	src   string
	pos   int
	d     Delimiters
	cs    charset
	segNo int

	una    bool // the current or next interchange has a UNA
	unaRep byte // UNA position 5, kept until the syntax version is known

	// lexing scratch, reused segment after segment
	vals     []string
	marks    []mark
	buf      []byte
	segErrs  []segProblem
	compSlab []string
	elemSlab [][]string
	segs     []Segment // message segments of the whole file; messages are slices of it

	file     File
	pending  []*Error // problems before the first interchange
	ic       *Interchange
	grp      *Group   // nil or &grpBuf
	msg      *Message // nil or &msgBuf
	grpBuf   Group
	msgBuf   Message
	msgStart int

	bom            bool // the input starts with a UTF-8 BOM, not yet reported
	charsetReports int
	trailing       int    // segments with a trailing separator in the current interchange
	firstTrailing  string // the first of them
}

// Parse frames every interchange in data. It returns an error (wrapping ErrNoInterchange) only when
// no UNB can be found; every other problem is recorded on the interchange, group or message it
// concerns (see File.Err).
func Parse(data []byte) (*File, error) {
	p := &parser{src: string(data), d: DefaultDelimiters}
	p.cs, _ = lookupCharset("")
	// Size the shared slabs from the number of service characters, an upper bound of what is needed.
	segs := bytes.Count(data, []byte{'\''})
	seps := bytes.Count(data, []byte{'+'}) + bytes.Count(data, []byte{':'})
	if len(data) >= 9 && string(data[:3]) == "UNA" {
		segs = bytes.Count(data, data[8:9])
		seps = bytes.Count(data, data[3:4]) + bytes.Count(data, data[4:5])
	}
	if bytes.HasPrefix(data, utf8BOM) {
		p.pos = len(utf8BOM)
		p.bom = true
	}
	p.segs = make([]Segment, 0, segs)
	p.compSlab = make([]string, segs+seps+1)
	p.elemSlab = make([][]string, seps+1)

	for {
		p.skipLineBreaks()
		if p.pos >= len(p.src) {
			break
		}
		switch {
		case strings.HasPrefix(p.src[p.pos:], "UNA"):
			p.closeInterchange(cause{at: p.pos, tag: "UNA"})
			p.readUNA()
		case isServiceTag(p.src[p.pos:], "UNB"):
			p.closeInterchange(cause{at: p.pos, tag: "UNB", number: p.segNo + 1})
			p.readUNB()
		default:
			p.handle(p.lex())
		}
	}
	p.closeInterchange(cause{at: len(p.src)})
	if n := len(p.file.Interchanges); n > 0 && len(p.pending) > 0 {
		// A UNA or segments after the last UNZ that no UNB followed.
		last := &p.file.Interchanges[n-1]
		last.Errors = append(last.Errors, p.pending...)
	}
	if len(p.file.Interchanges) == 0 {
		switch {
		case len(bytes.TrimSpace(data)) == 0:
			return nil, fmt.Errorf("%w: the input is empty", ErrNoInterchange)
		case len(p.pending) > 0:
			return nil, fmt.Errorf("%w: no UNB segment (%v)", ErrNoInterchange, p.pending[0])
		default:
			return nil, fmt.Errorf("%w: no UNB segment", ErrNoInterchange)
		}
	}
	return &p.file, nil
}

// isServiceTag reports whether s starts with tag followed by a non-alphanumeric character.
func isServiceTag(s, tag string) bool {
	return strings.HasPrefix(s, tag) && (len(s) == len(tag) || !isAlnum(s[len(tag)]))
}

// readUNA reads the service string advice at p.pos: "UNA" and exactly six characters.
func (p *parser) readUNA() {
	start := p.pos
	if len(p.src)-start < 9 {
		p.pending = append(p.pending, &Error{Tag: "UNA", Offset: start, Code: CodeMissing,
			Reason: fmt.Sprintf("UNA must be followed by six service characters, found %d", len(p.src)-start-3)})
		p.pos = len(p.src)
		return
	}
	a := p.src[start+3 : start+9]
	d := Delimiters{Component: a[0], Element: a[1], Decimal: a[2], Release: a[3], Segment: a[5]}
	if d.Release == ' ' {
		d.Release = 0
	}
	for _, prob := range d.check() {
		p.pending = append(p.pending, &Error{Tag: "UNA", Offset: start, Code: prob.code, Reason: "UNA " + prob.reason})
	}
	if d.Decimal != ',' {
		d.Decimal = '.'
	}
	p.d, p.una, p.unaRep = d, true, a[4]
	p.pos = start + 9
}

// readUNB starts an interchange. The UNB is lexed once to learn the syntax identifier and version,
// then again with the repertoire they name, so that UNB values are checked and decoded like the rest.
func (p *parser) readUNB() {
	start, no := p.pos, p.segNo
	p.cs, _ = lookupCharset("")
	probe := p.lex()
	p.pos, p.segNo, p.segErrs = start, no, p.segErrs[:0]

	ic := &Interchange{}
	ic.Syntax = probe.Component(1, 1)
	version, versionErr := atoiStrict(probe.Component(1, 2))
	if versionErr == nil && version >= 1 && version <= 4 {
		ic.SyntaxVersion = version
	}
	cs, supported := lookupCharset(ic.Syntax)
	p.cs = cs
	switch {
	case !p.una:
		p.d.Repetition = DefaultDelimitersFor(ic.SyntaxVersion).Repetition
	case ic.SyntaxVersion == 4 || ic.SyntaxVersion == 0 && p.unaRep != ' ':
		if p.unaRep != ' ' {
			p.d.Repetition = p.unaRep
			for _, prob := range p.d.check() {
				if prob.repetition {
					p.pending = append(p.pending, &Error{Tag: "UNA", Offset: start, Code: prob.code, Reason: "UNA " + prob.reason})
				}
			}
		}
	default:
		if p.unaRep != ' ' {
			ic.Warnings = append(ic.Warnings, fmt.Sprintf(
				"UNA position 5 is %s; syntax version %d reserves it (a space), so it is not used as a repetition separator",
				char(p.unaRep), ic.SyntaxVersion))
		}
	}
	ic.Delimiters = p.d
	if p.bom {
		ic.Warnings = append(ic.Warnings, "the input starts with a UTF-8 byte order mark, which was skipped")
		p.bom = false
	}
	p.ic = ic
	p.charsetReports, p.trailing, p.firstTrailing = 0, 0, ""
	ic.Errors = append(ic.Errors, p.pending...)
	p.pending = nil

	seg := p.lex()
	ic.Header = seg
	p.flushSegErrs()
	p.readUNBElements(seg, supported, versionErr)
}

// closeInterchange ends the open interchange, if any; a missing UNZ is reported where c says.
func (p *parser) closeInterchange(c cause) {
	if p.ic == nil {
		return
	}
	p.closeGroup(c)
	if p.ic.Trailer.Tag == "" {
		p.addErr(&Error{Tag: "UNZ", Offset: c.at, Code: CodeMissing,
			Reason: fmt.Sprintf("interchange %s (UNB at segment %d) has no UNZ: %s", p.ic.Reference, p.ic.Header.Number, c)})
	}
	if len(p.ic.Groups) == 0 && len(p.ic.Messages) == 0 {
		p.addErr(&Error{Segment: p.ic.Header.Number, Tag: "UNB", Offset: p.ic.Header.Offset, Code: CodeLowerLevelEmpty,
			Reason: fmt.Sprintf("interchange %s holds no message", p.ic.Reference)})
	}
	if p.trailing > 0 {
		p.ic.Warnings = append(p.ic.Warnings, fmt.Sprintf(
			"%d segment(s) end with a separator before the terminator (first: %s); ISO 9735 says trailing separators are omitted",
			p.trailing, p.firstTrailing))
	}
	if p.charsetReports > maxCharsetReports {
		p.ic.Warnings = append(p.ic.Warnings, fmt.Sprintf(
			"%d further character-set violations not reported", p.charsetReports-maxCharsetReports))
	}
	p.file.Interchanges = append(p.file.Interchanges, *p.ic)
	p.ic = nil
	p.d, p.una, p.unaRep = DefaultDelimiters, false, ' '
	p.cs, _ = lookupCharset("")
}

// cause is what stands where a trailer was expected: a segment, UNA, or the end of the input.
type cause struct {
	at     int    // byte offset
	tag    string // the segment found there; "" at the end of the input
	number int    // its segment number; 0 for UNA
}

func foundSeg(seg Segment) cause { return cause{at: seg.Offset, tag: seg.Tag, number: seg.Number} }

func (c cause) String() string {
	switch {
	case c.tag == "":
		return "the input ends"
	case c.number > 0:
		return fmt.Sprintf("found %s at segment %d", c.tag, c.number)
	}
	return "found " + c.tag
}

// handle places a lexed segment in the envelope.
func (p *parser) handle(seg Segment) {
	if p.ic == nil {
		p.flushSegErrs()
		e := &Error{Segment: seg.Number, Tag: seg.Tag, Offset: seg.Offset, Code: CodeOutsideMessage,
			Reason: fmt.Sprintf("segment %s is outside any interchange", seg.Tag)}
		if n := len(p.file.Interchanges); n > 0 {
			last := &p.file.Interchanges[n-1]
			e.Reason = fmt.Sprintf("segment %s follows the UNZ of interchange %s", seg.Tag, last.Reference)
			last.Errors = append(last.Errors, e)
		} else {
			p.pending = append(p.pending, e)
		}
		return
	}
	switch seg.Tag {
	case "UNG":
		p.openGroup(seg)
	case "UNE":
		p.closeGroupWith(seg)
	case "UNH":
		p.openMessage(seg)
	case "UNT":
		p.closeMessageWith(seg)
	case "UNZ":
		p.closeInterchangeWith(seg)
	default:
		if p.msg == nil {
			p.flushSegErrs()
			p.addErr(&Error{Segment: seg.Number, Tag: seg.Tag, Offset: seg.Offset, Code: CodeOutsideMessage,
				Reason: fmt.Sprintf("segment %s is outside any message", seg.Tag)})
			return
		}
		p.segs = append(p.segs, seg)
		p.flushSegErrs()
		if !validTag(seg.Tag) {
			p.addErr(&Error{Segment: seg.Number, Tag: seg.Tag, Offset: seg.Offset, Code: CodeInvalidValue,
				Reason: fmt.Sprintf("segment tag %q is not three upper-case letters or digits", seg.Tag)})
		}
	}
}

func validTag(t string) bool {
	if len(t) != 3 {
		return false
	}
	for i := 0; i < 3; i++ {
		if c := t[i]; !(c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}

// addErr records e on the innermost open envelope: message, group, else interchange.
func (p *parser) addErr(e *Error) {
	switch {
	case p.msg != nil:
		p.msg.Errors = append(p.msg.Errors, e)
	case p.grp != nil:
		p.grp.Errors = append(p.grp.Errors, e)
	case p.ic != nil:
		p.ic.Errors = append(p.ic.Errors, e)
	default:
		p.pending = append(p.pending, e)
	}
}

// lexErr records a framing problem of the segment being lexed.
func (p *parser) lexErr(e Error) {
	p.segErrs = append(p.segErrs, segProblem{err: &e})
}

// charErr records a repertoire violation of the segment being lexed.
func (p *parser) charErr(e Error) {
	p.segErrs = append(p.segErrs, segProblem{err: &e, charset: true})
}

// trailingSep counts a segment ending with a separator.
func (p *parser) trailingSep(tag string) {
	if p.trailing == 0 {
		p.firstTrailing = fmt.Sprintf("segment %d (%s)", p.segNo, tag)
	}
	p.trailing++
}

// flushSegErrs routes the problems of the last lexed segment. Repertoire violations go to the
// interchange (and to the open message too) as errors in syntax 3 and 4, as warnings in 1 and 2.
func (p *parser) flushSegErrs() {
	for _, sp := range p.segErrs {
		if !sp.charset {
			p.addErr(sp.err)
			continue
		}
		if p.ic == nil {
			p.pending = append(p.pending, sp.err)
			continue
		}
		p.charsetReports++
		if p.charsetReports > maxCharsetReports {
			continue
		}
		if v := p.ic.SyntaxVersion; (v == 1 || v == 2) && sp.err.Code == CodeInvalidCharacter {
			p.ic.Warnings = append(p.ic.Warnings, fmt.Sprintf("%s (accepted: syntax version %d)", sp.err.Error(), v))
			continue
		}
		p.ic.Errors = append(p.ic.Errors, sp.err)
		if p.msg != nil {
			p.msg.Errors = append(p.msg.Errors, sp.err)
		}
	}
	p.segErrs = p.segErrs[:0]
}
