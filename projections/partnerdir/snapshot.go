package partnerdir

import (
	"crypto/sha256"
	"encoding/hex"
	"log/slog"
	"maps"
	"slices"

	"github.com/crossdock-hub/crossdock/domain/partner"
)

// entry is one partner as lookups see it: derived from its state once per change, then immutable.
type entry struct {
	profile   partner.Profile
	crosswalk *partner.Crosswalk
	tokens    []partner.Token
	secrets   map[string]partner.SealedSecret
	// usable is false for a partner not registered yet or whose stream could not be read.
	usable bool
}

func newEntry(ps *partnerState) *entry {
	st := ps.state
	e := &entry{usable: ps.broken == nil && st.Registered(), secrets: map[string]partner.SealedSecret{}}
	e.profile = st.Profile()
	e.crosswalk = partner.NewCrosswalk(e.profile)
	e.tokens = st.Tokens()
	for _, s := range st.HMACSecrets() {
		e.secrets[s.Format] = s
	}
	return e
}

// tokenRef is a token not revoked, with its hash in binary for the constant-time compare.
type tokenRef struct {
	hash      [sha256.Size]byte
	partnerID string
	token     partner.Token
}

// snapshot is what lookups read: the partners and the indexes over them. Never changed once published.
type snapshot struct {
	partners map[string]*entry
	tokens   []tokenRef
	// Identifier indexes: identifier -> partners claiming it (normally one), sorted.
	isa, gs, gln, duns, scac map[string][]string
}

func isaKey(qualifier, id string) string {
	return partner.NormalizeISAQualifier(qualifier) + "\x00" + partner.NormalizeISAID(id)
}

// build indexes entries. The log, when given, hears about identifiers and tokens two partners claim.
func build(logger *slog.Logger, entries map[string]*entry, old *snapshot) *snapshot {
	s := &snapshot{
		partners: entries,
		isa:      map[string][]string{}, gs: map[string][]string{}, gln: map[string][]string{},
		duns: map[string][]string{}, scac: map[string][]string{},
	}
	claim := func(index map[string][]string, key, id string) {
		if !slices.Contains(index[key], id) {
			index[key] = append(index[key], id)
		}
	}
	for _, id := range slices.Sorted(maps.Keys(entries)) {
		e := entries[id]
		if !e.usable {
			continue
		}
		ids := e.profile.Identifiers
		for _, isa := range ids.ISA {
			claim(s.isa, isaKey(isa.Qualifier, isa.ID), id)
		}
		for _, v := range ids.GS {
			claim(s.gs, partner.NormalizeISAID(v), id)
		}
		for _, v := range ids.GLN {
			claim(s.gln, v, id)
		}
		for _, v := range ids.DUNS {
			claim(s.duns, v, id)
		}
		for _, v := range ids.SCAC {
			claim(s.scac, partner.NormalizeSCAC(v), id)
		}
		for _, t := range e.tokens {
			if t.Revoked {
				continue
			}
			raw, err := hex.DecodeString(t.SHA256)
			if err != nil || len(raw) != sha256.Size {
				continue
			}
			ref := tokenRef{partnerID: id, token: t}
			copy(ref.hash[:], raw)
			s.tokens = append(s.tokens, ref)
		}
	}
	if logger != nil {
		for name, index := range map[string]map[string][]string{"isa": s.isa, "gs": s.gs, "gln": s.gln, "duns": s.duns, "scac": s.scac} {
			for key, ids := range index {
				if len(ids) > 1 && (old == nil || !slices.Equal(old.index(name)[key], ids)) {
					logger.Warn("identifier claimed by several partners; lookups by it find none until one is effective alone",
						"identifier", name, "value", key, "partners", ids)
				}
			}
		}
	}
	return s
}

func (s *snapshot) index(name string) map[string][]string {
	switch name {
	case "isa":
		return s.isa
	case "gs":
		return s.gs
	case "gln":
		return s.gln
	case "duns":
		return s.duns
	default:
		return s.scac
	}
}
