package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/crossdock-hub/crossdock/adapters/odoo"
	"github.com/crossdock-hub/crossdock/adapters/odoosim"
)

// odooOptions are the flags that say which Odoo to talk to.
type odooOptions struct {
	url, database, user, key, protocol string
	timeout, breakerCooldown           time.Duration
}

// register adds the flags, each named prefix + its name (--url, or --odoo-url for serve); each also
// reads CROSSDOCK_ODOO_<NAME>.
func (o *odooOptions) register(f *pflag.FlagSet, prefix string) {
	flag := func(p *string, name, env, value, usage string) {
		f.StringVar(p, prefix+name, value, usage+" (env "+env+")")
		_ = f.SetAnnotation(prefix+name, envAnnotation, []string{env})
	}
	flag(&o.url, "url", "CROSSDOCK_ODOO_URL", "", "Odoo's base URL, e.g. https://acme.odoo.com")
	flag(&o.database, "db", "CROSSDOCK_ODOO_DB", "", "Odoo database name")
	flag(&o.user, "user", "CROSSDOCK_ODOO_USER", "", "login of the integration user (JSON-RPC, Odoo 16-18)")
	flag(&o.key, "key", "CROSSDOCK_ODOO_KEY", "", "the user's API key (Preferences > Account Security > New API Key)")
	flag(&o.protocol, "protocol", "CROSSDOCK_ODOO_PROTOCOL", odoo.ProtocolAuto, "auto (JSON-2 on 19+, JSON-RPC before), jsonrpc or json2")
	f.DurationVar(&o.timeout, prefix+"timeout", 30*time.Second, "time allowed for one request to Odoo (env CROSSDOCK_ODOO_TIMEOUT)")
	_ = f.SetAnnotation(prefix+"timeout", envAnnotation, []string{"CROSSDOCK_ODOO_TIMEOUT"})
	f.DurationVar(&o.breakerCooldown, prefix+"breaker-cooldown", 30*time.Second,
		"after 5 straight failures to reach Odoo, calls stop this long before one is let through to try (env CROSSDOCK_ODOO_BREAKER_COOLDOWN)")
	_ = f.SetAnnotation(prefix+"breaker-cooldown", envAnnotation, []string{"CROSSDOCK_ODOO_BREAKER_COOLDOWN"})
}

func (o *odooOptions) config() odoo.Config {
	return odoo.Config{URL: o.url, Database: o.database, Login: o.user, APIKey: o.key, Protocol: o.protocol,
		Timeout: o.timeout, MaxAttempts: 3, BreakerCooldown: o.breakerCooldown}
}

// parseWarehouses reads --odoo-warehouse values: crossdock-warehouse=ODOO-CODE.
func parseWarehouses(values []string) (map[string]string, error) {
	return parsePairs("--odoo-warehouse", "crossdock-warehouse=ODOO-WAREHOUSE-CODE, e.g. acme3pl=WH", values)
}

// parsePairs reads flag values of the form key=value.
func parsePairs(flag, want string, values []string) (map[string]string, error) {
	out := map[string]string{}
	for _, v := range values {
		key, value, ok := strings.Cut(v, "=")
		key, value = strings.TrimSpace(key), strings.TrimSpace(value)
		if !ok || key == "" || value == "" {
			return nil, fmt.Errorf("%s %q: want %s", flag, v, want)
		}
		if prev, dup := out[key]; dup && prev != value {
			return nil, fmt.Errorf("%s: %s is given both %s and %s", flag, key, prev, value)
		}
		out[key] = value
	}
	return out, nil
}

func newOdooCmd(g *globalOptions) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "odoo",
		Short: "Check a connection to Odoo, re-drive the log through the Odoo workflows, or run the Odoo simulator",
		Long: `Commands that talk to an Odoo server directly. Odoo 16 to 19 are supported: the client asks the
server's version, speaks JSON-2 to 19 and later and JSON-RPC (execute_kw) before, and uses the field
names of that version. Authenticate with an API key of the integration user.`,
	}
	cmd.AddCommand(newOdooCheckCmd(g), newOdooRedriveCmd(g), newOdooSimulateCmd(g))
	return cmd
}

