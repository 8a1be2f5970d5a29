-- The document timeline: one row per event, plus one row per business reference an event carries.

-- name: schema
CREATE TABLE {{timeline}} (
    commit_pos     integer NOT NULL,
    global_pos     integer NOT NULL,
    event_id       text    NOT NULL,
    stream_id      text    NOT NULL,
    stream_version integer NOT NULL,
    type           text    NOT NULL,
    occurred_at    text,
    recorded_at    text    NOT NULL,
    correlation_id text    NOT NULL,
    causation_id   text    NOT NULL,
    message_id     text    NOT NULL,
    partner_id     text    NOT NULL,
    source         text    NOT NULL,
    -- The entry's references as shown, so a page is one query; lookups use {{timeline_refs}}.
    refs           text    NOT NULL,
    data           text,
    PRIMARY KEY (commit_pos, global_pos)
);
CREATE UNIQUE INDEX {{timeline}}_event ON {{timeline}} (event_id);
-- One index per lookup the reader offers, each ending in the position so a page is an index range.
CREATE INDEX {{timeline}}_correlation ON {{timeline}} (correlation_id, commit_pos, global_pos);
CREATE INDEX {{timeline}}_stream ON {{timeline}} (stream_id, commit_pos, global_pos);
CREATE TABLE {{timeline_refs}} (
    value          text    NOT NULL,
    kind           text    NOT NULL,
    commit_pos     integer NOT NULL,
    global_pos     integer NOT NULL,
    PRIMARY KEY (value, commit_pos, global_pos, kind)
);

-- name: insert_entries
-- A batch's entries in one statement: ?1 is a JSON array with one array per entry, its values in the
-- order of the columns (data and refs as JSON strings holding their text, so it is stored as written).
INSERT INTO {{timeline}} (commit_pos, global_pos, event_id, stream_id, stream_version, type, occurred_at,
    recorded_at, correlation_id, causation_id, message_id, partner_id, source, refs, data)
SELECT value ->> 0, value ->> 1, value ->> 2, value ->> 3, value ->> 4, value ->> 5, value ->> 6, value ->> 7,
    value ->> 8, value ->> 9, value ->> 10, value ->> 11, value ->> 12, value ->> 13, value ->> 14
FROM json_each(?1);

-- name: insert_references
-- A batch's references in one statement, as insert_entries: [value, kind, commit_pos, global_pos] each.
INSERT INTO {{timeline_refs}} (value, kind, commit_pos, global_pos)
SELECT value ->> 0, value ->> 1, value ->> 2, value ->> 3 FROM json_each(?1);

-- name: select_entries
SELECT t.commit_pos, t.global_pos, t.event_id, t.stream_id, t.stream_version, t.type, t.occurred_at,
    t.recorded_at, t.correlation_id, t.causation_id, t.message_id, t.partner_id, t.source, t.refs,
    t.data
FROM {{timeline}} t

-- name: count_exceptions
-- The exception events (every *.exception_raised.v1) recorded since ?1, by partner and type. Instants
-- are compared as instants: the stored text has fractions of varying length.
SELECT partner_id, type, count(*), max(recorded_at) FROM {{timeline}}
WHERE julianday(recorded_at) >= julianday(?1) AND type LIKE '%.exception\_raised.v1' ESCAPE '\' AND (?2 = '' OR partner_id = ?2)
GROUP BY partner_id, type ORDER BY partner_id, type;
