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

// The append statement. The first CTE takes the writer lock (see horizon.go); the second checks and
// advances the stream row (its variants below) and reads the lock's row, so the lock is held before the
// statement's first write gives the transaction its ID; the third inserts the events from the parameter
// arrays; the outer query returns one summary row. When the stream is not at the expected version the
// stream CTE returns no row, nothing is inserted and the count is 0.
// $1 stream, $2 number of events, $3..$12 event columns, $13 expected version.
const (
	appendLock      = `WITH lock AS (` + writerLock + `), s AS (`
	appendStreamAny = `INSERT INTO streams AS st (stream_id, version) SELECT $1, $2 FROM lock
		ON CONFLICT (stream_id) DO UPDATE SET version = st.version + $2
		RETURNING st.version - $2 AS base`
	appendStreamNew = `INSERT INTO streams (stream_id, version) SELECT $1, $2 FROM lock
		ON CONFLICT (stream_id) DO NOTHING
		RETURNING 0::bigint AS base`
	appendStreamExact = `UPDATE streams SET version = version + $2 FROM lock
		WHERE stream_id = $1 AND version = $13
		RETURNING version - $2 AS base`
	appendEvents = `), ins AS (
	INSERT INTO events (id, stream_id, stream_version, type, data,
		correlation_id, causation_id, message_id, partner_id, source, actor, occurred_at)
	SELECT e.id, $1, s.base + e.n, e.type, e.data,
		nullif(e.correlation_id, ''), nullif(e.causation_id, ''), nullif(e.message_id, ''),
		nullif(e.partner_id, ''), nullif(e.source, ''), nullif(e.actor, ''), e.occurred_at
	FROM s, `
	// The events come from the parameter arrays, or for one event from scalar parameters, which spare
	// both ends the array encoding (single-event appends are the common case of command handlers).
	eventsFromArrays = `unnest($3::uuid[], $4::text[], $5::jsonb[], $6::text[], $7::text[], $8::text[], $9::text[],
		$10::text[], $11::text[], $12::timestamptz[]) WITH ORDINALITY`
	eventsFromScalars = `(SELECT $3::uuid, $4::text, $5::jsonb, $6::text, $7::text, $8::text, $9::text,
		$10::text, $11::text, $12::timestamptz, 1::bigint)`
	appendReturn = ` AS e(id, type, data, correlation_id, causation_id, message_id, partner_id, source,
			actor, occurred_at, n)
	RETURNING stream_version, position
)
SELECT count(*), coalesce(max(stream_version), 0), coalesce(max(position), 0),
	coalesce(pg_current_xact_id_if_assigned(), '0'::xid8)
FROM ins`
)

// appendSQL holds the statement for each expected-version kind (any, no stream, exact), for a batch and
// for one event.
var appendSQL = func() (out [3][2]string) {
	for k, stream := range []string{appendStreamAny, appendStreamNew, appendStreamExact} {
		out[k][0] = appendLock + stream + appendEvents + eventsFromArrays + appendReturn
		out[k][1] = appendLock + stream + appendEvents + eventsFromScalars + appendReturn
	}
	return out
}()

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
	if len(events) >= copyMinEvents {
		if err := checkBatch(events); err != nil {
			return eventstore.AppendResult{}, fmt.Errorf("append %s: %w", stream, err)
		}
		// A stream ID with a NUL cannot be put in a query's text; appendCopy sends it as a parameter and
		// the server refuses it as it refuses any text with a NUL.
		if kind != 0 && hook == nil && !strings.ContainsRune(stream, 0) {
			n, version, global, commit, err = s.appendCopyOnce(ctx, stream, events, int64(expected))
		} else {
			n, version, global, commit, err = s.appendCopy(ctx, stream, kind, events, int64(expected), hook)
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
			params = []any{stream, int64(1), [16]byte(e.ID), e.Type, data, m.CorrelationID, m.CausationID,
				m.MessageID, m.PartnerID, m.Source, m.Actor, occurred}
		} else {
			args, err := columns(events)
			if err != nil {
				return eventstore.AppendResult{}, fmt.Errorf("append %s: %w", stream, err)
			}
			sql = appendSQL[kind][0]
			params = []any{stream, int64(len(events)), args.ids, args.types, args.data, args.correlation,
				args.causation, args.message, args.partner, args.source, args.actor, args.occurred}
		}
		if kind == 2 {
			params = append(params, int64(expected))
		}
		if hook != nil {
			err = s.appendHeld(ctx, stream, hook, sql, params, &n, &version, &global, &commit)
		} else {
			err = s.pool.QueryRow(ctx, sql, params...).Scan(&n, &version, &global, &commit)
		}
	}
	err = translate(err)
	switch {
	case err == nil && n > 0:
		s.wake.notify()
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
func (s *Store) appendHeld(ctx context.Context, stream string, hook func(string), sql string, params []any, n, version, global *int64, commit *uint64) error {
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback(ctx) //nolint:errcheck // a no-op after Commit
	if err := tx.QueryRow(ctx, sql, params...).Scan(n, version, global, commit); err != nil {
		return err
	}
	hook(stream)
	return tx.Commit(ctx)
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
	if !versionMismatch {
		return eventstore.AppendResult{}, fmt.Errorf("append %s: %d of %d events already stored: %w",
			stream, len(byID), len(events), eventstore.ErrConcurrency)
	}
	return eventstore.AppendResult{}, fmt.Errorf("append %s at %s: stream is at version %d: %w",
		stream, expected, s.versionForMessage(ctx, stream), eventstore.ErrConcurrency)
}

// versionForMessage reads a stream's version for an error message; 0 when it has none or the read fails.
func (s *Store) versionForMessage(ctx context.Context, stream string) int64 {
	var v int64
	if err := s.pool.QueryRow(ctx, `SELECT version FROM streams WHERE stream_id = $1`, stream).Scan(&v); err != nil {
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
