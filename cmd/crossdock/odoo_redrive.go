package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/crossdock-hub/crossdock/adapters/odoo"
	"github.com/crossdock-hub/crossdock/commands/workflows"
	"github.com/crossdock-hub/crossdock/domain/invoice"
	"github.com/crossdock-hub/crossdock/domain/receipt"
	"github.com/crossdock-hub/crossdock/eventstore"
	"github.com/crossdock-hub/crossdock/projections"
)

// redriveWorkflow is a workflow the re-drive runs: it reacts to events, and plans without writing.
type redriveWorkflow interface {
	projections.Projection
	projections.Reactor
	workflows.Planner
}

func newOdooRedriveCmd(g *globalOptions) *cobra.Command {
	o := &odooOptions{}
	var (
		since, stream  string
		dryRun, asJSON bool
	)
	cmd := &cobra.Command{
		Use:   "redrive (--since T | --stream S) [--dry-run]",
		Short: "Replay the log's events through the Odoo workflows: Odoo gets what it misses, and nothing twice",
		Long: `Reads the events the Odoo workflows react to (warehouse receipts, shipments of sales orders, supplier
invoices) from the log — those recorded since an instant, or those of one stream — and takes each
through its workflow again, in log order, against the Odoo given. Invoices are billed as the three-way
match stands now (as the hub's store holds it).

Every workflow write is idempotent: each document is tied to its Odoo record by an external ID
(ir.model.data, module crossdock) before anything is written, and checked for its state before any
transition. So a re-drive writes only what Odoo does not have — after an outage, a restore of Odoo
from a backup, or a fix of a refused document — and records Odoo's answers on the documents' streams as
the hub does; what the log already records as booked adds nothing to it.

--dry-run writes nothing, to Odoo or to the log: it prints, per document, what would be written and
what Odoo already has. It is safe beside a running hub; a real run is not, and on PostgreSQL refuses
to start while a hub runs the workflows (on SQLite, stop the hub first).

The command exits 0 when every document is in Odoo (or, in a dry run, would be written or is there),
1 when Odoo refuses some (each is then a dead letter with Odoo's reason), and 2 when Odoo cannot be
reached: what was done before stays done, and running the command again goes on.`,
		Example: `  # What would a re-drive of the last three days write?
  crossdock odoo redrive --since 72h --dry-run
  # Re-drive everything since the outage began, then one receipt's stream.
  crossdock odoo redrive --since 2026-11-26T08:00:00Z
  crossdock odoo redrive --stream receipt-northwind:RCV-5001`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if (since == "") == (stream == "") {
				return errors.New("say what to re-drive: --since T (an instant, a date, or a duration ago such as 72h; --since 1970-01-01 for the whole log) or --stream S, not both")
			}
			var from time.Time
			if since != "" {
				t, err := parseSince(since, time.Now())
				if err != nil {
					return err
				}
				from = t
			}
			logger, err := g.logger(cmd.ErrOrStderr())
			if err != nil {
				return err
			}
			cfg := o.config()
			cfg.Logger = logger.With("component", "odoo")
			client, err := odoo.New(cfg)
			if err != nil {
				return fmt.Errorf("%w\n(give --url, --db, --user and --key, or CROSSDOCK_ODOO_URL, _DB, _USER and _KEY)", err)
			}
			b, err := openBackend(cmd.Context(), g, logger)
			if err != nil {
				return err
			}
			defer b.close()
			h, err := newHub(cmd.Context(), b, g, logger)
			if err != nil {
				return err
			}
			flows, err := newOdooWorkflows(b, client, h.directory, "odoo:"+o.database, logger)
			if err != nil {
				return err
			}
			// The bills workflow reads the three-way match as the store holds it (the hub keeps it current).
			runner, err := newRunner(b, logger, projections.Config{}, flows.all()...)
			if err != nil {
				return err
			}
			if err := flows.matches.attach(runner); err != nil {
				return err
			}
			planners := []redriveWorkflow{flows.receipts, flows.shipments, flows.bills}
			if !dryRun {
				// A real run writes as the workflows do: not while a hub runs them.
				for _, w := range planners {
					release, held, err := runner.TryLease(cmd.Context(), w.Name())
					if err != nil {
						return fmt.Errorf("take the lease of %s: %w", w.Name(), err)
					}
					if !held {
						return fmt.Errorf("a running hub holds %s: stop it (or its Odoo connection) before a real re-drive; --dry-run writes nothing and may run beside it", w.Name())
					}
					defer release()
				}
			}
			events, err := redriveEvents(cmd.Context(), b.store, from, stream, planners)
			if err != nil {
				return err
			}
			r := redrive{out: cmd.OutOrStdout(), dryRun: dryRun, asJSON: asJSON, flows: planners}
			return r.run(cmd.Context(), events)
		},
	}
	o.register(cmd.Flags(), "")
	f := cmd.Flags()
	f.StringVar(&since, "since", "", "re-drive the events recorded since this instant (RFC 3339), date (2006-01-02, UTC) or duration ago (72h)")
	f.StringVar(&stream, "stream", "", "re-drive the events of this stream, e.g. receipt-northwind:RCV-5001 or order-so:S00042")
	f.BoolVar(&dryRun, "dry-run", false, "write nothing: print what would be written and what Odoo already has")
	f.BoolVar(&asJSON, "json", false, "print one JSON object per document instead of text")
	return cmd
}

