-- The event log. Every index here is paid for on every append, so there are exactly three, one per
-- question the store asks: "is this event ID stored?" (events_pkey), "what are this stream's events in
-- order?" (events_stream) and "what comes after this global position?" (events_global). There is no
-- table of stream versions: events_stream, being unique, is what makes concurrent appenders at one
-- expected version fail but one (see append.go), so a stream's version is its last event's.

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

-- The first statement of a one-round-trip batch append (see append_once.go): the batch goes as one simple
-- query, "SELECT crossdock_append_check(...); COPY events ... FROM STDIN", one implicit transaction, which
-- this function opens. It reads only: the COPY behind it makes the first write, after taking its lock on
-- events, which is what the readers' horizon (horizon.go) looks for.
-- At p_expected > 0 the stream's event p_expected must be committed, or the COPY would leave a gap; it
-- raises SQLSTATE CDV01 otherwise, which aborts the rest of the query, COPY included, and which the store
-- turns into its version-mismatch path. Every other mismatch (a stream past p_expected, or any stream at
-- all for p_expected 0) is a COPY row on a version already taken, refused by events_stream. Any appends
-- do not come here.
CREATE FUNCTION crossdock_append_check(p_stream text, p_expected bigint) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    IF p_expected > 0 AND NOT EXISTS (
        SELECT FROM events WHERE stream_id = p_stream AND stream_version = p_expected
    ) THEN
        RAISE EXCEPTION 'stream % is not at version %', p_stream, p_expected USING ERRCODE = 'CDV01';
    END IF;
END
$$;
