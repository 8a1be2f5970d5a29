package postgres

import (
	"fmt"
	"log/slog"
	"sync/atomic"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/crossdock-hub/crossdock/eventstore"
	"github.com/crossdock-hub/crossdock/eventstore/internal/wake"
)

// Store is the PostgreSQL event store. It is safe for concurrent use. The caller owns the pool.
type Store struct {
	pool   *pgxpool.Pool
	cfg    Config
	logger *slog.Logger
	wake   wake.Notifier

	// beforeCommit, when set (only by tests, through export_test.go), makes Append run in an explicit
	// transaction and call it after the events have their positions and before COMMIT, so a test can
	// hold a transaction open across other appends.
	beforeCommit atomic.Pointer[func(stream string)]
}

var _ eventstore.Store = (*Store)(nil)

// New returns a store on pool. Call Migrate once before use.
func New(pool *pgxpool.Pool, cfg Config) (*Store, error) {
	if pool == nil {
		return nil, fmt.Errorf("postgres event store: nil pool")
	}
	cfg.setDefaults()
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("postgres event store config: %w", err)
	}
	s := &Store{pool: pool, cfg: cfg, logger: cfg.Logger}
	return s, nil
}
