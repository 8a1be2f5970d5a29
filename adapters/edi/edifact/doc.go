// Package edifact is a strict UN/EDIFACT syntax layer (ISO 9735, syntax versions 1 to 4): it frames
// interchanges, groups, messages, segments and data elements, checks the envelopes and the declared
// character repertoire, writes outbound interchanges and answers inbound ones with CONTRL. It knows no
// message directory: mappers for DESADV, INVOIC, ORDERS and the rest sit on top of Segment.
//
// # Reading
//
// Parse frames a whole file. An optional UNA service string advice is followed by exactly six
// characters: component separator, data element separator, decimal mark, release character, repetition
// separator (syntax 4; reserved and a space in syntax 1 to 3) and segment terminator. Without UNA the
// defaults are `:+.? '`, plus the repetition separator `*` in syntax 4. A space as release character in
// UNA means "no release character". The release character makes the next character literal (`?'`, `?+`,
// `?:`, `??`); values come back with it removed. Carriage returns and line feeds after a segment
// terminator are skipped, and so is a leading UTF-8 byte order mark (with a warning); nothing else
// is. A file may hold several interchanges, each with its own UNA.
//
// Segment.Number is the 1-based position of the segment in the file: UNA is not counted, the first
// UNB is 1, and numbering continues across interchanges. Error.Offset is a byte offset in the input.
//
// Parse returns an error only when nothing can be framed (no UNB at all). Everything else is recorded
// where it belongs: on the Message (UNT count and reference, missing UNT), the Group (UNE count and
// reference, missing UNE) or the Interchange (UNZ count and reference, missing UNZ, UNA and UNB
// problems, segments outside a message). File.Err joins them all.
//
// # Character repertoires
//
// The syntax identifier in UNB01 names the repertoire of every value:
//
//   - UNOA: A-Z 0-9 space . , - ( ) / = ' + : ? ! " % & * ; < >
//   - UNOB: the ISO 646 basic code table without the positions ISO 646 leaves to national or
//     alternative use (# $ @ [ \ ] ^ ` { | } ~): UNOA plus a-z and _
//   - UNOC: ISO 8859-1; bytes are decoded as Latin-1 into UTF-8 strings (C0 and C1 controls are invalid)
//   - UNOD to UNOK (ISO 8859-2, -5, -7, -3, -4, -6, -8, -9): only their ASCII part is supported; a byte
//     above 0x7F is rejected with code 46 (character set not supported) rather than guessed
//   - UNOW and UNOY: UTF-8, validated (UNOY, ISO 10646 without code extension, is read as UTF-8)
//   - anything else (UNOX, national identifiers): error 46 on UNB01, values passed through unchecked
//
// A value outside the declared repertoire is an Error (code 21) in syntax versions 3 and 4, naming the
// segment, element, component and character; a byte that is not UTF-8 either is shown in hex. In syntax
// versions 1 and 2 it is a Warning on the interchange instead, because version-2 senders commonly label
// mixed-case Latin text as UNOA. A violation inside a message is recorded on the Interchange and, as
// the same *Error, on the Message, so a mapper checking only its message sees it; File.Err lists it
// once. At most 100 violations are recorded per interchange. Whatever the repertoire, every string this
// package returns is valid UTF-8: bytes that are not UTF-8 are decoded as Latin-1.
//
// Trailing separators before a segment terminator are reported as one warning per interchange, not as
// errors: ISO 9735 says they shall be omitted, but many senders emit them.
//
// # Error codes
//
// Error.Code is a syntax error code from ISO 9735 (service code list 0085, as used in CONTRL UCI, UCM,
// UCS and UCD). This package uses:
//
//	 2  syntax version or level not supported (UNB01-2 not 1 to 4)
//	12  invalid value (a count, date or time that is not one; a malformed segment tag)
//	13  missing (a mandatory envelope element; UNT, UNE or UNZ; a segment terminator)
//	19  invalid decimal notation (UNA decimal mark other than . or ,)
//	20  character invalid as service character (UNA: repeated, alphanumeric or space separators)
//	21  invalid character(s) (outside the declared repertoire)
//	28  references do not match (UNT02/UNH01, UNE02/UNG05, UNZ02/UNB05)
//	29  control count does not match number of instances received (UNT01, UNE01, UNZ01)
//	30  groups and messages mixed in one interchange
//	32  lower level empty (an interchange or group without messages)
//	33  invalid occurrence outside message, package or group
//	46  character set not supported
//
// # Numbers
//
// Delimiters.ParseDecimal reads numeric values. ISO 9735 allows either a comma or a full stop as the
// decimal mark whatever UNA advises, so both are accepted (the UNA mark is what Delimiters.FormatDecimal
// writes); there are no thousands separators, so "1,234" is 1.234.
//
// # Writing and acknowledging
//
// Writer builds outbound interchanges (UNA only when the delimiters differ from the defaults, counts
// and references computed, values escaped with the release character and checked against the declared
// repertoire). Control builds the CONTRL answering an inbound interchange; ReadControl reads one.
package edifact