func newOdooSimulateCmd(g *globalOptions) *cobra.Command {
	cfg := odoosim.Config{}
	var listen string
	cmd := &cobra.Command{
		Use:   "simulate",
		Short: "Run the Odoo simulator: an in-memory Odoo 16, 17 or 19 to try the connector against",
		Long: `Serves an in-memory Odoo over HTTP until interrupted: JSON-RPC on every version, JSON-2 on 19, with
Odoo's purchase, stock, sale and account flows, its error answers and the field names of the version
(see adapters/odoosim). Nothing is kept when it stops. The tests and the demo use the same simulator.`,
		Example: `  crossdock odoo simulate --version 19 --listen 127.0.0.1:8069 &
  crossdock odoo check --url http://127.0.0.1:8069 --db odoo --user integration@example.com --key ` + odoosim.DefaultAPIKey,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			logger, err := g.logger(cmd.ErrOrStderr())
			if err != nil {
				return err
			}
			cfg.Logger = logger
			sim, err := odoosim.New(cfg)
			if err != nil {
				return err
			}
			ln, err := net.Listen("tcp", listen)
			if err != nil {
				return fmt.Errorf("listen on %s: %w", listen, err)
			}
			srv := &http.Server{Handler: sim, ReadHeaderTimeout: 10 * time.Second}
			fmt.Fprintf(cmd.OutOrStdout(), "Odoo %d simulator on http://%s: database %s, login %s, API key %s\n",
				cfg.Version, ln.Addr(), cfg.Database, cfg.Login, cfg.APIKey)
			errc := make(chan error, 1)
			go func() { errc <- srv.Serve(ln) }()
			select {
			case err := <-errc:
				return err
			case <-cmd.Context().Done():
				ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
				defer cancel()
				return srv.Shutdown(ctx)
			}
		},
	}
	f := cmd.Flags()
	f.StringVar(&listen, "listen", "127.0.0.1:8069", "address to serve on")
	f.IntVar(&cfg.Version, "version", odoosim.DefaultVersion, "Odoo version to simulate: 16, 17 or 19")
	f.StringVar(&cfg.Database, "database", odoosim.DefaultDatabase, "database name")
	f.StringVar(&cfg.Login, "login", odoosim.DefaultLogin, "the integration user's login")
	f.StringVar(&cfg.APIKey, "key", odoosim.DefaultAPIKey, "the API key it accepts")
	f.BoolVar(&cfg.FaultsEndpoint, "faults-endpoint", false,
		`serve POST /__sim/faults to inject faults from outside, e.g. {"Down":true}, {"Latency":2000000000}, {"ServerErrors":3}, {} to clear (for tests)`)
	for _, name := range []string{"listen", "version", "database", "login", "key", "faults-endpoint"} {
		_ = f.SetAnnotation(name, envAnnotation, []string{"CROSSDOCK_ODOOSIM_" + strings.ToUpper(strings.ReplaceAll(name, "-", "_"))})
	}
	return cmd
}

func newOdooCheckCmd(g *globalOptions) *cobra.Command {
	o := &odooOptions{}
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "check",
		Short: "Connect to Odoo and say whether it has every model, field and access right the connector needs",
		Long: `Connects to Odoo, logs in, reports the server's version and the protocol the connector will speak,
then checks each model the connector reads or writes: that it exists (its module is installed), that it
has the fields the connector uses in this version, and that the user holds the access rights it needs.

Each missing piece is printed with what to do (the module to install, the right to grant). The command
exits 0 when nothing is missing, 1 when something is, and 2 when Odoo cannot be reached or refuses the
login.`,
		Example: `  crossdock odoo check --url https://acme.odoo.com --db acme --user integration@acme.com --key $KEY
  CROSSDOCK_ODOO_URL=http://localhost:8069 CROSSDOCK_ODOO_DB=odoo CROSSDOCK_ODOO_USER=admin \
    CROSSDOCK_ODOO_KEY=... crossdock odoo check --json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			logger, err := g.logger(cmd.ErrOrStderr())
			if err != nil {
				return err
			}
			cfg := o.config()
			cfg.Logger = logger
			client, err := odoo.New(cfg)
			if err != nil {
				return fmt.Errorf("%w\n(give --url, --db, --user and --key, or CROSSDOCK_ODOO_URL, _DB, _USER and _KEY)", err)
			}
			report, err := odoo.Check(cmd.Context(), client)
			if err != nil {
				fmt.Fprintln(cmd.ErrOrStderr(), "crossdock:", err)
				return exitError{code: 2}
			}
			if asJSON {
				enc := json.NewEncoder(cmd.OutOrStdout())
				enc.SetIndent("", "  ")
				if err := enc.Encode(checkJSON(report)); err != nil {
					return err
				}
			} else {
				printCheck(cmd, report)
			}
			if !report.OK() {
				return exitError{code: 1}
			}
			return nil
		},
	}
	o.register(cmd.Flags(), "")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the report as JSON")
	return cmd
}

func printCheck(cmd *cobra.Command, r odoo.Report) {
	w := cmd.OutOrStdout()
	fmt.Fprintf(w, "Odoo %s at %s, database %s, over %s\n", r.Version, r.URL, r.Database, r.Protocol)
	for _, m := range r.Models {
		mark := "ok     "
		if !m.OK() {
			mark = "MISSING"
		}
		fmt.Fprintf(w, "  %s %-20s %s\n", mark, m.Model, m.Why)
	}
	problems := r.Problems()
	if len(problems) == 0 {
		fmt.Fprintln(w, "Everything the connector needs is there.")
		return
	}
	fmt.Fprintf(w, "%d problem(s):\n", len(problems))
	for _, p := range problems {
		fmt.Fprintln(w, "  -", p)
	}
}

type checkModelJSON struct {
	Model         string   `json:"model"`
	Module        string   `json:"module"`
	Why           string   `json:"why"`
	OK            bool     `json:"ok"`
	Missing       bool     `json:"missing,omitempty"`
	MissingFields []string `json:"missing_fields,omitempty"`
	MissingRights []string `json:"missing_rights,omitempty"`
	Error         string   `json:"error,omitempty"`
}

func checkJSON(r odoo.Report) any {
	models := make([]checkModelJSON, len(r.Models))
	for i, m := range r.Models {
		models[i] = checkModelJSON{Model: m.Model, Module: m.Module, Why: m.Why, OK: m.OK(), Missing: m.Missing,
			MissingFields: m.MissingFields, MissingRights: m.MissingRights, Error: m.Error}
	}
	return map[string]any{"url": r.URL, "database": r.Database, "version": r.Version.String(), "protocol": r.Protocol,
		"ok": r.OK(), "models": models, "problems": r.Problems()}
}
