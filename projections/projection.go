package projections

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"sync"

	"github.com/crossdock-hub/crossdock/eventstore"
)

// Dialect names the SQL dialect of the database read models live in.
type Dialect string

// The supported dialects.
const (
	SQLite   Dialect = "sqlite"
	Postgres Dialect = "postgres"
)

// Validate reports an unknown dialect.
func (d Dialect) Validate() error {
	switch d {
	case SQLite, Postgres:
		return nil
	default:
		return fmt.Errorf("unknown SQL dialect %q (want %q or %q)", d, SQLite, Postgres)
	}
}

// Placeholder returns the n-th (1-based) bind parameter of the dialect: $n on PostgreSQL, ?n on SQLite.
func (d Dialect) Placeholder(n int) string {
	if d == Postgres {
		return "$" + strconv.Itoa(n)
	}
	return "?" + strconv.Itoa(n)
}

// Database is where read models live.
type Database struct {
	Dialect Dialect
	// Write takes every read-model and checkpoint write. On SQLite it must be the store's single writer
	// pool (sqlite.Store.WriteDB), since the file has one writer.
	Write *sql.DB
	// Read serves queries. It may be the same pool as Write.
	Read *sql.DB
}

// Validate reports every problem with d.
func (d Database) Validate() error {
	var problems []error
	if err := d.Dialect.Validate(); err != nil {
		problems = append(problems, err)
	}
	if d.Write == nil {
		problems = append(problems, errors.New("no Write database"))
	}
	if d.Read == nil {
		problems = append(problems, errors.New("no Read database"))
	}
	return errors.Join(problems...)
}

// Tables names one generation of a projection's tables in one dialect.
type Tables struct {
	Dialect    Dialect
	Generation int
}

// Name returns the name of base's table in this generation, e.g. "timeline_g2".
func (t Tables) Name(base string) string {
	return base + "_g" + strconv.Itoa(t.Generation)
}

var tableRef = regexp.MustCompile(`\{\{([a-z_][a-z0-9_]*)\}\}`)

// Expand replaces each {{base}} in query with Name(base). Projections expand their statements for every
// batch, so the results are kept: the statements are constants, and generations few.
func (t Tables) Expand(query string) string {
	k := expandKey{t, query}
	if v, ok := expanded.Load(k); ok {
		return v.(string)
	}
	out := tableRef.ReplaceAllStringFunc(query, func(m string) string {
		return t.Name(m[2 : len(m)-2])
	})
	expanded.Store(k, out)
	return out
}

type expandKey struct {
	t     Tables
	query string
}

var expanded sync.Map // expandKey → string

// Projection is a read model the runner keeps up to date.
type Projection interface {
	// Name identifies the projection: it keys its rows in projection_state and is what Rebuild and
	// ActiveTables take.
	Name() string
	// Version is the version of the projection's schema and apply logic. The runner records the version
	// each generation was built with; bumping it is the signal that a rebuild is due (see
	// Runner.Run and Status.NeedsRebuild).
	Version() int
	// Filter selects the events Apply receives.
	Filter() eventstore.Filter
	// Schema returns the statements that create one generation of the projection's tables.
	Schema(t Tables) ([]string, error)
	// Tables returns the base names of the projection's tables, so that a retired generation can be
	// dropped.
	Tables() []string
	// Apply writes the effect of events, in global order, inside tx. It must not commit or roll back tx
	// and must not use any other connection: the runner commits the events together with the checkpoint.
	Apply(ctx context.Context, tx *sql.Tx, t Tables, events []eventstore.Event) error
}

// BatchPreparer is implemented by a projection whose Apply has work that needs no database: decoding the
// events, encoding the rows. The runner calls PrepareBatch before it begins the batch's transaction and
// ApplyPrepared, with what PrepareBatch returned, instead of Apply inside it, so that the transaction (on
// SQLite, the file's one writer) is held for the writes alone.
type BatchPreparer interface {
	PrepareBatch(t Tables, events []eventstore.Event) (any, error)
	ApplyPrepared(ctx context.Context, tx *sql.Tx, t Tables, prepared any) error
}

// ErrWait is matched (errors.Is) by a Reactor's error that is no fault: what it needs is not there yet
// (another system down, a view it reads behind the log). The batch is tried again after RetryDelay, as
// after any failure, and the wait is logged as a warning rather than an error.
var ErrWait = errors.New("waiting")

// Reactor is implemented by a projection whose work is outside the database: a workflow that calls
// another system and records what it answered through commands. The runner calls React with the batch's
// events before the batch's transaction, which then only moves the checkpoint (Apply gets nothing to
// write). A React that fails leaves the checkpoint where it was, and the batch is tried again after
// RetryDelay: what it did for the batch's first events is done again, so React must be idempotent. A
// rebuild of a reactor runs React over the whole log again: a re-drive.
type Reactor interface {
	React(ctx context.Context, events []eventstore.Event) error
}

// Change is one row of a read model as a batch left it. The runner publishes a projection's changes after
// each batch applied to its serving generation commits (Config.Changes): GraphQL subscriptions and message
// topics carry them to whoever follows the view.
type Change struct {
	Projection string `json:"projection"`
	// Kind names the row type within the projection, e.g. "purchase_order_line".
	Kind string `json:"kind"`
	// Key identifies the row within Kind, e.g. "P00042/1".
	Key string `json:"key"`
	// Row is the row as the view serves it, as JSON.
	Row json.RawMessage `json:"row"`
	// Position is the log position the batch reached: changes of one row come in its order.
	Position eventstore.Position `json:"position"`
}

// ChangeReporter is implemented by a projection whose rows make a change feed: ApplyChanges does what
// Apply does and also returns the rows the batch changed.
type ChangeReporter interface {
	ApplyChanges(ctx context.Context, tx *sql.Tx, t Tables, events []eventstore.Event) ([]Change, error)
}

// ChangePublisher receives the changes of each batch applied to a serving generation, after its commit.
type ChangePublisher interface {
	PublishChanges(ctx context.Context, changes []Change) error
}
