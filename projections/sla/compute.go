package sla

import (
	"slices"
	"strings"
	"time"

	"github.com/shopspring/decimal"
)

// ASN is a supplier's ship notice as the view needs it: when Crossdock first learned of it and what its
// latest revision announces, per product.
type ASN struct {
	EventID    string
	Supplier   string
	Number     string
	RecordedAt time.Time
	Quantities map[string]decimal.Decimal
	// TrackingNumber and ExpectedArrival are the carrier's tracking number and the arrival the ASN
	// promises, when it says.
	TrackingNumber  string
	ExpectedArrival time.Time
}

// Receipt is a warehouse's receipt of (part of) an ASN's goods.
type Receipt struct {
	EventID    string
	Number     string
	ReceivedAt time.Time
	Quantities map[string]decimal.Decimal
}

// Shipment is one ASN measured against the receipts of its goods (../shared/VIEWS.md, partner SLA):
// timeliness (how long before the goods arrived the ASN reached us) and accuracy (how well the ASN
// announced what was received).
type Shipment struct {
	Supplier   string    `json:"supplier"`
	ASNNumber  string    `json:"asn_number"`
	RecordedAt time.Time `json:"recorded_at"`
	// ArrivedAt is the business time of the first receipt; zero while nothing is received.
	ArrivedAt time.Time `json:"arrived_at,omitzero"`
	// LeadHours is ArrivedAt − RecordedAt in hours (negative when the ASN came after the goods); nil
	// while nothing is received.
	LeadHours *decimal.Decimal `json:"lead_hours"`
	// PromisedLeadHours is the supplier's promise (0: none).
	PromisedLeadHours int `json:"promised_lead_hours"`
	// Late is true when the ASN reached us less than the promised lead before the goods.
	Late bool `json:"late"`
	// Accuracy is 1 − Σ|announced − received| / Σ announced over the products of both, to 4 places; nil
	// while nothing is received.
	Accuracy *decimal.Decimal `json:"accuracy"`
	Evidence []string         `json:"evidence"`
	// BreachedAt is when the lateness was raised as a breach (sla.breached.v1); zero before.
	BreachedAt time.Time `json:"breached_at,omitzero"`
}

// Compute measures one ASN against its receipts.
func Compute(a ASN, receipts []Receipt, promisedLeadHours int) Shipment {
	s := Shipment{Supplier: a.Supplier, ASNNumber: a.Number, RecordedAt: a.RecordedAt, PromisedLeadHours: promisedLeadHours,
		Evidence: []string{a.EventID}}
	if len(receipts) == 0 {
		return s
	}
	rs := slices.Clone(receipts)
	slices.SortFunc(rs, func(x, y Receipt) int {
		if c := x.ReceivedAt.Compare(y.ReceivedAt); c != 0 {
			return c
		}
		if x.Number < y.Number {
			return -1
		}
		if x.Number > y.Number {
			return 1
		}
		return 0
	})
	received := map[string]decimal.Decimal{}
	for _, r := range rs {
		for p, q := range r.Quantities {
			received[p] = received[p].Add(q)
		}
		s.Evidence = append(s.Evidence, r.EventID)
	}
	s.ArrivedAt = rs[0].ReceivedAt
	lead := decimal.NewFromFloat(s.ArrivedAt.Sub(s.RecordedAt).Hours()).Round(2)
	s.LeadHours = &lead
	s.Late = promisedLeadHours > 0 && lead.LessThan(decimal.NewFromInt(int64(promisedLeadHours)))

	announced, off := decimal.Zero, decimal.Zero
	products := map[string]bool{}
	for p := range a.Quantities {
		products[p] = true
	}
	for p := range received {
		products[p] = true
	}
	for p := range products {
		announced = announced.Add(a.Quantities[p])
		off = off.Add(a.Quantities[p].Sub(received[p]).Abs())
	}
	acc := decimal.Zero
	if announced.IsPositive() {
		acc = decimal.Max(decimal.Zero, decimal.NewFromInt(1).Sub(off.DivRound(announced, 4)))
	}
	s.Accuracy = &acc
	return s
}

