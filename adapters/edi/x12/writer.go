package x12

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Envelope is what the ISA of an outbound interchange says.
type Envelope struct {
	SenderQualifier, SenderID     string // ISA05 (2 characters), ISA06 (up to 15, padded)
	ReceiverQualifier, ReceiverID string // ISA07, ISA08
	Version                       string // ISA12, e.g. "00401"
	Control                       string // ISA13: up to 9 digits, zero-padded to 9
	Date                          time.Time
	Usage                         string // ISA15: P (production) or T (test)
	AckRequested                  bool   // ISA14: 1 asks the receiver for a TA1
}

// Writer builds outbound X12: interchanges, their groups and their transaction sets, in the order they
// are started. It writes the trailers itself (SE01, GE01 and IEA01 are counted), pads the ISA to its
// fixed widths, leaves out trailing empty elements, and refuses a value that contains a delimiter. The
// first problem is kept and returned by Bytes, with where it happened.
//
//	w := x12.NewWriter(x12.DefaultDelimiters())
//	ic := w.Interchange(env)
//	g := ic.Group("SH", "SENDER", "RECEIVER", "1", "004010")
//	t := g.Transaction("856", "0001")
//	t.Segment("BSN", "00", "ASN-1", "20240102", "1200")
//	data, err := w.Bytes()
//
// Dates and times (ISA09/10, GS04/05) are Envelope.Date's in its own location.
type Writer struct {
	d            Delimiters
	interchanges []*InterchangeWriter
	err          error
}

// NewWriter returns a Writer using delimiters d (see DefaultDelimiters).
func NewWriter(d Delimiters) *Writer {
	w := &Writer{d: d}
	switch {
	case d.Element == 0 || d.Component == 0 || d.Segment == 0:
		w.err = errors.New("x12 writer: the element separator, component separator and segment terminator must all be set")
	case isAlnum(d.Element) || isAlnum(d.Component) || isAlnum(d.Segment) || isAlnum(d.Repetition) || d.Repetition == ' ':
		w.err = fmt.Errorf("x12 writer: delimiters %q are letters, digits or a space repetition separator", []byte{d.Element, d.Component, d.Segment, d.Repetition})
	default:
		if err := d.distinct(); err != nil {
			w.err = fmt.Errorf("x12 writer: %s", err.Reason)
		}
	}
	return w
}

// InterchangeWriter is one interchange being written.
type InterchangeWriter struct {
	w      *Writer
	env    Envelope
	acks   [][]string // TA1 elements
	groups []*GroupWriter
}

// GroupWriter is one functional group being written.
type GroupWriter struct {
	ic                                      *InterchangeWriter
	functionalID, sender, receiver, control string
	version                                 string
	sets                                    []*TransactionWriter
}

// TransactionWriter is one transaction set being written.
type TransactionWriter struct {
	g             *GroupWriter
	code, control string
	body          []byte
	count         int // segments in body
}

// Interchange starts an interchange.
func (w *Writer) Interchange(env Envelope) *InterchangeWriter {
	ic := &InterchangeWriter{w: w, env: env}
	w.interchanges = append(w.interchanges, ic)
	w.fail(ic.checkEnvelope())
	return ic
}

func (w *Writer) fail(err error) {
	if err != nil && w.err == nil {
		w.err = err
	}
}

func (ic *InterchangeWriter) checkEnvelope() error {
	e := ic.env
	where := "x12 writer: interchange " + e.Control
	fixed := []struct {
		ref, v   string
		min, max int
	}{
		{"ISA05", e.SenderQualifier, 2, 2}, {"ISA06", e.SenderID, 1, 15},
		{"ISA07", e.ReceiverQualifier, 2, 2}, {"ISA08", e.ReceiverID, 1, 15},
		{"ISA12", e.Version, 5, 5}, {"ISA13", e.Control, 1, 9},
	}
	for _, f := range fixed {
		if len(f.v) < f.min || len(f.v) > f.max {
			return fmt.Errorf("%s: %s %q must be %d to %d characters", where, f.ref, f.v, f.min, f.max)
		}
		if err := ic.w.checkValue(f.v); err != "" {
			return fmt.Errorf("%s: %s %q %s", where, f.ref, f.v, err)
		}
	}
	if !isDigits(e.Control) {
		return fmt.Errorf("%s: ISA13 %q must be digits", where, e.Control)
	}
	if !isDigits(e.Version) {
		return fmt.Errorf("%s: ISA12 %q must be a version number such as 00401", where, e.Version)
	}
	if e.Usage != "P" && e.Usage != "T" {
		return fmt.Errorf("%s: ISA15 usage %q must be P or T", where, e.Usage)
	}
	if e.Date.IsZero() {
		return fmt.Errorf("%s: the envelope has no date", where)
	}
	return nil
}

