package edifact

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"time"
)

// errAt builds an Error positioned on element n, component c of seg.
func (p *parser) errAt(seg Segment, n, c int, code, reason string) *Error {
	return &Error{Segment: seg.Number, Tag: seg.Tag, Element: n, Component: c, Offset: p.offsetOf(seg, n, c),
		Code: code, Reason: reason}
}

// require reports each listed component of seg that is empty, as code 13.
func (p *parser) require(seg Segment, fields ...field) {
	for _, f := range fields {
		if seg.Component(f.n, f.c) == "" {
			p.addErr(p.errAt(seg, f.n, f.c, CodeMissing, fmt.Sprintf("%s (%s) is missing", f.name(seg.Tag), f.what)))
		}
	}
}

type field struct {
	n, c int
	what string
}

// name renders the ISO position of the field, e.g. UNB01-2 or UNT01.
func (f field) name(tag string) string {
	if f.c <= 1 && f.what != "" && !composite[tag+strconv.Itoa(f.n)] {
		return fmt.Sprintf("%s%02d", tag, f.n)
	}
	return fmt.Sprintf("%s%02d-%d", tag, f.n, f.c)
}

// composite lists the service-segment elements that are composites, so that their first component
// is named UNB01-1 rather than UNB01.
var composite = map[string]bool{"UNB1": true, "UNB2": true, "UNB3": true, "UNB4": true, "UNH2": true,
	"UNG2": true, "UNG3": true, "UNG4": true, "UNG7": true}

// readUNBElements fills the interchange from its UNB.
func (p *parser) readUNBElements(seg Segment, supported bool, versionErr error) {
	ic := p.ic
	ic.Syntax = seg.Component(1, 1)
	ic.Sender, ic.SenderQualifier = seg.Component(2, 1), seg.Component(2, 2)
	ic.Recipient, ic.RecipientQualifier = seg.Component(3, 1), seg.Component(3, 2)
	ic.Reference = seg.Element(5)
	ic.AckRequested = seg.Element(9) == "1"
	ic.TestIndicator = seg.Element(11) == "1"
	p.require(seg, field{1, 1, "syntax identifier"}, field{1, 2, "syntax version"}, field{2, 1, "interchange sender"},
		field{3, 1, "interchange recipient"}, field{4, 1, "date of preparation"}, field{4, 2, "time of preparation"},
		field{5, 1, "interchange control reference"})
	if ic.Syntax != "" && !supported {
		p.addErr(p.errAt(seg, 1, 1, CodeCharsetNotSupported,
			fmt.Sprintf("syntax identifier %q names a character repertoire this parser does not support", ic.Syntax)))
	}
	if v := seg.Component(1, 2); v != "" && ic.SyntaxVersion == 0 {
		reason := fmt.Sprintf("syntax version %q is not 1, 2, 3 or 4", v)
		if versionErr != nil {
			reason = fmt.Sprintf("syntax version %q is not a number", v)
		}
		p.addErr(p.errAt(seg, 1, 2, CodeSyntaxVersion, reason))
	}
	if date, clock := seg.Component(4, 1), seg.Component(4, 2); date != "" && clock != "" {
		t, c, err := parseDateTime(date, clock)
		if err != nil {
			p.addErr(p.errAt(seg, 4, c, CodeInvalidValue, "UNB04 "+err.Error()))
		} else {
			ic.Prepared = t
		}
	}
}

// parseDateTime reads UNB04/UNG04: YYMMDD (syntax 1 to 3) or CCYYMMDD (syntax 4), and HHMM. A
// two-digit year is 19YY from 69 to 99 and 20YY below, as Go's "06" layout reads it. On error the
// second result is the component at fault.
func parseDateTime(date, clock string) (time.Time, int, error) {
	var layout string
	switch len(date) {
	case 6:
		layout = "060102"
	case 8:
		layout = "20060102"
	default:
		return time.Time{}, 1, fmt.Errorf("date %q is neither YYMMDD nor CCYYMMDD", date)
	}
	if !digits(date) {
		return time.Time{}, 1, fmt.Errorf("date %q is not all digits", date)
	}
	if len(clock) != 4 || !digits(clock) {
		return time.Time{}, 2, fmt.Errorf("time %q is not HHMM", clock)
	}
	d, err := time.Parse(layout, date)
	if err != nil {
		return time.Time{}, 1, fmt.Errorf("date %q is not a calendar date", date)
	}
	t, err := time.Parse("1504", clock)
	if err != nil {
		return time.Time{}, 2, fmt.Errorf("time %q is not a time of day", clock)
	}
	return time.Date(d.Year(), d.Month(), d.Day(), t.Hour(), t.Minute(), 0, 0, time.UTC), 0, nil
}

func digits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

var errNotCount = errors.New("not a count")

// atoiStrict reads a control count: one to nine digits, nothing else.
func atoiStrict(s string) (int, error) {
	if !digits(s) || len(s) > 9 {
		return 0, errNotCount
	}
	return strconv.Atoi(s)
}

// checkCount compares a trailer's count (element 1) with what was received; noun names the counted
// things ("segments", "messages", "groups") and where says where they were counted.
func (p *parser) checkCount(seg Segment, got int, noun, where string) {
	said := seg.Element(1)
	switch n, err := atoiStrict(said); {
	case said == "":
		p.addErr(p.errAt(seg, 1, 0, CodeMissing, fmt.Sprintf("%s01 (number of %s) is missing; there are %d%s", seg.Tag, noun, got, where)))
	case err != nil:
		p.addErr(p.errAt(seg, 1, 0, CodeInvalidValue, fmt.Sprintf("%s01 %q is not a count of %s", seg.Tag, said, noun)))
	case n != got:
		p.addErr(p.errAt(seg, 1, 0, CodeCountMismatch, fmt.Sprintf("%s says %d %s, there are %d%s", seg.Tag, n, noun, got, where)))
	}
}

