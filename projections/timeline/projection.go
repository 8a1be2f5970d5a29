package timeline

import (
	"context"
	"database/sql"
	"embed"
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
	return projections.SchemaFor(queries, t)
}

// Apply implements projections.Projection: one entry and its references per event.
func (p *Projection) Apply(ctx context.Context, tx *sql.Tx, t projections.Tables, events []eventstore.Event) error {
	prepared, err := p.PrepareBatch(t, events)
	if err != nil {
		return err
	}
	return p.ApplyPrepared(ctx, tx, t, prepared)
}

// PrepareBatch implements projections.BatchPreparer: the events' rows, encoded as the statements take
// them.
func (*Projection) PrepareBatch(t projections.Tables, events []eventstore.Event) (any, error) {
	if _, ok := queries[t.Dialect]; !ok {
		return nil, fmt.Errorf("timeline: unsupported dialect %q", t.Dialect)
	}
	b := newBatch(len(events))
	for _, ev := range events {
		if err := b.add(ev); err != nil {
			return nil, err
		}
	}
	return b.encode(t.Dialect)
}

// ApplyPrepared implements projections.BatchPreparer: one statement per table.
func (*Projection) ApplyPrepared(ctx context.Context, tx *sql.Tx, t projections.Tables, prepared any) error {
	q, ok := queries[t.Dialect]
	if !ok {
		return fmt.Errorf("timeline: unsupported dialect %q", t.Dialect)
	}
	rows, ok := prepared.(*encodedBatch)
	if !ok {
		return fmt.Errorf("timeline: prepared batch is a %T", prepared)
	}
	return rows.insert(ctx, tx, t, q)
}

func refsOrEmpty(refs []Reference) []Reference {
	if refs == nil {
		return []Reference{}
	}
	return refs
}
