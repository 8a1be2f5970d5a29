package x12doc

import (
	"fmt"
	"strconv"
	"sync"
	"time"

	"github.com/shopspring/decimal"

	"github.com/crossdock-hub/crossdock/adapters/edi/x12"
	"github.com/crossdock-hub/crossdock/domain"
)

// mapper holds what one transaction set's mapping found: its problems with their positions and its
// warnings. The helpers record a problem and return a zero value, so a mapper goes on and reports
// every problem of the set at once.
type mapper struct {
	t       *x12.Transaction
	version string
	opts    Options
	errs    []*x12.Error
	warns   []string
}

// body is the segments between ST and SE.
func (m *mapper) body() []x12.Segment { return m.t.Body() }

// ref names element n of s the X12 way: "BSN02".
func ref(s *x12.Segment, n int) string {
	if n < 10 {
		return s.ID + "0" + strconv.Itoa(n)
	}
	return s.ID + strconv.Itoa(n)
}

func quote(s string) string { return strconv.Quote(s) }

// fail records a problem with element n of s (0: the whole segment). code is an AK403 code when n > 0,
// an AK304 code otherwise.
func (m *mapper) fail(s *x12.Segment, n int, code, reason string) {
	m.errs = append(m.errs, &x12.Error{Segment: s.Number, SegmentID: s.ID, Element: n, Offset: s.Offset,
		Code: code, Reason: reason})
}

// missingSegment records that the set lacks a mandatory segment. The error names no segment of the
// set (there is none to point at), so the 997 rejects the set without an AK3 for it.
func (m *mapper) missingSegment(id, what string) {
	e := &x12.Error{SegmentID: id, Kind: x12.KindSegment, Code: x12.SegMandatory,
		Reason: "the " + m.t.Code + " has no " + id + " segment (" + what + ")"}
	if len(m.t.Segments) > 0 {
		e.Offset = m.t.Segments[0].Offset
	}
	m.errs = append(m.errs, e)
}

func (m *mapper) warn(format string, args ...any) {
	m.warns = append(m.warns, fmt.Sprintf(format, args...))
}

// where names a segment for warnings: "segment 12 (SN1)".
func where(s *x12.Segment) string { return "segment " + strconv.Itoa(s.Number) + " (" + s.ID + ")" }

// required returns element n of s, recording a problem when it is empty.
func (m *mapper) required(s *x12.Segment, n int, what string) string {
	v := s.Element(n)
	if v == "" {
		m.fail(s, n, x12.ElemMandatory, ref(s, n)+" ("+what+") is missing")
	}
	return v
}

// decimal reads element n of s as an R decimal; "" when absent gives ok false without a problem.
func (m *mapper) decimal(s *x12.Segment, n int, what string) (d decimal.Decimal, ok bool) {
	v := s.Element(n)
	if v == "" {
		return decimal.Decimal{}, false
	}
	d, err := parseDecimal(v)
	if err != nil {
		m.fail(s, n, x12.ElemInvalidChar, ref(s, n)+" ("+what+"): "+err.Error())
		return decimal.Decimal{}, false
	}
	return d, true
}

// smallInts are the decimals 0..len-1, made once. A Decimal is immutable (its operations return new
// values and never change the big.Int they point to), so one value can be shared by every quantity of
// that amount: a large ship notice then allocates nothing per line for its quantities.
var smallInts = sync.OnceValue(func() []decimal.Decimal {
	ds := make([]decimal.Decimal, 4096)
	for i := range ds {
		ds[i] = decimal.NewFromInt(int64(i))
	}
	return ds
})

// parseDecimal is x12.ParseDecimal with a fast path for plain integers, the common case of quantities.
func parseDecimal(v string) (decimal.Decimal, error) {
	if len(v) > 0 && len(v) <= 18 {
		n := int64(0)
		i := 0
		neg := v[0] == '-'
		if neg {
			i = 1
		}
		digits := true
		for ; i < len(v); i++ {
			c := v[i]
			if c < '0' || c > '9' {
				digits = false
				break
			}
			n = n*10 + int64(c-'0')
		}
		if digits && len(v) > 0 && (!neg || len(v) > 1) {
			if neg {
				return decimal.NewFromInt(-n), nil
			}
			if small := smallInts(); n < int64(len(small)) {
				return small[n], nil
			}
			return decimal.NewFromInt(n), nil
		}
	}
	return x12.ParseDecimal(v)
}

