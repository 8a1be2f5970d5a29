package edifact

import (
	"errors"
	"fmt"
	"strconv"
	"time"
	"unicode/utf8"
)

// InterchangeHeader is what the UNB of an outbound interchange says.
type InterchangeHeader struct {
	Syntax               string    // UNB01-1 syntax identifier; default UNOC
	SyntaxVersion        int       // UNB01-2, 1 to 4; default 3
	Sender               string    // UNB02-1, required
	SenderQualifier      string    // UNB02-2, e.g. 14 (GS1 GLN)
	Recipient            string    // UNB03-1, required
	RecipientQualifier   string    // UNB03-2
	Prepared             time.Time // UNB04, required; written in UTC as YYMMDD:HHMM (CCYYMMDD in syntax 4)
	Reference            string    // UNB05 interchange control reference, required
	ApplicationReference string    // UNB07
	AckRequested         bool      // UNB09 = 1
	TestIndicator        bool      // UNB11 = 1
}

// GroupHeader is what the UNG of an outbound group says.
type GroupHeader struct {
	ID                 string    // UNG01 message group identification, e.g. ORDERS; required
	Sender             string    // UNG02-1
	SenderQualifier    string    // UNG02-2
	Recipient          string    // UNG03-1
	RecipientQualifier string    // UNG03-2
	Prepared           time.Time // UNG04; the interchange's when zero
	Reference          string    // UNG05, required
	Agency             string    // UNG06 controlling agency, e.g. UN
	Version            string    // UNG07-1 message version, e.g. D
	Release            string    // UNG07-2 message release, e.g. 96A
	Association        string    // UNG07-3 association assigned code
}

// Writer builds outbound interchanges:
//
//	w := edifact.NewWriter(edifact.DefaultDelimiters)
//	ic := w.Interchange(edifact.InterchangeHeader{Syntax: "UNOC", SyntaxVersion: 3, Sender: "...", ...})
//	m := ic.Message("1", "ORDERS", "D", "96A", "UN", "EAN008")
//	m.Segment("BGM", edifact.E("220"), edifact.E("PO-42"), edifact.E("9"))
//	data, err := w.Bytes()
//
// Bytes writes UNA only when the delimiters differ from the defaults of the interchange's syntax
// version, adds UNH/UNT, UNG/UNE and UNB/UNZ with their counts and references, drops trailing empty
// elements and components, escapes service characters with the release character, and encodes every
// value in the declared repertoire (UNOC as ISO 8859-1 bytes, UNOW/UNOY as UTF-8). A value the
// repertoire cannot carry, a missing mandatory field or a malformed tag makes Bytes fail; nothing is
// written silently wrong. The Repetition delimiter is only used in syntax 4, where 0 means the default
// '*'; the writer never repeats elements itself, so it only matters for escaping.
type Writer struct {
	// LineBreaks writes "\n" after UNA and after every segment terminator, for people reading the
	// file; parsers (this one included) skip it.
	LineBreaks bool

	d   Delimiters
	ics []*InterchangeWriter
}

// NewWriter returns a Writer using d; the zero Delimiters means DefaultDelimiters.
func NewWriter(d Delimiters) *Writer {
	if d == (Delimiters{}) {
		d = DefaultDelimiters
	}
	if d.Decimal == 0 {
		d.Decimal = '.'
	}
	return &Writer{d: d}
}

// E builds one data element from its components: E("137", "20240501", "102").
func E(components ...string) []string { return components }

// InterchangeWriter collects the groups or messages of one interchange.
type InterchangeWriter struct {
	h        InterchangeHeader
	groups   []*GroupWriter
	messages []*MessageWriter
}

// GroupWriter collects the messages of one group.
type GroupWriter struct {
	h        GroupHeader
	messages []*MessageWriter
}

// MessageWriter collects the segments of one message, between the UNH and UNT that Bytes adds.
type MessageWriter struct {
	ref, typ, version, release, agency, assoc string
	segments                                  []writtenSegment
}

type writtenSegment struct {
	tag      string
	elements [][]string
}

// Interchange starts an interchange; Bytes writes interchanges in the order they were started.
func (w *Writer) Interchange(h InterchangeHeader) *InterchangeWriter {
	iw := &InterchangeWriter{h: h}
	w.ics = append(w.ics, iw)
	return iw
}

// Group starts a functional group. An interchange holds groups or bare messages, not both.
func (iw *InterchangeWriter) Group(h GroupHeader) *GroupWriter {
	gw := &GroupWriter{h: h}
	iw.groups = append(iw.groups, gw)
	return gw
}

// Message starts a message outside groups: UNH01 ref, UNH02 typ:version:release:agency[:assoc].
func (iw *InterchangeWriter) Message(ref, typ, version, release, agency, assoc string) *MessageWriter {
	m := &MessageWriter{ref: ref, typ: typ, version: version, release: release, agency: agency, assoc: assoc}
	iw.messages = append(iw.messages, m)
	return m
}

