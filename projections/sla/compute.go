package sla

import (
	"slices"
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
		day := s.RecordedAt.UTC().Truncate(24 * time.Hour)
		if week {
			day = day.AddDate(0, 0, -((int(day.Weekday()) + 6) % 7))
		}
		k := key{s.Supplier, day}
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
