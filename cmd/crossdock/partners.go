package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"
	"go.yaml.in/yaml/v3"

	"github.com/crossdock-hub/crossdock/adapters/admin"
	"github.com/crossdock-hub/crossdock/domain/partner"
)

func newPartnersCmd(g *globalOptions) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "partners",
		Short: "Register partners and manage their tokens and webhook secrets",
		Long: `The partner registry: who the suppliers, warehouses, carriers and sales channels are, how their
messages are recognised, how their item codes and units map to Odoo's, and the credentials they
authenticate with.

Every change is an event on the partner's stream, recorded with who made it (cli:<your user name>) and
through what, so the timeline answers "who remapped this UPC, and when?". These commands work on the
store directly, beside a running hub on the same --data-dir or --database-url; a running hub sees a
change within a moment. The admin API (/api/v1/admin) does the same over HTTP.

Tokens are shown once, when they are issued or rotated, and kept only as their SHA-256. Webhook
secrets are sealed under the key in --seal-key-file before they are stored.`,
		Example: `  crossdock partners apply partners.yaml
  crossdock partners list
  crossdock partners show acme --output json
  crossdock partners token issue acme --kinds asn,invoice --expires 2027-01-01
  printf '%s' "$EASYPOST_SECRET" | crossdock partners secret set ups easypost`,
	}
	cmd.AddCommand(newPartnersApplyCmd(g), newPartnersListCmd(g), newPartnersShowCmd(g),
		newPartnersTokenCmd(g), newPartnersSecretCmd(g))
	return cmd
}

// openPartners opens the store and the partner side of the hub, with the directory up to date. The
// caller calls the returned close.
func openPartners(cmd *cobra.Command, g *globalOptions) (*hub, func(), error) {
	ctx := cmd.Context()
	logger, err := g.logger(cmd.ErrOrStderr())
	if err != nil {
		return nil, nil, err
	}
	b, err := openBackend(ctx, g, logger)
	if err != nil {
		return nil, nil, err
	}
	h, err := newHub(ctx, b, g, logger)
	if err != nil {
		b.close()
		return nil, nil, err
	}
	return h, b.close, nil
}

// cliActor is who a change made with these commands is recorded as made by.
func cliActor() string { return "cli:" + osUser() }

func newPartnersApplyCmd(g *globalOptions) *cobra.Command {
	var file string
	cmd := &cobra.Command{
		Use:   "apply FILE",
		Short: "Make the registry what a partners YAML file says",
		Long: `Reads the partners file (see domain/partner/testdata/partners.example.yaml) and applies each partner:
only what differs from the registry is recorded, so applying the same file twice changes nothing. It
prints, per partner, the changes made, or that it was unchanged.

A partner the file leaves out is not removed, nor is a token it leaves out revoked: the file adds and
changes. An unknown key, a value of the wrong type or a broken rule is an error naming its line, and
nothing of the file is applied.

The file holds no clear secret. A token is declared by its SHA-256 or by the CROSSDOCK_* environment
variable holding it (value_env), which is read, hashed and forgotten; a webhook secret by its variable,
and it is stored sealed. An unset variable is an error naming it.`,
		Example: `  crossdock partners apply partners.yaml
  CROSSDOCK_TOKEN_ACME=... crossdock partners apply -f partners.yaml --database-url postgres://crossdock@db/crossdock`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			path, err := oneFile(file, args)
			if err != nil {
				return err
			}
			h, closeBackend, err := openPartners(cmd, g)
			if err != nil {
				return err
			}
			defer closeBackend()
			return applyPartnersFile(cmd.Context(), h, path, cliActor(), cmd.OutOrStdout())
		},
	}
	cmd.Flags().StringVarP(&file, "partners-file", "f", "", "the partners YAML file (instead of the FILE argument)")
	return cmd
}

// oneFile is the file named by the argument or by the flag, exactly one of them.
func oneFile(flag string, args []string) (string, error) {
	switch {
	case len(args) == 1 && flag != "" && flag != args[0]:
		return "", fmt.Errorf("two partners files given (%s and --partners-file %s): give one", args[0], flag)
	case len(args) == 1:
		return args[0], nil
	case flag != "":
		return flag, nil
	}
	return "", fmt.Errorf("no partners file: give it as FILE or --partners-file")
}