// Message starts a message in the group.
func (gw *GroupWriter) Message(ref, typ, version, release, agency, assoc string) *MessageWriter {
	m := &MessageWriter{ref: ref, typ: typ, version: version, release: release, agency: agency, assoc: assoc}
	gw.messages = append(gw.messages, m)
	return m
}

// Segment appends a segment to the message body; each element is its components (see E). Service
// segments (UNH, UNT, UNG, UNE, UNB, UNZ) are written by Bytes and refused here.
func (m *MessageWriter) Segment(tag string, elements ...[]string) *MessageWriter {
	m.segments = append(m.segments, writtenSegment{tag: tag, elements: elements})
	return m
}

// Bytes encodes every interchange. Errors name the interchange, message, segment and element.
func (w *Writer) Bytes() ([]byte, error) {
	var out []byte
	var errs []error
	for _, iw := range w.ics {
		var err error
		out, err = w.encodeInterchange(out, iw)
		if err != nil {
			errs = append(errs, err)
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return out, nil
}

// encoder writes the segments of one interchange.
type encoder struct {
	w    *Writer
	d    Delimiters
	cs   charset
	buf  []byte
	errs []error
	at   string // where we are, for errors: "interchange X message Y"
	segs int    // segments of the current message
}

func (w *Writer) encodeInterchange(out []byte, iw *InterchangeWriter) ([]byte, error) {
	h := iw.h
	if h.Syntax == "" {
		h.Syntax = "UNOC"
	}
	if h.SyntaxVersion == 0 {
		h.SyntaxVersion = 3
	}
	e := &encoder{w: w, buf: out, at: "interchange " + h.Reference}
	cs, ok := lookupCharset(h.Syntax)
	if !ok {
		e.failf("syntax identifier %q is not one this writer can encode", h.Syntax)
	}
	e.cs = cs
	if h.SyntaxVersion < 1 || h.SyntaxVersion > 4 {
		e.failf("syntax version %d is not 1 to 4", h.SyntaxVersion)
	}
	e.d = w.d
	if h.SyntaxVersion < 4 {
		e.d.Repetition = 0
	} else if e.d.Repetition == 0 {
		e.d.Repetition = '*'
	}
	for _, prob := range e.d.check() {
		e.failf("delimiters: %s", prob.reason)
	}
	for _, c := range []byte{e.d.Component, e.d.Element, e.d.Release, e.d.Repetition, e.d.Segment} {
		if c >= utf8.RuneSelf {
			e.failf("delimiter byte 0x%02X is not ASCII", c)
		}
	}
	e.required("UNB", map[string]string{"Sender": h.Sender, "Recipient": h.Recipient, "Reference": h.Reference})
	if h.Prepared.IsZero() {
		e.failf("UNB: Prepared is required")
	}
	if len(iw.groups) > 0 && len(iw.messages) > 0 {
		e.failf("holds both groups and messages outside groups")
	}
	if len(iw.groups) == 0 && len(iw.messages) == 0 {
		e.failf("holds no message")
	}
	if len(e.errs) > 0 {
		return out, errors.Join(e.errs...)
	}

	if e.d != DefaultDelimitersFor(h.SyntaxVersion) {
		rel, rep := e.d.Release, e.d.Repetition
		if rel == 0 {
			rel = ' '
		}
		if rep == 0 {
			rep = ' '
		}
		e.buf = append(e.buf, 'U', 'N', 'A', e.d.Component, e.d.Element, e.d.Decimal, rel, rep, e.d.Segment)
		if w.LineBreaks {
			e.buf = append(e.buf, '\n')
		}
	}
	date, clock := formatDateTime(h.Prepared, h.SyntaxVersion)
	e.segment("UNB", E(h.Syntax, strconv.Itoa(h.SyntaxVersion)), E(h.Sender, h.SenderQualifier),
		E(h.Recipient, h.RecipientQualifier), E(date, clock), E(h.Reference), nil, E(h.ApplicationReference), nil,
		E(one(h.AckRequested)), nil, E(one(h.TestIndicator)))
	count := len(iw.messages)
	for _, gw := range iw.groups {
		e.group(gw, h)
	}
	for _, m := range iw.messages {
		e.message(m)
	}
	if len(iw.groups) > 0 {
		count = len(iw.groups)
	}
	e.at = "interchange " + h.Reference
	e.segment("UNZ", E(strconv.Itoa(count)), E(h.Reference))
	if len(e.errs) > 0 {
		return out, errors.Join(e.errs...)
	}
	return e.buf, nil
}

func one(b bool) string {
	if b {
		return "1"
	}
	return ""
}

// formatDateTime renders UNB04/UNG04 in UTC.
func formatDateTime(t time.Time, syntaxVersion int) (string, string) {
	t = t.UTC()
	if syntaxVersion >= 4 {
		return t.Format("20060102"), t.Format("1504")
	}
	return t.Format("060102"), t.Format("1504")
}

func (e *encoder) group(gw *GroupWriter, ih InterchangeHeader) {
	h := gw.h
	e.at = fmt.Sprintf("interchange %s group %s", ih.Reference, h.Reference)
	e.required("UNG", map[string]string{"ID": h.ID, "Reference": h.Reference})
	prepared := h.Prepared
	if prepared.IsZero() {
		prepared = ih.Prepared
	}
	date, clock := formatDateTime(prepared, ih.SyntaxVersion)
	e.segment("UNG", E(h.ID), E(h.Sender, h.SenderQualifier), E(h.Recipient, h.RecipientQualifier), E(date, clock),
		E(h.Reference), E(h.Agency), E(h.Version, h.Release, h.Association))
	if len(gw.messages) == 0 {
		e.failf("holds no message")
	}
	for _, m := range gw.messages {
		e.message(m)
	}
	e.at = fmt.Sprintf("interchange %s group %s", ih.Reference, h.Reference)
	e.segment("UNE", E(strconv.Itoa(len(gw.messages))), E(h.Reference))
}

func (e *encoder) message(m *MessageWriter) {
	outer := e.at
	e.at = fmt.Sprintf("%s message %s", outer, m.ref)
	e.required("UNH", map[string]string{"reference": m.ref, "type": m.typ, "version": m.version,
		"release": m.release, "agency": m.agency})
	e.segs = 0
	e.segment("UNH", E(m.ref), E(m.typ, m.version, m.release, m.agency, m.assoc))
	for _, s := range m.segments {
		switch s.tag {
		case "UNA", "UNB", "UNZ", "UNG", "UNE", "UNH", "UNT":
			e.failf("segment %d: %s is a service segment the writer adds itself", e.segs+1, s.tag)
			continue
		}
		e.segment(s.tag, s.elements...)
	}
	e.segment("UNT", E(strconv.Itoa(e.segs+1)), E(m.ref))
	e.at = outer
}

func (e *encoder) required(tag string, fields map[string]string) {
	for _, name := range sortedKeys(fields) {
		if fields[name] == "" {
			e.failf("%s: %s is required", tag, name)
		}
	}
}

func (e *encoder) failf(format string, args ...any) {
	e.errs = append(e.errs, fmt.Errorf("edifact: write %s: %s", e.at, fmt.Sprintf(format, args...)))
}

// segment writes tag and elements, trailing empty elements and components dropped.
func (e *encoder) segment(tag string, elements ...[]string) {
	e.segs++
	if !validTag(tag) {
		e.failf("segment %d: tag %q is not three upper-case letters or digits", e.segs, tag)
		return
	}
	e.buf = append(e.buf, tag...)
	last := len(elements) - 1
	for last >= 0 && trimmed(elements[last]) == 0 {
		last--
	}
	for i := 0; i <= last; i++ {
		e.buf = append(e.buf, e.d.Element)
		comps := elements[i][:trimmed(elements[i])]
		for j, v := range comps {
			if j > 0 {
				e.buf = append(e.buf, e.d.Component)
			}
			e.value(v, tag, i+1, j+1)
		}
	}
	e.buf = append(e.buf, e.d.Segment)
	if e.w.LineBreaks {
		e.buf = append(e.buf, '\n')
	}
}

// trimmed returns the number of components left once trailing empty ones are dropped.
func trimmed(comps []string) int {
	n := len(comps)
	for n > 0 && comps[n-1] == "" {
		n--
	}
	return n
}

// value escapes and encodes one component.
func (e *encoder) value(v, tag string, elem, comp int) {
	for i, r := range v {
		if r == utf8.RuneError {
			if _, size := utf8.DecodeRuneInString(v[i:]); size <= 1 {
				e.failf("segment %d (%s) element %d component %d: byte 0x%02X is not UTF-8", e.segs, tag, elem, comp, v[i])
				return
			}
		}
		if !e.cs.encodable(r) {
			e.failf("segment %d (%s) element %d component %d: character %q (U+%04X) is not in the %s repertoire",
				e.segs, tag, elem, comp, r, r, e.cs.name)
			return
		}
		if r < utf8.RuneSelf {
			c := byte(r)
			if c == e.d.Component || c == e.d.Element || c == e.d.Segment || c == e.d.Release && e.d.Release != 0 ||
				c == e.d.Repetition && e.d.Repetition != 0 {
				if e.d.Release == 0 {
					e.failf("segment %d (%s) element %d component %d: %s is a service character and there is no release character",
						e.segs, tag, elem, comp, char(c))
					return
				}
				e.buf = append(e.buf, e.d.Release)
			}
			e.buf = append(e.buf, c)
			continue
		}
		if e.cs.latin1() {
			e.buf = append(e.buf, byte(r))
		} else {
			e.buf = utf8.AppendRune(e.buf, r)
		}
	}
}
