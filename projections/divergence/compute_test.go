package divergence

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func at(hhmm string) time.Time {
	t, err := time.Parse("2006-01-02 15:04", "2026-11-26 "+hhmm)
	if err != nil {
		panic(err)
	}
	return t
}

func d(s string) decimal.Decimal { return decimal.RequireFromString(s) }

// VIEWS.md's example, WH1 and WID-A, step by step.
func TestViewsExample(t *testing.T) {
	receipt := Movement{EventID: "rcv", Reference: "R1", At: at("07:50"), Quantity: d("6")}
	validated := receipt
	validated.ValidatedAt = at("09:00")
	odoo0800 := OdooReading{EventID: "odoo-0800", AsOf: at("08:00"), Quantity: d("100")}
	odoo0900 := OdooReading{EventID: "odoo-0900", AsOf: at("09:00"), Quantity: d("106")}
	snapshot := Snapshot{EventID: "846", AsOf: at("08:05"), OnHand: d("106")}
	damaged := Adjustment{EventID: "adj", At: at("10:00"), Quantity: d("-2")}
	steps := []struct {
		name                  string
		f                     Facts
		wms, odoo, flight, dv string
		status                string
		since                 time.Time
	}{
		{name: "08:05 explained by the receipt in flight",
			f:   Facts{Snapshots: []Snapshot{snapshot}, Movements: []Movement{receipt}, Readings: []OdooReading{odoo0800}},
			wms: "106", odoo: "100", flight: "6", dv: "0", status: StatusExplained},
		{name: "09:00 Odoo validated and reads 106",
			f:   Facts{Snapshots: []Snapshot{snapshot}, Movements: []Movement{validated}, Readings: []OdooReading{odoo0800, odoo0900}},
			wms: "106", odoo: "106", flight: "0", dv: "0", status: StatusInSync},
		{name: "10:00 two damaged",
			f: Facts{Snapshots: []Snapshot{snapshot}, Adjustments: []Adjustment{damaged}, Movements: []Movement{validated},
				Readings: []OdooReading{odoo0800, odoo0900}},
			wms: "104", odoo: "106", flight: "0", dv: "-2", status: StatusDiverged, since: at("10:00")},
	}
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			st.f.Warehouse, st.f.Product = "wh1", "WID-A"
			p := Compute(st.f)
			require.NotNil(t, p.WMSOnHand)
			require.NotNil(t, p.OdooOnHand)
			assert.True(t, d(st.wms).Equal(*p.WMSOnHand), "wms %s", p.WMSOnHand)
			assert.True(t, d(st.odoo).Equal(*p.OdooOnHand), "odoo %s", p.OdooOnHand)
			assert.True(t, d(st.flight).Equal(p.InFlight), "in flight %s", p.InFlight)
			assert.True(t, d(st.dv).Equal(p.Divergence), "divergence %s", p.Divergence)
			assert.Equal(t, st.status, p.Status)
			assert.True(t, st.since.Equal(p.DivergedSince), "diverged since %s", p.DivergedSince)
		})
	}
	// Still diverged at 11:00 after a new Odoo reading: the episode keeps its start, whatever order the
	// facts are given in.
	f := Facts{Warehouse: "wh1", Product: "WID-A", Snapshots: []Snapshot{snapshot}, Adjustments: []Adjustment{damaged},
		Movements: []Movement{validated},
		Readings:  []OdooReading{{EventID: "odoo-1100", AsOf: at("11:00"), Quantity: d("106")}, odoo0900, odoo0800}}
	later := Compute(f)
	assert.Equal(t, StatusDiverged, later.Status)
	assert.True(t, at("10:00").Equal(later.DivergedSince), "%s", later.DivergedSince)
	// A correction at 12:00 closes the episode; a new divergence at 13:00 opens another.
	f.Adjustments = append(f.Adjustments, Adjustment{EventID: "fix", At: at("12:00"), Quantity: d("2")}, Adjustment{EventID: "lost", At: at("13:00"), Quantity: d("-1")})
	again := Compute(f)
	assert.Equal(t, StatusDiverged, again.Status)
	assert.True(t, at("13:00").Equal(again.DivergedSince), "%s", again.DivergedSince)
}

