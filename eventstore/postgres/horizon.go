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
// as it runs. So the horizon is narrowed to this store's writers, which are the transactions holding a
// lock on this schema's events table and a transaction ID:
//
//   - Every append's first write is a row of events, and the statement that writes it (INSERT or COPY)
//     locks the table (RowExclusiveLock) before it executes, so before that row gives the transaction its
//     ID. The lock lives until the transaction ends, and pg_locks shows it, uncommitted, to every session
//     (fast-path locks included). Taking it costs the append nothing extra: an earlier design took an
//     advisory lock for the purpose, which cost about 9% of single-event append throughput. This holds
//     only while nothing writes another table before events in the same transaction: a future outbox or
//     process manager that does must lock events first (LOCK TABLE events IN ROW EXCLUSIVE MODE).
//   - A reader first computes the horizon (horizonQuery): the xmax of its snapshot (every ID below it is
//     assigned), lowered to the ID of any transaction holding a lock on events. Then, in a second
//     statement and so under a later snapshot, it reads events below that horizon.
//
// Why nothing is skipped: a writer with an ID below the horizon got it before the first statement's
// snapshot, so it held its lock on events before then; since it did not show in pg_locks, it had ended
// before the lock table was read (a lock held throughout the read is never missed: a fast-path lock only
// ever moves into the shared table, which is read last), so its events, if it committed, are in the
// second statement's snapshot. A writer that got its ID between the snapshot and the pg_locks read has an
// ID at or above xmax, which the query ignores (the horizon is at most xmax anyway). Readers lock events
// too, but hold no transaction ID; a transaction that both reads events and wrote elsewhere only holds
// the horizon back a little longer, which is safe.

// horizonQuery returns the horizon as xid8. pg_locks shows 32-bit transaction IDs; each is widened by its
// distance below xmax (in progress, so less than 2^31 away).
const horizonQuery = `WITH snap AS (
	SELECT pg_snapshot_xmax(pg_current_snapshot())::text::bigint AS xmax
), holders AS (
	SELECT ((s.xmax % 4294967296) - t.transactionid::text::bigint + 4294967296) % 4294967296 AS below
	FROM snap s, pg_locks a
	JOIN pg_locks t ON t.virtualtransaction = a.virtualtransaction AND t.locktype = 'transactionid' AND t.granted
	WHERE a.locktype = 'relation' AND a.relation = 'events'::regclass
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
