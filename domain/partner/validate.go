package partner

import (
	"encoding/hex"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/shopspring/decimal"

	"github.com/crossdock-hub/crossdock/domain"
)

// ErrInvalidProfile is matched (errors.Is) by every *ValidationError.
var ErrInvalidProfile = errors.New("invalid partner profile")

// Violation is one broken rule. Field is the path of the offending value in JSON pointer form with the
// snake_case names of the bootstrap file ("/items/3/upc", "/channels/0/csv/columns/quantity"), so an
// admin API can return it as is. Line is the line of a bootstrap file the value is on, when the profile
// came from one (LoadProfiles), and 0 otherwise.
type Violation struct {
	Field  string `json:"field"`
	Reason string `json:"reason"`
	Line   int    `json:"line,omitempty"`
}

func (v Violation) String() string {
	if v.Line > 0 {
		return "line " + strconv.Itoa(v.Line) + ": " + v.Field + ": " + v.Reason
	}
	return v.Field + ": " + v.Reason
}

// ValidationError lists every rule a profile (or a credential request) breaks, so that all can be fixed
// in one go.
type ValidationError struct {
	Partner    string
	Violations []Violation
}

func (e *ValidationError) Error() string {
	parts := make([]string, len(e.Violations))
	for i, v := range e.Violations {
		parts[i] = v.String()
	}
	who := "request"
	if e.Partner != "" {
		who = e.Partner
	}
	return "invalid partner " + who + ": " + strings.Join(parts, "; ")
}

// Is makes errors.Is(err, ErrInvalidProfile) true.
func (e *ValidationError) Is(target error) bool { return target == ErrInvalidProfile }

// Bounds of the values a profile holds.
const (
	MaxNameLength       = 200
	MaxCodeLength       = 80 // item codes, products, barcodes
	MaxPercent          = 1000
	MaxSLAHours         = 24 * 366
	MaxSLADays          = 366
	MaxTokenNameLength  = 40
	MaxSecretLength     = 4096
	MaxCSVColumn        = 1000
	maxISAIDLength      = 15
	minEnvTokenLength   = 32
	hexSHA256Length     = 64
	envVariablePrefix   = "CROSSDOCK_"
	tokenIDHashChars    = 16
	maxQualifierCodeLen = 3
)

// violations collects broken rules.
type violations []Violation

func (vs *violations) add(field, reason string) {
	*vs = append(*vs, Violation{Field: field, Reason: reason})
}

func (vs *violations) addf(field, format string, args ...any) {
	vs.add(field, fmt.Sprintf(format, args...))
}

// err returns the *ValidationError of the collected violations, or nil.
func (vs violations) err(partner string) error {
	if len(vs) == 0 {
		return nil
	}
	return &ValidationError{Partner: partner, Violations: vs}
}

// Validate checks every rule a profile must satisfy before Plan may use it and returns a
// *ValidationError listing all broken ones, or nil. Bootstrap credentials must be resolved
// (ResolveSecrets) by then.
//
// The rules: a valid partner ID, a name, at least one known role, effective_to after effective_from;
// identifiers non-empty and well formed (ISA qualifier 2 characters and ID up to 15, GLN 13 digits with
// a GS1 check digit, DUNS 9 or 13 digits, SCAC 2 to 4 letters), each listed once, and an ISA ID when a
// channel speaks X12; channels of a known kind and format with known document kinds, no document
// declared twice for the same kind and format, a CSV map for (and only for) CSV channels; each item
// entry with an identifier and a target, UPCs and GTINs with valid check digits, and each partner item,
// UPC or GTIN mapped at most once per effective date (so at most one product at any instant); unit
// factors greater than zero, valid unit codes, no unit both canonical and mapped to another unit;
// inventory qualifiers with a known meaning; percentages within 0..1000; SLA values not negative.
func (p Profile) Validate() error { return p.validate(true).err(p.ID) }

