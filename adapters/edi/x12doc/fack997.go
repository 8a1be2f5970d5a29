package x12doc

import (
	"errors"
	"strconv"
	"strings"

	"github.com/crossdock-hub/crossdock/adapters/edi/x12"
	"github.com/crossdock-hub/crossdock/domain"
	"github.com/crossdock-hub/crossdock/domain/order"
)

// Functional acknowledgment statuses of order.FunctionalAck.
const (
	ackAccepted           = "accepted"
	ackAcceptedWithErrors = "accepted_with_errors"
	ackPartiallyAccepted  = "partially_accepted"
	ackRejected           = "rejected"
)

func ackStatus(s x12.AckStatus) string {
	switch s {
	case x12.AckAccepted:
		return ackAccepted
	case x12.AckErrorsNoted:
		return ackAcceptedWithErrors
	case x12.AckPartial:
		return ackPartiallyAccepted
	}
	return ackRejected // R, and M, W, X: rejected for security reasons
}

// map997 reads a 997 (or 999) with x12.ReadAck. The AK9 group error codes (AK905..909) have no place in
// order.FunctionalAck; they are reported as a warning.
func map997(m *mapper) domain.Document {
	a, err := x12.ReadAck(*m.t)
	if err != nil {
		var xe *x12.Error
		if errors.As(err, &xe) {
			m.errs = append(m.errs, xe)
		} else {
			m.errs = append(m.errs, &x12.Error{SegmentID: "ST", Reason: err.Error(), Kind: x12.KindTransaction,
				Code: x12.SetSegmentsInError})
		}
		return nil
	}
	fa := order.FunctionalAck{Standard: "x12", GroupControl: a.GroupControl, GroupStatus: ackStatus(a.Status),
		Sets: make([]order.AckedSet, 0, len(a.Sets))}
	for _, s := range a.Sets {
		fa.Sets = append(fa.Sets, order.AckedSet{Code: s.Code, Control: s.Control, Status: ackStatus(s.Status),
			Errors: setErrors(s)})
	}
	if len(a.Errors) > 0 {
		m.warn("the acknowledgment of group %s %s reports group errors (AK905..909): %s",
			a.FunctionalID, a.GroupControl, strings.Join(a.Errors, ", "))
	}
	return fa
}

// setErrors describes what an acknowledgment says is wrong with one set, one string per problem:
// "AK502 5: one or more segments in error", "segment REF at position 4: AK304 8 segment has data
// element errors", "segment REF at position 4 element 02: AK403 7 invalid code value (value "ZZ")".
func setErrors(s x12.SetAck) []string {
	var out []string
	for _, c := range s.Errors {
		out = append(out, "AK502 "+c+describeCode(setCodes, c))
	}
	for _, n := range s.Segments {
		at := "segment " + n.ID + " at position " + strconv.Itoa(n.Position)
		if n.Code != "" {
			out = append(out, at+": AK304 "+n.Code+describeCode(segmentCodes, n.Code))
		}
		for _, e := range n.Elements {
			el := at + " element " + twoDigits(e.Position)
			if e.Component > 0 {
				el += " component " + strconv.Itoa(e.Component)
			}
			el += ": AK403 " + e.Code + describeCode(elementCodes, e.Code)
			if e.Value != "" {
				el += " (value " + quote(e.Value) + ")"
			}
			out = append(out, el)
		}
	}
	return out
}

func twoDigits(n int) string {
	if n < 10 {
		return "0" + strconv.Itoa(n)
	}
	return strconv.Itoa(n)
}

func describeCode(table map[string]string, code string) string {
	if d, ok := table[code]; ok {
		return " " + d
	}
	return ""
}

var setCodes = map[string]string{
	"1": "transaction set not supported", "2": "trailer missing", "3": "control numbers do not match",
	"4": "segment count wrong", "5": "one or more segments in error", "6": "missing or invalid set identifier",
	"7": "missing or invalid control number", "23": "control number not unique in the group",
}

var segmentCodes = map[string]string{
	"1": "unrecognized segment ID", "2": "unexpected segment", "3": "mandatory segment missing",
	"4": "loop occurs over maximum times", "5": "segment exceeds maximum use", "6": "segment not in defined set",
	"7": "segment not in proper sequence", "8": "segment has data element errors",
}

var elementCodes = map[string]string{
	"1": "mandatory element missing", "2": "conditional required element missing", "3": "too many elements",
	"4": "element too short", "5": "element too long", "6": "invalid character", "7": "invalid code value",
	"8": "invalid date", "9": "invalid time", "10": "exclusion condition violated", "12": "too many repetitions",
	"13": "too many components",
}
