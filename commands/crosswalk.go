package commands

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/shopspring/decimal"

	"github.com/crossdock-hub/crossdock/domain"
	"github.com/crossdock-hub/crossdock/domain/shipment"
)

// Crosswalk turns a partner's terms into Crossdock's: its item identifiers into Odoo products, its units
// into canonical units, and gives the tolerances its documents are checked against. It is implemented
// over the partner directory.
type Crosswalk interface {
	// ResolveItem gives the Odoo product (default_code) ref names for partnerID. ref is the item exactly
	// as the partner sent it; when ref.Product is set (the partner used the buyer's codes, as the JSON API
	// does) an implementation returns it, after checking it is a known product if it can.
	ResolveItem(partnerID string, ref domain.ItemRef) (product string, ok bool)
	// ConvertUnit gives q in canonical units. A unit that is already canonical must convert to itself
	// (12 EA is 12 EA), since a partner may send canonical units. Conversions are taken to be linear:
	// unit prices are converted through the canonical amount of one partner unit.
	ConvertUnit(partnerID string, q domain.Quantity) (canonical domain.Quantity, ok bool)
	// Tolerances gives the partner's over-ship and price-variance tolerances, in percent.
	Tolerances(partnerID string) (overShipPercent, priceVariancePercent decimal.Decimal)
}

// ErrUnmapped is matched (errors.Is) by every *UnmappedError.
var ErrUnmapped = errors.New("unmapped items or units")

// UnmappedError lists every item and unit of a document the partner's crosswalk could not resolve.
// Nothing of the document was recorded: the message is parked as an exception, and processed again after
// the mapping is fixed (its events then get the IDs they would have had).
type UnmappedError struct {
	// Kind is the document's kind, PartnerID the partner whose crosswalk lacks the entries.
	Kind      string
	PartnerID string
	Items     []UnmappedItem
	Units     []UnmappedUnit
}

// UnmappedItem is an item reference no crosswalk entry resolves.
type UnmappedItem struct {
	// Path is the JSON pointer of the reference in the canonical document, e.g. "/lines/3/item".
	Path string
	Ref  domain.ItemRef
}

// UnmappedUnit is a unit of measure no crosswalk entry converts.
type UnmappedUnit struct {
	// Path is the JSON pointer of the unit in the canonical document, e.g. "/lines/3/received/unit".
	Path string
	Unit string
}

func (e *UnmappedError) Error() string {
	var parts []string
	for _, it := range e.Items {
		parts = append(parts, fmt.Sprintf("%s: item %s", it.Path, it.Ref))
	}
	for _, u := range e.Units {
		parts = append(parts, fmt.Sprintf("%s: unit %q", u.Path, u.Unit))
	}
	return fmt.Sprintf("%s from %s has what the partner's crosswalk does not map: %s",
		e.Kind, e.PartnerID, strings.Join(parts, "; "))
}

// Is makes errors.Is(err, ErrUnmapped) true.
func (e *UnmappedError) Is(target error) bool { return target == ErrUnmapped }

// resolver resolves a document's items and units through the crosswalk and collects everything that
// fails, so a document is resolved all or nothing: broken rules (*domain.ValidationError) first, since a
// document that will be rejected should not wait for a mapping; then unmapped entries (*UnmappedError).
type resolver struct {
	cw      Crosswalk
	partner string
	kind    string

	invalid []domain.Violation
	items   []UnmappedItem
	units   []UnmappedUnit
}

func newResolver(cw Crosswalk, partner, kind string) *resolver {
	return &resolver{cw: cw, partner: partner, kind: kind}
}

func (r *resolver) violate(field, reason string) {
	r.invalid = append(r.invalid, domain.Violation{Field: field, Reason: reason})
}

// identifier checks an identifier that becomes part of a stream ID or a timeline reference.
func (r *resolver) identifier(field, value string, required bool) {
	switch {
	case strings.TrimSpace(value) == "" && required:
		r.violate(field, "is required")
	case utf8.RuneCountInString(value) > shipment.MaxIdentifierLength:
		r.violate(field, fmt.Sprintf("is longer than %d characters", shipment.MaxIdentifierLength))
	}
}

// item resolves the item ref names at field. A reference that names nothing is a broken rule when the
// item is required, and no product otherwise.
func (r *resolver) item(field string, ref domain.ItemRef, required bool) string {
	if ref.IsZero() {
		if required {
			r.violate(field, "names no item (no product, buyer's or partner's item number, GTIN or UPC)")
		}
		return ""
	}
	p, ok := r.cw.ResolveItem(r.partner, ref)
	if !ok || p == "" {
		r.items = append(r.items, UnmappedItem{Path: field, Ref: ref})
		return ""
	}
	if utf8.RuneCountInString(p) > shipment.MaxIdentifierLength {
		r.violate(field, fmt.Sprintf("resolves to a product code longer than %d characters", shipment.MaxIdentifierLength))
	}
	return p
}

// quantity converts q, at field, to canonical units. An absent quantity (no unit) is a broken rule when
// required; ok is false when there is nothing to convert or the conversion failed.
func (r *resolver) quantity(field string, q domain.Quantity, required bool) (domain.Quantity, bool) {
	if q.Unit == "" {
		if required {
			r.violate(field, "is required")
		}
		return domain.Quantity{}, false
	}
	c, ok := r.cw.ConvertUnit(r.partner, q)
	if !ok {
		r.units = append(r.units, UnmappedUnit{Path: field + "/unit", Unit: q.Unit})
		return domain.Quantity{}, false
	}
	return c, true
}

// priceDecimals bounds a unit price converted to another unit, which is a quotient.
const priceDecimals = 6

// price converts a price per partner unit into a price per canonical unit: divided by the canonical
// amount of one partner unit. A unit the crosswalk does not convert was listed by quantity; the price is
// then returned unchanged (nothing is recorded anyway).
func (r *resolver) price(p decimal.Decimal, partnerUnit string) decimal.Decimal {
	one, ok := r.cw.ConvertUnit(r.partner, domain.Quantity{Amount: decimal.NewFromInt(1), Unit: partnerUnit})
	if !ok || one.Amount.IsZero() || one.Amount.Equal(decimal.NewFromInt(1)) {
		return p
	}
	return p.DivRound(one.Amount, priceDecimals)
}

// err is the outcome of the resolution: nil when everything resolved.
func (r *resolver) err() error {
	if len(r.invalid) > 0 {
		return &domain.ValidationError{Document: r.kind, Violations: r.invalid}
	}
	if len(r.items) > 0 || len(r.units) > 0 {
		return &UnmappedError{Kind: r.kind, PartnerID: r.partner, Items: r.items, Units: r.units}
	}
	return nil
}

// optional splits an optional quantity into the payload's decimal and unit: nil and "" when absent.
func optional(q domain.Quantity, ok bool) (*decimal.Decimal, string) {
	if !ok {
		return nil, ""
	}
	a := q.Amount
	return &a, q.Unit
}
