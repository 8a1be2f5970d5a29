package shipment

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/shopspring/decimal"

	"github.com/crossdock-hub/crossdock/domain"
)

// Event types with their schema version.
const (
	EventASNReceived     = "shipment.asn_received.v1"
	EventASNRevised      = "shipment.asn_revised.v1"
	EventOverShipFlagged = "shipment.overship_flagged.v1"
	EventStatusReported  = "shipment.status_reported.v1"
)

// Event is a fact the aggregate decided. Its JSON form (encoding/json) is the event's payload.
type Event interface {
	EventType() string
}

// ASNData is the payload every ASN event carries: the whole ASN as received. The references asn_number,
// po_number and tracking_number sit at the top level, where the document timeline looks for them.
// Quantities are decimal strings, instants RFC 3339 in UTC. Fields added after the first events were
// stored are optional (omitempty), so those events still decode.
type ASNData struct {
	ASNNumber       string     `json:"asn_number"`
	PONumber        string     `json:"po_number"`
	TrackingNumber  string     `json:"tracking_number,omitempty"`
	Supplier        string     `json:"supplier"`
	ShipDate        time.Time  `json:"ship_date"`
	ExpectedArrival time.Time  `json:"expected_arrival,omitzero"`
	CarrierSCAC     string     `json:"carrier_scac,omitempty"`
	ShipTo          string     `json:"ship_to"`
	Purpose         string     `json:"purpose,omitempty"`
	BillOfLading    string     `json:"bill_of_lading,omitempty"`
	Lines           []LineData `json:"lines"`
}

// LineData is one ASN line in an event payload. Item, Quantity and Unit are canonical (the Odoo product,
// canonical units); ItemRef and PartnerQuantity/PartnerUnit keep what the supplier wrote, when it went
// through the crosswalk.
type LineData struct {
	LineNumber int    `json:"line_number"`
	Item       string `json:"item"`
	Quantity   string `json:"quantity"`
	Unit       string `json:"unit"`
	POLine     string `json:"po_line,omitempty"`
	Lot        string `json:"lot,omitempty"`
	// ItemRef is a pointer so that a reference holding only a description is kept too.
	ItemRef         *domain.ItemRef `json:"item_ref,omitempty"`
	PartnerQuantity string          `json:"partner_quantity,omitempty"`
	PartnerUnit     string          `json:"partner_unit,omitempty"`
	// OrderedQuantity/OrderedUnit is the quantity ordered as the supplier restates it, in canonical units.
	OrderedQuantity string `json:"ordered_quantity,omitempty"`
	OrderedUnit     string `json:"ordered_unit,omitempty"`
	SSCC            string `json:"sscc,omitempty"`
}

// ASNReceived records the first ASN of a shipment.
type ASNReceived struct {
	ASNData
}

// EventType implements Event.
func (ASNReceived) EventType() string { return EventASNReceived }

// ASNRevised records a later ASN with the same number and other content. It carries the whole new ASN,
// not a diff, so a reader needs only the latest event to know the shipment's current announcement.
type ASNRevised struct {
	ASNData
	// Revision counts the ASN's versions: the first received is 1, so the first revision is 2.
	Revision int `json:"revision"`
}

// EventType implements Event.
func (ASNRevised) EventType() string { return EventASNRevised }

// NewASNData gives the payload form of a.
func NewASNData(a ASN) ASNData {
	d := ASNData{
		ASNNumber:       a.ASNNumber,
		PONumber:        a.PONumber,
		TrackingNumber:  a.TrackingNumber,
		Supplier:        a.Supplier,
		ShipDate:        a.ShipDate.UTC(),
		ExpectedArrival: a.ExpectedArrival.UTC(),
		CarrierSCAC:     a.CarrierSCAC,
		ShipTo:          a.ShipTo,
		Purpose:         a.Purpose,
		BillOfLading:    a.BillOfLading,
		Lines:           make([]LineData, len(a.Lines)),
	}
	for i, l := range a.Lines {
		ld := LineData{
			LineNumber: l.Number,
			Item:       l.Item,
			Quantity:   l.Quantity.AmountString(),
			Unit:       l.Quantity.Unit,
			POLine:     l.POLine,
			Lot:        l.Lot,
			SSCC:       l.SSCC,
		}
		if l.Ref != (domain.ItemRef{}) {
			ref := l.Ref
			ld.ItemRef = &ref
		}
		if !l.PartnerQuantity.IsZero() {
			ld.PartnerQuantity, ld.PartnerUnit = l.PartnerQuantity.AmountString(), l.PartnerQuantity.Unit
		}
		if !l.Ordered.IsZero() {
			ld.OrderedQuantity, ld.OrderedUnit = l.Ordered.AmountString(), l.Ordered.Unit
		}
		d.Lines[i] = ld
	}
	return d
}

