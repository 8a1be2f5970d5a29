package edifact

import (
	"errors"
	"fmt"
	"strings"

	"github.com/shopspring/decimal"
)

// Delimiters are the service characters of an interchange.
type Delimiters struct {
	Component  byte // component data element separator, default ':'
	Element    byte // data element separator, default '+'
	Decimal    byte // decimal mark, '.' or ','
	Release    byte // release (escape) character, default '?'; 0 when none
	Repetition byte // repetition separator (syntax 4, default '*'); 0 when none (syntax 1 to 3 use a space = none)
	Segment    byte // segment terminator, default '\''
}

// DefaultDelimiters are the ISO 9735 defaults without a repetition separator (syntax 1 to 3).
var DefaultDelimiters = Delimiters{Component: ':', Element: '+', Decimal: '.', Release: '?', Segment: '\''}

// DefaultDelimitersFor returns the defaults for a syntax version: syntax 4 adds the repetition
// separator '*'.
func DefaultDelimitersFor(syntaxVersion int) Delimiters {
	d := DefaultDelimiters
	if syntaxVersion >= 4 {
		d.Repetition = '*'
	}
	return d
}

// ErrInvalidDecimal is wrapped by ParseDecimal's errors.
var ErrInvalidDecimal = errors.New("edifact: invalid numeric value")

// ParseDecimal reads a numeric data element value: an optional leading minus sign, digits and at most
// one decimal mark with a digit on each side ("19,9" is 19.9 under a UNA decimal comma). ISO 9735
// allows both the comma and the full stop as decimal mark whatever UNA advises, so both are accepted
// here; the UNA mark is only what FormatDecimal writes. No plus sign, exponent, spaces or thousands
// separators. Errors wrap ErrInvalidDecimal.
func (d Delimiters) ParseDecimal(s string) (decimal.Decimal, error) {
	if s == "" {
		return decimal.Decimal{}, fmt.Errorf("%w: empty", ErrInvalidDecimal)
	}
	body := s
	if body[0] == '-' {
		body = body[1:]
	}
	mark := -1
	for i := 0; i < len(body); i++ {
		c := body[i]
		switch {
		case c >= '0' && c <= '9':
		case c == '.' || c == ',':
			if mark >= 0 {
				return decimal.Decimal{}, fmt.Errorf("%w: %q has more than one decimal mark", ErrInvalidDecimal, s)
			}
			mark = i
		default:
			return decimal.Decimal{}, fmt.Errorf("%w: %q contains %q", ErrInvalidDecimal, s, c)
		}
	}
	switch {
	case len(body) == 0:
		return decimal.Decimal{}, fmt.Errorf("%w: %q has no digits", ErrInvalidDecimal, s)
	case mark == 0:
		return decimal.Decimal{}, fmt.Errorf("%w: %q has no digit before the decimal mark", ErrInvalidDecimal, s)
	case mark == len(body)-1:
		return decimal.Decimal{}, fmt.Errorf("%w: %q has no digit after the decimal mark", ErrInvalidDecimal, s)
	}
	if mark > 0 && body[mark] == ',' {
		s = strings.Replace(s, ",", ".", 1)
	}
	v, err := decimal.NewFromString(s)
	if err != nil {
		return decimal.Decimal{}, fmt.Errorf("%w: %q: %v", ErrInvalidDecimal, s, err)
	}
	return v, nil
}

// FormatDecimal writes v with the interchange's decimal mark ('.' unless it is ','), as
// decimal.Decimal.String renders it: no exponent, no trailing zeros.
func (d Delimiters) FormatDecimal(v decimal.Decimal) string {
	s := v.String()
	if d.Decimal == ',' {
		s = strings.Replace(s, ".", ",", 1)
	}
	return s
}

// check reports service characters that cannot frame an interchange: repeated ones, letters, digits
// or spaces, and a decimal mark other than '.' or ','. Each problem carries its 0085 code.
func (d Delimiters) check() []delimiterProblem {
	var out []delimiterProblem
	type role struct {
		name string
		c    byte
	}
	roles := []role{{"component separator", d.Component}, {"data element separator", d.Element},
		{"release character", d.Release}, {"repetition separator", d.Repetition}, {"segment terminator", d.Segment}}
	for i, r := range roles {
		if r.c == 0 {
			continue
		}
		if isAlnum(r.c) || r.c == ' ' {
			out = append(out, delimiterProblem{CodeInvalidServiceChar,
				fmt.Sprintf("%s %s cannot be a letter, digit or space", r.name, char(r.c)), i == 3})
		}
		for _, o := range roles[i+1:] {
			if o.c == r.c {
				out = append(out, delimiterProblem{CodeInvalidServiceChar,
					fmt.Sprintf("%s and %s are both %s", r.name, o.name, char(r.c)), i == 3 || o.c == d.Repetition})
			}
		}
	}
	if d.Decimal != '.' && d.Decimal != ',' {
		out = append(out, delimiterProblem{CodeInvalidDecimal,
			fmt.Sprintf("decimal mark %s is neither \".\" nor \",\"", char(d.Decimal)), false})
	}
	return out
}

type delimiterProblem struct {
	code, reason string
	repetition   bool // the problem involves the repetition separator
}

// char quotes a service character for messages, in double quotes so that the apostrophe reads well.
func char(c byte) string {
	if c >= 0x20 && c < 0x7f {
		return `"` + string(c) + `"`
	}
	return fmt.Sprintf("0x%02X", c)
}

func isAlnum(c byte) bool {
	return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9'
}