// implied reads element n of s as an N-type number with places implied decimals.
func (m *mapper) implied(s *x12.Segment, n, places int, what string) (decimal.Decimal, bool) {
	v := s.Element(n)
	if v == "" {
		return decimal.Decimal{}, false
	}
	d, err := x12.ParseImpliedDecimal(v, places)
	if err != nil {
		m.fail(s, n, x12.ElemInvalidChar, ref(s, n)+" ("+what+"): "+err.Error())
		return decimal.Decimal{}, false
	}
	return d, true
}

// quantity reads the amount in element qn and the unit in element un of s (its first component). With need, a missing amount
// or unit is a problem; otherwise an absent amount gives the zero Quantity.
func (m *mapper) quantity(s *x12.Segment, qn, un int, what string, need bool) domain.Quantity {
	amount := s.Element(qn)
	if amount == "" {
		if need {
			m.fail(s, qn, x12.ElemMandatory, ref(s, qn)+" ("+what+") is missing")
		}
		return domain.Quantity{}
	}
	d, ok := m.decimal(s, qn, what)
	if !ok {
		return domain.Quantity{}
	}
	unit := s.Component(un, 1) // a composite unit of measure (C001) starts with the unit code
	if unit == "" {
		m.fail(s, un, x12.ElemMandatory, ref(s, un)+" (unit of "+what+") is missing")
		return domain.Quantity{}
	}
	q, err := domain.NewQuantity(d, unit)
	if err != nil {
		m.fail(s, un, x12.ElemInvalidCode, ref(s, un)+" (unit of "+what+"): "+err.Error())
		return domain.Quantity{}
	}
	return q
}

// date reads element n of s as a date (midnight UTC); the zero time when absent.
func (m *mapper) date(s *x12.Segment, n int, what string) time.Time {
	v := s.Element(n)
	if v == "" {
		return time.Time{}
	}
	d, err := x12.ParseDate(v)
	if err != nil {
		m.fail(s, n, x12.ElemInvalidDate, ref(s, n)+" ("+what+"): "+err.Error())
		return time.Time{}
	}
	return d
}

// dateTime reads a date in element dn and an optional time in element tn of s as an instant in UTC
// (X12 dates and times without a time code are taken as UTC).
func (m *mapper) dateTime(s *x12.Segment, dn, tn int, what string) time.Time {
	d := m.date(s, dn, what)
	if d.IsZero() || tn == 0 || s.Element(tn) == "" {
		return d
	}
	h, mi, sec, err := x12.ParseTime(s.Element(tn))
	if err != nil {
		m.fail(s, tn, x12.ElemInvalidTime, ref(s, tn)+" (time of "+what+"): "+err.Error())
		return d
	}
	return domain.Instant(d, h, mi, sec, time.UTC)
}

// party reads an N1 segment.
func party(s *x12.Segment) domain.Party {
	return domain.Party{Role: s.Element(1), Name: s.Element(2), IDQualifier: s.Element(3), ID: s.Element(4)}
}

// partyCode is the code that names an N1 party: N104, else N102.
func partyCode(s *x12.Segment) string {
	if id := s.Element(4); id != "" {
		return id
	}
	return s.Element(2)
}

// positiveInt reads a string of digits as a positive int; ok false otherwise.
func positiveInt(v string) (int, bool) {
	if v == "" || len(v) > 9 {
		return 0, false
	}
	n := 0
	for i := 0; i < len(v); i++ {
		c := v[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, n > 0
}

// money makes a Money.
func money(d decimal.Decimal, currency string) *domain.Money {
	return &domain.Money{Amount: d, Currency: currency}
}
