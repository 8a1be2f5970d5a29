package ingest

import (
	"crypto/sha256"
	"crypto/subtle"
	"errors"
	"fmt"
	"strings"
)

// TokenSet authenticates partners by bearer token. Tokens are held only as SHA-256 hashes, so a memory
// dump or a debug print does not reveal them, and compared in constant time against every entry, so
// response timing does not tell how much of a guess was right or which entry it matched.
type TokenSet struct {
	entries []tokenEntry
}

type tokenEntry struct {
	partner string
	hash    [sha256.Size]byte
}

// ParseTokens builds a token set from "partner:token" pairs. The token is everything after the first
// colon, so a token may itself contain colons. Every malformed pair is reported, by position only: the
// pair holds a secret that must not reach an error message or a log line.
func ParseTokens(pairs []string) (*TokenSet, error) {
	s := &TokenSet{}
	var errs []error
	seen := make(map[[sha256.Size]byte]bool, len(pairs))
	for i, p := range pairs {
		partner, token, ok := strings.Cut(p, ":")
		switch {
		case !ok:
			errs = append(errs, fmt.Errorf("token %d: want partner:token", i+1))
		case strings.TrimSpace(partner) == "":
			errs = append(errs, fmt.Errorf("token %d: empty partner", i+1))
		case token == "":
			errs = append(errs, fmt.Errorf("token %d (partner %s): empty token", i+1, partner))
		default:
			h := sha256.Sum256([]byte(token))
			if seen[h] {
				errs = append(errs, fmt.Errorf("token %d (partner %s): token already given to another entry", i+1, partner))
				continue
			}
			seen[h] = true
			s.entries = append(s.entries, tokenEntry{partner: strings.TrimSpace(partner), hash: h})
		}
	}
	if len(s.entries) == 0 && len(errs) == 0 {
		errs = append(errs, errors.New("no partner tokens"))
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return s, nil
}

// Credential is who a bearer token authenticates, and what it may send.
type Credential struct {
	PartnerID string
	// Kinds are the document kinds the token may send; nil allows every kind.
	Kinds []string
}

// Authenticator checks a partner's bearer token.
type Authenticator interface {
	Authenticate(token string) (Credential, bool)
}

// Authenticators asks each in turn; nil entries are skipped.
type Authenticators []Authenticator

// Authenticate implements Authenticator.
func (as Authenticators) Authenticate(token string) (Credential, bool) {
	for _, a := range as {
		if a == nil {
			continue
		}
		if c, ok := a.Authenticate(token); ok {
			return c, true
		}
	}
	return Credential{}, false
}

// Authenticate returns the partner whose token this is; a flag token may send every kind.
func (s *TokenSet) Authenticate(token string) (Credential, bool) {
	p, ok := s.partner(token)
	return Credential{PartnerID: p}, ok
}

func (s *TokenSet) partner(token string) (partner string, ok bool) {
	if token == "" {
		return "", false
	}
	h := sha256.Sum256([]byte(token))
	match := -1
	for i, e := range s.entries {
		// No early exit: every entry is compared, whatever matches.
		if subtle.ConstantTimeCompare(h[:], e.hash[:]) == 1 {
			match = i
		}
	}
	if match < 0 {
		return "", false
	}
	return s.entries[match].partner, true
}
