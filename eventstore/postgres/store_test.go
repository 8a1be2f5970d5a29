package postgres_test

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/crossdock-hub/crossdock/eventstore"
	"github.com/crossdock-hub/crossdock/eventstore/eventstoretest"
	"github.com/crossdock-hub/crossdock/eventstore/postgres"
	"github.com/crossdock-hub/crossdock/internal/testdb"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

// testLogger sends the store's log lines to t.Log.
func testLogger(t testing.TB) *slog.Logger {
	return slog.New(slog.NewTextHandler(tWriter{t}, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

type tWriter struct{ t testing.TB }

func (w tWriter) Write(p []byte) (int, error) {
	w.t.Log(string(p))
	return len(p), nil
}

// newStore returns a migrated store on a fresh schema of its own.
func newStore(t testing.TB, cfg postgres.Config) (*postgres.Store, *pgxpool.Pool) {
	t.Helper()
	pool := testdb.Postgres(t)
	if cfg.Logger == nil {
		cfg.Logger = testLogger(t)
	}
	s, err := postgres.New(pool, cfg)
	require.NoError(t, err)
	require.NoError(t, s.Migrate(context.Background()))
	return s, pool
}

func TestStoreContract(t *testing.T) {
	eventstoretest.Run(t, eventstoretest.Backend{
		New: func(t *testing.T) eventstore.Store {
			s, _ := newStore(t, postgres.Config{})
			return s
		},
		AppendHeld: appendHeld,
	})
}

// appendHeld runs an append whose transaction waits, after its statement and before COMMIT, until
// release is called.
func appendHeld(t *testing.T, es eventstore.Store, stream string, events []eventstore.EventData) func() error {
	t.Helper()
	s := es.(*postgres.Store)
	taken := make(chan struct{})
	proceed := make(chan struct{})
	var once sync.Once
	postgres.SetBeforeCommit(s, func(st string) {
		if st != stream {
			return
		}
		once.Do(func() { close(taken) })
		<-proceed
	})
	done := make(chan error, 1)
	go func() {
		_, err := s.Append(t.Context(), stream, eventstore.Any, events...)
		done <- err
	}()
	select {
	case <-taken:
	case err := <-done:
		postgres.SetBeforeCommit(s, nil)
		t.Fatalf("held append of %s ended before reaching its commit: %v", stream, err)
	}
	return func() error {
		close(proceed)
		err := <-done
		postgres.SetBeforeCommit(s, nil)
		return err
	}
}

func TestMigrateTwiceAndConcurrently(t *testing.T) {
	pool := testdb.Postgres(t)
	const runners = 4
	errs := make([]error, runners)
	var wg sync.WaitGroup
	for i := range runners {
		wg.Go(func() {
			s, err := postgres.New(pool, postgres.Config{Logger: testLogger(t)})
			if err != nil {
				errs[i] = err
				return
			}
			errs[i] = s.Migrate(t.Context())
		})
	}
	wg.Wait()
	for i, err := range errs {
		require.NoError(t, err, "runner %d", i)
	}
	s, err := postgres.New(pool, postgres.Config{Logger: testLogger(t)})
	require.NoError(t, err)
	require.NoError(t, s.Migrate(t.Context()), "second run")

	var applied int
	require.NoError(t, pool.QueryRow(t.Context(),
		`SELECT count(*) FROM schema_migrations WHERE component = 'eventstore'`).Scan(&applied))
	require.Equal(t, 1, applied, "each migration recorded once")
	_, err = s.Append(t.Context(), "order-po:P1", eventstore.NoStream, eventstoretest.Events("migrate", 1)...)
	require.NoError(t, err)
}

func TestConfigValidate(t *testing.T) {
	for _, tc := range []struct {
		name string
		cfg  postgres.Config
		ok   bool
	}{
		{"Zero", postgres.Config{}, true},
		{"Set", postgres.Config{BatchSize: 100, PollInterval: time.Second}, true},
		{"NegativeBatch", postgres.Config{BatchSize: -1}, false},
		{"NegativePoll", postgres.Config{PollInterval: -time.Second}, false},
		{"BothNegative", postgres.Config{BatchSize: -1, PollInterval: -time.Second}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.cfg.Validate()
			if tc.ok {
				require.NoError(t, err)
			} else {
				require.Error(t, err)
			}
		})
	}
	_, err := postgres.New(nil, postgres.Config{})
	require.Error(t, err, "nil pool")
}

// TestSubscribeBatches checks that a catch-up larger than BatchSize arrives in full batches, in order.
func TestSubscribeBatches(t *testing.T) {
	s, _ := newStore(t, postgres.Config{BatchSize: 10})
	for i := range 5 {
		_, err := s.Append(t.Context(), fmt.Sprintf("order-po:P%d", i), eventstore.NoStream,
			eventstoretest.Events(fmt.Sprintf("batches-%d", i), 7)...)
		require.NoError(t, err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	var sizes []int
	var last eventstore.Position
	for batch, err := range s.Subscribe(ctx, eventstore.Start, eventstore.Filter{}) {
		require.NoError(t, err)
		sizes = append(sizes, len(batch))
		for _, ev := range batch {
			require.True(t, last.Less(ev.Position))
			last = ev.Position
		}
		if last == (eventstore.Position{}) || sum(sizes) == 35 {
			break
		}
	}
	require.Equal(t, []int{10, 10, 10, 5}, sizes)
}

func sum(xs []int) int {
	n := 0
	for _, x := range xs {
		n += x
	}
	return n
}

// TestForeignTransactionDoesNotHoldReaders: a long transaction that is not an append (here a write to
// another table, as a read-model rebuild would do) must not hold back global readers, while an append
// held open before commit must.
func TestForeignTransactionDoesNotHoldReaders(t *testing.T) {
	s, pool := newStore(t, postgres.Config{})
	ctx := t.Context()
	_, err := pool.Exec(ctx, `CREATE TABLE read_model (n int)`)
	require.NoError(t, err)

	foreign, err := pool.Begin(ctx)
	require.NoError(t, err)
	defer foreign.Rollback(ctx) //nolint:errcheck // the test ends the transaction either way
	_, err = foreign.Exec(ctx, `INSERT INTO read_model VALUES (1)`)
	require.NoError(t, err)

	res, err := s.Append(ctx, "order-po:P1", eventstore.NoStream, eventstoretest.Events("foreign", 2)...)
	require.NoError(t, err)
	head, err := s.Head(ctx)
	require.NoError(t, err)
	require.Equal(t, res.Position, head, "an open non-append transaction holds back the head")
	all, err := s.ReadAll(ctx, eventstore.Start, 10, eventstore.Filter{})
	require.NoError(t, err)
	require.Len(t, all, 2)

	release := appendHeld(t, s, "order-po:P2", eventstoretest.Events("held", 1))
	later, err := s.Append(ctx, "order-po:P3", eventstore.NoStream, eventstoretest.Events("later", 1)...)
	require.NoError(t, err)
	head, err = s.Head(ctx)
	require.NoError(t, err)
	require.Equal(t, res.Position, head, "an event committed after a held append is not visible yet")
	require.NoError(t, release())
	head, err = s.Head(ctx)
	require.NoError(t, err)
	require.Equal(t, later.Position, head)
	all, err = s.ReadAll(ctx, eventstore.Start, 10, eventstore.Filter{})
	require.NoError(t, err)
	require.Len(t, all, 4)
	require.NoError(t, foreign.Rollback(ctx))
}

func BenchmarkAppendSingle(b *testing.B) {
	s, _ := newStore(b, postgres.Config{})
	i := 0
	for b.Loop() {
		events := eventstoretest.Events(fmt.Sprintf("%s-%d", b.Name(), i), 1)
		if _, err := s.Append(b.Context(), "receipt-bench:single", eventstore.Exact(int64(i)), events...); err != nil {
			b.Fatal(err)
		}
		i++
	}
	b.ReportMetric(float64(i)/b.Elapsed().Seconds(), "events/s")
}

func BenchmarkAppendBatch100(b *testing.B) {
	s, _ := newStore(b, postgres.Config{})
	const batch = 100
	i := 0
	for b.Loop() {
		events := eventstoretest.Events(fmt.Sprintf("%s-%d", b.Name(), i), batch)
		if _, err := s.Append(b.Context(), "receipt-bench:batch", eventstore.Exact(int64(i*batch)), events...); err != nil {
			b.Fatal(err)
		}
		i++
	}
	b.ReportMetric(float64(i*batch)/b.Elapsed().Seconds(), "events/s")
}

// BenchmarkCatchUp measures one Subscribe from Start over 100,000 stored events.
func BenchmarkCatchUp(b *testing.B) {
	s, _ := newStore(b, postgres.Config{})
	const total, batch = 100_000, 1000
	for i := 0; i < total; i += batch {
		_, err := s.Append(b.Context(), fmt.Sprintf("receipt-bench:%d", i/batch), eventstore.NoStream,
			eventstoretest.Events(fmt.Sprintf("catchup-%d", i), batch)...)
		require.NoError(b, err)
	}
	for b.Loop() {
		ctx, cancel := context.WithCancel(b.Context())
		n := 0
		for events, err := range s.Subscribe(ctx, eventstore.Start, eventstore.Filter{}) {
			if err != nil {
				b.Fatal(err)
			}
			if n += len(events); n >= total {
				break
			}
		}
		cancel()
	}
	b.ReportMetric(float64(total*b.N)/b.Elapsed().Seconds(), "events/s")
}
