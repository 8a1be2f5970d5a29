package projections

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"iter"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/crossdock-hub/crossdock/eventstore"
)

// ErrUnknownProjection means no projection of that name is registered with the runner.
var ErrUnknownProjection = errors.New("projections: unknown projection")

// ErrNotReady means a projection has no active generation yet (the runner has not migrated it).
var ErrNotReady = errors.New("projections: projection has no active generation")

// EventSource is what the runner needs of the event store.
type EventSource interface {
	Subscribe(ctx context.Context, from eventstore.Position, filter eventstore.Filter) iter.Seq2[[]eventstore.Event, error]
	Head(ctx context.Context) (eventstore.Position, error)
}

// Config configures a Runner.
type Config struct {
	// Logger receives the runner's logs. Default: a logger that discards.
	Logger *slog.Logger
	// RetryDelay is how long a projection whose batch failed waits before it tries again from its
	// checkpoint. Default: 5s.
	RetryDelay time.Duration
	// BatchWindow is how long a projection waits after applying a batch before it reads the next, so
	// that the events appended meanwhile are applied together: one transaction, one checkpoint write and
	// one read of the log for all of them, instead of one each for every append of a busy hub. A
	// projection that was idle applies the first event at once. Default: 10ms.
	BatchWindow time.Duration
	// Changes receives the row changes of projections that report them (ChangeReporter), after each batch
	// applied to a serving generation commits. A batch's changes are published once, after its commit: a
	// process that stops between the two does not publish them, and a follower that must not miss a row
	// reads the view again when it reconnects. Default: none.
	Changes ChangePublisher
	// RebuildOnVersionChange makes Run start a rebuild of every projection whose active generation was
	// built by another Version of its code. Default: false (Status reports NeedsRebuild instead), since a
	// rebuild of a large log is an operator's decision.
	RebuildOnVersionChange bool
}

func (c *Config) setDefaults() {
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	if c.RetryDelay == 0 {
		c.RetryDelay = 5 * time.Second
	}
	if c.BatchWindow == 0 {
		c.BatchWindow = 10 * time.Millisecond
	}
}

// Validate reports every problem with c.
func (c Config) Validate() error {
	var problems []error
	if c.RetryDelay < 0 {
		problems = append(problems, fmt.Errorf("RetryDelay %s is negative", c.RetryDelay))
	}
	if c.BatchWindow < 0 {
		problems = append(problems, fmt.Errorf("BatchWindow %s is negative", c.BatchWindow))
	}
	return errors.Join(problems...)
}

// Runner keeps projections up to date from an event store and reports their status. All methods are
// safe for concurrent use, and several processes may run Runners over the same database (see the
// package comment).
type Runner struct {
	store EventSource
	db    Database
	cfg   Config
	q     Queries
	projs map[string]Projection
	order []string
	// stateMigrated is set once projection_state is known to exist, so Status (called by every
	// readiness probe) does not take the migration lock again.
	stateMigrated atomic.Bool
}

// New returns a runner for the projections, whose read models live in db.
func New(store EventSource, db Database, cfg Config, projections ...Projection) (*Runner, error) {
	cfg.setDefaults()
	problems := []error{cfg.Validate(), db.Validate()}
	if store == nil {
		problems = append(problems, errors.New("no event store"))
	}
	r := &Runner{store: store, db: db, cfg: cfg, q: stateQueries[db.Dialect], projs: map[string]Projection{}}
	for _, p := range projections {
		if _, dup := r.projs[p.Name()]; dup || p.Name() == "" {
			problems = append(problems, fmt.Errorf("projection name %q empty or registered twice", p.Name()))
			continue
		}
		r.projs[p.Name()] = p
		r.order = append(r.order, p.Name())
	}
	if err := errors.Join(problems...); err != nil {
		return nil, fmt.Errorf("projections runner config: %w", err)
	}
	return r, nil
}

// Migrate creates projection_state and the first generation of every projection that has none. Run
// calls it; call it yourself before serving reads from a process that does not run projections.
func (r *Runner) Migrate(ctx context.Context) error {
	if err := r.migrateState(ctx); err != nil {
		return err
	}
	for _, name := range r.order {
		p := r.projs[name]
		if _, err := r.createGeneration(ctx, p, genActive); err != nil {
			return fmt.Errorf("migrate projection %s: %w", name, err)
		}
	}
	return nil
}

// Run migrates, then keeps every projection up to date until ctx is done. A projection whose batch
// fails is retried after RetryDelay without stopping the others; its error shows in Status. Run
// returns nil when ctx ends it.
func (r *Runner) Run(ctx context.Context) error {
	if err := r.Migrate(ctx); err != nil {
		return err
	}
	var wg sync.WaitGroup
	for _, name := range r.order {
		p := r.projs[name]
		wg.Go(func() { r.serve(ctx, p) })
		if r.cfg.RebuildOnVersionChange {
			wg.Go(func() { r.rebuildIfStale(ctx, p) })
		}
	}
	wg.Wait()
	return nil
}

