package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"iter"
	"math"
	"time"

	"github.com/google/uuid"

	"github.com/crossdock-hub/crossdock/eventstore"
)

const eventColumns = `position, event_id, stream_id, stream_version, type, data,
	correlation_id, causation_id, message_id, partner_id, source, actor, occurred_at, recorded_at`

// rangeQuery reads the events in (?1, ?2] that pass a filter: ?3 is the stream prefix (empty for any),
// ?4 a JSON array of types (NULL for any). substr rather than LIKE, because LIKE is case-insensitive
// and would treat '_' and '%' in a prefix as wildcards.
const rangeQuery = `SELECT ` + eventColumns + ` FROM events
	WHERE position > ?1 AND position <= ?2
	  AND (?3 = '' OR substr(stream_id, 1, length(?3)) = ?3)
	  AND (?4 IS NULL OR type IN (SELECT value FROM json_each(?4)))
	ORDER BY position LIMIT ?5`

const streamQuery = `SELECT ` + eventColumns + ` FROM events
	WHERE stream_id = ? AND stream_version >= ? ORDER BY stream_version LIMIT ?`

// query runs a read through its prepared statement.
func (s *Store) query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	stmt, err := s.rstmt.Stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	return stmt.QueryContext(ctx, args...)
}

// ReadStream implements eventstore.Store. A limit of zero or less reads to the end of the stream.
func (s *Store) ReadStream(ctx context.Context, stream string, from int64, limit int) ([]eventstore.Event, error) {
	if s.isClosed() {
		return nil, fmt.Errorf("read stream %s: %w", stream, eventstore.ErrClosed)
	}
	rows, err := s.query(ctx, streamQuery, stream, from, sqlLimit(limit))
	if err != nil {
		return nil, fmt.Errorf("read stream %s from %d: %w", stream, from, interpretError(ctx, err))
	}
	events, err := scanEvents(ctx, rows, min(limit, 64)) // a stream is usually short
	if err != nil {
		return nil, fmt.Errorf("read stream %s from %d: %w", stream, from, err)
	}
	if len(events) > 0 {
		return events, nil
	}
	if from <= 1 {
		// Every stream has a version 1: read from the start and found empty, it does not exist.
		return nil, fmt.Errorf("read stream %s: %w", stream, eventstore.ErrStreamNotFound)
	}
	// Nothing from `from` on: tell a missing stream from one read past its end.
	var exists bool
	existsQ, err := s.rstmt.Stmt(ctx, `SELECT EXISTS (SELECT 1 FROM events WHERE stream_id = ?)`)
	if err != nil {
		return nil, fmt.Errorf("read stream %s: %w", stream, interpretError(ctx, err))
	}
	if err := existsQ.QueryRowContext(ctx, stream).Scan(&exists); err != nil {
		return nil, fmt.Errorf("read stream %s: %w", stream, interpretError(ctx, err))
	}
	if !exists {
		return nil, fmt.Errorf("read stream %s: %w", stream, eventstore.ErrStreamNotFound)
	}
	return events, nil
}

// ReadAll implements eventstore.Store. A limit of zero or less reads to the end of the log.
func (s *Store) ReadAll(ctx context.Context, from eventstore.Position, limit int, filter eventstore.Filter) ([]eventstore.Event, error) {
	if s.isClosed() {
		return nil, fmt.Errorf("read all from %s: %w", from, eventstore.ErrClosed)
	}
	events, err := s.readRange(ctx, from.Global, math.MaxInt64, limit, filter)
	if err != nil {
		return nil, fmt.Errorf("read all from %s: %w", from, err)
	}
	return events, nil
}

func (s *Store) readRange(ctx context.Context, after uint64, upTo int64, limit int, filter eventstore.Filter) ([]eventstore.Event, error) {
	var types any // NULL: any type
	if len(filter.Types) > 0 {
		b, err := json.Marshal(filter.Types)
		if err != nil {
			return nil, fmt.Errorf("encode type filter: %w", err)
		}
		types = string(b)
	}
	rows, err := s.query(ctx, rangeQuery, int64(after), upTo, filter.StreamPrefix, types, sqlLimit(limit))
	if err != nil {
		return nil, interpretError(ctx, err)
	}
	return scanEvents(ctx, rows, limit)
}

// sqlLimit turns "no limit" into SQLite's LIMIT -1.
func sqlLimit(limit int) int {
	if limit <= 0 {
		return -1
	}
	return limit
}

