package csvdoc

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/crossdock-hub/crossdock/domain"
)

// Canonical field names, the keys of Map.Columns.
const (
	fieldSKU         = "sku"     // the partner's item number (ItemRef.PartnerItem)
	fieldUPC         = "upc"     // as sent
	fieldGTIN        = "gtin"    // as sent
	fieldProduct     = "product" // Odoo's code, for partners that use it (ItemRef.Product)
	fieldDescription = "description"
	fieldUnit        = "unit"
	fieldWarehouse   = "warehouse"
	fieldLineNumber  = "line_number"
	fieldLot         = "lot"
	fieldPONumber    = "po_number"

	fieldLocation  = "location"
	fieldOnHand    = "on_hand"
	fieldAvailable = "available"
	fieldAllocated = "allocated"
	fieldAsOf      = "as_of"

	fieldReceiptNumber = "receipt_number"
	fieldASNNumber     = "asn_number"
	fieldReceivedAt    = "received_at"
	fieldQuantity      = "quantity"
	fieldDamaged       = "damaged"
	fieldPOLine        = "po_line"

	fieldOrderNumber    = "order_number"
	fieldShipmentID     = "shipment_id"
	fieldShipDate       = "ship_date"
	fieldCarrierSCAC    = "carrier_scac"
	fieldTrackingNumber = "tracking_number"
	fieldOrdered        = "ordered"
	fieldShipped        = "shipped"
	fieldSSCC           = "sscc"
)

// itemFields identify an item; a row needs at least one of them filled.
var itemFields = []string{fieldSKU, fieldUPC, fieldGTIN, fieldProduct}

// kindSpec is what a kind of file may and must map.
type kindSpec struct {
	fields []string
	// required lists groups of fields: each group needs at least one of its fields mapped.
	required [][]string
}

var kinds = map[string]kindSpec{
	domain.KindInventorySnapshot: {
		fields: append(slices.Clone(itemFields), fieldDescription, fieldLocation, fieldOnHand, fieldAvailable,
			fieldAllocated, fieldUnit, fieldAsOf, fieldWarehouse),
		required: [][]string{itemFields, {fieldOnHand, fieldAvailable, fieldAllocated}},
	},
	domain.KindReceipt: {
		fields: append([]string{fieldReceiptNumber, fieldPONumber, fieldASNNumber, fieldReceivedAt, fieldLineNumber,
			fieldPOLine}, append(slices.Clone(itemFields), fieldDescription, fieldQuantity, fieldUnit, fieldDamaged,
			fieldLot, fieldWarehouse)...),
		required: [][]string{{fieldReceiptNumber}, {fieldPONumber, fieldASNNumber}, {fieldReceivedAt}, itemFields,
			{fieldQuantity}},
	},
	domain.KindShipConfirmation: {
		fields: append([]string{fieldOrderNumber, fieldPONumber, fieldShipmentID, fieldShipDate, fieldCarrierSCAC,
			fieldTrackingNumber, fieldWarehouse, fieldLineNumber}, append(slices.Clone(itemFields), fieldDescription,
			fieldOrdered, fieldShipped, fieldUnit, fieldLot, fieldSSCC)...),
		required: [][]string{{fieldOrderNumber}, {fieldShipDate}, itemFields, {fieldShipped}},
	},
}

// kindOrder is the order Sniff tries kinds in, and Validate lists them in.
var kindOrder = []string{domain.KindInventorySnapshot, domain.KindReceipt, domain.KindShipConfirmation}

// Fields lists the canonical fields a file of kind may map, nil for a kind not read from CSV.
func Fields(kind string) []string { return slices.Clone(kinds[kind].fields) }

// Map is how one partner writes one kind of CSV file.
type Map struct {
	// Kind is domain.KindInventorySnapshot, domain.KindReceipt or domain.KindShipConfirmation.
	Kind string
	// Comma is the field separator; default ','.
	Comma rune
	// Header says the first row names the columns; Columns then refers to them by name (or by 1-based
	// index, "3"). Without a header, Columns holds indexes only.
	Header bool
	// Columns maps each canonical field to the partner's column: its header name (compared without
	// surrounding spaces, then without regard to case) or its 1-based index. See Fields for the fields of
	// each kind; item fields are sku, upc, gtin and product, of which at least one is needed.
	Columns map[string]string
	// DateFormat is a Go time layout for every date column, read in UTC when it has no zone. Default:
	// RFC 3339, or a bare 2006-01-02 (midnight UTC).
	DateFormat string
	// DefaultUnit is the unit of every quantity when no unit column is mapped or a row leaves it empty,
	// e.g. "EA".
	DefaultUnit string
}

func (m Map) comma() rune {
	if m.Comma == 0 {
		return ','
	}
	return m.Comma
}

// Validate checks the map before any file is read, and reports every problem at once.
func (m Map) Validate() error {
	spec, ok := kinds[m.Kind]
	if !ok {
		return fmt.Errorf("kind %q is not read from CSV (%s)", m.Kind, strings.Join(kindOrder, ", "))
	}
	var errs []error
	switch c := m.comma(); {
	case c == '"' || c == '\r' || c == '\n' || c == utf8.RuneError || !utf8.ValidRune(c):
		errs = append(errs, fmt.Errorf("comma %q cannot separate fields", c))
	}
	fields := make([]string, 0, len(m.Columns))
	for f := range m.Columns {
		fields = append(fields, f)
	}
	slices.Sort(fields)
	for _, f := range fields {
		col := strings.TrimSpace(m.Columns[f])
		switch {
		case !slices.Contains(spec.fields, f):
			errs = append(errs, fmt.Errorf("field %q is not a field of %s (%s)", f, m.Kind, strings.Join(spec.fields, ", ")))
		case col == "":
			errs = append(errs, fmt.Errorf("field %s: no column given", f))
		case !m.Header:
			if _, ok := columnIndex(col); !ok {
				errs = append(errs, fmt.Errorf("field %s: column %q must be a 1-based index: the file has no header", f, col))
			}
		}
	}
	for _, group := range spec.required {
		if !slices.ContainsFunc(group, m.mapped) {
			if len(group) == 1 {
				errs = append(errs, fmt.Errorf("%s needs a column for %s", m.Kind, group[0]))
			} else {
				errs = append(errs, fmt.Errorf("%s needs a column for one of %s", m.Kind, strings.Join(group, ", ")))
			}
		}
	}
	if m.DefaultUnit != "" {
		if _, err := domain.NormalizeUnit(m.DefaultUnit); err != nil {
			errs = append(errs, fmt.Errorf("default unit: %w", err))
		}
	} else if !m.mapped(fieldUnit) {
		errs = append(errs, errors.New("no unit column and no default unit"))
	}
	if m.DateFormat != "" {
		ref := time.Date(2006, time.January, 2, 15, 4, 5, 0, time.UTC)
		if _, err := time.Parse(m.DateFormat, ref.Format(m.DateFormat)); err != nil || !strings.ContainsAny(m.DateFormat, "0123456789") {
			errs = append(errs, fmt.Errorf("date format %q is not a Go time layout", m.DateFormat))
		}
	}
	return errors.Join(errs...)
}

func (m Map) mapped(field string) bool { return strings.TrimSpace(m.Columns[field]) != "" }

// columnIndex reads a 1-based column index.
func columnIndex(s string) (int, bool) {
	n, err := strconv.Atoi(s)
	return n, err == nil && n > 0
}
