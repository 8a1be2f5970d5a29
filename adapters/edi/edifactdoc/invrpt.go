package edifactdoc

import (
	"maps"
	"slices"
	"strings"

	"github.com/crossdock-hub/crossdock/adapters/edi/edifact"
	"github.com/crossdock-hub/crossdock/domain"
	"github.com/crossdock-hub/crossdock/domain/inventory"
)

// stockItem is one LIN of an INVRPT while it is read: its positions, one per location.
type stockItem struct {
	seg       *edifact.Segment
	ids       itemIDs
	positions []*stockPosition
	cur       *stockPosition
}

type stockPosition struct {
	seg      *edifact.Segment // the LOC, or the LIN for the position without a location
	pos      inventory.Position
	partners map[string]*edifact.Segment // canonical qualifier → the QTY that set it
}

// mapINVRPT maps an inventory report to an inventory.Snapshot.
//
// The as-of instant is DTM+366 (inventory report date), else the document date DTM+137 with a warning.
// The warehouse is the header's LOC+18, else NAD+WH. Under a LIN, a LOC+18 starts the position at that
// location; QTYs before any LOC+18 are the item's position with no location. A LOC with another
// qualifier under a LIN is an error: its quantities would land on the wrong place. Each QTY qualifier
// (6063) is mapped through Options.InventoryQualifiers; an unknown one is an error, as are two QTYs
// landing on the same qualifier of one position.
func mapINVRPT(m *mapper) domain.Document {
	var (
		snap  inventory.Snapshot
		bgm   *edifact.Segment
		hdr   = dates{}
		items []*stockItem
		it    *stockItem
		nadWH string
	)
	quals := m.opts.inventoryQualifiers()
	body := m.body()
	for i := range body {
		s := &body[i]
		switch s.Tag {
		case "BGM":
			bgm = s
		case "DTM":
			if it == nil {
				m.addDate(hdr, s, "366", "137")
			}
		case "NAD":
			if p := party(s); it == nil && p.Role == "WH" && nadWH == "" {
				nadWH = partyCode(p)
			}
		case "LOC":
			m.stockLOC(&snap, it, s)
		case "LIN":
			it = &stockItem{seg: s, ids: itemIDs{}}
			m.lin(&it.ids, s)
			items = append(items, it)
		case "PIA":
			if it != nil {
				m.pia(&it.ids, s)
			}
		case "IMD":
			if it != nil {
				imd(&it.ids, s)
			}
		case "QTY":
			if it != nil {
				m.stockQTY(it, s, quals)
			}
		}
	}

	if bgm == nil {
		m.missingSegment("BGM", "BGM segment")
	} else {
		snap.ReportID = bgm.Component(2, 1)
	}
	if st, ok := hdr.first("366", "137"); ok {
		snap.AsOf = st.at
		if st.qualifier == "137" {
			m.warn("%s: no inventory report date (DTM+366); the snapshot is as of the document date (DTM+137)", where(st.seg))
		}
	} else {
		m.missingSegment("DTM", "inventory report date (DTM+366, or the document date DTM+137)")
	}
	if snap.Warehouse == "" {
		snap.Warehouse = nadWH
	}
	if len(items) == 0 {
		m.missingSegment("LIN", "line item (LIN)")
	}
	snap.Positions = []inventory.Position{}
	for _, it := range items {
		m.requireItem(&it.ids, it.seg)
		if len(it.positions) == 0 {
			m.fail(it.seg, 0, 0, edifact.CodeMissing, "line "+quote(it.seg.Element(1))+" states no stock quantity (QTY)")
		}
		for _, p := range it.positions {
			if len(p.pos.Quantities) == 0 {
				m.fail(p.seg, 0, 0, edifact.CodeMissing, "location "+quote(p.pos.Location)+" of line "+
					quote(it.seg.Element(1))+" states no stock quantity (QTY)")
			}
			p.pos.Item = it.ids.ref
			snap.Positions = append(snap.Positions, p.pos)
		}
	}
	return snap
}

// stockLOC reads a LOC: before the first LIN, LOC+18 is the warehouse; under a LIN it starts a
// position.
func (m *mapper) stockLOC(snap *inventory.Snapshot, it *stockItem, s *edifact.Segment) {
	q, code := s.Element(1), strings.TrimSpace(s.Component(2, 1))
	if code == "" {
		code = strings.TrimSpace(s.Component(2, 4))
	}
	if it == nil {
		if q == "18" && snap.Warehouse == "" {
			snap.Warehouse = code
		}
		return
	}
	if q != "18" {
		m.fail(s, 1, 0, edifact.CodeNotSupportedValue, "LOC+"+q+" under line "+quote(it.seg.Element(1))+
			": only LOC+18 (warehouse or stock location) places a stock position")
		return
	}
	if code == "" {
		m.fail(s, 2, 1, edifact.CodeMissing, "LOC element 2 (location) is missing")
		return
	}
	for _, p := range it.positions {
		if p.pos.Location == code {
			it.cur = p
			return
		}
	}
	it.cur = newPosition(s, code)
	it.positions = append(it.positions, it.cur)
}

func newPosition(s *edifact.Segment, location string) *stockPosition {
	return &stockPosition{seg: s, partners: map[string]*edifact.Segment{},
		pos: inventory.Position{Location: location, Quantities: map[string]domain.Quantity{}, PartnerQualifiers: map[string]string{}}}
}

// stockQTY adds a quantity to the current position of it.
func (m *mapper) stockQTY(it *stockItem, s *edifact.Segment, quals map[string]string) {
	code := s.Component(1, 1)
	qual, ok := quals[code]
	if !ok {
		m.fail(s, 1, 1, edifact.CodeNotSupportedValue, "QTY qualifier "+quote(code)+" of line "+quote(it.seg.Element(1))+
			" has no inventory meaning configured for this partner (known: "+strings.Join(sortedKeys(quals), ", ")+")")
		return
	}
	q, ok := m.quantity(s, "stock quantity QTY+"+code)
	if !ok {
		return
	}
	if it.cur == nil {
		it.cur = newPosition(it.seg, "")
		it.positions = append(it.positions, it.cur)
	}
	p := it.cur
	if prev, dup := p.partners[qual]; dup {
		m.fail(s, 1, 1, edifact.CodeInvalidValue, "QTY+"+code+" gives the "+qual+" quantity of line "+quote(it.seg.Element(1))+
			" at location "+quote(p.pos.Location)+" again (first QTY+"+prev.Component(1, 1)+" at "+where(prev)+")")
		return
	}
	p.partners[qual] = s
	p.pos.Quantities[qual] = q
	p.pos.PartnerQualifiers[qual] = code
}

func sortedKeys(m map[string]string) []string { return slices.Sorted(maps.Keys(m)) }
