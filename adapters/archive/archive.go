// Package archive keeps every raw inbound message, before anything else is done with it, together with
// what became of it (accepted, rejected into quarantine with the reason, failed) and the exact answer the
// partner was given. It is what makes ingest idempotent: a repeated message is found by its dedup key and
// gets its original answer, and what makes "nothing a partner sent is ever lost" true.
//
// The archive runs on SQLite (the embedded default, sharing the event store's file) and PostgreSQL,
// through database/sql with each dialect's SQL and migrations kept apart.
package archive

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"path"
	"sort"
	"time"

	"github.com/google/uuid"

	"github.com/crossdock-hub/crossdock/internal/stmtcache"
)

// ErrNotFound means no archived message has that ID.
var ErrNotFound = errors.New("archive: message not found")

// Status is where a message stands.
type Status string

// Statuses.
const (
	// Received: stored, not answered yet. A repeat of a message still in this state (its first handling
	// crashed or is still running) is handled again.
	Received Status = "received"
	// Accepted: handled; its answer is replayed to repeats.
	Accepted Status = "accepted"
	// Rejected: refused for a reason the partner must fix, kept in quarantine; its answer is replayed.
	Rejected Status = "rejected"
	// Failed: Crossdock could not handle it (an internal error). A repeat is handled again.
	Failed Status = "failed"
	// Parked: readable, but the partner's crosswalk cannot resolve an item or unit yet. It waits for the
	// mapping to be fixed and `crossdock replay message ID`; a repeat is handled again.
	Parked Status = "parked"
)

// Inbound is a message as it arrives.
type Inbound struct {
	PartnerID string
	// Channel names the way in, e.g. "api:asn".
	Channel     string
	ContentType string
	// PartnerMessageID is the partner's own ID for the message (Idempotency-Key), optional.
	PartnerMessageID string
	CorrelationID    string
	Body             []byte
	// ReceivedAt defaults to the archive's clock; it is kept to the microsecond.
	ReceivedAt time.Time
}

// Answer is what the partner was told.
type Answer struct {
	Status      int
	ContentType string
	Body        []byte
}

// Message is an archived message.
type Message struct {
	// ID is derived from the dedup key and the body's hash, so the same message always has the same ID.
	ID               string
	DedupKey         string
	BodySHA256       string
	PartnerID        string
	Channel          string
	ContentType      string
	PartnerMessageID string
	CorrelationID    string
	Body             []byte
	ReceivedAt       time.Time
	Status           Status
	// Reason says why a message was rejected or failed.
	Reason    string
	Answer    Answer
	UpdatedAt time.Time
}

// Answered reports whether the message has a final answer to replay to a repeat.
func (m Message) Answered() bool {
	return (m.Status == Accepted || m.Status == Rejected) && m.Answer.Status != 0
}

// Stored is the result of storing an inbound message.
type Stored struct {
	Message Message
	// Repeat is true when the same message (same dedup key, same body) was already stored; Message is
	// then the earlier one, with its status and answer.
	Repeat bool
	// ConflictsWith is the ID of the first message stored under the same dedup key with another body
	// ("" if none): the partner reused a message ID for other content.
	ConflictsWith string
}

// DedupKey identifies a message for deduplication: the partner and its own message ID when it gives one,
// else the partner and the SHA-256 of the body, so that an identical body is a repeat.
func DedupKey(partnerID, partnerMessageID string, body []byte) string {
	if partnerMessageID != "" {
		return partnerID + ":id:" + partnerMessageID
	}
	return partnerID + ":sha256:" + bodyHash(body)
}

func bodyHash(body []byte) string {
	sum := sha256.Sum256(body)
	return hex.EncodeToString(sum[:])
}

// idNamespace roots the deterministic message IDs.
var idNamespace = uuid.MustParse("3b8e6f0a-51c2-5d47-8e19-7a4c2d9b0e63")

