package x12

// Transaction is one transaction set: ST through SE.
type Transaction struct {
	Code, Control, Version string    // ST01, ST02, ST03 (GS08 when ST03 is empty)
	Segments               []Segment // ST..SE inclusive (ST up to the last segment before what ended it when SE is missing)
	Errors                 []*Error  // envelope problems of this set: SE01 count, SE02 != ST02, missing SE, bad segment IDs, ...
}

// Header is the ST segment (a zero Segment for a Transaction without segments).
func (t *Transaction) Header() Segment { return first(t.Segments) }

// Trailer is the SE segment, or a zero Segment when the set has none.
func (t *Transaction) Trailer() Segment {
	if len(t.Segments) == 0 {
		return Segment{}
	}
	if last := t.Segments[len(t.Segments)-1]; last.ID == "SE" && len(t.Segments) > 1 {
		return last
	}
	return Segment{}
}

// Body is the segments between ST and SE.
func (t *Transaction) Body() []Segment {
	if len(t.Segments) == 0 {
		return nil
	}
	body := t.Segments[1:]
	if t.Trailer().ID == "SE" {
		body = body[:len(body)-1]
	}
	return body
}

// Position is the 1-based position of a segment of this file within the set (ST is 1), as AK302 wants
// it, or 0 when the segment number is not inside the set.
func (t *Transaction) Position(segmentNumber int) int {
	if len(t.Segments) == 0 {
		return 0
	}
	pos := segmentNumber - t.Segments[0].Number + 1
	if pos < 1 || pos > len(t.Segments) {
		return 0
	}
	return pos
}

// Group is one functional group: GS through GE.
type Group struct {
	FunctionalID, Sender, Receiver, Date, Time, Control, Version string // GS01..GS08 (Control = GS06)
	Transactions                                                 []Transaction
	Errors                                                       []*Error // GE01 count, GE02 != GS06, missing GE, segments between sets
	Header, Trailer                                              Segment  // GS, GE (zero when missing)
}

// Interchange is one ISA…IEA envelope.
type Interchange struct {
	Delimiters                                               Delimiters
	SenderQualifier, SenderID, ReceiverQualifier, ReceiverID string // ISA05..08, trimmed
	Date, Time, Version, Control, AckRequested, Usage        string // ISA09, 10, 12, 13, 14, 15
	Groups                                                   []Group
	Errors                                                   []*Error  // IEA01 count, IEA02 != ISA13, missing IEA, bad ISA values, stray segments
	Header, Trailer                                          Segment   // ISA, IEA (zero when missing)
	InterchangeAcks                                          []Segment // TA1 segments between ISA and the first GS
}

// File is everything Parse framed, in input order.
type File struct {
	Interchanges []Interchange
}

// Err returns the first envelope error of the file (the one earliest in the input), or nil.
func (f *File) Err() error {
	var first *Error
	f.eachError(func(e *Error) {
		if first == nil || e.Offset < first.Offset {
			first = e
		}
	})
	if first == nil {
		return nil
	}
	return first
}

// Errors returns every envelope error of the file: per interchange, its own, then per group the group's
// and its sets'.
func (f *File) Errors() []*Error {
	var all []*Error
	f.eachError(func(e *Error) { all = append(all, e) })
	return all
}

func (f *File) eachError(fn func(*Error)) {
	for i := range f.Interchanges {
		ic := &f.Interchanges[i]
		for _, e := range ic.Errors {
			fn(e)
		}
		for j := range ic.Groups {
			g := &ic.Groups[j]
			for _, e := range g.Errors {
				fn(e)
			}
			for k := range g.Transactions {
				for _, e := range g.Transactions[k].Errors {
					fn(e)
				}
			}
		}
	}
}
