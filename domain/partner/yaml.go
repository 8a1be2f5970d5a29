package partner

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"
	"go.yaml.in/yaml/v3"

	"github.com/crossdock-hub/crossdock/domain"
)

// The bootstrap file (see testdata/partners.example.yaml) is one YAML document:
//
//	partners:
//	  - id: acme
//	    name: ACME Supply Co.
//	    roles: [supplier]
//	    effective_from: 2026-01-01          # a date (UTC midnight) or an RFC 3339 instant
//	    identifiers: {isa: [{qualifier: "12", id: "4405197800"}], gs: [...], gln: [...], duns: [...], scac: [...]}
//	    channels: [{kind: http, format: x12, documents: [asn, invoice]}]
//	    items: [{partner_item: VP-100, upc: "044051978000", product: FURN_0100}]
//	    units: [{partner_unit: CS, factor: 12, unit: EA}]
//	    inventory_qualifiers: {"17": on_hand}
//	    tolerances: {over_ship_percent: 5, price_variance_percent: 2, quantity_percent: 0}
//	    sla: {ack_within_hours: 24, asn_lead_hours: 12}
//	    tokens: [{name: acme-edi, kinds: [asn], value_env: CROSSDOCK_TOKEN_ACME}]   # or sha256: <hex>
//	    webhook_secrets: [{format: easypost, value_env: CROSSDOCK_EASYPOST_SECRET}]
//
// Keys are snake_case and unknown keys are errors naming their line, so a typo ("over_ship_percnt")
// never silently leaves a default in force. Decimals are written as plain numbers and read from their
// text (never through a float); exponents are refused. No clear secret may appear: a token is given by
// its SHA-256 or by the environment variable it is read from, a webhook secret only by its variable.

type yamlFile struct {
	Partners []yamlProfile `yaml:"partners"`
}

type yamlProfile struct {
	ID                  string            `yaml:"id"`
	Name                string            `yaml:"name"`
	Roles               []string          `yaml:"roles"`
	EffectiveFrom       yamlTime          `yaml:"effective_from"`
	EffectiveTo         yamlTime          `yaml:"effective_to"`
	Identifiers         yamlIdentifiers   `yaml:"identifiers"`
	Channels            []yamlChannel     `yaml:"channels"`
	Items               []yamlItem        `yaml:"items"`
	Units               []yamlUnit        `yaml:"units"`
	InventoryQualifiers map[string]string `yaml:"inventory_qualifiers"`
	Tolerances          yamlTolerances    `yaml:"tolerances"`
	SLA                 yamlSLA           `yaml:"sla"`
	Tokens              []yamlToken       `yaml:"tokens"`
	WebhookSecrets      []yamlSecret      `yaml:"webhook_secrets"`
	Backorders          string            `yaml:"backorders"`
}

type yamlIdentifiers struct {
	ISA  []yamlISA `yaml:"isa"`
	GS   []string  `yaml:"gs"`
	GLN  []string  `yaml:"gln"`
	DUNS []string  `yaml:"duns"`
	SCAC []string  `yaml:"scac"`
}

type yamlISA struct {
	Qualifier string `yaml:"qualifier"`
	ID        string `yaml:"id"`
}

type yamlChannel struct {
	Kind      string   `yaml:"kind"`
	Format    string   `yaml:"format"`
	Documents []string `yaml:"documents"`
	CSV       *yamlCSV `yaml:"csv"`
	Dir       string   `yaml:"dir"`
}

type yamlCSV struct {
	Kind        string            `yaml:"kind"`
	Delimiter   string            `yaml:"delimiter"`
	Header      bool              `yaml:"header"`
	Columns     map[string]string `yaml:"columns"`
	DateFormat  string            `yaml:"date_format"`
	DefaultUnit string            `yaml:"default_unit"`
}

type yamlItem struct {
	PartnerItem   string   `yaml:"partner_item"`
	UPC           string   `yaml:"upc"`
	GTIN          string   `yaml:"gtin"`
	Product       string   `yaml:"product"`
	Barcode       string   `yaml:"barcode"`
	EffectiveFrom yamlTime `yaml:"effective_from"`
}

type yamlUnit struct {
	PartnerUnit   string      `yaml:"partner_unit"`
	Factor        yamlDecimal `yaml:"factor"`
	Unit          string      `yaml:"unit"`
	EffectiveFrom yamlTime    `yaml:"effective_from"`
}

