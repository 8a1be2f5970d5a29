package shipment

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/crossdock-hub/crossdock/domain"
)

// Event types with their schema version.
const (
	EventASNReceived = "shipment.asn_received.v1"
	EventASNRevised  = "shipment.asn_revised.v1"
)

// Event is a fact the aggregate decided. Its JSON form (encoding/json) is the event's payload.
type Event interface {
	EventType() string
}

// ASNData is the payload every ASN event carries: the whole ASN as received. The references asn_number,
// po_number and tracking_number sit at the top level, where the document timeline looks for them.
// Quantities are decimal strings, instants RFC 3339 in UTC.
type ASNData struct {
	ASNNumber       string     `json:"asn_number"`
	PONumber        string     `json:"po_number"`
	TrackingNumber  string     `json:"tracking_number,omitempty"`
	Supplier        string     `json:"supplier"`
	ShipDate        time.Time  `json:"ship_date"`
	ExpectedArrival time.Time  `json:"expected_arrival,omitzero"`
	CarrierSCAC     string     `json:"carrier_scac,omitempty"`
	ShipTo          string     `json:"ship_to"`
	Lines           []LineData `json:"lines"`
}

// LineData is one ASN line in an event payload.
type LineData struct {
	LineNumber int    `json:"line_number"`
	Item       string `json:"item"`
	Quantity   string `json:"quantity"`
	Unit       string `json:"unit"`
	POLine     string `json:"po_line,omitempty"`
	Lot        string `json:"lot,omitempty"`
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
		Lines:           make([]LineData, len(a.Lines)),
	}
	for i, l := range a.Lines {
		d.Lines[i] = LineData{
			LineNumber: l.Number,
			Item:       l.Item,
			Quantity:   l.Quantity.AmountString(),
			Unit:       l.Quantity.Unit,
			POLine:     l.POLine,
			Lot:        l.Lot,
		}
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
		Lines:           make([]Line, len(d.Lines)),
	}
	for i, l := range d.Lines {
		q, err := domain.ParseQuantity(l.Quantity, l.Unit)
		if err != nil {
			return ASN{}, fmt.Errorf("line %d: %w", l.LineNumber, err)
		}
		a.Lines[i] = Line{Number: l.LineNumber, Item: l.Item, Quantity: q, POLine: l.POLine, Lot: l.Lot}
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
