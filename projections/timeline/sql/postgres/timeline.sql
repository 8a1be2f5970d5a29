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

-- name: insert_entry
INSERT INTO {{timeline}} (commit_pos, global_pos, event_id, stream_id, stream_version, type, occurred_at,
    recorded_at, correlation_id, causation_id, message_id, partner_id, source, refs, data)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15);

-- name: insert_reference
INSERT INTO {{timeline_refs}} (value, kind, commit_pos, global_pos) VALUES ($1, $2, $3, $4);

-- name: select_entries
SELECT t.commit_pos, t.global_pos, t.event_id::text, t.stream_id, t.stream_version, t.type, t.occurred_at,
    t.recorded_at, t.correlation_id, t.causation_id, t.message_id, t.partner_id, t.source, t.refs::text,
    t.data::text
FROM {{timeline}} t