func (p Profile) validate(resolved bool) violations {
	var vs violations
	if err := ValidateID(p.ID); err != nil {
		vs.add("/id", "must be 1 to 64 characters a-z, 0-9, '-' or '_'")
	}
	name := strings.TrimSpace(p.Name)
	switch {
	case name == "":
		vs.add("/name", "is required")
	case utf8.RuneCountInString(name) > MaxNameLength:
		vs.addf("/name", "is longer than %d characters", MaxNameLength)
	}
	if len(p.Roles) == 0 {
		vs.add("/roles", "must have at least one role")
	}
	for i, r := range p.Roles {
		f := "/roles/" + strconv.Itoa(i)
		if !slices.Contains(roles, r) {
			vs.addf(f, "unknown role %q (want one of %s)", r, joinQuoted(roles))
		} else if j := slices.Index(p.Roles, r); j < i {
			vs.addf(f, "duplicates /roles/%d", j)
		}
	}
	if !p.EffectiveFrom.IsZero() && !p.EffectiveTo.IsZero() && !p.EffectiveTo.After(p.EffectiveFrom) {
		vs.add("/effective_to", "must be after effective_from")
	}
	p.validateIdentifiers(&vs)
	p.validateChannels(&vs)
	if b := p.Backorders; b != "" && b != BackordersKeep && b != BackordersClose {
		vs.addf("/backorders", "must be %q or %q, not %q", BackordersKeep, BackordersClose, b)
	}
	p.validateItems(&vs)
	p.validateUnits(&vs)
	p.validateTerms(&vs)
	p.validateCredentials(&vs, resolved)
	return vs
}

func (p Profile) validateIdentifiers(vs *violations) {
	ids := p.Identifiers
	seenISA := map[ISAID]int{}
	for i, isa := range ids.ISA {
		f := "/identifiers/isa/" + strconv.Itoa(i)
		n := ISAID{Qualifier: NormalizeISAQualifier(isa.Qualifier), ID: NormalizeISAID(isa.ID)}
		if !validISAQualifier(n.Qualifier) {
			vs.add(f+"/qualifier", "must be 2 letters or digits (ISA05), e.g. 01, 12, ZZ")
		}
		switch {
		case n.ID == "":
			vs.add(f+"/id", "is required")
		case !validX12ID(n.ID, maxISAIDLength):
			vs.addf(f+"/id", "must be 1 to %d printable ASCII characters (ISA06)", maxISAIDLength)
		}
		if j, dup := seenISA[n]; dup {
			vs.addf(f, "duplicates /identifiers/isa/%d", j)
		} else {
			seenISA[n] = i
		}
	}
	checkList := func(name string, values []string, norm func(string) string, valid func(string) bool, rule string) {
		seen := map[string]int{}
		for i, v := range values {
			f := "/identifiers/" + name + "/" + strconv.Itoa(i)
			n := norm(v)
			switch {
			case n == "":
				vs.add(f, "must not be empty")
			case !valid(n):
				vs.add(f, rule)
			}
			if j, dup := seen[n]; dup {
				vs.addf(f, "duplicates /identifiers/%s/%d", name, j)
			} else {
				seen[n] = i
			}
		}
	}
	checkList("gs", ids.GS, NormalizeISAID, func(s string) bool { return validX12ID(s, maxISAIDLength) },
		"must be 1 to 15 printable ASCII characters (GS02)")
	checkList("gln", ids.GLN, strings.TrimSpace, validGLN, "must be 13 digits with a valid GS1 check digit")
	checkList("duns", ids.DUNS, strings.TrimSpace, validDUNS, "must be 9 digits, or 13 for DUNS+4")
	checkList("scac", ids.SCAC, NormalizeSCAC, validSCAC, "must be 2 to 4 letters")
}

