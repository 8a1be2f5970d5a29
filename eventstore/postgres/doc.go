// Package postgres is the PostgreSQL backend of the event store (pgx v5), the one production deployments
// and several hub processes share.
//
// Layout: one events table holds every event with its stream version, its writing transaction's ID
// (tx_id, xid8) and a global position from a sequence. Migrate creates it in the pool's search_path.
// A stream's version is its last event's; there is no table of streams.
//
// Append is one statement, so one round trip: an INSERT whose CTE picks the versions writes the
// events at the versions the expected version names (exact v: v+1 onwards, and only if event v is
// committed; no stream: from 1; any: after the last committed event). The unique index on (stream_id,
// stream_version) makes concurrent appenders at one expected version serialise, and exactly one wins;
// an Any append that loses such a race runs again. Only when that statement reports a version mismatch
// or an event ID already stored does the store read the stored events to tell an idempotent re-append
// from a conflict.
//
// Readers order events by (tx_id, position) and see only events below a horizon: a transaction ID under
// which no append is still running. A sequence value is taken before commit, so a transaction holding
// position 41 can commit after one holding 42; a reader that skipped ahead to 42 would lose 41 forever.
// Holding readers below the oldest running append makes 42 wait until 41 is visible. The horizon is
// that of this store's appends only, found through the lock every append holds on the events table (horizon.go),
// not PostgreSQL's snapshot xmin, so a long transaction elsewhere on the server (a read-model rebuild)
// does not stall subscribers. Position is the pair {Commit: tx_id, Global: position}.
//
// Subscribe catches up in batches of Config.BatchSize, then waits for new events: it wakes at once after
// an Append through this Store, and polls every Config.PollInterval for other processes' writes.
package postgres
