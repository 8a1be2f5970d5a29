package projections

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"time"

	"github.com/crossdock-hub/crossdock/eventstore"
)

//go:embed sql
var sqlFiles embed.FS

var stateQueries = MustLoadQueries(sqlFiles, "sql", "state.sql")

// The states of a generation (projection_state.state).
const (
	genActive   = "active"
	genBuilding = "building"
	genRetired  = "retired"
)

// generation is one row of projection_state.
type generation struct {
	Name        string
	Generation  int
	Version     int
	State       string
	Checkpoint  eventstore.Position
	LastEventAt time.Time
	UpdatedAt   time.Time
	Error       string
}

// execQuerier is what both *sql.DB and *sql.Tx offer.
type execQuerier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

func (r *Runner) migrateState(ctx context.Context) error {
	if r.stateMigrated.Load() {
		return nil
	}
	err := r.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, r.q["migrate_lock"]); err != nil {
			return fmt.Errorf("lock projection_state migration: %w", err)
		}
		for _, stmt := range r.q.Statements("schema") {
			if _, err := tx.ExecContext(ctx, stmt); err != nil {
				return fmt.Errorf("create projection_state: %w", err)
			}
		}
		return nil
	})
	if err == nil {
		r.stateMigrated.Store(true)
	}
	return err
}

// generations returns the rows of one projection, or of all when name is "".
func (r *Runner) generations(ctx context.Context, db execQuerier, name string) ([]generation, error) {
	var rows *sql.Rows
	var err error
	if name == "" {
		rows, err = db.QueryContext(ctx, r.q["select_all"])
	} else {
		rows, err = db.QueryContext(ctx, r.q["select_name"], name)
	}
	if err != nil {
		return nil, fmt.Errorf("read projection_state: %w", err)
	}
	defer rows.Close()
	var out []generation
	for rows.Next() {
		var g generation
		var commit, global int64
		var lastAt, updatedAt NullTime
		if err := rows.Scan(&g.Name, &g.Generation, &g.Version, &g.State, &commit, &global, &lastAt, &updatedAt, &g.Error); err != nil {
			return nil, fmt.Errorf("scan projection_state: %w", err)
		}
		g.Checkpoint = eventstore.Position{Commit: uint64(commit), Global: uint64(global)}
		g.LastEventAt, g.UpdatedAt = lastAt.Time, updatedAt.Time
		out = append(out, g)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read projection_state: %w", err)
	}
	return out, nil
}

// find returns name's generation in the given state.
func (r *Runner) find(ctx context.Context, db execQuerier, name, state string) (generation, bool, error) {
	gens, err := r.generations(ctx, db, name)
	if err != nil {
		return generation{}, false, err
	}
	for _, g := range gens {
		if g.State == state {
			return g, true, nil
		}
	}
	return generation{}, false, nil
}

// createGeneration creates the tables of a new generation of p and its row, in one transaction that
// holds the schema lock, unless a generation in that state already exists (another process won the
// race); either way it returns the generation in that state.
func (r *Runner) createGeneration(ctx context.Context, p Projection, state string) (generation, error) {
	var out generation
	err := r.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, r.q["lock"]); err != nil {
			return fmt.Errorf("lock projection_state: %w", err)
		}
		gens, err := r.generations(ctx, tx, p.Name())
		if err != nil {
			return err
		}
		next := 1
		for _, g := range gens {
			if g.State == state {
				out = g
				return nil
			}
			next = max(next, g.Generation+1)
		}
		tables := Tables{Dialect: r.db.Dialect, Generation: next}
		ddl, err := p.Schema(tables)
		if err != nil {
			return fmt.Errorf("schema of %s generation %d: %w", p.Name(), next, err)
		}
		for _, stmt := range ddl {
			if _, err := tx.ExecContext(ctx, stmt); err != nil {
				return fmt.Errorf("create %s generation %d: %w", p.Name(), next, err)
			}
		}
		now := time.Now()
		if _, err := tx.ExecContext(ctx, r.q["insert"], p.Name(), next, p.Version(), state, r.db.Dialect.TimeArg(now)); err != nil {
			return fmt.Errorf("record %s generation %d: %w", p.Name(), next, err)
		}
		out = generation{Name: p.Name(), Generation: next, Version: p.Version(), State: state, UpdatedAt: now}
		return nil
	})
	return out, err
}

// dropRetired drops the tables and rows of p's retired generations.
func (r *Runner) dropRetired(ctx context.Context, p Projection) error {
	return r.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, r.q["lock"]); err != nil {
			return fmt.Errorf("lock projection_state: %w", err)
		}
		gens, err := r.generations(ctx, tx, p.Name())
		if err != nil {
			return err
		}
		for _, g := range gens {
			if g.State != genRetired {
				continue
			}
			tables := Tables{Dialect: r.db.Dialect, Generation: g.Generation}
			for _, base := range p.Tables() {
				if _, err := tx.ExecContext(ctx, "DROP TABLE IF EXISTS "+tables.Name(base)); err != nil {
					return fmt.Errorf("drop %s: %w", tables.Name(base), err)
				}
			}
			if _, err := tx.ExecContext(ctx, r.q["delete"], p.Name(), g.Generation); err != nil {
				return fmt.Errorf("forget %s generation %d: %w", p.Name(), g.Generation, err)
			}
			r.cfg.Logger.InfoContext(ctx, "projection generation dropped", "projection", p.Name(), "generation", g.Generation)
		}
		return nil
	})
}

// recordError notes err on a generation's row, so Status shows it from any process. It is best effort:
// the caller already logs err.
func (r *Runner) recordError(ctx context.Context, name string, gen int, err error) {
	if ctx.Err() != nil {
		return // shutting down: an interrupted batch is not a failure
	}
	if _, werr := r.db.Write.ExecContext(ctx, r.q["set_error"], name, gen, err.Error(), r.db.Dialect.TimeArg(time.Now())); werr != nil {
		r.cfg.Logger.WarnContext(ctx, "record projection error", "projection", name, "generation", gen, "error", werr)
	}
}

// clearError removes the error a failed attempt recorded.
func (r *Runner) clearError(ctx context.Context, name string, gen int) {
	if _, err := r.db.Write.ExecContext(ctx, r.q["set_error"], name, gen, "", r.db.Dialect.TimeArg(time.Now())); err != nil {
		r.cfg.Logger.WarnContext(ctx, "clear projection error", "projection", name, "generation", gen, "error", err)
	}
}

func (r *Runner) inTx(ctx context.Context, f func(tx *sql.Tx) error) error {
	tx, err := r.db.Write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	if err := f(tx); err != nil {
		return errors.Join(err, ignoreDone(tx.Rollback()))
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

// ignoreDone drops the error of rolling back a transaction the driver already ended (as pgx does
// after a failed statement when the context is cancelled).
func ignoreDone(err error) error {
	if errors.Is(err, sql.ErrTxDone) {
		return nil
	}
	return err
}