// checkReference compares a trailer's reference (element 2) with the header's.
func (p *parser) checkReference(seg Segment, header, want string) {
	got := seg.Element(2)
	switch {
	case got == "":
		p.addErr(p.errAt(seg, 2, 0, CodeMissing, fmt.Sprintf("%s02 (control reference) is missing; %s says %q", seg.Tag, header, want)))
	case got != want:
		p.addErr(p.errAt(seg, 2, 0, CodeReferencesDoNotMatch, fmt.Sprintf("%s reference %q does not match %s reference %q", seg.Tag, got, header, want)))
	}
}

func (p *parser) openGroup(seg Segment) {
	p.closeGroup(foundSeg(seg))
	if len(p.ic.Messages) > 0 {
		p.addErr(p.errAt(seg, 0, 0, CodeGroupsMessagesMixed, "UNG follows messages outside groups in the same interchange"))
	}
	p.grpBuf = Group{Header: seg, ID: seg.Element(1), Sender: seg.Component(2, 1), Recipient: seg.Component(3, 1),
		Reference: seg.Element(5)}
	p.grp = &p.grpBuf
	p.flushSegErrs()
	p.require(seg, field{1, 1, "message group identification"}, field{5, 1, "group reference number"})
}

// closeGroup ends the open group, if any, because of c.
func (p *parser) closeGroup(c cause) {
	p.closeMessage(c)
	if p.grp == nil {
		return
	}
	p.addErr(&Error{Tag: "UNE", Offset: c.at, Code: CodeMissing,
		Reason: fmt.Sprintf("group %s (UNG at segment %d) has no UNE: %s", p.grp.Reference, p.grp.Header.Number, c)})
	p.finishGroup()
}

func (p *parser) closeGroupWith(seg Segment) {
	p.closeMessage(foundSeg(seg))
	if p.grp == nil {
		p.flushSegErrs()
		p.addErr(p.errAt(seg, 0, 0, CodeOutsideMessage, "UNE without a UNG"))
		return
	}
	p.grp.Trailer = seg
	p.flushSegErrs()
	p.checkCount(seg, len(p.grp.Messages), "messages", " in group "+p.grp.Reference)
	p.checkReference(seg, "UNG", p.grp.Reference)
	p.finishGroup()
}

func (p *parser) finishGroup() {
	if len(p.grp.Messages) == 0 {
		p.addErr(p.errAt(p.grp.Header, 0, 0, CodeLowerLevelEmpty, fmt.Sprintf("group %s holds no message", p.grp.Reference)))
	}
	p.ic.Groups = append(p.ic.Groups, *p.grp)
	p.grp = nil
}

func (p *parser) openMessage(seg Segment) {
	p.closeMessage(foundSeg(seg))
	if p.grp == nil && len(p.ic.Groups) > 0 {
		p.addErr(p.errAt(seg, 0, 0, CodeGroupsMessagesMixed, "UNH outside a group in an interchange that uses groups"))
	}
	p.msgBuf = Message{Reference: seg.Element(1), Type: seg.Component(2, 1), Version: seg.Component(2, 2),
		Release: seg.Component(2, 3), Agency: seg.Component(2, 4), Association: seg.Component(2, 5)}
	p.msg = &p.msgBuf
	p.msgStart = len(p.segs)
	p.segs = append(p.segs, seg)
	p.flushSegErrs()
	p.require(seg, field{1, 1, "message reference number"}, field{2, 1, "message type"},
		field{2, 2, "message version number"}, field{2, 3, "message release number"}, field{2, 4, "controlling agency"})
}

// closeMessage ends the open message, if any, because of c.
func (p *parser) closeMessage(c cause) {
	if p.msg == nil {
		return
	}
	p.addErr(&Error{Tag: "UNT", Offset: c.at, Code: CodeMissing,
		Reason: fmt.Sprintf("message %s (UNH at segment %d) has no UNT: %s", p.msg.Reference, p.segs[p.msgStart].Number, c)})
	p.finishMessage()
}

func (p *parser) closeMessageWith(seg Segment) {
	if p.msg == nil {
		p.flushSegErrs()
		p.addErr(p.errAt(seg, 0, 0, CodeOutsideMessage, "UNT without a UNH"))
		return
	}
	p.segs = append(p.segs, seg)
	p.flushSegErrs()
	p.checkCount(seg, len(p.segs)-p.msgStart, "segments", " from UNH to UNT")
	p.checkReference(seg, "UNH", p.msg.Reference)
	p.finishMessage()
}

func (p *parser) finishMessage() {
	n := len(p.segs)
	p.msg.Segments = p.segs[p.msgStart:n:n]
	if p.grp != nil {
		p.grp.Messages = append(p.grp.Messages, *p.msg)
	} else {
		p.ic.Messages = append(p.ic.Messages, *p.msg)
	}
	p.msg = nil
}

func (p *parser) closeInterchangeWith(seg Segment) {
	p.closeGroup(foundSeg(seg))
	p.ic.Trailer = seg
	p.flushSegErrs()
	if len(p.ic.Groups) > 0 {
		p.checkCount(seg, len(p.ic.Groups), "groups", "")
	} else {
		p.checkCount(seg, len(p.ic.Messages), "messages", "")
	}
	p.checkReference(seg, "UNB", p.ic.Reference)
	p.closeInterchange(cause{at: p.pos})
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
