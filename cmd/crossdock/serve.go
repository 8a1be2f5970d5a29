package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"net"
	"net/http"
	_ "net/http/pprof" // served only on --pprof-addr
	"os"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode"

	"github.com/labstack/echo/v4"
	"github.com/spf13/cobra"

	"github.com/crossdock-hub/crossdock/adapters/changefeed"
	"github.com/crossdock-hub/crossdock/adapters/httpapi"
	"github.com/crossdock-hub/crossdock/adapters/inbox"
	"github.com/crossdock-hub/crossdock/adapters/ingest"
	"github.com/crossdock-hub/crossdock/adapters/messaging"
	"github.com/crossdock-hub/crossdock/adapters/odoo"
	"github.com/crossdock-hub/crossdock/adapters/odoocapture"
	"github.com/crossdock-hub/crossdock/commands"
	"github.com/crossdock-hub/crossdock/commands/workflows"
	"github.com/crossdock-hub/crossdock/domain/invoice"
	"github.com/crossdock-hub/crossdock/domain/order"
	"github.com/crossdock-hub/crossdock/domain/receipt"
	"github.com/crossdock-hub/crossdock/domain/shipment"
	"github.com/crossdock-hub/crossdock/eventstore"
	"github.com/crossdock-hub/crossdock/projections"
	"github.com/crossdock-hub/crossdock/projections/divergence"
	"github.com/crossdock-hub/crossdock/projections/match"
	"github.com/crossdock-hub/crossdock/projections/odoofailures"
	"github.com/crossdock-hub/crossdock/projections/sla"
	"github.com/crossdock-hub/crossdock/projections/timeline"
	"github.com/crossdock-hub/crossdock/queries"
)

type serveOptions struct {
	addr             string
	partnerTokens    []string
	readyMaxLag      uint64
	maxBodyBytes     int64
	partnersFile     string
	inboxDir         string
	inboxInterval    time.Duration
	adminToken       string
	pprofAddr        string
	bus              string
	busGroup         string
	graphqlTokens    []string
	divergenceWindow time.Duration
	watchInterval    time.Duration
	batchWindow      time.Duration
	odoo             odooOptions
	odooWarehouses   []string
	odooLevelsEvery  time.Duration
	odooPollEvery    time.Duration
	odooLookback     time.Duration
	odooUnits        []string
	odooSecret       string
	identity         identityOptions
}