// parseSince reads --since: an RFC 3339 instant, a date (midnight UTC) or a duration before now.
func parseSince(s string, now time.Time) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return t, nil
	}
	if d, err := time.ParseDuration(s); err == nil && d > 0 {
		return now.Add(-d), nil
	}
	return time.Time{}, fmt.Errorf("--since %q: want an instant (2026-11-26T08:00:00Z), a date (2026-11-26) or a duration ago (72h)", s)
}

// redriveEvents reads the events any of the workflows reacts to: of one stream, or recorded from an
// instant on, in log order.
func redriveEvents(ctx context.Context, store eventstore.Store, from time.Time, stream string, flows []redriveWorkflow) ([]eventstore.Event, error) {
	wanted := func(ev eventstore.Event) bool {
		return slices.ContainsFunc(flows, func(w redriveWorkflow) bool { return w.Filter().Match(ev) })
	}
	var out []eventstore.Event
	if stream != "" {
		for version := int64(1); ; {
			page, err := store.ReadStream(ctx, stream, version, 1000)
			if err != nil {
				return nil, fmt.Errorf("read stream %s: %w", stream, err)
			}
			for _, ev := range page {
				if wanted(ev) {
					out = append(out, ev)
				}
			}
			if len(page) < 1000 {
				break
			}
			version += int64(len(page))
		}
		if len(out) == 0 {
			return nil, fmt.Errorf("stream %s holds no event the Odoo workflows react to (receipts, shipments of sales orders)", stream)
		}
		return out, nil
	}
	var types []string
	for _, w := range flows {
		types = append(types, w.Filter().Types...)
	}
	for pos := eventstore.Start; ; {
		page, err := store.ReadAll(ctx, pos, 1000, eventstore.Filter{Types: types})
		if err != nil {
			return nil, fmt.Errorf("read the log: %w", err)
		}
		for _, ev := range page {
			if !ev.RecordedAt.Before(from) {
				out = append(out, ev)
			}
		}
		if len(page) < 1000 {
			return out, nil
		}
		pos = page[len(page)-1].Position
	}
}

// redrive takes events through the workflows, or plans them.
type redrive struct {
	out            io.Writer
	dryRun, asJSON bool
	flows          []redriveWorkflow
}

// redriveCounts are what a re-drive found.
type redriveCounts struct{ done, write, refused, held int }

