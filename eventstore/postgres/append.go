package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/crossdock-hub/crossdock/eventstore"
)

// The append statement. The CTE computes the version the stream is at before the append (its variants
// below); the INSERT then writes the events from the parameters and returns one row per event written.
// (Its lock on the events table, taken before the first row gives the transaction its ID, is what marks it
// as a writer to the readers' horizon: see horizon.go.) It is a plain INSERT with RETURNING
// rather than a third CTE summarised by an aggregate: measured with pgbench (16 clients, one event per
// transaction), that wrapping cost about 5% of the server's throughput.
//
// There is no table of stream versions: the unique index events_stream (stream_id, stream_version) is
// the guard. Each variant picks the versions the events take, and an insert landing on a version another
// writer already took (or is taking: the index makes the second inserter wait for the first to end)
// fails with a unique violation on events_stream, which translate reports as a version mismatch. A row
// per stream to check and advance cost a btree lookup, a heap update and its WAL on every append.
//   - NoStream writes versions 1..n: a violation means the stream has events.
//   - Exact(v) writes v+1..v+n, but only when event v is committed (no row from s otherwise: nothing is
//     inserted and nothing returned): a caller ahead of the stream must not leave a gap. Being behind is the
//     violation on v+1.
//   - Any writes after the last committed version; a violation means a concurrent append took the same
//     versions, and Append runs the statement again under a fresh snapshot (maxAnyAttempts).
//
// Since every append writes only right behind a committed event, a stream's committed versions never
// have a gap, which ReadStream relies on.
// $1 stream, $2..$11 event columns, $12 expected version (Exact only).
const (
	appendWith      = `WITH s AS (`
	appendBaseAny   = `SELECT (SELECT coalesce(max(stream_version), 0) FROM events WHERE stream_id = $1) AS base`
	appendBaseNew   = `SELECT 0::bigint AS base`
	appendBaseExact = `SELECT $12::bigint AS base
		WHERE EXISTS (SELECT FROM events WHERE stream_id = $1 AND stream_version = $12)`
	appendEvents = `)
	INSERT INTO events (id, stream_id, stream_version, type, data,
		correlation_id, causation_id, message_id, partner_id, source, actor, occurred_at)
	SELECT e.id, $1, s.base + e.n, e.type, e.data,
		nullif(e.correlation_id, ''), nullif(e.causation_id, ''), nullif(e.message_id, ''),
		nullif(e.partner_id, ''), nullif(e.source, ''), nullif(e.actor, ''), e.occurred_at
	FROM s, `
	// The events come from the parameter arrays, or for one event from scalar parameters, which spare
	// both ends the array encoding (single-event appends are the common case of command handlers).
	eventsFromArrays = `unnest($2::uuid[], $3::text[], $4::jsonb[], $5::text[], $6::text[], $7::text[], $8::text[],
		$9::text[], $10::text[], $11::timestamptz[]) WITH ORDINALITY`
	eventsFromScalars = `(SELECT $2::uuid, $3::text, $4::jsonb, $5::text, $6::text, $7::text, $8::text,
		$9::text, $10::text, $11::timestamptz, 1::bigint)`
	appendReturn = ` AS e(id, type, data, correlation_id, causation_id, message_id, partner_id, source,
			actor, occurred_at, n)
	RETURNING stream_version, position, tx_id`
)

// appendBases are the s CTEs of the expected-version kinds: any, no stream, exact.
var appendBases = [3]string{appendBaseAny, appendBaseNew, appendBaseExact}

// appendSQL holds the statement for each expected-version kind, for a batch and for one event.
var appendSQL = func() (out [3][2]string) {
	for k, base := range appendBases {
		out[k][0] = appendWith + base + appendEvents + eventsFromArrays + appendReturn
		out[k][1] = appendWith + base + appendEvents + eventsFromScalars + appendReturn
	}
	return out
}()

