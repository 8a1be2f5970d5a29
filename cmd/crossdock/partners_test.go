package main

import (
	"bytes"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/spf13/cobra"
	"github.com/stretchr/testify/require"

	"github.com/crossdock-hub/crossdock/eventstore/sqlite"
	"github.com/crossdock-hub/crossdock/projections/partnerdir"
)

const examplePartners = "../../domain/partner/testdata/partners.example.yaml"

// partnersRoot returns the root command, which carries the partners command.
func partnersRoot() *cobra.Command { return newRootCmd() }

type cliRun struct {
	stdout, stderr string
	err            error
}

// crossdock runs the command line on dataDir with stdin as standard input.
func crossdock(t *testing.T, dataDir string, stdin io.Reader, args ...string) cliRun {
	t.Helper()
	root := partnersRoot()
	var out, errOut bytes.Buffer
	root.SetArgs(append([]string{"--data-dir", dataDir, "--log-level", "warn"}, args...))
	root.SetOut(&out)
	root.SetErr(&errOut)
	if stdin != nil {
		root.SetIn(stdin)
	}
	err := root.ExecuteContext(t.Context())
	t.Logf("crossdock %s\n%s%s", strings.Join(args, " "), out.String(), errOut.String())
	return cliRun{stdout: out.String(), stderr: errOut.String(), err: err}
}

// openDirectory reads the registry of dataDir as a hub would, with its seal key.
func openDirectory(t *testing.T, dataDir string) *partnerdir.Directory {
	t.Helper()
	store, err := sqlite.Open(t.Context(), filepath.Join(dataDir, "crossdock.db"), sqlite.Config{})
	require.NoError(t, err)
	t.Cleanup(func() { _ = store.Close() })
	key, err := os.ReadFile(filepath.Join(dataDir, "seal.key"))
	require.NoError(t, err)
	dir, err := partnerdir.New(store, partnerdir.Config{SealKey: key})
	require.NoError(t, err)
	require.NoError(t, dir.Sync(t.Context()))
	return dir
}

