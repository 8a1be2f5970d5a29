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

-- The first statement of a one-round-trip batch append (see append_copy.go): the batch goes as one simple
-- query, "SELECT crossdock_append_check(...); COPY events ... FROM STDIN", one implicit transaction, which
-- this function opens. It takes the writer lock first, exactly as the append statement's first CTE does:
-- the horizon (horizon.go) relies on every writer holding it before a write gives the transaction its ID.
-- Then it checks and advances the stream row (p_expected 0: the stream must not exist; otherwise it must
-- be at p_expected). On a mismatch it raises SQLSTATE CDV01, which aborts the rest of the query, COPY
-- included, and which the store turns into its version-mismatch path. Any appends do not come here.
CREATE FUNCTION crossdock_append_check(p_stream text, p_n bigint, p_expected bigint) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_advisory_xact_lock(hashtext('crossdock.eventstore.writers.' || current_schema()), pg_backend_pid());
    IF p_expected = 0 THEN
        INSERT INTO streams (stream_id, version) VALUES (p_stream, p_n) ON CONFLICT (stream_id) DO NOTHING;
    ELSE
        UPDATE streams SET version = version + p_n WHERE stream_id = p_stream AND version = p_expected;
    END IF;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'stream % is not at version %', p_stream, p_expected USING ERRCODE = 'CDV01';
    END IF;
END
$$;
