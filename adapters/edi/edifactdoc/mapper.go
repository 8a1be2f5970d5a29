package edifactdoc

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/crossdock-hub/crossdock/adapters/edi/edifact"
	"github.com/crossdock-hub/crossdock/domain"
)

// mapper holds what mapping one message found: its problems with their positions and its warnings.
// The helpers record a problem and return a zero value, so a mapper goes on and reports every problem
// of the message at once.
type mapper struct {
	msg   *edifact.Message
	d     edifact.Delimiters
	opts  Options
	errs  []*edifact.Error
	warns []string
}

// header is the UNH segment, nil when the message has none (a parser error already says so).
func (m *mapper) header() *edifact.Segment {
	if len(m.msg.Segments) > 0 && m.msg.Segments[0].Tag == "UNH" {
		return &m.msg.Segments[0]
	}
	return nil
}

// body is the segments between UNH and UNT.
func (m *mapper) body() []edifact.Segment {
	segs := m.msg.Segments
	if len(segs) > 0 && segs[0].Tag == "UNH" {
		segs = segs[1:]
	}
	if n := len(segs); n > 0 && segs[n-1].Tag == "UNT" {
		segs = segs[:n-1]
	}
	return segs
}

func quote(s string) string { return strconv.Quote(s) }

// ref names a position for messages: "BGM element 2", "QTY element 1 component 2".
func ref(s *edifact.Segment, el, comp int) string {
	r := s.Tag
	if el > 0 {
		r += " element " + strconv.Itoa(el)
		if comp > 0 {
			r += " component " + strconv.Itoa(comp)
		}
	}
	return r
}

// where names a segment for warnings: "segment 12 (QTY)".
func where(s *edifact.Segment) string {
	return "segment " + strconv.Itoa(s.Number) + " (" + s.Tag + ")"
}

// fail records a problem at element el, component comp of s (0: the whole element or segment). code
// is an ISO 9735 syntax error code (edifact.Code*).
func (m *mapper) fail(s *edifact.Segment, el, comp int, code, reason string) {
	m.errs = append(m.errs, &edifact.Error{Segment: s.Number, Tag: s.Tag, Element: el, Component: comp,
		Offset: s.Offset, Code: code, Reason: reason})
}

// missingSegment records that the message lacks a segment carrying mandatory business data. There is
// no segment to point at, so the error names the missing tag at the position of the UNH.
func (m *mapper) missingSegment(tag, what string) {
	e := &edifact.Error{Tag: tag, Code: edifact.CodeMissing,
		Reason: "the " + m.msg.Type + " has no " + what}
	if h := m.header(); h != nil {
		e.Offset = h.Offset
		e.Reason += " (message " + quote(m.msg.Reference) + ", UNH at segment " + strconv.Itoa(h.Number) + ")"
	}
	m.errs = append(m.errs, e)
}

func (m *mapper) warn(format string, args ...any) {
	m.warns = append(m.warns, fmt.Sprintf(format, args...))
}

// required returns component comp of element el of s (comp 0: a simple element, read as its only
// component), recording a problem when it is empty.
func (m *mapper) required(s *edifact.Segment, el, comp int, what string) string {
	v := s.Component(el, max(comp, 1))
	if v == "" {
		m.fail(s, el, comp, edifact.CodeMissing, ref(s, el, comp)+" ("+what+") is missing")
	}
	return v
}

// decimal reads component comp of element el of s as a number, with the interchange's decimal mark;
// ok is false without a problem when the value is absent.
func (m *mapper) decimal(s *edifact.Segment, el, comp int, what string) (decimal.Decimal, bool) {
	v := s.Component(el, comp)
	if v == "" {
		return decimal.Decimal{}, false
	}
	d, err := m.d.ParseDecimal(v)
	if err != nil {
		code := edifact.CodeInvalidValue
		if errors.Is(err, edifact.ErrInvalidDecimal) && strings.Count(strings.ReplaceAll(v, ",", "."), ".") > 1 {
			code = edifact.CodeInvalidDecimal
		}
		m.fail(s, el, comp, code, ref(s, el, comp)+" ("+what+"): "+err.Error())
		return decimal.Decimal{}, false
	}
	return d, true
}

// quantity reads a QTY segment (C186: 6063 qualifier, 6060 quantity, 6411 unit). A missing unit is
// Options.DefaultUnit: EANCOM sends 6411 only for quantities that are not a count of units.
func (m *mapper) quantity(s *edifact.Segment, what string) (domain.Quantity, bool) {
	if s.Component(1, 2) == "" {
		m.fail(s, 1, 2, edifact.CodeMissing, ref(s, 1, 2)+" ("+what+") is missing")
		return domain.Quantity{}, false
	}
	d, ok := m.decimal(s, 1, 2, what)
	if !ok {
		return domain.Quantity{}, false
	}
	unit, comp := s.Component(1, 3), 3
	if unit == "" {
		unit = m.opts.defaultUnit()
	}
	q, err := domain.NewQuantity(d, unit)
	if err != nil {
		m.fail(s, 1, comp, edifact.CodeInvalidValue, ref(s, 1, comp)+" (unit of "+what+"): "+err.Error())
		return domain.Quantity{}, false
	}
	return q, true
}

