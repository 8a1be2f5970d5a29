package x12doc

import (
	"strconv"

	"github.com/shopspring/decimal"

	"github.com/crossdock-hub/crossdock/adapters/edi/x12"
	"github.com/crossdock-hub/crossdock/domain"
	"github.com/crossdock-hub/crossdock/domain/order"
)

// purposes maps a transaction set purpose code (BEG01, BSN01) to the canonical purpose and back.
var purposes = map[string]string{"00": "original", "05": "replace", "01": "cancel"}

func purposeCode(p string) (string, bool) {
	switch p {
	case "", "original":
		return "00", true
	case "replace":
		return "05", true
	case "cancel":
		return "01", true
	}
	return "", false
}

// map850 reads a purchase order: what Crossdock sends, read back (round trips, and buyers that copy
// Crossdock on their orders).
func map850(m *mapper) domain.Document {
	po := order.PurchaseOrder{Lines: []order.Line{}}
	var beg *x12.Segment
	var line *order.Line
	for i, body := 0, m.body(); i < len(body); i++ {
		s := &body[i]
		switch s.ID {
		case "BEG":
			beg = s
			code := s.Element(1)
			if p, ok := purposes[code]; ok {
				po.Purpose = p
			} else {
				po.Purpose = "original"
				m.warn("%s: BEG01 purpose %q is not original (00), replace (05) or cancel (01); taken as original", where(s), code)
			}
			po.PONumber = m.required(s, 3, "purchase order number")
			po.OrderDate = m.date(s, 5, "purchase order date")
			if s.Element(5) == "" {
				m.fail(s, 5, x12.ElemMandatory, "BEG05 (date) is missing")
			}
		case "CUR":
			po.Currency = s.Element(2)
		case "DTM":
			if s.Element(1) == "002" && po.RequestedDelivery.IsZero() {
				po.RequestedDelivery = m.dateTime(s, 2, 3, "delivery requested")
			}
		case "N1":
			po.Parties = append(po.Parties, party(s))
		case "PO1":
			po.Lines = append(po.Lines, m.readPO1(s, len(po.Lines)+1, po.Currency))
			line = &po.Lines[len(po.Lines)-1]
		case "PID":
			if line != nil {
				description(&line.Item, s)
			}
		case "AMT":
			if q := s.Element(1); (q == "1" || q == "TT") && po.Total == nil {
				if d, ok := m.decimal(s, 2, "total amount"); ok {
					po.Total = money(d, po.Currency)
				}
			}
		}
	}
	if beg == nil {
		m.missingSegment("BEG", "beginning segment for purchase order")
	}
	if len(po.Lines) == 0 {
		m.missingSegment("PO1", "no line")
	}
	return po
}

// readPO1 reads an order line: PO101 line number (its position when absent), PO102 quantity, PO103
// unit, PO104 unit price, PO106 onwards qualifier/ID pairs.
func (m *mapper) readPO1(s *x12.Segment, position int, currency string) order.Line {
	l := order.Line{Number: s.Element(1)}
	if l.Number == "" {
		l.Number = strconv.Itoa(position)
	}
	l.Quantity = m.quantity(s, 2, 3, "quantity ordered", true)
	if p, ok := m.decimal(s, 4, "unit price"); ok {
		l.UnitPrice = money(p, currency)
	}
	m.idPairs(&l.Item, s, 6)
	if l.Item.IsZero() {
		m.fail(s, 6, x12.ElemMandatory, "PO106/PO107 (product ID) is missing: the line names no item")
	}
	return l
}

// Encode850 writes po as an X12 850 in one interchange. Items are sent as BP (the buyer's part number:
// BuyerItem, else Product, Odoo's code), VN (the supplier's item number), UP (UPC) and EN or UK (a GTIN
// of 13 or 14 digits). Lines need a positive quantity and at least one identifier.
func Encode850(po order.PurchaseOrder, env Envelope) ([]byte, error) {
	var errs problems
	if po.PONumber == "" {
		errs.add("/po_number", "is required")
	}
	if po.OrderDate.IsZero() {
		errs.add("/order_date", "is required")
	}
	purpose, ok := purposeCode(po.Purpose)
	if !ok {
		errs.add("/purpose", quote(po.Purpose)+" is not original, replace or cancel")
	}
	if len(po.Lines) == 0 {
		errs.add("/lines", "must have at least one line")
	}
	for i, l := range po.Lines {
		checkLine(&errs, "/lines/"+strconv.Itoa(i), l)
	}
	if err := errs.err("850"); err != nil {
		return nil, err
	}
	return env.write("PO", "850", func(t *x12.TransactionWriter) {
		t.Segment("BEG", purpose, "SA", po.PONumber, "", po.OrderDate.Format("20060102"))
		if po.Currency != "" {
			t.Segment("CUR", "BY", po.Currency)
		}
		if !po.RequestedDelivery.IsZero() {
			t.Segment("DTM", "002", po.RequestedDelivery.UTC().Format("20060102"))
		}
		for _, p := range po.Parties {
			t.Segment("N1", p.Role, p.Name, p.IDQualifier, p.ID)
		}
		hash := decimal.Zero
		for i, l := range po.Lines {
			number := l.Number
			if number == "" {
				number = strconv.Itoa(i + 1)
			}
			price := ""
			if l.UnitPrice != nil {
				price = l.UnitPrice.Amount.String()
			}
			el := append([]string{number, l.Quantity.Amount.String(), l.Quantity.Unit, price, ""}, itemPairs(l.Item)...)
			t.Segment("PO1", el...)
			if l.Item.Description != "" {
				t.Segment("PID", "F", "", "", "", l.Item.Description)
			}
			hash = hash.Add(l.Quantity.Amount)
		}
		t.Segment("CTT", strconv.Itoa(len(po.Lines)), hash.String())
		if po.Total != nil {
			t.Segment("AMT", "TT", po.Total.Amount.String())
		}
	})
}
