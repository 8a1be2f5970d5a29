package divergence

import (
	"slices"
	"strings"
	"time"

	"github.com/shopspring/decimal"
)

// Sweep is a position's facts swept in business-time order up to an instant, kept small: what the
// figures and the episode's start can still depend on after At. A derive goes on from it with the later
// facts alone, so the work of a change does not grow with the position's history. Facts it no longer
// holds cannot matter again: a snapshot superseded by a later one of its location, the adjustments
// before that, a reading older than the latest, a movement both counted by the warehouse and validated
// by Odoo (the two clocks only move forward).
type Sweep struct {
	// At is the latest business time swept: every fact at or before it is in the state.
	At time.Time `json:"at"`
	// Locations are, per location, its latest snapshot and the adjustments after it (all of them, for a
	// location without a snapshot).
	Locations map[string]*SweptLocation `json:"locations"`
	// Reading is Odoo's latest reading, nil before any.
	Reading *OdooReading `json:"reading,omitempty"`
	// Open are the movements not both counted by the warehouse and validated by Odoo yet.
	Open []Movement `json:"open"`
	// Since is the start of the diverged run the position is in at At; zero when it is not diverged.
	Since time.Time `json:"since,omitzero"`
}

// SweptLocation is one location's part of a Sweep.
type SweptLocation struct {
	Base        *Snapshot    `json:"base,omitempty"`
	Adjustments []Adjustment `json:"adjustments"`
}

// Compute derives a position from all its facts: the figures as of the latest fact, and for a diverged
// position the business time its episode began (so it depends on the facts alone, not on the order they
// arrived in).
func Compute(f Facts) Position {
	p, _ := ComputeFrom(nil, f, time.Time{})
	return p
}

// Split parts the facts into those at or before t and those after it (breaches go with the later).
func (f Facts) Split(t time.Time) (before, after Facts) {
	before = Facts{Warehouse: f.Warehouse, Product: f.Product}
	after = Facts{Warehouse: f.Warehouse, Product: f.Product, Breaches: f.Breaches}
	side := func(at time.Time) *Facts {
		if at.After(t) {
			return &after
		}
		return &before
	}
	for _, x := range f.Snapshots {
		side(x.AsOf).Snapshots = append(side(x.AsOf).Snapshots, x)
	}
	for _, x := range f.Adjustments {
		side(x.At).Adjustments = append(side(x.At).Adjustments, x)
	}
	for _, x := range f.Movements {
		side(x.At).Movements = append(side(x.At).Movements, x)
	}
	for _, x := range f.Readings {
		side(x.AsOf).Readings = append(side(x.AsOf).Readings, x)
	}
	return before, after
}

// Validate records Odoo's validation of a movement the sweep holds open (matched by reference, and by
// direction: received or shipped), when the sweep has not yet seen a reading it would count in. It
// reports false when it cannot (the validation changes what was swept): the position must then be swept
// from all its facts. A movement the sweep does not hold is not its concern (true).
func (s *Sweep) Validate(reference string, shipped bool, at time.Time, eventID string) bool {
	for i, m := range s.Open {
		if m.Reference != reference || (m.Quantity.IsNegative() != shipped && !m.Quantity.IsZero()) {
			continue
		}
		if !m.ValidatedAt.IsZero() {
			continue // the first validation stands
		}
		if s.Reading != nil && !at.After(s.Reading.AsOf) {
			return false // a reading swept already counts it
		}
		s.Open[i].ValidatedAt, s.Open[i].ValidationEventID = at, eventID
	}
	return true
}