func (r *Runner) rebuildIfStale(ctx context.Context, p Projection) {
	active, ok, err := r.find(ctx, r.db.Write, p.Name(), genActive)
	if err != nil || !ok || active.Version == p.Version() {
		return
	}
	r.cfg.Logger.InfoContext(ctx, "projection version changed, rebuilding", "projection", p.Name(),
		"built_version", active.Version, "version", p.Version())
	if err := r.Rebuild(ctx, p.Name()); err != nil && ctx.Err() == nil {
		r.cfg.Logger.ErrorContext(ctx, "projection rebuild failed", "projection", p.Name(), "error", err)
	}
}

// serve follows p's active generation until ctx is done, reloading it whenever it moves.
func (r *Runner) serve(ctx context.Context, p Projection) {
	release, err := r.acquireLease(ctx, p.Name())
	if err != nil {
		if ctx.Err() == nil {
			r.cfg.Logger.ErrorContext(ctx, "projection not started", "projection", p.Name(), "error", err)
		}
		return
	}
	defer release()
	for ctx.Err() == nil {
		gen, ok, err := r.find(ctx, r.db.Write, p.Name(), genActive)
		if err == nil && !ok {
			err = fmt.Errorf("%w: %s", ErrNotReady, p.Name())
		}
		if err == nil {
			err = r.follow(ctx, p, gen)
		}
		if err == nil || ctx.Err() != nil {
			continue
		}
		if errors.Is(err, ErrWait) {
			r.cfg.Logger.WarnContext(ctx, "projection waiting, retrying", "projection", p.Name(),
				"generation", gen.Generation, "retry_in", r.cfg.RetryDelay, "reason", err)
		} else {
			r.cfg.Logger.ErrorContext(ctx, "projection failed, retrying", "projection", p.Name(),
				"generation", gen.Generation, "retry_in", r.cfg.RetryDelay, "error", err)
		}
		if gen.Generation > 0 {
			r.recordError(ctx, p.Name(), gen.Generation, err)
		}
		select {
		case <-ctx.Done():
		case <-time.After(r.cfg.RetryDelay):
		}
	}
}

// follow applies the log to gen from its checkpoint. It returns nil when gen's checkpoint was moved by
// someone else (a switch or another runner), so the caller reloads.
func (r *Runner) follow(ctx context.Context, p Projection, gen generation) error {
	tables := Tables{Dialect: r.db.Dialect, Generation: gen.Generation}
	cp := gen.Checkpoint
	if gen.Error != "" {
		// A failed attempt left its error. A batch that applies clears it; but with nothing left to apply
		// none will, and a projection that has recovered would show as failed (and keep every hub unready)
		// until the next event. Caught up at the head, it cannot be failing on an event: clear it now.
		if head, err := r.store.Head(ctx); err == nil && !cp.Less(head) {
			r.clearError(ctx, p.Name(), gen.Generation)
		}
	}
	r.cfg.Logger.DebugContext(ctx, "projection following", "projection", p.Name(), "generation", gen.Generation, "checkpoint", cp)
	// Unfiltered on purpose: the checkpoint advances past events the projection ignores, so the lag
	// Status reports is the real distance to the head, not the distance to the last matching event.
	for batch, err := range r.store.Subscribe(ctx, cp, eventstore.Filter{}) {
		if err != nil {
			return fmt.Errorf("subscribe from %s: %w", cp, err)
		}
		if len(batch) == 0 {
			continue
		}
		to := batch[len(batch)-1].Position
		moved, err := r.applyBatch(ctx, p, tables, genActive, cp, to, batch, nil)
		if err != nil {
			return err
		}
		if moved {
			r.cfg.Logger.InfoContext(ctx, "projection generation moved, reloading", "projection", p.Name(), "generation", gen.Generation)
			return nil
		}
		cp = to
		// The subscription took its wake-up before this batch was read: an append during the window
		// has it read again at once, with everything appended meanwhile.
		if len(batch) < fullBatchHint {
			select {
			case <-ctx.Done():
				return nil
			case <-time.After(r.cfg.BatchWindow):
			}
		}
	}
	return nil
}

// fullBatchHint is a batch size past which a projection is catching up rather than following appends
// as they come, and reads on without waiting for the batch window.
const fullBatchHint = 1000

