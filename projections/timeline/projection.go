package timeline

import (
	"context"
	"database/sql"
	"embed"
	"encoding/json"
	"fmt"

	"github.com/crossdock-hub/crossdock/eventstore"
	"github.com/crossdock-hub/crossdock/projections"
)

// Name is the timeline projection's name (its checkpoint key and its tables' base name).
const Name = "timeline"

// version is bumped whenever the tables or what Apply writes change; the runner then reports that a
// rebuild is due.
const version = 1

//go:embed sql
var sqlFiles embed.FS

var queries = projections.MustLoadQueries(sqlFiles, "sql", "timeline.sql")

// Projection writes the timeline tables. It handles every event.
type Projection struct{}

// NewProjection returns the timeline projection, to register with a projections.Runner.
func NewProjection() *Projection { return &Projection{} }

// Name implements projections.Projection.
func (*Projection) Name() string { return Name }

// Version implements projections.Projection.
func (*Projection) Version() int { return version }

// Filter implements projections.Projection: the timeline shows every event.
func (*Projection) Filter() eventstore.Filter { return eventstore.Filter{} }

// Tables implements projections.Projection.
func (*Projection) Tables() []string { return []string{"timeline", "timeline_refs"} }

// Schema implements projections.Projection.
func (*Projection) Schema(t projections.Tables) ([]string, error) {
	q, ok := queries[t.Dialect]
	if !ok {
		return nil, fmt.Errorf("timeline: unsupported dialect %q", t.Dialect)
	}
	stmts := q.Statements("schema")
	for i, s := range stmts {
		stmts[i] = t.Expand(s)
	}
	return stmts, nil
}

// Apply implements projections.Projection: one entry and its references per event.
func (*Projection) Apply(ctx context.Context, tx *sql.Tx, t projections.Tables, events []eventstore.Event) error {
	q, ok := queries[t.Dialect]
	if !ok {
		return fmt.Errorf("timeline: unsupported dialect %q", t.Dialect)
	}
	insertEntry, err := tx.PrepareContext(ctx, t.Expand(q["insert_entry"]))
	if err != nil {
		return fmt.Errorf("prepare timeline insert: %w", err)
	}
	defer insertEntry.Close()
	insertRef, err := tx.PrepareContext(ctx, t.Expand(q["insert_reference"]))
	if err != nil {
		return fmt.Errorf("prepare timeline reference insert: %w", err)
	}
	defer insertRef.Close()

	for _, ev := range events {
		refs := ExtractReferences(ev.Data)
		refsJSON, err := json.Marshal(refsOrEmpty(refs))
		if err != nil {
			return fmt.Errorf("encode references of %s: %w", ev.ID, err)
		}
		var data any
		if len(ev.Data) > 0 {
			data = string(ev.Data)
		}
		c, g := int64(ev.Position.Commit), int64(ev.Position.Global)
		m := ev.Metadata
		if _, err := insertEntry.ExecContext(ctx, c, g, ev.ID.String(), ev.StreamID, ev.StreamVersion, ev.Type,
			t.Dialect.TimeArg(m.OccurredAt), t.Dialect.TimeArg(ev.RecordedAt), m.CorrelationID, m.CausationID,
			m.MessageID, m.PartnerID, m.Source, string(refsJSON), data); err != nil {
			return fmt.Errorf("insert timeline entry %s at %s: %w", ev.ID, ev.Position, err)
		}
		for _, ref := range refs {
			if _, err := insertRef.ExecContext(ctx, ref.Value, ref.Kind, c, g); err != nil {
				return fmt.Errorf("insert reference %s=%s of %s: %w", ref.Kind, ref.Value, ev.ID, err)
			}
		}
	}
	return nil
}

func refsOrEmpty(refs []Reference) []Reference {
	if refs == nil {
		return []Reference{}
	}
	return refs
}
