package shipment

import (
	"encoding/json"
	"fmt"
	"sort"
	"time"

	"github.com/shopspring/decimal"

	"github.com/crossdock-hub/crossdock/domain/order"
)

// StreamID names the stream of the shipment announced by partner's ASN asnNumber.
func StreamID(partner, asnNumber string) string {
	return "shipment-" + partner + ":" + asnNumber
}

// CarrierStreamID names the stream of the shipment a carrier partner tracks as trackingNumber.
func CarrierStreamID(carrier, trackingNumber string) string {
	return "shipment-" + carrier + ":" + trackingNumber
}

// Shipment is the aggregate: rebuilt from its stream with Apply, asked to decide with ReceiveASN (a
// supplier's stream, keyed by ASN number) or ReportStatus (a carrier's, keyed by tracking number).
type Shipment struct {
	version  int64
	current  *ASN // the latest ASN announced, nil before the first
	revision int
	// milestones holds the carrier milestones recorded, by milestoneKey.
	milestones map[string]bool
	// announced holds the ASN revisions recorded as announced in Odoo.
	announced map[int]bool
}

// New returns a shipment with no history (an empty stream).
func New() *Shipment { return &Shipment{milestones: map[string]bool{}, announced: map[int]bool{}} }

// Version is the stream version the shipment was rebuilt to: the expected version of the next append.
func (s *Shipment) Version() int64 { return s.version }

// Revision is how many versions of the ASN the shipment has seen (0 before the first).
func (s *Shipment) Revision() int { return s.revision }

// Current returns the latest ASN announced, and false before the first.
func (s *Shipment) Current() (ASN, bool) {
	if s.current == nil {
		return ASN{}, false
	}
	return *s.current, true
}

// Apply folds one stored event into the shipment. Event types this aggregate does not decide on
// (over-ship flags, and any added later) still advance the version, so the next append is checked
// against the real end of the stream.
func (s *Shipment) Apply(eventType string, data []byte) error {
	switch eventType {
	case EventASNReceived, EventASNRevised:
		a, err := decodeASNData(data)
		if err != nil {
			return fmt.Errorf("apply %s at version %d: %w", eventType, s.version+1, err)
		}
		s.current = &a
		s.revision++
	case EventStatusReported:
		var e StatusReported
		if err := json.Unmarshal(data, &e); err != nil {
			return fmt.Errorf("apply %s at version %d: %w", eventType, s.version+1, err)
		}
		s.milestones[milestoneKey(e.Status, e.At)] = true
	case EventAnnouncedInOdoo:
		if err := s.applyAnnounced(data); err != nil {
			return fmt.Errorf("apply %s at version %d: %w", eventType, s.version+1, err)
		}
	}
	s.version++
	return nil
}

// ReceiveASN decides what an incoming ASN means for the shipment: an ASNReceived for the first, an
// ASNRevised when its content differs from the current one, and no event at all when it is the same.
// An ASN that breaks a rule is a *ValidationError and changes nothing.
func (s *Shipment) ReceiveASN(a ASN) ([]Event, error) {
	return s.ReceiveASNAgainst(a, nil)
}

// OverShipCheck is what the over-ship rule needs: the purchase order the ASN ships against, and the
// supplier's tolerance in percent.
type OverShipCheck struct {
	Order            order.View
	TolerancePercent decimal.Decimal
}

// ReceiveASNAgainst decides like ReceiveASN and, when the ASN is recorded (received or revised) and
// check names a known order, applies the over-ship rule: for each product, the quantity the ASN ships
// (all its lines of the product, canonical units) may not exceed ordered × (1 + tolerance/100). Each
// product beyond is an OverShipFlagged after the ASN event, by product code; the ASN is still recorded.
// A nil check, or an order never placed, checks nothing; so does a product whose ordered quantity is in
// another unit than shipped (the units cannot be compared).
func (s *Shipment) ReceiveASNAgainst(a ASN, check *OverShipCheck) ([]Event, error) {
	events, err := s.receiveASN(a)
	if err != nil || len(events) == 0 || check == nil || !check.Order.Found {
		return events, err
	}
	return append(events, overShips(a, *check, s.revision+1)...), nil
}

