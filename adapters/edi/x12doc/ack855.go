package x12doc

import (
	"strconv"

	"github.com/crossdock-hub/crossdock/adapters/edi/x12"
	"github.com/crossdock-hub/crossdock/domain"
	"github.com/crossdock-hub/crossdock/domain/order"
)

// lineStatus maps an ACK01 line item status code to a canonical line status.
func lineStatus(code string) string {
	switch code {
	case "IA", "AC", "AR":
		return order.LineAccepted
	case "IB", "BP":
		return order.LineBackordered
	case "IC", "IQ", "IP", "IS", "IE", "DR":
		return order.LineChanged
	case "IR", "R1", "R2", "R3", "R4", "ID":
		return order.LineRejected
	}
	return order.LineOther
}

// rejectsOrder reports whether a BAK02 acknowledgment type rejects the whole order: RJ (rejected, no
// detail) and RD (rejected with detail).
func rejectsOrder(ackType string) bool { return ackType == "RJ" || ackType == "RD" }

// po1Line is a PO1 being read, with the ACKs that follow it.
type po1Line struct {
	seg     *x12.Segment
	number  string
	item    domain.ItemRef
	ordered domain.Quantity
	price   *domain.Money
	acks    int
}

func map855(m *mapper) domain.Document {
	var ack order.Acknowledgment
	var cur *po1Line
	currency := ""
	seenBAK := false
	lines := 0
	flush := func() {
		if cur != nil && cur.acks == 0 {
			// A line without ACK takes the order's answer.
			l := cur.ackLine()
			l.Status, l.Quantity = order.LineAccepted, cur.ordered
			if !ack.Accepted {
				l.Status, l.Quantity = order.LineRejected, domain.Quantity{Unit: cur.ordered.Unit}
			}
			ack.Lines = append(ack.Lines, l)
		}
		cur = nil
	}
	for i, body := 0, m.body(); i < len(body); i++ {
		s := &body[i]
		switch s.ID {
		case "BAK":
			seenBAK = true
			ack.AckType = m.required(s, 2, "acknowledgment type")
			ack.Accepted = !rejectsOrder(ack.AckType)
			ack.PONumber = m.required(s, 3, "purchase order number")
			ack.Date = m.date(s, 4, "purchase order date")
			ack.AckNumber = s.Element(8)
		case "CUR":
			currency = s.Element(2)
		case "PO1":
			flush()
			lines++
			cur = &po1Line{seg: s, number: s.Element(1)}
			if cur.number == "" {
				cur.number = strconv.Itoa(lines)
			}
			cur.ordered = m.quantity(s, 2, 3, "quantity ordered", true)
			if p, ok := m.decimal(s, 4, "unit price"); ok {
				cur.price = money(p, currency)
			}
			m.idPairs(&cur.item, s, 6)
		case "PID":
			if cur != nil {
				description(&cur.item, s)
			}
		case "ACK":
			if cur == nil {
				m.fail(s, 0, x12.SegOutOfSequence, "ACK before any PO1: it acknowledges no line")
				continue
			}
			cur.acks++
			ack.Lines = append(ack.Lines, m.readACK(s, cur))
		case "CTT":
			flush()
		}
	}
	flush()
	if !seenBAK {
		m.missingSegment("BAK", "beginning segment for purchase order acknowledgment")
	}
	if ack.Lines == nil {
		ack.Lines = []order.AckLine{}
	}
	return ack
}

func (l *po1Line) ackLine() order.AckLine {
	return order.AckLine{Number: l.number, Item: l.item, Ordered: l.ordered, UnitPrice: l.price}
}

// readACK reads one ACK of a line: its status, the quantity it commits to (the ordered quantity when
// ACK02 is absent, none for a rejection) and its date.
func (m *mapper) readACK(s *x12.Segment, cur *po1Line) order.AckLine {
	l := cur.ackLine()
	l.PartnerStatus = m.required(s, 1, "line item status code")
	l.Status = lineStatus(l.PartnerStatus)
	switch {
	case s.Element(2) != "" && s.Element(3) == "":
		// No unit: the quantity is in the ordered quantity's unit.
		if q, ok := m.decimal(s, 2, "quantity"); ok {
			if cur.ordered.Unit == "" {
				m.fail(s, 3, x12.ElemMandatory, "ACK03 (unit of the quantity) is missing")
			}
			l.Quantity = domain.Quantity{Amount: q, Unit: cur.ordered.Unit}
		}
	case s.Element(2) != "":
		l.Quantity = m.quantity(s, 2, 3, "quantity", true)
	case l.Status == order.LineRejected:
		l.Quantity = domain.Quantity{Unit: cur.ordered.Unit}
	default:
		l.Quantity = cur.ordered
	}
	if s.Element(5) != "" {
		l.ScheduledDate = m.date(s, 5, "date")
	}
	return l
}
