package x12doc

import (
	"sync"
	"time"
	_ "time/tzdata" // the zone table travels with the binary: mapping must not depend on the host's

	"github.com/crossdock-hub/crossdock/adapters/edi/x12"
	"github.com/crossdock-hub/crossdock/domain"
)

// namedZones are the X12 time codes (element 623) that name a region's civil time, daylight saving
// included. AT is Alaska Time in element 623 (Atlantic Time has no code there); AK is not a code of the
// list but some partners send it for Alaska and it cannot mean anything else.
var namedZones = map[string]string{
	"ET": "America/New_York", "CT": "America/Chicago", "MT": "America/Denver", "PT": "America/Los_Angeles",
	"AT": "America/Anchorage", "AK": "America/Anchorage", "HT": "Pacific/Honolulu", "NT": "America/St_Johns",
}

// fixedZones are the time codes that name a standard or daylight time: a fixed offset from UTC, in
// minutes.
var fixedZones = map[string]int{
	"ED": -4 * 60, "ES": -5 * 60, "CD": -5 * 60, "CS": -6 * 60, "MD": -6 * 60, "MS": -7 * 60,
	"PD": -7 * 60, "PS": -8 * 60, "AD": -8 * 60, "AS": -9 * 60, "HD": -9 * 60, "HS": -10 * 60,
	"ND": -150, "NS": -210,
}

// region is a state or province and the IANA zone most of its people live in.
type region struct {
	zone string
	// split marks a region with more than one zone: the majority zone is a guess for its other parts.
	split bool
}

var usStates = map[string]region{
	"AL": {"America/Chicago", false}, "AK": {"America/Anchorage", true}, "AZ": {"America/Phoenix", true},
	"AR": {"America/Chicago", false}, "CA": {"America/Los_Angeles", false}, "CO": {"America/Denver", false},
	"CT": {"America/New_York", false}, "DE": {"America/New_York", false}, "DC": {"America/New_York", false},
	"FL": {"America/New_York", true}, "GA": {"America/New_York", false}, "HI": {"Pacific/Honolulu", false},
	"ID": {"America/Boise", true}, "IL": {"America/Chicago", false}, "IN": {"America/Indiana/Indianapolis", true},
	"IA": {"America/Chicago", false}, "KS": {"America/Chicago", true}, "KY": {"America/New_York", true},
	"LA": {"America/Chicago", false}, "ME": {"America/New_York", false}, "MD": {"America/New_York", false},
	"MA": {"America/New_York", false}, "MI": {"America/Detroit", true}, "MN": {"America/Chicago", false},
	"MS": {"America/Chicago", false}, "MO": {"America/Chicago", false}, "MT": {"America/Denver", false},
	"NE": {"America/Chicago", true}, "NV": {"America/Los_Angeles", true}, "NH": {"America/New_York", false},
	"NJ": {"America/New_York", false}, "NM": {"America/Denver", false}, "NY": {"America/New_York", false},
	"NC": {"America/New_York", false}, "ND": {"America/Chicago", true}, "OH": {"America/New_York", false},
	"OK": {"America/Chicago", false}, "OR": {"America/Los_Angeles", true}, "PA": {"America/New_York", false},
	"RI": {"America/New_York", false}, "SC": {"America/New_York", false}, "SD": {"America/Chicago", true},
	"TN": {"America/Chicago", true}, "TX": {"America/Chicago", true}, "UT": {"America/Denver", false},
	"VT": {"America/New_York", false}, "VA": {"America/New_York", false}, "WA": {"America/Los_Angeles", false},
	"WV": {"America/New_York", false}, "WI": {"America/Chicago", false}, "WY": {"America/Denver", false},
	"PR": {"America/Puerto_Rico", false}, "VI": {"America/St_Thomas", false}, "GU": {"Pacific/Guam", false},
	"AS": {"Pacific/Pago_Pago", false}, "MP": {"Pacific/Saipan", false},
}