func newPartnersListCmd(g *globalOptions) *cobra.Command {
	var output string
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List the registered partners",
		Long: `Lists every registered partner: its ID, name and roles, whether it is in effect now (within its
effective dates), and the identifiers its messages are recognised by.`,
		Example: `  crossdock partners list
  crossdock partners list --output json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if output != "table" && output != "json" && output != "yaml" {
				return fmt.Errorf("--output %q: want table, json or yaml", output)
			}
			h, closeBackend, err := openPartners(cmd, g)
			if err != nil {
				return err
			}
			defer closeBackend()
			profiles := h.directory.List()
			if profiles == nil {
				profiles = []partner.Profile{}
			}
			w := cmd.OutOrStdout()
			switch output {
			case "json":
				return writeJSON(w, map[string]any{"partners": profiles})
			case "yaml":
				return writeYAML(w, map[string]any{"partners": profiles})
			}
			if len(profiles) == 0 {
				fmt.Fprintln(w, "no partners registered: crossdock partners apply FILE registers them")
				return nil
			}
			printPartners(w, profiles, time.Now())
			return nil
		},
	}
	cmd.Flags().StringVarP(&output, "output", "o", "table", "output format: table, json or yaml")
	return cmd
}

func printPartners(w io.Writer, profiles []partner.Profile, now time.Time) {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tNAME\tROLES\tACTIVE\tIDENTIFIERS")
	for _, p := range profiles {
		roles := make([]string, len(p.Roles))
		for i, r := range p.Roles {
			roles[i] = string(r)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", p.ID, p.Name, strings.Join(roles, ","), activeNote(p, now), identifierSummary(p.Identifiers))
	}
	_ = tw.Flush()
}

// activeNote says whether p is in effect at now, and if not, since or until when.
func activeNote(p partner.Profile, now time.Time) string {
	switch {
	case p.ActiveAt(now):
		return "yes"
	case !p.EffectiveFrom.IsZero() && now.Before(p.EffectiveFrom):
		return "no (from " + day(p.EffectiveFrom) + ")"
	default:
		return "no (ended " + day(p.EffectiveTo) + ")"
	}
}

func day(t time.Time) string {
	if t.Equal(t.Truncate(24 * time.Hour)) {
		return t.UTC().Format(time.DateOnly)
	}
	return t.UTC().Format(time.RFC3339)
}

// identifierSummary lists the identifiers by scheme: "ISA 12/4405197800; GS 4405197800; GLN ...".
func identifierSummary(ids partner.Identifiers) string {
	var parts []string
	add := func(scheme string, values []string) {
		if len(values) > 0 {
			parts = append(parts, scheme+" "+strings.Join(values, ","))
		}
	}
	isa := make([]string, len(ids.ISA))
	for i, v := range ids.ISA {
		isa[i] = v.Qualifier + "/" + v.ID
	}
	add("ISA", isa)
	add("GS", ids.GS)
	add("GLN", ids.GLN)
	add("DUNS", ids.DUNS)
	add("SCAC", ids.SCAC)
	if len(parts) == 0 {
		return "-"
	}
	return strings.Join(parts, "; ")
}

// partnerView is a partner as show prints it: the profile (the shape the admin API's PUT takes) and
// its tokens, never their values or hashes.
type partnerView struct {
	partner.Profile
	Tokens []admin.TokenView `json:"tokens"`
}

func newPartnersShowCmd(g *globalOptions) *cobra.Command {
	var output string
	cmd := &cobra.Command{
		Use:   "show ID",
		Short: "Show a partner's profile and tokens",
		Long: `Prints the partner's profile as the registry holds it (identifiers, channels, item crosswalk, units,
tolerances, service levels) and its tokens by ID, with their document kinds, expiry and whether they
are active, expired or revoked. A token's value is never shown again after it is issued, and its hash
not at all.`,
		Example: `  crossdock partners show acme
  crossdock partners show acme --output json | jq '.items'`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			id := args[0]
			if output != "json" && output != "yaml" {
				return fmt.Errorf("--output %q: want yaml or json", output)
			}
			h, closeBackend, err := openPartners(cmd, g)
			if err != nil {
				return err
			}
			defer closeBackend()
			p, ok := h.directory.Profile(id)
			if !ok {
				return fmt.Errorf("no partner %q (crossdock partners list shows the registered ones)", id)
			}
			tokens, _ := h.directory.Tokens(id)
			view := partnerView{Profile: p, Tokens: make([]admin.TokenView, len(tokens))}
			now := time.Now()
			for i, t := range tokens {
				view.Tokens[i] = admin.NewTokenView(t, now)
			}
			if output == "json" {
				return writeJSON(cmd.OutOrStdout(), view)
			}
			return writeYAML(cmd.OutOrStdout(), view)
		},
	}
	cmd.Flags().StringVarP(&output, "output", "o", "yaml", "output format: yaml or json")
	return cmd
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// writeYAML writes v as YAML with its JSON names: encoded to JSON first, so that the keys, dates and
// decimals are the ones the admin API and the partners file use.
func writeYAML(w io.Writer, v any) error {
	raw, err := json.Marshal(v)
	if err != nil {
		return err
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(raw, &doc); err != nil {
		return err
	}
	blockStyle(&doc)
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(&doc); err != nil {
		return err
	}
	if err := enc.Close(); err != nil {
		return err
	}
	_, err = w.Write(buf.Bytes())
	return err
}

// blockStyle drops the flow style and quotes JSON gave the nodes; the encoder quotes again only what
// would otherwise read as another type ("17", "0614141000012").
func blockStyle(n *yaml.Node) {
	n.Style = 0
	for _, c := range n.Content {
		blockStyle(c)
	}
}

// parseExpiry reads --expires: a date (midnight UTC) or an RFC 3339 instant; empty is no expiry.
func parseExpiry(s string) (time.Time, error) {
	if strings.TrimSpace(s) == "" {
		return time.Time{}, nil
	}
	for _, layout := range []string{time.DateOnly, time.RFC3339Nano} {
		if t, err := time.Parse(layout, strings.TrimSpace(s)); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("--expires %q: want a date (2027-01-01) or an RFC 3339 instant", s)
}

// checkKinds checks --kinds against the document kinds, so a typo is named before anything is opened.
func checkKinds(kinds []string) error {
	if len(kinds) == 0 {
		return fmt.Errorf("--kinds is required: the document kinds the token may send (%s)", strings.Join(partner.DocumentKinds(), ", "))
	}
	var unknown []string
	for _, k := range kinds {
		if !partner.IsDocumentKind(k) {
			unknown = append(unknown, k)
		}
	}
	switch len(unknown) {
	case 0:
		return nil
	case 1:
		return fmt.Errorf("--kinds: %q is not a document kind (want %s)", unknown[0], strings.Join(partner.DocumentKinds(), ", "))
	default:
		return fmt.Errorf("--kinds: %s are not document kinds (want %s)", strings.Join(unknown, ", "), strings.Join(partner.DocumentKinds(), ", "))
	}
}
