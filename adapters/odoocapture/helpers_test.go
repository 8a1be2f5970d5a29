package odoocapture_test

import (
	"log/slog"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/crossdock-hub/crossdock/adapters/archive"
	"github.com/crossdock-hub/crossdock/adapters/odoo"
	"github.com/crossdock-hub/crossdock/adapters/odoosim"
	"github.com/crossdock-hub/crossdock/eventstore/sqlite"
	"github.com/crossdock-hub/crossdock/internal/testdb"
)

// base is what every capture test stands on: a simulated Odoo of a version with a client to it, and an
// embedded store with its archive.
type base struct {
	sim     *odoosim.Server
	client  *odoo.Client
	store   *sqlite.Store
	archive *archive.Archive
	logger  *slog.Logger
}

func newBase(t *testing.T, version int) base {
	t.Helper()
	sim, err := odoosim.New(odoosim.Config{Version: version})
	require.NoError(t, err)
	srv := httptest.NewServer(sim)
	t.Cleanup(srv.Close)
	client, err := odoo.New(odoo.Config{URL: srv.URL, Database: odoosim.DefaultDatabase, Login: odoosim.DefaultLogin,
		APIKey: odoosim.DefaultAPIKey, HTTPClient: srv.Client(), MaxAttempts: 2, InitialBackoff: time.Millisecond, RatePerSecond: 1000})
	require.NoError(t, err)
	s, err := sqlite.Open(t.Context(), testdb.SQLitePath(t), sqlite.Config{})
	require.NoError(t, err)
	t.Cleanup(func() { _ = s.Close() })
	a, err := archive.New(archive.SQLite, s.WriteDB(), s.ReadDB(), archive.Config{})
	require.NoError(t, err)
	require.NoError(t, a.Migrate(t.Context()))
	return base{sim: sim, client: client, store: s, archive: a, logger: slog.New(slog.NewTextHandler(t.Output(), nil))}
}