// Window is one supplier's shipments over a day or a week (by the date the ASN reached us), with exact
// nearest-rank percentiles of the lead.
type Window struct {
	Supplier     string
	Start        time.Time
	Shipments    int
	Received     int
	LeadP50      *decimal.Decimal
	LeadP90      *decimal.Decimal
	LeadP99      *decimal.Decimal
	Late         int
	MeanAccuracy *decimal.Decimal
}

// Summarize groups shipments into windows of the given length starting at midnight UTC (a week starts on
// Monday), per supplier, in supplier and time order.
func Summarize(shipments []Shipment, week bool) []Window {
	type key struct {
		supplier string
		start    time.Time
	}
	groups := map[key][]Shipment{}
	var keys []key
	for _, s := range shipments {
		k := key{s.Supplier, windowStart(s.RecordedAt, week)}
		if _, ok := groups[k]; !ok {
			keys = append(keys, k)
		}
		groups[k] = append(groups[k], s)
	}
	slices.SortFunc(keys, func(a, b key) int {
		if a.supplier != b.supplier {
			if a.supplier < b.supplier {
				return -1
			}
			return 1
		}
		return a.start.Compare(b.start)
	})
	out := make([]Window, 0, len(keys))
	for _, k := range keys {
		w := Window{Supplier: k.supplier, Start: k.start, Shipments: len(groups[k])}
		var leads []decimal.Decimal
		accSum := decimal.Zero
		for _, s := range groups[k] {
			if s.LeadHours == nil {
				continue
			}
			w.Received++
			leads = append(leads, *s.LeadHours)
			accSum = accSum.Add(*s.Accuracy)
			if s.Late {
				w.Late++
			}
		}
		if len(leads) > 0 {
			slices.SortFunc(leads, func(a, b decimal.Decimal) int { return a.Cmp(b) })
			w.LeadP50, w.LeadP90, w.LeadP99 = rank(leads, 50), rank(leads, 90), rank(leads, 99)
			mean := accSum.DivRound(decimal.NewFromInt(int64(len(leads))), 4)
			w.MeanAccuracy = &mean
		}
		out = append(out, w)
	}
	return out
}

// rank is the nearest-rank p-th percentile of sorted values: the smallest value with at least p % of
// the values at or below it.
func rank(sorted []decimal.Decimal, p int) *decimal.Decimal {
	i := (p*len(sorted) + 99) / 100
	v := sorted[min(max(i, 1), len(sorted))-1]
	return &v
}

// Milestone is one carrier status of a tracking number, as the view needs it.
type Milestone struct {
	EventID string
	Carrier string
	Status  string
	At      time.Time
	// EstimatedDelivery is the carrier's estimate given with the milestone, zero when none.
	EstimatedDelivery time.Time
}

// Promise is an ASN's expected arrival for a tracking number.
type Promise struct {
	EventID  string
	Arrival  time.Time
	Supplier string
}

// Delivery is one tracking number's carrier performance: delivered against the promised delivery, from
// the ASN's expected arrival or else the carrier's first estimate.
type Delivery struct {
	Carrier        string    `json:"carrier"`
	TrackingNumber string    `json:"tracking_number"`
	Promised       time.Time `json:"promised,omitzero"`
	// PromiseSource is "asn" or "carrier_estimate"; "" without a promise.
	PromiseSource string    `json:"promise_source,omitempty"`
	DeliveredAt   time.Time `json:"delivered_at,omitzero"`
	// LateHours is DeliveredAt − Promised in hours (negative when early); nil until both are known.
	LateHours *decimal.Decimal `json:"late_hours"`
	OnTime    *bool            `json:"on_time"`
	Evidence  []string         `json:"evidence"`
	// BreachedAt is when the lateness was raised as a breach (sla.breached.v1); zero before.
	BreachedAt time.Time `json:"breached_at,omitzero"`
}

