package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/crossdock-hub/crossdock/adapters/archive"
	"github.com/crossdock-hub/crossdock/eventstore"
	"github.com/crossdock-hub/crossdock/eventstore/postgres"
	"github.com/crossdock-hub/crossdock/eventstore/sqlite"
	"github.com/crossdock-hub/crossdock/projections"
	"github.com/crossdock-hub/crossdock/projections/divergence"
	"github.com/crossdock-hub/crossdock/projections/match"
	"github.com/crossdock-hub/crossdock/projections/odoofailures"
	"github.com/crossdock-hub/crossdock/projections/sla"
	"github.com/crossdock-hub/crossdock/projections/timeline"
)

// backend is the storage the hub runs on: the event store and, in the same database, the read models
// and the raw-message archive.
type backend struct {
	// describe names the storage for people, without credentials.
	describe string
	store    eventstore.Store
	db       projections.Database
	archive  *archive.Archive
	close    func()
}

// openBackend opens PostgreSQL when --database-url is set and the embedded SQLite file otherwise, and
// applies every migration (the embedded default needs no setup step).
func openBackend(ctx context.Context, g *globalOptions, logger *slog.Logger) (*backend, error) {
	var (
		b   *backend
		err error
	)
	if g.databaseURL != "" {
		b, err = openPostgres(ctx, g.databaseURL, logger)
	} else {
		b, err = openSQLite(ctx, g.dataDir, g.sqliteSync, logger)
	}
	if err != nil {
		return nil, err
	}
	arch, err := archive.New(archive.Dialect(b.db.Dialect), b.db.Write, b.db.Read,
		archive.Config{Logger: logger.With("component", "archive")})
	if err == nil {
		err = arch.Migrate(ctx)
	}
	if err != nil {
		b.close()
		return nil, fmt.Errorf("message archive on %s: %w", b.describe, err)
	}
	b.archive = arch
	return b, nil
}

func openSQLite(ctx context.Context, dataDir, synchronous string, logger *slog.Logger) (*backend, error) {
	if err := os.MkdirAll(dataDir, 0o750); err != nil {
		return nil, fmt.Errorf("data directory %s: %w", dataDir, err)
	}
	path := filepath.Join(dataDir, "crossdock.db")
	store, err := sqlite.Open(ctx, path, sqlite.Config{Logger: logger.With("component", "eventstore"), Synchronous: synchronous})
	if err != nil {
		return nil, fmt.Errorf("open SQLite store %s: %w", path, err)
	}
	return &backend{
		describe: "sqlite:" + path,
		store:    store,
		db:       projections.Database{Dialect: projections.SQLite, Write: store.WriteDB(), Read: store.ReadDB()},
		close:    func() { _ = store.Close() },
	}, nil
}

func openPostgres(ctx context.Context, databaseURL string, logger *slog.Logger) (*backend, error) {
	where := redactURL(databaseURL)
	poolCfg, err := pgxpool.ParseConfig(databaseURL)
	if err != nil {
		return nil, fmt.Errorf("PostgreSQL %s: %w", where, err)
	}
	// pgxpool's default (4 connections on a small machine) queues concurrent partner requests behind
	// each other's commits; pool_max_conns in the URL still decides when given. The pool is shared by
	// the event store and, through database/sql, by the archive and the read models: each of the latter's
	// connections holds one of the pool's while it is open, so they get at most half of it, and the event
	// store always has the rest.
	if !strings.Contains(databaseURL, "pool_max_conns") {
		poolCfg.MaxConns = 2 * int32(max(16, 4*runtime.GOMAXPROCS(0)))
	}
	sqlConns, sqlIdle := int(poolCfg.MaxConns/2), int(poolCfg.MaxConns/2)
	if sqlConns < 1 {
		// A pool of one: database/sql must not keep it idle, or the event store would wait for it forever.
		sqlConns, sqlIdle = 1, 0
	}
	pool, err := pgxpool.NewWithConfig(ctx, poolCfg)
	if err != nil {
		return nil, fmt.Errorf("PostgreSQL %s: %w", where, err)
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("PostgreSQL %s unreachable: %w", where, err)
	}
	store, err := postgres.New(pool, postgres.Config{Logger: logger.With("component", "eventstore")})
	if err == nil {
		err = store.Migrate(ctx)
	}
	if err != nil {
		pool.Close()
		return nil, fmt.Errorf("PostgreSQL store %s: %w", where, err)
	}
	db := stdlib.OpenDBFromPool(pool)
	// database/sql keeps 2 idle connections by default: under concurrent partners it closed the others
	// after each use, and with them the statements prepared on them, to prepare them again on the next.
	db.SetMaxOpenConns(sqlConns)
	db.SetMaxIdleConns(sqlIdle)
	return &backend{
		describe: "postgres:" + where,
		store:    store,
		db:       projections.Database{Dialect: projections.Postgres, Write: db, Read: db},
		close: func() {
			_ = db.Close()
			pool.Close()
		},
	}, nil
}

// redactURL names a database for people: host, port, user and database, never the password, whatever
// form the URL or keyword string takes.
func redactURL(raw string) string {
	cfg, err := pgconn.ParseConfig(raw)
	if err != nil {
		return "(configured database)"
	}
	return fmt.Sprintf("postgres://%s@%s/%s", cfg.User, net.JoinHostPort(cfg.Host, strconv.Itoa(int(cfg.Port))), cfg.Database)
}

// openWithRunner is what the operator commands share: the logger, the backend and the projection runner.
// The caller closes the backend.
func openWithRunner(ctx context.Context, g *globalOptions, stderr io.Writer) (*slog.Logger, *backend, *projections.Runner, error) {
	logger, err := g.logger(stderr)
	if err != nil {
		return nil, nil, nil, err
	}
	b, err := openBackend(ctx, g, logger)
	if err != nil {
		return nil, nil, nil, err
	}
	runner, err := newRunner(b, logger, projections.Config{})
	if err != nil {
		b.close()
		return nil, nil, nil, err
	}
	return logger, b, runner, nil
}

// newRunner registers every projection of the hub, and the workflows given (serve's, with --odoo-url).
// cfg's Changes, when set, receives the views' row changes (serve publishes them for subscriptions), and
// its BatchWindow, when set, paces the batches; the logger is the hub's.
func newRunner(b *backend, logger *slog.Logger, cfg projections.Config, workflows ...projections.Projection) (*projections.Runner, error) {
	cfg.Logger = logger.With("component", "projections")
	all := append([]projections.Projection{timeline.NewProjection(), match.NewProjection(), divergence.NewProjection(), sla.NewProjection(),
		odoofailures.NewProjection()}, workflows...)
	return projections.New(b.store, b.db, cfg, all...)
}
