package partner

import "time"

// EventSLABreached records that a partner broke one of its promises (SLA) on one document: raised once
// per document and metric, on the stream SLABreachStreamID, by the hub's SLA watch.
const EventSLABreached = "sla.breached.v1"

// SLA metrics a breach names.
const (
	// MetricASNTimeliness: the ASN reached Crossdock less than the promised lead before the goods.
	MetricASNTimeliness = "asn_timeliness"
	// MetricCarrierOnTime: the carrier delivered after the promised delivery.
	MetricCarrierOnTime = "carrier_on_time"
	// MetricAckLatency: a supplier acknowledged a purchase order later than promised, or has not by the
	// promise (VIEWS.md's ack_missing).
	MetricAckLatency = "ack_latency"
	// MetricShipConfirmLatency: a warehouse confirmed a warehouse order's shipment later than promised,
	// or has not by the promise.
	MetricShipConfirmLatency = "ship_confirm_latency"
	// MetricNoASN: a supplier's goods arrived with no ASN of their order recorded before them; the
	// reference is the warehouse's receipt.
	MetricNoASN = "no_asn"
)

// SLABreachStreamID is the stream of a partner's breaches of one metric on one document: "sla-<partner>:
// <metric>:<reference>". (Not "partner-…": those streams are the registry's.)
func SLABreachStreamID(partnerID, metric, reference string) string {
	return "sla-" + partnerID + ":" + metric + ":" + reference
}

// SLABreachedData is the payload of sla.breached.v1.
type SLABreachedData struct {
	Partner string `json:"partner"`
	Metric  string `json:"metric"`
	// Reference is the document: the ASN number, the tracking number. It is also under its own name
	// (asn_number, tracking_number), where the document timeline finds business references.
	Reference      string `json:"reference"`
	ASNNumber      string `json:"asn_number,omitempty"`
	TrackingNumber string `json:"tracking_number,omitempty"`
	PONumber       string `json:"po_number,omitempty"`
	OrderNumber    string `json:"order_number,omitempty"`
	ReceiptNumber  string `json:"receipt_number,omitempty"`
	// Promised and Actual say what was promised and what happened, in the metric's terms ("12h lead",
	// "2026-11-28T00:00:00Z").
	Promised string    `json:"promised"`
	Actual   string    `json:"actual"`
	RaisedAt time.Time `json:"raised_at"`
	// Evidence are the IDs of the events the measure came from.
	Evidence []string `json:"evidence"`
}

// SLABreached records a breach.
type SLABreached struct {
	SLABreachedData
}

// EventType implements the event's type.
func (SLABreached) EventType() string { return EventSLABreached }

// NewSLABreached builds a breach with its reference under its own name too.
func NewSLABreached(d SLABreachedData) SLABreached {
	switch d.Metric {
	case MetricASNTimeliness:
		d.ASNNumber = d.Reference
	case MetricCarrierOnTime:
		d.TrackingNumber = d.Reference
	case MetricAckLatency:
		d.PONumber = d.Reference
	case MetricShipConfirmLatency:
		d.OrderNumber = d.Reference
	case MetricNoASN:
		d.ReceiptNumber = d.Reference
	}
	return SLABreached{SLABreachedData: d}
}
