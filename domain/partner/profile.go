package partner

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/shopspring/decimal"
)

// StreamPrefix starts the stream ID of every partner.
const StreamPrefix = "partner-"

// MaxIDLength bounds a partner ID.
const MaxIDLength = 64

// StreamID names the stream of partner id.
func StreamID(id string) string { return StreamPrefix + id }

// IDFromStream returns the partner ID of a partner stream, and false for any other stream.
func IDFromStream(stream string) (string, bool) {
	id, ok := strings.CutPrefix(stream, StreamPrefix)
	if !ok || ValidateID(id) != nil {
		return "", false
	}
	return id, true
}

// ValidateID checks a partner ID: 1 to 64 lower-case letters, digits, '-' or '_'. The ID becomes part
// of stream IDs, URLs and event metadata, so it is kept to characters that need no escaping anywhere.
func ValidateID(id string) error {
	if id == "" {
		return fmt.Errorf("partner ID is empty")
	}
	if len(id) > MaxIDLength {
		return fmt.Errorf("partner ID %q is longer than %d characters", id, MaxIDLength)
	}
	if !isIDChars(id) {
		return fmt.Errorf("partner ID %q has characters other than a-z, 0-9, '-' and '_'", id)
	}
	return nil
}

func isIDChars(s string) bool {
	for _, r := range s {
		if (r < 'a' || r > 'z') && (r < '0' || r > '9') && r != '-' && r != '_' {
			return false
		}
	}
	return true
}

// Profile is a partner as the company wants it configured: the desired state Plan reconciles the
// partner's stream with, and the current state State.Profile folds back from it.
//
// Lists that are sets (roles, identifiers, channels and their documents) compare regardless of order;
// Normalize puts them in a canonical order.
type Profile struct {
	ID    string `json:"id"`
	Name  string `json:"name"`
	Roles []Role `json:"roles"`
	// EffectiveFrom and EffectiveTo bound when the partner may send anything (ActiveAt); zero means
	// unbounded. EffectiveTo is exclusive.
	EffectiveFrom time.Time   `json:"effective_from,omitzero"`
	EffectiveTo   time.Time   `json:"effective_to,omitzero"`
	Identifiers   Identifiers `json:"identifiers"`
	Channels      []Channel   `json:"channels,omitempty"`
	// Items is the item crosswalk (see ResolveItem).
	Items []ItemMapping `json:"items,omitempty"`
	// Units is the unit-of-measure table (see ConvertUnit).
	Units []UnitMapping `json:"units,omitempty"`
	// InventoryQualifiers maps the partner's inventory quantity qualifiers (X12 846 QTY01, EDIFACT
	// INVRPT QTY 6063) to their meaning (QtyOnHand, ...). Empty means DefaultInventoryQualifiers; see
	// InventoryQualifier.
	InventoryQualifiers map[string]string `json:"inventory_qualifiers,omitempty"`
	Tolerances          Tolerances        `json:"tolerances"`
	SLA                 SLA               `json:"sla"`
	// Backorders is a warehouse partner's policy for what a receipt or shipment leaves short in Odoo:
	// BackordersKeep (the default when empty) keeps it on a backorder, BackordersClose closes the
	// picking short.
	Backorders string `json:"backorders,omitempty"`

	// Tokens are bearer tokens a bootstrap file declares, by hash. Plan issues those not yet issued and
	// never revokes a token the profile leaves out. State.Profile leaves this empty: tokens are
	// credentials, read with State.Tokens.
	Tokens []TokenDecl `json:"-"`
	// WebhookSecrets are HMAC secrets a bootstrap file declares (read from the environment by
	// ResolveSecrets). PlanSecrets seals those that differ from the stored ones and never removes one the
	// profile leaves out. State.Profile leaves this empty.
	WebhookSecrets []WebhookSecretDecl `json:"-"`
}

// ActiveAt reports whether the partner is within its effective dates at t.
func (p Profile) ActiveAt(t time.Time) bool {
	if !p.EffectiveFrom.IsZero() && t.Before(p.EffectiveFrom) {
		return false
	}
	if !p.EffectiveTo.IsZero() && !t.Before(p.EffectiveTo) {
		return false
	}
	return true
}

// HasRole reports whether the partner has role r.
func (p Profile) HasRole(r Role) bool {
	for _, have := range p.Roles {
		if have == r {
			return true
		}
	}
	return false
}