// Config configures an Archive.
type Config struct {
	// Logger receives the archive's logs. Default: discarded.
	Logger *slog.Logger
	// Now is the clock for received_at (when not given) and updated_at. Default: time.Now.
	Now func() time.Time
}

func (c *Config) setDefaults() {
	if c.Logger == nil {
		c.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if c.Now == nil {
		c.Now = time.Now
	}
}

// Validate reports every invalid field. Every field of Config is optional and any value is usable, so
// there is nothing to reject; it is kept so the archive is configured like every other component.
func (c Config) Validate() error { return nil }

// Archive stores inbound messages.
type Archive struct {
	dialect Dialect
	q       queries
	write   *sql.DB
	read    *sql.DB
	// stmts keeps the hot statements prepared (the SQLite driver would parse them on every call).
	stmts *stmtcache.Cache
	// group writes answers as shared durable commits, on SQLite (see groupCommit).
	group  *groupCommit
	logger *slog.Logger
	now    func() time.Time
}

// New returns an archive on write (for changes; on SQLite the single-writer pool) and read (for lookups).
// Call Migrate before use.
func New(dialect Dialect, write, read *sql.DB, cfg Config) (*Archive, error) {
	cfg.setDefaults()
	q, err := queriesFor(dialect)
	errs := []error{err, cfg.Validate()}
	if write == nil {
		errs = append(errs, errors.New("nil write database"))
	}
	if read == nil {
		errs = append(errs, errors.New("nil read database"))
	}
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("archive: %w", err)
	}
	a := &Archive{dialect: dialect, q: q, write: write, read: read, stmts: stmtcache.New(write), logger: cfg.Logger, now: cfg.Now}
	if dialect == SQLite {
		a.group = &groupCommit{db: write}
	}
	return a, nil
}

//go:embed migration
var migrations embed.FS

// Migrate applies the dialect's migrations not applied yet, each in its own transaction, and then
// prepares the archive's statements.
func (a *Archive) Migrate(ctx context.Context) error {
	if err := a.migrateAll(ctx); err != nil {
		return err
	}
	hot := []string{a.q.insert, a.q.byID, a.q.firstByKey, a.q.finish}
	if a.q.store != "" {
		hot = append(hot, a.q.store)
	}
	if err := a.stmts.Prepare(ctx, hot...); err != nil {
		return fmt.Errorf("archive prepare: %w", err)
	}
	return nil
}

func (a *Archive) migrateAll(ctx context.Context) error {
	dir := path.Join("migration", string(a.dialect))
	entries, err := fs.ReadDir(migrations, dir)
	if err != nil {
		return fmt.Errorf("archive migrate: %w", err)
	}
	sort.Slice(entries, func(i, j int) bool { return entries[i].Name() < entries[j].Name() })
	for _, e := range entries {
		script, err := fs.ReadFile(migrations, path.Join(dir, e.Name()))
		if err != nil {
			return fmt.Errorf("archive migrate: %w", err)
		}
		if err := a.migrate(ctx, e.Name(), string(script)); err != nil {
			return fmt.Errorf("archive migrate %s: %w", e.Name(), err)
		}
	}
	return nil
}

func (a *Archive) migrate(ctx context.Context, version, script string) (err error) {
	tx, err := a.write.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			err = errors.Join(err, ignoreDone(tx.Rollback()))
		}
	}()
	if a.q.lock != "" {
		if _, err := tx.ExecContext(ctx, a.q.lock); err != nil {
			return fmt.Errorf("lock: %w", err)
		}
	}
	if _, err := tx.ExecContext(ctx, a.q.createVersions); err != nil {
		return err
	}
	var n int
	if err := tx.QueryRowContext(ctx, a.q.applied, version).Scan(&n); err != nil {
		return err
	}
	if n > 0 {
		return tx.Commit()
	}
	if _, err := tx.ExecContext(ctx, script); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, a.q.recordVersion, version); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	a.logger.InfoContext(ctx, "archive migration applied", "version", version, "dialect", string(a.dialect))
	return nil
}

