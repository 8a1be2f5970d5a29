package odoo

import (
	"encoding/json"
	"fmt"

	"github.com/shopspring/decimal"
)

// Version is the server's version, as common.version or /web/version reports it.
type Version struct {
	Major, Minor int
	// Serie is the text, e.g. "17.0" or "saas~17.4".
	Serie string
}

func (v Version) String() string {
	if v.Serie != "" {
		return v.Serie
	}
	return fmt.Sprintf("%d.%d", v.Major, v.Minor)
}

// AtLeast reports whether v is major.minor or later.
func (v Version) AtLeast(major, minor int) bool {
	return v.Major > major || (v.Major == major && v.Minor >= minor)
}

// Schema names the fields and states that differ between Odoo versions (ODOO.md, "Models and fields that
// changed"). The zero value is not valid: use SchemaFor.
type Schema struct {
	Version Version
	// MoveQuantity is a stock.move's done quantity: quantity_done (16) or quantity (17+).
	MoveQuantity string
	// MovePicked is the boolean that marks a move's quantity as done on 17+; "" on 16.
	MovePicked string
	// ProductKind is product.product's kind: detailed_type (16, 17) or type (18+).
	ProductKind string
	// ProductStorable is is_storable (18+); "" before, where detailed_type "product" says it.
	ProductStorable string
	// LineUoM is the unit field of purchase and sale lines: product_uom (before 19) or product_uom_id.
	LineUoM string
	// PurchaseDoneState reports whether purchase.order has the "done" state (gone in 19, where
	// "locked" is a boolean instead).
	PurchaseDoneState bool
}

// SchemaFor returns the field names of a version. Versions before 16 are not supported.
func SchemaFor(v Version) (Schema, error) {
	if v.Major < 16 {
		return Schema{}, fmt.Errorf("odoo %s is not supported (16 or later is)", v)
	}
	s := Schema{Version: v, MoveQuantity: "quantity", MovePicked: "picked", ProductKind: "detailed_type",
		LineUoM: "product_uom", PurchaseDoneState: true}
	if v.Major == 16 {
		s.MoveQuantity, s.MovePicked = "quantity_done", ""
	}
	if v.AtLeast(18, 0) {
		s.ProductKind, s.ProductStorable = "type", "is_storable"
	}
	if v.AtLeast(19, 0) {
		s.LineUoM, s.PurchaseDoneState = "product_uom_id", false
	}
	return s, nil
}

// MoveDone returns the values that set a stock.move's done quantity: quantity_done on 16, quantity and
// picked on 17+.
func (s Schema) MoveDone(q decimal.Decimal) map[string]any {
	n := json.Number(q.String()) // the decimal's text as a JSON number: no float rounding on our side
	if s.MovePicked == "" {
		return map[string]any{s.MoveQuantity: n}
	}
	return map[string]any{s.MoveQuantity: n, s.MovePicked: true}
}

// MoveFields are the stock.move fields a reader of done quantities asks for.
func (s Schema) MoveFields(extra ...string) []string {
	fields := append([]string{"product_id", "product_uom_qty", s.MoveQuantity}, extra...)
	if s.MovePicked != "" {
		fields = append(fields, s.MovePicked)
	}
	return fields
}
