package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/user"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/crossdock-hub/crossdock/adapters/archive"
	"github.com/crossdock-hub/crossdock/adapters/ingest"
	"github.com/crossdock-hub/crossdock/adapters/problem"
)

func newIngestCmd(g *globalOptions) *cobra.Command {
	var partnerID, format, kind string
	cmd := &cobra.Command{
		Use:   "ingest --partner P FILE...",
		Short: "Take partner files in, as if the partner had posted them",
		Long: `Processes each FILE ("-" for standard input) as a message from partner P, through the same path as
HTTP and the inbox: the raw bytes are archived first, then read, mapped through the partner's crosswalk
and recorded as events. The same file twice is recognised (the same interchange control number, or the
same bytes) and records nothing new.

For each file it prints the answer the partner would get: the documents taken and their streams, or
the problem and where it is, and for EDI the 997 / CONTRL (with --ack).

Exit status: 0 when every file was accepted (or was a repeat of one), 1 when a file was rejected, only
partly accepted (an EDI interchange some of whose sets were rejected) or could not be processed, 2 when
a file was parked because an item or unit has no mapping yet (fix the
partner's crosswalk, then crossdock replay message ID).`,
		Example: `  crossdock ingest --partner acme ship-notice.x12
  crossdock ingest --partner northwind-3pl --format csv stock-2026-11-26.csv
  crossdock --database-url postgres://crossdock@db/crossdock ingest --partner ups tracking.json`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if partnerID == "" {
				return fmt.Errorf("--partner is required: the partner the files come from")
			}
			return ingestFiles(cmd, g, partnerID, format, kind, args)
		},
	}
	f := cmd.Flags()
	f.StringVar(&partnerID, "partner", "", "ID of the partner the files come from (required)")
	f.StringVar(&format, "format", "", "read the files as this format instead of detecting it (x12, edifact, csv, json, or a webhook format)")
	f.StringVar(&kind, "kind", "", "document kind of canonical JSON files that do not name their own")
	f.Bool("ack", false, "also print the functional acknowledgment of EDI files")
	return cmd
}

func ingestFiles(cmd *cobra.Command, g *globalOptions, partnerID, format, kind string, paths []string) error {
	ctx := cmd.Context()
	logger, b, _, err := openWithRunner(ctx, g, cmd.ErrOrStderr())
	if err != nil {
		return err
	}
	defer b.close()
	h, err := newHub(ctx, b, g, logger)
	if err != nil {
		return err
	}
	showAck, _ := cmd.Flags().GetBool("ack")
	worst := 0
	for _, path := range paths {
		body, err := readInput(cmd, path)
		if err != nil {
			return err
		}
		out, err := h.processor.Submit(ctx, ingest.Submission{
			PartnerID: partnerID, Channel: "cli", Format: format, Kind: kind, ContentType: contentTypeFor(path),
			Actor: "cli:" + osUser(), Body: body,
		})
		if err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		printOutcome(cmd.OutOrStdout(), path, out, showAck)
		worst = max(worst, exitFor(out.Status))
	}
	if worst != 0 {
		return exitError{code: worst}
	}
	return nil
}

func newReplayCmd(g *globalOptions) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "replay",
		Short: "Process archived messages again",
		Long: `Every message a partner sent is archived byte for byte before anything is done with it. replay
takes archived messages through the processing path again, with the partner's current settings, and
never records anything twice: the events of a message have the same IDs every time.`,
	}
	msg := &cobra.Command{
		Use:   "message ID...",
		Short: "Process archived messages again, e.g. a parked one after its mapping was fixed",
		Long: `Reads each message from the archive (its raw bytes as the partner sent them) and processes it again
through the partner's current settings: a message parked for an unmapped item or unit goes through once
the mapping is fixed. Events already recorded from the message have the same IDs the second time, so a
replay never records anything twice. The archived status and answer are replaced by the replay's.

Find message IDs with crossdock messages list --status parked (or rejected), or in the answer the
partner was given.`,
		Example: `  crossdock messages list --status parked
  crossdock replay message 0f6c2f1e-6f2b-5b8e-9d3e-5b4b2a9f8c11`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			logger, b, _, err := openWithRunner(ctx, g, cmd.ErrOrStderr())
			if err != nil {
				return err
			}
			defer b.close()
			h, err := newHub(ctx, b, g, logger)
			if err != nil {
				return err
			}
			worst := 0
			for _, id := range args {
				out, err := h.processor.Replay(ctx, id, "cli:"+osUser())
				if err != nil {
					return fmt.Errorf("message %s: %w", id, err)
				}
				printOutcome(cmd.OutOrStdout(), "message "+id, out, false)
				worst = max(worst, exitFor(out.Status))
			}
			if worst != 0 {
				return exitError{code: worst}
			}
			return nil
		},
	}
	cmd.AddCommand(msg)
	return cmd
}