type yamlTolerances struct {
	OverShipPercent       yamlDecimal `yaml:"over_ship_percent"`
	PriceVariancePercent  yamlDecimal `yaml:"price_variance_percent"`
	QuantityPercent       yamlDecimal `yaml:"quantity_percent"`
	PriceVarianceAbsolute yamlDecimal `yaml:"price_variance_absolute"`
}

type yamlSLA struct {
	AckWithinHours           int `yaml:"ack_within_hours"`
	FunctionalAckWithinHours int `yaml:"functional_ack_within_hours"`
	ASNLeadHours             int `yaml:"asn_lead_hours"`
	ShipConfirmWithinHours   int `yaml:"ship_confirm_within_hours"`
	ReceiptWithinHours       int `yaml:"receipt_within_hours"`
	InventoryEveryHours      int `yaml:"inventory_every_hours"`
	InvoiceWithinDays        int `yaml:"invoice_within_days"`
}

type yamlToken struct {
	Name      string   `yaml:"name"`
	Kinds     []string `yaml:"kinds"`
	ExpiresAt yamlTime `yaml:"expires_at"`
	SHA256    string   `yaml:"sha256"`
	ValueEnv  string   `yaml:"value_env"`
	// Value is recognised only to refuse it with a clear message: clear tokens do not belong in files.
	Value *yamlRefused `yaml:"value"`
}

type yamlSecret struct {
	Format   string       `yaml:"format"`
	ValueEnv string       `yaml:"value_env"`
	Value    *yamlRefused `yaml:"value"`
	Secret   *yamlRefused `yaml:"secret"`
}

// yamlRefused marks a key that is recognised only to be refused: it records where it was, never what.
type yamlRefused struct{ Line int }

func (r *yamlRefused) UnmarshalYAML(n *yaml.Node) error {
	r.Line = n.Line
	return nil
}

// yamlTime reads a date ("2026-01-01", midnight UTC) or an RFC 3339 instant from the scalar's text.
type yamlTime struct{ time.Time }

func (t *yamlTime) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind != yaml.ScalarNode {
		return fmt.Errorf("line %d: want a date (2006-01-02) or an RFC 3339 instant", n.Line)
	}
	if n.Value == "" || n.Tag == "!!null" {
		t.Time = time.Time{}
		return nil
	}
	for _, layout := range []string{"2006-01-02", time.RFC3339Nano} {
		if v, err := time.Parse(layout, n.Value); err == nil {
			t.Time = v.UTC()
			return nil
		}
	}
	return fmt.Errorf("line %d: %q is not a date (2006-01-02) or an RFC 3339 instant", n.Line, n.Value)
}

// yamlDecimal reads a decimal from the scalar's text, as domain.ParseAmount does: "12", "0.5", never
// through a float and never with an exponent.
type yamlDecimal struct{ decimal.Decimal }

func (d *yamlDecimal) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind != yaml.ScalarNode {
		return fmt.Errorf("line %d: want a decimal number", n.Line)
	}
	v, err := domain.ParseAmount(n.Value)
	if err != nil {
		return fmt.Errorf("line %d: %q is not a decimal number", n.Line, n.Value)
	}
	d.Decimal = v
	return nil
}

