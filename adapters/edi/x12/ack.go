package x12

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"time"
)

// AckStatus is an AK501/AK901 (or IK501) acknowledgment code.
type AckStatus string

// Acknowledgment codes of AK501 and AK901.
const (
	AckAccepted    AckStatus = "A" // accepted
	AckErrorsNoted AckStatus = "E" // accepted, but errors were noted
	AckPartial     AckStatus = "P" // partially accepted: at least one set was rejected (AK901 only)
	AckRejected    AckStatus = "R" // rejected
	AckAuthFailed  AckStatus = "M" // rejected, message authentication code failed
	AckAssurance   AckStatus = "W" // rejected, assurance failed validity tests
	AckDecryption  AckStatus = "X" // rejected, content after decryption could not be analyzed
)

// Known reports whether s is one of the codes above.
func (s AckStatus) Known() bool {
	switch s {
	case AckAccepted, AckErrorsNoted, AckPartial, AckRejected, AckAuthFailed, AckAssurance, AckDecryption:
		return true
	}
	return false
}

// Accepted reports whether the status accepts the set or group (A or E; P for a group that is
// partially accepted counts as not accepted).
func (s AckStatus) Accepted() bool { return s == AckAccepted || s == AckErrorsNoted }

// Ack is what one 997 (or 999) says about one functional group. Review makes it for an inbound group,
// ReadAck reads it from an inbound 997.
type Ack struct {
	FunctionalID string   // AK101: the acknowledged group's GS01
	GroupControl string   // AK102: its GS06
	Version      string   // AK103 (5010 and later), "" when absent
	Sets         []SetAck // one per AK2
	Status       AckStatus
	Included     int      // AK902: number of transaction sets the group said it had (GE01)
	Received     int      // AK903: number received
	Accepted     int      // AK904: number accepted
	Errors       []string // AK905..AK909 functional group syntax error codes
}

// SetAck is what an acknowledgment says about one transaction set (AK2…AK5).
type SetAck struct {
	Code, Control string        // AK201 (ST01), AK202 (ST02)
	Status        AckStatus     // AK501
	Errors        []string      // AK502..AK506 transaction set syntax error codes
	Segments      []SegmentNote // AK3, each with its AK4
}

// SegmentNote is one AK3 (IK3) with its AK4s (IK4).
type SegmentNote struct {
	ID       string // AK301 segment ID
	Position int    // AK302 position in the set, ST = 1
	Loop     string // AK303 loop identifier, "" when absent
	Code     string // AK304 segment syntax error code ("" when absent)
	Elements []ElementNote
}

// ElementNote is one AK4 (IK4).
type ElementNote struct {
	Position  int    // AK401-1 element position
	Component int    // AK401-2 component position, 0 when absent
	Reference string // AK402 data element reference number, "" when absent
	Code      string // AK403 data element syntax error code
	Value     string // AK404 copy of the bad value, "" when absent
}

// TxKey names a transaction set of an interchange: its group's GS06 and its ST02.
type TxKey struct{ Group, Set string }

// maxValue bounds the AK404 copy of a bad value (its maximum length in 4010).
const maxValue = 99

