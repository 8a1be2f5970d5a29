package csvdoc

import (
	"fmt"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/crossdock-hub/crossdock/domain"
)

// amount reads a decimal number; ok is false when the cell is empty (or the field not mapped).
func (p *parser) amount(r row, field string) (d decimal.Decimal, ok bool, err error) {
	s := p.get(r, field)
	if s == "" {
		return decimal.Decimal{}, false, nil
	}
	d, perr := domain.ParseAmount(s)
	if perr != nil {
		return decimal.Decimal{}, false, p.errAt(r, field, fmt.Sprintf("%q is not a decimal number", s))
	}
	return d, true, nil
}

// quantity reads a quantity of field in unit; a required one must be given and not negative.
func (p *parser) quantity(r row, field, unit string, required bool) (domain.Quantity, error) {
	d, ok, err := p.amount(r, field)
	switch {
	case err != nil:
		return domain.Quantity{}, err
	case !ok && required:
		return domain.Quantity{}, p.errAt(r, field, "no quantity")
	case !ok:
		return domain.Quantity{}, nil
	case d.IsNegative():
		return domain.Quantity{}, p.errAt(r, field, fmt.Sprintf("%s is negative", d))
	}
	return domain.Quantity{Amount: d, Unit: unit}, nil
}

// unit is the row's unit, or the map's default when the row has none.
func (p *parser) unit(r row) (string, error) {
	s := p.get(r, fieldUnit)
	if s == "" {
		if p.m.DefaultUnit == "" {
			return "", p.errAt(r, fieldUnit, "no unit, and the map has no default unit")
		}
		s = p.m.DefaultUnit
	}
	u, err := domain.NormalizeUnit(s)
	if err != nil {
		return "", p.errAt(r, fieldUnit, err.Error())
	}
	return u, nil
}

// date reads a date or instant, in UTC; ok is false when the cell is empty.
func (p *parser) date(r row, field string) (t time.Time, ok bool, err error) {
	s := p.get(r, field)
	if s == "" {
		return time.Time{}, false, nil
	}
	if p.m.DateFormat != "" {
		t, perr := time.Parse(p.m.DateFormat, s)
		if perr != nil {
			return time.Time{}, false, p.errAt(r, field, fmt.Sprintf("%q is not a date in the layout %q", s, p.m.DateFormat))
		}
		return t.UTC(), true, nil
	}
	if t, perr := time.Parse(time.RFC3339Nano, s); perr == nil {
		return t.UTC(), true, nil
	}
	if t, perr := time.Parse(time.DateOnly, s); perr == nil {
		return t, true, nil
	}
	return time.Time{}, false, p.errAt(r, field, fmt.Sprintf("%q is not a date (RFC 3339, or 2006-01-02)", s))
}

// item reads the row's item identifiers as the partner wrote them. UPCs and GTINs must be digits; an
// unusual length or a wrong check digit is only a warning, since the crosswalk decides what they match.
func (p *parser) item(r row) (domain.ItemRef, error) {
	ref := domain.ItemRef{
		Product:     p.get(r, fieldProduct),
		PartnerItem: p.get(r, fieldSKU),
		UPC:         p.get(r, fieldUPC),
		GTIN:        p.get(r, fieldGTIN),
		Description: p.get(r, fieldDescription),
	}
	for _, c := range []struct{ field, v string }{{fieldUPC, ref.UPC}, {fieldGTIN, ref.GTIN}} {
		if c.v == "" {
			continue
		}
		if !digits(c.v) {
			return domain.ItemRef{}, p.errAt(r, c.field, fmt.Sprintf("%q is not all digits", c.v))
		}
		switch len(c.v) {
		case 8, 12, 13, 14:
			if !gs1CheckDigitOK(c.v) {
				p.warn(r, c.field, fmt.Sprintf("%s has a wrong check digit", c.v))
			}
		case 11:
			p.warn(r, c.field, fmt.Sprintf("%s has 11 digits: a spreadsheet may have dropped a leading zero", c.v))
		default:
			p.warn(r, c.field, fmt.Sprintf("%s has %d digits, not 8, 12, 13 or 14", c.v, len(c.v)))
		}
	}
	if ref.IsZero() {
		var mapped []string
		for _, f := range itemFields {
			if _, ok := p.cols[f]; ok {
				mapped = append(mapped, f)
			}
		}
		return domain.ItemRef{}, p.errAt(r, mapped[0], "no item: "+strings.Join(mapped, ", ")+" empty")
	}
	return ref, nil
}

// sscc checks a serial shipping container code: 18 digits, or 20 with the "00" application identifier
// some systems keep. It is returned as sent; a wrong check digit is a warning.
func (p *parser) sscc(r row) (string, error) {
	s := p.get(r, fieldSSCC)
	if s == "" {
		return "", nil
	}
	core := s
	if len(s) == 20 && strings.HasPrefix(s, "00") {
		core = s[2:]
	}
	if len(core) != 18 || !digits(core) {
		return "", p.errAt(r, fieldSSCC, fmt.Sprintf("%q is not an SSCC (18 digits, or 20 starting 00)", s))
	}
	if !gs1CheckDigitOK(core) {
		p.warn(r, fieldSSCC, fmt.Sprintf("SSCC %s has a wrong check digit", s))
	}
	return s, nil
}

func digits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// gs1CheckDigitOK reports whether the last digit of the all-digit s is its GS1 mod-10 check digit:
// weights 3 and 1 alternate leftwards from the digit before it.
func gs1CheckDigitOK(s string) bool {
	sum, w := 0, 3
	for i := len(s) - 2; i >= 0; i-- {
		sum += int(s[i]-'0') * w
		w = 4 - w
	}
	return (10-sum%10)%10 == int(s[len(s)-1]-'0')
}

// agreed is a document-level value that several rows may repeat: they must agree.
type agreed struct {
	value string
	line  int
}

// agree records v for a (the first time) or checks it against what an earlier row said. Empty cells
// say nothing. what names the document for the message ("receipt RCV-1").
func (p *parser) agree(a *agreed, r row, field, v, what string) error {
	if v == "" {
		return nil
	}
	if a.line == 0 {
		*a = agreed{value: v, line: r.line}
		return nil
	}
	if a.value != v {
		return p.errAt(r, field, fmt.Sprintf("%q differs from %q on line %d: %s has one %s", v, a.value, a.line, what, field))
	}
	return nil
}

// agreeTime is agree for dates, compared as instants.
func (p *parser) agreeTime(a *agreed, t *time.Time, r row, field, what string) error {
	v, ok, err := p.date(r, field)
	if err != nil || !ok {
		return err
	}
	if err := p.agree(a, r, field, v.Format(time.RFC3339Nano), what); err != nil {
		return err
	}
	*t = v
	return nil
}
