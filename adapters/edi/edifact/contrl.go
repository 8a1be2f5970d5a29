package edifact

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"time"
)

// CONTRL action codes (ISO 9735 list 0083).
const (
	ActionRejected     = "4" // this level and all lower levels rejected
	ActionAcknowledged = "7" // this level acknowledged; lower levels acknowledged unless explicitly rejected
	ActionReceived     = "8" // interchange received
)

// ErrControlForControl is returned by Control for an interchange carrying only CONTRL messages: a
// CONTRL is never answered with a CONTRL.
var ErrControlForControl = errors.New("edifact: a CONTRL is never answered with a CONTRL")

// ControlOptions says how Control writes its interchange.
type ControlOptions struct {
	Reference        string      // UNB05 of the CONTRL interchange, required (unique per sender like any)
	MessageReference string      // UNH01 of the CONTRL message; default "1"
	Prepared         time.Time   // UNB04; default time.Now()
	Delimiters       *Delimiters // default: the inbound interchange's, or the defaults if those are unusable
	LineBreaks       bool        // see Writer.LineBreaks
}

// maxUCS and maxUCD are the CONTRL segment repetition limits (UCS per message, UCD per UCS).
const (
	maxUCS = 999
	maxUCD = 99
)

// Control builds the CONTRL interchange answering ic. The CONTRL goes from ic's recipient to ic's
// sender, in ic's syntax identifier and version (CONTRL:4:1:UN in syntax 4, CONTRL:D:3:UN otherwise)
// and, unless opts says otherwise, with ic's delimiters; it echoes ic's test indicator.
//
// problems adds errors found after parsing (by a message mapper), keyed by message reference (UNH01);
// an error whose Segment lies within one of the messages carrying that reference goes to that one,
// otherwise to the first. A reference that is in no message of ic is an error. Parse's own errors
// are taken from ic.
//
// The answer:
//   - UCI: ic's reference, sender and recipient; action 4 with the first interchange-level error's
//     code, service segment tag (UNA, UNB or UNZ) and element:component, or 7 when there is none.
//     Interchange-level errors are ic.Errors that are not also on one of its messages.
//   - UCF per group (reference, application sender and recipient, action, first group error).
//   - UCM per message (reference, type:version:release:agency[:association], action 4 or 7). An
//     error on UNH or UNT, or without a segment (a missing UNT), goes into UCM itself; any other
//     becomes a UCS with the segment's position in the message (UNH = 1) and, when it names an
//     element, a UCD with code and element:component under it. Everything under a rejected
//     interchange or group is rejected.
//
// Messages of type CONTRL are not answered; an interchange of nothing but CONTRL gives
// ErrControlForControl.
func Control(ic *Interchange, problems map[string][]*Error, opts ControlOptions) ([]byte, error) {
	if opts.Reference == "" {
		return nil, errors.New("edifact: control: ControlOptions.Reference is required")
	}
	type entry struct {
		msg   *Message
		group int // index in ic.Groups, -1 outside groups
		errs  []*Error
	}
	var entries []*entry
	contrl := 0
	for gi := range ic.Groups {
		for mi := range ic.Groups[gi].Messages {
			entries = append(entries, &entry{msg: &ic.Groups[gi].Messages[mi], group: gi})
		}
	}
	for mi := range ic.Messages {
		entries = append(entries, &entry{msg: &ic.Messages[mi], group: -1})
	}
	for _, en := range entries {
		en.errs = slices.Clone(en.msg.Errors)
		if en.msg.Type == "CONTRL" {
			contrl++
		}
	}
	if contrl > 0 && contrl == len(entries) {
		return nil, ErrControlForControl
	}
	refs := make([]string, 0, len(problems))
	for ref := range problems {
		refs = append(refs, ref)
	}
	slices.Sort(refs)
	for _, ref := range refs {
		var candidates []*entry
		for _, en := range entries {
			if en.msg.Reference == ref {
				candidates = append(candidates, en)
			}
		}
		if len(candidates) == 0 && len(problems[ref]) > 0 {
			return nil, fmt.Errorf("edifact: control: problems for message %q, which is not in interchange %s", ref, ic.Reference)
		}
		for _, e := range problems[ref] {
			if e == nil {
				continue
			}
			target := candidates[0]
			for _, c := range candidates {
				if contains(c.msg, e.Segment) {
					target = c
					break
				}
			}
			if !slices.Contains(target.errs, e) {
				target.errs = append(target.errs, e)
			}
		}
	}
	onMessage := map[*Error]bool{}
	for _, en := range entries {
		for _, e := range en.msg.Errors {
			onMessage[e] = true
		}
	}
	var icErrs []*Error
	for _, e := range ic.Errors {
		if e != nil && !onMessage[e] {
			icErrs = append(icErrs, e)
		}
	}

	syntax, version := ic.Syntax, ic.SyntaxVersion
	if _, ok := lookupCharset(syntax); !ok {
		syntax = "UNOC"
	}
	if version < 1 || version > 4 {
		version = 3
	}
	d := ic.Delimiters
	if opts.Delimiters != nil {
		d = *opts.Delimiters
	} else if d == (Delimiters{}) || len(d.check()) > 0 {
		d = DefaultDelimiters
	}
	prepared := opts.Prepared
	if prepared.IsZero() {
		prepared = time.Now()
	}
	msgRef := opts.MessageReference
	if msgRef == "" {
		msgRef = "1"
	}
	w := NewWriter(d)
	w.LineBreaks = opts.LineBreaks
	iw := w.Interchange(InterchangeHeader{Syntax: syntax, SyntaxVersion: version,
		Sender: ic.Recipient, SenderQualifier: ic.RecipientQualifier,
		Recipient: ic.Sender, RecipientQualifier: ic.SenderQualifier,
		Prepared: prepared, Reference: opts.Reference, TestIndicator: ic.TestIndicator})
	cv, cr := "D", "3"
	if version == 4 {
		cv, cr = "4", "1"
	}
	m := iw.Message(msgRef, "CONTRL", cv, cr, "UN", "")

	icAction := ActionAcknowledged
	if len(icErrs) > 0 {
		icAction = ActionRejected
	}
	m.Segment("UCI", append([][]string{E(ic.Reference), E(ic.Sender, ic.SenderQualifier),
		E(ic.Recipient, ic.RecipientQualifier), E(icAction)}, problemElements(first(icErrs), "UNA", "UNB", "UNZ")...)...)

	answer := func(en *entry, parentRejected bool) {
		if en.msg.Type == "CONTRL" {
			return
		}
		var header []*Error
		bySeg := map[int][]*Error{}
		var positions []int
		for _, e := range en.errs {
			pos := position(en.msg, e)
			if pos == 0 {
				header = append(header, e)
				continue
			}
			if _, seen := bySeg[pos]; !seen {
				positions = append(positions, pos)
			}
			bySeg[pos] = append(bySeg[pos], e)
		}
		action := ActionAcknowledged
		if parentRejected || len(en.errs) > 0 {
			action = ActionRejected
		}
		mm := en.msg
		m.Segment("UCM", append([][]string{E(mm.Reference), E(mm.Type, mm.Version, mm.Release, mm.Agency, mm.Association),
			E(action)}, problemElements(first(header), "UNH", "UNT")...)...)
		slices.Sort(positions)
		if len(positions) > maxUCS {
			positions = positions[:maxUCS]
		}
		for _, pos := range positions {
			code := ""
			var elementErrs []*Error
			for _, e := range bySeg[pos] {
				if e.Element > 0 {
					elementErrs = append(elementErrs, e)
				} else if code == "" {
					code = e.Code
				}
			}
			m.Segment("UCS", E(strconv.Itoa(pos)), E(code))
			if len(elementErrs) > maxUCD {
				elementErrs = elementErrs[:maxUCD]
			}
			for _, e := range elementErrs {
				m.Segment("UCD", E(e.Code), E(strconv.Itoa(e.Element), componentOf(e)))
			}
		}
	}
	for _, en := range entries {
		if en.group < 0 {
			answer(en, icAction == ActionRejected)
		}
	}
	for gi := range ic.Groups {
		g := &ic.Groups[gi]
		action := ActionAcknowledged
		if icAction == ActionRejected || len(g.Errors) > 0 {
			action = ActionRejected
		}
		m.Segment("UCF", append([][]string{E(g.Reference), E(g.Header.Component(2, 1), g.Header.Component(2, 2)),
			E(g.Header.Component(3, 1), g.Header.Component(3, 2)), E(action)}, problemElements(first(g.Errors), "UNG", "UNE")...)...)
		for _, en := range entries {
			if en.group == gi {
				answer(en, action == ActionRejected)
			}
		}
	}
	out, err := w.Bytes()
	if err != nil {
		return nil, fmt.Errorf("edifact: control for interchange %s: %w", ic.Reference, err)
	}
	return out, nil
}

