package projections

import (
	"context"
	"fmt"
	"time"

	"github.com/crossdock-hub/crossdock/eventstore"
)

// State is a projection's condition as Status reports it.
type State string

// The states, in the order Status picks them: a failure shows first, then a rebuild, then the lag.
const (
	// Failed: the last batch failed; Status.Error says why. The runner retries from the checkpoint.
	Failed State = "failed"
	// Rebuilding: a new generation is being built while the active one serves.
	Rebuilding State = "rebuilding"
	// CatchingUp: the active generation is behind the store's head.
	CatchingUp State = "catching_up"
	// Live: the active generation has applied every event up to the store's head.
	Live State = "live"
)

// Status is the state of one projection, read from projection_state and the store's head, so any
// process sees the same figures (the CLI's `crossdock projections status`).
type Status struct {
	Name  string
	State State
	// Error is the last batch's failure, when State is Failed.
	Error string
	// Generation is the active generation (0 before the first Migrate); Version the projection version
	// it was built with.
	Generation int
	Version    int
	// NeedsRebuild reports that the projection's code has another Version than the active generation.
	NeedsRebuild bool
	// Checkpoint is the position of the last event the active generation has applied.
	Checkpoint eventstore.Position
	// Lag is how many events the active generation is behind the head: head minus checkpoint, in
	// global sequence numbers. On PostgreSQL the sequence has gaps (rolled-back appends), so it is an
	// upper bound; it is 0 exactly when the checkpoint is at the head.
	Lag uint64
	// LastEventAt is when the last event the projection handled was recorded in the store.
	LastEventAt time.Time
	// UpdatedAt is when the checkpoint last moved.
	UpdatedAt time.Time
	// Rebuild describes the generation being built, when there is one.
	Rebuild *RebuildProgress
}

// RebuildProgress is the state of a generation being built.
type RebuildProgress struct {
	Generation int
	Version    int
	Checkpoint eventstore.Position
	Lag        uint64
	Error      string
}

// Status reports every registered projection, in registration order.
func (r *Runner) Status(ctx context.Context) ([]Status, error) {
	// The head first: a checkpoint read after it can only be closer, never report a negative lag.
	head, err := r.store.Head(ctx)
	if err != nil {
		return nil, fmt.Errorf("projection status: read head: %w", err)
	}
	if err := r.migrateState(ctx); err != nil {
		return nil, fmt.Errorf("projection status: %w", err)
	}
	gens, err := r.generations(ctx, r.db.Read, "")
	if err != nil {
		return nil, fmt.Errorf("projection status: %w", err)
	}
	out := make([]Status, 0, len(r.order))
	for _, name := range r.order {
		s := Status{Name: name, State: CatchingUp, Lag: lag(eventstore.Start, head)}
		for _, g := range gens {
			if g.Name != name {
				continue
			}
			switch g.State {
			case genActive:
				s.Generation, s.Version, s.Checkpoint = g.Generation, g.Version, g.Checkpoint
				s.LastEventAt, s.UpdatedAt, s.Error = g.LastEventAt, g.UpdatedAt, g.Error
				s.Lag = lag(g.Checkpoint, head)
				s.NeedsRebuild = g.Version != r.projs[name].Version()
			case genBuilding:
				s.Rebuild = &RebuildProgress{Generation: g.Generation, Version: g.Version, Checkpoint: g.Checkpoint,
					Lag: lag(g.Checkpoint, head), Error: g.Error}
			}
		}
		switch {
		case s.Error != "":
			s.State = Failed
		case s.Rebuild != nil:
			s.State = Rebuilding
		case s.Generation > 0 && s.Lag == 0:
			s.State = Live
		}
		out = append(out, s)
	}
	return out, nil
}

// lag is how far cp is behind head in global sequence numbers; at least 1 while cp is before head,
// since on PostgreSQL commit order and sequence order can differ.
func lag(cp, head eventstore.Position) uint64 {
	if !cp.Less(head) {
		return 0
	}
	if head.Global > cp.Global {
		return head.Global - cp.Global
	}
	return 1
}

// Checkpoint returns the position up to which the active generation of projection name has applied the
// log (Start before its first batch): a workflow that reads a view waits until it has seen an event.
func (r *Runner) Checkpoint(ctx context.Context, name string) (eventstore.Position, error) {
	if _, ok := r.projs[name]; !ok {
		return eventstore.Start, fmt.Errorf("%w: %s", ErrUnknownProjection, name)
	}
	gens, err := r.generations(ctx, r.db.Read, name)
	if err != nil {
		return eventstore.Start, fmt.Errorf("checkpoint of %s: %w", name, err)
	}
	for _, g := range gens {
		if g.Name == name && g.State == genActive {
			return g.Checkpoint, nil
		}
	}
	return eventstore.Start, nil
}
