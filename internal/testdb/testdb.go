// Package testdb gives tests real databases: a fresh PostgreSQL schema per test, or a fresh SQLite file.
//
// The PostgreSQL server comes from CROSSDOCK_TEST_DATABASE_URL (default
// postgres://postgres@127.0.0.1:5432/test?sslmode=disable). When it cannot be reached the test is skipped
// with the reason, unless CROSSDOCK_REQUIRE_SERVICES=1, where it fails.
package testdb

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// DefaultPostgresURL is used when CROSSDOCK_TEST_DATABASE_URL is unset.
const DefaultPostgresURL = "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"

// PostgresServerURL returns the test server's URL.
func PostgresServerURL() string {
	if u := os.Getenv("CROSSDOCK_TEST_DATABASE_URL"); u != "" {
		return u
	}
	return DefaultPostgresURL
}

// ServicesRequired reports whether a missing service must fail the test instead of skipping it.
func ServicesRequired() bool { return os.Getenv("CROSSDOCK_REQUIRE_SERVICES") == "1" }

// Unavailable skips (or, when services are required, fails) the test because a service is unreachable.
func Unavailable(t testing.TB, service string, err error) {
	t.Helper()
	if ServicesRequired() {
		t.Fatalf("%s is required (CROSSDOCK_REQUIRE_SERVICES=1) but unreachable: %v", service, err)
	}
	t.Skipf("%s unreachable, skipping (set CROSSDOCK_REQUIRE_SERVICES=1 to fail instead): %v", service, err)
}

// PostgresSchemaURL creates an empty schema for this test and returns a URL whose connections use it
// as their search_path. The schema is dropped when the test ends.
func PostgresSchemaURL(t testing.TB) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	server := PostgresServerURL()
	conn, err := pgx.Connect(ctx, server)
	if err != nil {
		Unavailable(t, "PostgreSQL", err)
	}
	defer conn.Close(ctx)

	schema := "test_" + randomHex(6)
	if _, err := conn.Exec(ctx, "CREATE SCHEMA "+schema); err != nil {
		t.Fatalf("create schema %s: %v", schema, err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		c, err := pgx.Connect(ctx, server)
		if err != nil {
			t.Logf("drop schema %s: %v", schema, err)
			return
		}
		defer c.Close(ctx)
		if _, err := c.Exec(ctx, "DROP SCHEMA "+schema+" CASCADE"); err != nil {
			t.Logf("drop schema %s: %v", schema, err)
		}
	})

	u, err := url.Parse(server)
	if err != nil {
		t.Fatalf("parse %s: %v", server, err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// Postgres returns a pool on a fresh schema of its own (see PostgresSchemaURL), closed when the test ends.
func Postgres(t testing.TB) *pgxpool.Pool {
	t.Helper()
	pool, err := pgxpool.New(context.Background(), PostgresSchemaURL(t))
	if err != nil {
		t.Fatalf("open pool: %v", err)
	}
	t.Cleanup(pool.Close)
	return pool
}

// SQLitePath returns the path of a database file in a fresh temporary directory.
func SQLitePath(t testing.TB) string {
	t.Helper()
	return filepath.Join(t.TempDir(), "crossdock.db")
}

func randomHex(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return hex.EncodeToString(b)
}