// Head implements eventstore.Store.
func (s *Store) Head(ctx context.Context) (eventstore.Position, error) {
	if s.isClosed() {
		return eventstore.Position{}, fmt.Errorf("read head: %w", eventstore.ErrClosed)
	}
	head, err := s.head(ctx)
	if err != nil {
		return eventstore.Position{}, fmt.Errorf("read head: %w", err)
	}
	return position(head), nil
}

func (s *Store) head(ctx context.Context) (int64, error) {
	var head int64
	// MAX of the rowid is a single b-tree seek.
	if err := s.read.QueryRowContext(ctx, `SELECT COALESCE(MAX(position), 0) FROM events`).Scan(&head); err != nil {
		return 0, interpretError(ctx, err)
	}
	return head, nil
}

// Subscribe implements eventstore.Store. Each round reads the head and then the matching events up to it;
// with one writer every position up to a visible head is committed, so moving the cursor to the head when
// fewer than a batch match skips nothing and spares re-scanning events the filter rejected.
func (s *Store) Subscribe(ctx context.Context, from eventstore.Position, filter eventstore.Filter) iter.Seq2[[]eventstore.Event, error] {
	return func(yield func([]eventstore.Event, error) bool) {
		cursor := from.Global
		timer := time.NewTimer(s.cfg.PollInterval)
		defer timer.Stop()
		for {
			// Take the wake-up channel before reading, so an append committed during the read still wakes us
			// (only an append to a stream the filter's prefix admits: others have nothing for us).
			wake := s.notify.WaitPrefix(filter.StreamPrefix)
			events, next, full, err := s.poll(ctx, cursor, filter)
			if err != nil {
				if ctxErr := ctx.Err(); ctxErr != nil {
					yield(nil, ctxErr)
					return
				}
				yield(nil, fmt.Errorf("subscribe from %d: %w", cursor, err))
				return
			}
			cursor = next
			if len(events) > 0 && !yield(events, nil) {
				return
			}
			if full {
				continue
			}
			timer.Reset(s.cfg.PollInterval)
			select {
			case <-ctx.Done():
				yield(nil, ctx.Err())
				return
			case <-s.closed:
				yield(nil, fmt.Errorf("subscribe: %w", eventstore.ErrClosed))
				return
			case <-wake:
			case <-timer.C:
			}
		}
	}
}

// poll reads the next batch after cursor and returns the cursor to continue from and whether the batch
// was full (more may be waiting).
func (s *Store) poll(ctx context.Context, cursor uint64, filter eventstore.Filter) ([]eventstore.Event, uint64, bool, error) {
	if s.isClosed() {
		return nil, cursor, false, eventstore.ErrClosed
	}
	head, err := s.head(ctx)
	if err != nil {
		return nil, cursor, false, err
	}
	if uint64(head) <= cursor {
		return nil, cursor, false, nil
	}
	events, err := s.readRange(ctx, cursor, head, s.cfg.BatchSize, filter)
	if err != nil {
		return nil, cursor, false, err
	}
	if len(events) == s.cfg.BatchSize {
		return events, events[len(events)-1].Position.Global, true, nil
	}
	return events, uint64(head), false, nil
}

// scanEvents decodes and closes rows. sizeHint presizes the slice.
func scanEvents(ctx context.Context, rows *sql.Rows, sizeHint int) ([]eventstore.Event, error) {
	defer rows.Close()
	events := make([]eventstore.Event, 0, min(max(sizeHint, 0), 1024))
	// Scan into a *[]byte makes a fresh copy each row, so these can be shared by all rows.
	var (
		pos, recorded int64
		id, data      []byte
		occurred      sql.NullInt64
	)
	for rows.Next() {
		var ev eventstore.Event
		m := &ev.Metadata
		if err := rows.Scan(&pos, &id, &ev.StreamID, &ev.StreamVersion, &ev.Type, &data,
			&m.CorrelationID, &m.CausationID, &m.MessageID, &m.PartnerID, &m.Source, &m.Actor, &occurred, &recorded); err != nil {
			return nil, fmt.Errorf("decode event: %w", interpretError(ctx, err))
		}
		var err error
		if ev.ID, err = uuid.FromBytes(id); err != nil {
			return nil, fmt.Errorf("decode event at %d: id: %w", pos, err)
		}
		ev.Position = position(pos)
		if len(data) > 0 {
			ev.Data = json.RawMessage(data)
		}
		if occurred.Valid {
			m.OccurredAt = time.UnixMicro(occurred.Int64).UTC()
		}
		ev.RecordedAt = time.UnixMicro(recorded).UTC()
		events = append(events, ev)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read events: %w", interpretError(ctx, err))
	}
	return events, nil
}
