package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crossdock-hub/crossdock/adapters/odoosim"
)

func runOdooCheck(t *testing.T, sim *odoosim.Server, extra ...string) (string, error) {
	t.Helper()
	srv := httptest.NewServer(sim)
	t.Cleanup(srv.Close)
	var out bytes.Buffer
	cmd := newRootCmd()
	cmd.SetOut(&out)
	cmd.SetErr(&out)
	cmd.SetArgs(append([]string{"odoo", "check", "--url", srv.URL, "--db", "odoo", "--user", odoosim.DefaultLogin,
		"--key", odoosim.DefaultAPIKey}, extra...))
	err := cmd.ExecuteContext(t.Context())
	return out.String(), err
}

// odoo check reports the version and protocol, exits 0 when nothing is missing, and names what is
// missing with what to do (exit 1).
func TestOdooCheck(t *testing.T) {
	sim, err := odoosim.New(odoosim.Config{Version: 19})
	require.NoError(t, err)
	out, err := runOdooCheck(t, sim)
	require.NoError(t, err, out)
	assert.Contains(t, out, "Odoo 19.0 at http://127.0.0.1")
	assert.Contains(t, out, "over json2")
	assert.Contains(t, out, "Everything the connector needs is there.")

	sim, err = odoosim.New(odoosim.Config{Version: 16, Deny: map[string][]string{"account.move": {"create"}}})
	require.NoError(t, err)
	out, err = runOdooCheck(t, sim, "--json")
	var exit exitError
	require.True(t, errors.As(err, &exit), "%v", err)
	assert.Equal(t, 1, exit.code)
	var report struct {
		Version  string   `json:"version"`
		Protocol string   `json:"protocol"`
		OK       bool     `json:"ok"`
		Problems []string `json:"problems"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &report), out)
	assert.Equal(t, "16.0", report.Version)
	assert.Equal(t, "jsonrpc", report.Protocol)
	assert.False(t, report.OK)
	assert.Equal(t, []string{"the user may not create account.move: grant it in the user's access groups"}, report.Problems)
}

// A refused login exits 2 and says why.
func TestOdooCheckRefusedLogin(t *testing.T) {
	sim, err := odoosim.New(odoosim.Config{Version: 17, APIKey: strings.Repeat("ab", 20)})
	require.NoError(t, err)
	out, err := runOdooCheck(t, sim)
	var exit exitError
	require.True(t, errors.As(err, &exit), "%v", err)
	assert.Equal(t, 2, exit.code)
	assert.Contains(t, out, "log in as integration@example.com on database odoo: authentication refused")
}
