package archive

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"
)

// maxGroup bounds how many answers one commit carries.
const maxGroup = 128

// groupCommit writes answers on SQLite as fully synchronous commits shared by every answer waiting at
// the time: an answer must survive a power loss before the partner is told it, and with one writer an
// fsync per answer would cap ingest at the disk's fsync rate. Answers that arrive while a commit is being
// written wait for the next one, which carries them all. Since SQLite's write-ahead log is written in
// order, each such commit also makes durable everything committed before it — the archived bodies and the
// events they produced — even when the writer otherwise runs with synchronous=NORMAL.
//
// No goroutine outlives the queue: the one that drains it is started when an answer finds it idle and
// returns when it is empty.
type groupCommit struct {
	db *sql.DB

	mu       sync.Mutex
	queue    []*pendingAnswer
	draining bool
}

type pendingAnswer struct {
	ctx   context.Context
	query string
	args  []any
	rows  int64
	err   error
	done  chan struct{}
}

// exec runs the answer's update (query with args) in the next group commit and returns its rows
// affected.
func (g *groupCommit) exec(ctx context.Context, query string, args []any) (int64, error) {
	p := &pendingAnswer{ctx: ctx, query: query, args: args, done: make(chan struct{})}
	g.mu.Lock()
	g.queue = append(g.queue, p)
	if !g.draining {
		g.draining = true
		go g.drain()
	}
	g.mu.Unlock()
	<-p.done
	return p.rows, p.err
}

func (g *groupCommit) drain() {
	for {
		g.mu.Lock()
		n := min(len(g.queue), maxGroup)
		if n == 0 {
			g.draining = false
			g.mu.Unlock()
			return
		}
		batch := g.queue[:n:n]
		g.queue = g.queue[n:]
		g.mu.Unlock()
		err := g.commit(batch)
		for _, p := range batch {
			if err != nil && p.err == nil {
				p.err = err
			}
			close(p.done)
		}
	}
}

// commit writes one group in one transaction on the writer connection, with synchronous=FULL for it
// alone (the setting cannot change inside a transaction).
func (g *groupCommit) commit(batch []*pendingAnswer) (err error) {
	// The answers were archived after their messages were processed: cancelling a request must not
	// lose its answer, so the commit runs on its own.
	ctx := context.WithoutCancel(batch[0].ctx)
	conn, err := g.db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	var level int
	if err := conn.QueryRowContext(ctx, "PRAGMA synchronous").Scan(&level); err != nil {
		return err
	}
	const full = 2
	if level < full {
		if _, err := conn.ExecContext(ctx, "PRAGMA synchronous = FULL"); err != nil {
			return err
		}
		defer func() {
			if _, rerr := conn.ExecContext(ctx, fmt.Sprintf("PRAGMA synchronous = %d", level)); rerr != nil {
				err = errors.Join(err, rerr)
			}
		}()
	}
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			err = errors.Join(err, ignoreDone(tx.Rollback()))
		}
	}()
	stmts := map[string]*sql.Stmt{}
	defer func() {
		for _, st := range stmts {
			_ = st.Close()
		}
	}()
	for _, p := range batch {
		stmt, ok := stmts[p.query]
		if !ok {
			if stmt, err = tx.PrepareContext(ctx, p.query); err != nil {
				return err
			}
			stmts[p.query] = stmt
		}
		r, err := stmt.ExecContext(ctx, p.args...)
		if err == nil {
			p.rows, err = r.RowsAffected()
		}
		if err != nil {
			// One bad answer must not lose the others: it alone reports its error.
			p.err = err
		}
	}
	return tx.Commit()
}