// maxAnyAttempts bounds how often an Any append runs again after a concurrent append took its versions.
// Each failed attempt means another append to the same stream committed meanwhile (the retry's snapshot
// sees it, so its versions are past it), so 20 appenders racing on one stream need at most 20 attempts;
// only a stream written faster than one append can commit exhausts this, and then the caller gets
// ErrConcurrency, which it may retry.
const maxAnyAttempts = 64

// Append implements eventstore.Store. Up to copyMinEvents events it is one statement and so one round
// trip; larger batches go by COPY (append_copy.go, append_once.go). When the stream is not at the
// expected version or an event ID is already stored, it reads the stored events with the batch's IDs to
// tell an idempotent re-append (a successful no-op) from a conflict.
func (s *Store) Append(ctx context.Context, stream string, expected eventstore.ExpectedVersion, events ...eventstore.EventData) (eventstore.AppendResult, error) {
	if err := eventstore.ValidateStream(stream); err != nil {
		return eventstore.AppendResult{}, err
	}
	if expected < eventstore.Any {
		return eventstore.AppendResult{}, fmt.Errorf("append %s: %w: expected version %d", stream, eventstore.ErrInvalidEvent, int64(expected))
	}
	if len(events) == 0 {
		return s.checkOnly(ctx, stream, expected)
	}
	kind := 0 // Any
	switch {
	case expected == eventstore.NoStream:
		kind = 1
	case expected > eventstore.NoStream:
		kind = 2
	}
	var n, version, global int64
	var commit uint64
	var err error
	var hook func(string)
	if h := s.beforeCommit.Load(); h != nil {
		hook = *h
	}
	var attempt func() error
	if len(events) >= copyMinEvents {
		if err := checkBatch(events); err != nil {
			return eventstore.AppendResult{}, fmt.Errorf("append %s: %w", stream, err)
		}
		// A stream ID with a NUL cannot be put in a query's text; appendCopy sends it as a parameter and
		// the server refuses it as it refuses any text with a NUL.
		if kind != 0 && hook == nil && !strings.ContainsRune(stream, 0) {
			attempt = func() (err error) {
				n, version, global, commit, err = s.appendCopyOnce(ctx, stream, events, int64(expected))
				return err
			}
		} else {
			attempt = func() (err error) {
				n, version, global, commit, err = s.appendCopy(ctx, stream, kind, events, int64(expected), hook)
				return err
			}
		}
	} else {
		var sql string
		var params []any
		if len(events) == 1 {
			e := events[0]
			if err := e.Validate(); err != nil {
				return eventstore.AppendResult{}, fmt.Errorf("append %s: %w", stream, err)
			}
			m := e.Metadata
			var data, occurred any
			if len(e.Data) > 0 {
				data = e.Data
			}
			if !m.OccurredAt.IsZero() {
				occurred = m.OccurredAt
			}
			sql = appendSQL[kind][1]
			params = []any{stream, [16]byte(e.ID), e.Type, data, m.CorrelationID, m.CausationID,
				m.MessageID, m.PartnerID, m.Source, m.Actor, occurred}
		} else {
			args, err := columns(events)
			if err != nil {
				return eventstore.AppendResult{}, fmt.Errorf("append %s: %w", stream, err)
			}
			sql = appendSQL[kind][0]
			params = []any{stream, args.ids, args.types, args.data, args.correlation,
				args.causation, args.message, args.partner, args.source, args.actor, args.occurred}
		}
		if kind == 2 {
			params = append(params, int64(expected))
		}
		attempt = func() (err error) {
			if hook != nil {
				n, version, global, commit, err = s.appendHeld(ctx, stream, hook, sql, params)
				return err
			}
			n, version, global, commit, err = scanAppended(s.pool.Query(ctx, sql, params...))
			return err
		}
	}
	// At Any a version mismatch is only ever a concurrent append that took the versions this one read as
	// free; a new attempt reads past it.
	for i := 1; ; i++ {
		err = translate(attempt())
		if kind != 0 || i == maxAnyAttempts || !errors.Is(err, errVersionMismatch) {
			break
		}
	}
	switch {
	case err == nil && n > 0:
		s.wake.Notify(stream)
		return eventstore.AppendResult{
			StreamVersion: version,
			Position:      eventstore.Position{Commit: commit, Global: uint64(global)},
		}, nil
	case err == nil || errors.Is(err, errVersionMismatch):
		return s.resolveConflict(ctx, stream, expected, events, true)
	case errors.Is(err, errIDTaken):
		return s.resolveConflict(ctx, stream, expected, events, false)
	default:
		return eventstore.AppendResult{}, fmt.Errorf("append %s at %s: %w", stream, expected, err)
	}
}