// ComputeFrom goes on from a sweep (nil: from no facts) with the facts after its instant, and returns the
// position and the sweep of the facts at or before horizon (a zero horizon: of all of them). The
// projection keeps its sweep some time behind the position's newest fact, so that a fact arriving late
// by less than that goes on from the sweep too. ComputeFrom(Sweep of the facts up to t, facts after t, h)
// is Compute(all facts) for any h.
func ComputeFrom(from *Sweep, f Facts, horizon time.Time) (Position, Sweep) {
	early, late := f, Facts{Warehouse: f.Warehouse, Product: f.Product}
	if !horizon.IsZero() {
		early, late = f.Split(horizon)
	}
	kept := from.clone()
	kept.advance(early)
	s := kept.clone()
	s.advance(late)
	reduced := Facts{Warehouse: f.Warehouse, Product: f.Product, Movements: s.Open, Breaches: f.Breaches}
	locations := make([]string, 0, len(s.Locations))
	for l := range s.Locations {
		locations = append(locations, l)
	}
	slices.Sort(locations)
	for _, l := range locations {
		if b := s.Locations[l].Base; b != nil {
			reduced.Snapshots = append(reduced.Snapshots, *b)
		}
		reduced.Adjustments = append(reduced.Adjustments, s.Locations[l].Adjustments...)
	}
	if s.Reading != nil {
		reduced.Readings = []OdooReading{*s.Reading}
	}
	p := evaluate(reduced, maxTime)
	if p.Status != StatusDiverged {
		return p, kept
	}
	p.DivergedSince = s.Since
	for _, b := range f.Breaches {
		if b.Since.Equal(s.Since) {
			p.BreachedAt = b.RaisedAt
			p.Evidence = append(p.Evidence, b.EventID)
		}
	}
	return p, kept
}

func (s *Sweep) clone() Sweep {
	out := Sweep{Locations: map[string]*SweptLocation{}}
	if s == nil {
		return out
	}
	out.At, out.Since, out.Reading = s.At, s.Since, s.Reading
	out.Open = slices.Clone(s.Open)
	for l, loc := range s.Locations {
		c := &SweptLocation{Base: loc.Base, Adjustments: slices.Clone(loc.Adjustments)}
		out.Locations[l] = c
	}
	return out
}

