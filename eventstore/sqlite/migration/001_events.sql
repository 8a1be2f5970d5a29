-- The global log. position is the rowid: with one writer at a time, commit order is position order, so a
-- reader resuming after position p never misses an event. AUTOINCREMENT keeps a position from ever being
-- handed out twice. Metadata lives in columns so rows decode without a JSON parse.
CREATE TABLE events (
    position       INTEGER PRIMARY KEY AUTOINCREMENT,
    event_id       BLOB    NOT NULL UNIQUE,          -- 16-byte UUID
    stream_id      TEXT    NOT NULL,
    stream_version INTEGER NOT NULL,
    type           TEXT    NOT NULL,
    data           TEXT    NOT NULL,                 -- JSON as appended
    correlation_id TEXT    NOT NULL DEFAULT '',
    causation_id   TEXT    NOT NULL DEFAULT '',
    message_id     TEXT    NOT NULL DEFAULT '',
    partner_id     TEXT    NOT NULL DEFAULT '',
    source         TEXT    NOT NULL DEFAULT '',
    actor          TEXT    NOT NULL DEFAULT '',
    occurred_at    INTEGER,                          -- Unix microseconds, UTC; NULL when not given
    recorded_at    INTEGER NOT NULL,                 -- Unix microseconds, UTC
    UNIQUE (stream_id, stream_version)
) STRICT;