func newServeCmd(g *globalOptions) *cobra.Command {
	o := &serveOptions{}
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Run the hub: partner ingest, GraphQL, and the projections",
		Long: `Runs the hub in the foreground until SIGINT or SIGTERM.

With no flags it keeps everything in an embedded SQLite file under ./crossdock-data and needs no other
server. With --database-url it runs on PostgreSQL; several hubs may share one database.

Partners are registered as events (crossdock partners ..., the admin API, or --partners FILE at start).
Each authenticates with its own bearer tokens, scoped to document kinds, or signs its webhooks.

Endpoints:
  POST /api/v1/documents                    EDI X12 (application/edi-x12), EDIFACT (application/edifact),
                                            CSV (text/csv) or canonical JSON (application/json), with the
                                            partner's bearer token; EDI is answered with its 997 / CONTRL
  POST /api/v1/webhooks/{format}/{partner}  easypost, shippo, aftership, shiphero or shipbob webhooks,
                                            verified with the partner's HMAC secret (or its bearer token)
  POST /api/v1/asn                          an ASN as canonical JSON (the first partner API)
  /api/v1/admin/...                         partners, tokens, replays, orders (with --admin-token)
  POST /api/v1/odoo/webhook?secret=...      Odoo 17+'s Send Webhook Notification (with --odoo-webhook-secret)
  POST /graphql      GraphQL queries; GET /graphql opens GraphiQL (served from the binary, works offline)
  WS   /graphql      GraphQL subscriptions (graphql-transport-ws): the views' changes as they happen
  GET  /healthz      the process is up
  GET  /readyz       the store answers and every projection is within --ready-max-lag events of the head

With --inbox DIR, files dropped in DIR/<partner>/ are taken once complete, archived, processed and
removed; the answer (and the 997 / CONTRL) is written to DIR/<partner>/out/.

Purchase orders placed with a supplier whose partner record has an outbox channel are written there as
850 / ORDERS; warehouse orders for a warehouse with one, as 940 (see docs/partners-and-formats.md).

With --odoo-url (and --odoo-db, --odoo-user, --odoo-key), Odoo's confirmed purchase orders and sales
orders are polled on write_date every --odoo-poll-interval and recorded (placed, changed, cancelled),
with the pickings validated and vendor bills posted in Odoo (on their orders' timelines) and products;
the supplier's Reference (res.partner ref) in Odoo must be its Crossdock partner ID, and a sales order
goes to the warehouse partner --odoo-warehouse names for its Odoo warehouse. Every warehouse receipt is
booked on the order's incoming picking in Odoo, every shipment of a sales order (945) on its delivery
with the tracking number (a backorder keeps the rest), and every invoice the three-way match finds
matched becomes a draft vendor bill; Odoo's answer is recorded on the document's stream, and while Odoo
is down they wait, in order. Each --odoo-warehouse has Odoo's stock levels read every
--odoo-levels-interval for the inventory divergence view. Check the connection first with crossdock
odoo check; re-drive the log with crossdock odoo redrive.

On SIGINT/SIGTERM the hub stops accepting connections, lets requests in flight finish (an answered
message is always stored first), stops the projections at a batch boundary and closes the store.`,
		Example: `  crossdock serve
  crossdock serve --partners partners.yaml --inbox ./inbox --admin-token "$(cat admin.token)"
  crossdock serve --addr :8080 --partner-token acme:s3cret
  crossdock serve --odoo-url https://acme.odoo.com --odoo-db acme --odoo-user hub@acme.com --odoo-warehouse acme3pl=WH
  CROSSDOCK_DATABASE_URL=postgres://crossdock@db:5432/crossdock CROSSDOCK_PARTNER_TOKEN=acme:s3cret crossdock serve`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return serve(cmd.Context(), g, o, cmd)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.addr, "addr", "127.0.0.1:8080", "address to listen on (host:port; :8080 for every interface)")
	f.StringSliceVar(&o.partnerTokens, "partner-token", nil,
		"a partner's bearer token as partner:token (repeat, or comma-separate in CROSSDOCK_PARTNER_TOKEN); prefer the environment, a command line is visible to other users")
	f.Uint64Var(&o.readyMaxLag, "ready-max-lag", 10000, "readiness fails while a projection is more events than this behind the log")
	f.Int64Var(&o.maxBodyBytes, "max-body-bytes", 1<<20, "largest inbound document accepted, in bytes")
	f.StringVar(&o.partnersFile, "partners", "", "YAML file of partners applied at start (as crossdock partners apply; applying it again changes nothing)")
	f.StringVar(&o.inboxDir, "inbox", "", "watched inbox directory, one sub-directory per partner (off when empty)")
	f.DurationVar(&o.inboxInterval, "inbox-interval", 2*time.Second, "how often the inbox is scanned")
	f.StringVar(&o.pprofAddr, "pprof-addr", "", "address of a Go profiling listener (net/http/pprof), for diagnosing; off when empty — never expose it")
	f.StringVar(&o.adminToken, "admin-token", "", "bearer token of the admin API under /api/v1/admin (off when empty); prefer CROSSDOCK_ADMIN_TOKEN")
	f.StringSliceVar(&o.graphqlTokens, "graphql-token", nil,
		"a GraphQL bearer token as role:token (roles: analyst, finance — amounts and prices —, engineer — projections and rebuilds); repeat, or comma-separate in CROSSDOCK_GRAPHQL_TOKEN. Without any, GraphQL is open to every caller with every role")
	f.DurationVar(&o.divergenceWindow, "divergence-window", 4*time.Hour, "how long an inventory divergence may last before a breach event is raised (once per episode)")
	f.DurationVar(&o.watchInterval, "watch-interval", time.Minute, "how often the hub checks for divergence and SLA breaches")
	f.DurationVar(&o.batchWindow, "projection-batch-window", 50*time.Millisecond,
		"how long a view waits after a batch to take the events appended meanwhile in one transaction: longer windows commit less often under load (on SQLite the views share the one writer with ingest); a view's changes reach subscribers up to this much later")
	f.StringVar(&o.bus, "bus", "memory:", "where views publish their changes (GraphQL subscriptions follow them there): memory: (in this process), postgres://..., nats://host:4222 (JetStream) or amqp://user:pass@host:5672/")
	f.StringVar(&o.busGroup, "bus-group", defaultBusGroup(), "this hub's subscription name on the bus; hubs sharing a bus each need their own (the default is per host)")
	o.identity.register(f)
	o.odoo.register(f, "odoo-")
	f.StringSliceVar(&o.odooWarehouses, "odoo-warehouse", nil,
		"a warehouse partner and the Odoo warehouse it is, as PARTNER=ODOO-WAREHOUSE-CODE (e.g. acme3pl=WH): its stock levels are read from Odoo, and Odoo's sales orders from that warehouse go to it; repeat, or comma-separate in CROSSDOCK_ODOO_WAREHOUSE. Needs --odoo-url")
	f.DurationVar(&o.odooLevelsEvery, "odoo-levels-interval", 5*time.Minute, "how often Odoo's stock levels are read at each --odoo-warehouse")
	f.DurationVar(&o.odooPollEvery, "odoo-poll-interval", time.Minute, "how often Odoo's purchase and sales orders, done pickings, posted vendor bills and products are polled on write_date (with --odoo-url)")
	f.DurationVar(&o.odooLookback, "odoo-poll-lookback", 7*24*time.Hour, "how far back the first poll after a start reaches (what was read before is recognised and not recorded twice)")
	f.StringVar(&o.odooSecret, "odoo-webhook-secret", "",
		"secret of the endpoint for Odoo 17+'s Send Webhook Notification action, POST /api/v1/odoo/webhook?secret=... (at least 32 characters; off when empty); prefer CROSSDOCK_ODOO_WEBHOOK_SECRET")
	f.StringSliceVar(&o.odooUnits, "odoo-unit", nil, "an Odoo unit's code in Crossdock, as NAME=CODE (e.g. Boxes=BX); Units=EA and Dozens=DZ are known. Repeat, or comma-separate in CROSSDOCK_ODOO_UNIT")
	return cmd
}

