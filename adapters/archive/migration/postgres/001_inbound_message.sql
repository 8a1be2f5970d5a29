-- Every inbound body, stored before anything else is done with it, and the answer it was given.
CREATE TABLE IF NOT EXISTS inbound_message (
    id                  TEXT PRIMARY KEY,
    -- Insertion order, to tell which of two messages under one key came first when their clocks tie.
    seq                 BIGINT GENERATED ALWAYS AS IDENTITY,
    dedup_key           TEXT NOT NULL,
    body_sha256         TEXT NOT NULL,
    partner_id          TEXT NOT NULL,
    channel             TEXT NOT NULL,
    content_type        TEXT NOT NULL,
    partner_message_id  TEXT NOT NULL DEFAULT '',
    correlation_id      TEXT NOT NULL DEFAULT '',
    body                BYTEA NOT NULL,
    received_at         TIMESTAMPTZ NOT NULL,
    status              TEXT NOT NULL CHECK (status IN ('received', 'accepted', 'rejected', 'failed')),
    reason              TEXT NOT NULL DEFAULT '',
    answer_status       INTEGER NOT NULL DEFAULT 0,
    answer_content_type TEXT NOT NULL DEFAULT '',
    answer_body         BYTEA,
    updated_at          TIMESTAMPTZ NOT NULL,
    -- The same key with another body is kept too (and answered 409), so nothing a partner sent is lost.
    UNIQUE (dedup_key, body_sha256)
);

CREATE INDEX IF NOT EXISTS inbound_message_first ON inbound_message (dedup_key, seq);

CREATE INDEX IF NOT EXISTS inbound_message_quarantine ON inbound_message (received_at DESC, id)
    WHERE status = 'rejected';
