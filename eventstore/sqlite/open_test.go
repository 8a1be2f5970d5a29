package sqlite

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/crossdock-hub/crossdock/eventstore"
	"github.com/crossdock-hub/crossdock/eventstore/eventstoretest"
	"github.com/crossdock-hub/crossdock/internal/testdb"
)

func TestReopenKeepsEventsAndMigratesOnce(t *testing.T) {
	path := testdb.SQLitePath(t)
	first, err := Open(t.Context(), path, Config{Logger: testLogger(t)})
	require.NoError(t, err)
	events := eventstoretest.Events("reopen", 3)
	res, err := first.Append(t.Context(), "order-po:P1", eventstore.NoStream, events...)
	require.NoError(t, err)
	require.NoError(t, first.Migrate(t.Context()), "migrating an up-to-date file again")
	require.NoError(t, first.Close())
	require.NoError(t, first.Close(), "closing twice")

	again := open(t, path, Config{})
	got, err := again.ReadStream(t.Context(), "order-po:P1", 1, 0)
	require.NoError(t, err)
	require.Len(t, got, 3)
	require.Equal(t, events[2].ID, got[2].ID)
	require.Equal(t, res.Position, got[2].Position)

	var applied []string
	rows, err := again.ReadDB().QueryContext(t.Context(), `SELECT name FROM schema_migrations ORDER BY version`)
	require.NoError(t, err)
	for rows.Next() {
		var name string
		require.NoError(t, rows.Scan(&name))
		applied = append(applied, name)
	}
	require.NoError(t, rows.Err())
	require.NoError(t, rows.Close())
	require.Equal(t, []string{"001_events.sql"}, applied)

	var mode string
	require.NoError(t, again.WriteDB().QueryRowContext(t.Context(), `PRAGMA journal_mode`).Scan(&mode))
	require.Equal(t, "wal", mode)
	var fk int
	require.NoError(t, again.WriteDB().QueryRowContext(t.Context(), `PRAGMA foreign_keys`).Scan(&fk))
	require.Equal(t, 1, fk)
}

// Two stores on one file stand for two processes: a subscriber of one sees the other's appends by polling.
func TestSubscriberSeesAppendsOfAnotherProcess(t *testing.T) {
	path := testdb.SQLitePath(t)
	reader := open(t, path, Config{PollInterval: 20 * time.Millisecond})
	writer := open(t, path, Config{})

	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	got := make(chan eventstore.Event, 16)
	done := make(chan error, 1)
	go func() {
		for batch, err := range reader.Subscribe(ctx, eventstore.Start, eventstore.Filter{}) {
			if err != nil {
				done <- err
				return
			}
			for _, ev := range batch {
				got <- ev
			}
		}
	}()

	events := eventstoretest.Events("other-process", 2)
	_, err := writer.Append(t.Context(), "shipment-ups:1Z1", eventstore.NoStream, events...)
	require.NoError(t, err)
	for i := range events {
		select {
		case ev := <-got:
			require.Equal(t, events[i].ID, ev.ID)
			require.Equal(t, int64(i+1), ev.StreamVersion)
		case <-time.After(5 * time.Second):
			t.Fatalf("event %d appended by the other store never arrived", i)
		}
	}
	// Both writers share one file lock: the version check of the other store sees these events.
	_, err = reader.Append(t.Context(), "shipment-ups:1Z1", eventstore.NoStream, eventstoretest.Events("late", 1)...)
	require.ErrorIs(t, err, eventstore.ErrConcurrency)
	cancel()
	require.ErrorIs(t, <-done, context.Canceled)
}

func TestCloseEndsSubscribersAndRefusesWork(t *testing.T) {
	s, err := Open(t.Context(), testdb.SQLitePath(t), Config{Logger: testLogger(t), PollInterval: time.Hour})
	require.NoError(t, err)
	done := make(chan error, 1)
	go func() {
		for _, err := range s.Subscribe(t.Context(), eventstore.Start, eventstore.Filter{}) {
			if err != nil {
				done <- err
				return
			}
		}
	}()
	time.Sleep(50 * time.Millisecond)
	require.NoError(t, s.Close())
	select {
	case err := <-done:
		require.ErrorIs(t, err, eventstore.ErrClosed)
	case <-time.After(5 * time.Second):
		t.Fatal("subscriber still running after Close")
	}
	_, err = s.Append(t.Context(), "order-po:P1", eventstore.Any, eventstoretest.Events("closed", 1)...)
	require.ErrorIs(t, err, eventstore.ErrClosed)
	_, err = s.ReadAll(t.Context(), eventstore.Start, 10, eventstore.Filter{})
	require.ErrorIs(t, err, eventstore.ErrClosed)
	_, err = s.Head(t.Context())
	require.ErrorIs(t, err, eventstore.ErrClosed)
}

func TestReadDBIsReadOnly(t *testing.T) {
	s := open(t, testdb.SQLitePath(t), Config{})
	_, err := s.ReadDB().ExecContext(t.Context(), `CREATE TABLE stock_view (sku TEXT PRIMARY KEY) STRICT`)
	require.Error(t, err, "the reader pool must not write")
	// Read models write their tables through WriteDB and read them through ReadDB.
	_, err = s.WriteDB().ExecContext(t.Context(), `CREATE TABLE stock_view (sku TEXT PRIMARY KEY, qty TEXT NOT NULL) STRICT`)
	require.NoError(t, err)
	_, err = s.WriteDB().ExecContext(t.Context(), `INSERT INTO stock_view VALUES ('SKU-42', '12.500')`)
	require.NoError(t, err)
	var qty string
	require.NoError(t, s.ReadDB().QueryRowContext(t.Context(), `SELECT qty FROM stock_view WHERE sku = 'SKU-42'`).Scan(&qty))
	require.Equal(t, "12.500", qty)
}

func TestPathWithURICharacters(t *testing.T) {
	path := filepath.Join(t.TempDir(), "odd ?name#%20.db")
	s := open(t, path, Config{})
	_, err := s.Append(t.Context(), "order-po:P1", eventstore.NoStream, eventstoretest.Events("odd", 1)...)
	require.NoError(t, err)
	require.FileExists(t, path, "the database lives at the path given, not a URI-decoded one")
}

func TestConfigValidate(t *testing.T) {
	var defaults Config
	defaults.setDefaults()
	require.NoError(t, defaults.Validate())
	require.Equal(t, 100*time.Millisecond, defaults.PollInterval)
	require.Equal(t, 1000, defaults.BatchSize)
	require.Equal(t, "FULL", defaults.Synchronous)

	bad := Config{PollInterval: -time.Second, BatchSize: -1, BusyTimeout: -1, ReadConns: -2, Synchronous: "OFF"}
	err := bad.Validate()
	require.Error(t, err)
	for _, want := range []string{"poll interval", "batch size", "busy timeout", "read connections", `synchronous "OFF"`} {
		require.Contains(t, err.Error(), want)
	}
	_, err = Open(t.Context(), testdb.SQLitePath(t), bad)
	require.Error(t, err, "Open refuses an invalid config")
	_, err = Open(t.Context(), "", Config{})
	require.Error(t, err)
}