func serve(ctx context.Context, g *globalOptions, o *serveOptions, cmd *cobra.Command) error {
	if o.watchInterval <= 0 || o.divergenceWindow <= 0 || o.batchWindow <= 0 || o.odooLevelsEvery <= 0 || o.odooPollEvery <= 0 || o.odooLookback <= 0 {
		return fmt.Errorf("--watch-interval (%s), --divergence-window (%s), --projection-batch-window (%s), --odoo-levels-interval (%s), --odoo-poll-interval (%s) and --odoo-poll-lookback (%s) must be positive",
			o.watchInterval, o.divergenceWindow, o.batchWindow, o.odooLevelsEvery, o.odooPollEvery, o.odooLookback)
	}
	warehouses, err := parseWarehouses(o.odooWarehouses)
	if err != nil {
		return err
	}
	if o.odooSecret != "" && o.odoo.url == "" {
		return errors.New("--odoo-webhook-secret needs the Odoo to read the notified records from: --odoo-url, --odoo-db, --odoo-user and --odoo-key")
	}
	if len(warehouses) > 0 && o.odoo.url == "" {
		return errors.New("--odoo-warehouse needs the Odoo to read from: --odoo-url, --odoo-db, --odoo-user and --odoo-key")
	}
	units, err := parsePairs("--odoo-unit", "NAME=CODE, e.g. Boxes=BX", o.odooUnits)
	if err != nil {
		return err
	}
	logger, b, _, err := openWithRunner(ctx, g, cmd.ErrOrStderr())
	if err != nil {
		return err
	}
	defer b.close()
	h, err := newHub(ctx, b, g, logger)
	if err != nil {
		return err
	}
	if o.partnersFile != "" {
		if err := applyPartnersFile(ctx, h, o.partnersFile, "bootstrap", cmd.ErrOrStderr()); err != nil {
			return err
		}
	}
	identity, err := o.identity.parse()
	if err != nil {
		return err
	}
	orders, err := newOrdersWorkflow(b, h.directory, identity, logger)
	if err != nil {
		return err
	}
	var capture *odooCapture
	if o.odoo.url != "" {
		if capture, err = newOdooCapture(o, b, h.directory, warehouses, units, logger); err != nil {
			return err
		}
	}
	bus, err := messaging.Open(ctx, messaging.Config{URL: o.bus, ConsumerGroup: o.busGroup, Logger: logger.With("component", "messaging")})
	if err != nil {
		return err
	}
	defer bus.Close()
	feed := changefeed.NewFeed(bus.Subscriber, messaging.Topic, logger.With("component", "changefeed"))
	defer feed.Close()
	workflows := []projections.Projection{orders}
	if capture != nil {
		workflows = append(workflows, capture.workflows...)
	}
	runner, err := newRunner(b, logger, projections.Config{Changes: changefeed.NewPublisher(bus.Publisher, messaging.Topic), BatchWindow: o.batchWindow},
		workflows...)
	if err != nil {
		return err
	}
	if err := runner.Migrate(ctx); err != nil {
		return fmt.Errorf("migrate projections: %w", err)
	}
	if capture != nil {
		if err := capture.flows.matches.attach(runner); err != nil {
			return err
		}
	}
	reader, err := timeline.NewReader(b.db, runner)
	if err != nil {
		return err
	}
	matches, err := match.NewReader(b.db, runner)
	if err != nil {
		return err
	}
	positions, err := divergence.NewReader(b.db, runner)
	if err != nil {
		return err
	}
	slaReader, err := sla.NewReader(b.db, runner)
	if err != nil {
		return err
	}
	graphqlTokens, err := httpapi.ParseGraphQLTokens(o.graphqlTokens)
	if err != nil {
		return err
	}
	if len(graphqlTokens) == 0 {
		logger.Warn("GraphQL is open: every caller has every role (amounts, rebuilds); set --graphql-token role:token to require tokens")
	}
	rebuildCtx, stopRebuilds := context.WithCancel(context.WithoutCancel(ctx))
	defer stopRebuilds()
	admin := &projectionAdmin{runner: runner, ctx: rebuildCtx, logger: logger.With("component", "projections"), running: map[string]bool{}}
	defer admin.wait()
	var failures queries.OdooFailures
	if capture != nil {
		fr, err := odoofailures.NewReader(b.db, runner)
		if err != nil {
			return err
		}
		failures = odooRetrier{reader: fr, store: b.store, workflows: capture.byKind}
	}
	gql, err := queries.NewService(queries.Config{
		OdooFailures: failures,
		Timeline:     reader,
		Match:        matches,
		Divergence:   positions,
		SLA:          slaReader,
		Health:       healthSource{archive: b.archive, timeline: reader, runner: runner},
		Changes:      feed,
		Projections:  admin,
		Logger:       logger.With("component", "graphql"),
		PublicError: func(err error) bool {
			return errors.Is(err, timeline.ErrInvalidQuery) || errors.Is(err, match.ErrInvalidQuery) ||
				errors.Is(err, divergence.ErrInvalidQuery)
		},
	})
	if err != nil {
		return err
	}

	receiver, err := commands.NewReceiveASNHandler(b.store, commands.ReceiveASNConfig{Logger: logger.With("component", "commands")})
	if err != nil {
		return err
	}
	auth := ingest.Authenticators{directoryAuth{h.directory}}
	in, err := ingest.New(b.archive, receiver, ingest.Config{
		Tokens:       o.partnerTokens,
		Auth:         auth,
		MaxBodyBytes: o.maxBodyBytes,
		Logger:       logger.With("component", "ingest"),
	})
	if err != nil {
		return err
	}
	if len(o.partnerTokens) > 0 {
		flagTokens, err := ingest.ParseTokens(o.partnerTokens)
		if err != nil {
			return err
		}
		auth = append(auth, flagTokens)
	}
	docs, err := ingest.NewDocuments(h.processor, auth, h.directory, ingest.DocumentsConfig{MaxBodyBytes: o.maxBodyBytes})
	if err != nil {
		return err
	}
	adminMount, err := adminRoutes(h, b, o.adminToken, logger)
	if err != nil {
		return err
	}
	mount := func(e *echo.Echo) {
		api := e.Group("/api/v1")
		in.Register(api)
		docs.Register(api)
		adminMount(api)
		if capture != nil && capture.webhook != nil {
			capture.webhook.Register(api)
		}
	}

	srv, err := httpapi.New(httpapi.Config{
		Logger:        logger.With("component", "http"),
		GraphQL:       gql,
		Subscriptions: gql,
		GraphQLTokens: graphqlTokens,
		MaxBodyBytes:  o.maxBodyBytes,
		Mount:         mount,
		Checks: map[string]httpapi.Check{
			"eventstore": func(ctx context.Context) error {
				_, err := b.store.Head(ctx)
				return err
			},
			"projections": func(ctx context.Context) error { return projectionsReady(ctx, runner, o.readyMaxLag, workflows) },
		},
	})
	if err != nil {
		return err
	}

	if o.pprofAddr != "" {
		go func() {
			srv := &http.Server{Addr: o.pprofAddr, Handler: http.DefaultServeMux, ReadHeaderTimeout: 5 * time.Second}
			logger.Warn("profiling listener on", "addr", o.pprofAddr)
			if err := srv.ListenAndServe(); err != nil {
				logger.Error("profiling listener stopped", "error", err)
			}
		}()
	}
	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "tcp", o.addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", o.addr, err)
	}
	base := "http://" + displayAddr(ln.Addr())
	fmt.Fprintf(cmd.OutOrStdout(), "Crossdock is running on %s\n  GraphiQL:    %s/graphql\n  documents:   POST %s/api/v1/documents  (webhooks: %s/api/v1/webhooks/{format}/{partner})\n  health:      %s/healthz  %s/readyz\n  partners:    %d registered\nPress Ctrl-C to stop.\n",
		b.describe, base, base, base, base, base, len(h.directory.List()))

	// The projections stop when the server has drained: every request answered by then is in the log,
	// and a projection stopped between batches resumes from its checkpoint.
	runCtx, stopRunner := context.WithCancel(context.WithoutCancel(ctx))
	var wg sync.WaitGroup
	wg.Go(func() {
		if err := runner.Run(runCtx); err != nil {
			logger.Error("projections stopped", "error", err)
		}
	})
	// Breaches are raised on a clock; every hub may run the watch: a breach's ID derives from its episode.
	divergenceWatch := &commands.DivergenceWatch{Positions: divergedView{positions}, Store: b.store, Window: o.divergenceWindow,
		Logger: logger.With("component", "divergence-watch")}
	wg.Go(func() { watch(runCtx, "divergence watch", divergenceWatch.Check, o.watchInterval, logger) })
	slaWatch := &commands.SLAWatch{Due: dueSLA{slaReader}, Store: b.store, Logger: logger.With("component", "sla-watch")}
	wg.Go(func() { watch(runCtx, "SLA watch", slaWatch.Check, o.watchInterval, logger) })
	if capture != nil {
		wg.Go(func() { _ = capture.orders.Run(runCtx) })
		wg.Go(func() { _ = capture.sales.Run(runCtx) })
		wg.Go(func() { _ = capture.records.Run(runCtx) })
		fmt.Fprintf(cmd.OutOrStdout(), "  odoo:        %s, orders, pickings, bills and products every %s", o.odoo.url, o.odooPollEvery)
		if capture.levels != nil {
			wg.Go(func() { _ = capture.levels.Run(runCtx) })
			fmt.Fprintf(cmd.OutOrStdout(), ", stock levels of %s every %s", strings.Join(slices.Sorted(maps.Keys(warehouses)), ", "), o.odooLevelsEvery)
		}
		fmt.Fprintln(cmd.OutOrStdout())
		if capture.webhook != nil {
			fmt.Fprintf(cmd.OutOrStdout(), "  odoo hook:   POST %s/api/v1%s?secret=...\n", base, odoocapture.WebhookPath)
		}
	}
	// The directory follows partner changes made by other processes (the CLI, another hub).
	wg.Go(func() {
		if err := h.directory.Run(runCtx); err != nil {
			logger.Error("partner directory stopped", "error", err)
		}
	})
	// The inbox stops with the server (ctx): a file being taken is finished first.
	var inboxDone sync.WaitGroup
	if o.inboxDir != "" {
		w, err := inbox.New(h.processor, inbox.Config{Dir: o.inboxDir, Interval: o.inboxInterval, Logger: logger.With("component", "inbox")})
		if err != nil {
			stopRunner()
			wg.Wait()
			return err
		}
		inboxDone.Go(func() { _ = w.Run(ctx) })
		fmt.Fprintf(cmd.OutOrStdout(), "  inbox:       %s/<partner>/\n", o.inboxDir)
	}
	serveErr := srv.Serve(ctx, ln)
	inboxDone.Wait()
	stopRebuilds() // an interrupted rebuild resumes from its checkpoint when it is started again
	admin.wait()
	stopRunner()
	wg.Wait()
	if serveErr != nil {
		return serveErr
	}
	logger.Info("crossdock stopped")
	return nil
}

