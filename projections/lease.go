package projections

import (
	"context"
	"database/sql/driver"
	"time"
)

// On PostgreSQL several hub processes may share one database; each projection is run by one of them at
// a time, the holder of a session advisory lock named after the projection and the schema. The others
// stand by and take over when the holder's session ends (a stop, a crash, a lost connection). The
// checkpoint compare-and-set keeps even an overlap correct; the lease only saves the duplicate work.
// SQLite has no such lock and needs none: its single writer already serialises the batches.
const (
	leaseTry    = `SELECT pg_try_advisory_lock(hashtextextended('crossdock.projection.' || current_schema() || '.' || $1, 0))`
	leaseUnlock = `SELECT pg_advisory_unlock(hashtextextended('crossdock.projection.' || current_schema() || '.' || $1, 0))`
)

// acquireLease blocks until this process may run the projection, and returns how to give the lease up
// (a no-op on SQLite). It returns an error only when ctx is done: a database that cannot be reached is
// retried every RetryDelay.
func (r *Runner) acquireLease(ctx context.Context, name string) (release func(), err error) {
	if r.db.Dialect != Postgres {
		return func() {}, nil
	}
	standingBy := false
	for {
		release, held, err := r.tryLease(ctx, name)
		switch {
		case ctx.Err() != nil:
			return nil, ctx.Err()
		case err != nil:
			r.cfg.Logger.ErrorContext(ctx, "projection lease", "projection", name, "retry_in", r.cfg.RetryDelay, "error", err)
		case held && standingBy:
			r.cfg.Logger.InfoContext(ctx, "projection taken over from another process", "projection", name)
			return release, nil
		case held:
			return release, nil
		case !standingBy:
			r.cfg.Logger.InfoContext(ctx, "projection runs in another process, standing by", "projection", name)
			standingBy = true
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(r.cfg.RetryDelay):
		}
	}
}

// tryLease takes the lease if it is free, on a connection of its own that holds it until release.
func (r *Runner) tryLease(ctx context.Context, name string) (release func(), held bool, err error) {
	conn, err := r.db.Write.Conn(ctx)
	if err != nil {
		return nil, false, err
	}
	if err := conn.QueryRowContext(ctx, leaseTry, name).Scan(&held); err != nil || !held {
		_ = conn.Close()
		return nil, false, err
	}
	return func() {
		// The lock belongs to the session: unlock it before the connection goes back to the pool.
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if _, err := conn.ExecContext(ctx, leaseUnlock, name); err != nil {
			// A session that may still hold the lock must not go back to the pool, where it would keep
			// every other hub standing by: discard it, which ends the session and its locks.
			_ = conn.Raw(func(any) error { return driver.ErrBadConn })
		}
		_ = conn.Close()
	}, true, nil
}

// TryLease takes the lease of projection name if no process holds it, for work done beside the runner
// on the projection's behalf (crossdock odoo redrive reacting through a workflow): held is false when
// another process runs it. Always held on SQLite, which has no lease. Call release when done.
func (r *Runner) TryLease(ctx context.Context, name string) (release func(), held bool, err error) {
	if r.db.Dialect != Postgres {
		return func() {}, true, nil
	}
	return r.tryLease(ctx, name)
}
