package timeline

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/crossdock-hub/crossdock/eventstore"
	"github.com/crossdock-hub/crossdock/projections"
)

// Page sizes.
const (
	DefaultFirst = 50
	MaxFirst     = 500
)

// ErrInvalidQuery means a Query cannot be answered as asked (a malformed cursor, a negative page size).
var ErrInvalidQuery = errors.New("timeline: invalid query")

// Reader answers timeline queries from the active generation.
type Reader struct {
	db     *sql.DB
	tables projections.TableResolver
}

// NewReader returns a reader over the timeline in db (its Read pool serves the queries).
func NewReader(db projections.Database, tables projections.TableResolver) (*Reader, error) {
	if err := projections.CheckReader(db, tables); err != nil {
		return nil, fmt.Errorf("timeline reader: %w", err)
	}
	return &Reader{db: db.Read, tables: tables}, nil
}

// Timeline returns one page of the entries matching q, in global order. Filters combine with AND.
func (r *Reader) Timeline(ctx context.Context, q Query) (Page, error) {
	first := q.First
	switch {
	case first < 0:
		return Page{}, fmt.Errorf("%w: first %d is negative", ErrInvalidQuery, first)
	case first == 0:
		first = DefaultFirst
	case first > MaxFirst:
		first = MaxFirst
	}
	after, err := eventstore.ParsePosition(q.After)
	if err != nil {
		return Page{}, fmt.Errorf("%w: cursor: %w", ErrInvalidQuery, err)
	}
	var page Page
	err = projections.OnActive(ctx, r.tables, Name, func(t projections.Tables) (err error) {
		page, err = r.page(ctx, t, q, after, first)
		return err
	})
	if err != nil {
		return Page{}, fmt.Errorf("timeline: %w", err)
	}
	return page, nil
}

func (r *Reader) page(ctx context.Context, t projections.Tables, q Query, after eventstore.Position, first int) (Page, error) {
	d := t.Dialect
	var where []string
	var args []any
	arg := func(v any) string {
		args = append(args, v)
		return d.Placeholder(len(args))
	}
	if q.CorrelationID != "" {
		where = append(where, "t.correlation_id = "+arg(q.CorrelationID))
	}
	if q.StreamID != "" {
		where = append(where, "t.stream_id = "+arg(q.StreamID))
	}
	if q.Reference != "" {
		where = append(where, t.Expand("EXISTS (SELECT 1 FROM {{timeline_refs}} r WHERE r.value = "+arg(q.Reference)+
			" AND r.commit_pos = t.commit_pos AND r.global_pos = t.global_pos)"))
	}
	if !after.IsZero() {
		where = append(where, fmt.Sprintf("(t.commit_pos, t.global_pos) > (%s, %s)", arg(int64(after.Commit)), arg(int64(after.Global))))
	}
	var sb strings.Builder
	sb.WriteString(t.Expand(queries[d]["select_entries"]))
	if len(where) > 0 {
		sb.WriteString("\nWHERE ")
		sb.WriteString(strings.Join(where, " AND "))
	}
	// One more than asked tells whether there is a next page without a count.
	fmt.Fprintf(&sb, "\nORDER BY t.commit_pos, t.global_pos LIMIT %d", first+1)

	rows, err := r.db.QueryContext(ctx, sb.String(), args...)
	if err != nil {
		return Page{}, fmt.Errorf("query timeline generation %d: %w", t.Generation, err)
	}
	defer rows.Close()
	var page Page
	for rows.Next() {
		e, err := scanEntry(rows)
		if err != nil {
			return Page{}, err
		}
		page.Entries = append(page.Entries, e)
	}
	if err := rows.Err(); err != nil {
		return Page{}, fmt.Errorf("query timeline generation %d: %w", t.Generation, err)
	}
	if len(page.Entries) > first {
		page.Entries = page.Entries[:first]
		page.HasNextPage = true
	}
	if n := len(page.Entries); n > 0 {
		page.EndCursor = page.Entries[n-1].Cursor
	}
	return page, nil
}

func scanEntry(rows *sql.Rows) (Entry, error) {
	var e Entry
	var commit, global int64
	var occurred, recorded projections.NullTime
	var refs string
	var data sql.NullString
	if err := rows.Scan(&commit, &global, &e.EventID, &e.StreamID, &e.StreamVersion, &e.Type, &occurred, &recorded,
		&e.CorrelationID, &e.CausationID, &e.MessageID, &e.PartnerID, &e.Source, &refs, &data); err != nil {
		return Entry{}, fmt.Errorf("scan timeline entry: %w", err)
	}
	pos := eventstore.Position{Commit: uint64(commit), Global: uint64(global)}
	e.Position = pos.String()
	e.Cursor = e.Position
	e.OccurredAt, e.RecordedAt = occurred.Time, recorded.Time
	if err := json.Unmarshal([]byte(refs), &e.References); err != nil {
		return Entry{}, fmt.Errorf("decode references of %s: %w", e.EventID, err)
	}
	if data.Valid {
		e.Data = json.RawMessage(data.String)
	}
	return e, nil
}

// ExceptionCount counts one partner's exception events of one type.
type ExceptionCount struct {
	PartnerID, Type string
	Count           int
	LastRecordedAt  time.Time
}

// Exceptions counts the exception events (*.exception_raised.v1) recorded since an instant, by partner
// and type (partnerID "" for every partner). It reads the whole window of the timeline: it is for a
// health page, not for a hot path.
func (r *Reader) Exceptions(ctx context.Context, since time.Time, partnerID string) ([]ExceptionCount, error) {
	var out []ExceptionCount
	err := projections.OnActive(ctx, r.tables, Name, func(t projections.Tables) error {
		out = nil
		q, ok := queries[t.Dialect]
		if !ok {
			return fmt.Errorf("timeline: unsupported dialect %q", t.Dialect)
		}
		since := t.Dialect.TimeArg(since)
		if since == nil {
			since = t.Dialect.TimeArg(time.Unix(0, 0))
		}
		rows, err := r.db.QueryContext(ctx, t.Expand(q["count_exceptions"]), since, partnerID)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var c ExceptionCount
			var last projections.NullTime
			if err := rows.Scan(&c.PartnerID, &c.Type, &c.Count, &last); err != nil {
				return err
			}
			c.LastRecordedAt = last.Time
			out = append(out, c)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("timeline exceptions: %w", err)
	}
	return out, nil
}
