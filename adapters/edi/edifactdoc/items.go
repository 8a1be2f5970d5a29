package edifactdoc

import (
	"strings"

	"github.com/crossdock-hub/crossdock/adapters/edi/edifact"
	"github.com/crossdock-hub/crossdock/domain"
)

// Item number types (data element 7143) and the ItemRef field each fills:
//
//	EN, SRV       EAN / GS1 Global Trade Item Number          → GTIN
//	UP            U.P.C.                                      → UPC
//	IN, BP        buyer's item number, buyer's part number    → BuyerItem
//	SA, VN, MF    supplier's article number, vendor item      → PartnerItem
//	              number, manufacturer's article number
//	(none)        the sender's own number                     → PartnerItem, or BuyerItem in an
//	                                                            ORDERS (the buyer sends it)
//
// NB (batch number) is the lot, read by the DESADV mapper. Any other type names something that is not
// the item (a promotional variant, a serial number) and is ignored with a warning.
func itemField(r *domain.ItemRef, typ string, untypedIsBuyer bool) *string {
	switch typ {
	case "EN", "SRV":
		return &r.GTIN
	case "UP":
		return &r.UPC
	case "IN", "BP":
		return &r.BuyerItem
	case "SA", "VN", "MF":
		return &r.PartnerItem
	case "":
		if untypedIsBuyer {
			return &r.BuyerItem
		}
		return &r.PartnerItem
	}
	return nil
}

// itemIDs collects the identification of one line: LIN C212 and every PIA C212, and its description.
type itemIDs struct {
	ref domain.ItemRef
	// lot is a PIA batch number (7143 NB), for the mappers that keep one.
	lot string
	// untypedIsBuyer says whose number an id without a type is.
	untypedIsBuyer bool
}

// add records id of type typ read at element el of s; the first value of each field wins.
func (m *mapper) addItemID(ids *itemIDs, s *edifact.Segment, el int) {
	id := strings.TrimSpace(s.Component(el, 1))
	typ := s.Component(el, 2)
	if id == "" {
		return
	}
	if typ == "NB" {
		if ids.lot == "" {
			ids.lot = id
		}
		return
	}
	f := itemField(&ids.ref, typ, ids.untypedIsBuyer)
	if f == nil {
		m.warn("%s: item number %q of type %q is not an item identifier Crossdock uses; ignored", where(s), id, typ)
		return
	}
	switch {
	case *f == "":
		*f = id
	case *f != id:
		m.warn("%s: item number %q of type %q differs from %q given before for the same line; the first is kept",
			where(s), id, typeLabel(typ), *f)
	}
}

func typeLabel(typ string) string {
	if typ == "" {
		return "(none)"
	}
	return typ
}

// lin reads the item number of a LIN segment (element 3, C212).
func (m *mapper) lin(ids *itemIDs, s *edifact.Segment) { m.addItemID(ids, s, 3) }

// pia reads the additional identifications of a PIA segment: elements 2 to 6, each a C212.
func (m *mapper) pia(ids *itemIDs, s *edifact.Segment) {
	for el := 2; el <= len(s.Elements) && el <= 6; el++ {
		m.addItemID(ids, s, el)
	}
}

// imd reads an item description (IMD C273: 7008 description, twice) into the line's ref, once.
func imd(ids *itemIDs, s *edifact.Segment) {
	if ids.ref.Description != "" {
		return
	}
	var parts []string
	for _, c := range []int{4, 5} {
		if v := strings.TrimSpace(s.Component(3, c)); v != "" {
			parts = append(parts, v)
		}
	}
	ids.ref.Description = strings.Join(parts, " ")
}

// requireItem records a problem when a line has no identifier at all.
func (m *mapper) requireItem(ids *itemIDs, lin *edifact.Segment) {
	if ids.ref.IsZero() {
		m.fail(lin, 3, 1, edifact.CodeMissing, "line "+quote(lin.Element(1))+
			" identifies no item: no number of a known type in LIN element 3 or PIA")
	}
}
