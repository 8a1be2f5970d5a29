package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"strconv"
	"strings"
	"sync"
	"time"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/crossdock-hub/crossdock/eventstore"
	"github.com/crossdock-hub/crossdock/eventstore/internal/wake"
	"github.com/crossdock-hub/crossdock/internal/stmtcache"
)

//go:embed migration/*.sql
var migrations embed.FS

// Store is the SQLite event store. It is safe for concurrent use.
type Store struct {
	cfg   Config
	path  string
	write *sql.DB // one connection: SQLite has one writer at a time
	read  *sql.DB
	// wstmt and rstmt keep the hot statements prepared on the writer and the readers.
	wstmt  *stmtcache.Cache
	rstmt  *stmtcache.Cache
	notify wake.Notifier

	closeOnce sync.Once
	closed    chan struct{}
	closeErr  error

	// appendHook, when set (by this package's tests only), runs inside Append after the events have taken
	// their positions and before the commit, so a test can hold a write open.
	appendHook func(stream string)
}

var _ eventstore.Store = (*Store)(nil)

// Open opens (creating if needed) the event store in the SQLite file at path and migrates its schema.
func Open(ctx context.Context, path string, cfg Config) (*Store, error) {
	cfg.setDefaults()
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if path == "" {
		return nil, errors.New("open sqlite event store: empty path")
	}
	s := &Store{cfg: cfg, path: path, closed: make(chan struct{})}

	busy := strconv.FormatInt(cfg.BusyTimeout.Milliseconds(), 10)
	// The writer's transactions begin IMMEDIATE: a deferred one would start as a reader and could fail
	// with SQLITE_BUSY when upgrading to a writer while another process writes.
	writeDSN := dsn(path, "_txlock=immediate", "_pragma=busy_timeout("+busy+")", "_pragma=journal_mode(WAL)",
		"_pragma=foreign_keys(1)", "_pragma=synchronous("+strings.ToUpper(cfg.Synchronous)+")")
	var err error
	if s.write, err = sql.Open("sqlite", writeDSN); err != nil {
		return nil, fmt.Errorf("open sqlite writer %s: %w", path, err)
	}
	s.write.SetMaxOpenConns(1)
	s.write.SetMaxIdleConns(1)
	s.write.SetConnMaxIdleTime(0)
	s.write.SetConnMaxLifetime(0)
	// The writer connects first so the file is in WAL mode before any reader opens it.
	if err := s.write.PingContext(ctx); err != nil {
		s.write.Close()
		return nil, fmt.Errorf("connect sqlite writer %s: %w", path, interpretError(ctx, err))
	}

	readDSN := dsn(path, "_pragma=busy_timeout("+busy+")", "_pragma=foreign_keys(1)", "_pragma=query_only(1)")
	if s.read, err = sql.Open("sqlite", readDSN); err != nil {
		s.write.Close()
		return nil, fmt.Errorf("open sqlite readers %s: %w", path, err)
	}
	s.read.SetMaxOpenConns(cfg.ReadConns)
	s.read.SetMaxIdleConns(cfg.ReadConns)
	s.wstmt, s.rstmt = stmtcache.New(s.write), stmtcache.New(s.read)

	if err := s.Migrate(ctx); err != nil {
		s.Close()
		return nil, err
	}
	if err := s.wstmt.Prepare(ctx, appendQueries...); err != nil {
		s.Close()
		return nil, fmt.Errorf("prepare sqlite statements %s: %w", path, interpretError(ctx, err))
	}
	cfg.Logger.InfoContext(ctx, "sqlite event store opened", "path", path)
	return s, nil
}

// dsn builds a SQLite URI filename; characters SQLite URIs treat specially are escaped so any path works.
func dsn(path string, params ...string) string {
	escaped := strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23").Replace(path)
	return "file:" + escaped + "?" + strings.Join(params, "&")
}

// WriteDB is the single-connection writer pool, for read models that update their tables in the same file.
// A transaction on it holds SQLite's write lock, so keep such transactions short.
func (s *Store) WriteDB() *sql.DB { return s.write }

// ReadDB is the read-only reader pool, for read-model queries.
func (s *Store) ReadDB() *sql.DB { return s.read }

