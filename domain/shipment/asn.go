package shipment

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/crossdock-hub/crossdock/domain"
)

// ErrInvalidASN is matched (errors.Is) by every *ValidationError.
var ErrInvalidASN = errors.New("invalid ASN")

// ASN is an advance ship notice in canonical form: what a supplier says it has shipped, on which purchase
// order, by which carrier, to which warehouse.
type ASN struct {
	// Purpose is "original" (the default), "replace" or "cancel" (X12 BSN01 00/05/01, EDIFACT BGM 9/5/1).
	Purpose   string `json:"purpose,omitempty"`
	ASNNumber string `json:"asn_number"`
	// PONumber is the buyer's purchase order number, the join key to the Odoo purchase order.
	PONumber string `json:"po_number"`
	// Supplier is the partner ID of the shipper, which is also the partner that sent the ASN: a partner
	// can only announce its own shipments.
	Supplier string    `json:"supplier,omitempty"`
	ShipDate time.Time `json:"ship_date"`
	// ExpectedArrival is optional (zero when the supplier does not say).
	ExpectedArrival time.Time `json:"expected_arrival,omitzero"`
	// CarrierSCAC is the carrier's Standard Carrier Alpha Code, optional.
	CarrierSCAC    string `json:"carrier_scac,omitempty"`
	TrackingNumber string `json:"tracking_number,omitempty"`
	// ShipTo is the receiving warehouse's code, when the ASN names one (an 856 need not: the purchase
	// order says where it is delivered).
	ShipTo string `json:"ship_to,omitempty"`
	// BillOfLading is the carrier's bill of lading number, optional.
	BillOfLading string `json:"bill_of_lading,omitempty"`
	Lines        []Line `json:"lines"`
}

// Kind implements domain.Document.
func (ASN) Kind() string { return domain.KindASN }

// Line is one item shipped.
type Line struct {
	// Number is the supplier's line number, unique within the ASN.
	Number int `json:"line_number"`
	// Item is the Odoo product code (default_code): given by the partner or resolved from Ref by the
	// partner's item crosswalk.
	Item string `json:"item,omitempty"`
	// Ref is the item as the partner named it (UPC, GTIN, its own or the buyer's part number).
	Ref domain.ItemRef `json:"item_ref,omitzero"`
	// Quantity is the quantity shipped in canonical units once resolved; PartnerQuantity is what the
	// partner wrote (zero when the partner sent canonical units, as the JSON API does).
	Quantity        domain.Quantity `json:"quantity"`
	PartnerQuantity domain.Quantity `json:"partner_quantity,omitzero"`
	// Ordered is the quantity ordered as the partner restates it (X12 SN103/SN105), optional.
	Ordered domain.Quantity `json:"ordered,omitzero"`
	// SSCC is the serial shipping container code of the carton or pallet holding the line, optional.
	SSCC string `json:"sscc,omitempty"`
	// POLine is the purchase order line the quantity is shipped against, optional.
	POLine string `json:"po_line,omitempty"`
	// Lot is the lot or batch number, optional.
	Lot string `json:"lot,omitempty"`
}

// Violation is one broken rule of an ASN (see domain.Violation).
type Violation = domain.Violation

// ValidationError lists every rule an ASN breaks, so the partner can fix them all in one go.
type ValidationError struct {
	Violations []Violation
}

func (e *ValidationError) Error() string {
	parts := make([]string, len(e.Violations))
	for i, v := range e.Violations {
		parts[i] = v.Field + ": " + v.Reason
	}
	return "invalid ASN: " + strings.Join(parts, "; ")
}

// Is makes errors.Is(err, ErrInvalidASN) true.
func (e *ValidationError) Is(target error) bool { return target == ErrInvalidASN }

// MaxIdentifierLength bounds every identifier an ASN carries (numbers, item codes, lots). EDI allows at
// most 80 characters for a tracking reference and fewer for the others; the bound also keeps each one
// indexable wherever it becomes a key (stream IDs, the timeline's references).
const MaxIdentifierLength = 80

