package x12doc

import (
	"github.com/crossdock-hub/crossdock/adapters/edi/x12"
	"github.com/crossdock-hub/crossdock/domain"
)

// Product/service ID qualifiers (X12 element 235) and the ItemRef field each fills. The first value for
// a field wins; other qualifiers (PR process number, B6 author, ...) are not identifiers of the item
// and are ignored.
//
//	UP, UI, UA, UN   U.P.C. consumer package / case codes      → UPC
//	EN, UK, EO       EAN, GTIN-14, EAN of the outer package     → GTIN
//	BP, CB, IN, PI   buyer's part, catalog and item numbers     → BuyerItem
//	VP, VN, VA, SK,  vendor's part, item, style numbers, SKU,   → PartnerItem
//	MG, MF           manufacturer's part number
//
// A UPC or GTIN must be digits: a partner that labels its style code EN is not sending a GTIN, and
// such a value is left out (ok false) rather than put where a crosswalk would look for a barcode.
func setItemID(r *domain.ItemRef, qualifier, id string) (ok bool) {
	if id == "" {
		return true
	}
	var field *string
	barcode := false
	switch qualifier {
	case "UP", "UI", "UA", "UN":
		field, barcode = &r.UPC, true
	case "EN", "UK", "EO":
		field, barcode = &r.GTIN, true
	case "BP", "CB", "IN", "PI":
		field = &r.BuyerItem
	case "VP", "VN", "VA", "SK", "MG", "MF":
		field = &r.PartnerItem
	default:
		return true
	}
	if barcode && (len(id) < 8 || len(id) > 14 || !allDigits(id)) {
		return false
	}
	if *field == "" {
		*field = id
	}
	return true
}

// itemID is setItemID with a warning for a value left out; n is the element of the ID.
func (m *mapper) itemID(r *domain.ItemRef, s *x12.Segment, n int, qualifier string) {
	if !setItemID(r, qualifier, s.Element(n)) {
		m.warn("%s: %s %s %q is not a barcode (8 to 14 digits); left out of the item's identifiers",
			where(s), ref(s, n), qualifier, s.Element(n))
	}
}

// idPairs reads qualifier/ID pairs from element first onwards (LIN02/03, PO106/07, IT106/07...).
func (m *mapper) idPairs(r *domain.ItemRef, s *x12.Segment, first int) {
	for n := first; n+1 <= len(s.Elements); n += 2 {
		m.itemID(r, s, n+1, s.Elements[n-1])
	}
}

// description reads a PID segment's free-form description (PID05) into r, once.
func description(r *domain.ItemRef, s *x12.Segment) {
	if r.Description == "" {
		r.Description = s.Element(5)
	}
}
