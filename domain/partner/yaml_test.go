package partner_test

import (
	"bytes"
	"os"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crossdock-hub/crossdock/domain/partner"
)

func exampleEnv(name string) (string, bool) {
	env := map[string]string{
		"CROSSDOCK_TOKEN_ACME":              "cdp_test-token-for-acme-0123456789abcdef",
		"CROSSDOCK_EASYPOST_WEBHOOK_SECRET": "sécret",
	}
	v, ok := env[name]
	return v, ok
}

func TestLoadProfilesExample(t *testing.T) {
	t.Parallel()
	profiles, err := partner.LoadProfiles(openExample(t))
	require.NoError(t, err)
	require.Len(t, profiles, 3)
	acme, nw, ups := profiles[0], profiles[1], profiles[2]

	assert.Equal(t, "acme", acme.ID)
	assert.Equal(t, []partner.Role{partner.RoleSupplier}, acme.Roles)
	assert.Equal(t, jan1, acme.EffectiveFrom)
	assert.Equal(t, []partner.ISAID{{Qualifier: "12", ID: "4405197800"}}, acme.Identifiers.ISA)
	require.Len(t, acme.Items, 5)
	assert.Equal(t, partner.ItemMapping{PartnerItem: "VP-101", Product: "FURN_0201", EffectiveFrom: june1}, acme.Items[4])
	require.Len(t, acme.Units, 2)
	assert.Equal(t, "CS", acme.Units[0].PartnerUnit)
	assert.True(t, acme.Units[0].Factor.Equal(decimal.NewFromInt(12)))
	assert.True(t, acme.Tolerances.OverShipPercent.Equal(decimal.NewFromInt(5)))
	assert.Equal(t, 12, acme.SLA.ASNLeadHours)
	require.Len(t, acme.Tokens, 1)
	assert.Equal(t, "CROSSDOCK_TOKEN_ACME", acme.Tokens[0].ValueEnv)
	assert.Empty(t, acme.Tokens[0].SHA256, "read from the environment by ResolveSecrets, not by LoadProfiles")

	assert.Equal(t, "on_hold", nw.InventoryQualifiers["ZZ"])
	require.Len(t, nw.Channels, 3)
	csv := nw.Channels[1].CSV
	require.NotNil(t, csv)
	assert.Equal(t, partner.CSVMap{Kind: partner.KindInventorySnapshot, Delimiter: ";", Header: true,
		DateFormat: "02.01.2006", Columns: map[string]string{
			"sku": "SKU", "on_hand": "Qty On Hand", "unit": "UOM", "location": "Bin", "as_of": "Snapshot Date",
		}}, *csv)
	assert.Equal(t, "3d2c2dbe238dc29c559e7abce885663ca1ec83570846fb654de23d2b3281ad59", nw.Tokens[0].SHA256)

	assert.Equal(t, []string{"UPSN"}, ups.Identifiers.SCAC)
	assert.Equal(t, []partner.WebhookSecretDecl{{Format: partner.FormatEasyPost, ValueEnv: "CROSSDOCK_EASYPOST_WEBHOOK_SECRET"}},
		ups.WebhookSecrets)

	require.NoError(t, nw.Validate(), "a token given by hash needs nothing more")
	for _, p := range []partner.Profile{acme, ups} {
		require.ErrorIs(t, p.Validate(), partner.ErrInvalidProfile, "%s: credentials from the environment are not read yet", p.ID)
	}
	require.NoError(t, partner.ResolveSecrets(profiles, exampleEnv))
	for _, p := range profiles {
		require.NoError(t, p.Validate(), p.ID)
	}
	assert.Equal(t, partner.HashToken("cdp_test-token-for-acme-0123456789abcdef"), profiles[0].Tokens[0].SHA256)
	assert.Equal(t, []byte("sécret"), profiles[2].WebhookSecrets[0].Secret)
}

func TestLoadProfilesUnknownKeyNamesLine(t *testing.T) {
	t.Parallel()
	src := `partners:
  - id: acme
    name: ACME
    roles: [supplier]
    tolerances:
      over_ship_percnt: 5
`
	_, err := partner.LoadProfiles(strings.NewReader(src))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "line 6")
	assert.Contains(t, err.Error(), "over_ship_percnt")
}

func TestLoadProfilesErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		src  string
		want []string // substrings of the error
	}{
		{
			name: "violations carry their lines",
			src: `partners:
  - id: acme
    name: ACME
    roles: [supplier]
    items:
      - {partner_item: VP-1, product: A}
      - {upc: "044051978001", product: B}
    units:
      - partner_unit: CS
        factor: 0
        unit: EA
`,
			want: []string{"line 7: /items/1/upc: must be 12 digits (UPC-A) with a valid check digit",
				"line 10: /units/0/factor: must be greater than zero"},
		},
		{
			name: "exponent refused",
			src:  "partners:\n  - id: acme\n    tolerances: {over_ship_percent: 1e3}\n",
			want: []string{"line 3", `"1e3" is not a decimal number`},
		},
		{
			name: "clear token refused",
			src:  "partners:\n  - id: acme\n    name: A\n    roles: [supplier]\n    tokens:\n      - {name: t, kinds: [asn], value: cdp_secret}\n",
			want: []string{"line 6", "clear tokens do not belong in the file"},
		},
		{
			name: "clear webhook secret refused",
			src:  "partners:\n  - id: ups\n    name: U\n    roles: [carrier]\n    webhook_secrets:\n      - {format: easypost, secret: hunter2}\n",
			want: []string{"line 6", "clear secrets do not belong in the file"},
		},
		{
			name: "partner twice",
			src:  "partners:\n  - {id: acme, name: A, roles: [supplier]}\n  - {id: acme, name: B, roles: [supplier]}\n",
			want: []string{`line 3: partner "acme" is already defined at line 2`},
		},
		{
			name: "sha256 and value_env",
			src: "partners:\n  - id: acme\n    name: A\n    roles: [supplier]\n    tokens:\n" +
				"      - {name: t, kinds: [asn], sha256: 3d2c2dbe238dc29c559e7abce885663ca1ec83570846fb654de23d2b3281ad59, value_env: CROSSDOCK_T}\n",
			want: []string{"line 6: /tokens/0: give sha256 or value_env, not both"},
		},
		{
			name: "env variable outside CROSSDOCK_",
			src:  "partners:\n  - id: acme\n    name: A\n    roles: [supplier]\n    tokens:\n      - {name: t, kinds: [asn], value_env: AWS_SECRET_ACCESS_KEY}\n",
			want: []string{"line 6: /tokens/0/value_env: must be an environment variable named CROSSDOCK_[A-Z0-9_]+"},
		},
		{name: "empty", src: "", want: []string{"empty"}},
		{name: "no partners", src: "partners: []\n", want: []string{"no partners"}},
		{name: "two documents", src: "partners: [{id: a, name: A, roles: [supplier]}]\n---\npartners: []\n", want: []string{"one YAML document"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := partner.LoadProfiles(strings.NewReader(tt.src))
			require.Error(t, err)
			for _, w := range tt.want {
				assert.Contains(t, err.Error(), w)
			}
		})
	}
}

func TestLoadProfilesValidationErrorIsTyped(t *testing.T) {
	t.Parallel()
	_, err := partner.LoadProfiles(strings.NewReader("partners:\n  - id: Acme\n    name: A\n    roles: [vendor]\n"))
	var ve *partner.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "Acme", ve.Partner)
	assert.Equal(t, []partner.Violation{
		{Field: "/id", Reason: "must be 1 to 64 characters a-z, 0-9, '-' or '_'", Line: 2},
		{Field: "/roles/0", Reason: `unknown role "vendor" (want one of "supplier", "warehouse", "carrier", "channel")`, Line: 4},
	}, ve.Violations)
}

func TestResolveSecretsReportsByNameOnly(t *testing.T) {
	t.Parallel()
	profiles, err := partner.LoadProfiles(openExample(t))
	require.NoError(t, err)
	err = partner.ResolveSecrets(profiles, func(name string) (string, bool) {
		if name == "CROSSDOCK_TOKEN_ACME" {
			return "short-secret-value", true
		}
		return "", false
	})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "partner acme: token acme-edi: the value of CROSSDOCK_TOKEN_ACME is shorter than 32 characters")
	assert.Contains(t, err.Error(), "partner ups: easypost webhook secret: environment variable CROSSDOCK_EASYPOST_WEBHOOK_SECRET is not set")
	assert.NotContains(t, err.Error(), "short-secret-value")
}

// FuzzLoadProfiles: whatever the bytes, LoadProfiles returns profiles that validate (once their
// credentials are resolved) or an error, and never panics.
func FuzzLoadProfiles(f *testing.F) {
	example, err := os.ReadFile("testdata/partners.example.yaml")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(example)
	f.Add([]byte("partners:\n  - id: acme\n    tolerances: {over_ship_percent: 1e3}\n"))
	f.Add([]byte("partners: [{id: a, name: A, roles: [supplier], units: [{partner_unit: CS, factor: 12, unit: EA}]}]\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		profiles, err := partner.LoadProfiles(bytes.NewReader(data))
		if err != nil {
			return
		}
		if err := partner.ResolveSecrets(profiles, func(string) (string, bool) {
			return "cdp_fuzz-token-value-0123456789abcdef", true
		}); err != nil {
			return
		}
		for _, p := range profiles {
			if err := p.Validate(); err != nil {
				t.Fatalf("loaded profile %s does not validate: %v", p.ID, err)
			}
		}
	})
}
