-- What Odoo did not take: one row per document and the event Odoo was to be told of, until the
-- document is booked. Instants are fixed-width UTC text.

-- name: schema
CREATE TABLE {{odoo_failure}} (
    stream_id  text NOT NULL,
    trigger_id text NOT NULL,
    kind       text NOT NULL,
    document   text NOT NULL,
    partner    text NOT NULL,
    reason     text NOT NULL,
    failed_at  text NOT NULL,
    event_id   text NOT NULL,
    PRIMARY KEY (stream_id, trigger_id)
);
CREATE INDEX {{odoo_failure}}_time ON {{odoo_failure}} (failed_at);
CREATE INDEX {{odoo_failure}}_event ON {{odoo_failure}} (event_id);

-- name: upsert
INSERT INTO {{odoo_failure}} (stream_id, trigger_id, kind, document, partner, reason, failed_at, event_id)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
ON CONFLICT (stream_id, trigger_id) DO UPDATE SET reason = excluded.reason, failed_at = excluded.failed_at,
    event_id = excluded.event_id;

-- name: clear
-- The document was booked: nothing of it is waiting any more.
DELETE FROM {{odoo_failure}} WHERE stream_id = ?1;

-- name: list
SELECT stream_id, trigger_id, kind, document, partner, reason, failed_at, event_id FROM {{odoo_failure}}
WHERE (?1 = '' OR partner = ?1)
ORDER BY failed_at DESC, stream_id
LIMIT ?2;

-- name: get
SELECT stream_id, trigger_id, kind, document, partner, reason, failed_at, event_id FROM {{odoo_failure}}
WHERE event_id = ?1;