// Review decides what a 997 says about each group of an interchange, from the envelope errors Parse
// recorded and the problems the mapper found (by set; an *Error's Segment is its number in the file).
//
//   - A set is R (rejected) when it has an error that is not a Warning, E when it has only warnings, A
//     otherwise. AK502 carries its KindTransaction codes, plus 5 when segments are in error (at most 5).
//   - Each KindSegment error becomes an AK3 with its code; KindElement errors become AK4s (AK401 position,
//     AK403 code, AK404 a copy of the value, up to 99 bytes, left out when it holds a delimiter) under an
//     AK3 with code 8. An error whose segment is not in the set still rejects it, without an AK3.
//   - AK103 is the group's GS08 when the interchange is 5010 or later (ISA12 00501 on).
//   - The group is R when it has a KindGroup error (AK905 codes) or no set was accepted, P when some
//     were rejected, E when errors were noted, A otherwise. Included is GE01 (the count received when
//     GE01 is missing or not a number).
//
// A problem given with a KindGroup code is added to its group's codes. A set without ST01 or ST02 has no
// AK2 (nothing could name it): it counts as received and not accepted.
func Review(ic *Interchange, problems map[TxKey][]*Error) []Ack {
	acks := make([]Ack, 0, len(ic.Groups))
	for gi := range ic.Groups {
		g := &ic.Groups[gi]
		a := Ack{FunctionalID: g.FunctionalID, GroupControl: g.Control, Received: len(g.Transactions)}
		if ic.Version >= "00501" {
			a.Version = g.Version // AK103 exists from 5010 on
		}
		rejected, noted := false, false
		for _, e := range g.Errors {
			noted = true
			if e.CodeList() == KindGroup {
				a.Errors = appendCode(a.Errors, e.Code)
				rejected = rejected || !e.Warning
			}
		}
		for ti := range g.Transactions {
			t := &g.Transactions[ti]
			errs := t.Errors
			if extra := problems[TxKey{Group: g.Control, Set: t.Control}]; len(extra) > 0 {
				errs = append(slices.Clip(errs), extra...)
			}
			s := reviewSet(t, errs, ic.Delimiters)
			if t.Code == "" || t.Control == "" {
				continue // an AK2 cannot name it: received, not accepted
			}
			for _, e := range errs {
				if e.CodeList() == KindGroup {
					a.Errors = appendCode(a.Errors, e.Code)
					rejected = rejected || !e.Warning
				}
			}
			if s.Status.Accepted() {
				a.Accepted++
			}
			noted = noted || s.Status != AckAccepted
			a.Sets = append(a.Sets, s)
		}
		a.Included = a.Received
		if n, err := strconv.Atoi(g.Trailer.Element(1)); err == nil && n >= 0 && g.Trailer.ID == "GE" {
			a.Included = n
		}
		switch {
		case rejected || (a.Accepted == 0 && a.Received > 0):
			a.Status, a.Accepted = AckRejected, 0
		case a.Accepted < a.Received:
			a.Status = AckPartial
		case noted:
			a.Status = AckErrorsNoted
		default:
			a.Status = AckAccepted
		}
		if len(a.Errors) > 5 {
			a.Errors = a.Errors[:5]
		}
		acks = append(acks, a)
	}
	return acks
}

func appendCode(codes []string, code string) []string {
	if code == "" || slices.Contains(codes, code) {
		return codes
	}
	return append(codes, code)
}

func reviewSet(t *Transaction, errs []*Error, d Delimiters) SetAck {
	s := SetAck{Code: t.Code, Control: t.Control, Status: AckAccepted}
	segmentErrors := false
	for _, e := range errs {
		if e.Warning {
			if s.Status == AckAccepted {
				s.Status = AckErrorsNoted
			}
		} else {
			s.Status = AckRejected
		}
		switch e.CodeList() {
		case KindTransaction:
			s.Errors = appendCode(s.Errors, e.Code)
		case KindSegment, KindElement:
			pos := t.Position(e.Segment)
			if pos == 0 || !validID(t.Segments[pos-1].ID) {
				continue
			}
			segmentErrors = true
			s.Segments = noteSegment(s.Segments, t.Segments[pos-1], pos, e, d)
		}
	}
	slices.SortStableFunc(s.Segments, func(a, b SegmentNote) int { return cmp.Compare(a.Position, b.Position) })
	if segmentErrors {
		s.Errors = appendCode(s.Errors, SetSegmentsInError)
	}
	if len(s.Errors) > 5 {
		s.Errors = s.Errors[:5]
	}
	return s
}

// noteSegment adds e to the AK3 of its segment.
func noteSegment(notes []SegmentNote, seg Segment, pos int, e *Error, d Delimiters) []SegmentNote {
	if e.CodeList() == KindSegment {
		for i := range notes {
			if notes[i].Position == pos && notes[i].Code == SegElementErrors && len(notes[i].Elements) == 0 {
				notes[i].Code = e.Code
				return notes
			}
		}
		return append(notes, SegmentNote{ID: seg.ID, Position: pos, Code: e.Code})
	}
	el := ElementNote{Position: e.Element, Component: e.Component, Code: e.Code}
	if e.Component > 0 {
		el.Value = seg.Component(e.Element, e.Component)
	} else {
		el.Value = seg.Element(e.Element)
	}
	if len(el.Value) > maxValue || containsAny(el.Value, d) {
		el.Value = ""
	}
	for i := range notes {
		if notes[i].Position == pos && notes[i].Code == SegElementErrors {
			notes[i].Elements = append(notes[i].Elements, el)
			return notes
		}
	}
	return append(notes, SegmentNote{ID: seg.ID, Position: pos, Code: SegElementErrors, Elements: []ElementNote{el}})
}

func containsAny(v string, d Delimiters) bool {
	for i := 0; i < len(v); i++ {
		if c := v[i]; c == d.Element || c == d.Component || c == d.Segment || (d.Repetition != 0 && c == d.Repetition) || c < 0x20 {
			return true
		}
	}
	return false
}