func TestWarehouseFigure(t *testing.T) {
	f := Facts{Warehouse: "wh1", Product: "A",
		Snapshots: []Snapshot{{EventID: "s1", Location: "BIN-1", AsOf: at("08:00"), OnHand: d("10")}, {EventID: "s2", Location: "BIN-2", AsOf: at("09:00"), OnHand: d("5")}},
		Adjustments: []Adjustment{
			{EventID: "a-old", Location: "BIN-2", At: at("08:30"), Quantity: d("-1")}, // before BIN-2's snapshot: counted in it
			{EventID: "a-new", Location: "BIN-1", At: at("08:30"), Quantity: d("-3")}, // after BIN-1's
		},
		// A shipment after the warehouse's figure is in neither count; one before it, not validated, is.
		Movements: []Movement{{EventID: "ship-late", At: at("12:00"), Quantity: d("-4")}, {EventID: "ship", At: at("08:45"), Quantity: d("-2")}},
		Readings:  []OdooReading{{EventID: "o", AsOf: at("09:30"), Quantity: d("14")}},
	}
	p := Compute(f)
	assert.True(t, d("12").Equal(*p.WMSOnHand), "%s", p.WMSOnHand)
	assert.True(t, at("09:00").Equal(p.WMSAsOf))
	assert.True(t, d("-2").Equal(p.InFlight))
	assert.True(t, d("0").Equal(p.Divergence), "12 − 14 − (−2)")
	assert.Equal(t, StatusExplained, p.Status)
	assert.Equal(t, []string{"s1", "s2", "a-new", "o", "ship"}, p.Evidence)

	p = Compute(Facts{Warehouse: "wh1", Product: "A", Snapshots: f.Snapshots})
	assert.Equal(t, StatusIncomplete, p.Status)
	assert.Nil(t, p.OdooOnHand)
}

// The sweep finds the same episode start as evaluating the position as of every fact's instant, on
// random fact sets with ties, several locations, late validations and readings that come and go.
func TestDivergedSinceMatchesEvaluatingEveryInstant(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 13))
	minute := func() time.Time { return at("08:00").Add(time.Duration(rng.IntN(40)) * time.Minute) }
	q := func() decimal.Decimal { return decimal.NewFromInt(int64(rng.IntN(6))) }
	for n := range 2000 {
		var f Facts
		for i := range rng.IntN(5) {
			f.Snapshots = append(f.Snapshots, Snapshot{EventID: fmt.Sprint("s", i), Location: []string{"", "B"}[rng.IntN(2)], AsOf: minute(), OnHand: q()})
		}
		for i := range rng.IntN(5) {
			f.Adjustments = append(f.Adjustments, Adjustment{EventID: fmt.Sprint("a", i), Location: []string{"", "B", "C"}[rng.IntN(3)], At: minute(), Quantity: q().Sub(decimal.NewFromInt(2))})
		}
		for i := range rng.IntN(4) {
			m := Movement{EventID: fmt.Sprint("m", i), At: minute(), Quantity: q().Sub(decimal.NewFromInt(2))}
			if rng.IntN(2) == 0 {
				m.ValidatedAt = minute()
			}
			f.Movements = append(f.Movements, m)
		}
		for i := range rng.IntN(4) {
			f.Readings = append(f.Readings, OdooReading{EventID: fmt.Sprint("r", i), AsOf: minute(), Quantity: q()})
		}
		want := walkedSince(f)
		if got := Compute(f); got.Status == StatusDiverged {
			require.True(t, want.Equal(got.DivergedSince), "case %d: sweep %s, walk %s\n%+v", n, got.DivergedSince, want, f)
		}
	}
}

// walkedSince is the definition the sweep implements: evaluate the position as of each fact's instant,
// latest first, back to the last one at which it was not diverged.
func walkedSince(f Facts) time.Time {
	var ts []time.Time
	for _, s := range f.Snapshots {
		ts = append(ts, s.AsOf)
	}
	for _, a := range f.Adjustments {
		ts = append(ts, a.At)
	}
	for _, m := range f.Movements {
		ts = append(ts, m.At)
		if !m.ValidatedAt.IsZero() {
			ts = append(ts, m.ValidatedAt)
		}
	}
	for _, r := range f.Readings {
		ts = append(ts, r.AsOf)
	}
	slices.SortFunc(ts, time.Time.Compare)
	var since time.Time
	for i := len(ts) - 1; i >= 0; i-- {
		if evaluate(f, ts[i]).Status != StatusDiverged {
			break
		}
		since = ts[i]
	}
	return since
}

