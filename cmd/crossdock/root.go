package main

import (
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

const envPrefix = "CROSSDOCK_"

// envAnnotation on a flag names its environment variable when the flag's own name would not say enough.
const envAnnotation = "crossdock_env"

// globalOptions are the flags every command has.
type globalOptions struct {
	databaseURL string
	dataDir     string
	logLevel    string
	logFormat   string
	sealKeyFile string
	sqliteSync  string
}

func newRootCmd() *cobra.Command {
	g := &globalOptions{}
	root := &cobra.Command{
		Use:   "crossdock",
		Short: "Crossdock: the event-sourced integration hub between Odoo and its partners",
		Long: `Crossdock turns every document a supplier, warehouse, carrier or Odoo sends into an immutable
event, and serves views built from those events over GraphQL.

It runs with no setup on an embedded SQLite file (under --data-dir), and in production on PostgreSQL
(--database-url postgres://...). Every flag can also be given as an environment variable: CROSSDOCK_
and the flag name in upper case, dashes as underscores (CROSSDOCK_DATABASE_URL, CROSSDOCK_ADDR, ...).`,
		SilenceUsage:  true,
		SilenceErrors: true, // main prints the error once, as "crossdock: ..."
		PersistentPreRunE: func(cmd *cobra.Command, _ []string) error {
			if err := applyEnv(cmd); err != nil {
				return err
			}
			// An operator command says what it did on standard output; its log keeps to warnings unless
			// asked. The hub logs what it does (info).
			if f := cmd.Flags().Lookup("log-level"); f != nil && !f.Changed && cmd.Name() != "serve" &&
				os.Getenv(envPrefix+"LOG_LEVEL") == "" {
				g.logLevel = "warn"
			}
			return nil
		},
	}
	pf := root.PersistentFlags()
	pf.StringVar(&g.databaseURL, "database-url", "",
		"PostgreSQL URL (postgres://user@host:5432/db); empty uses the embedded SQLite file in --data-dir")
	pf.StringVar(&g.dataDir, "data-dir", "./crossdock-data", "directory of the embedded SQLite database")
	pf.StringVar(&g.logLevel, "log-level", "info", "log level: debug, info, warn or error (operator commands other than serve default to warn)")
	pf.StringVar(&g.logFormat, "log-format", "text", "log format: text or json")
	pf.StringVar(&g.sqliteSync, "sqlite-synchronous", "NORMAL",
		"SQLite's synchronous setting for the embedded store's writer: NORMAL (one fsync per partner message, made when its answer is archived, which also covers its events) or FULL (an fsync per transaction)")
	pf.StringVar(&g.sealKeyFile, "seal-key-file", "",
		"file of the 32-byte key partner webhook secrets are sealed under (created on first use); default <data-dir>/seal.key. Every hub process of one database needs the same file")

	root.AddCommand(newServeCmd(g), newMigrateCmd(g), newProjectionsCmd(g), newInspectCmd(),
		newIngestCmd(g), newReplayCmd(g), newMessagesCmd(g), newPartnersCmd(g), newOdooCmd(g), newDemoCmd(g))
	return root
}

// applyEnv sets every flag not given on the command line from its CROSSDOCK_* variable.
func applyEnv(cmd *cobra.Command) error {
	var errs []string
	set := func(f *pflag.Flag) {
		if f.Changed {
			return
		}
		name := envPrefix + strings.ToUpper(strings.ReplaceAll(f.Name, "-", "_"))
		if env, ok := f.Annotations[envAnnotation]; ok { // a short flag with a longer variable (--url: CROSSDOCK_ODOO_URL)
			name = env[0]
		}
		v, ok := os.LookupEnv(name)
		if !ok {
			return
		}
		if sv, isSlice := f.Value.(pflag.SliceValue); isSlice {
			if err := sv.Replace(splitList(v)); err != nil {
				errs = append(errs, fmt.Sprintf("%s: %v", name, err))
			}
			return
		}
		if err := f.Value.Set(v); err != nil {
			errs = append(errs, fmt.Sprintf("%s=%q: %v", name, v, err))
		}
	}
	cmd.Flags().VisitAll(set)
	cmd.InheritedFlags().VisitAll(set)
	if len(errs) > 0 {
		return fmt.Errorf("environment: %s", strings.Join(errs, "; "))
	}
	return nil
}

func splitList(v string) []string {
	var out []string
	for _, s := range strings.Split(v, ",") {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

func (g *globalOptions) logger(w io.Writer) (*slog.Logger, error) {
	var level slog.Level
	if err := level.UnmarshalText([]byte(g.logLevel)); err != nil {
		return nil, fmt.Errorf("--log-level %q: want debug, info, warn or error", g.logLevel)
	}
	opts := &slog.HandlerOptions{Level: level}
	switch g.logFormat {
	case "text":
		return slog.New(slog.NewTextHandler(w, opts)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(w, opts)), nil
	default:
		return nil, fmt.Errorf("--log-format %q: want text or json", g.logFormat)
	}
}
