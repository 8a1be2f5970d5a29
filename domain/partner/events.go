package partner

import (
	"slices"
	"time"
)

// Event types with their schema version.
const (
	EventRegistered             = "partner.registered.v1"
	EventDetailsSet             = "partner.details_set.v1"
	EventIdentifiersSet         = "partner.identifiers_set.v1"
	EventChannelsSet            = "partner.channels_set.v1"
	EventItemMapped             = "partner.item_mapped.v1"
	EventItemUnmapped           = "partner.item_unmapped.v1"
	EventUnitMapped             = "partner.unit_mapped.v1"
	EventUnitUnmapped           = "partner.unit_unmapped.v1"
	EventInventoryQualifiersSet = "partner.inventory_qualifiers_set.v1"
	EventTolerancesSet          = "partner.tolerances_set.v1"
	EventSLASet                 = "partner.sla_set.v1"
	EventTokenIssued            = "partner.token_issued.v1"
	EventTokenScopeSet          = "partner.token_scope_set.v1"
	EventTokenRevoked           = "partner.token_revoked.v1"
	EventHMACSecretSet          = "partner.hmac_secret_set.v1"
	EventHMACSecretRemoved      = "partner.hmac_secret_removed.v1"
)

var eventTypes = []string{
	EventRegistered, EventDetailsSet, EventIdentifiersSet, EventChannelsSet, EventItemMapped, EventItemUnmapped,
	EventUnitMapped, EventUnitUnmapped, EventInventoryQualifiersSet, EventTolerancesSet, EventSLASet,
	EventTokenIssued, EventTokenScopeSet, EventTokenRevoked, EventHMACSecretSet, EventHMACSecretRemoved,
}

// EventTypes returns every partner event type: the filter of a reader of the registry.
func EventTypes() []string { return slices.Clone(eventTypes) }

// Event is a fact about a partner. Its JSON form (encoding/json) is the event's payload. Who made the
// change and when is the event's metadata (actor, occurred_at), written by the command.
type Event interface {
	EventType() string
}

// Details are the partner's name, roles and effective dates.
type Details struct {
	Name          string    `json:"name"`
	Roles         []Role    `json:"roles"`
	EffectiveFrom time.Time `json:"effective_from,omitzero"`
	EffectiveTo   time.Time `json:"effective_to,omitzero"`
	Backorders    string    `json:"backorders,omitempty"`
}

// Registered is the first event of a partner's stream.
type Registered struct {
	PartnerID string `json:"partner_id"`
	Details
}

// EventType implements Event.
func (Registered) EventType() string { return EventRegistered }

// DetailsSet changes the name, roles or effective dates of a registered partner. It carries all of them.
type DetailsSet struct {
	Details
}

// EventType implements Event.
func (DetailsSet) EventType() string { return EventDetailsSet }

// IdentifiersSet replaces the partner's identifiers with the whole new set.
type IdentifiersSet struct {
	Identifiers
}

// EventType implements Event.
func (IdentifiersSet) EventType() string { return EventIdentifiersSet }

// ChannelsSet replaces the partner's channels with the whole new list.
type ChannelsSet struct {
	Channels []Channel `json:"channels"`
}

// EventType implements Event.
func (ChannelsSet) EventType() string { return EventChannelsSet }

// ItemMapped adds one item crosswalk entry, or changes the product of an existing one (the entry is
// identified by its partner item, UPC, GTIN and effective date). Previous is what the entry mapped to
// before, on a change.
type ItemMapped struct {
	ItemMapping
	Previous *ItemMapping `json:"previous,omitempty"`
}

// EventType implements Event.
func (ItemMapped) EventType() string { return EventItemMapped }

// ItemUnmapped removes one item crosswalk entry; it carries the entry as it was.
type ItemUnmapped struct {
	ItemMapping
}

// EventType implements Event.
func (ItemUnmapped) EventType() string { return EventItemUnmapped }

// UnitMapped adds one unit table entry, or changes the factor or unit of an existing one (identified by
// partner unit and effective date). Previous is the entry before, on a change.
type UnitMapped struct {
	UnitMapping
	Previous *UnitMapping `json:"previous,omitempty"`
}

// EventType implements Event.
func (UnitMapped) EventType() string { return EventUnitMapped }

// UnitUnmapped removes one unit table entry; it carries the entry as it was.
type UnitUnmapped struct {
	UnitMapping
}

// EventType implements Event.
func (UnitUnmapped) EventType() string { return EventUnitUnmapped }

// InventoryQualifiersSet replaces the inventory qualifier table. An empty table means the defaults.
type InventoryQualifiersSet struct {
	Qualifiers map[string]string `json:"qualifiers"`
}

// EventType implements Event.
func (InventoryQualifiersSet) EventType() string { return EventInventoryQualifiersSet }

// TolerancesSet replaces the partner's tolerances.
type TolerancesSet struct {
	Tolerances
}

// EventType implements Event.
func (TolerancesSet) EventType() string { return EventTolerancesSet }

// SLASet replaces the partner's service-level promises.
type SLASet struct {
	SLA
}

// EventType implements Event.
func (SLASet) EventType() string { return EventSLASet }

// TokenIssued records a new bearer token by its SHA-256 only: the clear token was shown once to whoever
// issued it and is not kept anywhere. Name is set for tokens declared in a bootstrap file; Replaces names
// the token a rotation replaces.
type TokenIssued struct {
	TokenID   string    `json:"token_id"`
	Name      string    `json:"name,omitempty"`
	SHA256    string    `json:"sha256"`
	Kinds     []string  `json:"kinds"`
	ExpiresAt time.Time `json:"expires_at,omitzero"`
	Replaces  string    `json:"replaces,omitempty"`
}

// EventType implements Event.
func (TokenIssued) EventType() string { return EventTokenIssued }

// TokenScopeSet changes the document kinds or the expiry of an active token (a bootstrap file's
// declaration changed them). The token's value is unchanged.
type TokenScopeSet struct {
	TokenID   string    `json:"token_id"`
	Kinds     []string  `json:"kinds"`
	ExpiresAt time.Time `json:"expires_at,omitzero"`
}

// EventType implements Event.
func (TokenScopeSet) EventType() string { return EventTokenScopeSet }

// TokenRevoked ends a token for good.
type TokenRevoked struct {
	TokenID string `json:"token_id"`
	Reason  string `json:"reason"`
}

// EventType implements Event.
func (TokenRevoked) EventType() string { return EventTokenRevoked }

// HMACSecretSet records the secret a partner signs one webhook format with, sealed (see Seal): the clear
// secret is never in the event. KeyID names the key it was sealed under.
type HMACSecretSet struct {
	Format string `json:"format"`
	KeyID  string `json:"key_id"`
	Sealed []byte `json:"sealed"`
}

// EventType implements Event.
func (HMACSecretSet) EventType() string { return EventHMACSecretSet }

// HMACSecretRemoved removes the secret of one webhook format: its webhooks are no longer accepted as
// signed.
type HMACSecretRemoved struct {
	Format string `json:"format"`
}

// EventType implements Event.
func (HMACSecretRemoved) EventType() string { return EventHMACSecretRemoved }
