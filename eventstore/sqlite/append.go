package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/crossdock-hub/crossdock/eventstore"
)

// Append implements eventstore.Store. Its transaction holds SQLite's write lock from its first statement,
// so the version check and the inserts cannot interleave with another append, even from another process.
func (s *Store) Append(ctx context.Context, stream string, expected eventstore.ExpectedVersion, events ...eventstore.EventData) (eventstore.AppendResult, error) {
	if err := validate(stream, expected, events); err != nil {
		return eventstore.AppendResult{}, fmt.Errorf("append to %s: %w", stream, err)
	}
	if s.isClosed() {
		return eventstore.AppendResult{}, fmt.Errorf("append to %s: %w", stream, eventstore.ErrClosed)
	}
	tx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return eventstore.AppendResult{}, fmt.Errorf("append to %s: begin: %w", stream, interpretError(ctx, err))
	}
	defer tx.Rollback()

	res, err := s.appendTx(ctx, tx, stream, expected, events)
	if err != nil {
		return eventstore.AppendResult{}, fmt.Errorf("append to %s at %s: %w", stream, expected, err)
	}
	if res.Duplicate {
		return res, nil
	}
	if s.appendHook != nil {
		s.appendHook(stream)
	}
	if err := tx.Commit(); err != nil {
		return eventstore.AppendResult{}, fmt.Errorf("append to %s: commit: %w", stream, interpretError(ctx, err))
	}
	s.notify.Notify(stream)
	return res, nil
}

// The statements of an append, prepared when the store opens.
const (
	versionQuery = `SELECT COALESCE(MAX(stream_version), 0) FROM events WHERE stream_id = ?`
	insertQuery  = `INSERT INTO events (event_id, stream_id, stream_version, type, data,
		correlation_id, causation_id, message_id, partner_id, source, actor, occurred_at, recorded_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
	lookupQuery = `SELECT position, stream_id, stream_version, type, data FROM events WHERE event_id = ?`
)

var appendQueries = []string{versionQuery, insertQuery, lookupQuery}

func validate(stream string, expected eventstore.ExpectedVersion, events []eventstore.EventData) error {
	var problems []error
	if err := eventstore.ValidateStream(stream); err != nil {
		problems = append(problems, err)
	}
	if expected < eventstore.Any {
		problems = append(problems, fmt.Errorf("%w: expected version %d", eventstore.ErrInvalidEvent, int64(expected)))
	}
	if len(events) == 0 {
		problems = append(problems, fmt.Errorf("%w: no events", eventstore.ErrInvalidEvent))
	}
	for _, ev := range events {
		if err := ev.Validate(); err != nil {
			problems = append(problems, err)
		}
	}
	return errors.Join(problems...)
}

func (s *Store) appendTx(ctx context.Context, tx *sql.Tx, stream string, expected eventstore.ExpectedVersion, events []eventstore.EventData) (eventstore.AppendResult, error) {
	// Idempotency comes before the version check: a retried message re-appends with the expected version
	// it used the first time, which the stream has since moved past.
	res, stored, err := s.storedCopies(ctx, tx, stream, events)
	if err != nil {
		return eventstore.AppendResult{}, err
	}
	if stored > 0 {
		if stored < len(events) {
			return eventstore.AppendResult{}, fmt.Errorf("%w: %d of %d events already stored, the rest not",
				eventstore.ErrDuplicateEvent, stored, len(events))
		}
		res.Duplicate = true
		return res, nil
	}

	var version int64
	versionQ, err := s.wstmt.Tx(ctx, tx, versionQuery)
	if err != nil {
		return eventstore.AppendResult{}, fmt.Errorf("prepare version read: %w", interpretError(ctx, err))
	}
	if err := versionQ.QueryRowContext(ctx, stream).Scan(&version); err != nil {
		return eventstore.AppendResult{}, fmt.Errorf("read version: %w", interpretError(ctx, err))
	}
	if expected != eventstore.Any && int64(expected) != version {
		return eventstore.AppendResult{}, fmt.Errorf("%w: stream is at version %d", eventstore.ErrConcurrency, version)
	}

	insert, err := s.wstmt.Tx(ctx, tx, insertQuery)
	if err != nil {
		return eventstore.AppendResult{}, fmt.Errorf("prepare insert: %w", interpretError(ctx, err))
	}
	defer insert.Close()
	recorded := time.Now().UTC().UnixMicro()
	var last int64
	for i, ev := range events {
		m := ev.Metadata
		var occurred sql.NullInt64
		if !m.OccurredAt.IsZero() {
			occurred = sql.NullInt64{Int64: m.OccurredAt.UnixMicro(), Valid: true}
		}
		r, err := insert.ExecContext(ctx, ev.ID[:], stream, version+int64(i)+1, ev.Type, string(ev.Data),
			m.CorrelationID, m.CausationID, m.MessageID, m.PartnerID, m.Source, m.Actor, occurred, recorded)
		if err != nil {
			return eventstore.AppendResult{}, fmt.Errorf("insert event %s: %w", ev.ID, interpretError(ctx, err))
		}
		if last, err = r.LastInsertId(); err != nil {
			return eventstore.AppendResult{}, fmt.Errorf("insert event %s: position: %w", ev.ID, err)
		}
	}
	return eventstore.AppendResult{
		StreamVersion: version + int64(len(events)),
		Position:      position(last),
	}, nil
}

// storedCopies counts the events already stored with the same content and reports where the last of them
// is. An ID stored with other content is ErrDuplicateEvent.
func (s *Store) storedCopies(ctx context.Context, tx *sql.Tx, stream string, events []eventstore.EventData) (eventstore.AppendResult, int, error) {
	lookup, err := s.wstmt.Tx(ctx, tx, lookupQuery)
	if err != nil {
		return eventstore.AppendResult{}, 0, fmt.Errorf("prepare duplicate check: %w", interpretError(ctx, err))
	}
	defer lookup.Close()
	var res eventstore.AppendResult
	stored := 0
	for _, ev := range events {
		var (
			pos     int64
			data    []byte
			current eventstore.Event
		)
		err := lookup.QueryRowContext(ctx, ev.ID[:]).Scan(&pos, &current.StreamID, &current.StreamVersion, &current.Type, &data)
		if errors.Is(err, sql.ErrNoRows) {
			continue
		}
		if err != nil {
			return eventstore.AppendResult{}, 0, fmt.Errorf("check event %s: %w", ev.ID, interpretError(ctx, err))
		}
		current.ID, current.Data = ev.ID, data
		if !eventstore.SameContent(current, stream, ev) {
			return eventstore.AppendResult{}, 0, fmt.Errorf("%w: event %s is stored in %s v%d as %s",
				eventstore.ErrDuplicateEvent, ev.ID, current.StreamID, current.StreamVersion, current.Type)
		}
		stored++
		res.StreamVersion, res.Position = current.StreamVersion, position(pos)
	}
	return res, stored, nil
}

// position is the Position of a rowid: one writer at a time makes commit order and rowid order one.
func position(rowid int64) eventstore.Position {
	return eventstore.Position{Commit: uint64(rowid), Global: uint64(rowid)}
}