var caProvinces = map[string]region{
	"AB": {"America/Edmonton", false}, "BC": {"America/Vancouver", true}, "MB": {"America/Winnipeg", false},
	"NB": {"America/Moncton", false}, "NL": {"America/St_Johns", true}, "NS": {"America/Halifax", false},
	"NT": {"America/Yellowknife", false}, "NU": {"America/Iqaluit", true}, "ON": {"America/Toronto", true},
	"PE": {"America/Halifax", false}, "QC": {"America/Toronto", true}, "SK": {"America/Regina", false},
	"YT": {"America/Whitehorse", false},
}

// regionOf finds the region of a location: a US state or Canadian province, by country (US, USA, CA,
// CAN, or empty: either).
func regionOf(l domain.Location) (region, bool) {
	switch l.Country {
	case "US", "USA":
		r, ok := usStates[l.State]
		return r, ok
	case "CA", "CAN":
		r, ok := caProvinces[l.State]
		return r, ok
	case "":
		if r, ok := usStates[l.State]; ok {
			return r, true
		}
		r, ok := caProvinces[l.State]
		return r, ok
	}
	return region{}, false
}

var zoneCache sync.Map // IANA name -> *time.Location

// loadZone loads an IANA zone once. The names are this file's constants and the table is embedded
// (time/tzdata), so a failure is a bug in the table.
func loadZone(name string) *time.Location {
	if z, ok := zoneCache.Load(name); ok {
		return z.(*time.Location)
	}
	z, err := time.LoadLocation(name)
	if err != nil {
		panic("x12doc: zone table names an unknown zone " + name + ": " + err.Error())
	}
	zoneCache.Store(name, z)
	return z
}

var fixedCache sync.Map // time code -> *time.Location

// timeCodeZone is the zone of an X12 time code other than LT; ok false when the code is unknown.
func timeCodeZone(code string) (*time.Location, bool) {
	switch code {
	case "UT", "GM":
		return time.UTC, true
	}
	if name, ok := namedZones[code]; ok {
		return loadZone(name), true
	}
	minutes, ok := fixedZones[code]
	if !ok {
		n, isNum := positiveInt(code)
		if !isNum || len(code) != 2 || n > 24 {
			return nil, false
		}
		// 01..12 are ISO P01..P12 (UTC+1..+12), 13..24 are M12..M01 (UTC-12..-1).
		if n <= 12 {
			minutes = n * 60
		} else {
			minutes = -(25 - n) * 60
		}
	}
	if z, ok := fixedCache.Load(code); ok {
		return z.(*time.Location), true
	}
	z := time.FixedZone(code, minutes*60)
	fixedCache.Store(code, z)
	return z, true
}

// zone resolves the time code in element n of s (AT707, DTM04, G6205...) for a time observed at place
// (the zero Location when unknown). LT, local time, is read in the zone of place when it is a US state
// or Canadian province, else in Options.LocalZone, else in UTC with a warning. An unknown code is an
// error; ok is then false.
func (m *mapper) zone(s *x12.Segment, n int, place domain.Location) (z *time.Location, ok bool) {
	return m.zoneOf(s, n, s.Element(n), place)
}

// zoneOf is zone for a time code given apart from the segment (element n names where it belongs).
func (m *mapper) zoneOf(s *x12.Segment, n int, code string, place domain.Location) (z *time.Location, ok bool) {
	if code != "LT" {
		if z, ok := timeCodeZone(code); ok {
			return z, true
		}
		m.fail(s, n, x12.ElemInvalidCode, ref(s, n)+": "+quote(code)+" is not an X12 time code (element 623)")
		return nil, false
	}
	if r, found := regionOf(place); found {
		if r.split {
			m.warn("%s: local time at %s %s read in %s, the zone of most of %s; the place may be in another zone",
				where(s), place.City, place.State, r.zone, place.State)
		}
		return loadZone(r.zone), true
	}
	if m.opts.LocalZone != nil {
		return m.opts.LocalZone, true
	}
	m.warn("%s: local time (LT) at an unknown place (%s) read as UTC: the instant may be off by hours",
		where(s), placeName(place))
	return time.UTC, true
}

func placeName(l domain.Location) string {
	if l == (domain.Location{}) {
		return "no location given"
	}
	s := l.City
	for _, p := range []string{l.State, l.Country} {
		if p != "" {
			if s != "" {
				s += " "
			}
			s += p
		}
	}
	return s
}