// Close stops live subscribers (they end yielding eventstore.ErrClosed) and closes both pools.
func (s *Store) Close() error {
	s.closeOnce.Do(func() {
		close(s.closed)
		s.closeErr = errors.Join(s.rstmt.Close(), s.wstmt.Close(), s.read.Close(), s.write.Close())
		if s.closeErr != nil {
			s.closeErr = fmt.Errorf("close sqlite event store %s: %w", s.path, s.closeErr)
		}
	})
	return s.closeErr
}

func (s *Store) isClosed() bool {
	select {
	case <-s.closed:
		return true
	default:
		return false
	}
}

// Migrate applies the embedded migrations not yet recorded in schema_migrations, in one IMMEDIATE
// transaction, so running it twice, or from two processes at once, applies each migration once.
func (s *Store) Migrate(ctx context.Context) error {
	files, err := fs.Glob(migrations, "migration/*.sql")
	if err != nil {
		return fmt.Errorf("list migrations: %w", err)
	}
	tx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("migrate %s: begin: %w", s.path, interpretError(ctx, err))
	}
	defer tx.Rollback()

	if _, err := tx.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version    INTEGER PRIMARY KEY,
		name       TEXT    NOT NULL,
		applied_at INTEGER NOT NULL
	) STRICT`); err != nil {
		return fmt.Errorf("migrate %s: create schema_migrations: %w", s.path, interpretError(ctx, err))
	}
	applied := map[int64]bool{}
	rows, err := tx.QueryContext(ctx, `SELECT version FROM schema_migrations`)
	if err != nil {
		return fmt.Errorf("migrate %s: read schema_migrations: %w", s.path, interpretError(ctx, err))
	}
	for rows.Next() {
		var v int64
		if err := rows.Scan(&v); err != nil {
			rows.Close()
			return fmt.Errorf("migrate %s: read schema_migrations: %w", s.path, err)
		}
		applied[v] = true
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("migrate %s: read schema_migrations: %w", s.path, interpretError(ctx, err))
	}

	// fs.Glob returns names sorted, and the numeric prefixes are zero-padded, so this is version order.
	var done []string
	for _, file := range files {
		name := path.Base(file)
		prefix, _, _ := strings.Cut(name, "_")
		version, err := strconv.ParseInt(prefix, 10, 64)
		if err != nil {
			return fmt.Errorf("migration %s: name must start with a number: %w", name, err)
		}
		if applied[version] {
			continue
		}
		body, err := migrations.ReadFile(file)
		if err != nil {
			return fmt.Errorf("read migration %s: %w", name, err)
		}
		if _, err := tx.ExecContext(ctx, string(body)); err != nil {
			return fmt.Errorf("apply migration %s: %w", name, interpretError(ctx, err))
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)`,
			version, name, time.Now().UTC().UnixMicro()); err != nil {
			return fmt.Errorf("record migration %s: %w", name, interpretError(ctx, err))
		}
		done = append(done, name)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("migrate %s: commit: %w", s.path, interpretError(ctx, err))
	}
	for _, name := range done {
		s.cfg.Logger.InfoContext(ctx, "migration applied", "path", s.path, "migration", name)
	}
	return nil
}

// interpretError translates SQLite's errors into the port's sentinels, keeping the original in the chain.
// It is the one place that knows SQLite's error codes.
func interpretError(ctx context.Context, err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, sql.ErrConnDone) || strings.Contains(err.Error(), "sql: database is closed") {
		return fmt.Errorf("%w: %w", eventstore.ErrClosed, err)
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		switch se.Code() {
		case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
			switch {
			case strings.Contains(se.Error(), "events.event_id"):
				return fmt.Errorf("%w: %w", eventstore.ErrDuplicateEvent, err)
			case strings.Contains(se.Error(), "events.stream_id"):
				return fmt.Errorf("%w: %w", eventstore.ErrConcurrency, err)
			}
		case sqlite3.SQLITE_INTERRUPT:
			// The driver interrupts a statement when its context ends; say which.
			if ctxErr := ctx.Err(); ctxErr != nil {
				return fmt.Errorf("%w: %w", ctxErr, err)
			}
		}
	}
	if ctxErr := ctx.Err(); ctxErr != nil && !errors.Is(err, ctxErr) {
		return fmt.Errorf("%w: %w", ctxErr, err)
	}
	return err
}
