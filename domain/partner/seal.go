package partner

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
)

// SealKeySize is the size of the key HMAC secrets are sealed under: AES-256.
const SealKeySize = 32

// ErrSealKey means the sealing key is missing, of the wrong size, or not the one a secret was sealed
// under.
var ErrSealKey = errors.New("partner seal key")

// SealKeyID names a sealing key without revealing it: the first 8 bytes of a SHA-256 of the key, in hex.
// Events record it, so a secret sealed under another key (after a key change) says so instead of failing
// as a corrupt one. The key is 256 random bits, so its hash tells nothing about it.
func SealKeyID(key []byte) string {
	sum := sha256.Sum256(append([]byte("crossdock partner seal key id\x00"), key...))
	return hex.EncodeToString(sum[:8])
}

// Seal encrypts an HMAC secret with AES-256-GCM under key, with a random nonce, binding it to the
// partner and the webhook format (additional data): a sealed secret copied to another partner's stream
// or format does not open. The result's Sealed is nonce || ciphertext || tag.
func Seal(key []byte, partnerID, format string, secret []byte) (SealedSecret, error) {
	aead, err := newAEAD(key)
	if err != nil {
		return SealedSecret{}, err
	}
	nonce := make([]byte, aead.NonceSize(), aead.NonceSize()+len(secret)+aead.Overhead())
	if _, err := rand.Read(nonce); err != nil {
		return SealedSecret{}, fmt.Errorf("seal secret: nonce: %w", err)
	}
	sealed := aead.Seal(nonce, nonce, secret, sealAAD(partnerID, format))
	return SealedSecret{Format: format, KeyID: SealKeyID(key), Sealed: sealed}, nil
}

// Open decrypts the secret of partnerID sealed by Seal. A wrong key, another partner, or altered bytes
// are an error matching ErrSealKey or saying the secret does not open; the error never holds the secret.
func (s SealedSecret) Open(key []byte, partnerID string) ([]byte, error) {
	aead, err := newAEAD(key)
	if err != nil {
		return nil, err
	}
	if id := SealKeyID(key); s.KeyID != "" && s.KeyID != id {
		return nil, fmt.Errorf("%w: the %s secret was sealed under key %s, not the configured key %s",
			ErrSealKey, s.Format, s.KeyID, id)
	}
	if len(s.Sealed) < aead.NonceSize()+aead.Overhead() {
		return nil, fmt.Errorf("open %s secret of %s: sealed value too short", s.Format, partnerID)
	}
	nonce, body := s.Sealed[:aead.NonceSize()], s.Sealed[aead.NonceSize():]
	clear, err := aead.Open(nil, nonce, body, sealAAD(partnerID, s.Format))
	if err != nil {
		return nil, fmt.Errorf("open %s secret of %s: does not authenticate (altered, or sealed for another partner)",
			s.Format, partnerID)
	}
	return clear, nil
}

func newAEAD(key []byte) (cipher.AEAD, error) {
	if len(key) != SealKeySize {
		return nil, fmt.Errorf("%w: want %d bytes, got %d", ErrSealKey, SealKeySize, len(key))
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrSealKey, err)
	}
	return cipher.NewGCM(block)
}

func sealAAD(partnerID, format string) []byte {
	return []byte("crossdock partner hmac secret\x00" + partnerID + "\x00" + format)
}

// SetHMACSecret seals secret, the HMAC secret the partner signs format's webhooks with, under key. It
// decides nothing when the stored secret of that format already opens under key to the same value, so
// setting the same secret twice appends nothing (a secret sealed under another key is sealed again).
func (s *State) SetHMACSecret(format string, secret, key []byte) ([]Event, error) {
	if !s.registered {
		return nil, ErrNotRegistered
	}
	format = strings.TrimSpace(format)
	var vs violations
	if !IsWebhookFormat(format) {
		vs.addf("/format", "must be a webhook format (one of %s)", joinQuoted(webhookFormats))
	}
	switch {
	case len(secret) == 0:
		vs.add("/secret", "is required")
	case len(secret) > MaxSecretLength:
		vs.addf("/secret", "is longer than %d bytes", MaxSecretLength)
	}
	if err := vs.err(s.ID()); err != nil {
		return nil, err
	}
	ev, err := s.sealIfChanged(s.ID(), format, secret, key)
	if err != nil || ev == nil {
		return nil, err
	}
	return []Event{*ev}, nil
}

// RemoveHMACSecret removes the secret of format; nothing when there is none.
func (s *State) RemoveHMACSecret(format string) ([]Event, error) {
	if !s.registered {
		return nil, ErrNotRegistered
	}
	if _, ok := s.secrets[strings.TrimSpace(format)]; !ok {
		return nil, nil
	}
	return []Event{HMACSecretRemoved{Format: strings.TrimSpace(format)}}, nil
}

// PlanSecrets returns the events that seal the webhook secrets the desired profile declares (resolved
// by ResolveSecrets) where the stored ones differ. It is Plan's companion for what needs the key; like
// Plan it returns nothing when everything already agrees, and it never removes a secret the profile
// leaves out.
func PlanSecrets(current State, desired Profile, key []byte) ([]Event, error) {
	var out []Event
	for _, w := range desired.Normalize().WebhookSecrets {
		ev, err := current.sealIfChanged(desired.ID, w.Format, w.Secret, key)
		if err != nil {
			return nil, fmt.Errorf("partner %s: %w", desired.ID, err)
		}
		if ev != nil {
			out = append(out, *ev)
		}
	}
	return out, nil
}

// sealIfChanged returns the event sealing secret for format, or nil when the stored one opens to it.
func (s *State) sealIfChanged(partnerID, format string, secret, key []byte) (*HMACSecretSet, error) {
	if cur, ok := s.secrets[format]; ok {
		if clear, err := cur.Open(key, partnerID); err == nil && subtle.ConstantTimeCompare(clear, secret) == 1 {
			return nil, nil
		}
	}
	sealed, err := Seal(key, partnerID, format, secret)
	if err != nil {
		return nil, fmt.Errorf("seal %s secret: %w", format, err)
	}
	return &HMACSecretSet{Format: format, KeyID: sealed.KeyID, Sealed: sealed.Sealed}, nil
}