func (p Profile) validateChannels(vs *violations) {
	type route struct{ kind, format, document string }
	declared := map[route]int{}
	needsISA := -1
	for i, c := range p.Channels {
		f := "/channels/" + strconv.Itoa(i)
		kind, format := strings.TrimSpace(c.Kind), strings.TrimSpace(c.Format)
		if !slices.Contains(channelKinds, kind) {
			vs.addf(f+"/kind", "unknown channel kind %q (want one of %s)", c.Kind, joinQuoted(channelKinds))
		}
		if !slices.Contains(formats, format) {
			vs.addf(f+"/format", "unknown format %q (want one of %s)", c.Format, joinQuoted(formats))
		}
		if format == FormatX12 && needsISA < 0 {
			needsISA = i
		}
		if kind == ChannelOutbox && format == FormatEDIFACT && len(p.Identifiers.GLN) == 0 {
			vs.addf(f+"/format", "an EDIFACT outbox addresses the partner by GLN: /identifiers/gln must have one")
		}
		if len(c.Documents) == 0 {
			vs.add(f+"/documents", "must list at least one document kind")
		}
		outbox := kind == ChannelOutbox
		for j, d := range c.Documents {
			df := f + "/documents/" + strconv.Itoa(j)
			d = strings.TrimSpace(d)
			switch {
			case outbox && !slices.Contains(outboundKinds, d):
				vs.addf(df, "an outbox channel carries what Crossdock sends: %q is not one of %s", d, joinQuoted(outboundKinds))
				continue
			case outbox && !slices.Contains(outboundFormats[d], format):
				vs.addf(df, "%s is sent as %s, not %q", d, joinQuoted(outboundFormats[d]), format)
				continue
			case !outbox && !IsDocumentKind(d):
				if slices.Contains(outboundKinds, d) {
					vs.addf(df, "%s is sent by Crossdock: declare it on an outbox channel (kind: outbox, dir: ...)", d)
				} else {
					vs.addf(df, "unknown document kind %q (want one of %s)", d, joinQuoted(documentKinds))
				}
				continue
			}
			r := route{kind, format, d}
			if k, dup := declared[r]; dup {
				vs.addf(df, "%s over %s/%s is already declared by /channels/%d", d, kind, format, k)
			} else {
				declared[r] = i
			}
		}
		switch {
		case outbox && strings.TrimSpace(c.Dir) == "":
			vs.add(f+"/dir", "is required for an outbox channel: the directory its documents are written to")
		case !outbox && c.Dir != "":
			vs.add(f+"/dir", "is only for an outbox channel")
		}
		switch {
		case format == FormatCSV && c.CSV == nil:
			vs.add(f+"/csv", "is required for the csv format")
		case format != FormatCSV && c.CSV != nil:
			vs.add(f+"/csv", "is only for the csv format")
		case c.CSV != nil:
			validateCSV(vs, f, c)
		}
	}
	if needsISA >= 0 && len(p.Identifiers.ISA) == 0 {
		vs.addf("/identifiers/isa", "must have at least one ISA ID: /channels/%d speaks X12", needsISA)
	}
}

func validateCSV(vs *violations, f string, c Channel) {
	m := c.CSV
	kind := strings.TrimSpace(m.Kind)
	spec, ok := csvSpecs[kind]
	if !ok {
		vs.addf(f+"/csv/kind", "must be one of %q, %q, %q", KindInventorySnapshot, KindReceipt, KindShipConfirmation)
	} else if docs := trimmedSet(c.Documents, strings.TrimSpace); len(docs) != 1 || docs[0] != kind {
		vs.addf(f+"/documents", "a csv channel carries exactly its csv kind: want [%s]", kind)
	}
	if m.Delimiter != "" {
		r, size := utf8.DecodeRuneInString(m.Delimiter)
		if size != len(m.Delimiter) || r == utf8.RuneError || r == '"' || r == '\r' || r == '\n' {
			vs.add(f+"/csv/delimiter", "must be one character other than a quote or a line break")
		}
	}
	if m.DateFormat != "" && !validDateFormat(m.DateFormat) {
		vs.addf(f+"/csv/date_format", "%q is not a Go date layout with year, month and day (e.g. 2006-01-02)", m.DateFormat)
	}
	if len(m.Columns) == 0 {
		vs.add(f+"/csv/columns", "must map at least the required fields")
	}
	fields := slices.Sorted(maps.Keys(m.Columns))
	for _, field := range fields {
		col := strings.TrimSpace(m.Columns[field])
		cf := f + "/csv/columns/" + pointerEscape(field)
		if ok && !slices.Contains(spec.fields, strings.TrimSpace(field)) {
			vs.addf(cf, "unknown field for %s (want one of %s)", kind, strings.Join(spec.fields, ", "))
		}
		idx, isIndex := ColumnIndex(col)
		switch {
		case col == "":
			vs.add(cf, "must name a column or give its 1-based position")
		case isIndex && idx >= MaxCSVColumn:
			vs.addf(cf, "column position must be at most %d", MaxCSVColumn)
		case !isIndex && isDigits(col):
			vs.add(cf, "column positions start at 1")
		case !isIndex && !m.Header:
			vs.add(cf, "must be a 1-based column position: the file has no header")
		}
	}
	if ok {
		for _, group := range spec.required {
			if !slices.ContainsFunc(group, func(g string) bool { _, has := m.Columns[g]; return has }) {
				if len(group) == 1 {
					vs.addf(f+"/csv/columns", "must map %s", group[0])
				} else {
					vs.addf(f+"/csv/columns", "must map one of %s", strings.Join(group, ", "))
				}
			}
		}
	}
}