// projectionsReady fails when a projection has failed or lags more than maxLag events behind the log.
// What /readyz shows is the figures; a failure's own text (SQL, hosts) goes to the log only.
func projectionsReady(ctx context.Context, runner *projections.Runner, maxLag uint64, workflows []projections.Projection) error {
	statuses, err := runner.Status(ctx)
	if err != nil {
		return err
	}
	var public []string
	var causes []error
	for _, s := range statuses {
		// A workflow waiting for Odoo does not make the hub unready: partners' documents are still
		// taken, and the views still answer. Its state is in crossdock projections status.
		if slices.ContainsFunc(workflows, func(w projections.Projection) bool { return w.Name() == s.Name }) {
			continue
		}
		switch {
		case s.State == projections.Failed:
			public = append(public, s.Name+" failed (crossdock projections status has the cause)")
			causes = append(causes, fmt.Errorf("%s: %s", s.Name, s.Error))
		case s.Lag > maxLag:
			public = append(public, fmt.Sprintf("%s is %d events behind (limit %d)", s.Name, s.Lag, maxLag))
		}
	}
	if len(public) == 0 {
		return nil
	}
	return errors.Join(append(causes, httpapi.PublicCheckError("%s", strings.Join(public, "; ")))...)
}

// displayAddr turns a listening address into one a browser can open (0.0.0.0 and :: become localhost).
func displayAddr(a net.Addr) string {
	host, port, err := net.SplitHostPort(a.String())
	if err != nil {
		return a.String()
	}
	if ip := net.ParseIP(host); ip == nil || ip.IsUnspecified() {
		host = "localhost"
	}
	if strings.Contains(host, ":") {
		host = "[" + host + "]"
	}
	return net.JoinHostPort(strings.Trim(host, "[]"), port)
}

