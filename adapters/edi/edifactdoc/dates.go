package edifactdoc

import (
	"fmt"
	"strconv"
	"time"

	"github.com/crossdock-hub/crossdock/adapters/edi/edifact"
)

// stamp is one DTM segment read (C507: 2005 qualifier, 2380 value, 2379 format).
type stamp struct {
	qualifier string
	format    string    // the 2379 format it was read with (given, or guessed from the length)
	at        time.Time // the instant, in UTC
	// zoned is true when the value carried its time zone (formats 303 and 304); otherwise a time of day
	// is read as UTC, which is all the message allows.
	zoned bool
	// wall is the date and time as written, "2024-03-01 09:31", followed by the zone when one was given
	// ("2024-03-01 09:31 +01").
	wall string
	seg  *edifact.Segment
}

// dateFormats are the 2379 formats read, by code: the Go layout of the digits and whether a time zone
// (ZZZ) follows them.
var dateFormats = map[string]struct {
	layout string
	zone   bool
}{
	"101": {"060102", false},         // YYMMDD
	"102": {"20060102", false},       // CCYYMMDD
	"201": {"0601021504", false},     // YYMMDDHHMM
	"203": {"200601021504", false},   // CCYYMMDDHHMM
	"204": {"20060102150405", false}, // CCYYMMDDHHMMSS
	"303": {"200601021504", true},    // CCYYMMDDHHMMZZZ
	"304": {"20060102150405", true},  // CCYYMMDDHHMMSSZZZ
}

// formatByLength is the format assumed when 2379 is absent, from the length of the value.
var formatByLength = map[int]string{8: "102", 12: "203", 14: "204"}

// dtm reads a DTM segment. Two-digit years (101, 201) follow Go's pivot: 69 to 99 are 19xx.
func (m *mapper) dtm(s *edifact.Segment) (stamp, bool) {
	q := s.Component(1, 1)
	v := s.Component(1, 2)
	what := "date/time of DTM+" + q
	if v == "" {
		m.fail(s, 1, 2, edifact.CodeMissing, ref(s, 1, 2)+" ("+what+") is missing")
		return stamp{}, false
	}
	code := s.Component(1, 3)
	if code == "" {
		guess, ok := formatByLength[len(v)]
		if !ok {
			m.fail(s, 1, 3, edifact.CodeMissing, ref(s, 1, 3)+" (format of DTM+"+q+") is missing and "+
				quote(v)+" has no length that tells (8, 12 or 14 digits)")
			return stamp{}, false
		}
		m.warn("%s: DTM+%s gives no format (2379); %q read as format %s from its length", where(s), q, v, guess)
		code = guess
	}
	f, ok := dateFormats[code]
	if !ok {
		m.fail(s, 1, 3, edifact.CodeNotSupportedValue, ref(s, 1, 3)+" (format of DTM+"+q+"): format "+quote(code)+
			" is not supported (101, 102, 201, 203, 204, 303, 304)")
		return stamp{}, false
	}
	digits, zone := v, ""
	if f.zone {
		if len(v) <= len(f.layout) {
			m.fail(s, 1, 2, edifact.CodeInvalidValue, ref(s, 1, 2)+" ("+what+"): "+quote(v)+" has no time zone for format "+code)
			return stamp{}, false
		}
		digits, zone = v[:len(f.layout)], v[len(f.layout):]
	}
	if len(digits) != len(f.layout) || !allDigits(digits) {
		m.fail(s, 1, 2, edifact.CodeInvalidValue, fmt.Sprintf("%s (%s): %q is not a date/time of format %s (%d digits)",
			ref(s, 1, 2), what, v, code, len(f.layout)))
		return stamp{}, false
	}
	loc := time.UTC
	if f.zone {
		var err error
		if loc, err = parseZone(zone); err != nil {
			m.fail(s, 1, 2, edifact.CodeInvalidValue, ref(s, 1, 2)+" ("+what+"): "+err.Error())
			return stamp{}, false
		}
	}
	t, err := time.ParseInLocation(f.layout, digits, loc)
	if err != nil {
		m.fail(s, 1, 2, edifact.CodeInvalidValue, fmt.Sprintf("%s (%s): %q is not a valid date/time of format %s",
			ref(s, 1, 2), what, v, code))
		return stamp{}, false
	}
	wall := t.Format("2006-01-02")
	if len(f.layout) > 8 {
		wall = t.Format("2006-01-02 15:04")
		if len(f.layout) == 14 {
			wall = t.Format("2006-01-02 15:04:05")
		}
	}
	if f.zone {
		wall += " " + zone
	}
	return stamp{qualifier: q, format: code, at: t.UTC(), zoned: f.zone, wall: wall, seg: s}, true
}

// parseZone reads the ZZZ of formats 303 and 304: UTC, GMT or Z, or an offset +HH, -HH, +HHMM, -HHMM.
func parseZone(z string) (*time.Location, error) {
	switch z {
	case "UTC", "GMT", "Z":
		return time.UTC, nil
	}
	if (len(z) == 3 || len(z) == 5) && (z[0] == '+' || z[0] == '-') && allDigits(z[1:]) {
		h, _ := strconv.Atoi(z[1:3])
		mins := 0
		if len(z) == 5 {
			mins, _ = strconv.Atoi(z[3:5])
		}
		if h > 14 || mins > 59 {
			return nil, fmt.Errorf("time zone %q is out of range", z)
		}
		off := h*3600 + mins*60
		if z[0] == '-' {
			off = -off
		}
		return time.FixedZone(z, off), nil
	}
	return nil, fmt.Errorf("time zone %q is neither UTC, GMT, Z nor an offset +HH, -HH, +HHMM, -HHMM", z)
}

func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// dates collects the DTM stamps of one scope (the message header, a line, a status) by qualifier, the
// first of each kept.
type dates map[string]stamp

// add reads s and keeps it under its qualifier when wanted lists it; other qualifiers are not read at
// all, so a malformed date the mapper does not use (an order date on an invoice) stops nothing.
func (m *mapper) addDate(ds dates, s *edifact.Segment, wanted ...string) {
	q := s.Component(1, 1)
	for _, w := range wanted {
		if q != w {
			continue
		}
		if _, dup := ds[q]; dup {
			m.warn("%s: a second DTM+%s; the first is kept", where(s), q)
			return
		}
		if st, ok := m.dtm(s); ok {
			ds[q] = st
		}
		return
	}
}

// first returns the stamp of the first qualifier present, in the order given.
func (ds dates) first(qualifiers ...string) (stamp, bool) {
	for _, q := range qualifiers {
		if st, ok := ds[q]; ok {
			return st, true
		}
	}
	return stamp{}, false
}
