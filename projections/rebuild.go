package projections

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/crossdock-hub/crossdock/eventstore"
)

// Rebuild builds a new generation of the named projection from the start of the log while the active
// generation keeps serving reads and taking events, and switches to it in the transaction of the batch
// that brings it up to the store's head. It returns once the switch is made and the previous
// generation's tables are dropped. A building generation left by a rebuild that died is resumed from
// its checkpoint. Rebuild may run in a process that does not run the projection (the CLI); a Runner in
// another process picks up the new generation at its next batch.
func (r *Runner) Rebuild(ctx context.Context, name string) error {
	p, ok := r.projs[name]
	if !ok {
		return fmt.Errorf("rebuild %s: %w", name, ErrUnknownProjection)
	}
	if err := r.Migrate(ctx); err != nil {
		return fmt.Errorf("rebuild %s: %w", name, err)
	}
	// Leftovers of a switch whose drop did not run (the process died in between).
	if err := r.dropRetired(ctx, p); err != nil {
		return fmt.Errorf("rebuild %s: %w", name, err)
	}
	gen, err := r.createGeneration(ctx, p, genBuilding)
	if err != nil {
		return fmt.Errorf("rebuild %s: %w", name, err)
	}
	r.cfg.Logger.InfoContext(ctx, "projection rebuild started", "projection", name, "generation", gen.Generation, "from", gen.Checkpoint)
	for {
		done, err := r.build(ctx, p, gen)
		if err != nil {
			r.recordError(ctx, name, gen.Generation, err)
			return fmt.Errorf("rebuild %s generation %d: %w", name, gen.Generation, err)
		}
		if done {
			break
		}
		// Someone else moved the building generation: another rebuild of the same projection. Follow
		// its checkpoint, or stop if it has finished the job.
		gens, err := r.generations(ctx, r.db.Write, name)
		if err != nil {
			return fmt.Errorf("rebuild %s: %w", name, err)
		}
		var found bool
		for _, g := range gens {
			if g.Generation == gen.Generation {
				gen, found = g, true
			}
		}
		if !found || gen.State != genBuilding {
			break
		}
	}
	r.cfg.Logger.InfoContext(ctx, "projection switched to new generation", "projection", name, "generation", gen.Generation)
	if err := r.dropRetired(ctx, p); err != nil {
		return fmt.Errorf("rebuild %s: switched to generation %d, but: %w", name, gen.Generation, err)
	}
	return nil
}

// build applies the log to the building generation gen until it has caught up with the store's head,
// and switches to it. done is false when the generation was moved by someone else.
func (r *Runner) build(ctx context.Context, p Projection, gen generation) (done bool, err error) {
	tables := Tables{Dialect: r.db.Dialect, Generation: gen.Generation}
	activate := func(tx *sql.Tx) error { return r.activate(ctx, tx, p.Name(), gen.Generation) }
	cp := gen.Checkpoint

	// Nothing to read (an empty log, or a resumed generation already at the head): switch right away,
	// since a subscription would wait for an event that may never come.
	head, err := r.store.Head(ctx)
	if err != nil {
		return false, fmt.Errorf("read head: %w", err)
	}
	if !cp.Less(head) {
		moved, err := r.applyBatch(ctx, p, tables, genBuilding, cp, cp, nil, activate)
		return !moved, err
	}
	for batch, err := range r.store.Subscribe(ctx, cp, eventstore.Filter{}) {
		if err != nil {
			return false, fmt.Errorf("subscribe from %s: %w", cp, err)
		}
		if len(batch) == 0 {
			continue
		}
		to := batch[len(batch)-1].Position
		// Read before the transaction: on SQLite the store may share the one writer connection.
		head, err := r.store.Head(ctx)
		if err != nil {
			return false, fmt.Errorf("read head: %w", err)
		}
		caughtUp := !to.Less(head)
		var before func(*sql.Tx) error
		if caughtUp {
			before = activate
		}
		moved, err := r.applyBatch(ctx, p, tables, genBuilding, cp, to, batch, before)
		if err != nil || moved {
			return false, err
		}
		if caughtUp {
			return true, nil
		}
		cp = to
	}
	return false, ctx.Err()
}

// activate makes generation gen name's active one, retiring the current one, inside tx.
func (r *Runner) activate(ctx context.Context, tx *sql.Tx, name string, gen int) error {
	now := r.db.Dialect.TimeArg(time.Now())
	if _, err := tx.ExecContext(ctx, r.q["retire_active"], name, now); err != nil {
		return fmt.Errorf("retire active generation of %s: %w", name, err)
	}
	res, err := tx.ExecContext(ctx, r.q["activate"], name, gen, now)
	if err != nil {
		return fmt.Errorf("activate %s generation %d: %w", name, gen, err)
	}
	if n, err := res.RowsAffected(); err != nil || n != 1 {
		return fmt.Errorf("activate %s generation %d: %d rows (%v)", name, gen, n, err)
	}
	return nil
}
