package x12doc

import (
	"strconv"

	"github.com/crossdock-hub/crossdock/adapters/edi/x12"
	"github.com/crossdock-hub/crossdock/domain"
	"github.com/crossdock-hub/crossdock/domain/order"
)

func map945(m *mapper) domain.Document {
	sc := order.ShipConfirmation{Lines: []order.ShipmentLine{}}
	var w06 *x12.Segment
	var line *order.ShipmentLine
	shippedOn := false // ShipDate came from G62*11
	headerSSCC, lxSSCC := "", ""
	lx, lxUsed, seenLX := "", false, false
	bol := ""
	for i, body := 0, m.body(); i < len(body); i++ {
		s := &body[i]
		switch s.ID {
		case "W06":
			w06 = s
			sc.OrderNumber = m.required(s, 2, "depositor order number")
			if !shippedOn {
				sc.ShipDate = m.date(s, 3, "date")
			}
			sc.ShipmentID, sc.PONumber = s.Element(4), s.Element(6)
		case "N1":
			p := party(s)
			sc.Parties = append(sc.Parties, p)
			if p.Role == "WH" && sc.Warehouse == "" {
				sc.Warehouse = partyCode(s)
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
			sc.References = append(sc.References, domain.Reference{Qualifier: q, Value: v})
			switch q {
			case "CN":
				if sc.TrackingNumber == "" {
					sc.TrackingNumber = v
				}
			case "BM":
				if bol == "" {
					bol = v
				}
			}
		case "G62":
			if s.Element(1) == "11" && !shippedOn {
				if d := m.dateTime(s, 2, 4, "shipped date"); !d.IsZero() {
					sc.ShipDate, shippedOn = d, true
				}
			}
		case "W27":
			if sc.CarrierSCAC == "" {
				sc.CarrierSCAC = s.Element(2)
			}
		case "MAN":
			if s.Element(1) != "GM" || s.Element(2) == "" {
				continue
			}
			sscc := m.sscc(s, s.Element(2))
			if !seenLX {
				headerSSCC = sscc
			} else {
				lxSSCC = sscc
			}
		case "LX":
			lx, lxUsed, lxSSCC, line, seenLX = s.Element(1), false, "", nil, true
		case "W12":
			number := lx
			if number == "" || lxUsed {
				number = strconv.Itoa(len(sc.Lines) + 1)
			}
			lxUsed = true
			l := m.readW12(s, number)
			l.SSCC = headerSSCC
			if lxSSCC != "" {
				l.SSCC = lxSSCC
			}
			sc.Lines = append(sc.Lines, l)
			line = &sc.Lines[len(sc.Lines)-1]
		case "W03":
			shipped := make([]domain.Quantity, len(sc.Lines))
			for i := range sc.Lines {
				shipped[i] = sc.Lines[i].Shipped
			}
			m.checkTotal(s, 1, "W0301 total units shipped", shipped)
		}
	}
	if sc.TrackingNumber == "" {
		sc.TrackingNumber = bol
	}
	if w06 == nil {
		m.missingSegment("W06", "warehouse shipment identification")
	} else if sc.ShipDate.IsZero() && w06.Element(3) == "" {
		m.fail(w06, 3, x12.ElemMandatory, "W0603 (date) is missing and no G62*11 gives the ship date")
	}
	if len(sc.Lines) == 0 {
		m.missingSegment("W12", "no line shipped")
	}
	return sc
}

// readW12 reads a shipped line: W1202 ordered, W1203 shipped, W1205 unit, W1206 UPC, W1207/08
// qualifier/ID, W1209 lot.
func (m *mapper) readW12(s *x12.Segment, number string) order.ShipmentLine {
	l := order.ShipmentLine{Number: number, Lot: s.Element(9)}
	l.Shipped = m.quantity(s, 3, 5, "number of units shipped", true)
	l.Ordered = m.quantity(s, 2, 5, "quantity ordered", false)
	m.itemID(&l.Item, s, 6, "UP")
	m.itemID(&l.Item, s, 8, s.Element(7))
	if l.Item.IsZero() {
		m.fail(s, 6, x12.ElemConditional, "W1206 (UPC) and W1207/08 (product ID) are missing: the line names no item")
	}
	return l
}
