package edifact

import "time"

// Segment is one segment with its data elements split into components.
type Segment struct {
	Tag string // "MOA"
	// Elements[0] is the first data element after the tag; each element is its components, release
	// characters already removed. An empty element is [""].
	Elements [][]string
	// Repeats holds the second and later occurrences of data elements repeated with the syntax 4
	// repetition separator, keyed by the 0-based index into Elements; nil when nothing repeats.
	Repeats map[int][][]string
	Number  int // 1-based position of the segment in the file (UNA not counted, UNB = 1)
	Offset  int // byte offset of the segment tag in the input
}

// Element returns component 1 of data element n (1-based), "" when absent.
func (s Segment) Element(n int) string { return s.Component(n, 1) }

// Component returns component c of data element n (both 1-based), "" when absent.
func (s Segment) Component(n, c int) string {
	if n < 1 || n > len(s.Elements) || c < 1 || c > len(s.Elements[n-1]) {
		return ""
	}
	return s.Elements[n-1][c-1]
}

// Occurrences returns every occurrence of data element n (1-based): the first is Elements[n-1], the
// others come from the repetition separator (syntax 4). Nil when the element is absent.
func (s Segment) Occurrences(n int) [][]string {
	if n < 1 || n > len(s.Elements) {
		return nil
	}
	more := s.Repeats[n-1]
	out := make([][]string, 0, 1+len(more))
	return append(append(out, s.Elements[n-1]), more...)
}

// Message is one UNH…UNT message.
type Message struct {
	Reference   string // UNH01
	Type        string // UNH02-1, e.g. INVOIC
	Version     string // UNH02-2, e.g. D
	Release     string // UNH02-3, e.g. 97B
	Agency      string // UNH02-4, e.g. UN
	Association string // UNH02-5, e.g. EAN008
	Segments    []Segment
	// Errors: UNT01 count, UNT02 != UNH01, missing UNT, missing UNH elements, and character-set
	// violations inside the message (the same *Error is also on the Interchange).
	Errors []*Error
}

// Group is one UNG…UNE functional group.
type Group struct {
	ID        string // UNG01 message group identification, e.g. ORDERS
	Sender    string // UNG02-1
	Recipient string // UNG03-1
	Reference string // UNG05
	Messages  []Message
	Errors    []*Error // UNE01 count, UNE02 != UNG05, missing UNE, empty group
	Header    Segment  // UNG
	Trailer   Segment  // UNE; zero when missing
}

// Interchange is one UNB…UNZ interchange.
type Interchange struct {
	Delimiters         Delimiters // as used in this interchange (UNA or the defaults for its syntax version)
	Syntax             string     // UNB01-1, e.g. UNOA
	SyntaxVersion      int        // UNB01-2, 1 to 4; 0 when missing or not a number
	Sender             string     // UNB02-1
	SenderQualifier    string     // UNB02-2
	Recipient          string     // UNB03-1
	RecipientQualifier string     // UNB03-2
	Prepared           time.Time  // UNB04 date and time, UTC (the segment carries no zone)
	Reference          string     // UNB05
	AckRequested       bool       // UNB09 = 1
	TestIndicator      bool       // UNB11 = 1
	Groups             []Group    // when UNG is used
	Messages           []Message  // when it is not
	// Errors: UNZ01 count, UNZ02 != UNB05, missing UNZ, UNA and UNB problems, segments outside a
	// message, character-set violations.
	Errors   []*Error
	Warnings []string // tolerated deviations, e.g. repertoire violations in syntax versions 1 and 2
	Header   Segment  // UNB
	Trailer  Segment  // UNZ; zero when missing
}

// AllMessages returns the messages of the interchange, those in groups first (in file order), then
// those outside groups (an interchange holding both is an error anyway). The slice is new; its
// messages are copies sharing their segments.
func (ic *Interchange) AllMessages() []Message {
	n := len(ic.Messages)
	for i := range ic.Groups {
		n += len(ic.Groups[i].Messages)
	}
	out := make([]Message, 0, n)
	for i := range ic.Groups {
		out = append(out, ic.Groups[i].Messages...)
	}
	return append(out, ic.Messages...)
}

// File is everything Parse framed.
type File struct{ Interchanges []Interchange }