// checkValue says what is wrong with an element value, or "".
func (w *Writer) checkValue(v string) string {
	for i := 0; i < len(v); i++ {
		switch v[i] {
		case w.d.Element:
			return "contains the element separator " + describe(w.d.Element)
		case w.d.Component:
			return "contains the component separator " + describe(w.d.Component)
		case w.d.Segment:
			return "contains the segment terminator " + describe(w.d.Segment)
		case w.d.Repetition:
			if w.d.Repetition != 0 {
				return "contains the repetition separator " + describe(w.d.Repetition)
			}
		}
	}
	return ""
}

// InterchangeAck adds a TA1 segment (written between the ISA and the first GS) with these elements.
func (ic *InterchangeWriter) InterchangeAck(elements ...string) {
	for i, v := range elements {
		if err := ic.w.checkValue(v); err != "" {
			ic.w.fail(fmt.Errorf("x12 writer: interchange %s TA1 element %02d: %q %s", ic.env.Control, i+1, v, err))
			return
		}
	}
	ic.acks = append(ic.acks, append([]string(nil), elements...))
}

// Group starts a functional group: GS01 functional ID, GS02 sender, GS03 receiver, GS06 control number
// (up to 9 digits), GS08 version (e.g. "004010"). GS04 and GS05 are the envelope's date and time.
func (ic *InterchangeWriter) Group(functionalID, sender, receiver, control, version string) *GroupWriter {
	g := &GroupWriter{ic: ic, functionalID: functionalID, sender: sender, receiver: receiver, control: control, version: version}
	ic.groups = append(ic.groups, g)
	where := fmt.Sprintf("x12 writer: interchange %s group %s", ic.env.Control, control)
	switch {
	case len(functionalID) != 2:
		ic.w.fail(fmt.Errorf("%s: GS01 %q must be 2 characters", where, functionalID))
	case sender == "" || receiver == "" || version == "":
		ic.w.fail(fmt.Errorf("%s: GS02 sender, GS03 receiver and GS08 version are required", where))
	case !isDigits(control) || len(control) > 9:
		ic.w.fail(fmt.Errorf("%s: GS06 %q must be 1 to 9 digits", where, control))
	}
	for _, v := range []string{functionalID, sender, receiver, version} {
		if err := ic.w.checkValue(v); err != "" {
			ic.w.fail(fmt.Errorf("%s: GS value %q %s", where, v, err))
		}
	}
	return g
}

// Transaction starts a transaction set: ST01 code (3 digits), ST02 control number (4 to 9 characters).
func (g *GroupWriter) Transaction(code, control string) *TransactionWriter {
	t := &TransactionWriter{g: g, code: code, control: control}
	g.sets = append(g.sets, t)
	switch {
	case len(code) != 3 || !isDigits(code):
		g.ic.w.fail(fmt.Errorf("%s: ST01 %q must be 3 digits", t.where(), code))
	case len(control) < 4 || len(control) > 9:
		g.ic.w.fail(fmt.Errorf("%s: ST02 %q must be 4 to 9 characters", t.where(), control))
	default:
		if err := g.ic.w.checkValue(control); err != "" {
			g.ic.w.fail(fmt.Errorf("%s: ST02 %q %s", t.where(), control, err))
		}
	}
	return t
}

func (t *TransactionWriter) where() string {
	return fmt.Sprintf("x12 writer: interchange %s group %s set %s %s", t.g.ic.env.Control, t.g.control, t.code, t.control)
}

