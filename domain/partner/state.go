package partner

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"time"
)

// Token is a bearer token as the registry knows it: by ID and SHA-256, never in clear.
type Token struct {
	ID string `json:"token_id"`
	// Name is the bootstrap declaration the token came from, if any.
	Name string `json:"name,omitempty"`
	// SHA256 is the hex SHA-256 of the token (HashToken).
	SHA256    string    `json:"sha256,omitempty"`
	Kinds     []string  `json:"kinds"`
	ExpiresAt time.Time `json:"expires_at,omitzero"`
	// Replaces is the token this one replaced by rotation.
	Replaces     string `json:"replaces,omitempty"`
	Revoked      bool   `json:"revoked,omitempty"`
	RevokeReason string `json:"revoke_reason,omitempty"`
}

// ValidAt reports whether the token authenticates at now: not revoked, not expired.
func (t Token) ValidAt(now time.Time) bool {
	return !t.Revoked && (t.ExpiresAt.IsZero() || now.Before(t.ExpiresAt))
}

// Allows reports whether the token is scoped to document kind.
func (t Token) Allows(kind string) bool { return slices.Contains(t.Kinds, kind) }

// SealedSecret is an HMAC secret as stored: sealed under the key KeyID names (see Seal).
type SealedSecret struct {
	Format string
	KeyID  string
	Sealed []byte
}

// State is a partner as its stream says it is: rebuilt with Apply, read by Plan and the credential
// decisions. The zero State is a partner with no history (an empty stream).
type State struct {
	version    int64
	registered bool
	// profile holds everything but the items and units, kept by key below.
	profile Profile
	items   map[itemKey]ItemMapping
	units   map[unitKey]UnitMapping
	tokens  map[string]Token
	order   []string // token IDs in issue order
	secrets map[string]SealedSecret
}

// NewState returns a partner with no history.
func NewState() *State { return &State{} }

// Version is the stream version the state was rebuilt to: the expected version of the next append.
func (s *State) Version() int64 { return s.version }

// Registered reports whether the partner's stream has begun.
func (s *State) Registered() bool { return s.registered }

// ID is the partner's ID ("" before it is registered).
func (s *State) ID() string { return s.profile.ID }

// Profile returns the partner's current profile in normal form (Normalize); Tokens and WebhookSecrets
// are left empty (see Tokens and HMACSecret). The result shares nothing with the state.
func (s *State) Profile() Profile {
	p := s.profile.Clone()
	p.Items = nil
	for _, k := range slices.SortedFunc(maps.Keys(s.items), itemKey.compare) {
		p.Items = append(p.Items, s.items[k])
	}
	p.Units = nil
	for _, k := range slices.SortedFunc(maps.Keys(s.units), unitKey.compare) {
		p.Units = append(p.Units, s.units[k])
	}
	return p
}

// Tokens returns every token issued to the partner, revoked ones included, in issue order.
func (s *State) Tokens() []Token {
	out := make([]Token, 0, len(s.order))
	for _, id := range s.order {
		t := s.tokens[id]
		t.Kinds = slices.Clone(t.Kinds)
		out = append(out, t)
	}
	return out
}

// Token returns the token with the given ID.
func (s *State) Token(id string) (Token, bool) {
	t, ok := s.tokens[id]
	t.Kinds = slices.Clone(t.Kinds)
	return t, ok
}

// HMACSecret returns the sealed secret of a webhook format.
func (s *State) HMACSecret(format string) (SealedSecret, bool) {
	sec, ok := s.secrets[format]
	sec.Sealed = slices.Clone(sec.Sealed)
	return sec, ok
}

// HMACSecrets returns every sealed secret, by format.
func (s *State) HMACSecrets() []SealedSecret {
	out := make([]SealedSecret, 0, len(s.secrets))
	for _, f := range slices.Sorted(maps.Keys(s.secrets)) {
		sec := s.secrets[f]
		sec.Sealed = slices.Clone(sec.Sealed)
		out = append(out, sec)
	}
	return out
}

// Apply folds one stored event into the state. Event types the registry does not know still advance
// the version, so the next append is checked against the real end of the stream.
func (s *State) Apply(eventType string, data []byte) error {
	if err := s.apply(eventType, data); err != nil {
		return fmt.Errorf("apply %s at version %d: %w", eventType, s.version+1, err)
	}
	s.version++
	return nil
}

