package edifactdoc

import (
	"strings"

	"github.com/shopspring/decimal"

	"github.com/crossdock-hub/crossdock/adapters/edi/edifact"
	"github.com/crossdock-hub/crossdock/domain"
	"github.com/crossdock-hub/crossdock/domain/order"
)

// lineActions maps LIN 1229 (action request/notification) in an ORDRSP to the canonical line status:
// 5 accepted without amendment, 3 changed and 6 accepted with amendment, 7 not accepted, 2 deleted and
// 10 not found (the supplier will not deliver the line). 1 (added: a line the supplier adds, e.g. a
// substitute) and any other code have no canonical meaning: order.LineOther, with the code kept in
// PartnerStatus.
var lineActions = map[string]string{
	"5":  order.LineAccepted,
	"3":  order.LineChanged,
	"6":  order.LineChanged,
	"7":  order.LineRejected,
	"2":  order.LineRejected,
	"10": order.LineRejected,
}

// headerLineStatus is the status of a line that gives no 1229, from the message's answer (BGM 4343,
// else 1225): the whole order accepted or rejected says it for every line.
var headerLineStatus = map[string]string{
	"AP": order.LineAccepted, // accepted
	"29": order.LineAccepted, // accepted without amendment
	"RE": order.LineRejected, // rejected
	"27": order.LineRejected, // not accepted
}

// ackLine is one LIN of an ORDRSP while it is read.
type ackLine struct {
	seg    *edifact.Segment
	ids    itemIDs
	qtys   map[string]domain.Quantity // 21 ordered, 113 to be delivered, 12 despatched
	prices []price
	dates  dates
}

// mapORDRSP maps an order response to an order.Acknowledgment. The answer is BGM 4343 (response type:
// AP accepted, CA conditionally accepted, RE rejected...), else BGM 1225 (29 accepted, 4 change, 27 not
// accepted); the order counts as not accepted only for RE or 27. A line's committed quantity is QTY+113
// (to be delivered), else QTY+12 (despatch), else the ordered QTY+21 it confirms; a rejected line
// without one commits zero.
func mapORDRSP(m *mapper) domain.Document {
	var (
		ack      order.Acknowledgment
		bgm      *edifact.Segment
		hdr      = dates{}
		currency string
		lines    []*ackLine
		ln       *ackLine
		summary  bool
	)
	body := m.body()
	for i := range body {
		s := &body[i]
		switch s.Tag {
		case "BGM":
			bgm = s
		case "DTM":
			switch {
			case ln == nil && !summary:
				m.addDate(hdr, s, "137")
			case ln != nil:
				m.addDate(ln.dates, s, "69", "17", "2")
			}
		case "RFF":
			if s.Component(1, 1) == "ON" && ack.PONumber == "" {
				ack.PONumber = strings.TrimSpace(s.Component(1, 2))
			}
		case "CUX":
			if currency == "" {
				currency = strings.TrimSpace(s.Component(1, 2))
			}
		case "LIN":
			ln = &ackLine{seg: s, qtys: map[string]domain.Quantity{}, dates: dates{}}
			m.lin(&ln.ids, s)
			lines = append(lines, ln)
		case "PIA":
			if ln != nil {
				m.pia(&ln.ids, s)
			}
		case "IMD":
			if ln != nil {
				imd(&ln.ids, s)
			}
		case "QTY":
			if q := s.Component(1, 1); ln != nil && (q == "21" || q == "113" || q == "12") {
				if _, dup := ln.qtys[q]; dup {
					m.fail(s, 1, 1, edifact.CodeInvalidValue, "a second QTY+"+q+" for line "+quote(ln.seg.Element(1)))
				} else if qty, ok := m.quantity(s, "quantity QTY+"+q); ok {
					ln.qtys[q] = qty
				}
			}
		case "PRI":
			if ln != nil {
				if p, ok := m.pri(s); ok {
					ln.prices = append(ln.prices, p)
				}
			}
		case "UNS":
			ln, summary = nil, true
		}
	}

	answer := ""
	if bgm == nil {
		m.missingSegment("BGM", "BGM segment (response number and type)")
	} else {
		ack.AckNumber = bgm.Component(2, 1)
		answer = bgm.Element(4)
		if answer == "" {
			answer = bgm.Element(3)
		}
		if answer == "" {
			m.fail(bgm, 4, 0, edifact.CodeMissing, "neither BGM element 4 (response type) nor element 3 (message function) says how the order is answered")
		}
		ack.AckType = answer
		ack.Accepted = answer != "RE" && answer != "27"
	}
	if st, ok := hdr.first("137"); ok {
		ack.Date = st.at
	}
	if ack.PONumber == "" {
		m.missingSegment("RFF", "purchase order number (RFF+ON)")
	}
	if len(lines) == 0 && ack.Accepted {
		m.missingSegment("LIN", "line item (LIN); only a rejection of the whole order may have none")
	}
	for _, l := range lines {
		ack.Lines = append(ack.Lines, m.ackLine(l, answer, currency))
	}
	if ack.Lines == nil {
		ack.Lines = []order.AckLine{}
	}
	return ack
}

// ackLine builds one canonical acknowledgment line.
func (m *mapper) ackLine(l *ackLine, answer, currency string) order.AckLine {
	line := order.AckLine{Number: l.seg.Element(1), Item: l.ids.ref, PartnerStatus: l.seg.Element(2)}
	if line.Number == "" {
		m.fail(l.seg, 1, 0, edifact.CodeMissing, "LIN element 1 (line item number) is missing")
	}
	m.requireItem(&l.ids, l.seg)
	switch st, ok := lineActions[line.PartnerStatus]; {
	case ok:
		line.Status = st
	case line.PartnerStatus == "" && headerLineStatus[answer] != "":
		line.Status = headerLineStatus[answer]
	default:
		line.Status = order.LineOther
		m.warn("%s: line %q has action code %q, which has no canonical status; it is %q", where(l.seg), line.Number,
			line.PartnerStatus, order.LineOther)
	}
	line.Ordered = l.qtys["21"]
	committed, ok := l.qtys["113"]
	if !ok {
		committed, ok = l.qtys["12"]
	}
	switch {
	case ok:
		line.Quantity = committed
	case line.Status == order.LineRejected:
		unit := line.Ordered.Unit
		if unit == "" {
			unit = m.opts.defaultUnit()
		}
		if q, err := domain.NewQuantity(decimal.Zero, unit); err == nil {
			line.Quantity = q
		}
	case !line.Ordered.IsZero():
		line.Quantity = line.Ordered
	default:
		m.fail(l.seg, 0, 0, edifact.CodeMissing, "line "+quote(line.Number)+" states no quantity (QTY+113, QTY+12 or QTY+21)")
	}
	if p, ok := bestPrice(l.prices); ok {
		line.UnitPrice = &domain.Money{Amount: p.amount, Currency: currency}
	}
	if st, ok := l.dates.first("69", "17", "2"); ok {
		line.ScheduledDate = st.at
	}
	return line
}
