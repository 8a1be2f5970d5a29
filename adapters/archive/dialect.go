package archive

import (
	"fmt"
	"time"
)

// Dialect names the SQL database behind the archive.
type Dialect string

// Supported dialects.
const (
	SQLite   Dialect = "sqlite"
	Postgres Dialect = "postgres"
)

// queries is one dialect's SQL. Each dialect keeps its own text rather than one text rewritten at run
// time, so each reads as what its database runs.
type queries struct {
	// lock serialises migrations across processes, inside the migration transaction ("" for none).
	lock string
	// store archives a message in one statement where the dialect can ("" elsewhere: SQLite runs insert
	// and firstByKey in a transaction). It serialises Store calls for one dedup key, so two messages racing
	// with one partner message ID cannot both be taken for the first, and returns whether the message was
	// inserted and the ID of the first message under its key. SQLite needs no lock: its single writer
	// serialises the transactions.
	store          string
	createVersions string
	applied        string
	recordVersion  string
	insert         string
	byID           string
	firstByKey     string
	finish         string
	settle         string
	quarantine     string
	// stats counts messages by partner, channel and status received since an instant.
	stats string
	// timeArg turns an instant into the value the dialect stores.
	timeArg func(time.Time) any
}

const columns = `id, dedup_key, body_sha256, partner_id, channel, content_type, partner_message_id,
	correlation_id, body, received_at, status, reason, answer_status, answer_content_type, answer_body, updated_at`

var postgresQueries = queries{
	lock: `SELECT pg_advisory_xact_lock(hashtext('crossdock.archive.migrate'))`,
	// One round trip: the key's advisory lock, the insert and the first of the key, in a function
	// (migration/postgres/003_store_function.sql) whose commit does not wait for its WAL flush: nothing is
	// answered on the strength of it, and the answer's own (synchronous) commit later flushes the log up
	// to and past it.
	store:          `SELECT inserted, first_id FROM crossdock_archive_store($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
	createVersions: `CREATE TABLE IF NOT EXISTS archive_migration (version TEXT PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())`,
	applied:        `SELECT count(*) FROM archive_migration WHERE version = $1`,
	recordVersion:  `INSERT INTO archive_migration (version) VALUES ($1)`,
	insert: `INSERT INTO inbound_message (` + columns + `)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'received', '', 0, '', NULL, $10)
		ON CONFLICT DO NOTHING`,
	byID:       `SELECT ` + columns + ` FROM inbound_message WHERE id = $1`,
	firstByKey: `SELECT id FROM inbound_message WHERE dedup_key = $1 ORDER BY seq LIMIT 1`,
	finish: `UPDATE inbound_message SET status = $2, reason = $3, answer_status = $4, answer_content_type = $5,
		answer_body = $6, updated_at = $7 WHERE id = $1 AND status IN ('received', 'failed', 'parked')`,
	settle: `UPDATE inbound_message SET status = $2, reason = $3, answer_status = $4, answer_content_type = $5,
		answer_body = $6, updated_at = $7 WHERE id = $1`,
	quarantine: `SELECT ` + columns + ` FROM inbound_message
		WHERE status = $3 AND ($1 = '' OR partner_id = $1)
		ORDER BY received_at DESC, id LIMIT $2`,
	stats: `SELECT partner_id, channel, status, count(*), max(received_at) FROM inbound_message
		WHERE received_at >= $1 AND ($2 = '' OR partner_id = $2)
		GROUP BY partner_id, channel, status ORDER BY partner_id, channel, status`,
	timeArg: func(t time.Time) any { return t.UTC() },
}

// sqliteTime is fixed-width so that text order is time order.
const sqliteTime = "2006-01-02T15:04:05.000000000Z"

var sqliteQueries = queries{
	createVersions: `CREATE TABLE IF NOT EXISTS archive_migration (version TEXT PRIMARY KEY, applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')))`,
	applied:        `SELECT count(*) FROM archive_migration WHERE version = ?`,
	recordVersion:  `INSERT INTO archive_migration (version) VALUES (?)`,
	insert: `INSERT INTO inbound_message (` + columns + `)
		VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, 'received', '', 0, '', NULL, ?10)
		ON CONFLICT DO NOTHING`,
	byID:       `SELECT ` + columns + ` FROM inbound_message WHERE id = ?`,
	firstByKey: `SELECT id FROM inbound_message WHERE dedup_key = ? ORDER BY rowid LIMIT 1`,
	finish: `UPDATE inbound_message SET status = ?2, reason = ?3, answer_status = ?4, answer_content_type = ?5,
		answer_body = ?6, updated_at = ?7 WHERE id = ?1 AND status IN ('received', 'failed', 'parked')`,
	settle: `UPDATE inbound_message SET status = ?2, reason = ?3, answer_status = ?4, answer_content_type = ?5,
		answer_body = ?6, updated_at = ?7 WHERE id = ?1`,
	quarantine: `SELECT ` + columns + ` FROM inbound_message
		WHERE status = ?3 AND (?1 = '' OR partner_id = ?1)
		ORDER BY received_at DESC, id LIMIT ?2`,
	stats: `SELECT partner_id, channel, status, count(*), max(received_at) FROM inbound_message
		WHERE received_at >= ?1 AND (?2 = '' OR partner_id = ?2)
		GROUP BY partner_id, channel, status ORDER BY partner_id, channel, status`,
	timeArg: func(t time.Time) any { return t.UTC().Format(sqliteTime) },
}

func queriesFor(d Dialect) (queries, error) {
	switch d {
	case SQLite:
		return sqliteQueries, nil
	case Postgres:
		return postgresQueries, nil
	default:
		return queries{}, fmt.Errorf("unknown dialect %q (want %q or %q)", d, SQLite, Postgres)
	}
}

// instant scans an instant stored by either dialect: time.Time from PostgreSQL, text from SQLite.
type instant struct{ t *time.Time }

func (i instant) Scan(src any) error {
	switch v := src.(type) {
	case time.Time:
		*i.t = v.UTC()
		return nil
	case string:
		return i.parse(v)
	case []byte:
		return i.parse(string(v))
	default:
		return fmt.Errorf("scan instant from %T", src)
	}
}

func (i instant) parse(s string) error {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return fmt.Errorf("scan instant: %w", err)
	}
	*i.t = t.UTC()
	return nil
}