func newMessagesCmd(g *globalOptions) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "messages",
		Short: "Look at archived inbound messages",
		Long: `Every inbound message is archived with what became of it (accepted, rejected into quarantine, parked
awaiting setup, failed) and the answer the partner was given. These commands look at them.`,
	}
	var status, partnerID string
	var limit int
	list := &cobra.Command{
		Use:   "list",
		Short: "List quarantined (rejected), parked, failed or unanswered messages, newest first",
		Long: `Lists archived inbound messages by status, newest first:

  rejected   the quarantine: refused for a reason the partner must fix (the reason is shown)
  parked     readable, but waiting for Crossdock's setup: an unmapped item or unit, an unregistered
             partner, a token whose scope does not cover the kind; fix it, then crossdock replay message ID
  failed     Crossdock could not finish them (storage); a resend or a replay handles them again
  received   archived and never answered: still being processed, or stopped by a crash; replay them`,
		Example: `  crossdock messages list --status parked
  crossdock messages list --status rejected --partner acme`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			switch archive.Status(status) {
			case archive.Rejected, archive.Parked, archive.Failed, archive.Received:
			default:
				return fmt.Errorf("--status %q: want rejected, parked, failed or received", status)
			}
			ctx := cmd.Context()
			_, b, _, err := openWithRunner(ctx, g, cmd.ErrOrStderr())
			if err != nil {
				return err
			}
			defer b.close()
			msgs, err := b.archive.Quarantine(ctx, archive.QuarantineQuery{PartnerID: partnerID, Status: archive.Status(status), Limit: limit})
			if err != nil {
				return err
			}
			tw := tabwriter.NewWriter(cmd.OutOrStdout(), 2, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "MESSAGE\tPARTNER\tCHANNEL\tRECEIVED\tREASON")
			for _, m := range msgs {
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", m.ID, m.PartnerID, m.Channel, m.ReceivedAt.Format(time.RFC3339), truncate(m.Reason, 120))
			}
			return tw.Flush()
		},
	}
	list.Flags().StringVar(&status, "status", "rejected", "rejected (the quarantine), parked (awaiting setup), failed or received (never answered)")
	list.Flags().StringVar(&partnerID, "partner", "", "only this partner's messages")
	list.Flags().IntVar(&limit, "limit", 100, "at most this many")
	cmd.AddCommand(list)
	return cmd
}

// printOutcome writes what became of a message, for people: a status line, then each document and the
// streams it touched, or the problem and where it is.
func printOutcome(w io.Writer, what string, out ingest.Outcome, showAck bool) {
	dup := ""
	if out.Duplicate {
		dup = " (a repeat: answered as the first time, nothing recorded)"
	}
	var res ingest.Result
	var pb problem.Problem
	status := string(out.Status)
	if json.Unmarshal(out.Answer.Body, &res) == nil && res.Status == "partly_accepted" {
		status = "partly accepted (the sets listed as rejected are in quarantine)"
	}
	fmt.Fprintf(w, "%s: %s%s\n  message %s, answered %d\n", what, status, dup, out.MessageID, out.Answer.Status)
	switch {
	case out.Answer.ContentType == problem.ContentType && json.Unmarshal(out.Answer.Body, &pb) == nil:
		fmt.Fprintf(w, "  %s\n", pb.Detail)
		for _, e := range pb.Errors {
			fmt.Fprintf(w, "    %s\n", fieldErrorLine(e))
		}
		if showAck && pb.Acknowledgment != "" {
			fmt.Fprintf(w, "  acknowledgment:\n%s\n", pb.Acknowledgment)
		}
	case json.Unmarshal(out.Answer.Body, &res) == nil:
		for _, d := range res.Documents {
			fmt.Fprintf(w, "  %s (%s)\n", d.Kind, d.Source)
			for _, st := range d.Streams {
				fmt.Fprintf(w, "    %s: %s, %d event(s)\n", st.StreamID, st.Outcome, len(st.Events))
			}
			for _, warn := range d.Warnings {
				fmt.Fprintf(w, "    warning: %s\n", warn)
			}
		}
		for _, e := range res.Rejected {
			fmt.Fprintf(w, "  rejected: %s\n", fieldErrorLine(e))
		}
		for _, u := range res.Unmapped {
			fmt.Fprintf(w, "  unmapped: %s\n", u)
		}
		for _, warn := range res.Warnings {
			fmt.Fprintf(w, "  warning: %s\n", warn)
		}
		if showAck && res.Acknowledgment != "" {
			fmt.Fprintf(w, "  acknowledgment:\n%s\n", res.Acknowledgment)
		}
	}
}

func fieldErrorLine(e problem.FieldError) string {
	where := strings.TrimSpace(strings.Join([]string{e.Where, e.Pointer}, " "))
	if where == "" {
		return e.Detail
	}
	return where + ": " + e.Detail
}

func exitFor(s archive.Status) int {
	switch s {
	case archive.Accepted:
		return 0
	case archive.Parked:
		return 2
	default:
		return 1
	}
}

func readInput(cmd *cobra.Command, path string) ([]byte, error) {
	if path == "-" {
		return io.ReadAll(cmd.InOrStdin())
	}
	return os.ReadFile(path)
}

func contentTypeFor(path string) string {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".x12":
		return "application/edi-x12"
	case ".edifact":
		return "application/edifact"
	case ".csv":
		return "text/csv"
	}
	return ""
}

func osUser() string {
	if u, err := user.Current(); err == nil {
		return u.Username
	}
	return "unknown"
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
