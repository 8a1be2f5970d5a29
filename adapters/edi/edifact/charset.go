package edifact

import (
	"fmt"
	"unicode/utf8"
)

type charsetKind uint8

const (
	kindRaw     charsetKind = iota // before UNB01 is known, or an unsupported identifier: no checks
	kindTable                      // UNOA, UNOB: a 7-bit repertoire
	kindLatin1                     // UNOC: ISO 8859-1
	kindASCIIOf                    // UNOD…UNOK: other ISO 8859 parts, ASCII part only
	kindUTF8                       // UNOW, UNOY
)

// charset is the repertoire named by UNB01-1.
type charset struct {
	name    string
	kind    charsetKind
	allowed *[128]bool // kindTable only
	part    string     // ISO 8859 part for kindASCIIOf, for messages
}

var (
	unoa = repertoire("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,-()/='+:?!\"%&*;<>")
	unob = repertoire("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789 .,-()/='+:?!\"%&*;<>_")
)

func repertoire(chars string) *[128]bool {
	var t [128]bool
	for i := 0; i < len(chars); i++ {
		t[chars[i]] = true
	}
	return &t
}

var iso8859Parts = map[string]string{
	"UNOD": "ISO 8859-2", "UNOE": "ISO 8859-5", "UNOF": "ISO 8859-7", "UNOG": "ISO 8859-3",
	"UNOH": "ISO 8859-4", "UNOI": "ISO 8859-6", "UNOJ": "ISO 8859-8", "UNOK": "ISO 8859-9",
}

// lookupCharset returns the charset for a syntax identifier and whether this package supports it.
func lookupCharset(id string) (charset, bool) {
	switch id {
	case "UNOA":
		return charset{name: id, kind: kindTable, allowed: unoa}, true
	case "UNOB":
		return charset{name: id, kind: kindTable, allowed: unob}, true
	case "UNOC":
		return charset{name: id, kind: kindLatin1}, true
	case "UNOW", "UNOY":
		return charset{name: id, kind: kindUTF8}, true
	}
	if part, ok := iso8859Parts[id]; ok {
		return charset{name: id, kind: kindASCIIOf, part: part}, true
	}
	return charset{name: id, kind: kindRaw}, false
}

// violation is the first character of a raw value (release characters still in it) that the
// repertoire does not allow.
type violation struct {
	at   int    // byte index in the raw value
	code string // CodeInvalidCharacter or CodeCharsetNotSupported
	what string // "character 'Ü' (U+00DC)" or "byte 0xDC"
}

// check returns the first violation in raw, which still holds its release characters, and whether
// raw holds any byte above 0x7F.
func (cs *charset) check(raw string, release byte) (v violation, bad, high bool) {
	if cs.kind == kindRaw {
		return violation{}, false, !isASCII(raw)
	}
	for j := 0; j < len(raw); j++ {
		c := raw[j]
		if c == release && release != 0 {
			j++ // the released character is data and is checked like any other
			if j >= len(raw) {
				break
			}
			c = raw[j]
		}
		if c < utf8.RuneSelf {
			ok := c >= 0x20 && c != 0x7f
			if cs.kind == kindTable {
				ok = cs.allowed[c]
			}
			if !ok {
				return violation{j, CodeInvalidCharacter, describeByte(c)}, true, !isASCII(raw[j:])
			}
			continue
		}
		high = true
		switch cs.kind {
		case kindLatin1:
			if c < 0xa0 {
				return violation{j, CodeInvalidCharacter, fmt.Sprintf("byte 0x%02X (a C1 control code in ISO 8859-1)", c)}, true, true
			}
		case kindASCIIOf:
			return violation{j, CodeCharsetNotSupported, fmt.Sprintf("byte 0x%02X (%s is supported for its ASCII part only)", c, cs.part)}, true, true
		case kindTable:
			r, size := utf8.DecodeRuneInString(raw[j:])
			if r == utf8.RuneError && size <= 1 {
				return violation{j, CodeInvalidCharacter, fmt.Sprintf("byte 0x%02X (not UTF-8 either)", c)}, true, true
			}
			return violation{j, CodeInvalidCharacter, fmt.Sprintf("character %q (U+%04X)", r, r)}, true, true
		case kindUTF8:
			r, size := utf8.DecodeRuneInString(raw[j:])
			if r == utf8.RuneError && size <= 1 {
				return violation{j, CodeInvalidCharacter, fmt.Sprintf("byte 0x%02X (not valid UTF-8)", c)}, true, true
			}
			if r < 0xa0 {
				return violation{j, CodeInvalidCharacter, fmt.Sprintf("control character U+%04X", r)}, true, true
			}
			j += size - 1
		}
	}
	return violation{}, false, high
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

func describeByte(c byte) string {
	if c >= 0x20 && c < 0x7f {
		return fmt.Sprintf("character %q", c)
	}
	return fmt.Sprintf("control byte 0x%02X", c)
}

// latin1 reports whether the values of this repertoire are decoded byte by byte as ISO 8859-1.
func (cs *charset) latin1() bool { return cs.kind == kindLatin1 || cs.kind == kindASCIIOf }

// encodable reports whether the writer can put r into this repertoire; ok is false with a reason.
func (cs *charset) encodable(r rune) (ok bool) {
	switch cs.kind {
	case kindTable:
		return r < utf8.RuneSelf && cs.allowed[r]
	case kindLatin1:
		return r >= 0x20 && r < 0x7f || r >= 0xa0 && r <= 0xff
	case kindASCIIOf:
		return r >= 0x20 && r < 0x7f
	case kindUTF8:
		return r >= 0x20 && r != 0x7f && (r < 0x80 || r >= 0xa0) && r != utf8.RuneError
	}
	return false
}
