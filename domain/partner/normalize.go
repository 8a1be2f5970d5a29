package partner

import (
	"cmp"
	"maps"
	"slices"
	"strings"
	"time"
)

// Normalize returns p in canonical form: text trimmed, codes in their stored case (units, SCACs, ISA
// and inventory qualifiers upper case), instants in UTC, CSV defaults filled in, empty lists and maps
// nil, and every set (roles, identifiers, channels and their documents, token kinds) sorted and without
// repeats. Item and unit entries are sorted by their key. Two profiles that mean the same normalise to
// equal values, which is what makes Plan idempotent. The result shares no slice or map with p.
//
// Normalize does not validate: an invalid value is kept as normalised as it can be (e.g. a unit code
// that is too long stays as written, upper-cased), for Validate to report.
func (p Profile) Normalize() Profile {
	n := Profile{
		ID:                  p.ID,
		Name:                strings.TrimSpace(p.Name),
		Roles:               sortedSet(p.Roles),
		EffectiveFrom:       utc(p.EffectiveFrom),
		EffectiveTo:         utc(p.EffectiveTo),
		Identifiers:         normIdentifiers(p.Identifiers),
		InventoryQualifiers: normQualifiers(p.InventoryQualifiers),
		Tolerances:          p.Tolerances,
		SLA:                 p.SLA,
		Backorders:          strings.ToLower(strings.TrimSpace(p.Backorders)),
	}
	for _, c := range p.Channels {
		n.Channels = append(n.Channels, normChannel(c))
	}
	slices.SortStableFunc(n.Channels, func(a, b Channel) int { return cmp.Compare(channelSortKey(a), channelSortKey(b)) })
	for _, it := range p.Items {
		n.Items = append(n.Items, normItem(it))
	}
	slices.SortStableFunc(n.Items, func(a, b ItemMapping) int { return itemKeyOf(a).compare(itemKeyOf(b)) })
	for _, u := range p.Units {
		n.Units = append(n.Units, normUnit(u))
	}
	slices.SortStableFunc(n.Units, func(a, b UnitMapping) int { return unitKeyOf(a).compare(unitKeyOf(b)) })
	for _, t := range p.Tokens {
		n.Tokens = append(n.Tokens, normTokenDecl(t))
	}
	for _, w := range p.WebhookSecrets {
		n.WebhookSecrets = append(n.WebhookSecrets, WebhookSecretDecl{
			Format: strings.TrimSpace(w.Format), ValueEnv: strings.TrimSpace(w.ValueEnv), Secret: slices.Clone(w.Secret),
		})
	}
	return n
}

// Clone returns a deep copy of p, sharing no slice or map with it.
func (p Profile) Clone() Profile {
	c := p
	c.Roles = slices.Clone(p.Roles)
	c.Identifiers = Identifiers{
		ISA: slices.Clone(p.Identifiers.ISA), GS: slices.Clone(p.Identifiers.GS), GLN: slices.Clone(p.Identifiers.GLN),
		DUNS: slices.Clone(p.Identifiers.DUNS), SCAC: slices.Clone(p.Identifiers.SCAC),
	}
	c.Channels = nil
	for _, ch := range p.Channels {
		c.Channels = append(c.Channels, cloneChannel(ch))
	}
	c.Items = slices.Clone(p.Items)
	c.Units = slices.Clone(p.Units)
	c.InventoryQualifiers = maps.Clone(p.InventoryQualifiers)
	c.Tokens = nil
	for _, t := range p.Tokens {
		t.Kinds = slices.Clone(t.Kinds)
		c.Tokens = append(c.Tokens, t)
	}
	c.WebhookSecrets = nil
	for _, w := range p.WebhookSecrets {
		w.Secret = slices.Clone(w.Secret)
		c.WebhookSecrets = append(c.WebhookSecrets, w)
	}
	return c
}

func cloneChannel(ch Channel) Channel {
	ch.Documents = slices.Clone(ch.Documents)
	if ch.CSV != nil {
		m := *ch.CSV
		m.Columns = maps.Clone(m.Columns)
		ch.CSV = &m
	}
	return ch
}

func utc(t time.Time) time.Time {
	if t.IsZero() {
		return time.Time{}
	}
	return t.UTC()
}

// sortedSet returns the distinct values of s, sorted; nil when there are none.
func sortedSet[T cmp.Ordered](s []T) []T {
	if len(s) == 0 {
		return nil
	}
	out := slices.Clone(s)
	slices.Sort(out)
	return slices.Compact(out)
}

// trimmedSet trims every value with norm and returns the distinct non-empty ones, sorted.
func trimmedSet(s []string, norm func(string) string) []string {
	var out []string
	for _, v := range s {
		if v = norm(v); v != "" {
			out = append(out, v)
		}
	}
	return sortedSet(out)
}

