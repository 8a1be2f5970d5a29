package timeline

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"github.com/crossdock-hub/crossdock/eventstore"
	"github.com/crossdock-hub/crossdock/projections"
)

// batch is a batch of events as timeline rows, written with one statement per table whatever the batch's
// size: on PostgreSQL a statement per row cost a round trip per row, several per event with its
// references.
type batch struct {
	events []eventstore.Event
	// refs holds each event's references as shown (JSON), by event.
	refs []string
	// The references' rows, one element per reference.
	refValues, refKinds    []string
	refCommits, refGlobals []int64
}

func newBatch(n int) *batch {
	return &batch{events: make([]eventstore.Event, 0, n), refs: make([]string, 0, n)}
}

// add adds the entry of ev and its references.
func (b *batch) add(ev eventstore.Event) error {
	refs := ExtractReferences(ev.Data)
	refsJSON, err := json.Marshal(refsOrEmpty(refs))
	if err != nil {
		return fmt.Errorf("encode references of %s: %w", ev.ID, err)
	}
	b.events = append(b.events, ev)
	b.refs = append(b.refs, string(refsJSON))
	for _, ref := range refs {
		b.refValues = append(b.refValues, ref.Value)
		b.refKinds = append(b.refKinds, ref.Kind)
		b.refCommits = append(b.refCommits, int64(ev.Position.Commit))
		b.refGlobals = append(b.refGlobals, int64(ev.Position.Global))
	}
	return nil
}

// encodedBatch is a batch encoded as its statements' arguments.
type encodedBatch struct {
	entries, refs []any
	n, nRefs      int
	first, last   eventstore.Position
}

// encode returns the batch's arguments for the dialect.
func (b *batch) encode(d projections.Dialect) (*encodedBatch, error) {
	e := &encodedBatch{n: len(b.events), nRefs: len(b.refValues)}
	if e.n == 0 {
		return e, nil
	}
	e.first, e.last = b.events[0].Position, b.events[e.n-1].Position
	if d == projections.Postgres {
		e.entries, e.refs = b.columns()
		return e, nil
	}
	var err error
	e.entries, e.refs, err = b.jsonRows(d)
	return e, err
}

// insert writes the batch's entries and references in tx.
func (e *encodedBatch) insert(ctx context.Context, tx *sql.Tx, t projections.Tables, q projections.Queries) error {
	if e.n == 0 {
		return nil
	}
	if _, err := tx.ExecContext(ctx, t.Expand(q["insert_entries"]), e.entries...); err != nil {
		return fmt.Errorf("insert %d timeline entries from %s to %s: %w", e.n, e.first, e.last, err)
	}
	if e.nRefs == 0 {
		return nil
	}
	if _, err := tx.ExecContext(ctx, t.Expand(q["insert_references"]), e.refs...); err != nil {
		return fmt.Errorf("insert %d timeline references from %s to %s: %w", e.nRefs, e.first, e.last, err)
	}
	return nil
}

// columns returns the arguments of PostgreSQL's statements: one array per column.
func (b *batch) columns() (entries, refs []any) {
	n := len(b.events)
	var (
		commits, globals, versions = make([]int64, n), make([]int64, n), make([]int64, n)
		ids, streams, types        = make([]string, n), make([]string, n), make([]string, n)
		occurred, recorded         = make([]*time.Time, n), make([]time.Time, n)
		corr, caus, msgs           = make([]string, n), make([]string, n), make([]string, n)
		partners, sources          = make([]string, n), make([]string, n)
		data                       = make([]*string, n)
	)
	for i, ev := range b.events {
		m := ev.Metadata
		commits[i], globals[i], versions[i] = int64(ev.Position.Commit), int64(ev.Position.Global), ev.StreamVersion
		ids[i], streams[i], types[i] = ev.ID.String(), ev.StreamID, ev.Type
		if !m.OccurredAt.IsZero() {
			at := m.OccurredAt.UTC()
			occurred[i] = &at
		}
		recorded[i] = ev.RecordedAt.UTC()
		corr[i], caus[i], msgs[i], partners[i], sources[i] = m.CorrelationID, m.CausationID, m.MessageID, m.PartnerID, m.Source
		if len(ev.Data) > 0 {
			d := string(ev.Data)
			data[i] = &d
		}
	}
	entries = []any{commits, globals, ids, streams, versions, types, occurred, recorded, corr, caus, msgs,
		partners, sources, b.refs, data}
	refs = []any{b.refValues, b.refKinds, b.refCommits, b.refGlobals}
	return entries, refs
}

// jsonRows returns the arguments of SQLite's statements: a JSON array of rows for each.
func (b *batch) jsonRows(d projections.Dialect) (entries, refs []any, err error) {
	rows := make([][15]any, len(b.events))
	for i, ev := range b.events {
		m := ev.Metadata
		var data any
		if len(ev.Data) > 0 {
			data = string(ev.Data)
		}
		rows[i] = [15]any{int64(ev.Position.Commit), int64(ev.Position.Global), ev.ID.String(), ev.StreamID,
			ev.StreamVersion, ev.Type, d.TimeArg(m.OccurredAt), d.TimeArg(ev.RecordedAt), m.CorrelationID,
			m.CausationID, m.MessageID, m.PartnerID, m.Source, b.refs[i], data}
	}
	entriesJSON, err := json.Marshal(rows)
	if err != nil {
		return nil, nil, fmt.Errorf("encode timeline entries: %w", err)
	}
	refRows := make([][4]any, len(b.refValues))
	for i := range refRows {
		refRows[i] = [4]any{b.refValues[i], b.refKinds[i], b.refCommits[i], b.refGlobals[i]}
	}
	refsJSON, err := json.Marshal(refRows)
	if err != nil {
		return nil, nil, fmt.Errorf("encode timeline references: %w", err)
	}
	return []any{string(entriesJSON)}, []any{string(refsJSON)}, nil
}