// advance sweeps the facts (all after s.At) in business-time order. At each instant it keeps the
// figures evaluate would give and the start of the current diverged run. Each of the two clocks the
// in-flight rule compares with — the warehouse's figure's as-of and Odoo's reading's — only moves
// forward, so a movement enters the in-flight sum once (when the warehouse's figure passes it) and leaves
// it once (when Odoo's reading passes its validation).
func (s *Sweep) advance(f Facts) {
	type step struct {
		at    time.Time
		order int // at one instant: snapshots, then adjustments, then readings
		id    string
		i     int
	}
	var steps []step
	for i, sn := range f.Snapshots {
		steps = append(steps, step{sn.AsOf, 0, sn.EventID, i})
	}
	for i, a := range f.Adjustments {
		steps = append(steps, step{a.At, 1, a.EventID, i})
	}
	for i, r := range f.Readings {
		steps = append(steps, step{r.AsOf, 2, r.EventID, i})
	}
	// Two snapshots of a location (or two readings) at one instant: the greater event ID is the one that
	// stands (newer), so it is applied last.
	slices.SortFunc(steps, func(x, y step) int {
		if c := x.at.Compare(y.at); c != 0 {
			return c
		}
		if x.order != y.order {
			return x.order - y.order
		}
		return strings.Compare(x.id, y.id)
	})

	// The running figures, from the state.
	var (
		snapshots         int
		wmsTotal          decimal.Decimal
		wmsAsOf, odooAsOf time.Time
		odoo              *decimal.Decimal
	)
	for _, l := range s.Locations {
		if l.Base != nil {
			snapshots++
			wmsTotal = wmsTotal.Add(l.Base.OnHand)
			wmsAsOf = later(wmsAsOf, l.Base.AsOf)
		}
		for _, a := range l.Adjustments {
			wmsTotal = wmsTotal.Add(a.Quantity)
			wmsAsOf = later(wmsAsOf, a.At)
		}
	}
	if snapshots == 0 {
		wmsAsOf = time.Time{} // adjustments alone make no figure
	}
	if s.Reading != nil {
		q := s.Reading.Quantity
		odoo, odooAsOf = &q, s.Reading.AsOf
	}
	movements := append(slices.Clone(s.Open), f.Movements...)
	slices.SortFunc(movements, func(x, y Movement) int {
		if c := x.At.Compare(y.At); c != 0 {
			return c
		}
		return strings.Compare(x.EventID+x.Reference, y.EventID+y.Reference)
	})
	var validated []int // indexes into movements of validated movements, by validation time
	for i, m := range movements {
		if !m.ValidatedAt.IsZero() {
			validated = append(validated, i)
		}
	}
	slices.SortFunc(validated, func(x, y int) int { return movements[x].ValidatedAt.Compare(movements[y].ValidatedAt) })
	counted, odooCounted := make([]bool, len(movements)), make([]bool, len(movements))
	var inFlight decimal.Decimal
	nextAt, nextValidation := 0, 0
	catchUp := func() {
		for ; nextAt < len(movements) && snapshots > 0 && !movements[nextAt].At.After(wmsAsOf); nextAt++ {
			counted[nextAt] = true
			if !odooCounted[nextAt] {
				inFlight = inFlight.Add(movements[nextAt].Quantity)
			}
		}
		for ; nextValidation < len(validated) && odoo != nil && !movements[validated[nextValidation]].ValidatedAt.After(odooAsOf); nextValidation++ {
			m := validated[nextValidation]
			odooCounted[m] = true
			if counted[m] {
				inFlight = inFlight.Sub(movements[m].Quantity)
			}
		}
	}
	catchUp()

	for k := 0; k < len(steps); {
		t := steps[k].at
		for ; k < len(steps) && steps[k].at.Equal(t); k++ {
			switch st := steps[k]; st.order {
			case 0:
				sn := f.Snapshots[st.i]
				l := s.location(sn.Location)
				if l.Base != nil && !newer(sn.AsOf, sn.EventID, l.Base.AsOf, l.Base.EventID) {
					continue // the state's snapshot stands
				}
				if l.Base != nil {
					wmsTotal = wmsTotal.Sub(l.Base.OnHand)
				} else {
					snapshots++
				}
				for _, a := range l.Adjustments {
					wmsTotal = wmsTotal.Sub(a.Quantity)
				}
				wmsTotal = wmsTotal.Add(sn.OnHand)
				l.Base, l.Adjustments = &f.Snapshots[st.i], nil
				// Adjustments swept before the first snapshot are earlier than it: they leave its as-of the
				// figure's.
				wmsAsOf = later(wmsAsOf, sn.AsOf)
			case 1:
				a := f.Adjustments[st.i]
				l := s.location(a.Location)
				if l.Base != nil && !a.At.After(l.Base.AsOf) {
					continue // the snapshot counts it already
				}
				l.Adjustments = append(l.Adjustments, a)
				wmsTotal = wmsTotal.Add(a.Quantity)
				if snapshots > 0 {
					wmsAsOf = later(wmsAsOf, a.At)
				}
			case 2:
				r := f.Readings[st.i]
				if s.Reading != nil && !newer(r.AsOf, r.EventID, s.Reading.AsOf, s.Reading.EventID) {
					continue
				}
				s.Reading = &f.Readings[st.i]
				q := r.Quantity
				odoo, odooAsOf = &q, r.AsOf
			}
		}
		catchUp()
		if snapshots == 0 || odoo == nil {
			s.Since = time.Time{}
			continue
		}
		diverged := !wmsTotal.Equal(*odoo) && !wmsTotal.Sub(*odoo).Sub(inFlight).IsZero()
		switch {
		case !diverged:
			s.Since = time.Time{}
		case s.Since.IsZero():
			s.Since = t
		}
	}

	// What stays open, and the instant swept.
	s.Open = s.Open[:0]
	for i, m := range movements {
		if !(counted[i] && odooCounted[i]) {
			s.Open = append(s.Open, m)
		}
		s.At = later(s.At, m.At)
	}
	if len(steps) > 0 {
		s.At = later(s.At, steps[len(steps)-1].at)
	}
}

func (s *Sweep) location(name string) *SweptLocation {
	l := s.Locations[name]
	if l == nil {
		l = &SweptLocation{}
		s.Locations[name] = l
	}
	return l
}
