package partner

import (
	"strings"
)

// NormalizeISAQualifier is how ISA qualifiers are stored and looked up: trimmed, upper case ("zz" and
// "ZZ " are "ZZ").
func NormalizeISAQualifier(q string) string { return strings.ToUpper(strings.TrimSpace(q)) }

// NormalizeISAID is how ISA and GS IDs are stored and looked up: without the spaces that pad ISA06/08
// to 15 characters. Case is kept: X12 IDs are case-sensitive.
func NormalizeISAID(id string) string { return strings.TrimSpace(id) }

// NormalizeSCAC is how SCACs are stored and looked up: trimmed, upper case.
func NormalizeSCAC(s string) string { return strings.ToUpper(strings.TrimSpace(s)) }

// isDigits reports whether s is non-empty and all ASCII digits.
func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// gs1CheckDigitOK reports whether the last digit of the all-digit s is its GS1 mod-10 check digit (as
// GTINs and GLNs carry): weights 3, 1, 3, ... from the right, check digit excluded.
func gs1CheckDigitOK(s string) bool {
	if len(s) < 2 || !isDigits(s) {
		return false
	}
	sum := 0
	body := s[:len(s)-1]
	for i := 0; i < len(body); i++ {
		d := int(body[len(body)-1-i] - '0')
		if i%2 == 0 {
			d *= 3
		}
		sum += d
	}
	return (10-sum%10)%10 == int(s[len(s)-1]-'0')
}

// GTIN14 returns code (a UPC-A, EAN-8, EAN-13 or GTIN-14, spaces trimmed) as the 14-digit GTIN it
// denotes, left-padded with zeros, and false when it is not such a code with a valid check digit. Item
// crosswalk entries and lookups meet on this form, so a UPC "012345678905" and a GTIN
// "00012345678905" are the same item.
func GTIN14(code string) (string, bool) {
	c := strings.TrimSpace(code)
	switch len(c) {
	case 8, 12, 13, 14:
	default:
		return "", false
	}
	if !gs1CheckDigitOK(c) {
		return "", false
	}
	return strings.Repeat("0", 14-len(c)) + c, true
}

// validGLN reports whether s is a 13-digit GLN with a valid check digit.
func validGLN(s string) bool { return len(s) == 13 && gs1CheckDigitOK(s) }

// validDUNS reports whether s is a 9-digit DUNS number or a 13-digit DUNS+4.
func validDUNS(s string) bool { return (len(s) == 9 || len(s) == 13) && isDigits(s) }

// validSCAC reports whether s is 2 to 4 upper-case letters.
func validSCAC(s string) bool {
	if len(s) < 2 || len(s) > 4 {
		return false
	}
	for _, r := range s {
		if r < 'A' || r > 'Z' {
			return false
		}
	}
	return true
}

// validISAQualifier reports whether q is two upper-case letters or digits (ISA05/07).
func validISAQualifier(q string) bool {
	if len(q) != 2 {
		return false
	}
	for _, r := range q {
		if (r < 'A' || r > 'Z') && (r < '0' || r > '9') {
			return false
		}
	}
	return true
}

// validX12ID reports whether id (already trimmed) fits an X12 ID element of at most max characters:
// printable ASCII (inner spaces allowed, as in "ACME CORP").
func validX12ID(id string, max int) bool {
	if id == "" || len(id) > max {
		return false
	}
	for _, r := range id {
		if r < ' ' || r > '~' {
			return false
		}
	}
	return true
}