// Store archives an inbound message, or finds the same message stored before. It is the first thing
// done with any body, so it must succeed before the body is even parsed.
func (a *Archive) Store(ctx context.Context, in Inbound) (res Stored, err error) {
	if in.ReceivedAt.IsZero() {
		in.ReceivedAt = a.now()
	}
	// PostgreSQL keeps microseconds; both dialects keep the same so a message reads back alike on either.
	in.ReceivedAt = in.ReceivedAt.UTC().Truncate(time.Microsecond)
	sum := bodyHash(in.Body)
	key := DedupKey(in.PartnerID, in.PartnerMessageID, in.Body)
	id := uuid.NewSHA1(idNamespace, []byte(key+"\x00"+sum)).String()
	if in.Body == nil {
		in.Body = []byte{} // body is NOT NULL: an empty body is still a message
	}

	args := []any{id, key, sum, in.PartnerID, in.Channel, in.ContentType, in.PartnerMessageID,
		in.CorrelationID, in.Body, a.q.timeArg(in.ReceivedAt)}
	var (
		inserted bool
		first    string
		msg      Message
	)
	if a.q.store != "" {
		inserted, first, err = a.storeOnce(ctx, args)
		if err == nil && !inserted {
			msg, err = a.storedByID(ctx, id)
		}
	} else {
		inserted, first, msg, err = a.storeTx(ctx, id, key, args)
	}
	if err != nil {
		return Stored{}, fmt.Errorf("archive store %s: %w", key, err)
	}
	if inserted {
		// Just written: it is what was given, so it need not be read back.
		msg = Message{ID: id, DedupKey: key, BodySHA256: sum, PartnerID: in.PartnerID, Channel: in.Channel,
			ContentType: in.ContentType, PartnerMessageID: in.PartnerMessageID, CorrelationID: in.CorrelationID,
			Body: in.Body, ReceivedAt: in.ReceivedAt, Status: Received, UpdatedAt: in.ReceivedAt}
	}
	res = Stored{Message: msg, Repeat: !inserted}
	if first != id {
		res.ConflictsWith = first
	}
	return res, nil
}

// storeOnce archives a message with the dialect's one-statement store, which serialises messages under
// one key itself (see queries.store).
func (a *Archive) storeOnce(ctx context.Context, args []any) (inserted bool, first string, err error) {
	stmt, err := a.stmts.Stmt(ctx, a.q.store)
	if err != nil {
		return false, "", err
	}
	if err := stmt.QueryRowContext(ctx, args...).Scan(&inserted, &first); err != nil {
		return false, "", err
	}
	return inserted, first, nil
}

// storedByID reads a message the store found already archived. It was committed before the store's
// statement ended (an insert that conflicts waits for the other's outcome), so it is there to read.
func (a *Archive) storedByID(ctx context.Context, id string) (Message, error) {
	byID, err := a.stmts.Stmt(ctx, a.q.byID)
	if err != nil {
		return Message{}, err
	}
	return a.get(ctx, byID, id)
}

