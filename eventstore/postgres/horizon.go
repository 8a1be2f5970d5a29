package postgres

import (
	"context"
	"fmt"
)

// The visibility horizon.
//
// Readers order events by (tx_id, position) and read only events whose tx_id is below a horizon that
// no event writer still running is under. PostgreSQL's own answer, the xmin of the current snapshot, is
// the oldest transaction still running anywhere on the server: any long transaction, of any schema or
// application (a read-model rebuild, another hub's tests), would hold every subscriber back for as long
// as it runs. So the horizon is narrowed to this store's writers:
//
//   - Every append takes an advisory lock (writerLock), in its statement before its first write and so
//     before it has a transaction ID (see the append statement). The lock lives until the transaction
//     ends, and pg_locks shows it, uncommitted, to every session. Its first key is the schema's, its
//     second the session's process ID: were every writer to take the one same lock, they would all
//     queue on the lock manager partition that holds it. The one-query batch append takes it first
//     thing in crossdock_append_check (migration/001_events.sql), which must stay in step with
//     writerLock (TestAppendCheckTakesWriterLock).
//   - A reader first computes the horizon (horizonQuery): the xmax of its snapshot (every ID below it is
//     assigned), lowered to the ID of any transaction holding the writer lock. Then, in a second
//     statement and so under a later snapshot, it reads events below that horizon.
//
// Why nothing is skipped: a writer with an ID below the horizon got it before the first statement's
// snapshot, so it held the lock before then; since it did not show in pg_locks, it had ended before the
// lock table was read, so its events, if it committed, are in the second statement's snapshot.
// A writer that got its ID between the snapshot and the pg_locks read has an ID at or above xmax, which
// the query ignores (the horizon is at most xmax anyway).

// writerLock takes the writer lock; the append statement runs it before it writes.
const writerLock = `SELECT pg_advisory_xact_lock(hashtext('crossdock.eventstore.writers.' || current_schema()), pg_backend_pid())`

// horizonQuery returns the horizon as xid8. pg_locks shows 32-bit transaction IDs; each is widened by its
// distance below xmax (in progress, so less than 2^31 away). A two-key advisory lock shows as classid
// (the first key, as an unsigned oid), objid (the second) and objsubid 2.
const horizonQuery = `WITH snap AS (
	SELECT pg_snapshot_xmax(pg_current_snapshot())::text::bigint AS xmax,
		hashtext('crossdock.eventstore.writers.' || current_schema())::bigint & 4294967295 AS k
), holders AS (
	SELECT ((s.xmax % 4294967296) - t.transactionid::text::bigint + 4294967296) % 4294967296 AS below
	FROM snap s, pg_locks a
	JOIN pg_locks t ON t.virtualtransaction = a.virtualtransaction AND t.locktype = 'transactionid'
	WHERE a.locktype = 'advisory' AND a.objsubid = 2 AND a.classid::bigint = s.k
		AND a.database = (SELECT oid FROM pg_database WHERE datname = current_database())
)
SELECT (s.xmax - coalesce((SELECT max(below) FROM holders WHERE below > 0 AND below < 2147483648), 0))::text::xid8
FROM snap s`

// horizon returns the tx_id below which every event that will ever commit is already visible.
func (s *Store) horizon(ctx context.Context) (uint64, error) {
	var h uint64
	if err := s.pool.QueryRow(ctx, horizonQuery).Scan(&h); err != nil {
		return 0, fmt.Errorf("read visibility horizon: %w", translate(err))
	}
	return h, nil
}