func (p Profile) validateItems(vs *violations) {
	// Each identifier may be mapped once per effective date: at most one product at any instant.
	type claim struct{ kind, value, from string }
	claimed := map[claim]int{}
	claimOnce := func(f string, i int, c claim, shown string) {
		if j, dup := claimed[c]; dup && j != i {
			vs.addf(f, "%s is already mapped by /items/%d from the same date", shown, j)
		} else if !dup {
			claimed[c] = i
		}
	}
	for i, raw := range p.Items {
		f := "/items/" + strconv.Itoa(i)
		it := normItem(raw)
		from := instantKey(it.EffectiveFrom)
		if it.PartnerItem == "" && it.UPC == "" && it.GTIN == "" {
			vs.add(f, "needs partner_item, upc or gtin")
		}
		if it.Product == "" && it.Barcode == "" {
			vs.add(f+"/product", "product (Odoo default_code) or barcode is required")
		}
		for _, code := range []struct{ field, value string }{
			{"/partner_item", it.PartnerItem}, {"/product", it.Product}, {"/barcode", it.Barcode},
		} {
			if utf8.RuneCountInString(code.value) > MaxCodeLength {
				vs.addf(f+code.field, "is longer than %d characters", MaxCodeLength)
			}
		}
		if it.PartnerItem != "" {
			claimOnce(f+"/partner_item", i, claim{"item", it.PartnerItem, from}, "partner item "+it.PartnerItem)
		}
		if it.UPC != "" {
			if g, ok := GTIN14(it.UPC); !ok || len(it.UPC) != 12 {
				vs.add(f+"/upc", "must be 12 digits (UPC-A) with a valid check digit")
			} else {
				claimOnce(f+"/upc", i, claim{"gtin", g, from}, "UPC "+it.UPC)
			}
		}
		if it.GTIN != "" {
			if g, ok := GTIN14(it.GTIN); !ok {
				vs.add(f+"/gtin", "must be a GTIN of 8, 12, 13 or 14 digits with a valid check digit")
			} else {
				claimOnce(f+"/gtin", i, claim{"gtin", g, from}, "GTIN "+it.GTIN)
			}
		}
	}
}

func (p Profile) validateUnits(vs *violations) {
	seen := map[unitKey]int{}
	canonical := map[string]int{} // canonical unit -> first entry naming it
	for i, raw := range p.Units {
		u := normUnit(raw)
		if _, err := domain.NormalizeUnit(u.Unit); err == nil {
			if _, ok := canonical[u.Unit]; !ok {
				canonical[u.Unit] = i
			}
		}
	}
	for i, raw := range p.Units {
		f := "/units/" + strconv.Itoa(i)
		u := normUnit(raw)
		if _, err := domain.NormalizeUnit(u.PartnerUnit); err != nil {
			vs.add(f+"/partner_unit", "must be a unit code of 1 to 3 letters or digits")
		}
		if _, err := domain.NormalizeUnit(u.Unit); err != nil {
			vs.add(f+"/unit", "must be a unit code of 1 to 3 letters or digits")
		}
		if !u.Factor.IsPositive() {
			vs.add(f+"/factor", "must be greater than zero")
		}
		if u.PartnerUnit == u.Unit && u.Factor.IsPositive() && !u.Factor.Equal(decimal.NewFromInt(1)) {
			vs.add(f+"/factor", "an identity entry (a unit to itself) must have factor 1")
		}
		if j, ok := canonical[u.PartnerUnit]; ok && u.PartnerUnit != u.Unit {
			vs.addf(f+"/partner_unit", "%s is the canonical unit of /units/%d; it may only map to itself", u.PartnerUnit, j)
		}
		k := unitKeyOf(u)
		if j, dup := seen[k]; dup {
			vs.addf(f+"/partner_unit", "%s is already mapped by /units/%d from the same date", u.PartnerUnit, j)
		} else {
			seen[k] = i
		}
	}
}

