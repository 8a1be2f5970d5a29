package partnerdir

import (
	"crypto/sha256"
	"crypto/subtle"
	"maps"
	"slices"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/crossdock-hub/crossdock/domain"
	"github.com/crossdock-hub/crossdock/domain/partner"
)

// Credential is what an authenticated token may do: post documents of Kinds for PartnerID.
type Credential struct {
	PartnerID string
	TokenID   string
	Kinds     []string
}

// Allows reports whether the credential may send document kind.
func (c Credential) Allows(kind string) bool { return slices.Contains(c.Kinds, kind) }

// Authenticate returns the credential of a bearer token. The presented token is hashed and compared in
// constant time with every live token's hash, without stopping at a match, so the time taken tells
// nothing about which token, or how much of one, was guessed. A revoked or expired token, a token of a
// partner outside its effective dates, or a hash two tokens share, is false.
func (d *Directory) Authenticate(token string) (Credential, bool) {
	if token == "" {
		return Credential{}, false
	}
	s := d.snap.Load()
	h := sha256.Sum256([]byte(token))
	match, matches := -1, 0
	for i := range s.tokens {
		if subtle.ConstantTimeCompare(h[:], s.tokens[i].hash[:]) == 1 {
			match = i
			matches++
		}
	}
	if matches != 1 {
		return Credential{}, false
	}
	ref := s.tokens[match]
	now := d.cfg.Clock()
	e := s.partners[ref.partnerID]
	if e == nil || !e.usable || !ref.token.ValidAt(now) || !e.profile.ActiveAt(now) {
		return Credential{}, false
	}
	return Credential{PartnerID: ref.partnerID, TokenID: ref.token.ID, Kinds: slices.Clone(ref.token.Kinds)}, true
}

// Profile returns a partner's profile, whether or not it is within its effective dates (an admin reads
// it either way). The result is the caller's own copy.
func (d *Directory) Profile(id string) (partner.Profile, bool) {
	e := d.snap.Load().partners[id]
	if e == nil || !e.usable {
		return partner.Profile{}, false
	}
	return e.profile.Clone(), true
}

// List returns every registered partner's profile, by ID.
func (d *Directory) List() []partner.Profile {
	s := d.snap.Load()
	var out []partner.Profile
	for _, id := range slices.Sorted(maps.Keys(s.partners)) {
		if e := s.partners[id]; e.usable {
			out = append(out, e.profile.Clone())
		}
	}
	return out
}

// Tokens returns a partner's tokens, revoked ones included, in issue order, without their hashes: what
// an admin lists.
func (d *Directory) Tokens(id string) ([]partner.Token, bool) {
	e := d.snap.Load().partners[id]
	if e == nil || !e.usable {
		return nil, false
	}
	out := make([]partner.Token, len(e.tokens))
	for i, t := range e.tokens {
		t.SHA256 = ""
		t.Kinds = slices.Clone(t.Kinds)
		out[i] = t
	}
	return out, true
}

// Crosswalk returns a partner's item crosswalk and unit table, indexed (see partner.Crosswalk).
func (d *Directory) Crosswalk(id string) (*partner.Crosswalk, bool) {
	e := d.snap.Load().partners[id]
	if e == nil || !e.usable {
		return nil, false
	}
	return e.crosswalk, true
}

// ConvertUnit converts q into the partner's canonical unit with the unit table in force now (see
// partner.Crosswalk.ConvertUnit).
func (d *Directory) ConvertUnit(partnerID string, q domain.Quantity) (domain.Quantity, bool) {
	cw, ok := d.Crosswalk(partnerID)
	if !ok {
		return domain.Quantity{}, false
	}
	return cw.ConvertUnit(q, d.cfg.Clock())
}

// Tolerances returns a partner's over-ship and price-variance tolerances, in percent; zero for an
// unknown partner (no deviation accepted).
func (d *Directory) Tolerances(partnerID string) (overShipPercent, priceVariancePercent decimal.Decimal) {
	e := d.snap.Load().partners[partnerID]
	if e == nil || !e.usable {
		return decimal.Zero, decimal.Zero
	}
	return e.profile.Tolerances.OverShipPercent, e.profile.Tolerances.PriceVariancePercent
}

// ByISA returns the partner whose X12 interchange ID is qualifier/id (ISA05/06 or ISA07/08; padding
// spaces are ignored, the qualifier's case too).
func (d *Directory) ByISA(qualifier, id string) (string, bool) {
	s := d.snap.Load()
	return d.only(s, s.isa[isaKey(qualifier, id)])
}

// ByGS returns the partner whose X12 application sender code (GS02) is id.
func (d *Directory) ByGS(id string) (string, bool) {
	s := d.snap.Load()
	return d.only(s, s.gs[partner.NormalizeISAID(id)])
}

// ByGLN returns the partner whose GS1 Global Location Number is gln.
func (d *Directory) ByGLN(gln string) (string, bool) {
	s := d.snap.Load()
	return d.only(s, s.gln[strings.TrimSpace(gln)])
}

// ByDUNS returns the partner whose DUNS number is duns.
func (d *Directory) ByDUNS(duns string) (string, bool) {
	s := d.snap.Load()
	return d.only(s, s.duns[strings.TrimSpace(duns)])
}

// BySCAC returns the partner whose Standard Carrier Alpha Code is scac (case ignored).
func (d *Directory) BySCAC(scac string) (string, bool) {
	s := d.snap.Load()
	return d.only(s, s.scac[partner.NormalizeSCAC(scac)])
}

// only returns the one candidate within its effective dates now. An identifier no active partner
// claims, or several do (a misconfiguration, logged when it appears), finds none: a message is never
// attributed to a partner by a guess. A partner handing an identifier over to its successor on a date
// (effective_to / effective_from) resolves to whichever is active.
func (d *Directory) only(s *snapshot, candidates []string) (string, bool) {
	now := d.cfg.Clock()
	found := ""
	for _, id := range candidates {
		if e := s.partners[id]; e != nil && e.usable && e.profile.ActiveAt(now) {
			if found != "" {
				return "", false
			}
			found = id
		}
	}
	return found, found != ""
}

// WebhookSecret returns the clear HMAC secret a partner signs format's webhooks with, opened with the
// configured SealKey. A partner outside its effective dates, no secret, no key, or a secret that does
// not open (sealed under another key) is false. The caller gets its own copy; do not log it.
func (d *Directory) WebhookSecret(partnerID, format string) ([]byte, bool) {
	if len(d.cfg.SealKey) == 0 {
		return nil, false
	}
	e := d.snap.Load().partners[partnerID]
	if e == nil || !e.usable || !e.profile.ActiveAt(d.cfg.Clock()) {
		return nil, false
	}
	sealed, ok := e.secrets[format]
	if !ok {
		return nil, false
	}
	clear, err := sealed.Open(d.cfg.SealKey, partnerID)
	if err != nil {
		d.cfg.Logger.Error("webhook secret does not open", "partner", partnerID, "format", format, "error", err)
		return nil, false
	}
	return clear, true
}
