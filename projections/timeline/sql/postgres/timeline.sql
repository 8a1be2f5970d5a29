-- The document timeline: one row per event, plus one row per business reference an event carries.

-- name: schema
CREATE TABLE {{timeline}} (
    commit_pos     bigint      NOT NULL,
    global_pos     bigint      NOT NULL,
    event_id       uuid        NOT NULL,
    stream_id      text        NOT NULL,
    stream_version bigint      NOT NULL,
    type           text        NOT NULL,
    occurred_at    timestamptz,
    recorded_at    timestamptz NOT NULL,
    correlation_id text        NOT NULL,
    causation_id   text        NOT NULL,
    message_id     text        NOT NULL,
    partner_id     text        NOT NULL,
    source         text        NOT NULL,
    -- The entry's references as shown, so a page is one query; lookups use {{timeline_refs}}.
    refs           jsonb       NOT NULL,
    data           jsonb,
    PRIMARY KEY (commit_pos, global_pos)
);
CREATE UNIQUE INDEX {{timeline}}_event ON {{timeline}} (event_id);
-- One index per lookup the reader offers, each ending in the position so a page is an index range.
CREATE INDEX {{timeline}}_correlation ON {{timeline}} (correlation_id, commit_pos, global_pos);
CREATE INDEX {{timeline}}_stream ON {{timeline}} (stream_id, commit_pos, global_pos);
CREATE TABLE {{timeline_refs}} (
    value      text   NOT NULL,
    kind       text   NOT NULL,
    commit_pos bigint NOT NULL,
    global_pos bigint NOT NULL,
    PRIMARY KEY (value, commit_pos, global_pos, kind)
);

-- name: insert_entries
-- A batch's entries in one statement: one array per column, the i-th element of each is the i-th entry.
INSERT INTO {{timeline}} (commit_pos, global_pos, event_id, stream_id, stream_version, type, occurred_at,
    recorded_at, correlation_id, causation_id, message_id, partner_id, source, refs, data)
SELECT c, g, e::uuid, s, v, ty, o, r, co, ca, m, p, so, re::jsonb, d::jsonb
FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::text[], $5::bigint[], $6::text[], $7::timestamptz[],
    $8::timestamptz[], $9::text[], $10::text[], $11::text[], $12::text[], $13::text[], $14::text[], $15::text[])
    AS u(c, g, e, s, v, ty, o, r, co, ca, m, p, so, re, d);

-- name: insert_references
-- A batch's references in one statement, as insert_entries.
INSERT INTO {{timeline_refs}} (value, kind, commit_pos, global_pos)
SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[], $4::bigint[]);

-- name: select_entries
SELECT t.commit_pos, t.global_pos, t.event_id::text, t.stream_id, t.stream_version, t.type, t.occurred_at,
    t.recorded_at, t.correlation_id, t.causation_id, t.message_id, t.partner_id, t.source, t.refs::text,
    t.data::text
FROM {{timeline}} t

-- name: count_exceptions
-- The exception events (every *.exception_raised.v1) recorded since $1, by partner and type.
SELECT partner_id, type, count(*), max(recorded_at) FROM {{timeline}}
WHERE recorded_at >= $1 AND type LIKE '%.exception\_raised.v1' ESCAPE '\' AND ($2 = '' OR partner_id = $2)
GROUP BY partner_id, type ORDER BY partner_id, type;