// LoadProfiles reads a bootstrap file and returns its profiles, validated except that credentials
// given by environment variable are not read yet: pass the result to ResolveSecrets before Plan.
//
// A syntax error, an unknown key or a value of the wrong type is an error naming its line. Rule
// violations are a *ValidationError per partner, each violation carrying its line (Violation.Line),
// joined with errors.Join. A partner ID given twice, a clear token or secret in the file, or a token
// with both sha256 and value_env are errors too.
func LoadProfiles(r io.Reader) ([]Profile, error) {
	raw, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("read partners file: %w", err)
	}
	var file yamlFile
	dec := yaml.NewDecoder(bytes.NewReader(raw))
	dec.KnownFields(true)
	if err := dec.Decode(&file); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, errors.New("partners file: empty, want a partners: list")
		}
		return nil, fmt.Errorf("partners file: %w", err)
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); !errors.Is(err, io.EOF) {
		return nil, errors.New("partners file: want one YAML document, found more")
	}
	// The same bytes as a node tree, to point violations at their lines.
	var tree struct {
		Partners []yaml.Node `yaml:"partners"`
	}
	if err := yaml.Unmarshal(raw, &tree); err != nil {
		return nil, fmt.Errorf("partners file: %w", err)
	}
	if len(file.Partners) == 0 {
		return nil, errors.New("partners file: no partners (want a partners: list)")
	}

	var problems []error
	seen := map[string]int{}
	profiles := make([]Profile, 0, len(file.Partners))
	for i, yp := range file.Partners {
		node := &tree.Partners[i]
		if refused := refuseClearSecrets(yp); len(refused) > 0 {
			for _, msg := range refused {
				problems = append(problems, fmt.Errorf("partner %q: %s", yp.ID, msg))
			}
			continue
		}
		p := yp.profile()
		if line, dup := seen[p.ID]; dup && p.ID != "" {
			problems = append(problems, fmt.Errorf("line %d: partner %q is already defined at line %d", node.Line, p.ID, line))
			continue
		}
		seen[p.ID] = node.Line
		vs := p.validate(false)
		for j, t := range yp.Tokens {
			if t.SHA256 != "" && t.ValueEnv != "" {
				vs.add("/tokens/"+strconv.Itoa(j), "give sha256 or value_env, not both")
			}
		}
		if len(vs) > 0 {
			for j := range vs {
				vs[j].Line = lineOf(node, vs[j].Field)
			}
			problems = append(problems, vs.err(p.ID))
			continue
		}
		profiles = append(profiles, p)
	}
	if err := errors.Join(problems...); err != nil {
		return nil, fmt.Errorf("partners file: %w", err)
	}
	return profiles, nil
}

// refuseClearSecrets names every clear token or secret the file holds, by line only.
func refuseClearSecrets(yp yamlProfile) []string {
	var out []string
	for i, t := range yp.Tokens {
		if t.Value != nil {
			out = append(out, fmt.Sprintf("line %d: /tokens/%d/value: clear tokens do not belong in the file; give sha256 or value_env", t.Value.Line, i))
		}
	}
	for i, w := range yp.WebhookSecrets {
		for _, n := range []*yamlRefused{w.Value, w.Secret} {
			if n != nil {
				out = append(out, fmt.Sprintf("line %d: /webhook_secrets/%d: clear secrets do not belong in the file; give value_env", n.Line, i))
			}
		}
	}
	return out
}

// lineOf follows a violation's JSON pointer through the partner's node tree and returns the line of the
// deepest node it reaches.
func lineOf(node *yaml.Node, pointer string) int {
	line := node.Line
	cur := node
	for _, part := range strings.Split(strings.TrimPrefix(pointer, "/"), "/") {
		part = strings.NewReplacer("~1", "/", "~0", "~").Replace(part)
		var next *yaml.Node
		switch cur.Kind {
		case yaml.MappingNode:
			for k := 0; k+1 < len(cur.Content); k += 2 {
				if cur.Content[k].Value == part {
					next = cur.Content[k+1]
					if next.Kind == yaml.ScalarNode {
						next = cur.Content[k] // the key's line is the value's, and it exists for empty values
					}
					break
				}
			}
		case yaml.SequenceNode:
			if idx, err := strconv.Atoi(part); err == nil && idx >= 0 && idx < len(cur.Content) {
				next = cur.Content[idx]
			}
		}
		if next == nil {
			break
		}
		cur, line = next, next.Line
	}
	return line
}