func (p Profile) validateTerms(vs *violations) {
	seen := map[string]string{}
	for _, code := range slices.Sorted(maps.Keys(p.InventoryQualifiers)) {
		f := "/inventory_qualifiers/" + pointerEscape(code)
		n := normQualifierCode(code)
		if n == "" || len(n) > maxQualifierCodeLen || !isAlnum(n) {
			vs.add(f, "qualifier code must be 1 to 3 letters or digits")
		}
		if other, dup := seen[n]; dup {
			vs.addf(f, "is the same code as %q", other)
		}
		seen[n] = code
		if meaning := strings.TrimSpace(p.InventoryQualifiers[code]); !slices.Contains(inventoryMeanings, meaning) {
			vs.addf(f, "unknown meaning %q (want one of %s)", meaning, joinQuoted(inventoryMeanings))
		}
	}
	hundredfold := decimal.NewFromInt(MaxPercent)
	for _, pct := range []struct {
		field string
		value decimal.Decimal
	}{
		{"/tolerances/over_ship_percent", p.Tolerances.OverShipPercent},
		{"/tolerances/price_variance_percent", p.Tolerances.PriceVariancePercent},
		{"/tolerances/quantity_percent", p.Tolerances.QuantityPercent},
	} {
		if pct.value.IsNegative() || pct.value.GreaterThan(hundredfold) {
			vs.addf(pct.field, "must be between 0 and %d (percent)", MaxPercent)
		}
	}
	if p.Tolerances.PriceVarianceAbsolute.IsNegative() {
		vs.addf("/tolerances/price_variance_absolute", "must not be negative")
	}
	s := p.SLA
	for _, h := range []struct {
		field string
		value int
		max   int
	}{
		{"/sla/ack_within_hours", s.AckWithinHours, MaxSLAHours},
		{"/sla/functional_ack_within_hours", s.FunctionalAckWithinHours, MaxSLAHours},
		{"/sla/asn_lead_hours", s.ASNLeadHours, MaxSLAHours},
		{"/sla/ship_confirm_within_hours", s.ShipConfirmWithinHours, MaxSLAHours},
		{"/sla/receipt_within_hours", s.ReceiptWithinHours, MaxSLAHours},
		{"/sla/inventory_every_hours", s.InventoryEveryHours, MaxSLAHours},
		{"/sla/invoice_within_days", s.InvoiceWithinDays, MaxSLADays},
	} {
		if h.value < 0 || h.value > h.max {
			vs.addf(h.field, "must be between 0 (no promise) and %d", h.max)
		}
	}
}

