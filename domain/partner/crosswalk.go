package partner

import (
	"slices"
	"strings"
	"time"

	"github.com/crossdock-hub/crossdock/domain"
)

// ItemIDs are the identifiers a partner's document gives for one item, and the business instant the
// document speaks of.
type ItemIDs struct {
	// Product is an Odoo default_code the document gives directly (canonical JSON).
	Product string
	// PartnerItem is the partner's own item code (X12 VP/VN/SK, EDIFACT SA).
	PartnerItem string
	// UPC and GTIN are matched as GTIN-14 (see GTIN14).
	UPC  string
	GTIN string
	// Buyer is the buyer's part number (X12 BP, EDIFACT IN): the company's own code as the partner
	// knows it.
	Buyer string
	// At is the business instant (ship date, as-of date) the crosswalk is read at: an entry applies from
	// its EffectiveFrom on. The zero At is before every date, so only undated entries apply: a caller
	// that forgets to pass the instant never gets a remap scheduled for later.
	At time.Time
}

// ItemTarget is what a crosswalk entry maps to: Odoo's default_code, its barcode, or both.
type ItemTarget struct {
	Product string
	Barcode string
}

// Crosswalk is a profile's item crosswalk and unit table indexed for lookups. Build it once with
// NewCrosswalk for a document of many lines; Profile.ResolveItem and Profile.ConvertUnit build one per
// call. A Crosswalk is immutable and safe for concurrent use.
type Crosswalk struct {
	byItem    map[string][]ItemMapping // partner item -> entries by EffectiveFrom
	byGTIN    map[string][]ItemMapping // GTIN-14 -> entries by EffectiveFrom
	units     map[string][]UnitMapping // partner unit -> entries by EffectiveFrom
	canonical map[string]time.Time     // canonical unit -> earliest EffectiveFrom naming it
}

// NewCrosswalk indexes p's items and units. p should be valid (Validate); entries with identifiers that
// do not parse are left out.
func NewCrosswalk(p Profile) *Crosswalk {
	c := &Crosswalk{
		byItem: map[string][]ItemMapping{}, byGTIN: map[string][]ItemMapping{},
		units: map[string][]UnitMapping{}, canonical: map[string]time.Time{},
	}
	for _, raw := range p.Items {
		it := normItem(raw)
		if it.PartnerItem != "" {
			c.byItem[it.PartnerItem] = append(c.byItem[it.PartnerItem], it)
		}
		var seen []string
		for _, code := range []string{it.UPC, it.GTIN} {
			if g, ok := GTIN14(code); ok && !slices.Contains(seen, g) {
				c.byGTIN[g] = append(c.byGTIN[g], it)
				seen = append(seen, g)
			}
		}
	}
	for _, raw := range p.Units {
		u := normUnit(raw)
		c.units[u.PartnerUnit] = append(c.units[u.PartnerUnit], u)
		if from, ok := c.canonical[u.Unit]; !ok || u.EffectiveFrom.Before(from) {
			c.canonical[u.Unit] = u.EffectiveFrom
		}
	}
	for _, es := range c.byItem {
		slices.SortStableFunc(es, func(a, b ItemMapping) int { return a.EffectiveFrom.Compare(b.EffectiveFrom) })
	}
	for _, es := range c.byGTIN {
		slices.SortStableFunc(es, func(a, b ItemMapping) int { return a.EffectiveFrom.Compare(b.EffectiveFrom) })
	}
	for _, es := range c.units {
		slices.SortStableFunc(es, func(a, b UnitMapping) int { return a.EffectiveFrom.Compare(b.EffectiveFrom) })
	}
	return c
}

// latest returns the last entry (entries sorted by EffectiveFrom) in effect at at.
func latest[T any](entries []T, at time.Time, from func(T) time.Time) (T, bool) {
	for i := len(entries) - 1; i >= 0; i-- {
		if !from(entries[i]).After(at) {
			return entries[i], true
		}
	}
	var zero T
	return zero, false
}

func itemFrom(m ItemMapping) time.Time { return m.EffectiveFrom }

func unitFrom(u UnitMapping) time.Time { return u.EffectiveFrom }