func (yp yamlProfile) profile() Profile {
	p := Profile{
		ID:                  yp.ID,
		Name:                yp.Name,
		Backorders:          yp.Backorders,
		EffectiveFrom:       yp.EffectiveFrom.Time,
		EffectiveTo:         yp.EffectiveTo.Time,
		InventoryQualifiers: yp.InventoryQualifiers,
		Tolerances: Tolerances{
			OverShipPercent:       yp.Tolerances.OverShipPercent.Decimal,
			PriceVariancePercent:  yp.Tolerances.PriceVariancePercent.Decimal,
			QuantityPercent:       yp.Tolerances.QuantityPercent.Decimal,
			PriceVarianceAbsolute: yp.Tolerances.PriceVarianceAbsolute.Decimal,
		},
		SLA: SLA(yp.SLA),
		Identifiers: Identifiers{
			GS: yp.Identifiers.GS, GLN: yp.Identifiers.GLN, DUNS: yp.Identifiers.DUNS, SCAC: yp.Identifiers.SCAC,
		},
	}
	for _, r := range yp.Roles {
		p.Roles = append(p.Roles, Role(r))
	}
	for _, isa := range yp.Identifiers.ISA {
		p.Identifiers.ISA = append(p.Identifiers.ISA, ISAID(isa))
	}
	for _, c := range yp.Channels {
		ch := Channel{Kind: c.Kind, Format: c.Format, Documents: c.Documents, Dir: c.Dir}
		if c.CSV != nil {
			ch.CSV = &CSVMap{Kind: c.CSV.Kind, Delimiter: c.CSV.Delimiter, Header: c.CSV.Header,
				Columns: c.CSV.Columns, DateFormat: c.CSV.DateFormat, DefaultUnit: c.CSV.DefaultUnit}
		}
		p.Channels = append(p.Channels, ch)
	}
	for _, it := range yp.Items {
		p.Items = append(p.Items, ItemMapping{PartnerItem: it.PartnerItem, UPC: it.UPC, GTIN: it.GTIN,
			Product: it.Product, Barcode: it.Barcode, EffectiveFrom: it.EffectiveFrom.Time})
	}
	for _, u := range yp.Units {
		p.Units = append(p.Units, UnitMapping{PartnerUnit: u.PartnerUnit, Factor: u.Factor.Decimal, Unit: u.Unit,
			EffectiveFrom: u.EffectiveFrom.Time})
	}
	for _, t := range yp.Tokens {
		p.Tokens = append(p.Tokens, TokenDecl{Name: t.Name, Kinds: t.Kinds, ExpiresAt: t.ExpiresAt.Time,
			SHA256: t.SHA256, ValueEnv: t.ValueEnv})
	}
	for _, w := range yp.WebhookSecrets {
		p.WebhookSecrets = append(p.WebhookSecrets, WebhookSecretDecl{Format: w.Format, ValueEnv: w.ValueEnv})
	}
	return p
}

// ResolveSecrets reads the credentials the profiles name by environment variable through lookup
// (os.LookupEnv in cmd/crossdock; only cmd reads the environment): a token is hashed at once (its clear
// value is not kept) and a webhook secret is kept in WebhookSecretDecl.Secret for PlanSecrets to seal.
// It changes profiles in place and reports every variable that is unset, empty, or (for a token)
// shorter than 32 characters, by name only: never a value.
func ResolveSecrets(profiles []Profile, lookup func(name string) (string, bool)) error {
	var problems []error
	for i := range profiles {
		p := &profiles[i]
		for j := range p.Tokens {
			t := &p.Tokens[j]
			env := strings.TrimSpace(t.ValueEnv)
			if env == "" {
				continue
			}
			if !validEnvName(env) {
				problems = append(problems, fmt.Errorf("partner %s: token %s: %q is not a %s* variable name", p.ID, t.Name, env, envVariablePrefix))
				continue
			}
			v, ok := lookup(env)
			switch {
			case !ok || v == "":
				problems = append(problems, fmt.Errorf("partner %s: token %s: environment variable %s is not set", p.ID, t.Name, env))
			case len(v) < minEnvTokenLength:
				problems = append(problems, fmt.Errorf("partner %s: token %s: the value of %s is shorter than %d characters",
					p.ID, t.Name, env, minEnvTokenLength))
			default:
				t.SHA256 = HashToken(v)
			}
		}
		for j := range p.WebhookSecrets {
			w := &p.WebhookSecrets[j]
			env := strings.TrimSpace(w.ValueEnv)
			if env == "" {
				continue
			}
			if !validEnvName(env) {
				problems = append(problems, fmt.Errorf("partner %s: %s webhook secret: %q is not a %s* variable name", p.ID, w.Format, env, envVariablePrefix))
				continue
			}
			v, ok := lookup(env)
			if !ok || v == "" {
				problems = append(problems, fmt.Errorf("partner %s: %s webhook secret: environment variable %s is not set",
					p.ID, w.Format, env))
				continue
			}
			w.Secret = []byte(v)
		}
	}
	return errors.Join(problems...)
}
