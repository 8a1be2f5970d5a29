// Package projections runs read models: it feeds each projection the event log from its checkpoint and
// writes every batch of read-model rows together with the new checkpoint in one transaction, so each
// event takes effect exactly once, also across a crash or a second process running the same projection.
//
// # Generations
//
// A projection's tables are versioned by generation: the timeline's tables are timeline_g1,
// timeline_refs_g1, and after a rebuild timeline_g2, timeline_refs_g2. The table projection_state holds
// one row per (projection, generation) with its checkpoint and its state:
//
//   - active: the generation readers are served from and the runner keeps up to date. At most one.
//   - building: a rebuild in progress, filled from the start of the log while the active one keeps
//     serving. At most one. It is never served.
//
// A rebuild switches the active generation in the same transaction as the batch that brings the new
// generation up to the store's head, then drops the previous generation's tables and row right away.
// Readers resolve table names through the runner (ActiveTables, one primary-key lookup per query); a
// reader that resolved the old generation just before the switch and finds its tables gone re-resolves
// and retries once (see timeline.Reader). A rebuild that dies half way leaves its building generation
// behind; the next Rebuild resumes it from its checkpoint rather than starting over.
//
// # Exactly once
//
// Every batch transaction first advances the checkpoint with a compare-and-set on (generation, state,
// previous checkpoint), then applies the events. When the compare fails — another process moved the
// checkpoint, or a rebuild retired this generation — the transaction is rolled back before any
// read-model row is touched, and the runner reloads the active generation and carries on from its
// checkpoint. So a runner in `crossdock serve` notices a switch made by `crossdock projections rebuild`
// in another process at its next batch.
//
// # Dialects
//
// Read-model SQL is kept per dialect, one folder per dialect with the same file names (sql/sqlite,
// sql/postgres), as temporal keeps its persistence SQL. Table names in DDL and queries are written as
// {{base}} and expanded with Tables.Expand.
package projections
