-- A message whose items or units the partner's crosswalk cannot resolve yet is parked: kept, answered as
-- accepted for processing, and processed again (crossdock replay message ID) once the mapping is fixed.
-- SQLite cannot change a CHECK constraint in place: the table is rebuilt with the same rows and rowids.
CREATE TABLE inbound_message_new (
    id                  TEXT PRIMARY KEY,
    dedup_key           TEXT NOT NULL,
    body_sha256         TEXT NOT NULL,
    partner_id          TEXT NOT NULL,
    channel             TEXT NOT NULL,
    content_type        TEXT NOT NULL,
    partner_message_id  TEXT NOT NULL DEFAULT '',
    correlation_id      TEXT NOT NULL DEFAULT '',
    body                BLOB NOT NULL,
    received_at         TEXT NOT NULL,
    status              TEXT NOT NULL CHECK (status IN ('received', 'accepted', 'rejected', 'failed', 'parked')),
    reason              TEXT NOT NULL DEFAULT '',
    answer_status       INTEGER NOT NULL DEFAULT 0,
    answer_content_type TEXT NOT NULL DEFAULT '',
    answer_body         BLOB,
    updated_at          TEXT NOT NULL,
    UNIQUE (dedup_key, body_sha256)
) STRICT;
INSERT INTO inbound_message_new (rowid, id, dedup_key, body_sha256, partner_id, channel, content_type,
    partner_message_id, correlation_id, body, received_at, status, reason, answer_status, answer_content_type,
    answer_body, updated_at)
SELECT rowid, id, dedup_key, body_sha256, partner_id, channel, content_type, partner_message_id,
    correlation_id, body, received_at, status, reason, answer_status, answer_content_type, answer_body, updated_at
FROM inbound_message;
DROP TABLE inbound_message;
ALTER TABLE inbound_message_new RENAME TO inbound_message;
CREATE INDEX inbound_message_first ON inbound_message (dedup_key);
CREATE INDEX inbound_message_quarantine ON inbound_message (received_at DESC, id) WHERE status = 'rejected';
CREATE INDEX inbound_message_parked ON inbound_message (received_at DESC, id) WHERE status = 'parked';