func first(errs []*Error) *Error {
	if len(errs) == 0 {
		return nil
	}
	return errs[0]
}

// problemElements renders the error code, service segment tag (only when it is one of tags) and
// S011 element:component that close UCI, UCF and UCM; none when e is nil.
func problemElements(e *Error, tags ...string) [][]string {
	if e == nil {
		return nil
	}
	tag := ""
	if slices.Contains(tags, e.Tag) {
		tag = e.Tag
	}
	var s011 []string
	if e.Element > 0 {
		s011 = E(strconv.Itoa(e.Element), componentOf(e))
	}
	return [][]string{E(e.Code), E(tag), s011}
}

func componentOf(e *Error) string {
	if e.Component > 0 {
		return strconv.Itoa(e.Component)
	}
	return ""
}

// contains reports whether segment number n lies within m.
func contains(m *Message, n int) bool {
	return n > 0 && len(m.Segments) > 0 && n >= m.Segments[0].Number && n <= m.Segments[len(m.Segments)-1].Number
}

// position returns the 1-based position in m of the segment e is about (UNH = 1), or 0 when e
// belongs in UCM: no segment, UNH, UNT, or outside the message.
func position(m *Message, e *Error) int {
	if !contains(m, e.Segment) || e.Tag == "UNH" || e.Tag == "UNT" {
		return 0
	}
	return e.Segment - m.Segments[0].Number + 1
}