// defaultBusGroup names this host's subscription on a shared bus: every hub must see every change, so
// hubs do not share one; two hubs on one host set --bus-group apart.
func defaultBusGroup() string {
	host, err := os.Hostname()
	if err != nil || host == "" {
		return "crossdock"
	}
	var b strings.Builder
	b.WriteString("crossdock-")
	for _, r := range host {
		if r < 128 && (unicode.IsLetter(r) || unicode.IsDigit(r) || r == '-' || r == '_') {
			b.WriteRune(r)
		} else {
			b.WriteByte('_')
		}
	}
	return b.String()
}

// projectionAdmin starts rebuilds asked for over GraphQL in the background, one per projection at a time,
// for as long as the hub runs.
type projectionAdmin struct {
	runner *projections.Runner
	ctx    context.Context
	logger *slog.Logger
	wg     sync.WaitGroup

	mu      sync.Mutex
	running map[string]bool
}

func (a *projectionAdmin) Status(ctx context.Context) ([]projections.Status, error) {
	return a.runner.Status(ctx)
}

func (a *projectionAdmin) StartRebuild(ctx context.Context, name string) error {
	statuses, err := a.runner.Status(ctx)
	if err != nil {
		return err
	}
	if !slices.ContainsFunc(statuses, func(s projections.Status) bool { return s.Name == name }) {
		return projections.ErrUnknownProjection
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.running[name] {
		return queries.ErrRebuildRunning
	}
	a.running[name] = true
	a.wg.Go(func() {
		a.logger.Info("projection rebuild asked for over GraphQL", "projection", name)
		if err := a.runner.Rebuild(a.ctx, name); err != nil && a.ctx.Err() == nil {
			a.logger.Error("projection rebuild failed", "projection", name, "error", err)
		}
		a.mu.Lock()
		delete(a.running, name)
		a.mu.Unlock()
	})
	return nil
}

func (a *projectionAdmin) wait() { a.wg.Wait() }

// odooCapture is what the hub reads from Odoo.
type odooCapture struct {
	orders  *odoocapture.OrderCapture
	sales   *odoocapture.SalesCapture
	records *odoocapture.RecordsCapture
	levels  *odoocapture.LevelsPoller // nil without --odoo-warehouse
	webhook *odoocapture.Webhook      // nil without --odoo-webhook-secret
	// workflows drive Odoo from the log: the runner follows them like the views. byKind has them by the
	// kind of document they book, for a retry of a dead letter.
	workflows []projections.Projection
	byKind    map[string]retryable
	flows     odooWorkflows
}

// newOdooCapture connects the capture of Odoo's purchase orders and, for each --odoo-warehouse, of its
// stock levels. It does not call Odoo: a hub starts while Odoo is down, and catches up when it is back.
func newOdooCapture(o *serveOptions, b *backend, partners workflows.Partners, warehouses, units map[string]string, logger *slog.Logger) (*odooCapture, error) {
	cfg := o.odoo.config()
	cfg.MaxAttempts = 0 // the client's default
	cfg.Logger = logger.With("component", "odoo")
	client, err := odoo.New(cfg)
	if err != nil {
		return nil, err
	}
	placer, err := commands.NewPlaceOrderHandler(b.store, commands.PlaceOrderConfig{Logger: logger.With("component", "commands")})
	if err != nil {
		return nil, err
	}
	c := &odooCapture{}
	c.orders, err = odoocapture.NewOrderCapture(odoocapture.OrdersConfig{Odoo: client, Archive: b.archive, Placer: placer, Units: units,
		Interval: o.odooPollEvery, Lookback: o.odooLookback, Logger: logger.With("component", "odoo-orders")})
	if err != nil {
		return nil, err
	}
	shipsFrom := map[string]string{}
	for partner, code := range warehouses {
		shipsFrom[code] = partner
	}
	c.sales, err = odoocapture.NewSalesCapture(odoocapture.SalesConfig{Odoo: client, Archive: b.archive, Placer: placer, Units: units,
		Warehouses: shipsFrom, Interval: o.odooPollEvery, Lookback: o.odooLookback, Logger: logger.With("component", "odoo-sales")})
	if err != nil {
		return nil, err
	}
	recorder, err := commands.NewOdooRecordsHandler(b.store, logger.With("component", "commands"))
	if err != nil {
		return nil, err
	}
	c.records, err = odoocapture.NewRecordsCapture(odoocapture.RecordsConfig{Odoo: client, Archive: b.archive, Recorder: recorder,
		Interval: o.odooPollEvery, Lookback: o.odooLookback, Logger: logger.With("component", "odoo-records")})
	if err != nil {
		return nil, err
	}
	validations, err := commands.NewOdooInventoryHandler(b.store, logger.With("component", "commands"))
	if err != nil {
		return nil, err
	}
	c.flows, err = newOdooWorkflows(b, client, partners, "odoo:"+o.odoo.database, logger)
	if err != nil {
		return nil, err
	}
	c.workflows = c.flows.all()
	c.byKind = map[string]retryable{odoofailures.KindReceipt: c.flows.receipts, odoofailures.KindDelivery: c.flows.shipments,
		odoofailures.KindBill: c.flows.bills, odoofailures.KindASN: c.flows.receipts}
	if o.odooSecret != "" {
		models := c.records.Notifiers()
		models["purchase.order"], models["sale.order"] = c.orders, c.sales
		c.webhook, err = odoocapture.NewWebhook(odoocapture.WebhookConfig{Secret: o.odooSecret, Archive: b.archive,
			Models: models, Logger: logger.With("component", "odoo-webhook")})
		if err != nil {
			return nil, err
		}
	}
	if len(warehouses) == 0 {
		return c, nil
	}
	c.levels, err = odoocapture.NewLevelsPoller(odoocapture.LevelsConfig{Odoo: client, Archive: b.archive, Recorder: validations,
		Warehouses: warehouses, Interval: o.odooLevelsEvery, Logger: logger.With("component", "odoo-levels")})
	return c, err
}

// odooRetrier lists the workflows' dead letters and retries one: its trigger event is reacted to again
// by the workflow of its kind, which records what Odoo answers this time.
type odooRetrier struct {
	reader    *odoofailures.Reader
	store     eventstore.Store
	workflows map[string]retryable
}

// retryable is a workflow a dead letter can be retried with.
type retryable interface {
	projections.Reactor
	Filter() eventstore.Filter
}

func (r odooRetrier) List(ctx context.Context, partner string, first int) ([]odoofailures.Failure, error) {
	return r.reader.List(ctx, partner, first)
}

func (r odooRetrier) Retry(ctx context.Context, eventID string) (bool, error) {
	f, err := r.reader.Get(ctx, eventID)
	if err != nil {
		return false, err
	}
	wf, ok := r.workflows[f.Kind]
	if !ok {
		return false, fmt.Errorf("no workflow books %s documents", f.Kind)
	}
	events, err := r.store.ReadStream(ctx, f.StreamID, 1, 100000)
	if err != nil {
		return false, fmt.Errorf("read %s: %w", f.StreamID, err)
	}
	i := slices.IndexFunc(events, func(ev eventstore.Event) bool { return ev.ID.String() == f.TriggerEventID })
	for j := len(events) - 1; i < 0 && j >= 0; j-- {
		// Triggered from another stream (a receipt that made an invoice matched): the document's own
		// last event the workflow reacts to.
		if wf.Filter().Match(events[j]) {
			i = j
		}
	}
	if i < 0 {
		return false, fmt.Errorf("neither event %s nor one its workflow reacts to is on %s", f.TriggerEventID, f.StreamID)
	}
	if err := wf.React(ctx, events[i:i+1]); err != nil {
		if errors.Is(err, workflows.ErrLater) {
			return false, fmt.Errorf("%w: %v", queries.ErrOdooUnavailable, err)
		}
		return false, err
	}
	// Booked now when the stream's last word about it is a booking.
	after, err := r.store.ReadStream(ctx, f.StreamID, int64(len(events))+1, 100)
	if err != nil {
		return false, fmt.Errorf("read %s: %w", f.StreamID, err)
	}
	for _, ev := range after {
		if ev.Metadata.CausationID == events[i].ID.String() && (ev.Type == receipt.EventBookedInOdoo || ev.Type == order.EventDeliveryBookedInOdoo ||
			ev.Type == invoice.EventBilledInOdoo || ev.Type == shipment.EventAnnouncedInOdoo) {
			return true, nil
		}
	}
	return false, nil
}
