package projections

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestParseQueriesAndStatements(t *testing.T) {
	q, err := ParseQueries("-- header\n-- name: one\nSELECT 1;\n-- name: two\n-- why\nCREATE TABLE a (x int);\nCREATE INDEX b ON a (x);\n")
	require.NoError(t, err)
	require.Equal(t, "SELECT 1;", q["one"])
	require.Equal(t, []string{"-- why\nCREATE TABLE a (x int);", "CREATE INDEX b ON a (x);"}, q.Statements("two"))
	_, err = ParseQueries("-- name: a\nx\n-- name: a\ny\n")
	require.Error(t, err)
}

func TestTablesExpand(t *testing.T) {
	tables := Tables{Dialect: Postgres, Generation: 3}
	require.Equal(t, "SELECT * FROM timeline_g3 t JOIN timeline_refs_g3 r ON $1", tables.Expand("SELECT * FROM {{timeline}} t JOIN {{timeline_refs}} r ON "+Postgres.Placeholder(1)))
	require.Equal(t, "?2", SQLite.Placeholder(2))
}

func TestConfigValidate(t *testing.T) {
	require.NoError(t, Config{}.Validate())
	require.ErrorContains(t, Config{RetryDelay: -time.Second}.Validate(), "RetryDelay -1s is negative")
	err := Database{Dialect: "mysql"}.Validate()
	require.ErrorContains(t, err, `unknown SQL dialect "mysql"`)
	require.ErrorContains(t, err, "no Write database")
	require.ErrorContains(t, err, "no Read database")
	_, err = New(nil, Database{Dialect: SQLite}, Config{})
	require.ErrorContains(t, err, "no event store")
}
