package archive

import (
	"database/sql"
	"path/filepath"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"
	_ "modernc.org/sqlite"
)

// Concurrent answers share commits; a bad one fails alone; the writer's synchronous setting is back to
// what it was after each commit.
func TestGroupCommitSharesCommitsAndKeepsTheSetting(t *testing.T) {
	db, err := sql.Open("sqlite", "file:"+filepath.Join(t.TempDir(), "g.db")+"?_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)")
	require.NoError(t, err)
	t.Cleanup(func() { _ = db.Close() })
	db.SetMaxOpenConns(1)
	_, err = db.Exec(`CREATE TABLE answer (id INTEGER PRIMARY KEY, status TEXT NOT NULL CHECK (status != 'bad'))`)
	require.NoError(t, err)
	for i := range 50 {
		_, err := db.Exec(`INSERT INTO answer (id, status) VALUES (?, 'received')`, i)
		require.NoError(t, err)
	}
	g := &groupCommit{db: db}
	const update = `UPDATE answer SET status = ? WHERE id = ?`

	var wg sync.WaitGroup
	rows := make([]int64, 50)
	errs := make([]error, 50)
	for i := range 50 {
		wg.Go(func() {
			status := "accepted"
			if i == 7 {
				status = "bad" // violates the CHECK: this answer alone fails
			}
			rows[i], errs[i] = g.exec(t.Context(), update, []any{status, i})
		})
	}
	wg.Wait()
	for i := range 50 {
		if i == 7 {
			require.Error(t, errs[i])
			continue
		}
		require.NoError(t, errs[i], "answer %d", i)
		require.Equal(t, int64(1), rows[i], "answer %d", i)
	}
	var accepted int
	require.NoError(t, db.QueryRow(`SELECT count(*) FROM answer WHERE status = 'accepted'`).Scan(&accepted))
	require.Equal(t, 49, accepted)
	var level int
	require.NoError(t, db.QueryRow(`PRAGMA synchronous`).Scan(&level))
	require.Equal(t, 1, level, "NORMAL again after the FULL commits")
	n, err := g.exec(t.Context(), update, []any{"accepted", 999})
	require.NoError(t, err)
	require.Zero(t, n, "no such row")
}