// storeTx archives a message in a transaction of separate statements: the insert, the stored message
// when it was there already, and the first of its key. With one writer, nothing interleaves with it.
func (a *Archive) storeTx(ctx context.Context, id, key string, args []any) (inserted bool, first string, msg Message, err error) {
	tx, err := a.write.BeginTx(ctx, nil)
	if err != nil {
		return false, "", Message{}, err
	}
	defer func() {
		if err != nil {
			err = errors.Join(err, ignoreDone(tx.Rollback()))
		}
	}()
	insert, err := a.stmts.Tx(ctx, tx, a.q.insert)
	if err != nil {
		return false, "", Message{}, err
	}
	r, err := insert.ExecContext(ctx, args...)
	if err != nil {
		return false, "", Message{}, err
	}
	n, err := r.RowsAffected()
	if err != nil {
		return false, "", Message{}, err
	}
	if inserted = n == 1; !inserted {
		byID, err := a.stmts.Tx(ctx, tx, a.q.byID)
		if err != nil {
			return false, "", Message{}, err
		}
		if msg, err = a.get(ctx, byID, id); err != nil {
			return false, "", Message{}, err
		}
	}
	firstQ, err := a.stmts.Tx(ctx, tx, a.q.firstByKey)
	if err != nil {
		return false, "", Message{}, err
	}
	if err := firstQ.QueryRowContext(ctx, key).Scan(&first); err != nil {
		return false, "", Message{}, fmt.Errorf("first of key: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return false, "", Message{}, fmt.Errorf("commit: %w", err)
	}
	return inserted, first, msg, nil
}

// Accept records that the message was handled and the answer given.
func (a *Archive) Accept(ctx context.Context, id string, answer Answer) error {
	return a.finish(ctx, id, Accepted, "", answer)
}

// Reject puts the message in quarantine with the reason and the answer given.
func (a *Archive) Reject(ctx context.Context, id, reason string, answer Answer) error {
	return a.finish(ctx, id, Rejected, reason, answer)
}

// Fail records that Crossdock could not handle the message; a repeat will be handled again.
func (a *Archive) Fail(ctx context.Context, id, reason string, answer Answer) error {
	return a.finish(ctx, id, Failed, reason, answer)
}

func (a *Archive) finish(ctx context.Context, id string, status Status, reason string, ans Answer) error {
	finish, err := a.stmts.Stmt(ctx, a.q.finish)
	if err != nil {
		return fmt.Errorf("archive mark %s %s: %w", id, status, err)
	}
	args := []any{id, string(status), reason, ans.Status, ans.ContentType, ans.Body, a.q.timeArg(a.now().Truncate(time.Microsecond))}
	var n int64
	if a.group != nil {
		n, err = a.group.exec(ctx, a.q.finish, args)
	} else {
		var r sql.Result
		if r, err = finish.ExecContext(ctx, args...); err == nil {
			n, err = r.RowsAffected()
		}
	}
	if err != nil {
		return fmt.Errorf("archive mark %s %s: %w", id, status, err)
	}
	if n == 0 {
		// Either there is no such message, or it was answered already (accepted or rejected): the first
		// answer stands, so that every repeat gets it byte for byte, even when two copies of a message
		// were handled at once.
		if _, err := a.get(ctx, a.read, id); err != nil {
			return fmt.Errorf("archive mark %s %s: %w", id, status, err)
		}
		a.logger.DebugContext(ctx, "archived message already answered; first answer kept", "message_id", id, "status", string(status))
	}
	return nil
}

// Park sets the message aside as an exception with the reason (what is unmapped) and the answer given.
func (a *Archive) Park(ctx context.Context, id, reason string, answer Answer) error {
	return a.finish(ctx, id, Parked, reason, answer)
}

// Settle records the outcome of processing a message again (a replay), whatever its status was: unlike
// the first answer, which stands for repeats, a replay's outcome replaces it, so a parked message that
// went through after its mapping was fixed reads as accepted.
func (a *Archive) Settle(ctx context.Context, id string, status Status, reason string, answer Answer) error {
	args := []any{id, string(status), reason, answer.Status, answer.ContentType, answer.Body,
		a.q.timeArg(a.now().Truncate(time.Microsecond))}
	var n int64
	var err error
	if a.group != nil {
		// Durable like a first answer: the replay's outcome is what the operator is told.
		n, err = a.group.exec(ctx, a.q.settle, args)
	} else {
		var r sql.Result
		if r, err = a.write.ExecContext(ctx, a.q.settle, args...); err == nil {
			n, err = r.RowsAffected()
		}
	}
	if err != nil {
		return fmt.Errorf("archive settle %s %s: %w", id, status, err)
	}
	if n == 0 {
		return fmt.Errorf("archive settle %s: %w", id, ErrNotFound)
	}
	return nil
}

// Get returns the archived message with that ID, or ErrNotFound.
func (a *Archive) Get(ctx context.Context, id string) (Message, error) {
	m, err := a.get(ctx, a.read, id)
	if err != nil {
		return Message{}, fmt.Errorf("archive get %s: %w", id, err)
	}
	return m, nil
}

// QuarantineQuery selects quarantined (or parked) messages.
type QuarantineQuery struct {
	// PartnerID keeps one partner's messages ("" for all).
	PartnerID string
	// Status is Rejected (the quarantine, the default) or Parked (the exceptions awaiting a mapping).
	Status Status
	// Limit caps the result. Default 100.
	Limit int
}

// Quarantine lists rejected messages (or parked ones, by q.Status), newest first.
func (a *Archive) Quarantine(ctx context.Context, q QuarantineQuery) ([]Message, error) {
	if q.Limit <= 0 {
		q.Limit = 100
	}
	if q.Status == "" {
		q.Status = Rejected
	}
	rows, err := a.read.QueryContext(ctx, a.q.quarantine, q.PartnerID, q.Limit, string(q.Status))
	if err != nil {
		return nil, fmt.Errorf("archive quarantine: %w", err)
	}
	defer rows.Close()
	var out []Message
	for rows.Next() {
		m, err := scan(rows)
		if err != nil {
			return nil, fmt.Errorf("archive quarantine: %w", err)
		}
		out = append(out, m)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("archive quarantine: %w", err)
	}
	return out, nil
}

// queryer is a database, a transaction, or the byID statement itself.
type queryer any

func (a *Archive) get(ctx context.Context, db queryer, id string) (Message, error) {
	var row *sql.Row
	if st, ok := db.(*sql.Stmt); ok {
		row = st.QueryRowContext(ctx, id)
	} else {
		row = db.(interface {
			QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
		}).QueryRowContext(ctx, a.q.byID, id)
	}
	m, err := scan(row)
	if errors.Is(err, sql.ErrNoRows) {
		return Message{}, ErrNotFound
	}
	return m, err
}

type scanner interface{ Scan(dest ...any) error }

func scan(s scanner) (Message, error) {
	var (
		m      Message
		status string
	)
	err := s.Scan(&m.ID, &m.DedupKey, &m.BodySHA256, &m.PartnerID, &m.Channel, &m.ContentType,
		&m.PartnerMessageID, &m.CorrelationID, &m.Body, instant{&m.ReceivedAt}, &status, &m.Reason,
		&m.Answer.Status, &m.Answer.ContentType, &m.Answer.Body, instant{&m.UpdatedAt})
	m.Status = Status(status)
	return m, err
}

// ignoreDone drops the error of rolling back a transaction already committed.
func ignoreDone(err error) error {
	if errors.Is(err, sql.ErrTxDone) {
		return nil
	}
	return err
}

// MessageStats counts the messages of one partner, channel and status.
type MessageStats struct {
	PartnerID, Channel string
	Status             Status
	Count              int
	LastReceivedAt     time.Time
}

// Stats counts the messages received since an instant by partner, channel and status (partnerID ""
// for every partner), in that order.
func (a *Archive) Stats(ctx context.Context, since time.Time, partnerID string) ([]MessageStats, error) {
	rows, err := a.read.QueryContext(ctx, a.q.stats, a.q.timeArg(since), partnerID)
	if err != nil {
		return nil, fmt.Errorf("archive stats: %w", err)
	}
	defer rows.Close()
	var out []MessageStats
	for rows.Next() {
		var s MessageStats
		var status string
		if err := rows.Scan(&s.PartnerID, &s.Channel, &status, &s.Count, instant{&s.LastReceivedAt}); err != nil {
			return nil, fmt.Errorf("archive stats: %w", err)
		}
		s.Status = Status(status)
		out = append(out, s)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("archive stats: %w", err)
	}
	return out, nil
}