// AckEnvelope is the envelope of a 997 interchange. Sender and receiver are the inbound interchange's,
// swapped.
type AckEnvelope struct {
	Control      string     // ISA13 of the 997 interchange (up to 9 digits)
	GroupControl int        // GS06 of the first FA group; each next FA group takes the next number
	Date         time.Time  // ISA09/10 and GS04/05
	Usage        string     // ISA15; "" copies the inbound interchange's
	Version      string     // ISA12; "" copies the inbound interchange's
	GroupVersion string     // GS08 of the FA groups; "" copies each acknowledged group's GS08
	Delimiters   Delimiters // zero copies the inbound interchange's (its repetition separator only from ISA12 00402 on)
	AckRequested bool       // ISA14 of the 997 interchange
}

// Acknowledge writes the 997 interchange answering ic: a TA1 when the interchange itself has errors or
// asked for one (ISA14 = 1), then one 997 per inbound group (AK1, AK2…AK5 per set, AK9), as Review
// decides with problems. Consecutive inbound groups with the same GS02, GS03 and version share one
// GS*FA group, whose GS02/GS03 are theirs swapped. Each 997's ST02 counts from 0001 in the interchange.
func Acknowledge(ic *Interchange, env AckEnvelope, problems map[TxKey][]*Error) ([]byte, error) {
	d := env.Delimiters
	if d == (Delimiters{}) {
		d = ic.Delimiters
	}
	version := cmp.Or(env.Version, ic.Version)
	if version < "00402" {
		d.Repetition = 0
	}
	w := NewWriter(d)
	out := w.Interchange(Envelope{
		SenderQualifier: ic.ReceiverQualifier, SenderID: ic.ReceiverID,
		ReceiverQualifier: ic.SenderQualifier, ReceiverID: ic.SenderID,
		Version: version, Control: env.Control, Date: env.Date,
		Usage: cmp.Or(env.Usage, ic.Usage), AckRequested: env.AckRequested,
	})
	if status, code := interchangeNote(ic); status != "" {
		out.InterchangeAck(ic.Control, ic.Date, ic.Time, status, code)
	}
	var fa *GroupWriter
	var faKey [3]string
	groupControl := env.GroupControl
	for i, a := range Review(ic, problems) {
		g := &ic.Groups[i]
		if g.FunctionalID == "" || g.Control == "" {
			return nil, fmt.Errorf("x12: cannot acknowledge the group at segment %d: GS01 %q and GS06 %q must both be present",
				g.Header.Number, g.FunctionalID, g.Control)
		}
		gv := cmp.Or(env.GroupVersion, g.Version)
		if key := [3]string{g.Sender, g.Receiver, gv}; fa == nil || key != faKey {
			fa, faKey = out.Group("FA", g.Receiver, g.Sender, strconv.Itoa(groupControl), gv), key
			groupControl++
		}
		t := fa.Transaction("997", fmt.Sprintf("%04d", i+1))
		if version < "00501" {
			a.Version = "" // no AK103 before 5010
		} else if a.Version == "" {
			a.Version = g.Version
		}
		writeAck(t, w, a)
	}
	return w.Bytes()
}

// interchangeNote is the TA104 status and TA105 code for ic, or "" when no TA1 is due.
func interchangeNote(ic *Interchange) (status, code string) {
	for _, e := range ic.Errors {
		if e.CodeList() != KindInterchange {
			continue
		}
		if !e.Warning {
			return "R", e.Code
		}
		if status == "" {
			status, code = "E", e.Code
		}
	}
	if status == "" && ic.AckRequested == "1" {
		return "A", "000"
	}
	return status, code
}

func writeAck(t *TransactionWriter, w *Writer, a Ack) {
	t.Segment("AK1", a.FunctionalID, a.GroupControl, a.Version)
	for _, s := range a.Sets {
		t.Segment("AK2", s.Code, s.Control)
		for _, n := range s.Segments {
			t.Segment("AK3", n.ID, strconv.Itoa(n.Position), n.Loop, n.Code)
			for _, el := range n.Elements {
				pos := strconv.Itoa(el.Position)
				if el.Component > 0 {
					pos = w.Composite(pos, strconv.Itoa(el.Component))
				}
				t.Segment("AK4", pos, el.Reference, el.Code, el.Value)
			}
		}
		t.Segment("AK5", append([]string{string(s.Status)}, s.Errors...)...)
	}
	t.Segment("AK9", append([]string{string(a.Status), strconv.Itoa(a.Included), strconv.Itoa(a.Received), strconv.Itoa(a.Accepted)}, a.Errors...)...)
}
