package main

import (
	"bytes"
	"testing"

	"github.com/spf13/cobra"
	"github.com/stretchr/testify/require"
)

// probe runs the root command with a subcommand that records the options it ended up with.
func probe(t *testing.T, args ...string) (*globalOptions, *serveOptions) {
	t.Helper()
	root := newRootCmd()
	var g *globalOptions
	var o *serveOptions
	for _, c := range root.Commands() {
		if c.Name() == "serve" {
			c.RunE = func(cmd *cobra.Command, _ []string) error {
				addr, _ := cmd.Flags().GetString("addr")
				tokens, _ := cmd.Flags().GetStringSlice("partner-token")
				url, _ := cmd.Flags().GetString("database-url")
				g = &globalOptions{databaseURL: url}
				o = &serveOptions{addr: addr, partnerTokens: tokens}
				return nil
			}
		}
	}
	root.SetArgs(args)
	root.SetOut(&bytes.Buffer{})
	require.NoError(t, root.Execute())
	return g, o
}

func TestEnvironmentSetsFlags(t *testing.T) {
	t.Setenv("CROSSDOCK_ADDR", "0.0.0.0:9999")
	t.Setenv("CROSSDOCK_DATABASE_URL", "postgres://db/crossdock")
	t.Setenv("CROSSDOCK_PARTNER_TOKEN", "acme:one, globex:two")
	g, o := probe(t, "serve")
	require.Equal(t, "0.0.0.0:9999", o.addr)
	require.Equal(t, "postgres://db/crossdock", g.databaseURL)
	require.Equal(t, []string{"acme:one", "globex:two"}, o.partnerTokens)
}

func TestCommandLineWinsOverEnvironment(t *testing.T) {
	t.Setenv("CROSSDOCK_ADDR", "0.0.0.0:9999")
	_, o := probe(t, "serve", "--addr", "127.0.0.1:7000")
	require.Equal(t, "127.0.0.1:7000", o.addr)
}

func TestBadEnvironmentValueIsNamed(t *testing.T) {
	t.Setenv("CROSSDOCK_READY_MAX_LAG", "lots")
	root := newRootCmd()
	root.SetArgs([]string{"serve"})
	root.SetOut(&bytes.Buffer{})
	root.SetErr(&bytes.Buffer{})
	err := root.Execute()
	require.ErrorContains(t, err, "CROSSDOCK_READY_MAX_LAG")
}

func TestRedactURL(t *testing.T) {
	for _, raw := range []string{
		"postgres://crossdock:s3cret@db:5432/hub",
		"postgres://crossdock@db:5432/hub?password=s3cret",
		"host=db port=5432 user=crossdock password=s3cret dbname=hub",
	} {
		got := redactURL(raw)
		require.Equal(t, "postgres://crossdock@db:5432/hub", got, raw)
		require.NotContains(t, got, "s3cret")
	}
	require.Equal(t, "(configured database)", redactURL("postgres://[bad"))
}