// ResolveTarget maps the item identifiers of a document line to the Odoo product, at ids.At:
//
//  1. Each of PartnerItem, UPC and GTIN that has an entry in effect at ids.At names a target. They must
//     all name the same one; identifiers that disagree (the partner item says one product, the UPC
//     another) resolve to nothing rather than to a guess.
//  2. With no entry for any of them, Product, or else Buyer, is taken as the Odoo default_code itself
//     (both given and different: nothing).
//  3. Otherwise nothing: the line cannot be attributed to a product.
func (c *Crosswalk) ResolveTarget(ids ItemIDs) (ItemTarget, bool) {
	var found []ItemTarget
	if pi := strings.TrimSpace(ids.PartnerItem); pi != "" {
		if m, ok := latest(c.byItem[pi], ids.At, itemFrom); ok {
			found = append(found, ItemTarget{Product: m.Product, Barcode: m.Barcode})
		}
	}
	for _, code := range []string{ids.UPC, ids.GTIN} {
		g, ok := GTIN14(code)
		if !ok {
			continue
		}
		if m, ok := latest(c.byGTIN[g], ids.At, itemFrom); ok {
			found = append(found, ItemTarget{Product: m.Product, Barcode: m.Barcode})
		}
	}
	if len(found) > 0 {
		for _, t := range found[1:] {
			if t != found[0] {
				return ItemTarget{}, false
			}
		}
		return found[0], true
	}
	product, buyer := strings.TrimSpace(ids.Product), strings.TrimSpace(ids.Buyer)
	switch {
	case product != "" && buyer != "" && product != buyer:
		return ItemTarget{}, false
	case product != "":
		return ItemTarget{Product: product}, true
	case buyer != "":
		return ItemTarget{Product: buyer}, true
	}
	return ItemTarget{}, false
}

// ResolveItem is ResolveTarget for callers that need Odoo's default_code: an entry that maps only to a
// barcode resolves to nothing here (use ResolveTarget to look the product up by barcode).
func (c *Crosswalk) ResolveItem(ids ItemIDs) (string, bool) {
	t, ok := c.ResolveTarget(ids)
	if !ok || t.Product == "" {
		return "", false
	}
	return t.Product, true
}

// ConvertUnit turns a quantity in the partner's unit into the canonical unit, at the business instant
// at: 3 CS with the entry {CS, 12, EA} is 36 EA, exactly (decimal arithmetic).
//
// A unit with no entry in effect converts only when it is itself canonical: the Unit of some entry in
// effect at at (EA, for a partner with {CS, 12, EA}), or declared with an identity entry ({EA, 1, EA}).
// No unit is assumed to be canonical because of its name: EA, PCE, UN, C62 from a partner with an
// empty table convert to nothing, so that a unit nobody declared is refused, not read as each.
func (c *Crosswalk) ConvertUnit(q domain.Quantity, at time.Time) (domain.Quantity, bool) {
	unit, err := domain.NormalizeUnit(q.Unit)
	if err != nil {
		return domain.Quantity{}, false
	}
	if m, ok := latest(c.units[unit], at, unitFrom); ok {
		return domain.Quantity{Amount: q.Amount.Mul(m.Factor), Unit: m.Unit}, true
	}
	if from, ok := c.canonical[unit]; ok && !from.After(at) {
		return domain.Quantity{Amount: q.Amount, Unit: unit}, true
	}
	return domain.Quantity{}, false
}

// ResolveItem maps a document line's item identifiers to the Odoo default_code (see
// Crosswalk.ResolveTarget for the rules).
func (p Profile) ResolveItem(ids ItemIDs) (string, bool) { return NewCrosswalk(p).ResolveItem(ids) }

// ConvertUnit turns a quantity in the partner's unit into the canonical unit at the business instant at
// (see Crosswalk.ConvertUnit for the rules).
func (p Profile) ConvertUnit(q domain.Quantity, at time.Time) (domain.Quantity, bool) {
	return NewCrosswalk(p).ConvertUnit(q, at)
}

// ItemFor returns how the partner names Odoo product (its default_code) at instant at: the item entry
// for it in effect then (the latest EffectiveFrom not after at; the first declared among equals), for
// the documents Crossdock sends. False when the partner has no entry for the product.
func (p Profile) ItemFor(product string, at time.Time) (ItemMapping, bool) {
	var best ItemMapping
	found := false
	for _, raw := range p.Items {
		it := normItem(raw)
		if it.Product != product || it.EffectiveFrom.After(at) {
			continue
		}
		if !found || it.EffectiveFrom.After(best.EffectiveFrom) {
			best, found = it, true
		}
	}
	return best, found
}