// InventoryQualifier returns the meaning of the partner's inventory quantity qualifier code (QtyOnHand,
// ...), using DefaultInventoryQualifiers when the partner declares none. An unknown code is false: the
// caller must refuse the quantity (fail closed), never guess it.
func (p Profile) InventoryQualifier(code string) (string, bool) {
	table := p.InventoryQualifiers
	if len(table) == 0 {
		table = DefaultInventoryQualifiers()
	}
	meaning, ok := table[strings.ToUpper(strings.TrimSpace(code))]
	return meaning, ok
}

// Identifiers are the IDs a partner's messages carry, by which an inbound message is attributed to its
// partner. Every list is a set.
type Identifiers struct {
	// ISA are X12 interchange sender IDs with their qualifier (ISA05/06), e.g. 12/4405197800.
	ISA []ISAID `json:"isa,omitempty"`
	// GS are X12 application sender codes (GS02).
	GS []string `json:"gs,omitempty"`
	// GLN are GS1 Global Location Numbers (13 digits), EDIFACT's usual UNB sender.
	GLN []string `json:"gln,omitempty"`
	// DUNS are Dun & Bradstreet numbers (9 digits, or 13 with the DUNS+4 suffix).
	DUNS []string `json:"duns,omitempty"`
	// SCAC are Standard Carrier Alpha Codes (2 to 4 letters).
	SCAC []string `json:"scac,omitempty"`
}

// ISAID is an X12 interchange ID with its qualifier (01 DUNS, 12 phone, ZZ mutually defined, ...).
type ISAID struct {
	Qualifier string `json:"qualifier"`
	ID        string `json:"id"`
}

// Channel is one way a partner sends documents: a channel kind, a wire format and the document kinds it
// carries there.
type Channel struct {
	Kind      string   `json:"kind"`
	Format    string   `json:"format"`
	Documents []string `json:"documents"`
	// CSV says how to read the partner's CSV files; required for, and only for, the csv format.
	CSV *CSVMap `json:"csv,omitempty"`
	// Dir is where an outbox channel writes the documents it carries; required for, and only for, the
	// outbox kind.
	Dir string `json:"dir,omitempty"`
}

// Backorder policies.
const (
	BackordersKeep  = "keep"
	BackordersClose = "close"
)

// KeepsBackorders reports whether what the partner's receipts and shipments leave short stays on a
// backorder in Odoo.
func (p Profile) KeepsBackorders() bool { return p.Backorders != BackordersClose }

// Outbox returns the outbox channel carrying outbound document kind (KindPurchaseOrder, ...), and
// false when the partner declares none: Crossdock does not send it that kind.
func (p Profile) Outbox(kind string) (Channel, bool) {
	for _, c := range p.Channels {
		if c.Kind == ChannelOutbox && slices.Contains(c.Documents, kind) {
			return c, true
		}
	}
	return Channel{}, false
}

// CSVMap describes a partner's CSV layout. A CSV channel carries one document kind, the map's Kind.
type CSVMap struct {
	// Kind is the document kind the rows are: KindInventorySnapshot, KindReceipt or KindShipConfirmation.
	Kind string `json:"kind"`
	// Delimiter is the field separator, one character. Default ",".
	Delimiter string `json:"delimiter"`
	// Header says whether the first row names the columns.
	Header bool `json:"header"`
	// Columns maps each canonical field (CSVFields) to the partner's column: its header name, or its
	// 1-based position ("3"). Without a header only positions are possible.
	Columns map[string]string `json:"columns"`
	// DateFormat is the layout of date columns in Go's reference-time notation ("2006-01-02",
	// "01/02/2006 15:04"). Default "2006-01-02".
	DateFormat string `json:"date_format,omitempty"`
	// DefaultUnit is the unit of quantities when no unit column is mapped or a row leaves it empty.
	DefaultUnit string `json:"default_unit,omitempty"`
}

// ItemMapping is one item crosswalk entry: the partner's identifiers of an item (at least one of
// PartnerItem, UPC, GTIN) and the Odoo product they mean (Product, Odoo's default_code, or Barcode,
// Odoo's barcode, or both), from EffectiveFrom on.
//
// The same identifiers may have several entries with different EffectiveFrom: the latest not after the
// business instant applies, so a remap can be scheduled ahead.
type ItemMapping struct {
	PartnerItem string `json:"partner_item,omitempty"`
	// UPC is a UPC-A (12 digits) or UPC-E expanded code; GTIN a GTIN-8/12/13/14. Both are matched as
	// GTIN-14, so a UPC entry matches the same item sent as a 14-digit GTIN.
	UPC           string    `json:"upc,omitempty"`
	GTIN          string    `json:"gtin,omitempty"`
	Product       string    `json:"product,omitempty"`
	Barcode       string    `json:"barcode,omitempty"`
	EffectiveFrom time.Time `json:"effective_from,omitzero"`
}

