package partner

import (
	"slices"
	"strconv"
	"time"
)

// DefaultCSVDelimiter and DefaultCSVDateFormat apply when a CSVMap leaves them empty.
const (
	DefaultCSVDelimiter  = ","
	DefaultCSVDateFormat = "2006-01-02"
)

// csvSpec lists the canonical fields a CSV document kind may map, and the groups of which at least one
// field must be mapped.
type csvSpec struct {
	fields   []string
	required [][]string
}

// csvSpecs are the canonical fields of each CSV document kind: the fields the CSV reader
// (adapters/csvdoc) maps, kept equal to its list by a test in cmd/crossdock. Items are identified by the
// partner's SKU, a UPC, a GTIN or the Odoo product code (the crosswalk resolves them); the unit comes
// from a unit column or the map's default unit.
var csvSpecs = map[string]csvSpec{
	KindInventorySnapshot: {
		fields: []string{"sku", "upc", "gtin", "product", "description", "location", "on_hand", "available",
			"allocated", "unit", "as_of", "warehouse"},
		required: [][]string{{"sku", "upc", "gtin", "product"}, {"on_hand", "available", "allocated"}},
	},
	KindReceipt: {
		fields: []string{"receipt_number", "po_number", "asn_number", "received_at", "line_number", "po_line",
			"sku", "upc", "gtin", "product", "description", "quantity", "unit", "damaged", "lot", "warehouse"},
		required: [][]string{{"receipt_number"}, {"po_number", "asn_number"}, {"received_at"},
			{"sku", "upc", "gtin", "product"}, {"quantity"}},
	},
	KindShipConfirmation: {
		fields: []string{"order_number", "po_number", "shipment_id", "ship_date", "carrier_scac", "tracking_number",
			"warehouse", "line_number", "sku", "upc", "gtin", "product", "description", "ordered", "shipped", "unit",
			"lot", "sscc"},
		required: [][]string{{"order_number"}, {"ship_date"}, {"sku", "upc", "gtin", "product"}, {"shipped"}},
	},
}

// CSVFields returns the canonical fields a CSV map of kind may map, and false when kind cannot be sent
// as CSV.
func CSVFields(kind string) ([]string, bool) {
	spec, ok := csvSpecs[kind]
	if !ok {
		return nil, false
	}
	return slices.Clone(spec.fields), true
}

// ColumnIndex returns the 0-based index a column reference names when it is a 1-based position ("3"
// is 2), and false when it is a header name.
func ColumnIndex(ref string) (int, bool) {
	if !isDigits(ref) {
		return 0, false
	}
	n, err := strconv.Atoi(ref)
	if err != nil || n < 1 {
		return 0, false
	}
	return n - 1, true
}

// validDateFormat reports whether layout formats and parses back a date: a layout with no year, month
// or day elements (a typo such as "YYYY-MM-DD") would read every date as year 0.
func validDateFormat(layout string) bool {
	ref := time.Date(2027, time.November, 28, 0, 0, 0, 0, time.UTC)
	got, err := time.Parse(layout, ref.Format(layout))
	if err != nil {
		return false
	}
	y, m, d := got.Date()
	return y == 2027 && m == time.November && d == 28
}