// Going on from a sweep — stored as JSON, as the projection keeps it — with the later facts gives what
// all the facts give at once: the figures, the evidence and the episode's start.
func TestComputeFromASweepEqualsComputeFromAll(t *testing.T) {
	rng := rand.New(rand.NewPCG(17, 19))
	minute := func() time.Time { return at("08:00").Add(time.Duration(rng.IntN(40)) * time.Minute) }
	q := func() decimal.Decimal { return decimal.NewFromInt(int64(rng.IntN(6))) }
	for n := range 2000 {
		var f Facts
		for i := range rng.IntN(6) {
			f.Snapshots = append(f.Snapshots, Snapshot{EventID: fmt.Sprint("s", i), Location: []string{"", "B"}[rng.IntN(2)], AsOf: minute(), OnHand: q()})
		}
		for i := range rng.IntN(6) {
			f.Adjustments = append(f.Adjustments, Adjustment{EventID: fmt.Sprint("a", i), Location: []string{"", "B", "C"}[rng.IntN(3)], At: minute(), Quantity: q().Sub(decimal.NewFromInt(2))})
		}
		for i := range rng.IntN(5) {
			m := Movement{EventID: fmt.Sprint("m", i), Reference: fmt.Sprint("R", i), At: minute(), Quantity: q().Sub(decimal.NewFromInt(2))}
			if rng.IntN(2) == 0 {
				m.ValidatedAt = minute()
			}
			f.Movements = append(f.Movements, m)
		}
		for i := range rng.IntN(5) {
			f.Readings = append(f.Readings, OdooReading{EventID: fmt.Sprint("r", i), AsOf: minute(), Quantity: q()})
		}
		want := Compute(f)

		// Split at an instant: the facts at or before it make the sweep (kept at a horizon before the
		// split, or none), the later ones go on from it. Some validations reach the sweep only later,
		// patched in where it can take them.
		split := minute()
		before, after := f.Split(split)
		var late []Movement
		var readBefore time.Time
		for _, r := range before.Readings {
			readBefore = later(readBefore, r.AsOf)
		}
		for i, m := range before.Movements {
			if !m.ValidatedAt.IsZero() && m.ValidatedAt.After(readBefore) && rng.IntN(2) == 0 {
				late = append(late, m)
				before.Movements[i].ValidatedAt, before.Movements[i].ValidationEventID = time.Time{}, ""
			}
		}
		var horizon time.Time
		if rng.IntN(2) == 0 {
			horizon = split.Add(-time.Duration(rng.IntN(20)) * time.Minute)
		}
		_, sweep := ComputeFrom(nil, before, horizon)
		stored, err := json.Marshal(sweep)
		require.NoError(t, err)
		var resumed Sweep
		require.NoError(t, json.Unmarshal(stored, &resumed))
		if !horizon.IsZero() { // the sweep stopped at the horizon: the facts after it come again
			_, again := before.Split(horizon)
			after.Snapshots = append(after.Snapshots, again.Snapshots...)
			after.Adjustments = append(after.Adjustments, again.Adjustments...)
			after.Movements = append(after.Movements, again.Movements...)
			after.Readings = append(after.Readings, again.Readings...)
		}
		// A validation the sweep's reading already passes cannot be taken: the sweep would have counted it.
		if r := resumed.Reading; r != nil {
			for _, m := range resumed.Open {
				if m.ValidatedAt.IsZero() {
					probe := resumed.clone()
					require.False(t, probe.Validate(m.Reference, m.Quantity.IsNegative(), r.AsOf, "late"), "case %d", n)
				}
			}
		}
		for _, m := range late {
			if m.At.After(resumed.At) {
				for i := range after.Movements { // it comes again, with its validation
					if after.Movements[i].Reference == m.Reference {
						after.Movements[i].ValidatedAt, after.Movements[i].ValidationEventID = m.ValidatedAt, m.ValidationEventID
					}
				}
				continue
			}
			require.True(t, resumed.Validate(m.Reference, m.Quantity.IsNegative(), m.ValidatedAt, m.ValidationEventID), "case %d", n)
		}
		got, _ := ComputeFrom(&resumed, after, time.Time{})
		require.Equal(t, want, got, "case %d, split at %s, horizon %s", n, split, horizon)
	}
}
