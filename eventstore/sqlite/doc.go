// Package sqlite is the embedded event store: one SQLite file (modernc.org/sqlite, pure Go), in WAL mode,
// shared with the read models that Crossdock keeps in the same file.
//
// SQLite has one writer at a time, so the store keeps a writer pool of a single connection whose
// transactions begin IMMEDIATE (taking the write lock up front, so two appends never deadlock upgrading
// a read lock) and a separate pool of read-only connections. Because writes are serialised, an event's
// rowid is both its commit order and its global position: Position.Commit equals Position.Global and a
// subscriber cannot skip an event committed late.
//
// Subscribers are woken in-process by Append and also poll the file, so appends made by another process
// on the same file are seen within Config.PollInterval.
package sqlite
