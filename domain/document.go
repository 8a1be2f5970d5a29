package domain

import (
	"encoding/json"
	"reflect"
	"strings"
	"time"

	"github.com/shopspring/decimal"
)

// Document kinds: what a canonical document is about. A partner credential is scoped to kinds, and
// every adapter (X12, EDIFACT, CSV, webhook, JSON API) produces documents of these kinds.
const (
	KindASN                 = "asn"                  // shipment.ASN: a supplier announces a shipment
	KindShipmentStatus      = "shipment_status"      // shipment.StatusReport: carrier milestones
	KindReceipt             = "receipt"              // receipt.Receipt: a warehouse received goods
	KindShipConfirmation    = "ship_confirmation"    // order.ShipConfirmation: a warehouse shipped an order
	KindInventorySnapshot   = "inventory_snapshot"   // inventory.Snapshot: the full position per item
	KindInventoryAdjustment = "inventory_adjustment" // inventory.Adjustment: a change with a reason
	KindInvoice             = "invoice"              // invoice.Invoice: a supplier bills a PO
	KindOrderAck            = "order_ack"            // order.Acknowledgment: a supplier answers a PO
	KindFunctionalAck       = "functional_ack"       // order.FunctionalAck: a 997 / CONTRL for our EDI
	KindPurchaseOrder       = "purchase_order"       // order.PurchaseOrder: sent to suppliers (outbound)
	KindWarehouseOrder      = "warehouse_order"      // order.WarehouseOrder: sent to a 3PL (outbound)
)

// Kinds lists every document kind, in a stable order.
var Kinds = []string{
	KindASN, KindShipmentStatus, KindReceipt, KindShipConfirmation, KindInventorySnapshot,
	KindInventoryAdjustment, KindInvoice, KindOrderAck, KindFunctionalAck, KindPurchaseOrder, KindWarehouseOrder,
}

// IsKind reports whether k is a known document kind.
func IsKind(k string) bool {
	for _, x := range Kinds {
		if x == k {
			return true
		}
	}
	return false
}

// Document is a canonical document: what an adapter made of one X12 transaction set, EDIFACT message,
// CSV file or webhook body, in partner terms (items as the partner named them, quantities in the
// partner's units). Commands resolve items and units through the partner's crosswalk before deciding.
type Document interface {
	Kind() string
}

// Checker is a document that can tell what looks wrong in it without rejecting it, e.g. an invoice whose
// lines do not add up to its total. Warnings are shown by `crossdock inspect` and recorded on events.
type Checker interface {
	Warnings() []string
}

// ItemRef names an item: as the partner named it, and (Product) as Odoo does once the partner's item
// crosswalk resolved it.
type ItemRef struct {
	// Product is Odoo's default_code. Set by a partner that uses the buyer's codes, or by the crosswalk.
	Product string `json:"product,omitempty"`
	// BuyerItem is the buyer's part number as the partner quoted it (X12 BP, EDIFACT IN).
	BuyerItem string `json:"buyer_item,omitempty"`
	// PartnerItem is the partner's own item number (X12 VP/VN/SK, EDIFACT SA, a 3PL's SKU).
	PartnerItem string `json:"partner_item,omitempty"`
	UPC         string `json:"upc,omitempty"`
	// GTIN is an EAN-13 or GTIN-14 (X12 EN/UK, EDIFACT SRV/EN).
	GTIN        string `json:"gtin,omitempty"`
	Description string `json:"description,omitempty"`
}

// IsZero reports whether no identifier is set (a description alone identifies nothing).
func (r ItemRef) IsZero() bool {
	return r.Product == "" && r.BuyerItem == "" && r.PartnerItem == "" && r.UPC == "" && r.GTIN == ""
}

// Key is the most specific identifier, for messages and keys: the product, else the buyer's code, the
// partner's, the GTIN, the UPC.
func (r ItemRef) Key() string {
	for _, s := range []string{r.Product, r.BuyerItem, r.PartnerItem, r.GTIN, r.UPC} {
		if s != "" {
			return s
		}
	}
	return ""
}

// String names the item for people: "SKU-42 (UPC 012345678905)".
func (r ItemRef) String() string {
	var ids []string
	add := func(label, v string) {
		if v != "" {
			ids = append(ids, label+" "+v)
		}
	}
	add("product", r.Product)
	add("buyer item", r.BuyerItem)
	add("partner item", r.PartnerItem)
	add("UPC", r.UPC)
	add("GTIN", r.GTIN)
	if len(ids) == 0 {
		return "unidentified item"
	}
	return strings.Join(ids, ", ")
}

// Location is a place a status was reported at.
type Location struct {
	City       string `json:"city,omitempty"`
	State      string `json:"state,omitempty"`
	PostalCode string `json:"postal_code,omitempty"`
	Country    string `json:"country,omitempty"`
}

// Party is a business party named in a document (ship-to, supplier, buyer...).
type Party struct {
	// Role is the X12 N101 / EDIFACT NAD qualifier as sent: ST ship-to, SF ship-from, SU supplier, BY buyer...
	Role string `json:"role"`
	Name string `json:"name,omitempty"`
	// IDQualifier and ID identify the party (X12 N103/N104: 1 DUNS, 9 DUNS+4, 92 assigned by buyer, UL GLN).
	IDQualifier string `json:"id_qualifier,omitempty"`
	ID          string `json:"id,omitempty"`
}

// Reference is a qualified reference number (X12 REF/L11/N9, EDIFACT RFF).
type Reference struct {
	Qualifier string `json:"qualifier"`
	Value     string `json:"value"`
}

// Money is an amount in a currency; Currency may be empty when the document does not say.
type Money struct {
	Amount   decimal.Decimal `json:"amount"`
	Currency string          `json:"currency,omitempty"`
}

// MarshalJSON writes {"amount":"12.5","unit":"EA"}: decimal strings, never floats.
func (q Quantity) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		Amount string `json:"amount"`
		Unit   string `json:"unit"`
	}{q.Amount.String(), q.Unit})
}

// UnmarshalJSON reads the form MarshalJSON writes; the amount may be a string or a JSON number.
func (q *Quantity) UnmarshalJSON(b []byte) error {
	var v struct {
		Amount json.Number `json:"amount"`
		Unit   string      `json:"unit"`
	}
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	p, err := ParseQuantity(v.Amount.String(), v.Unit)
	if err != nil {
		return err
	}
	*q = p
	return nil
}

// IsZero reports whether q is the zero value (no amount, no unit): an absent quantity.
func (q Quantity) IsZero() bool { return q.Unit == "" && q.Amount.IsZero() }

// Instant joins a date and a wall-clock time read in zone into an instant. It is what turns an X12 AT7's
// date, time and time-zone code into the moment a carrier milestone happened.
func Instant(date time.Time, hour, minute, second int, zone *time.Location) time.Time {
	return time.Date(date.Year(), date.Month(), date.Day(), hour, minute, second, 0, zone).UTC()
}

// DocumentValue returns the document a pointer points to (nil for a nil pointer), and a document that is
// not a pointer as it is: consumers switch on the value types, which is how every reader hands
// documents over.
func DocumentValue(d Document) Document {
	v := reflect.ValueOf(d)
	if v.Kind() != reflect.Pointer {
		return d
	}
	if v.IsNil() {
		return nil
	}
	if doc, ok := v.Elem().Interface().(Document); ok {
		return doc
	}
	return d
}
