package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/crossdock-hub/crossdock/domain/partner"
)

func newPartnersTokenCmd(g *globalOptions) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "token",
		Short: "Issue, rotate and revoke a partner's bearer tokens",
		Long: `A partner authenticates with bearer tokens scoped to the document kinds it may send. The token is
printed once, on standard output, when it is issued or rotated: hand it to the partner then. The
registry keeps only its SHA-256, so a lost token cannot be shown again; rotate it instead.
crossdock partners show ID lists a partner's tokens by ID.`,
	}
	cmd.AddCommand(newPartnersTokenIssueCmd(g), newPartnersTokenRotateCmd(g), newPartnersTokenRevokeCmd(g))
	return cmd
}

func newPartnersTokenIssueCmd(g *globalOptions) *cobra.Command {
	var (
		kinds   []string
		expires string
	)
	cmd := &cobra.Command{
		Use:   "issue ID --kinds KIND,...",
		Short: "Issue a new token to a partner and print it once",
		Long: `Issues a new bearer token to partner ID, allowed to send the document kinds given (asn, invoice,
order_ack, functional_ack, receipt, ship_confirmation, inventory_snapshot, inventory_adjustment,
shipment_status), valid until --expires or until revoked.

Only the token is printed on standard output, so it can be captured by a script; the token ID and a
reminder that it will not be shown again go to standard error.`,
		Example: `  crossdock partners token issue acme --kinds asn,invoice,order_ack --expires 2027-01-01
  TOKEN=$(crossdock partners token issue northwind-3pl --kinds inventory_snapshot,receipt)`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			id := args[0]
			if err := checkKinds(kinds); err != nil {
				return err
			}
			until, err := parseExpiry(expires)
			if err != nil {
				return err
			}
			h, closeBackend, err := openPartners(cmd, g)
			if err != nil {
				return err
			}
			defer closeBackend()
			token, tokenID, err := h.partners.IssueToken(cmd.Context(), id, kinds, until, cliActor())
			if err != nil {
				return err
			}
			terms := "until revoked"
			if !until.IsZero() {
				terms = "until " + day(until)
			}
			return printToken(cmd, token, fmt.Sprintf("token %s issued to %s for %s, valid %s", tokenID, id, strings.Join(kinds, ", "), terms))
		},
	}
	f := cmd.Flags()
	f.StringSliceVar(&kinds, "kinds", nil, "document kinds the token may send, comma-separated (required)")
	f.StringVar(&expires, "expires", "", "when the token stops working: a date (2027-01-01, midnight UTC) or an RFC 3339 instant; default never")
	return cmd
}

func newPartnersTokenRotateCmd(g *globalOptions) *cobra.Command {
	return &cobra.Command{
		Use:   "rotate ID TOKEN_ID",
		Short: "Replace a token by a new one with the same terms, and print it once",
		Long: `Issues partner ID a new token with the same document kinds and expiry as TOKEN_ID and revokes
TOKEN_ID in the same change: from then on only the new token works. The new token is printed once on
standard output.`,
		Example: "  crossdock partners token rotate acme tok_3f9a0c1d2e4b5a69",
		Args:    cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			id, old := args[0], args[1]
			h, closeBackend, err := openPartners(cmd, g)
			if err != nil {
				return err
			}
			defer closeBackend()
			token, tokenID, err := h.partners.RotateToken(cmd.Context(), id, old, cliActor())
			if err != nil {
				return err
			}
			return printToken(cmd, token, fmt.Sprintf("token %s of %s replaces %s, which is revoked", tokenID, id, old))
		},
	}
}

// printToken prints a clear token alone on standard output, and what it is on standard error.
func printToken(cmd *cobra.Command, token, what string) error {
	if _, err := fmt.Fprintln(cmd.OutOrStdout(), token); err != nil {
		return err
	}
	fmt.Fprintf(cmd.ErrOrStderr(), "%s.\nThe token is shown only this once and is not stored: hand it to the partner now.\n", what)
	return nil
}

func newPartnersTokenRevokeCmd(g *globalOptions) *cobra.Command {
	var reason string
	cmd := &cobra.Command{
		Use:   "revoke ID TOKEN_ID",
		Short: "Revoke a partner's token for good",
		Long: `Revokes token TOKEN_ID of partner ID: it stops working at once for every hub on the same store. The
reason is kept in the audit trail; without --reason it records who revoked it. Revoking a revoked token
changes nothing.`,
		Example: `  crossdock partners token revoke acme tok_3f9a0c1d2e4b5a69 --reason "laptop stolen"`,
		Args:    cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			id, tokenID := args[0], args[1]
			if strings.TrimSpace(reason) == "" {
				reason = "revoked by " + cliActor()
			}
			h, closeBackend, err := openPartners(cmd, g)
			if err != nil {
				return err
			}
			defer closeBackend()
			if err := h.partners.RevokeToken(cmd.Context(), id, tokenID, reason, cliActor()); err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "token %s of %s revoked\n", tokenID, id)
			return nil
		},
	}
	cmd.Flags().StringVar(&reason, "reason", "", "why the token is revoked, for the audit trail")
	return cmd
}

