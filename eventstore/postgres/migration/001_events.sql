-- The event log. Every index here is paid for on every append, so there are exactly three, one per
-- question the store asks: "is this event ID stored?" (events_pkey), "what are this stream's events in
-- order?" (events_stream) and "what comes after this global position?" (events_global).

-- One row per stream: the append statement checks and advances its version under the row lock, so
-- concurrent appenders at the same expected version serialise on it and exactly one wins. version is not
-- indexed, so the update is HOT; the spare room per page (fillfactor) keeps it HOT under a busy stream.
CREATE TABLE streams (
    stream_id text PRIMARY KEY,
    version   bigint NOT NULL
) WITH (fillfactor = 70);

CREATE SEQUENCE events_position_seq AS bigint;

-- Metadata lives in columns rather than one JSON document so that reading an event decodes a few binary
-- fields instead of parsing JSON. Empty metadata is NULL.
CREATE TABLE events (
    id             uuid        NOT NULL,
    stream_id      text        NOT NULL,
    stream_version bigint      NOT NULL,
    -- The writing transaction: readers only see rows whose tx_id is below the oldest transaction still
    -- running, so a transaction that took an earlier position but commits later is never skipped.
    tx_id          xid8        NOT NULL DEFAULT pg_current_xact_id(),
    position       bigint      NOT NULL DEFAULT nextval('events_position_seq'),
    type           text        NOT NULL,
    data           jsonb,
    correlation_id text,
    causation_id   text,
    message_id     text,
    partner_id     text,
    source         text,
    actor          text,
    occurred_at    timestamptz,
    recorded_at    timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT events_pkey PRIMARY KEY (id)
);

ALTER SEQUENCE events_position_seq OWNED BY events.position;

CREATE UNIQUE INDEX events_stream ON events (stream_id, stream_version);
CREATE INDEX events_global ON events (tx_id, position);
