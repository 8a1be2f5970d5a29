// Package x12 is the syntax layer for ANSI ASC X12: it frames interchanges (ISA…IEA), functional groups
// (GS…GE) and transaction sets (ST…SE), checks their envelopes, and writes outbound documents and 997
// functional acknowledgments. It knows nothing about what an 856 or an 810 means: mappers build on
// [Segment.Element] and [Segment.Component].
//
// # Reading
//
// [Parse] takes the delimiters from each ISA, which is fixed-width (106 bytes): the element separator is
// byte 3, the component separator byte 104 (ISA16), the segment terminator byte 105, and ISA11 is the
// repetition separator when it is not a letter, a digit or a space (4010 sends 'U'). Any single byte may
// be a delimiter, a newline or a control character included; the four must be distinct. A UTF-8 byte
// order mark before the first ISA and "pretty printing" (CR, LF, space and tab between segments and
// before a segment ID) are skipped, except a byte that is itself one of the interchange's delimiters.
// A file may hold several interchanges, each with its own delimiters.
//
// Parse fails (returns an *[Error]) only when it cannot frame the data: the file does not start with ISA,
// an ISA is shorter than 106 bytes or not fixed-width, delimiters clash or are not single bytes (a
// multi-byte UTF-8 character such as U+2026 '…' after ISA16 is rejected), or something other than an
// ISA follows an IEA. Every other problem (trailer counts and control numbers that disagree, missing
// trailers, segments outside ST/SE or GS/GE, malformed segment IDs) is recorded in the Errors of the
// transaction set, group or interchange it concerns, and [File.Err] returns the first of them.
//
// [ParseDate] reads CCYYMMDD and YYMMDD (two-digit years below [DatePivot], 70, are 20YY, the others
// 19YY), [ParseTime] HHMM, HHMMSS and HHMMSS with decimal seconds, [ParseDecimal] the R type and
// [ParseImpliedDecimal] the Nn types (TDS01 "255438" with 2 places is 2554.38).
//
// All element values are substrings of one string made from the input, and the segments and elements
// of a file share a few large arrays, so parsing allocates little beyond the copy of the input.
//
// # Error codes
//
// Every [Error] carries the code of the acknowledgment code list that fits it, named by [Error.Kind]:
// AK304 (segment syntax: 1 unrecognized segment ID, 2 unexpected segment, 3 mandatory segment missing,
// 8 segment has data element errors, …), AK403 (element syntax: 1 mandatory element missing, 6 invalid
// character, 7 invalid code value, 8 invalid date, …), AK502 (transaction set: 2 trailer missing,
// 3 control numbers differ, 4 segment count wrong, …), AK905 (functional group: 3 trailer missing,
// 4 control numbers differ, 5 set count wrong, 6 control number syntax) and TA105 (interchange, as in
// a TA1: 001 control numbers differ, 021 group count wrong, 023 premature end of file, 024 invalid
// content, …). A mapper's own errors usually leave Kind empty: an error with an Element is then an
// AK403 code and one without is an AK304 code.
//
// # Writing
//
// [NewWriter] builds interchanges, groups and transaction sets and computes SE01, GE01 and IEA01.
// [Acknowledge] builds the 997 for an inbound interchange from its envelope errors and the mapper's
// problems; [ReadAck] reads an inbound 997 (or 999) into an [Ack].
package x12