// appendHeld runs the append statement in an explicit transaction and calls hook between the statement
// and COMMIT. Only tests set the hook: it lets them hold positions taken but not yet committed.
func (s *Store) appendHeld(ctx context.Context, stream string, hook func(string), sql string, params []any) (n, version, global int64, commit uint64, err error) {
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return 0, 0, 0, 0, err
	}
	defer tx.Rollback(ctx) //nolint:errcheck // a no-op after Commit
	if n, version, global, commit, err = scanAppended(tx.Query(ctx, sql, params...)); err != nil {
		return n, version, global, commit, err
	}
	hook(stream)
	return n, version, global, commit, tx.Commit(ctx)
}

// scanAppended reads the append statement's rows, one per event written: how many, and the last one's
// stream version, global position and transaction ID. No rows means the stream was not at the expected
// version.
func scanAppended(rows pgx.Rows, err error) (n, version, global int64, commit uint64, _ error) {
	if err != nil {
		return 0, 0, 0, 0, err
	}
	defer rows.Close()
	for rows.Next() {
		var v, g int64
		if err := rows.Scan(&v, &g, &commit); err != nil {
			return 0, 0, 0, 0, err
		}
		n++
		version, global = max(version, v), max(global, g)
	}
	return n, version, global, commit, rows.Err()
}

// columns checks the events and turns them into the statement's column arrays.
func columns(events []eventstore.EventData) (appendArgs, error) {
	n := len(events)
	a := appendArgs{
		ids: make([][16]byte, n), types: make([]string, n), data: make([]json.RawMessage, n),
		correlation: make([]string, n), causation: make([]string, n), message: make([]string, n),
		partner: make([]string, n), source: make([]string, n), actor: make([]string, n),
		occurred: make([]pgtype.Timestamptz, n),
	}
	seen := make(map[[16]byte]struct{}, n)
	for i, e := range events {
		if err := e.Validate(); err != nil {
			return appendArgs{}, err
		}
		if _, dup := seen[e.ID]; dup {
			return appendArgs{}, fmt.Errorf("%w %s: appears twice in one append", eventstore.ErrInvalidEvent, e.ID)
		}
		seen[e.ID] = struct{}{}
		a.ids[i] = e.ID
		a.types[i] = e.Type
		if len(e.Data) > 0 {
			a.data[i] = e.Data
		}
		m := e.Metadata
		a.correlation[i], a.causation[i], a.message[i] = m.CorrelationID, m.CausationID, m.MessageID
		a.partner[i], a.source[i], a.actor[i] = m.PartnerID, m.Source, m.Actor
		if !m.OccurredAt.IsZero() {
			a.occurred[i] = pgtype.Timestamptz{Time: m.OccurredAt, Valid: true}
		}
	}
	return a, nil
}

// appendArgs are an append's events as column arrays: the statement unnests them, so a batch of any
// size is one statement with a fixed number of parameters.
type appendArgs struct {
	ids         [][16]byte
	types       []string
	data        []json.RawMessage
	correlation []string
	causation   []string
	message     []string
	partner     []string
	source      []string
	actor       []string
	occurred    []pgtype.Timestamptz
}