func (s *State) apply(eventType string, data []byte) error {
	if s.items == nil {
		s.items, s.units = map[itemKey]ItemMapping{}, map[unitKey]UnitMapping{}
		s.tokens, s.secrets = map[string]Token{}, map[string]SealedSecret{}
	}
	switch eventType {
	case EventRegistered:
		var e Registered
		if err := json.Unmarshal(data, &e); err != nil {
			return err
		}
		s.registered = true
		s.profile.ID = e.PartnerID
		s.setDetails(e.Details)
	case EventDetailsSet:
		var e DetailsSet
		if err := json.Unmarshal(data, &e); err != nil {
			return err
		}
		s.setDetails(e.Details)
	case EventIdentifiersSet:
		var e IdentifiersSet
		if err := json.Unmarshal(data, &e); err != nil {
			return err
		}
		s.profile.Identifiers = normIdentifiers(e.Identifiers)
	case EventChannelsSet:
		var e ChannelsSet
		if err := json.Unmarshal(data, &e); err != nil {
			return err
		}
		s.profile.Channels = Profile{Channels: e.Channels}.Normalize().Channels
	case EventItemMapped:
		var e ItemMapped
		if err := json.Unmarshal(data, &e); err != nil {
			return err
		}
		m := normItem(e.ItemMapping)
		s.items[itemKeyOf(m)] = m
	case EventItemUnmapped:
		var e ItemUnmapped
		if err := json.Unmarshal(data, &e); err != nil {
			return err
		}
		delete(s.items, itemKeyOf(normItem(e.ItemMapping)))
	case EventUnitMapped:
		var e UnitMapped
		if err := json.Unmarshal(data, &e); err != nil {
			return err
		}
		u := normUnit(e.UnitMapping)
		s.units[unitKeyOf(u)] = u
	case EventUnitUnmapped:
		var e UnitUnmapped
		if err := json.Unmarshal(data, &e); err != nil {
			return err
		}
		delete(s.units, unitKeyOf(normUnit(e.UnitMapping)))
	case EventInventoryQualifiersSet:
		var e InventoryQualifiersSet
		if err := json.Unmarshal(data, &e); err != nil {
			return err
		}
		s.profile.InventoryQualifiers = normQualifiers(e.Qualifiers)
	case EventTolerancesSet:
		var e TolerancesSet
		if err := json.Unmarshal(data, &e); err != nil {
			return err
		}
		s.profile.Tolerances = e.Tolerances
	case EventSLASet:
		var e SLASet
		if err := json.Unmarshal(data, &e); err != nil {
			return err
		}
		s.profile.SLA = e.SLA
	case EventTokenIssued:
		var e TokenIssued
		if err := json.Unmarshal(data, &e); err != nil {
			return err
		}
		if _, dup := s.tokens[e.TokenID]; dup {
			return fmt.Errorf("token %s issued twice", e.TokenID)
		}
		s.tokens[e.TokenID] = Token{ID: e.TokenID, Name: e.Name, SHA256: e.SHA256, Kinds: e.Kinds,
			ExpiresAt: utc(e.ExpiresAt), Replaces: e.Replaces}
		s.order = append(s.order, e.TokenID)
	case EventTokenScopeSet:
		var e TokenScopeSet
		if err := json.Unmarshal(data, &e); err != nil {
			return err
		}
		t, ok := s.tokens[e.TokenID]
		if !ok {
			return fmt.Errorf("scope of unknown token %s", e.TokenID)
		}
		t.Kinds, t.ExpiresAt = e.Kinds, utc(e.ExpiresAt)
		s.tokens[e.TokenID] = t
	case EventTokenRevoked:
		var e TokenRevoked
		if err := json.Unmarshal(data, &e); err != nil {
			return err
		}
		t, ok := s.tokens[e.TokenID]
		if !ok {
			return fmt.Errorf("revocation of unknown token %s", e.TokenID)
		}
		t.Revoked, t.RevokeReason = true, e.Reason
		s.tokens[e.TokenID] = t
	case EventHMACSecretSet:
		var e HMACSecretSet
		if err := json.Unmarshal(data, &e); err != nil {
			return err
		}
		s.secrets[e.Format] = SealedSecret(e)
	case EventHMACSecretRemoved:
		var e HMACSecretRemoved
		if err := json.Unmarshal(data, &e); err != nil {
			return err
		}
		delete(s.secrets, e.Format)
	}
	return nil
}

func (s *State) setDetails(d Details) {
	s.profile.Name = d.Name
	s.profile.Roles = sortedSet(d.Roles)
	s.profile.EffectiveFrom, s.profile.EffectiveTo = utc(d.EffectiveFrom), utc(d.EffectiveTo)
	s.profile.Backorders = d.Backorders
}

// details returns the name, roles and dates of p in event form.
func details(p Profile) Details {
	return Details{Name: p.Name, Roles: p.Roles, EffectiveFrom: p.EffectiveFrom, EffectiveTo: p.EffectiveTo, Backorders: p.Backorders}
}
