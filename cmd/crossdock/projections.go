package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/crossdock-hub/crossdock/projections"
)

func newProjectionsCmd(g *globalOptions) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "projections",
		Short: "Inspect and rebuild the read models",
		Long: `Projections turn the event log into read models (the document timeline, ...). Each keeps a
checkpoint in the database, so these commands work beside a running hub, against the same
--data-dir or --database-url.`,
	}
	cmd.AddCommand(newProjectionsStatusCmd(g), newProjectionsRebuildCmd(g))
	return cmd
}

func newProjectionsStatusCmd(g *globalOptions) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "status",
		Short: "Show each projection's state, checkpoint and lag",
		Example: `  crossdock projections status
  crossdock projections status --json --database-url postgres://crossdock@db:5432/crossdock`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			_, b, runner, err := openWithRunner(cmd.Context(), g, cmd.ErrOrStderr())
			if err != nil {
				return err
			}
			defer b.close()
			statuses, err := runner.Status(cmd.Context())
			if err != nil {
				return err
			}
			if asJSON {
				enc := json.NewEncoder(cmd.OutOrStdout())
				enc.SetIndent("", "  ")
				return enc.Encode(statuses)
			}
			printStatuses(cmd.OutOrStdout(), statuses)
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the statuses as JSON")
	return cmd
}

func printStatuses(w io.Writer, statuses []projections.Status) {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tSTATE\tGENERATION\tCHECKPOINT\tLAG\tLAST EVENT\tNOTE")
	for _, s := range statuses {
		last := "-"
		if !s.LastEventAt.IsZero() {
			last = s.LastEventAt.UTC().Format(time.RFC3339)
		}
		note := s.Error
		if s.Rebuild != nil {
			note = fmt.Sprintf("building generation %d, %d events behind", s.Rebuild.Generation, s.Rebuild.Lag)
		}
		if s.NeedsRebuild {
			note = "code version changed: run `crossdock projections rebuild " + s.Name + "`"
		}
		fmt.Fprintf(tw, "%s\t%s\t%d\t%s\t%d\t%s\t%s\n", s.Name, s.State, s.Generation, s.Checkpoint, s.Lag, last, note)
	}
	_ = tw.Flush()
}

func newProjectionsRebuildCmd(g *globalOptions) *cobra.Command {
	var progressEvery time.Duration
	cmd := &cobra.Command{
		Use:   "rebuild NAME",
		Short: "Rebuild a projection from the start of the log without read downtime",
		Long: `Builds a new generation of the projection's tables from the first event while the current
generation keeps answering queries and taking new events, then switches to the new generation
atomically once it has caught up. A running hub picks the new generation up at its next batch.
Interrupted (Ctrl-C), the rebuild resumes from its checkpoint the next time it is run.`,
		Example: "  crossdock projections rebuild timeline",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			name := args[0]
			_, b, runner, err := openWithRunner(cmd.Context(), g, cmd.ErrOrStderr())
			if err != nil {
				return err
			}
			defer b.close()
			ctx, stop := context.WithCancel(cmd.Context())
			defer stop()
			go reportRebuild(ctx, cmd.ErrOrStderr(), runner, name, progressEvery)
			started := time.Now()
			if err := runner.Rebuild(ctx, name); err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "projection %s rebuilt and switched in %s\n", name,
				time.Since(started).Round(time.Millisecond))
			return nil
		},
	}
	cmd.Flags().DurationVar(&progressEvery, "progress-every", 2*time.Second, "how often to print progress")
	return cmd
}

// reportRebuild prints how far the new generation has come until ctx ends.
func reportRebuild(ctx context.Context, w io.Writer, runner *projections.Runner, name string, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		statuses, err := runner.Status(ctx)
		if err != nil {
			continue
		}
		for _, s := range statuses {
			if s.Name == name && s.Rebuild != nil {
				fmt.Fprintf(w, "rebuilding %s: generation %d at %s, %d events to go\n",
					name, s.Rebuild.Generation, s.Rebuild.Checkpoint, s.Rebuild.Lag)
			}
		}
	}
}