// Validate checks the rules every ASN must satisfy and returns a *ValidationError listing all broken
// ones, or nil.
func (a ASN) Validate() error {
	var vs []Violation
	add := func(field, reason string) { vs = append(vs, Violation{Field: field, Reason: reason}) }

	required := []struct{ field, value string }{
		{"/asn_number", a.ASNNumber},
		{"/po_number", a.PONumber},
		{"/supplier", a.Supplier},
	}
	for _, r := range required {
		if strings.TrimSpace(r.value) == "" {
			add(r.field, "is required")
		}
	}
	identifiers := []struct{ field, value string }{
		{"/asn_number", a.ASNNumber}, {"/po_number", a.PONumber}, {"/supplier", a.Supplier},
		{"/ship_to", a.ShipTo}, {"/tracking_number", a.TrackingNumber},
	}
	for i, l := range a.Lines {
		p := "/lines/" + strconv.Itoa(i)
		identifiers = append(identifiers, struct{ field, value string }{p + "/item", l.Item},
			struct{ field, value string }{p + "/po_line", l.POLine}, struct{ field, value string }{p + "/lot", l.Lot})
	}
	for _, id := range identifiers {
		if utf8.RuneCountInString(id.value) > MaxIdentifierLength {
			add(id.field, fmt.Sprintf("is longer than %d characters", MaxIdentifierLength))
		}
	}
	if a.ShipDate.IsZero() {
		add("/ship_date", "is required")
	}
	if !a.ShipDate.IsZero() && !a.ExpectedArrival.IsZero() && a.ExpectedArrival.Before(a.ShipDate) {
		add("/expected_arrival", "is before ship_date")
	}
	if a.CarrierSCAC != "" && !isSCAC(a.CarrierSCAC) {
		add("/carrier_scac", "must be 2 to 4 upper-case letters")
	}
	if len(a.Lines) == 0 {
		add("/lines", "must have at least one line")
	}
	seen := make(map[int]int, len(a.Lines))
	for i, l := range a.Lines {
		p := "/lines/" + strconv.Itoa(i)
		if l.Number <= 0 {
			add(p+"/line_number", "must be a positive integer")
		} else if first, dup := seen[l.Number]; dup {
			add(p+"/line_number", fmt.Sprintf("duplicates line %d (/lines/%d)", l.Number, first))
		} else {
			seen[l.Number] = i
		}
		if strings.TrimSpace(l.Item) == "" {
			add(p+"/item", "is required")
		}
		if !l.Quantity.IsPositive() {
			add(p+"/quantity", "must be greater than zero")
		}
		if _, err := domain.NormalizeUnit(l.Quantity.Unit); err != nil {
			add(p+"/unit", "must be a unit code of 1 to 3 letters or digits")
		}
	}
	if len(vs) > 0 {
		return &ValidationError{Violations: vs}
	}
	return nil
}

// Equal reports whether a and b carry the same content: what decides between a revision and a resend.
// Instants compare as instants and quantities by value, so a resend formatted differently is no change.
func (a ASN) Equal(b ASN) bool {
	if a.ASNNumber != b.ASNNumber || a.PONumber != b.PONumber || a.Supplier != b.Supplier ||
		!a.ShipDate.Equal(b.ShipDate) || !a.ExpectedArrival.Equal(b.ExpectedArrival) ||
		a.CarrierSCAC != b.CarrierSCAC || a.TrackingNumber != b.TrackingNumber || a.ShipTo != b.ShipTo ||
		a.Purpose != b.Purpose || a.BillOfLading != b.BillOfLading || len(a.Lines) != len(b.Lines) {
		return false
	}
	for i := range a.Lines {
		x, y := a.Lines[i], b.Lines[i]
		if x.Number != y.Number || x.Item != y.Item || !x.Quantity.Equal(y.Quantity) || x.POLine != y.POLine ||
			x.Lot != y.Lot || x.Ref != y.Ref || !x.PartnerQuantity.Equal(y.PartnerQuantity) ||
			!x.Ordered.Equal(y.Ordered) || x.SSCC != y.SSCC {
			return false
		}
	}
	return true
}

func isSCAC(s string) bool {
	if len(s) < 2 || len(s) > 4 {
		return false
	}
	for _, r := range s {
		if r < 'A' || r > 'Z' {
			return false
		}
	}
	return true
}