func (r redrive) run(ctx context.Context, events []eventstore.Event) error {
	var n redriveCounts
	for i, ev := range events {
		for _, w := range r.flows {
			if !w.Filter().Match(ev) {
				continue
			}
			plans, err := w.Plan(ctx, []eventstore.Event{ev})
			if err == nil && !r.dryRun && len(plans) > 0 {
				// Even what Odoo has: its stream may lack the booking (a dead letter fixed by hand in
				// Odoo), which the workflow then records; what the stream has adds nothing.
				err = w.React(ctx, []eventstore.Event{ev})
			}
			if errors.Is(err, workflows.ErrLater) {
				fmt.Fprintf(r.out, "Stopped at event %d of %d (%s on %s): %v\n", i+1, len(events), ev.ID, ev.StreamID, err)
				r.summary(n)
				fmt.Fprintln(r.out, "What was done stays done; run the command again once Odoo answers (or the hub has brought the views up to date).")
				return exitError{code: 2}
			}
			if err != nil {
				return err
			}
			for _, p := range plans {
				r.print(p)
				switch p.Outcome {
				case receipt.BookingAlreadyDone:
					n.done++
				case workflows.PlanRefused:
					n.refused++
				case workflows.PlanHeld:
					n.held++
				default:
					n.write++
				}
			}
		}
	}
	r.summary(n)
	if n.refused > 0 {
		return exitError{code: 1}
	}
	return nil
}

func (r redrive) print(p workflows.Plan) {
	if r.asJSON {
		lines := make([]map[string]string, len(p.Lines))
		for i, l := range p.Lines {
			lines[i] = map[string]string{"product": l.Product, "write": l.Write.String(), "odoo": l.Odoo.String()}
		}
		outcome := p.Outcome
		if !r.dryRun {
			switch outcome {
			case workflows.PlanWouldValidate:
				outcome = receipt.BookingValidated
			case workflows.PlanWouldCreate:
				outcome = invoice.BillCreated
			}
		}
		_ = json.NewEncoder(r.out).Encode(map[string]any{"workflow": p.Workflow, "document": p.Document, "stream": p.Event.StreamID,
			"event_id": p.Event.ID.String(), "outcome": outcome, "picking": p.Picking, "backorder": p.Backorder, "lines": lines, "reason": p.Reason})
		return
	}
	switch p.Outcome {
	case receipt.BookingAlreadyDone:
		line := fmt.Sprintf("%s: already in Odoo, on %s", p.Document, p.Picking)
		if p.Backorder != "" {
			line += " (the rest on " + p.Backorder + ")"
		}
		fmt.Fprintln(r.out, line)
	case workflows.PlanRefused:
		fmt.Fprintf(r.out, "%s: refused by Odoo: %s\n", p.Document, p.Reason)
	case workflows.PlanHeld:
		fmt.Fprintf(r.out, "%s: held, nothing to write: %s\n", p.Document, p.Reason)
	case workflows.PlanWouldCreate:
		verb := "made its draft bill"
		if r.dryRun {
			verb = "would make its draft bill from the order"
		}
		fmt.Fprintf(r.out, "%s: %s\n", p.Document, verb)
	default:
		verb := "validated"
		if r.dryRun {
			verb = "would validate"
		}
		parts := make([]string, len(p.Lines))
		for i, l := range p.Lines {
			parts[i] = fmt.Sprintf("%s %s (Odoo has %s)", l.Product, l.Write, l.Odoo)
		}
		fmt.Fprintf(r.out, "%s: %s %s: %s\n", p.Document, verb, p.Picking, strings.Join(parts, ", "))
	}
}

func (r redrive) summary(n redriveCounts) {
	if r.asJSON {
		return
	}
	total := n.done + n.write + n.refused + n.held
	held := ""
	if n.held > 0 {
		held = fmt.Sprintf(", %d held", n.held)
	}
	switch {
	case r.dryRun && n.write == 0 && n.refused == 0:
		fmt.Fprintf(r.out, "%d document(s), %d already in Odoo%s: a re-drive would write nothing.\n", total, n.done, held)
	case r.dryRun:
		fmt.Fprintf(r.out, "%d document(s): %d already in Odoo, %d would be written, %d would be refused%s.\n", total, n.done, n.write, n.refused, held)
	default:
		fmt.Fprintf(r.out, "%d document(s): %d already in Odoo, %d written, %d refused (dead letters, with Odoo's reason)%s.\n", total, n.done, n.write, n.refused, held)
	}
}
