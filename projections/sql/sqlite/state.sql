-- projection_state: one row per (projection, generation). See the package comment for the states.

-- name: schema
CREATE TABLE IF NOT EXISTS projection_state (
    name          text        NOT NULL,
    generation    integer     NOT NULL,
    version       integer     NOT NULL,
    state         text        NOT NULL CHECK (state IN ('active', 'building', 'retired')),
    commit_pos    integer     NOT NULL DEFAULT 0,
    global_pos    integer     NOT NULL DEFAULT 0,
    last_event_at text,
    updated_at    text        NOT NULL,
    error         text        NOT NULL DEFAULT '',
    PRIMARY KEY (name, generation)
);
-- At most one served and one building generation per projection: a concurrent second rebuild or a
-- double switch fails on these instead of corrupting the state.
CREATE UNIQUE INDEX IF NOT EXISTS projection_state_active ON projection_state (name) WHERE state = 'active';
CREATE UNIQUE INDEX IF NOT EXISTS projection_state_building ON projection_state (name) WHERE state = 'building';

-- name: migrate_lock
-- Nothing to take: DDL in a transaction holds SQLite's single write lock, which serialises it.
SELECT 1;

-- name: lock
-- SQLite has one writer: taking the write lock up front serialises schema changes between processes.
-- A no-op write does it (a deferred transaction would otherwise start as a reader).
UPDATE projection_state SET name = name WHERE 0;

-- name: select_all
SELECT name, generation, version, state, commit_pos, global_pos, last_event_at, updated_at, error
FROM projection_state ORDER BY name, generation;

-- name: select_name
SELECT name, generation, version, state, commit_pos, global_pos, last_event_at, updated_at, error
FROM projection_state WHERE name = ?1 ORDER BY generation;

-- name: select_active_generation
SELECT generation FROM projection_state WHERE name = ?1 AND state = 'active';

-- name: insert
INSERT INTO projection_state (name, generation, version, state, updated_at)
VALUES (?1, ?2, ?3, ?4, ?5);

-- name: advance
-- The compare-and-set every batch starts with: it succeeds only if this generation is still in the
-- expected state at the checkpoint the batch was read from.
UPDATE projection_state
SET commit_pos = ?5, global_pos = ?6, last_event_at = COALESCE(?7, last_event_at), updated_at = ?8, error = ''
WHERE name = ?1 AND generation = ?2 AND state = ?9 AND commit_pos = ?3 AND global_pos = ?4;

-- name: set_error
UPDATE projection_state SET error = ?3, updated_at = ?4 WHERE name = ?1 AND generation = ?2;

-- name: retire_active
UPDATE projection_state SET state = 'retired', updated_at = ?2 WHERE name = ?1 AND state = 'active';

-- name: activate
UPDATE projection_state SET state = 'active', updated_at = ?3
WHERE name = ?1 AND generation = ?2 AND state = 'building';

-- name: delete
DELETE FROM projection_state WHERE name = ?1 AND generation = ?2;