// ComputeDelivery measures one tracking number's delivery. The delivery instant is the first delivered
// milestone's (AT7 D1, with its time zone); the carrier's first estimate is the estimate on its earliest
// milestone that gives one.
func ComputeDelivery(tracking string, milestones []Milestone, promises []Promise) Delivery {
	d := Delivery{TrackingNumber: tracking, Evidence: []string{}}
	ms := slices.Clone(milestones)
	slices.SortFunc(ms, func(a, b Milestone) int {
		if c := a.At.Compare(b.At); c != 0 {
			return c
		}
		return strings.Compare(a.EventID, b.EventID)
	})
	var estimate *Milestone
	var delivered *Milestone
	for i := range ms {
		m := &ms[i]
		if d.Carrier == "" {
			d.Carrier = m.Carrier
		}
		if estimate == nil && !m.EstimatedDelivery.IsZero() {
			estimate = m
		}
		if delivered == nil && m.Status == "delivered" {
			delivered = m
		}
	}
	ps := slices.Clone(promises)
	slices.SortFunc(ps, func(a, b Promise) int { return strings.Compare(a.EventID, b.EventID) })
	for _, p := range ps {
		if !p.Arrival.IsZero() {
			d.Promised, d.PromiseSource = p.Arrival, "asn"
			d.Evidence = append(d.Evidence, p.EventID)
			break
		}
	}
	if d.PromiseSource == "" && estimate != nil {
		d.Promised, d.PromiseSource = estimate.EstimatedDelivery, "carrier_estimate"
		d.Evidence = append(d.Evidence, estimate.EventID)
	}
	if delivered != nil {
		d.DeliveredAt = delivered.At
		d.Evidence = append(d.Evidence, delivered.EventID)
	}
	if d.PromiseSource != "" && delivered != nil {
		late := decimal.NewFromFloat(d.DeliveredAt.Sub(d.Promised).Hours()).Round(2)
		onTime := !d.DeliveredAt.After(d.Promised)
		d.LateHours, d.OnTime = &late, &onTime
	}
	return d
}

// CarrierWindow is one carrier's deliveries over a day or a week (by delivery date): how many, how many
// on time, and the exact nearest-rank p50/p90/p99 of the lateness in hours.
type CarrierWindow struct {
	Carrier    string
	Start      time.Time
	Deliveries int
	OnTime     int
	LateP50    *decimal.Decimal
	LateP90    *decimal.Decimal
	LateP99    *decimal.Decimal
}

// SummarizeDeliveries groups measured deliveries per carrier and day (or week, from Monday) of delivery.
func SummarizeDeliveries(deliveries []Delivery, week bool) []CarrierWindow {
	type key struct {
		carrier string
		start   time.Time
	}
	groups := map[key][]decimal.Decimal{}
	onTime := map[key]int{}
	var keys []key
	for _, d := range deliveries {
		if d.LateHours == nil {
			continue
		}
		k := key{d.Carrier, windowStart(d.DeliveredAt, week)}
		if _, ok := groups[k]; !ok {
			keys = append(keys, k)
		}
		groups[k] = append(groups[k], *d.LateHours)
		if *d.OnTime {
			onTime[k]++
		}
	}
	slices.SortFunc(keys, func(a, b key) int {
		if c := strings.Compare(a.carrier, b.carrier); c != 0 {
			return c
		}
		return a.start.Compare(b.start)
	})
	out := make([]CarrierWindow, 0, len(keys))
	for _, k := range keys {
		late := groups[k]
		slices.SortFunc(late, func(a, b decimal.Decimal) int { return a.Cmp(b) })
		out = append(out, CarrierWindow{Carrier: k.carrier, Start: k.start, Deliveries: len(late), OnTime: onTime[k],
			LateP50: rank(late, 50), LateP90: rank(late, 90), LateP99: rank(late, 99)})
	}
	return out
}

// windowStart is the midnight UTC that starts t's day, or the Monday of its week.
func windowStart(t time.Time, week bool) time.Time {
	day := t.UTC().Truncate(24 * time.Hour)
	if week {
		day = day.AddDate(0, 0, -((int(day.Weekday()) + 6) % 7))
	}
	return day
}

// Order documents whose answer the SLA measures.
const (
	// DocumentPurchaseOrder: a purchase order sent to a supplier (850 / ORDERS), answered by its first
	// acknowledgment (855 / ORDRSP): the acknowledgement latency.
	DocumentPurchaseOrder = "purchase_order"
	// DocumentWarehouseOrder: a warehouse order sent to a 3PL (940), answered by its first ship
	// confirmation (945): the warehouse ship-confirmation latency.
	DocumentWarehouseOrder = "warehouse_order"
)

