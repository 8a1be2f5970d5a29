package postgres

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/crossdock-hub/crossdock/eventstore"
)

// copyMinEvents is the batch size from which Append writes events with COPY instead of one INSERT
// statement. COPY inserts rows far more cheaply on both ends than unnesting parameter arrays, but costs
// more round trips (two for Exact and NoStream, appendCopyOnce; four for Any, appendCopy). Measured with
// bench/storebench, 100-event appends went from about 0.45 of a raw COPY into a bare table to about 0.5
// with appendCopy, and to 0.66-0.79 with appendCopyOnce and batch-local event IDs. The threshold itself
// was not measured: small batches keep the one-round-trip statement, whose array encoding only grows
// costly with many rows.
const copyMinEvents = 16

// copyColumns are the columns Append copies; tx_id, position and recorded_at take their defaults.
var copyColumns = []string{"id", "stream_id", "stream_version", "type", "data", "correlation_id",
	"causation_id", "message_id", "partner_id", "source", "actor", "occurred_at"}

// copyStreamSQL holds, per expected-version kind, the statement that returns the version the stream is
// at before the append (no row: an Exact stream not at the expected version). It is the first statement
// of the COPY path's transaction and only reads; the COPY's rows then meet the events_stream index as the
// append statement's do. Parameters: Any $1 stream; NoStream none; Exact $1 stream, $2 expected version.
var copyStreamSQL = [3]string{
	appendWith + appendBaseAny + `) SELECT base FROM s`,
	appendWith + appendBaseNew + `) SELECT base FROM s`,
	appendWith + strings.ReplaceAll(appendBaseExact, "$12", "$2") + `) SELECT base FROM s`,
}

// copyResultSQL reads where the transaction left the log: its ID and the last position this session
// took, which is the append's last event (nextval is per session, and the connection is ours).
const copyResultSQL = `SELECT pg_current_xact_id(), currval(pg_get_serial_sequence('events', 'position'))`

// rollbackTimeout bounds the ROLLBACK of a failed COPY transaction, which runs even when the append's
// context is done.
const rollbackTimeout = 5 * time.Second

// checkBatch is the client-side check of a bulk append. The JSON of the data is left to the server
// (jsonb input rejects what is not JSON, and translate reports it as ErrInvalidEvent): parsing every
// payload twice would be most of the client's work.
func checkBatch(events []eventstore.EventData) error {
	seen := make(map[uuid.UUID]struct{}, len(events))
	for _, e := range events {
		if e.ID == uuid.Nil || e.Type == "" {
			return e.Validate()
		}
		if _, dup := seen[e.ID]; dup {
			return fmt.Errorf("%w %s: appears twice in one append", eventstore.ErrInvalidEvent, e.ID)
		}
		seen[e.ID] = struct{}{}
	}
	return nil
}

// appendCopy appends a batch in an explicit transaction whose events are written with COPY. It reports
// n = 0 when an Exact stream was not at the expected version; a version another writer took fails the
// COPY on events_stream. hook, when not nil, runs before COMMIT. It
// serves Any, whose stream versions only the server knows, and the tests' held appends; other batches
// take appendCopyOnce.
func (s *Store) appendCopy(ctx context.Context, stream string, kind int, events []eventstore.EventData, expected int64, hook func(string)) (n, version, global int64, commit uint64, err error) {
	conn, err := s.pool.Acquire(ctx)
	if err != nil {
		return 0, 0, 0, 0, err
	}
	defer conn.Release()
	committed := false
	defer func() {
		if !committed {
			rollback(conn)
		}
	}()

	var params []any
	switch kind {
	case 0:
		params = []any{stream}
	case 2:
		params = []any{stream, expected}
	}
	begin := &pgx.Batch{}
	begin.Queue("BEGIN")
	begin.Queue(copyStreamSQL[kind], params...)
	br := conn.SendBatch(ctx, begin)
	var base int64
	_, err = br.Exec()
	if err == nil {
		err = br.QueryRow().Scan(&base)
	}
	if cerr := br.Close(); err == nil {
		err = cerr
	}
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, 0, 0, 0, nil
	}
	if err != nil {
		return 0, 0, 0, 0, err
	}

	if _, err := conn.CopyFrom(ctx, pgx.Identifier{"events"}, copyColumns, &copyRows{stream: stream, base: base, events: events, i: -1}); err != nil {
		return 0, 0, 0, 0, err
	}
	if hook != nil {
		if err := conn.QueryRow(ctx, copyResultSQL).Scan(&commit, &global); err != nil {
			return 0, 0, 0, 0, fmt.Errorf("read appended position: %w", err)
		}
		hook(stream)
		if _, err := conn.Exec(ctx, "COMMIT"); err != nil {
			return 0, 0, 0, 0, err
		}
	} else {
		// The result query and COMMIT go in one round trip.
		end := &pgx.Batch{}
		end.Queue(copyResultSQL)
		end.Queue("COMMIT")
		br := conn.SendBatch(ctx, end)
		err := br.QueryRow().Scan(&commit, &global)
		if err == nil {
			_, err = br.Exec()
		}
		if cerr := br.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return 0, 0, 0, 0, err
		}
	}
	committed = true
	return int64(len(events)), base + int64(len(events)), global, commit, nil
}

// copyRows feeds COPY straight from the events, one reused row buffer at a time (pgx encodes a row
// before it asks for the next).
type copyRows struct {
	stream string
	base   int64
	events []eventstore.EventData
	i      int
	row    [12]any
}

func (r *copyRows) Next() bool {
	r.i++
	return r.i < len(r.events)
}

func (r *copyRows) Values() ([]any, error) {
	e := &r.events[r.i]
	m := &e.Metadata
	r.row[0] = e.ID
	r.row[1] = r.stream
	r.row[2] = r.base + int64(r.i) + 1
	r.row[3] = e.Type
	r.row[4] = nullJSON(e.Data)
	r.row[5] = nullText(m.CorrelationID)
	r.row[6] = nullText(m.CausationID)
	r.row[7] = nullText(m.MessageID)
	r.row[8] = nullText(m.PartnerID)
	r.row[9] = nullText(m.Source)
	r.row[10] = nullText(m.Actor)
	if m.OccurredAt.IsZero() {
		r.row[11] = nil
	} else {
		r.row[11] = m.OccurredAt
	}
	return r.row[:], nil
}

func (r *copyRows) Err() error { return nil }

// rollback ends a failed transaction so the connection goes back to the pool clean. A connection that
// cannot even roll back is closed rather than reused.
func rollback(conn *pgxpool.Conn) {
	ctx, cancel := context.WithTimeout(context.Background(), rollbackTimeout)
	defer cancel()
	if _, err := conn.Exec(ctx, "ROLLBACK"); err != nil {
		_ = conn.Conn().Close(ctx)
	}
}

func nullText(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func nullJSON(b []byte) any {
	if len(b) == 0 {
		return nil
	}
	return b
}