func (p Profile) validateCredentials(vs *violations, resolved bool) {
	names := map[string]int{}
	hashes := map[string]int{}
	for i, raw := range p.Tokens {
		f := "/tokens/" + strconv.Itoa(i)
		t := normTokenDecl(raw)
		switch {
		case t.Name == "":
			vs.add(f+"/name", "is required")
		case len(t.Name) > MaxTokenNameLength || !isIDChars(t.Name):
			vs.addf(f+"/name", "must be 1 to %d characters a-z, 0-9, '-' or '_'", MaxTokenNameLength)
		}
		if j, dup := names[t.Name]; dup && t.Name != "" {
			vs.addf(f+"/name", "duplicates /tokens/%d", j)
		} else {
			names[t.Name] = i
		}
		validateKinds(vs, f+"/kinds", raw.Kinds)
		if t.ValueEnv != "" && !validEnvName(t.ValueEnv) {
			vs.addf(f+"/value_env", "must be an environment variable named %s[A-Z0-9_]+", envVariablePrefix)
		}
		switch {
		case t.SHA256 == "" && t.ValueEnv == "":
			vs.add(f, "needs sha256 (the token's SHA-256 in hex) or value_env")
		case t.SHA256 == "" && resolved:
			vs.addf(f+"/value_env", "%s has not been read (ResolveSecrets)", t.ValueEnv)
		case t.SHA256 != "" && !validHexSHA256(t.SHA256):
			vs.add(f+"/sha256", "must be 64 hexadecimal digits")
		case t.SHA256 != "":
			if j, dup := hashes[t.SHA256]; dup {
				vs.addf(f, "is the same token as /tokens/%d", j)
			} else {
				hashes[t.SHA256] = i
			}
		}
	}
	formatsSeen := map[string]int{}
	for i, w := range p.WebhookSecrets {
		f := "/webhook_secrets/" + strconv.Itoa(i)
		format := strings.TrimSpace(w.Format)
		if !IsWebhookFormat(format) {
			vs.addf(f+"/format", "must be a webhook format (one of %s)", joinQuoted(webhookFormats))
		}
		if j, dup := formatsSeen[format]; dup {
			vs.addf(f+"/format", "duplicates /webhook_secrets/%d", j)
		} else {
			formatsSeen[format] = i
		}
		env := strings.TrimSpace(w.ValueEnv)
		switch {
		case env == "" && len(w.Secret) == 0:
			vs.add(f+"/value_env", "is required: the secret is read from the environment, never from the file")
		case env != "" && !validEnvName(env):
			vs.addf(f+"/value_env", "must be an environment variable named %s[A-Z0-9_]+", envVariablePrefix)
		case len(w.Secret) == 0 && resolved:
			vs.addf(f+"/value_env", "%s has not been read (ResolveSecrets)", env)
		case len(w.Secret) > MaxSecretLength:
			vs.addf(f+"/value_env", "the secret is longer than %d bytes", MaxSecretLength)
		}
	}
}

// validateKinds checks a token's document kinds: at least one, each known, none twice.
func validateKinds(vs *violations, f string, kinds []string) {
	if len(kinds) == 0 {
		vs.add(f, "must list at least one document kind")
	}
	for j, k := range kinds {
		kf := f + "/" + strconv.Itoa(j)
		k = strings.TrimSpace(k)
		if !IsDocumentKind(k) {
			vs.addf(kf, "unknown document kind %q (want one of %s)", k, joinQuoted(documentKinds))
		} else if first := slices.IndexFunc(kinds, func(o string) bool { return strings.TrimSpace(o) == k }); first < j {
			vs.addf(kf, "duplicates %s/%d", f, first)
		}
	}
}

func validEnvName(name string) bool {
	rest, ok := strings.CutPrefix(name, envVariablePrefix)
	if !ok || rest == "" {
		return false
	}
	for _, r := range rest {
		if (r < 'A' || r > 'Z') && (r < '0' || r > '9') && r != '_' {
			return false
		}
	}
	return true
}

func validHexSHA256(s string) bool {
	if len(s) != hexSHA256Length {
		return false
	}
	_, err := hex.DecodeString(s)
	return err == nil
}

func isAlnum(s string) bool {
	for _, r := range s {
		if (r < 'A' || r > 'Z') && (r < 'a' || r > 'z') && (r < '0' || r > '9') {
			return false
		}
	}
	return true
}

// pointerEscape escapes a map key for a JSON pointer (RFC 6901): "~" as "~0", "/" as "~1".
func pointerEscape(s string) string {
	return strings.NewReplacer("~", "~0", "/", "~1").Replace(s)
}

func joinQuoted[T ~string](values []T) string {
	parts := make([]string, len(values))
	for i, v := range values {
		parts[i] = strconv.Quote(string(v))
	}
	return strings.Join(parts, ", ")
}