// party reads a NAD segment: 3035 role, C082 party identification (3039 id, 3055 agency as the
// qualifier: 9 GS1/GLN, 16 DUNS, 91 assigned by the seller, 92 by the buyer), and the name from C080
// (its components joined), else from the first line of C058 (name and address in free form).
func party(s *edifact.Segment) domain.Party {
	return domain.Party{Role: s.Element(1), ID: s.Component(2, 1), IDQualifier: s.Component(2, 3), Name: partyName(s)}
}

func partyName(s *edifact.Segment) string {
	var parts []string
	if len(s.Elements) >= 4 {
		for _, c := range s.Elements[3] {
			if c = strings.TrimSpace(c); c != "" {
				parts = append(parts, c)
			}
		}
	}
	if len(parts) > 0 {
		return strings.Join(parts, " ")
	}
	return strings.TrimSpace(s.Component(3, 1))
}

// partyCode is the code that names a NAD party: its identification, else its name.
func partyCode(p domain.Party) string {
	if p.ID != "" {
		return p.ID
	}
	return p.Name
}

// carrier reads the carrier of a TDT segment (C040: 3127 carrier identification, 3128 name).
func carrier(s *edifact.Segment) (id, name string) {
	return s.Component(5, 1), s.Component(5, 4)
}

// isSCAC reports whether s has the form of a Standard Carrier Alpha Code: 2 to 4 upper-case letters.
func isSCAC(s string) bool {
	if len(s) < 2 || len(s) > 4 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < 'A' || s[i] > 'Z' {
			return false
		}
	}
	return true
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

// moneyAmount is one MOA segment read: C516 5025 qualifier, 5004 amount, 6345 currency.
type moneyAmount struct {
	qualifier string
	amount    decimal.Decimal
	currency  string
	seg       *edifact.Segment
}

// moa reads a MOA segment; ok is false (with a problem recorded) when the amount is missing or bad.
func (m *mapper) moa(s *edifact.Segment) (moneyAmount, bool) {
	q := s.Component(1, 1)
	if s.Component(1, 2) == "" {
		m.fail(s, 1, 2, edifact.CodeMissing, ref(s, 1, 2)+" (amount of MOA+"+q+") is missing")
		return moneyAmount{}, false
	}
	d, ok := m.decimal(s, 1, 2, "amount of MOA+"+q)
	if !ok {
		return moneyAmount{}, false
	}
	return moneyAmount{qualifier: q, amount: d, currency: s.Component(1, 3), seg: s}, true
}

// price is one PRI segment read: C509 5125 qualifier, 5118 price, 5284 unit price basis, 6411 unit.
type price struct {
	qualifier string
	amount    decimal.Decimal // per one unit: 5118 divided by 5284 when a basis is given
	unit      string          // 6411, the unit the price is per, when given
	seg       *edifact.Segment
}

// pri reads a PRI segment.
func (m *mapper) pri(s *edifact.Segment) (price, bool) {
	q := s.Component(1, 1)
	if s.Component(1, 2) == "" {
		m.fail(s, 1, 2, edifact.CodeMissing, ref(s, 1, 2)+" (price of PRI+"+q+") is missing")
		return price{}, false
	}
	d, ok := m.decimal(s, 1, 2, "price of PRI+"+q)
	if !ok {
		return price{}, false
	}
	if basis, ok := m.decimal(s, 1, 5, "unit price basis of PRI+"+q); ok {
		if !basis.IsPositive() {
			m.fail(s, 1, 5, edifact.CodeInvalidValue, ref(s, 1, 5)+" (unit price basis) must be greater than zero, is "+basis.String())
			return price{}, false
		}
		if !basis.Equal(decimal.NewFromInt(1)) {
			per := d.Div(basis)
			if !per.Mul(basis).Equal(d) {
				m.warn("%s: price %s per %s units is %s per unit, rounded to %d decimals", where(s), d, basis, per, decimal.DivisionPrecision)
			}
			d = per
		}
	}
	return price{qualifier: q, amount: d, unit: s.Component(1, 6), seg: s}, true
}

// pricePreference ranks price qualifiers (5125): the net calculation price first, then the invoice
// price, then the gross calculation price. Other qualifiers (information prices, retail prices) are
// not what the buyer pays for the line and are ignored.
var pricePreference = []string{"AAA", "INV", "AAB"}

// bestPrice picks the preferred price among those read for one line; ok false when there is none.
func bestPrice(prices []price) (price, bool) {
	for _, q := range pricePreference {
		for _, p := range prices {
			if p.qualifier == q {
				return p, true
			}
		}
	}
	return price{}, false
}
