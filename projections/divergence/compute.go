package divergence

import (
	"slices"
	"strings"
	"time"

	"github.com/shopspring/decimal"
)

// Statuses (../shared/VIEWS.md, inventory divergence), and Incomplete for a position one side has not
// reported yet.
const (
	StatusInSync     = "in_sync"
	StatusExplained  = "explained"
	StatusDiverged   = "diverged"
	StatusIncomplete = "incomplete"
)

// Snapshot is the warehouse's latest statement of a position at one location ("" for the whole
// warehouse).
type Snapshot struct {
	EventID  string
	Location string
	AsOf     time.Time
	OnHand   decimal.Decimal
}

// Adjustment is a warehouse's change of a position.
type Adjustment struct {
	EventID  string
	Location string
	At       time.Time
	Quantity decimal.Decimal
}

// Movement is a receipt (positive) or a shipment (negative) the warehouse confirmed, and Odoo's
// validation of it when there is one.
type Movement struct {
	EventID   string
	Reference string
	At        time.Time
	// Quantity is signed: received positive, shipped negative.
	Quantity decimal.Decimal
	// ValidatedAt is when Odoo validated the picking that books it; zero while it has not.
	ValidatedAt       time.Time
	ValidationEventID string
}

// OdooReading is one of Odoo's readings of the warehouse and the product's quantity in it (zero when
// the reading does not list it: a reading is the whole warehouse).
type OdooReading struct {
	EventID  string
	AsOf     time.Time
	Quantity decimal.Decimal
}

// Facts are everything known about one product at one warehouse, with their history: every snapshot,
// adjustment, movement and Odoo reading, so that the position can be evaluated as of any business time.
type Facts struct {
	Warehouse, Product string
	Snapshots          []Snapshot
	Adjustments        []Adjustment
	Movements          []Movement
	Readings           []OdooReading
	// Breaches are the breach events raised for the position's episodes, by the episode's start.
	Breaches []Breach
}

// Breach is a breach raised for the episode that began at Since.
type Breach struct {
	EventID  string
	Since    time.Time
	RaisedAt time.Time
}

// Position is one row of the view.
type Position struct {
	Warehouse string `json:"warehouse"`
	Product   string `json:"product"`
	// WMSOnHand is the warehouse's figure: its latest snapshot per location plus the adjustments after
	// it; nil before any. WMSAsOf is the business time it stands at (the latest of those).
	WMSOnHand *decimal.Decimal `json:"wms_on_hand"`
	WMSAsOf   time.Time        `json:"wms_as_of,omitzero"`
	// OdooOnHand is Odoo's figure from its latest reading; nil before any.
	OdooOnHand *decimal.Decimal `json:"odoo_on_hand"`
	OdooAsOf   time.Time        `json:"odoo_as_of,omitzero"`
	// InFlight is what the warehouse counts and Odoo does not yet: receipts it confirmed (positive) and
	// shipments it confirmed (negative) that Odoo had not validated as of its reading.
	InFlight decimal.Decimal `json:"in_flight"`
	// Divergence is WMSOnHand − OdooOnHand − InFlight; zero while a side is missing.
	Divergence decimal.Decimal `json:"divergence"`
	Status     string          `json:"status"`
	// DivergedSince is the business time from which the position has been diverged without a break.
	DivergedSince time.Time `json:"diverged_since,omitzero"`
	// BreachedAt is when the current episode's breach was raised (it outlived the window); zero before.
	BreachedAt time.Time `json:"breached_at,omitzero"`
	Evidence   []string  `json:"evidence"`
}

var maxTime = time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC)

// evaluate is the position as of business time t, from the facts of t and before.
func evaluate(f Facts, t time.Time) Position {
	p := Position{Warehouse: f.Warehouse, Product: f.Product, Evidence: []string{}}
	// The warehouse: each location's latest snapshot, plus the adjustments after it.
	latest := map[string]Snapshot{}
	for _, s := range f.Snapshots {
		if s.AsOf.After(t) {
			continue
		}
		if cur, ok := latest[s.Location]; !ok || newer(s.AsOf, s.EventID, cur.AsOf, cur.EventID) {
			latest[s.Location] = s
		}
	}
	if len(latest) > 0 {
		locations := make([]string, 0, len(latest))
		for l := range latest {
			locations = append(locations, l)
		}
		slices.Sort(locations)
		total := decimal.Zero
		for _, l := range locations {
			s := latest[l]
			total = total.Add(s.OnHand)
			p.WMSAsOf = later(p.WMSAsOf, s.AsOf)
			p.Evidence = append(p.Evidence, s.EventID)
		}
		for _, a := range sortedAdjustments(f.Adjustments) {
			if a.At.After(t) {
				continue
			}
			if base, ok := latest[a.Location]; ok && !a.At.After(base.AsOf) {
				continue // the snapshot counts it already
			}
			total = total.Add(a.Quantity)
			p.WMSAsOf = later(p.WMSAsOf, a.At)
			p.Evidence = append(p.Evidence, a.EventID)
		}
		p.WMSOnHand = &total
	}
	var reading *OdooReading
	for i, r := range f.Readings {
		if !r.AsOf.After(t) && (reading == nil || newer(r.AsOf, r.EventID, reading.AsOf, reading.EventID)) {
			reading = &f.Readings[i]
		}
	}
	if reading != nil {
		q := reading.Quantity
		p.OdooOnHand, p.OdooAsOf = &q, reading.AsOf
		p.Evidence = append(p.Evidence, reading.EventID)
	}
	if p.WMSOnHand == nil || p.OdooOnHand == nil {
		p.Status = StatusIncomplete
		return p
	}
	// In flight: counted by the warehouse as of its figure, not yet by Odoo as of its reading (in business
	// order, so the evidence reads the same however the facts were loaded).
	movements := slices.Clone(f.Movements)
	slices.SortFunc(movements, func(a, b Movement) int {
		if c := a.At.Compare(b.At); c != 0 {
			return c
		}
		if c := strings.Compare(a.EventID, b.EventID); c != 0 {
			return c
		}
		return strings.Compare(a.Reference, b.Reference)
	})
	for _, m := range movements {
		if m.At.After(p.WMSAsOf) {
			continue // after the warehouse's figure: in neither count yet
		}
		if !m.ValidatedAt.IsZero() && !m.ValidatedAt.After(p.OdooAsOf) {
			continue // Odoo's reading counts it too
		}
		p.InFlight = p.InFlight.Add(m.Quantity)
		p.Evidence = append(p.Evidence, m.EventID)
	}
	p.Divergence = p.WMSOnHand.Sub(*p.OdooOnHand).Sub(p.InFlight)
	switch {
	case p.WMSOnHand.Equal(*p.OdooOnHand):
		p.Status = StatusInSync
	case p.Divergence.IsZero():
		p.Status = StatusExplained
	default:
		p.Status = StatusDiverged
	}
	return p
}

// newer reports whether a fact at (at, id) supersedes one at (curAt, curID): later, or at the same
// instant with the greater event ID — an arbitrary rule, but one that depends on the facts alone.
func newer(at time.Time, id string, curAt time.Time, curID string) bool {
	return at.After(curAt) || (at.Equal(curAt) && id > curID)
}

func sortedAdjustments(a []Adjustment) []Adjustment {
	s := slices.Clone(a)
	slices.SortFunc(s, func(x, y Adjustment) int {
		if c := x.At.Compare(y.At); c != 0 {
			return c
		}
		if x.EventID < y.EventID {
			return -1
		}
		if x.EventID > y.EventID {
			return 1
		}
		return 0
	})
	return s
}

func later(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}