// ASN gives back the canonical ASN of a payload.
func (d ASNData) ASN() (ASN, error) {
	a := ASN{
		ASNNumber:       d.ASNNumber,
		PONumber:        d.PONumber,
		TrackingNumber:  d.TrackingNumber,
		Supplier:        d.Supplier,
		ShipDate:        d.ShipDate,
		ExpectedArrival: d.ExpectedArrival,
		CarrierSCAC:     d.CarrierSCAC,
		ShipTo:          d.ShipTo,
		Purpose:         d.Purpose,
		BillOfLading:    d.BillOfLading,
		Lines:           make([]Line, len(d.Lines)),
	}
	for i, l := range d.Lines {
		q, err := domain.ParseQuantity(l.Quantity, l.Unit)
		if err != nil {
			return ASN{}, fmt.Errorf("line %d: %w", l.LineNumber, err)
		}
		line := Line{Number: l.LineNumber, Item: l.Item, Quantity: q, POLine: l.POLine, Lot: l.Lot, SSCC: l.SSCC}
		if l.ItemRef != nil {
			line.Ref = *l.ItemRef
		}
		if l.PartnerUnit != "" {
			if line.PartnerQuantity, err = domain.ParseQuantity(l.PartnerQuantity, l.PartnerUnit); err != nil {
				return ASN{}, fmt.Errorf("line %d partner quantity: %w", l.LineNumber, err)
			}
		}
		if l.OrderedUnit != "" {
			if line.Ordered, err = domain.ParseQuantity(l.OrderedQuantity, l.OrderedUnit); err != nil {
				return ASN{}, fmt.Errorf("line %d ordered: %w", l.LineNumber, err)
			}
		}
		a.Lines[i] = line
	}
	return a, nil
}

// decodeASNData reads the ASN out of the payload of an ASN event.
func decodeASNData(data []byte) (ASN, error) {
	var d ASNData
	if err := json.Unmarshal(data, &d); err != nil {
		return ASN{}, err
	}
	return d.ASN()
}

// OverShipFlagged records that an ASN ships more of a product than its purchase order allows: more
// than ordered × (1 + tolerance/100), in canonical units, summed over the ASN's lines of the product. The
// ASN itself is recorded beside it, in the same append. A product not on the order at all is flagged
// with Ordered 0.
type OverShipFlagged struct {
	ASNNumber string `json:"asn_number"`
	PONumber  string `json:"po_number"`
	Supplier  string `json:"supplier"`
	Product   string `json:"product"`
	// Ordered and Shipped are in Unit, canonical.
	Ordered          decimal.Decimal `json:"ordered"`
	Shipped          decimal.Decimal `json:"shipped"`
	Unit             string          `json:"unit"`
	TolerancePercent decimal.Decimal `json:"tolerance_percent"`
	// Revision is the ASN's version that over-ships (1 for the first received).
	Revision int `json:"revision"`
}

// EventType implements Event.
func (OverShipFlagged) EventType() string { return EventOverShipFlagged }

// StatusReported records one carrier milestone of a shipment, on the carrier's stream
// "shipment-<carrier partner>:<tracking number>". A report with several milestones is several events.
type StatusReported struct {
	TrackingNumber string `json:"tracking_number"`
	Carrier        string `json:"carrier,omitempty"`
	// Partner is the partner that reported (the carrier, or a WMS relaying it).
	Partner           string             `json:"partner"`
	ShipmentID        string             `json:"shipment_id,omitempty"`
	PONumbers         []string           `json:"po_numbers,omitempty"`
	References        []domain.Reference `json:"references,omitempty"`
	EstimatedDelivery time.Time          `json:"estimated_delivery,omitzero"`
	// Status is canonical (Status* constants); PartnerStatus the carrier's code as sent.
	Status        string `json:"status"`
	PartnerStatus string `json:"partner_status"`
	Reason        string `json:"reason,omitempty"`
	// At is the instant of the milestone, UTC.
	At        time.Time       `json:"at"`
	LocalTime string          `json:"local_time,omitempty"`
	Location  domain.Location `json:"location,omitzero"`
	Message   string          `json:"message,omitempty"`
}

// EventType implements Event.
func (StatusReported) EventType() string { return EventStatusReported }

// OccurredAt is the business time of the milestone: the event's metadata occurred_at.
func (e StatusReported) OccurredAt() time.Time { return e.At }
