package x12

import (
	"fmt"
	"time"

	"github.com/shopspring/decimal"
)

// ParseImpliedDecimal reads an X12 numeric (Nn) value with places implied decimal places: an optional
// leading minus and digits only, so ParseImpliedDecimal("255438", 2) is 2554.38 and ("-150", 2) is -1.50.
func ParseImpliedDecimal(s string, places int) (decimal.Decimal, error) {
	if places < 0 || places > 9 {
		return decimal.Decimal{}, fmt.Errorf("implied decimal places must be 0 to 9, got %d", places)
	}
	digits := s
	if len(digits) > 0 && digits[0] == '-' {
		digits = digits[1:]
	}
	if !isDigits(digits) {
		return decimal.Decimal{}, fmt.Errorf("%q is not an N%d number (digits with an optional leading minus)", s, places)
	}
	d, err := decimal.NewFromString(s)
	if err != nil {
		return decimal.Decimal{}, fmt.Errorf("%q is not an N%d number: %w", s, places, err)
	}
	return d.Shift(int32(-places)), nil
}

// ParseDecimal reads an X12 decimal (R) value: an optional leading minus, digits, and an optional decimal
// point anywhere ("12.34", ".5", "-3"). Exponents, plus signs, spaces and thousands separators are errors.
func ParseDecimal(s string) (decimal.Decimal, error) {
	body := s
	if len(body) > 0 && body[0] == '-' {
		body = body[1:]
	}
	digits, points := 0, 0
	for i := 0; i < len(body); i++ {
		switch c := body[i]; {
		case c >= '0' && c <= '9':
			digits++
		case c == '.':
			points++
		default:
			return decimal.Decimal{}, fmt.Errorf("%q is not an R decimal: %q is not allowed", s, c)
		}
	}
	if digits == 0 || points > 1 {
		return decimal.Decimal{}, fmt.Errorf("%q is not an R decimal (digits with an optional point and leading minus)", s)
	}
	d, err := decimal.NewFromString(s)
	if err != nil {
		return decimal.Decimal{}, fmt.Errorf("%q is not an R decimal: %w", s, err)
	}
	return d, nil
}

// DatePivot is where ParseDate puts a two-digit year: YY below DatePivot is 20YY, the others 19YY
// (so 960807 is 1996-08-07 and 250101 is 2025-01-01).
const DatePivot = 70

// ParseDate reads an X12 date, CCYYMMDD or YYMMDD (see DatePivot), as midnight UTC of that civil date.
func ParseDate(s string) (time.Time, error) {
	if (len(s) != 8 && len(s) != 6) || !isDigits(s) {
		return time.Time{}, fmt.Errorf("%q is not a date (CCYYMMDD or YYMMDD)", s)
	}
	var year int
	rest := s
	if len(s) == 8 {
		year, rest = atoi(s[:4]), s[4:]
	} else {
		year, rest = atoi(s[:2]), s[2:]
		if year < DatePivot {
			year += 2000
		} else {
			year += 1900
		}
	}
	month, day := atoi(rest[:2]), atoi(rest[2:])
	t := time.Date(year, time.Month(month), day, 0, 0, 0, 0, time.UTC)
	if month < 1 || month > 12 || t.Day() != day || t.Month() != time.Month(month) {
		return time.Time{}, fmt.Errorf("%q is not a date: month %02d has no day %02d in %d", s, month, day, year)
	}
	return t, nil
}

// ParseTime reads an X12 time: HHMM, HHMMSS, or HHMMSS followed by decimal seconds (HHMMSSD,
// HHMMSSDD), which are checked and dropped.
func ParseTime(s string) (hour, minute, second int, err error) {
	if len(s) != 4 && (len(s) < 6 || len(s) > 8) || !isDigits(s) {
		return 0, 0, 0, fmt.Errorf("%q is not a time (HHMM, HHMMSS or HHMMSSD..)", s)
	}
	hour, minute = atoi(s[:2]), atoi(s[2:4])
	if len(s) >= 6 {
		second = atoi(s[4:6])
	}
	if hour > 23 || minute > 59 || second > 59 {
		return 0, 0, 0, fmt.Errorf("%q is not a time: %02d:%02d:%02d is out of range", s, hour, minute, second)
	}
	return hour, minute, second, nil
}

// atoi reads a string of digits checked by the caller.
func atoi(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		n = n*10 + int(s[i]-'0')
	}
	return n
}
