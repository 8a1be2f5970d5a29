package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"

	"github.com/crossdock-hub/crossdock/adapters/inbound"
)

type inspectOptions struct {
	format string
	kind   string
}

func newInspectCmd() *cobra.Command {
	o := &inspectOptions{}
	cmd := &cobra.Command{
		Use:   "inspect FILE",
		Short: "Show the canonical documents in a partner's file, or what is wrong with it and where",
		Long: `Reads FILE ("-" for standard input) the way the hub would, without a partner set up and without
touching any store, and prints as JSON what it found:

  format      the format detected (x12, edifact, csv, json, easypost, shippo, aftership, shiphero,
              shipbob), or the one given with --format
  documents   one per X12 transaction set, EDIFACT message, CSV file or webhook: its kind, where it sits
              in the file (control numbers), the canonical document, and its warnings (e.g. an invoice
              whose lines do not add up to its total)
  problems    what cannot be taken, and where: segment number, segment ID and element for EDI, line and
              column for CSV, a JSON pointer for JSON

It exits 0 when every part of the file can be taken, and 1 when there is a problem (also printed, in one
line each, on standard error).`,
		Example: `  crossdock inspect ship-notice.x12
  crossdock inspect --format shiphero inventory-update.json
  cat invoice.edi | crossdock inspect -`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return inspect(cmd, o, args[0])
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.format, "format", "", "read the file as this format instead of detecting it (x12, edifact, csv, json, or a webhook format)")
	f.StringVar(&o.kind, "kind", "", "document kind of a canonical JSON file that does not name its own")
	return cmd
}

// inspectReport is what inspect prints.
type inspectReport struct {
	File      string            `json:"file"`
	Format    string            `json:"format"`
	Documents []inspectDocument `json:"documents"`
	Warnings  []string          `json:"warnings,omitempty"`
	Problems  []inspectProblem  `json:"problems,omitempty"`
}

type inspectDocument struct {
	Kind     string         `json:"kind"`
	Source   inbound.Source `json:"source"`
	Document any            `json:"document"`
	Warnings []string       `json:"warnings"`
}

type inspectProblem struct {
	Source  inbound.Source `json:"source"`
	Where   string         `json:"where,omitempty"`
	Pointer string         `json:"pointer,omitempty"`
	Reason  string         `json:"reason"`
}

func inspect(cmd *cobra.Command, o *inspectOptions, path string) error {
	var body []byte
	var err error
	if path == "-" {
		body, err = io.ReadAll(cmd.InOrStdin())
	} else {
		body, err = os.ReadFile(path)
	}
	if err != nil {
		return err
	}
	format := o.format
	if format == "" {
		if format, err = inbound.Detect("", body); err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
	}
	rep := inspectReport{File: path, Format: format, Documents: []inspectDocument{}}
	d, err := inbound.Decode(format, body, inbound.Options{Kind: o.kind})
	if err != nil {
		var pb inbound.Problem
		if !errors.As(err, &pb) {
			return fmt.Errorf("%s: %w", path, err)
		}
		rep.Problems = append(rep.Problems, inspectProblem{Source: pb.Source, Where: pb.Where, Pointer: pb.Pointer, Reason: pb.Reason})
	} else {
		rep.Format, rep.Warnings = d.Format, d.Warnings
		for _, doc := range d.Documents {
			ws := doc.Warnings
			if ws == nil {
				ws = []string{}
			}
			rep.Documents = append(rep.Documents, inspectDocument{Kind: doc.Document.Kind(), Source: doc.Source, Document: doc.Document, Warnings: ws})
		}
		for _, pb := range d.Problems {
			rep.Problems = append(rep.Problems, inspectProblem{Source: pb.Source, Where: pb.Where, Pointer: pb.Pointer, Reason: pb.Reason})
		}
	}
	enc := json.NewEncoder(cmd.OutOrStdout())
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(rep); err != nil {
		return err
	}
	if len(rep.Problems) == 0 {
		return nil
	}
	for _, pb := range rep.Problems {
		where := pb.Where
		if where != "" {
			where += ": "
		}
		fmt.Fprintf(cmd.ErrOrStderr(), "%s: %s: %s%s\n", path, pb.Source, where, pb.Reason)
	}
	return exitError{code: 1}
}