// UnitMapping is one unit-of-measure table entry: one PartnerUnit is Factor Units ("CS of 12 EA" is
// {CS, 12, EA}), from EffectiveFrom on (a pack-size change can be scheduled ahead). An identity entry
// ({EA, 1, EA}) declares a unit the partner sends as is.
type UnitMapping struct {
	PartnerUnit   string          `json:"partner_unit"`
	Factor        decimal.Decimal `json:"factor"`
	Unit          string          `json:"unit"`
	EffectiveFrom time.Time       `json:"effective_from,omitzero"`
}

// Tolerances are the deviations accepted without an exception, in percent (5 = 5%).
type Tolerances struct {
	// OverShipPercent is how much more than ordered a shipment may carry.
	OverShipPercent decimal.Decimal `json:"over_ship_percent"`
	// PriceVariancePercent is how far an invoiced unit price may be from the purchase order's.
	PriceVariancePercent decimal.Decimal `json:"price_variance_percent"`
	// QuantityPercent is how far received and invoiced quantities may exceed what they are matched
	// against (ordered, received) in the three-way match.
	QuantityPercent decimal.Decimal `json:"quantity_percent,omitzero"`
	// PriceVarianceAbsolute is how far, in the order's currency per canonical unit, an invoiced unit
	// price may be from the order's; the larger of it and PriceVariancePercent applies. Optional.
	PriceVarianceAbsolute decimal.Decimal `json:"price_variance_absolute,omitzero"`
}

// SLA are the partner's service-level promises, measured by the partner SLA read model. Zero means no
// promise.
type SLA struct {
	// AckWithinHours: a purchase order is acknowledged (855 / ORDRSP) within N hours of being sent.
	AckWithinHours int `json:"ack_within_hours,omitempty"`
	// FunctionalAckWithinHours: every interchange sent gets its 997 / CONTRL within N hours.
	FunctionalAckWithinHours int `json:"functional_ack_within_hours,omitempty"`
	// ASNLeadHours: the ASN arrives at least N hours before the shipment does.
	ASNLeadHours int `json:"asn_lead_hours,omitempty"`
	// ShipConfirmWithinHours: a warehouse confirms shipment (945) within N hours of the order (940).
	ShipConfirmWithinHours int `json:"ship_confirm_within_hours,omitempty"`
	// ReceiptWithinHours: a warehouse reports a receipt (944) within N hours of arrival.
	ReceiptWithinHours int `json:"receipt_within_hours,omitempty"`
	// InventoryEveryHours: an inventory snapshot (846) comes at least every N hours.
	InventoryEveryHours int `json:"inventory_every_hours,omitempty"`
	// InvoiceWithinDays: the invoice (810) comes within N days of shipment.
	InvoiceWithinDays int `json:"invoice_within_days,omitempty"`
}

// TokenDecl declares a bearer token in a bootstrap file, without its clear value: either SHA256, the
// hex SHA-256 of the token, or ValueEnv, the CROSSDOCK_* environment variable ResolveSecrets reads the
// token from (and hashes; the clear value is not kept).
type TokenDecl struct {
	// Name identifies the declaration: the token's ID is Name plus the start of its hash, and a new value
	// under the same Name revokes the tokens the Name had before.
	Name      string    `json:"name"`
	Kinds     []string  `json:"kinds"`
	ExpiresAt time.Time `json:"expires_at,omitzero"`
	SHA256    string    `json:"sha256,omitempty"`
	ValueEnv  string    `json:"value_env,omitempty"`
}

// WebhookSecretDecl declares the HMAC secret a partner signs one webhook format with. The secret comes
// from the environment variable ValueEnv, read by ResolveSecrets into Secret; it is never in the file.
type WebhookSecretDecl struct {
	Format   string `json:"format"`
	ValueEnv string `json:"value_env"`
	// Secret is the clear secret, once resolved. It is never encoded.
	Secret []byte `json:"-"`
}