func TestPartnersCommands(t *testing.T) {
	const (
		acmeToken     = "acme-edi-0123456789abcdef0123456789abcdef"
		easypostToken = "whsec_easypost_example"
	)
	t.Setenv("CROSSDOCK_TOKEN_ACME", acmeToken)
	t.Setenv("CROSSDOCK_EASYPOST_WEBHOOK_SECRET", easypostToken)
	dataDir := t.TempDir()

	run := crossdock(t, dataDir, nil, "partners", "apply", examplePartners)
	require.NoError(t, run.err)
	for _, id := range []string{"acme", "northwind-3pl", "ups"} {
		require.Contains(t, run.stdout, id)
	}
	require.Contains(t, run.stdout, "partner.item_mapped.v1 ×5", "acme's five crosswalk entries")

	run = crossdock(t, dataDir, nil, "partners", "apply", "-f", examplePartners)
	require.NoError(t, run.err)
	require.Equal(t, 3, strings.Count(run.stdout, "unchanged"), "the same file again changes nothing")

	run = crossdock(t, dataDir, nil, "partners", "list")
	require.NoError(t, run.err)
	lines := strings.Split(strings.TrimSpace(run.stdout), "\n")
	require.Len(t, lines, 4, "a header and one line per partner")
	require.Regexp(t, `^acme\s+ACME Supply Co\.\s+supplier\s+yes\s+ISA 12/4405197800; GS 4405197800; GLN 0614141000012; DUNS 123456789$`, lines[1])
	require.Regexp(t, `^northwind-3pl\s+Northwind Logistics\s+warehouse\s+yes\s+ISA ZZ/NORTHWIND3PL`, lines[2])
	require.Regexp(t, `^ups\s+United Parcel Service\s+carrier\s+yes\s+ISA 02/UPSN; SCAC UPSN$`, lines[3])

	expires := time.Now().UTC().AddDate(1, 0, 0).Truncate(24 * time.Hour)
	run = crossdock(t, dataDir, nil, "partners", "token", "issue", "acme", "--kinds", "asn,invoice", "--expires", expires.Format(time.DateOnly))
	require.NoError(t, run.err)
	issued := strings.TrimSpace(run.stdout)
	require.NotContains(t, issued, "\n", "only the token is on standard output")
	require.True(t, strings.HasPrefix(issued, "cdp_"), issued)
	require.Contains(t, run.stderr, "shown only this once")

	dir := openDirectory(t, dataDir)
	cred, ok := dir.Authenticate(issued)
	require.True(t, ok, "the issued token authenticates")
	require.Equal(t, "acme", cred.PartnerID)
	require.Equal(t, []string{"asn", "invoice"}, cred.Kinds)
	cred, ok = dir.Authenticate(acmeToken)
	require.True(t, ok, "the token the file declared by environment variable authenticates")
	require.Equal(t, []string{"asn", "functional_ack", "invoice", "order_ack"}, slices.Sorted(slices.Values(cred.Kinds)))
	secret, ok := dir.WebhookSecret("ups", "easypost")
	require.True(t, ok)
	require.Equal(t, easypostToken, string(secret))

	run = crossdock(t, dataDir, nil, "partners", "show", "acme", "--output", "json")
	require.NoError(t, run.err)
	require.NotContains(t, run.stdout, "sha256")
	require.NotContains(t, run.stdout, issued)
	var shown struct {
		ID    string
		Items []struct{ Product, UPC string }
		Units []struct {
			PartnerUnit string `json:"partner_unit"`
			Factor      string
			Unit        string
		}
		Tokens []struct {
			TokenID   string `json:"token_id"`
			Name      string
			Kinds     []string
			ExpiresAt string `json:"expires_at"`
			Status    string
		}
	}
	require.NoError(t, json.Unmarshal([]byte(run.stdout), &shown))
	require.Equal(t, "acme", shown.ID)
	require.Len(t, shown.Items, 5)
	require.Contains(t, shown.Units, struct {
		PartnerUnit string `json:"partner_unit"`
		Factor      string
		Unit        string
	}{"CS", "12", "EA"})
	require.Len(t, shown.Tokens, 2)
	require.Equal(t, "acme-edi", shown.Tokens[0].Name)
	require.Equal(t, cred.TokenID, shown.Tokens[0].TokenID)
	require.Equal(t, []string{"asn", "invoice"}, shown.Tokens[1].Kinds)
	require.Equal(t, expires.Format(time.RFC3339), shown.Tokens[1].ExpiresAt)
	require.Equal(t, "active", shown.Tokens[1].Status)
	issuedID := shown.Tokens[1].TokenID

	run = crossdock(t, dataDir, nil, "partners", "show", "northwind-3pl")
	require.NoError(t, run.err)
	require.Contains(t, run.stdout, "id: northwind-3pl\n")
	require.Contains(t, run.stdout, `"17": on_hand`, "a code that reads as a number stays a string")
	require.Contains(t, run.stdout, "expires_at: \"2027-01-01T00:00:00Z\"")

	run = crossdock(t, dataDir, nil, "partners", "token", "revoke", "acme", issuedID, "--reason", "sent to the wrong address")
	require.NoError(t, run.err)
	require.NoError(t, dir.Sync(t.Context()))
	_, ok = dir.Authenticate(issued)
	require.False(t, ok, "a revoked token no longer authenticates")
	tokens, _ := dir.Tokens("acme")
	require.Equal(t, "sent to the wrong address", tokens[1].RevokeReason)

	run = crossdock(t, dataDir, strings.NewReader("whsec_rotated\n"), "partners", "secret", "set", "ups", "easypost")
	require.NoError(t, run.err)
	require.NoError(t, dir.Sync(t.Context()))
	secret, ok = dir.WebhookSecret("ups", "easypost")
	require.True(t, ok)
	require.Equal(t, "whsec_rotated", string(secret), "the secret is read from standard input, without its line break")

	run = crossdock(t, dataDir, nil, "partners", "secret", "remove", "ups", "easypost")
	require.NoError(t, run.err)
	require.NoError(t, dir.Sync(t.Context()))
	_, ok = dir.WebhookSecret("ups", "easypost")
	require.False(t, ok)
}

func TestPartnersCommandErrors(t *testing.T) {
	dataDir := t.TempDir()
	bad := filepath.Join(t.TempDir(), "partners.yaml")
	require.NoError(t, os.WriteFile(bad, []byte("partners:\n  - id: acme\n    name: ACME\n    roles: [supplier]\n    tolerances: {over_ship_percnt: 5}\n"), 0o600))

	for _, tc := range []struct {
		name  string
		stdin string
		args  []string
		want  []string
	}{
		{"a typo in the file names its line", "", []string{"partners", "apply", bad}, []string{bad, "line 5", "over_ship_percnt"}},
		{"no file", "", []string{"partners", "apply"}, []string{"no partners file"}},
		{"an unset token variable is named", "", []string{"partners", "apply", examplePartners}, []string{"CROSSDOCK_TOKEN_ACME"}},
		{"an unknown kind", "", []string{"partners", "token", "issue", "acme", "--kinds", "asn,invoices"}, []string{`"invoices"`}},
		{"no kinds", "", []string{"partners", "token", "issue", "acme"}, []string{"--kinds is required"}},
		{"an unregistered partner", "", []string{"partners", "token", "issue", "globex", "--kinds", "asn"}, []string{"globex", "not registered"}},
		{"an unknown partner", "", []string{"partners", "show", "globex"}, []string{`no partner "globex"`}},
		{"no secret on stdin", "", []string{"partners", "secret", "set", "ups", "easypost"}, []string{"no secret on standard input"}},
		{"a format without webhooks", "s3cret", []string{"partners", "secret", "set", "ups", "x12"}, []string{`"x12" is not a webhook format`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv("CROSSDOCK_EASYPOST_WEBHOOK_SECRET", "whsec_example")
			run := crossdock(t, dataDir, strings.NewReader(tc.stdin), tc.args...)
			require.Error(t, run.err)
			for _, w := range tc.want {
				require.Contains(t, run.err.Error(), w)
			}
		})
	}
}