func newPartnersSecretCmd(g *globalOptions) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "secret",
		Short: "Set or remove the HMAC secret a partner signs its webhooks with",
		Long: `A partner's webhooks (easypost, shippo, aftership, shiphero, shipbob, json) may be signed with an
HMAC secret shared with the provider. The secret is sealed (AES-256-GCM, under --seal-key-file) before
it is stored, and never printed or logged. A partner with a secret for a format must sign that
format's webhooks; one without may send them with its bearer token.`,
	}
	cmd.AddCommand(newPartnersSecretSetCmd(g), newPartnersSecretRemoveCmd(g))
	return cmd
}

func newPartnersSecretSetCmd(g *globalOptions) *cobra.Command {
	return &cobra.Command{
		Use:   "set ID FORMAT",
		Short: "Set a partner's webhook secret for FORMAT, read from standard input",
		Long: `Reads the secret from standard input (never from a flag or an argument, which other users of the
machine can see) and stores it sealed as partner ID's secret for FORMAT's webhooks. One trailing line
break, as echo or a here-document leaves, is not part of the secret. Setting the same secret again
changes nothing.`,
		Example: `  printf '%s' "$EASYPOST_WEBHOOK_SECRET" | crossdock partners secret set ups easypost
  crossdock partners secret set ups easypost < easypost.secret`,
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			id, format := args[0], args[1]
			if !partner.IsWebhookFormat(format) {
				return fmt.Errorf("%q is not a webhook format (want easypost, shippo, aftership, shiphero, shipbob or json)", format)
			}
			secret, err := readSecret(cmd)
			if err != nil {
				return err
			}
			h, closeBackend, err := openPartners(cmd, g)
			if err != nil {
				return err
			}
			defer closeBackend()
			if err := h.partners.SetHMACSecret(cmd.Context(), id, format, secret, cliActor()); err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "%s webhook secret of %s set\n", format, id)
			return nil
		},
	}
}

// readSecret reads a secret from standard input, prompting when it is a terminal.
func readSecret(cmd *cobra.Command) ([]byte, error) {
	in := cmd.InOrStdin()
	if f, ok := in.(*os.File); ok {
		if fi, err := f.Stat(); err == nil && fi.Mode()&os.ModeCharDevice != 0 {
			fmt.Fprintln(cmd.ErrOrStderr(), "Type the secret, then Enter and Ctrl-D (it shows as you type; a pipe or a file keeps it off the screen):")
		}
	}
	raw, err := io.ReadAll(io.LimitReader(in, partner.MaxSecretLength+3))
	if err != nil {
		return nil, fmt.Errorf("read the secret from standard input: %w", err)
	}
	secret := bytes.TrimSuffix(bytes.TrimSuffix(raw, []byte("\n")), []byte("\r"))
	switch {
	case len(secret) == 0:
		return nil, fmt.Errorf("no secret on standard input: pipe it in, e.g. printf '%%s' \"$SECRET\" | crossdock partners secret set ID FORMAT")
	case len(secret) > partner.MaxSecretLength:
		return nil, fmt.Errorf("the secret on standard input is longer than %d bytes", partner.MaxSecretLength)
	}
	return secret, nil
}

func newPartnersSecretRemoveCmd(g *globalOptions) *cobra.Command {
	return &cobra.Command{
		Use:   "remove ID FORMAT",
		Short: "Remove a partner's webhook secret for FORMAT",
		Long: `Removes partner ID's secret for FORMAT: its webhooks of that format are no longer accepted as signed
(they need the partner's bearer token). Removing a secret that is not there changes nothing.`,
		Example: "  crossdock partners secret remove ups easypost",
		Args:    cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			id, format := args[0], args[1]
			if !partner.IsWebhookFormat(format) {
				return fmt.Errorf("%q is not a webhook format (want easypost, shippo, aftership, shiphero, shipbob or json)", format)
			}
			h, closeBackend, err := openPartners(cmd, g)
			if err != nil {
				return err
			}
			defer closeBackend()
			if err := h.partners.RemoveHMACSecret(cmd.Context(), id, format, cliActor()); err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "%s webhook secret of %s removed\n", format, id)
			return nil
		},
	}
}