var hundred = decimal.NewFromInt(100)

func overShips(a ASN, check OverShipCheck, revision int) []Event {
	shipped := map[string]decimal.Decimal{}
	units := map[string]string{}
	var products []string
	for _, l := range a.Lines {
		if u, seen := units[l.Item]; seen && u != l.Quantity.Unit {
			units[l.Item] = "" // lines in different units: not comparable
			continue
		} else if !seen {
			products = append(products, l.Item)
			units[l.Item] = l.Quantity.Unit
		}
		shipped[l.Item] = shipped[l.Item].Add(l.Quantity.Amount)
	}
	sort.Strings(products)
	factor := decimal.NewFromInt(1).Add(check.TolerancePercent.Div(hundred))
	var events []Event
	for _, p := range products {
		unit := units[p]
		if unit == "" {
			continue
		}
		ordered := decimal.Zero
		if check.Order.HasProduct(p) {
			q, ok := check.Order.Ordered(p)
			if !ok || q.Unit != unit {
				continue
			}
			ordered = q.Amount
		}
		if !shipped[p].GreaterThan(ordered.Mul(factor)) {
			continue
		}
		events = append(events, OverShipFlagged{
			ASNNumber: a.ASNNumber, PONumber: a.PONumber, Supplier: a.Supplier, Product: p,
			Ordered: ordered, Shipped: shipped[p], Unit: unit, TolerancePercent: check.TolerancePercent,
			Revision: revision,
		})
	}
	return events
}

func (s *Shipment) receiveASN(a ASN) ([]Event, error) {
	if err := a.Validate(); err != nil {
		return nil, err
	}
	if s.current != nil && s.current.ASNNumber != a.ASNNumber {
		return nil, fmt.Errorf("ASN %s sent to the shipment of ASN %s", a.ASNNumber, s.current.ASNNumber)
	}
	switch {
	case s.current == nil:
		return []Event{ASNReceived{ASNData: NewASNData(a)}}, nil
	case s.current.Equal(a):
		return nil, nil
	default:
		return []Event{ASNRevised{ASNData: NewASNData(a), Revision: s.revision + 1}}, nil
	}
}

// ReportStatus decides what a carrier's status report means: one StatusReported per milestone not
// recorded yet, in the order of their instants. A milestone is the same when its status and instant are:
// a webhook resent with one more tracking detail records only the new one.
func (s *Shipment) ReportStatus(r StatusReport, partner string) ([]Event, error) {
	if r.TrackingNumber == "" {
		return nil, fmt.Errorf("status report: no tracking number")
	}
	milestones := make([]StatusEvent, len(r.Events))
	copy(milestones, r.Events)
	sort.SliceStable(milestones, func(i, j int) bool { return milestones[i].At.Before(milestones[j].At) })
	seen := map[string]bool{}
	var events []Event
	for _, m := range milestones {
		if m.Status == "" || m.At.IsZero() {
			return nil, fmt.Errorf("status report %s: a milestone needs a status and an instant", r.TrackingNumber)
		}
		key := milestoneKey(m.Status, m.At)
		if s.milestones[key] || seen[key] {
			continue
		}
		seen[key] = true
		events = append(events, StatusReported{
			TrackingNumber: r.TrackingNumber, Carrier: r.Carrier, Partner: partner, ShipmentID: r.ShipmentID,
			PONumbers: r.PONumbers, References: r.References, EstimatedDelivery: r.EstimatedDelivery.UTC(),
			Status: m.Status, PartnerStatus: m.PartnerStatus, Reason: m.Reason, At: m.At.UTC(),
			LocalTime: m.LocalTime, Location: m.Location, Message: m.Message,
		})
	}
	return events, nil
}

// milestoneKey identifies a milestone: its status at its instant.
func milestoneKey(status string, at time.Time) string {
	return status + "@" + at.UTC().Format(time.RFC3339Nano)
}
