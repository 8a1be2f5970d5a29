package x12doc

import (
	"github.com/crossdock-hub/crossdock/adapters/edi/x12"
	"github.com/crossdock-hub/crossdock/domain"
	"github.com/crossdock-hub/crossdock/domain/inventory"
)

// invItem is a LIN of an 846 being read: the item, its whole-warehouse quantities, and its quantities
// by location (from SDQ).
type invItem struct {
	lin      *x12.Segment
	ref      domain.ItemRef
	whole    inventory.Position
	split    map[string]bool // canonical qualifiers an SDQ split by location
	byPlace  []inventory.Position
	lastQty  string // canonical qualifier of the last QTY, which an SDQ splits
	lastCode string // its partner code
	hasQty   bool
}

func map846(m *mapper) domain.Document {
	snap := inventory.Snapshot{Positions: []inventory.Position{}}
	var bia *x12.Segment
	var item *invItem
	qualifiers := m.opts.inventoryQualifiers()
	flush := func() {
		if item != nil {
			snap.Positions = append(snap.Positions, m.closeItem846(item)...)
			item = nil
		}
	}
	for i, body := 0, m.body(); i < len(body); i++ {
		s := &body[i]
		switch s.ID {
		case "BIA":
			bia = s
			snap.ReportID = s.Element(3)
			snap.AsOf = m.dateTime(s, 4, 5, "inventory date")
			if s.Element(4) == "" {
				m.fail(s, 4, x12.ElemMandatory, "BIA04 (date) is missing: the snapshot has no instant")
			}
		case "N1":
			if s.Element(1) == "WH" && snap.Warehouse == "" {
				snap.Warehouse = partyCode(s)
			}
		case "LIN":
			flush()
			item = &invItem{lin: s}
			m.idPairs(&item.ref, s, 2)
		case "PID":
			if item != nil {
				description(&item.ref, s)
			}
		case "QTY":
			if item == nil {
				m.fail(s, 0, x12.SegOutOfSequence, "QTY before any LIN: the quantity concerns no item")
				continue
			}
			m.readQTY(s, item, qualifiers)
		case "SDQ":
			if item == nil || item.lastQty == "" {
				m.fail(s, 0, x12.SegOutOfSequence, "SDQ without a QTY before it in its LIN loop: what it counts is unknown")
				continue
			}
			m.readSDQ(s, item)
		}
	}
	flush()
	if bia == nil {
		m.missingSegment("BIA", "beginning segment for inventory inquiry/advice")
	}
	if len(snap.Positions) == 0 && len(m.errs) == 0 {
		m.missingSegment("LIN", "no item")
	}
	return snap
}

// readQTY reads QTY01 qualifier (mapped through Options.InventoryQualifiers, failing closed), QTY02
// quantity and QTY03 unit.
func (m *mapper) readQTY(s *x12.Segment, item *invItem, qualifiers map[string]string) {
	// A QTY in error is reported for itself; the item does not also lack quantities.
	item.lastQty, item.lastCode, item.hasQty = "", "", true
	code := m.required(s, 1, "quantity qualifier")
	if code == "" {
		return
	}
	qualifier, ok := qualifiers[code]
	if !ok {
		m.fail(s, 1, x12.ElemInvalidCode, "QTY01 "+quote(code)+
			" is not a quantity qualifier configured for this partner (Options.InventoryQualifiers)")
		return
	}
	q := m.quantity(s, 2, 3, "quantity", true)
	if q.IsZero() {
		return
	}
	if _, dup := item.whole.Quantities[qualifier]; dup {
		m.fail(s, 1, x12.ElemInvalidCode, "QTY01 "+quote(code)+" gives the item's "+qualifier+
			" quantity a second time")
		return
	}
	if item.whole.Quantities == nil {
		item.whole.Quantities = make(map[string]domain.Quantity, 2)
		item.whole.PartnerQualifiers = make(map[string]string, 2)
	}
	item.whole.Quantities[qualifier] = q
	item.whole.PartnerQualifiers[qualifier] = code
	item.lastQty, item.lastCode = qualifier, code
}

// readSDQ splits the last QTY by location: SDQ01 unit, then location/quantity pairs from SDQ03/04 to
// SDQ21/22.
func (m *mapper) readSDQ(s *x12.Segment, item *invItem) {
	unit := m.required(s, 1, "unit")
	if unit == "" {
		return
	}
	if item.split == nil {
		item.split = make(map[string]bool, 2)
	}
	item.split[item.lastQty] = true
	for n := 3; n <= 21; n += 2 {
		place := s.Element(n)
		if place == "" {
			if s.Element(n+1) != "" {
				m.fail(s, n, x12.ElemConditional, ref(s, n)+" (location) is missing for the quantity in "+ref(s, n+1))
			}
			continue
		}
		q := m.quantity(s, n+1, 1, "quantity at "+place, true)
		if q.IsZero() {
			continue
		}
		pos := item.place(place)
		if prev, dup := pos.Quantities[item.lastQty]; dup {
			if prev.Unit != q.Unit {
				m.fail(s, n+1, x12.ElemInvalidCode, "location "+place+" has its "+item.lastQty+" quantity in "+prev.Unit+" and "+q.Unit)
				continue
			}
			q.Amount = q.Amount.Add(prev.Amount)
		}
		pos.Quantities[item.lastQty] = q
		pos.PartnerQualifiers[item.lastQty] = item.lastCode
	}
}

// place returns the position of the item at a location, adding it on first use.
func (it *invItem) place(location string) *inventory.Position {
	for i := range it.byPlace {
		if it.byPlace[i].Location == location {
			return &it.byPlace[i]
		}
	}
	it.byPlace = append(it.byPlace, inventory.Position{Location: location,
		Quantities: make(map[string]domain.Quantity, 2), PartnerQualifiers: make(map[string]string, 2)})
	return &it.byPlace[len(it.byPlace)-1]
}

// closeItem846 checks an item and returns its positions: one per SDQ location, and one for the whole
// warehouse with the quantities no SDQ split.
func (m *mapper) closeItem846(it *invItem) []inventory.Position {
	if it.ref.IsZero() {
		m.fail(it.lin, 0, x12.SegMandatory, "LIN names no item: no UPC, GTIN, buyer's or vendor's part number")
	}
	if !it.hasQty {
		m.fail(it.lin, 0, x12.SegMandatory, "the item has no QTY: the snapshot would not say how many there are")
		return nil
	}
	positions := make([]inventory.Position, 0, len(it.byPlace)+1)
	if len(it.split) < len(it.whole.Quantities) {
		whole := inventory.Position{Item: it.ref, Quantities: it.whole.Quantities, PartnerQualifiers: it.whole.PartnerQualifiers}
		for q := range it.split {
			delete(whole.Quantities, q)
			delete(whole.PartnerQualifiers, q)
		}
		positions = append(positions, whole)
	}
	for _, p := range it.byPlace {
		p.Item = it.ref
		positions = append(positions, p)
	}
	return positions
}