// OrderLatency is one order sent to a partner, measured against its first answer.
type OrderLatency struct {
	Partner  string `json:"partner"`
	Document string `json:"document"`
	Number   string `json:"number"`
	// SentAt is when Crossdock first sent the order; AnsweredAt when the partner's first answer was
	// recorded (zero while none is).
	SentAt     time.Time `json:"sent_at"`
	AnsweredAt time.Time `json:"answered_at,omitzero"`
	// LatencyHours is AnsweredAt − SentAt; nil while unanswered.
	LatencyHours *decimal.Decimal `json:"latency_hours"`
	// PromisedHours is the partner's promise for the document (ack within, ship confirm within); 0 none.
	PromisedHours int `json:"promised_hours"`
	// Late: answered later than promised, or, unanswered, the promise has passed at the reading's instant.
	Late bool `json:"late"`
}

// MeasureOrder measures an order sent at sent and answered at answered (zero: not yet), against a
// promise of promised hours (0: none), as of now.
func MeasureOrder(partner, document, number string, sent, answered time.Time, promised int, now time.Time) OrderLatency {
	o := OrderLatency{Partner: partner, Document: document, Number: number, SentAt: sent.UTC(), PromisedHours: promised}
	limit := time.Duration(promised) * time.Hour
	if !answered.IsZero() {
		o.AnsweredAt = answered.UTC()
		l := decimal.NewFromFloat(answered.Sub(sent).Hours()).Round(2)
		o.LatencyHours = &l
		o.Late = promised > 0 && answered.Sub(sent) > limit
		return o
	}
	o.Late = promised > 0 && now.Sub(sent) > limit
	return o
}

// OrderWindow is a partner's orders of one document over a day or a week (by when they were sent): how
// many, how many answered, how many late, and the exact nearest-rank p50/p90/p99 of the latency in
// hours.
type OrderWindow struct {
	Partner, Document string
	Start             time.Time
	Sent, Answered    int
	Late              int
	P50, P90, P99     *decimal.Decimal
}

// SummarizeOrders groups orders per partner, document and day (or week, from Monday) of sending.
func SummarizeOrders(orders []OrderLatency, week bool) []OrderWindow {
	type key struct {
		partner, document string
		start             time.Time
	}
	windows := map[key]*OrderWindow{}
	latencies := map[key][]decimal.Decimal{}
	var keys []key
	for _, o := range orders {
		k := key{o.Partner, o.Document, windowStart(o.SentAt, week)}
		w, ok := windows[k]
		if !ok {
			w = &OrderWindow{Partner: o.Partner, Document: o.Document, Start: k.start}
			windows[k] = w
			keys = append(keys, k)
		}
		w.Sent++
		if o.Late {
			w.Late++
		}
		if o.LatencyHours != nil {
			w.Answered++
			latencies[k] = append(latencies[k], *o.LatencyHours)
		}
	}
	slices.SortFunc(keys, func(a, b key) int {
		if c := strings.Compare(a.partner, b.partner); c != 0 {
			return c
		}
		if c := strings.Compare(a.document, b.document); c != 0 {
			return c
		}
		return a.start.Compare(b.start)
	})
	out := make([]OrderWindow, 0, len(keys))
	for _, k := range keys {
		w := windows[k]
		if l := latencies[k]; len(l) > 0 {
			slices.SortFunc(l, func(a, b decimal.Decimal) int { return a.Cmp(b) })
			w.P50, w.P90, w.P99 = rank(l, 50), rank(l, 90), rank(l, 99)
		}
		out = append(out, *w)
	}
	return out
}

// Unannounced is a receipt of a supplier's purchase order whose goods arrived with no ASN of the order
// recorded before them (VIEWS.md's no_asn).
type Unannounced struct {
	Supplier, PONumber, Warehouse, ReceiptNumber string
	ReceivedAt                                   time.Time
	EventID                                      string
}