// resolveConflict decides what a refused append was, from the events stored under the batch's IDs:
// all stored with the same content is an idempotent re-append; any stored with other content is
// ErrDuplicateEvent; anything else means the stream was not where the caller expected.
func (s *Store) resolveConflict(ctx context.Context, stream string, expected eventstore.ExpectedVersion, events []eventstore.EventData, versionMismatch bool) (eventstore.AppendResult, error) {
	ids := make([][16]byte, len(events))
	for i, e := range events {
		ids[i] = e.ID
	}
	rows, err := s.pool.Query(ctx, `SELECT `+eventColumns+` FROM events WHERE id = ANY($1::uuid[])`, ids)
	if err != nil {
		return eventstore.AppendResult{}, fmt.Errorf("append %s: read stored events: %w", stream, translate(err))
	}
	stored, err := scanEvents(rows, 0)
	if err != nil {
		return eventstore.AppendResult{}, fmt.Errorf("append %s: read stored events: %w", stream, translate(err))
	}
	byID := make(map[[16]byte]eventstore.Event, len(stored))
	for _, ev := range stored {
		byID[ev.ID] = ev
	}
	var last eventstore.Event
	for _, e := range events {
		ev, ok := byID[e.ID]
		if ok && !eventstore.SameContent(ev, stream, e) {
			return eventstore.AppendResult{}, fmt.Errorf("append %s: event %s is stored in %s as %s v%d: %w",
				stream, e.ID, ev.StreamID, ev.Type, ev.StreamVersion, eventstore.ErrDuplicateEvent)
		}
	}
	if len(byID) == len(events) {
		for _, ev := range stored {
			if ev.StreamVersion > last.StreamVersion {
				last = ev
			}
		}
		return eventstore.AppendResult{StreamVersion: last.StreamVersion, Position: last.Position, Duplicate: true}, nil
	}
	if len(byID) > 0 {
		// Appends are atomic, so a batch of which only some events are stored is not a retry of one
		// append: retrying it cannot succeed, which ErrConcurrency would invite.
		return eventstore.AppendResult{}, fmt.Errorf("append %s: %d of %d events already stored: %w",
			stream, len(byID), len(events), eventstore.ErrDuplicateEvent)
	}
	if !versionMismatch {
		// The ID belonged to a transaction that has since rolled back: the append may be tried again.
		return eventstore.AppendResult{}, fmt.Errorf("append %s: an event ID was being written by another append: %w",
			stream, eventstore.ErrConcurrency)
	}
	return eventstore.AppendResult{}, fmt.Errorf("append %s at %s: stream is at version %d: %w",
		stream, expected, s.versionForMessage(ctx, stream), eventstore.ErrConcurrency)
}

// versionForMessage reads a stream's version for an error message; 0 when it has none or the read fails.
func (s *Store) versionForMessage(ctx context.Context, stream string) int64 {
	var v int64
	if err := s.pool.QueryRow(ctx, `SELECT coalesce(max(stream_version), 0) FROM events WHERE stream_id = $1`, stream).Scan(&v); err != nil {
		return 0
	}
	return v
}

// checkOnly answers an append of no events: nothing is written, but the expected version is still
// checked and the result says where the stream is.
func (s *Store) checkOnly(ctx context.Context, stream string, expected eventstore.ExpectedVersion) (eventstore.AppendResult, error) {
	var version, global int64
	var commit uint64
	err := s.pool.QueryRow(ctx, `SELECT e.stream_version, e.tx_id, e.position FROM events e
		WHERE e.stream_id = $1 ORDER BY e.stream_version DESC LIMIT 1`, stream).Scan(&version, &commit, &global)
	if err != nil && !errors.Is(err, pgx.ErrNoRows) {
		return eventstore.AppendResult{}, fmt.Errorf("append %s: read version: %w", stream, translate(err))
	}
	if expected != eventstore.Any && int64(expected) != version {
		return eventstore.AppendResult{}, fmt.Errorf("append %s at %s: stream is at version %d: %w",
			stream, expected, version, eventstore.ErrConcurrency)
	}
	return eventstore.AppendResult{StreamVersion: version, Position: eventstore.Position{Commit: commit, Global: uint64(global)}}, nil
}
