// Package projtest opens real event stores with their read-model databases for the projection tests,
// one per backend, and lets a test open the same location twice to play a second process.
package projtest

import (
	"context"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/stretchr/testify/require"

	"github.com/crossdock-hub/crossdock/eventstore"
	"github.com/crossdock-hub/crossdock/eventstore/postgres"
	"github.com/crossdock-hub/crossdock/eventstore/sqlite"
	"github.com/crossdock-hub/crossdock/internal/testdb"
	"github.com/crossdock-hub/crossdock/projections"
)

// BatchSize is small so that a few dozen events take several batches.
const BatchSize = 10

// Backend opens an event store and the database its read models live in.
type Backend struct {
	Name string
	// Location returns a fresh, empty place (a file path, a schema URL) for one test.
	Location func(t *testing.T) string
	// Open connects to location; calling it twice with the same location gives two independent
	// connections to the same data, as two processes would have. Everything is closed when t ends.
	Open func(t *testing.T, location string) (eventstore.Store, projections.Database)
}

// Backends returns SQLite and PostgreSQL.
func Backends() []Backend {
	return []Backend{
		{Name: "sqlite", Location: func(t *testing.T) string { return testdb.SQLitePath(t) }, Open: openSQLite},
		{Name: "postgres", Location: func(t *testing.T) string { return testdb.PostgresSchemaURL(t) }, Open: openPostgres},
	}
}

func openSQLite(t *testing.T, path string) (eventstore.Store, projections.Database) {
	t.Helper()
	s, err := sqlite.Open(context.Background(), path, sqlite.Config{BatchSize: BatchSize, PollInterval: 10 * time.Millisecond})
	require.NoError(t, err)
	t.Cleanup(func() { require.NoError(t, s.Close()) })
	return s, projections.Database{Dialect: projections.SQLite, Write: s.WriteDB(), Read: s.ReadDB()}
}

func openPostgres(t *testing.T, url string) (eventstore.Store, projections.Database) {
	t.Helper()
	pool, err := pgxpool.New(context.Background(), url)
	if err != nil {
		testdb.Unavailable(t, "PostgreSQL", err)
	}
	t.Cleanup(pool.Close)
	if err := pool.Ping(context.Background()); err != nil {
		testdb.Unavailable(t, "PostgreSQL", err)
	}
	s, err := postgres.New(pool, postgres.Config{BatchSize: BatchSize, PollInterval: 10 * time.Millisecond})
	require.NoError(t, err)
	require.NoError(t, s.Migrate(context.Background()))
	db := stdlib.OpenDBFromPool(pool)
	t.Cleanup(func() { require.NoError(t, db.Close()) })
	return s, projections.Database{Dialect: projections.Postgres, Write: db, Read: db}
}

// Logger sends log lines to t.Log.
func Logger(t testing.TB) *slog.Logger {
	return slog.New(slog.NewTextHandler(tWriter{t}, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

type tWriter struct{ t testing.TB }

func (w tWriter) Write(p []byte) (int, error) {
	w.t.Log(string(p))
	return len(p), nil
}

// Start runs r in the background until the returned stop is called (also at the end of the test);
// stop waits for Run to return and checks it returned nil.
func Start(t *testing.T, r *projections.Runner) (stop func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- r.Run(ctx) }()
	var stopped bool
	stop = func() {
		if stopped {
			return
		}
		stopped = true
		cancel()
		require.NoError(t, <-done)
	}
	t.Cleanup(stop)
	return stop
}

// WaitStatus waits until the named projection's status satisfies ok, and returns it.
func WaitStatus(t *testing.T, r *projections.Runner, name string, ok func(projections.Status) bool) projections.Status {
	t.Helper()
	var last projections.Status
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		statuses, err := r.Status(t.Context())
		require.NoError(t, err)
		for _, s := range statuses {
			if s.Name == name {
				last = s
			}
		}
		if ok(last) {
			return last
		}
		time.Sleep(10 * time.Millisecond)
	}
	require.FailNow(t, fmt.Sprintf("projection %s never reached the expected status; last: %+v", name, last))
	return last
}

// Live reports a live status at the given head.
func Live(head eventstore.Position) func(projections.Status) bool {
	return func(s projections.Status) bool { return s.State == projections.Live && s.Checkpoint == head }
}

// Head returns the store's head.
func Head(t *testing.T, s eventstore.Store) eventstore.Position {
	t.Helper()
	h, err := s.Head(t.Context())
	require.NoError(t, err)
	return h
}

// Interleave shuffles events across streams while keeping each stream's own order, as a log written by
// many partners at once would hold them: the arrival orders a projection must give the same rows for.
func Interleave(rng *rand.Rand, events []eventstore.Event) []eventstore.Event {
	queues := map[string][]eventstore.Event{}
	var streams []string
	for _, e := range events {
		if _, ok := queues[e.StreamID]; !ok {
			streams = append(streams, e.StreamID)
		}
		queues[e.StreamID] = append(queues[e.StreamID], e)
	}
	out := make([]eventstore.Event, 0, len(events))
	for len(streams) > 0 {
		i := rng.IntN(len(streams))
		s := streams[i]
		out = append(out, queues[s][0])
		if queues[s] = queues[s][1:]; len(queues[s]) == 0 {
			streams = append(streams[:i], streams[i+1:]...)
		}
	}
	return out
}
