package x12doc

import (
	"strconv"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/crossdock-hub/crossdock/adapters/edi/x12"
	"github.com/crossdock-hub/crossdock/domain"
	"github.com/crossdock-hub/crossdock/domain/invoice"
)

func map810(m *mapper) domain.Document {
	inv := invoice.Invoice{Type: invoice.TypeDebit, Lines: []invoice.Line{}}
	var big, tds *x12.Segment
	var line *invoice.Line
	var tax decimal.Decimal
	taxed := false
	for i, body := 0, m.body(); i < len(body); i++ {
		s := &body[i]
		switch s.ID {
		case "BIG":
			big = s
			inv.InvoiceDate = m.date(s, 1, "invoice date")
			if s.Element(1) == "" {
				m.fail(s, 1, x12.ElemMandatory, "BIG01 (invoice date) is missing")
			}
			inv.InvoiceNumber = m.required(s, 2, "invoice number")
			inv.PONumber = m.required(s, 4, "purchase order number")
			switch code := s.Element(7); code {
			case "CR":
				inv.Type = invoice.TypeCredit
			case "", "DI", "DR":
			default:
				m.warn("%s: BIG07 transaction type %q is neither debit (DI, DR) nor credit (CR); taken as a debit invoice", where(s), code)
			}
		case "CUR":
			inv.Currency = s.Element(2)
		case "N1":
			inv.Parties = append(inv.Parties, party(s))
		case "ITD":
			if inv.Terms == "" {
				inv.Terms = terms(s)
			}
		case "IT1":
			inv.Lines = append(inv.Lines, m.readIT1(s, len(inv.Lines)+1))
			line = &inv.Lines[len(inv.Lines)-1]
		case "PID":
			if line != nil {
				description(&line.Item, s)
			}
		case "SAC":
			if c, ok := m.readSAC(s); ok {
				inv.Charges = append(inv.Charges, c)
			}
		case "TXI":
			if t, ok := m.decimal(s, 2, "tax amount"); ok {
				tax, taxed = tax.Add(t), true
			}
		case "TDS":
			tds = s
			if t, ok := m.implied(s, 1, 2, "total invoice amount"); ok {
				inv.Total = &t
			} else if s.Element(1) == "" {
				m.fail(s, 1, x12.ElemMandatory, "TDS01 (total invoice amount) is missing")
			}
		case "ISS":
			if inv.StatedQuantity != nil {
				m.warn("%s: a second ISS is ignored; the stated quantity is the first", where(s))
				continue
			}
			if q := m.quantity(s, 1, 2, "number of units shipped", false); !q.IsZero() {
				inv.StatedQuantity = &q
			}
		}
	}
	if taxed {
		inv.Tax = &tax
	}
	if big == nil {
		m.missingSegment("BIG", "beginning segment for invoice")
	}
	if tds == nil {
		m.missingSegment("TDS", "total monetary value summary")
	}
	if len(inv.Lines) == 0 {
		m.missingSegment("IT1", "no invoice line")
	}
	return inv
}

// readIT1 reads an invoice line: IT101 line ID (its position when absent), IT102 quantity, IT103 unit,
// IT104 unit price (an R value with its decimal point), IT106 onwards qualifier/ID pairs.
func (m *mapper) readIT1(s *x12.Segment, position int) invoice.Line {
	l := invoice.Line{Number: s.Element(1)}
	if l.Number == "" {
		l.Number = strconv.Itoa(position)
	}
	l.Quantity = m.quantity(s, 2, 3, "quantity invoiced", true)
	if p, ok := m.decimal(s, 4, "unit price"); ok {
		l.UnitPrice = p
	} else if s.Element(4) == "" {
		m.fail(s, 4, x12.ElemMandatory, "IT104 (unit price) is missing")
	}
	m.idPairs(&l.Item, s, 6)
	if l.Item.IsZero() {
		m.fail(s, 6, x12.ElemMandatory, "IT106/IT107 (product ID) is missing: the line names no item")
	}
	return l
}

// readSAC reads an allowance (SAC01 A) or charge (C); SAC05 has two implied decimals. Other SAC01 codes
// (N, no allowance or charge) add nothing.
func (m *mapper) readSAC(s *x12.Segment) (invoice.Charge, bool) {
	c := invoice.Charge{Code: s.Element(2), Description: s.Element(15)}
	switch s.Element(1) {
	case "A":
		c.Allowance = true
	case "C":
	case "N":
		return c, false
	default:
		m.fail(s, 1, x12.ElemInvalidCode, "SAC01 "+quote(s.Element(1))+" is not A (allowance), C (charge) or N")
		return c, false
	}
	amount, ok := m.implied(s, 5, 2, "amount")
	if !ok {
		if s.Element(5) == "" {
			m.warn("%s: SAC without an amount (SAC05) adds nothing to the total", where(s))
		}
		return c, false
	}
	c.Amount = amount
	return c, true
}

// terms describes ITD payment terms: ITD12 as written, else what ITD03/05/07 say.
func terms(s *x12.Segment) string {
	if d := s.Element(12); d != "" {
		return d
	}
	var parts []string
	if pct, days := s.Element(3), s.Element(5); pct != "" && days != "" {
		parts = append(parts, pct+"% discount within "+days+" days")
	}
	if net := s.Element(7); net != "" {
		parts = append(parts, "net "+net+" days")
	}
	return strings.Join(parts, ", ")
}