// applyBatch advances generation t of p from checkpoint from to to and applies the events of batch p
// handles, then runs beforeCommit, all in one transaction. moved reports that the generation was not
// at from in the given state any more, in which case nothing was written.
func (r *Runner) applyBatch(ctx context.Context, p Projection, t Tables, state string, from, to eventstore.Position,
	batch []eventstore.Event, beforeCommit func(*sql.Tx) error) (moved bool, err error) {
	filter := p.Filter()
	var handled []eventstore.Event
	var lastAt time.Time
	for _, ev := range batch {
		if filter.Match(ev) {
			handled = append(handled, ev)
			lastAt = ev.RecordedAt
		}
	}
	apply := func(tx *sql.Tx) error { return p.Apply(ctx, tx, t, handled) }
	var changes []Change
	if cr, ok := p.(ChangeReporter); ok && state == genActive && r.cfg.Changes != nil {
		apply = func(tx *sql.Tx) (err error) {
			changes, err = cr.ApplyChanges(ctx, tx, t, handled)
			return err
		}
	} else if rc, ok := p.(Reactor); ok && len(handled) > 0 {
		if err := rc.React(ctx, handled); err != nil {
			return false, fmt.Errorf("react to %d events up to %s for %s generation %d: %w", len(handled), to, p.Name(), t.Generation, err)
		}
		apply = func(*sql.Tx) error { return nil }
	} else if bp, ok := p.(BatchPreparer); ok && len(handled) > 0 {
		prepared, err := bp.PrepareBatch(t, handled)
		if err != nil {
			return false, fmt.Errorf("prepare %d events up to %s for %s generation %d: %w", len(handled), to, p.Name(), t.Generation, err)
		}
		apply = func(tx *sql.Tx) error { return bp.ApplyPrepared(ctx, tx, t, prepared) }
	}
	err = r.inTx(ctx, func(tx *sql.Tx) error {
		// The checkpoint first: its row lock orders this batch against a concurrent switch, and a lost
		// compare-and-set leaves the read model untouched.
		res, err := tx.ExecContext(ctx, r.q["advance"], p.Name(), t.Generation,
			int64(from.Commit), int64(from.Global), int64(to.Commit), int64(to.Global),
			r.db.Dialect.TimeArg(lastAt), r.db.Dialect.TimeArg(time.Now()), state)
		if err != nil {
			return fmt.Errorf("advance %s generation %d to %s: %w", p.Name(), t.Generation, to, err)
		}
		n, err := res.RowsAffected()
		if err != nil {
			return fmt.Errorf("advance %s generation %d: %w", p.Name(), t.Generation, err)
		}
		if n == 0 {
			moved = true
			return errMoved
		}
		if len(handled) > 0 {
			if err := apply(tx); err != nil {
				return fmt.Errorf("apply %d events up to %s to %s generation %d: %w", len(handled), to, p.Name(), t.Generation, err)
			}
		}
		if beforeCommit != nil {
			return beforeCommit(tx)
		}
		return nil
	})
	if moved {
		return true, nil
	}
	if err == nil && len(changes) > 0 {
		for i := range changes {
			changes[i].Projection, changes[i].Position = p.Name(), to
		}
		if perr := r.cfg.Changes.PublishChanges(ctx, changes); perr != nil {
			// The view is right; only its followers miss these rows until they read it again.
			r.cfg.Logger.WarnContext(ctx, "publish view changes", "projection", p.Name(), "changes", len(changes), "position", to, "error", perr)
		}
	}
	return false, err
}

// errMoved rolls back a batch whose checkpoint compare-and-set lost; applyBatch reports it as moved.
var errMoved = errors.New("projection checkpoint moved")

// ActiveTables returns the table names of name's active generation: the ones readers query. It reads
// one row by primary key, so readers call it per query and see a switch made by any process at once.
func (r *Runner) ActiveTables(ctx context.Context, name string) (Tables, error) {
	return NewCatalog(r.db).ActiveTables(ctx, name)
}

// Catalog resolves projections' active generations for processes that serve reads without running
// projections.
type Catalog struct {
	db Database
}

// NewCatalog returns a catalog over the read models in db.
func NewCatalog(db Database) *Catalog { return &Catalog{db: db} }

// ActiveTables is Runner.ActiveTables.
func (c *Catalog) ActiveTables(ctx context.Context, name string) (Tables, error) {
	var gen int
	err := c.db.Read.QueryRowContext(ctx, stateQueries[c.db.Dialect]["select_active_generation"], name).Scan(&gen)
	if errors.Is(err, sql.ErrNoRows) {
		return Tables{}, fmt.Errorf("%w: %s", ErrNotReady, name)
	}
	if err != nil {
		return Tables{}, fmt.Errorf("resolve active generation of %s: %w", name, err)
	}
	return Tables{Dialect: c.db.Dialect, Generation: gen}, nil
}