func normIdentifiers(ids Identifiers) Identifiers {
	var n Identifiers
	for _, isa := range ids.ISA {
		n.ISA = append(n.ISA, ISAID{Qualifier: NormalizeISAQualifier(isa.Qualifier), ID: NormalizeISAID(isa.ID)})
	}
	slices.SortFunc(n.ISA, func(a, b ISAID) int {
		return cmp.Or(cmp.Compare(a.Qualifier, b.Qualifier), cmp.Compare(a.ID, b.ID))
	})
	n.ISA = slices.Compact(n.ISA)
	n.GS = trimmedSet(ids.GS, NormalizeISAID)
	n.GLN = trimmedSet(ids.GLN, strings.TrimSpace)
	n.DUNS = trimmedSet(ids.DUNS, strings.TrimSpace)
	n.SCAC = trimmedSet(ids.SCAC, NormalizeSCAC)
	return n
}

func normChannel(c Channel) Channel {
	n := Channel{
		Kind:      strings.TrimSpace(c.Kind),
		Format:    strings.TrimSpace(c.Format),
		Documents: trimmedSet(c.Documents, strings.TrimSpace),
		Dir:       strings.TrimSpace(c.Dir),
	}
	if c.CSV != nil {
		m := CSVMap{
			Kind:        strings.TrimSpace(c.CSV.Kind),
			Delimiter:   c.CSV.Delimiter,
			Header:      c.CSV.Header,
			DateFormat:  c.CSV.DateFormat,
			DefaultUnit: strings.ToUpper(strings.TrimSpace(c.CSV.DefaultUnit)),
		}
		if m.Delimiter == "" {
			m.Delimiter = DefaultCSVDelimiter
		}
		if m.DateFormat == "" {
			m.DateFormat = DefaultCSVDateFormat
		}
		if len(c.CSV.Columns) > 0 {
			m.Columns = make(map[string]string, len(c.CSV.Columns))
			for field, col := range c.CSV.Columns {
				m.Columns[strings.TrimSpace(field)] = strings.TrimSpace(col)
			}
		}
		n.CSV = &m
	}
	return n
}

// channelSortKey orders channels by kind, format, CSV kind and documents.
func channelSortKey(c Channel) string {
	csvKind := ""
	if c.CSV != nil {
		csvKind = c.CSV.Kind
	}
	return c.Kind + "\x00" + c.Format + "\x00" + csvKind + "\x00" + strings.Join(c.Documents, ",")
}

func normItem(it ItemMapping) ItemMapping {
	return ItemMapping{
		PartnerItem:   strings.TrimSpace(it.PartnerItem),
		UPC:           strings.TrimSpace(it.UPC),
		GTIN:          strings.TrimSpace(it.GTIN),
		Product:       strings.TrimSpace(it.Product),
		Barcode:       strings.TrimSpace(it.Barcode),
		EffectiveFrom: utc(it.EffectiveFrom),
	}
}

func normUnit(u UnitMapping) UnitMapping {
	return UnitMapping{
		PartnerUnit:   strings.ToUpper(strings.TrimSpace(u.PartnerUnit)),
		Factor:        u.Factor,
		Unit:          strings.ToUpper(strings.TrimSpace(u.Unit)),
		EffectiveFrom: utc(u.EffectiveFrom),
	}
}

// normQualifierCode is how inventory qualifier codes are stored and looked up: trimmed, upper case.
func normQualifierCode(code string) string { return strings.ToUpper(strings.TrimSpace(code)) }

func normQualifiers(q map[string]string) map[string]string {
	if len(q) == 0 {
		return nil
	}
	n := make(map[string]string, len(q))
	for code, meaning := range q {
		n[normQualifierCode(code)] = strings.TrimSpace(meaning)
	}
	return n
}

func normTokenDecl(t TokenDecl) TokenDecl {
	return TokenDecl{
		Name:      strings.TrimSpace(t.Name),
		Kinds:     trimmedSet(t.Kinds, strings.TrimSpace),
		ExpiresAt: utc(t.ExpiresAt),
		SHA256:    strings.ToLower(strings.TrimSpace(t.SHA256)),
		ValueEnv:  strings.TrimSpace(t.ValueEnv),
	}
}

// itemKey identifies an item crosswalk entry: the partner's identifiers and the date it applies from.
// A change of product under the same key is a remap; a change of key is an unmap plus a map.
type itemKey struct {
	PartnerItem, UPC, GTIN, From string
}

func itemKeyOf(m ItemMapping) itemKey {
	return itemKey{PartnerItem: m.PartnerItem, UPC: m.UPC, GTIN: m.GTIN, From: instantKey(m.EffectiveFrom)}
}

func (k itemKey) compare(o itemKey) int {
	return cmp.Or(cmp.Compare(k.PartnerItem, o.PartnerItem), cmp.Compare(k.UPC, o.UPC),
		cmp.Compare(k.GTIN, o.GTIN), cmp.Compare(k.From, o.From))
}

// unitKey identifies a unit table entry: the partner's unit and the date it applies from.
type unitKey struct {
	PartnerUnit, From string
}

func unitKeyOf(u UnitMapping) unitKey {
	return unitKey{PartnerUnit: u.PartnerUnit, From: instantKey(u.EffectiveFrom)}
}

func (k unitKey) compare(o unitKey) int {
	return cmp.Or(cmp.Compare(k.PartnerUnit, o.PartnerUnit), cmp.Compare(k.From, o.From))
}

// instantKey is a sortable, comparable text of an instant: "" for zero, otherwise fixed-width UTC.
func instantKey(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format("2006-01-02T15:04:05.000000000Z")
}
