package postgres

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"
)

//go:embed migration/*.sql
var migrations embed.FS

// migrationComponent names this package's rows in schema_migrations, which other components keeping
// their tables in the same schema may share.
const migrationComponent = "eventstore"

type migration struct {
	version int
	name    string
	sql     string
}

// loadMigrations reads the embedded files, named "<version>_<name>.sql", in version order.
func loadMigrations() ([]migration, error) {
	entries, err := fs.ReadDir(migrations, "migration")
	if err != nil {
		return nil, fmt.Errorf("read embedded migrations: %w", err)
	}
	var out []migration
	for _, e := range entries {
		base := strings.TrimSuffix(e.Name(), ".sql")
		num, name, ok := strings.Cut(base, "_")
		if !ok {
			return nil, fmt.Errorf("migration %s: want <version>_<name>.sql", e.Name())
		}
		v, err := strconv.Atoi(num)
		if err != nil {
			return nil, fmt.Errorf("migration %s: version: %w", e.Name(), err)
		}
		body, err := migrations.ReadFile(path.Join("migration", e.Name()))
		if err != nil {
			return nil, fmt.Errorf("read migration %s: %w", e.Name(), err)
		}
		out = append(out, migration{version: v, name: name, sql: string(body)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].version < out[j].version })
	return out, nil
}

// Migrate creates or upgrades the store's tables in the pool's search_path. It is safe to run twice and
// from several processes at once: it applies the missing migrations in one transaction under an advisory
// lock keyed by the schema, so a second runner waits and then finds nothing left to do.
func (s *Store) Migrate(ctx context.Context) error {
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return fmt.Errorf("migrate: begin: %w", err)
	}
	defer tx.Rollback(ctx) //nolint:errcheck // a no-op after Commit; the Commit error is what matters

	// The lock comes before CREATE TABLE IF NOT EXISTS: two concurrent creations of the same table can
	// otherwise fail on the catalog's unique index.
	if _, err := tx.Exec(ctx,
		`SELECT pg_advisory_xact_lock(hashtextextended('crossdock.eventstore.migrate.' || current_schema(), 0))`,
	); err != nil {
		return fmt.Errorf("migrate: take advisory lock: %w", translate(err))
	}
	if _, err := tx.Exec(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		component  text        NOT NULL,
		version    integer     NOT NULL,
		name       text        NOT NULL,
		applied_at timestamptz NOT NULL DEFAULT now(),
		PRIMARY KEY (component, version))`); err != nil {
		return fmt.Errorf("migrate: create schema_migrations: %w", translate(err))
	}
	rows, err := tx.Query(ctx, `SELECT version FROM schema_migrations WHERE component = $1`, migrationComponent)
	if err != nil {
		return fmt.Errorf("migrate: read applied versions: %w", translate(err))
	}
	applied, err := pgx.CollectRows(rows, pgx.RowTo[int32])
	if err != nil {
		return fmt.Errorf("migrate: read applied versions: %w", translate(err))
	}
	done := make(map[int]bool, len(applied))
	for _, v := range applied {
		done[int(v)] = true
	}

	all, err := loadMigrations()
	if err != nil {
		return err
	}
	var ran []string
	for _, m := range all {
		if done[m.version] {
			continue
		}
		if _, err := tx.Exec(ctx, m.sql); err != nil {
			return fmt.Errorf("migrate: apply %d_%s: %w", m.version, m.name, translate(err))
		}
		if _, err := tx.Exec(ctx,
			`INSERT INTO schema_migrations (component, version, name) VALUES ($1, $2, $3)`,
			migrationComponent, m.version, m.name); err != nil {
			return fmt.Errorf("migrate: record %d_%s: %w", m.version, m.name, translate(err))
		}
		ran = append(ran, strconv.Itoa(m.version)+"_"+m.name)
	}
	if err := tx.Commit(ctx); err != nil {
		return fmt.Errorf("migrate: commit: %w", translate(err))
	}
	if len(ran) > 0 {
		s.logger.InfoContext(ctx, "event store migrated", "applied", ran)
	}
	return nil
}
