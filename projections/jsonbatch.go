package projections

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
)

// JSONBatch runs a projection's named statements inside a batch's transaction, each taking the batch's
// rows (or keys) as one JSON array: one round trip per table per batch, however many events the batch
// holds. The statements unpack the array themselves (jsonb_to_recordset on PostgreSQL, json_each on
// SQLite).
type JSONBatch struct {
	Ctx     context.Context
	Tx      *sql.Tx
	Tables  Tables
	Queries Queries
}

// Exec runs the statement name with rows encoded as its one argument.
func (b JSONBatch) Exec(name string, rows any) error {
	arg, err := json.Marshal(rows)
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	if _, err := b.Tx.ExecContext(b.Ctx, b.Tables.Expand(b.Queries[name]), string(arg)); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	return nil
}

// Query runs the query name with rows encoded as its one argument and scans each result row.
func (b JSONBatch) Query(name string, rows any, scan func(*sql.Rows) error) error {
	arg, err := json.Marshal(rows)
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	rs, err := b.Tx.QueryContext(b.Ctx, b.Tables.Expand(b.Queries[name]), string(arg))
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	defer rs.Close()
	for rs.Next() {
		if err := scan(rs); err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
	}
	return rs.Err()
}

// SchemaFor returns the "schema" section of the dialect's queries with the generation's table names:
// what a projection's Schema returns.
func SchemaFor(queries map[Dialect]Queries, t Tables) ([]string, error) {
	q, ok := queries[t.Dialect]
	if !ok {
		return nil, fmt.Errorf("unsupported dialect %q", t.Dialect)
	}
	stmts := q.Statements("schema")
	for i, s := range stmts {
		stmts[i] = t.Expand(s)
	}
	return stmts, nil
}
