package inventory

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// StreamID names the stream of a position: "inventory-<partner>:<product>", with "/<warehouse>" after
// the partner when the partner names one of its warehouses (a 3PL reporting per warehouse would
// otherwise mix the figures of two places in one stream) and "@<location>" after the product when the
// partner reports per location.
func StreamID(k PositionKey) string {
	s := "inventory-" + k.Partner
	if k.Warehouse != "" {
		s += "/" + k.Warehouse
	}
	s += ":" + k.Product
	if k.Location != "" {
		s += "@" + k.Location
	}
	return s
}

// Aggregate is one inventory position's aggregate: rebuilt from its stream with Apply, asked to decide
// with ReportSnapshot and Adjust.
type Aggregate struct {
	version int64
	// last is the latest snapshot recorded (by as-of instant), nil before the first.
	last *SnapshotData
	// adjustments holds the partner's IDs of the adjustments recorded, and the content of those without one.
	adjustmentIDs map[string]bool
	adjustments   map[string]bool
}

// New returns a position with no history (an empty stream).
func New() *Aggregate {
	return &Aggregate{adjustmentIDs: map[string]bool{}, adjustments: map[string]bool{}}
}

// Version is the stream version the position was rebuilt to: the expected version of the next append.
func (a *Aggregate) Version() int64 { return a.version }

// Last returns the latest snapshot recorded, and false before the first.
func (a *Aggregate) Last() (SnapshotData, bool) {
	if a.last == nil {
		return SnapshotData{}, false
	}
	return *a.last, true
}

// Apply folds one stored event into the position. Other event types advance the version only.
func (a *Aggregate) Apply(eventType string, data []byte) error {
	fail := func(err error) error {
		return fmt.Errorf("apply %s at version %d: %w", eventType, a.version+1, err)
	}
	switch eventType {
	case EventSnapshotReported:
		var d SnapshotData
		if err := json.Unmarshal(data, &d); err != nil {
			return fail(err)
		}
		if a.last == nil || !d.AsOf.Before(a.last.AsOf) {
			a.last = &d
		}
	case EventAdjusted:
		var d AdjustmentData
		if err := json.Unmarshal(data, &d); err != nil {
			return fail(err)
		}
		if err := a.remember(d); err != nil {
			return fail(err)
		}
	}
	a.version++
	return nil
}

// Stale reports whether a snapshot as of asOf is older than the latest one recorded: ReportSnapshot
// ignores it, since it would state a position that is no longer true as if it were news.
func (a *Aggregate) Stale(asOf time.Time) bool {
	return a.last != nil && asOf.Before(a.last.AsOf)
}

// ReportSnapshot decides what a snapshot of the position means:
//
//   - older than the latest recorded (Stale): nothing;
//   - the same figures as of the same instant as the latest: nothing, it is a resend;
//   - anything else: SnapshotReported. The same figures as of a newer instant are recorded, since they
//     confirm the position at that instant (the divergence view needs to know since when figures agree);
//     other figures as of the same instant are the partner's correction.
func (a *Aggregate) ReportSnapshot(d SnapshotData) ([]Event, error) {
	if d.Product == "" || d.Partner == "" {
		return nil, errors.New("report snapshot: no product or partner")
	}
	if d.AsOf.IsZero() {
		return nil, errors.New("report snapshot: no as-of instant")
	}
	if a.Stale(d.AsOf) {
		return nil, nil
	}
	if a.last != nil && a.last.AsOf.Equal(d.AsOf) {
		same, err := sameContent(a.last.Quantities, d.Quantities)
		if err != nil || same {
			return nil, err
		}
	}
	return []Event{SnapshotReported{SnapshotData: d}}, nil
}

// Adjust decides what an adjustment means: Adjusted, unless it was recorded before: the same partner ID
// when it has one, else the same content.
func (a *Aggregate) Adjust(d AdjustmentData) ([]Event, error) {
	if d.Product == "" || d.Partner == "" {
		return nil, errors.New("adjust position: no product or partner")
	}
	if d.AdjustmentID != "" {
		if a.adjustmentIDs[d.AdjustmentID] {
			return nil, nil
		}
	} else {
		key, err := contentKey(d)
		if err != nil {
			return nil, err
		}
		if a.adjustments[key] {
			return nil, nil
		}
	}
	return []Event{Adjusted{AdjustmentData: d}}, nil
}

func (a *Aggregate) remember(d AdjustmentData) error {
	if d.AdjustmentID != "" {
		a.adjustmentIDs[d.AdjustmentID] = true
		return nil
	}
	key, err := contentKey(d)
	if err != nil {
		return err
	}
	a.adjustments[key] = true
	return nil
}

// contentKey is a payload's canonical JSON (UTC instants, decimals without trailing zeros, map keys
// sorted): equal content, equal key.
func contentKey(v any) (string, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return "", fmt.Errorf("encode content: %w", err)
	}
	return string(b), nil
}

func sameContent(a, b any) (bool, error) {
	ka, err := contentKey(a)
	if err != nil {
		return false, err
	}
	kb, err := contentKey(b)
	return err == nil && ka == kb, err
}
