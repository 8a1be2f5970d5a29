package x12

import (
	"fmt"
	"strconv"
)

// ReadAck reads an inbound 997 functional acknowledgment (or the AK1/AK2/IK3/IK4/IK5/AK9 of a 999) into
// an Ack: which group (AK1) it answers, each set's control number, status and codes (AK2…AK5), the AK3
// and AK4 notes, and the group's status and counts (AK9). It returns an *Error naming the segment when
// the set is not a 997 or 999 or its acknowledgment segments are missing, out of order or malformed.
// Codes are returned as sent; only the status codes are checked.
func ReadAck(t Transaction) (Ack, error) {
	var a Ack
	if t.Code != "997" && t.Code != "999" {
		return a, &Error{Kind: KindTransaction, Code: SetNotSupported, SegmentID: "ST", Element: 1,
			Segment: first(t.Segments).Number, Offset: first(t.Segments).Offset,
			Reason: fmt.Sprintf("transaction set %s %s is not a 997 or 999 acknowledgment", t.Code, t.Control)}
	}
	seg3, seg4, seg5 := "AK3", "AK4", "AK5"
	if t.Code == "999" {
		seg3, seg4, seg5 = "IK3", "IK4", "IK5"
	}
	var set *SetAck
	seenAK1, seenAK9 := false, false
	for i := range t.Segments {
		s := &t.Segments[i]
		if seenAK9 && s.ID != "SE" {
			return a, segErr(s, KindSegment, SegOutOfSequence, fmt.Sprintf("%s after AK9", s.ID))
		}
		switch s.ID {
		case "AK1":
			if seenAK1 {
				return a, segErr(s, KindSegment, SegOverMaxUse, "a second AK1: a 997 acknowledges one functional group")
			}
			seenAK1 = true
			a.FunctionalID, a.GroupControl, a.Version = s.Element(1), s.Element(2), s.Element(3)
			if a.FunctionalID == "" || a.GroupControl == "" {
				return a, elemErr(s, 2, KindElement, ElemMandatory, "AK1 needs the group's functional ID (AK101) and control number (AK102)")
			}
		case "AK2":
			if !seenAK1 {
				return a, segErr(s, KindSegment, SegOutOfSequence, "AK2 before AK1")
			}
			if set != nil {
				return a, segErr(s, KindSegment, SegMandatory, fmt.Sprintf("AK2 for set %s %s has no %s before this AK2", set.Code, set.Control, seg5))
			}
			if s.Element(1) == "" || s.Element(2) == "" {
				return a, elemErr(s, 2, KindElement, ElemMandatory, "AK2 needs the set's identifier (AK201) and control number (AK202)")
			}
			a.Sets = append(a.Sets, SetAck{Code: s.Element(1), Control: s.Element(2)})
			set = &a.Sets[len(a.Sets)-1]
		case seg3:
			if set == nil {
				return a, segErr(s, KindSegment, SegOutOfSequence, seg3+" outside an AK2 loop")
			}
			pos, err := strconv.Atoi(s.Element(2))
			if err != nil || pos < 1 {
				return a, elemErr(s, 2, KindElement, ElemInvalidChar, fmt.Sprintf("%s02 %q is not a segment position", seg3, s.Element(2)))
			}
			set.Segments = append(set.Segments, SegmentNote{ID: s.Element(1), Position: pos, Loop: s.Element(3), Code: s.Element(4)})
		case seg4:
			if set == nil || len(set.Segments) == 0 {
				return a, segErr(s, KindSegment, SegOutOfSequence, seg4+" without an "+seg3)
			}
			el, err := readElementNote(s)
			if err != nil {
				return a, err
			}
			n := &set.Segments[len(set.Segments)-1]
			n.Elements = append(n.Elements, el)
		case seg5:
			if set == nil {
				return a, segErr(s, KindSegment, SegOutOfSequence, seg5+" without an AK2")
			}
			set.Status = AckStatus(s.Element(1))
			if !set.Status.Known() || set.Status == AckPartial {
				return a, elemErr(s, 1, KindElement, ElemInvalidCode, fmt.Sprintf("%s01 %q is not an acknowledgment code (A, E, R, M, W, X)", seg5, s.Element(1)))
			}
			set.Errors = nonEmpty(s.Elements[1:])
			set = nil
		case "AK9":
			if set != nil {
				return a, segErr(s, KindSegment, SegMandatory, fmt.Sprintf("AK2 for set %s %s has no %s before AK9", set.Code, set.Control, seg5))
			}
			if !seenAK1 {
				return a, segErr(s, KindSegment, SegOutOfSequence, "AK9 before AK1")
			}
			seenAK9 = true
			a.Status = AckStatus(s.Element(1))
			if !a.Status.Known() {
				return a, elemErr(s, 1, KindElement, ElemInvalidCode, fmt.Sprintf("AK901 %q is not an acknowledgment code (A, E, P, R, M, W, X)", s.Element(1)))
			}
			for i, dst := range []*int{&a.Included, &a.Received, &a.Accepted} {
				n, err := strconv.Atoi(s.Element(i + 2))
				if err != nil || n < 0 {
					return a, elemErr(s, i+2, KindElement, ElemInvalidChar, fmt.Sprintf("AK9%02d %q is not a count", i+2, s.Element(i+2)))
				}
				*dst = n
			}
			if len(s.Elements) > 4 {
				a.Errors = nonEmpty(s.Elements[4:])
			}
		}
	}
	if !seenAK1 || !seenAK9 {
		last := first(t.Segments)
		if len(t.Segments) > 0 {
			last = t.Segments[len(t.Segments)-1]
		}
		missing := "AK1"
		if seenAK1 {
			missing = "AK9"
		}
		return a, segErr(&last, KindSegment, SegMandatory, fmt.Sprintf("acknowledgment %s has no %s", t.Control, missing))
	}
	return a, nil
}

// readElementNote reads an AK4: AK401 is a composite of element and component position.
func readElementNote(s *Segment) (ElementNote, error) {
	el := ElementNote{Reference: s.Element(2), Code: s.Element(3), Value: s.Element(4)}
	pos, err := strconv.Atoi(s.Component(1, 1))
	if err != nil || pos < 1 {
		return el, elemErr(s, 1, KindElement, ElemInvalidChar, fmt.Sprintf("%s01 %q is not an element position", s.ID, s.Element(1)))
	}
	el.Position = pos
	if c := s.Component(1, 2); c != "" {
		if el.Component, err = strconv.Atoi(c); err != nil || el.Component < 1 {
			return el, &Error{Segment: s.Number, SegmentID: s.ID, Offset: s.Offset, Element: 1, Component: 2,
				Kind: KindElement, Code: ElemInvalidChar, Reason: fmt.Sprintf("%s01-2 %q is not a component position", s.ID, c)}
		}
	}
	return el, nil
}

func nonEmpty(vs []string) []string {
	var out []string
	for _, v := range vs {
		if v != "" {
			out = append(out, v)
		}
	}
	return out
}

func first(segs []Segment) Segment {
	if len(segs) == 0 {
		return Segment{}
	}
	return segs[0]
}