// Segment appends a segment to the set's body (the Writer writes ST and SE). Trailing empty elements
// are left out. A composite element is its components joined with Writer's component separator (see
// Composite).
func (t *TransactionWriter) Segment(id string, elements ...string) {
	w := t.g.ic.w
	pos := t.count + 2 // ST is 1
	switch id {
	case "ISA", "IEA", "GS", "GE", "ST", "SE":
		w.fail(fmt.Errorf("%s segment %d: %s is an envelope segment; the Writer writes it", t.where(), pos, id))
		return
	}
	if !validID(id) {
		w.fail(fmt.Errorf("%s segment %d: %q is not a segment ID", t.where(), pos, id))
		return
	}
	for i, v := range elements {
		if err := w.checkComposite(v); err != "" {
			w.fail(fmt.Errorf("%s segment %d (%s) element %02d: %q %s", t.where(), pos, id, i+1, v, err))
			return
		}
	}
	t.body = w.appendSegment(t.body, id, elements)
	t.count++
}

// Composite joins components into one element value with the writer's component separator.
func (w *Writer) Composite(components ...string) string {
	for len(components) > 0 && components[len(components)-1] == "" {
		components = components[:len(components)-1]
	}
	return strings.Join(components, string([]byte{w.d.Component}))
}

// checkComposite is checkValue for a value that may hold component separators.
func (w *Writer) checkComposite(v string) string {
	if strings.IndexByte(v, w.d.Component) < 0 {
		return w.checkValue(v)
	}
	for _, c := range strings.Split(v, string([]byte{w.d.Component})) {
		if err := w.checkValue(c); err != "" {
			return err
		}
	}
	return ""
}

func (w *Writer) appendSegment(b []byte, id string, elements []string) []byte {
	n := len(elements)
	for n > 0 && elements[n-1] == "" {
		n--
	}
	b = append(b, id...)
	for _, v := range elements[:n] {
		b = append(b, w.d.Element)
		b = append(b, v...)
	}
	return append(b, w.d.Segment)
}

// Bytes renders everything written so far, or returns the first problem.
func (w *Writer) Bytes() ([]byte, error) {
	if w.err != nil {
		return nil, w.err
	}
	size := 0
	for _, ic := range w.interchanges {
		size += 128
		for _, g := range ic.groups {
			size += 128
			for _, t := range g.sets {
				size += len(t.body) + 64
			}
		}
	}
	b := make([]byte, 0, size)
	for _, ic := range w.interchanges {
		b = ic.appendTo(b)
	}
	return b, nil
}

func (ic *InterchangeWriter) appendTo(b []byte) []byte {
	w, e := ic.w, ic.env
	rep := byte('U')
	if w.d.Repetition != 0 {
		rep = w.d.Repetition
	}
	ack := "0"
	if e.AckRequested {
		ack = "1"
	}
	b = w.appendSegment(b, "ISA", []string{
		"00", pad("", 10), "00", pad("", 10),
		e.SenderQualifier, pad(e.SenderID, 15), e.ReceiverQualifier, pad(e.ReceiverID, 15),
		e.Date.Format("060102"), e.Date.Format("1504"), string([]byte{rep}), e.Version,
		zeroPad(e.Control, 9), ack, e.Usage, string([]byte{w.d.Component}),
	})
	for _, a := range ic.acks {
		b = w.appendSegment(b, "TA1", a)
	}
	for _, g := range ic.groups {
		b = w.appendSegment(b, "GS", []string{
			g.functionalID, g.sender, g.receiver, e.Date.Format("20060102"), e.Date.Format("1504"), g.control, "X", g.version,
		})
		for _, t := range g.sets {
			b = w.appendSegment(b, "ST", []string{t.code, t.control})
			b = append(b, t.body...)
			b = w.appendSegment(b, "SE", []string{strconv.Itoa(t.count + 2), t.control})
		}
		b = w.appendSegment(b, "GE", []string{strconv.Itoa(len(g.sets)), g.control})
	}
	return w.appendSegment(b, "IEA", []string{strconv.Itoa(len(ic.groups)), zeroPad(e.Control, 9)})
}

func pad(s string, n int) string {
	if len(s) >= n {
		return s
	}
	return s + strings.Repeat(" ", n-len(s))
}

func zeroPad(s string, n int) string {
	if len(s) >= n {
		return s
	}
	return strings.Repeat("0", n-len(s)) + s
}
