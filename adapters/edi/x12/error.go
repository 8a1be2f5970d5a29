package x12

import (
	"strconv"
	"strings"
)

// Code lists an [Error.Code] can come from. Each names the acknowledgment element that carries it.
const (
	KindSegment     = "AK304" // segment syntax error codes (997 AK3)
	KindElement     = "AK403" // data element syntax error codes (997 AK4)
	KindTransaction = "AK502" // transaction set syntax error codes (997 AK5)
	KindGroup       = "AK905" // functional group syntax error codes (997 AK9)
	KindInterchange = "TA105" // interchange note codes (TA1)
)

// AK304 segment syntax error codes.
const (
	SegUnrecognizedID = "1" // unrecognized segment ID
	SegUnexpected     = "2" // unexpected segment
	SegMandatory      = "3" // mandatory segment missing
	SegLoopOverMax    = "4" // loop occurs over maximum times
	SegOverMaxUse     = "5" // segment exceeds maximum use
	SegNotInSet       = "6" // segment not in defined transaction set
	SegOutOfSequence  = "7" // segment not in proper sequence
	SegElementErrors  = "8" // segment has data element errors
)

// AK403 data element syntax error codes.
const (
	ElemMandatory     = "1"  // mandatory data element missing
	ElemConditional   = "2"  // conditional required data element missing
	ElemTooMany       = "3"  // too many data elements
	ElemTooShort      = "4"  // data element too short
	ElemTooLong       = "5"  // data element too long
	ElemInvalidChar   = "6"  // invalid character in data element
	ElemInvalidCode   = "7"  // invalid code value
	ElemInvalidDate   = "8"  // invalid date
	ElemInvalidTime   = "9"  // invalid time
	ElemExclusion     = "10" // exclusion condition violated
	ElemTooManyRepeat = "12" // too many repetitions
	ElemTooManyComps  = "13" // too many components
)

// AK502 transaction set syntax error codes.
const (
	SetNotSupported     = "1"  // transaction set not supported
	SetTrailerMissing   = "2"  // transaction set trailer missing
	SetControlMismatch  = "3"  // control number in header and trailer do not match
	SetCountMismatch    = "4"  // number of included segments does not match actual count
	SetSegmentsInError  = "5"  // one or more segments in error
	SetInvalidID        = "6"  // missing or invalid transaction set identifier
	SetInvalidControl   = "7"  // missing or invalid transaction set control number
	SetControlNotUnique = "23" // control number not unique within the functional group
)

// AK905 functional group syntax error codes.
const (
	GroupNotSupported    = "1" // functional group not supported
	GroupVersionUnsupp   = "2" // functional group version not supported
	GroupTrailerMissing  = "3" // functional group trailer missing
	GroupControlMismatch = "4" // group control number in header and trailer do not agree
	GroupCountMismatch   = "5" // number of included transaction sets does not match actual count
	GroupControlSyntax   = "6" // group control number violates syntax
)

// TA105 interchange note codes.
const (
	ICControlMismatch = "001" // control number in header and trailer do not match
	ICSegmentTerm     = "004" // the segment terminator is invalid
	ICDateInvalid     = "014" // invalid interchange date value
	ICTimeInvalid     = "015" // invalid interchange time value
	ICVersionInvalid  = "017" // invalid interchange version ID value
	ICControlInvalid  = "018" // invalid interchange control number value
	ICAckInvalid      = "019" // invalid acknowledgment requested value
	ICTestInvalid     = "020" // invalid test indicator value
	ICGroupCount      = "021" // invalid number of included groups value
	ICStructure       = "022" // invalid control structure
	ICPrematureEnd    = "023" // improper (premature) end-of-file
	ICContent         = "024" // invalid interchange content (e.g. an invalid GS segment)
	ICElementSep      = "026" // invalid data element separator
	ICComponentSep    = "027" // invalid component element separator
)

// Error is a problem at a place in an X12 file. Parse returns one when it cannot frame the data, and
// records the envelope problems it finds in the Errors of the transaction set, group or interchange
// concerned. Mappers make them too, with the segment's Number, so that [Acknowledge] can report them.
type Error struct {
	Segment   int    // segment number in the file (1-based, the first ISA is 1), 0 when unknown
	SegmentID string // "SE"
	Element   int    // 1-based element position, 0 = the whole segment
	Component int    // 1-based component position, 0 = the whole element
	Offset    int    // byte offset in the input of the segment (or of the offending byte)
	Code      string // the code in the code list named by Kind (or by CodeList when Kind is empty)
	Reason    string // what is wrong, for people
	// Kind names Code's list: KindSegment, KindElement, KindTransaction, KindGroup or KindInterchange.
	// Empty means KindElement when Element > 0, KindSegment otherwise.
	Kind string
	// Warning marks a problem that is noted but does not reject the transaction set or group: it makes
	// an AK5 or AK9 "E" (accepted, errors noted) instead of "R".
	Warning bool
}

// CodeList is the code list Code belongs to: Kind, or the one implied by Element when Kind is empty.
func (e *Error) CodeList() string {
	if e.Kind != "" {
		return e.Kind
	}
	if e.Element > 0 {
		return KindElement
	}
	return KindSegment
}

// Error says where and what, e.g.
// "segment 33 (SE) element 01: SE01 says 33 segments, the transaction set has 31".
func (e *Error) Error() string {
	var b strings.Builder
	switch {
	case e.Segment > 0:
		b.WriteString("segment ")
		b.WriteString(strconv.Itoa(e.Segment))
		if e.SegmentID != "" {
			b.WriteString(" (")
			b.WriteString(e.SegmentID)
			b.WriteByte(')')
		}
	case e.SegmentID != "":
		b.WriteString(e.SegmentID)
		b.WriteString(" at byte ")
		b.WriteString(strconv.Itoa(e.Offset))
	default:
		b.WriteString("byte ")
		b.WriteString(strconv.Itoa(e.Offset))
	}
	if e.Element > 0 {
		b.WriteString(" element ")
		if e.Element < 10 {
			b.WriteByte('0')
		}
		b.WriteString(strconv.Itoa(e.Element))
		if e.Component > 0 {
			b.WriteString(" component ")
			b.WriteString(strconv.Itoa(e.Component))
		}
	}
	b.WriteString(": ")
	b.WriteString(e.Reason)
	return b.String()
}

// segErr makes an error about a whole segment.
func segErr(s *Segment, kind, code, reason string) *Error {
	return &Error{Segment: s.Number, SegmentID: s.ID, Offset: s.Offset, Kind: kind, Code: code, Reason: reason}
}

// elemErr makes an error about element n of a segment.
func elemErr(s *Segment, n int, kind, code, reason string) *Error {
	e := segErr(s, kind, code, reason)
	e.Element = n
	return e
}
