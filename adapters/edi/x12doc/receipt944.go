package x12doc

import (
	"strconv"

	"github.com/shopspring/decimal"

	"github.com/crossdock-hub/crossdock/adapters/edi/x12"
	"github.com/crossdock-hub/crossdock/domain"
	"github.com/crossdock-hub/crossdock/domain/receipt"
)

// receivingDamaged is the W1303 receiving condition code of damaged product.
const receivingDamaged = "01"

func map944(m *mapper) domain.Document {
	r := receipt.Receipt{Lines: []receipt.Line{}}
	var w17 *x12.Segment
	var line *receipt.Line
	lx, lxUsed := "", false
	for i, body := 0, m.body(); i < len(body); i++ {
		s := &body[i]
		switch s.ID {
		case "W17":
			w17 = s
			r.ReceivedAt = m.date(s, 2, "receipt date")
			if s.Element(2) == "" {
				m.fail(s, 2, x12.ElemMandatory, "W1702 (date) is missing")
			}
			r.ReceiptNumber = m.required(s, 3, "warehouse receipt number")
			r.PONumber = s.Element(4)
			if v := s.Element(5); v != "" {
				r.References = append(r.References, domain.Reference{Qualifier: "SI", Value: v})
			}
		case "N1":
			if s.Element(1) == "WH" && r.Warehouse == "" {
				r.Warehouse = partyCode(s)
			}
		case "N9":
			q, v := s.Element(1), s.Element(2)
			if v == "" {
				continue
			}
			if line != nil {
				if q == "LT" && line.Lot == "" {
					line.Lot = v
				}
				continue
			}
			r.References = append(r.References, domain.Reference{Qualifier: q, Value: v})
			switch q {
			case "PO":
				if r.PONumber == "" {
					r.PONumber = v
				}
			case "MA":
				if r.ASNNumber == "" {
					r.ASNNumber = v
				}
			}
		case "LX":
			lx, lxUsed = s.Element(1), false
		case "W07":
			number := lx
			if number == "" || lxUsed {
				number = strconv.Itoa(len(r.Lines) + 1)
			}
			lxUsed = true
			r.Lines = append(r.Lines, m.readW07(s, number))
			line = &r.Lines[len(r.Lines)-1]
		case "W13":
			if line == nil {
				m.fail(s, 0, x12.SegOutOfSequence, "W13 before any W07: the exception concerns no line")
				continue
			}
			m.readW13(s, line)
		case "W14":
			m.checkTotal(s, 1, "W1401 total quantity received", receivedAmounts(r.Lines))
		}
	}
	if w17 == nil {
		m.missingSegment("W17", "warehouse receipt identification")
	} else if r.PONumber == "" && r.ASNNumber == "" {
		m.fail(w17, 4, x12.ElemMandatory,
			"W1704 (depositor order number) is missing and no N9*PO or N9*MA says what the receipt is against")
	}
	if len(r.Lines) == 0 {
		m.missingSegment("W07", "no line received")
	}
	return r
}

// readW07 reads a received line: W0701 quantity, W0702 unit, W0703 UPC, W0704..07 and W0710/11
// qualifier/ID pairs, W0708 lot.
func (m *mapper) readW07(s *x12.Segment, number string) receipt.Line {
	l := receipt.Line{Number: number, Lot: s.Element(8)}
	l.Received = m.quantity(s, 1, 2, "quantity received", true)
	m.itemID(&l.Item, s, 3, "UP")
	m.itemID(&l.Item, s, 5, s.Element(4))
	m.itemID(&l.Item, s, 7, s.Element(6))
	m.itemID(&l.Item, s, 11, s.Element(10))
	if l.Item.IsZero() {
		m.fail(s, 3, x12.ElemConditional, "W0703 (UPC) and W0704/05 (product ID) are missing: the line names no item")
	}
	return l
}

// readW13 reads an exception of the line: its receiving condition code goes to Exceptions, and a
// damaged quantity (code 01) to Damaged.
func (m *mapper) readW13(s *x12.Segment, l *receipt.Line) {
	code := m.required(s, 3, "receiving condition code")
	if code == "" {
		return
	}
	l.Exceptions = append(l.Exceptions, code)
	if code != receivingDamaged {
		return
	}
	q := m.quantity(s, 1, 2, "damaged quantity", true)
	switch {
	case q.IsZero():
	case l.Damaged.IsZero():
		l.Damaged = q
	case l.Damaged.Unit == q.Unit:
		l.Damaged.Amount = l.Damaged.Amount.Add(q.Amount)
	default:
		m.fail(s, 2, x12.ElemInvalidCode, "W1302 unit "+q.Unit+" differs from the line's earlier damaged quantity in "+l.Damaged.Unit)
	}
}

func receivedAmounts(lines []receipt.Line) []domain.Quantity {
	qs := make([]domain.Quantity, len(lines))
	for i := range lines {
		qs[i] = lines[i].Received
	}
	return qs
}

// checkTotal warns when a stated total quantity (element n of s) is not the sum of the lines'. The
// stated total has no unit: lines in several units are summed as numbers, as the partner did.
func (m *mapper) checkTotal(s *x12.Segment, n int, what string, lines []domain.Quantity) {
	total, ok := m.decimal(s, n, what)
	if !ok {
		return
	}
	sum := decimal.Zero
	for _, q := range lines {
		sum = sum.Add(q.Amount)
	}
	if !sum.Equal(total) {
		m.warn("%s: %s is %s but the lines add up to %s", where(s), what, total, sum)
	}
}
