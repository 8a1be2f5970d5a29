package partner

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// Credential errors, matched with errors.Is.
var (
	// ErrNotRegistered means the partner has no stream yet: register it (Plan) before giving it credentials.
	ErrNotRegistered = errors.New("partner not registered")
	// ErrUnknownToken means the partner has no token with that ID.
	ErrUnknownToken = errors.New("unknown token")
	// ErrTokenRevoked means the token was revoked and cannot be rotated.
	ErrTokenRevoked = errors.New("token revoked")
	// ErrTokenExpired means the token has expired and cannot be rotated: issue a new one.
	ErrTokenExpired = errors.New("token expired")
)

// TokenPrefix starts every token IssueToken makes, so a leaked one is recognisable (secret scanners,
// log scrubbers) and a token pasted into the wrong place is easy to spot.
const TokenPrefix = "cdp_"

// tokenBytes is the entropy of a token: 256 bits.
const tokenBytes = 32

// MaxReasonLength bounds a revocation reason.
const MaxReasonLength = 500

// HashToken returns the hex SHA-256 of a token: the only form the registry keeps. A plain hash (no salt,
// no slow KDF) is enough because tokens are 256-bit random values, not passwords; it also lets a lookup
// hash the presented token once and compare it with every stored hash.
func HashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// NewTokenID returns a random token ID, "tok_" and 16 hex digits. IDs are not secret: they name a token
// in listings, logs and revocations.
func NewTokenID() (string, error) {
	b := make([]byte, 8)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("token ID: %w", err)
	}
	return "tok_" + hex.EncodeToString(b), nil
}

// IssueToken makes a new bearer token scoped to document kinds, valid until expiresAt (zero: until
// revoked), and returns it in clear together with the event that records it by hash. The clear token
// exists only in the return value: show it once to whoever asked and do not keep it. Invalid kinds or
// an expiry not after now are a *ValidationError.
func IssueToken(kinds []string, expiresAt, now time.Time) (token string, ev TokenIssued, err error) {
	var vs violations
	validateKinds(&vs, "/kinds", kinds)
	if !expiresAt.IsZero() && !expiresAt.After(now) {
		vs.add("/expires_at", "must be after now")
	}
	if err := vs.err(""); err != nil {
		return "", TokenIssued{}, err
	}
	b := make([]byte, tokenBytes)
	if _, err := rand.Read(b); err != nil {
		return "", TokenIssued{}, fmt.Errorf("issue token: %w", err)
	}
	token = TokenPrefix + base64.RawURLEncoding.EncodeToString(b)
	id, err := NewTokenID()
	if err != nil {
		return "", TokenIssued{}, err
	}
	return token, TokenIssued{
		TokenID: id, SHA256: HashToken(token), Kinds: trimmedSet(kinds, strings.TrimSpace), ExpiresAt: utc(expiresAt),
	}, nil
}

// IssueToken is IssueToken for a registered partner.
func (s *State) IssueToken(kinds []string, expiresAt, now time.Time) (string, []Event, error) {
	if !s.registered {
		return "", nil, ErrNotRegistered
	}
	token, ev, err := IssueToken(kinds, expiresAt, now)
	if err != nil {
		return "", nil, err
	}
	return token, []Event{ev}, nil
}

// RotateToken replaces token oldID by a new one with the same kinds and the same expiry (rotation
// changes the value, not the terms), in two events to append together: the new token's TokenIssued
// (Replaces oldID) and the old one's TokenRevoked. It returns the new token in clear, once.
func (s *State) RotateToken(oldID string, now time.Time) (string, []Event, error) {
	if !s.registered {
		return "", nil, ErrNotRegistered
	}
	old, ok := s.tokens[oldID]
	switch {
	case !ok:
		return "", nil, fmt.Errorf("rotate token %s: %w", oldID, ErrUnknownToken)
	case old.Revoked:
		return "", nil, fmt.Errorf("rotate token %s: %w", oldID, ErrTokenRevoked)
	case !old.ValidAt(now):
		return "", nil, fmt.Errorf("rotate token %s: %w", oldID, ErrTokenExpired)
	}
	token, ev, err := IssueToken(old.Kinds, old.ExpiresAt, now)
	if err != nil {
		return "", nil, fmt.Errorf("rotate token %s: %w", oldID, err)
	}
	ev.Replaces = oldID
	return token, []Event{ev, TokenRevoked{TokenID: oldID, Reason: "rotated: replaced by " + ev.TokenID}}, nil
}

// RevokeToken ends token id for the reason given (required, for the audit trail). Revoking a revoked
// token decides nothing.
func (s *State) RevokeToken(id, reason string) ([]Event, error) {
	if !s.registered {
		return nil, ErrNotRegistered
	}
	t, ok := s.tokens[id]
	if !ok {
		return nil, fmt.Errorf("revoke token %s: %w", id, ErrUnknownToken)
	}
	reason = strings.TrimSpace(reason)
	var vs violations
	switch {
	case reason == "":
		vs.add("/reason", "is required")
	case utf8.RuneCountInString(reason) > MaxReasonLength:
		vs.addf("/reason", "is longer than %d characters", MaxReasonLength)
	}
	if err := vs.err(s.ID()); err != nil {
		return nil, err
	}
	if t.Revoked {
		return nil, nil
	}
	return []Event{TokenRevoked{TokenID: id, Reason: reason}}, nil
}
