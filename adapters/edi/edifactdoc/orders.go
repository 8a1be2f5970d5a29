package edifactdoc

import (
	"strings"

	"github.com/crossdock-hub/crossdock/adapters/edi/edifact"
	"github.com/crossdock-hub/crossdock/domain"
	"github.com/crossdock-hub/crossdock/domain/order"
)

// orderTotalPreference ranks the summary amounts that state an order total: 86 message total, 128
// total amount, 77 invoice amount, 39 invoice total, 79 total of the line amounts.
var orderTotalPreference = []string{"86", "128", "77", "39", "79"}

// orderLine is one LIN of an ORDERS while it is read.
type orderLine struct {
	seg    *edifact.Segment
	ids    itemIDs
	qty    domain.Quantity
	hasQty bool
	prices []price
}

// mapORDERS maps a purchase order (ours, read back, or a partner's for `crossdock inspect`) to an
// order.PurchaseOrder: BGM 1004 the number and 1225 the purpose, DTM+137 (else DTM+4) the order date,
// DTM+2 the requested delivery, CUX the currency, NAD the parties (NAD+SU the supplier), LIN/PIA/IMD
// the items (an untyped number is the buyer's: the buyer sends the order), QTY+21 the quantity, PRI the
// unit price, and after UNS the total by orderTotalPreference.
func mapORDERS(m *mapper) domain.Document {
	var (
		po     order.PurchaseOrder
		bgm    *edifact.Segment
		hdr    = dates{}
		lines  []*orderLine
		ln     *orderLine
		uns    bool
		totals = map[string]moneyAmount{}
	)
	body := m.body()
	for i := range body {
		s := &body[i]
		switch s.Tag {
		case "BGM":
			bgm = s
		case "DTM":
			if ln == nil && !uns {
				m.addDate(hdr, s, "137", "4", "2")
			}
		case "CUX":
			if po.Currency == "" {
				po.Currency = strings.TrimSpace(s.Component(1, 2))
			}
		case "NAD":
			if ln == nil && !uns {
				if p := party(s); p.Role != "" {
					po.Parties = append(po.Parties, p)
					if p.Role == "SU" && po.Supplier == "" {
						po.Supplier = partyCode(p)
					}
				}
			}
		case "LIN":
			ln = &orderLine{seg: s, ids: itemIDs{untypedIsBuyer: true}}
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
			if ln != nil && s.Component(1, 1) == "21" {
				if ln.hasQty {
					m.fail(s, 1, 1, edifact.CodeInvalidValue, "a second ordered quantity (QTY+21) for line "+quote(ln.seg.Element(1)))
				} else if q, ok := m.quantity(s, "ordered quantity"); ok {
					ln.qty, ln.hasQty = q, true
				}
			}
		case "PRI":
			if ln != nil {
				if p, ok := m.pri(s); ok {
					ln.prices = append(ln.prices, p)
				}
			}
		case "UNS":
			ln, uns = nil, true
		case "MOA":
			if uns {
				if a, ok := m.moa(s); ok {
					if _, dup := totals[a.qualifier]; !dup {
						totals[a.qualifier] = a
					}
				}
			}
		}
	}

	if bgm == nil {
		m.missingSegment("BGM", "BGM segment (order number)")
	} else {
		po.PONumber = m.required(bgm, 2, 1, "order number")
		po.Purpose = m.purpose(bgm)
	}
	if st, ok := hdr.first("137", "4"); ok {
		po.OrderDate = st.at
	} else {
		m.missingSegment("DTM", "order date (DTM+137 or DTM+4)")
	}
	if st, ok := hdr.first("2"); ok {
		po.RequestedDelivery = st.at
	}
	if len(lines) == 0 {
		m.missingSegment("LIN", "line item (LIN)")
	}
	for _, l := range lines {
		line := order.Line{Number: l.seg.Element(1), Item: l.ids.ref, Quantity: l.qty}
		if line.Number == "" {
			m.fail(l.seg, 1, 0, edifact.CodeMissing, "LIN element 1 (line item number) is missing")
		}
		m.requireItem(&l.ids, l.seg)
		if !l.hasQty {
			m.fail(l.seg, 0, 0, edifact.CodeMissing, "line "+quote(line.Number)+" has no ordered quantity (QTY+21)")
		}
		if p, ok := bestPrice(l.prices); ok {
			line.UnitPrice = &domain.Money{Amount: p.amount, Currency: po.Currency}
		}
		po.Lines = append(po.Lines, line)
	}
	for _, q := range orderTotalPreference {
		if a, ok := totals[q]; ok {
			cur := a.currency
			if cur == "" {
				cur = po.Currency
			}
			po.Total = &domain.Money{Amount: a.amount, Currency: cur}
			break
		}
	}
	return po
}
