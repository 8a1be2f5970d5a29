package webhooks

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"golang.org/x/text/unicode/norm"
)

// Signature errors, matched with errors.Is.
var (
	// ErrSignatureMissing means the request carries no signature (or not in the expected form).
	ErrSignatureMissing = errors.New("webhook signature missing")
	// ErrSignatureMismatch means the signature does not match the body and secret.
	ErrSignatureMismatch = errors.New("webhook signature does not match")
	// ErrNoSecret means no secret was given: a signature over an empty key proves nothing.
	ErrNoSecret = errors.New("no webhook secret configured")
	// ErrNoSignatureScheme means Crossdock knows no signature scheme for the format.
	ErrNoSignatureScheme = errors.New("no signature scheme")
)

// Signature headers, as the providers name them (http.Header.Get matches them in any case).
const (
	HeaderEasyPost         = "X-Hmac-Signature"       // hmac-sha256-hex=<hex of HMAC-SHA256(NFKD(secret), body)>
	HeaderAfterShip        = "Aftership-Hmac-Sha256"  // base64 of HMAC-SHA256(secret, body)
	HeaderShipHero         = "X-Shiphero-Hmac-Sha256" // base64 of HMAC-SHA256(secret, body)
	HeaderShippo           = "Shippo-Auth-Signature"  // t=<unix>,v1=<hex of HMAC-SHA256(secret, t + "." + body)>
	HeaderShipBobID        = "Webhook-Id"             // Standard Webhooks: the message id (also ShipBob's event id),
	HeaderShipBobTimestamp = "Webhook-Timestamp"      // its Unix time,
	HeaderShipBobSignature = "Webhook-Signature"      // "v1,<base64 of HMAC-SHA256(key, id.timestamp.body)>"...
)

const (
	easyPostPrefix = "hmac-sha256-hex="
	shipBobPrefix  = "whsec_"
)

// VerifyEasyPost checks EasyPost's X-Hmac-Signature: header is the header's value
// ("hmac-sha256-hex=<hex>"; a whole "X-Hmac-Signature: ..." line is accepted too). The signature is the
// HMAC-SHA256 of the raw body keyed with the secret in Unicode NFKD form, as EasyPost's client libraries
// compute it: a secret with an accent ("sécret") signs differently composed and decomposed.
func VerifyEasyPost(secret string, body []byte, header string) error {
	if secret == "" {
		return ErrNoSecret
	}
	v := strings.TrimSpace(header)
	if name, rest, ok := strings.Cut(v, ":"); ok && strings.EqualFold(strings.TrimSpace(name), HeaderEasyPost) {
		v = strings.TrimSpace(rest)
	}
	if v == "" {
		return fmt.Errorf("easypost: %w: no %s header", ErrSignatureMissing, HeaderEasyPost)
	}
	if len(v) < len(easyPostPrefix) || !strings.EqualFold(v[:len(easyPostPrefix)], easyPostPrefix) {
		return fmt.Errorf("easypost: %w: %s does not start with %q", ErrSignatureMissing, HeaderEasyPost, easyPostPrefix)
	}
	got, err := hex.DecodeString(v[len(easyPostPrefix):])
	if err != nil {
		return fmt.Errorf("easypost: %w: %s is not hexadecimal", ErrSignatureMismatch, HeaderEasyPost)
	}
	if !hmac.Equal(got, sign([]byte(norm.NFKD.String(secret)), body)) {
		return fmt.Errorf("easypost: %w", ErrSignatureMismatch)
	}
	return nil
}

// VerifyHMAC checks the signature a provider sends with a webhook, over the raw body:
//
//   - EasyPost: X-Hmac-Signature, see VerifyEasyPost.
//   - AfterShip: aftership-hmac-sha256, base64 of HMAC-SHA256(secret, body).
//   - ShipHero: x-shiphero-hmac-sha256, base64 of HMAC-SHA256(shared_signature_secret, body).
//   - Shippo: Shippo-Auth-Signature "t=<unix time>,v1=<hex>", HMAC-SHA256(secret, t + "." + body).
//   - ShipBob (Standard Webhooks, subscriptions of the dated API): webhook-signature holds space-separated
//     "v1,<base64>" signatures of webhook-id + "." + webhook-timestamp + "." + body, keyed with the
//     base64-decoded secret after its "whsec_" prefix. Legacy ShipBob subscriptions are not signed, and
//     fail here with ErrSignatureMissing.
//
// Timestamps are authenticated, not checked for age. Errors wrap ErrSignatureMissing,
// ErrSignatureMismatch, ErrNoSecret or ErrNoSignatureScheme.
func VerifyHMAC(format, secret string, body []byte, headers http.Header) error {
	if _, known := parsers[format]; !known {
		return fmt.Errorf("%w for %q", ErrNoSignatureScheme, format)
	}
	if secret == "" {
		return fmt.Errorf("%s: %w", format, ErrNoSecret)
	}
	switch format {
	case FormatEasyPost:
		return VerifyEasyPost(secret, body, headers.Get(HeaderEasyPost))
	case FormatAfterShip:
		return verifyBase64(format, HeaderAfterShip, headers.Get(HeaderAfterShip), sign([]byte(secret), body))
	case FormatShipHero:
		return verifyBase64(format, HeaderShipHero, headers.Get(HeaderShipHero), sign([]byte(secret), body))
	case FormatShippo:
		return verifyShippo(secret, body, headers.Get(HeaderShippo))
	case FormatShipBob:
		return verifyShipBob(secret, body, headers)
	}
	return fmt.Errorf("%w for %q", ErrNoSignatureScheme, format)
}

// sign is the HMAC-SHA256 of the concatenated parts under key.
func sign(key []byte, parts ...[]byte) []byte {
	m := hmac.New(sha256.New, key)
	for _, p := range parts {
		m.Write(p)
	}
	return m.Sum(nil)
}

// verifyBase64 compares a header holding the base64 of a MAC with want.
func verifyBase64(format, name, header string, want []byte) error {
	header = strings.TrimSpace(header)
	if header == "" {
		return fmt.Errorf("%s: %w: no %s header", format, ErrSignatureMissing, name)
	}
	got, err := base64.StdEncoding.DecodeString(header)
	if err != nil {
		return fmt.Errorf("%s: %w: %s is not base64", format, ErrSignatureMismatch, name)
	}
	if !hmac.Equal(got, want) {
		return fmt.Errorf("%s: %w", format, ErrSignatureMismatch)
	}
	return nil
}

// verifyShippo checks "t=<unix>,v1=<hex>[,v1=<hex>...]"; any v1 may match (several during a key roll).
func verifyShippo(secret string, body []byte, header string) error {
	var ts string
	var sigs []string
	for _, field := range strings.Split(header, ",") {
		k, v, _ := strings.Cut(strings.TrimSpace(field), "=")
		switch k {
		case "t":
			ts = v
		case "v1":
			sigs = append(sigs, v)
		}
	}
	if ts == "" || len(sigs) == 0 {
		return fmt.Errorf("shippo: %w: %s needs t= and v1=", ErrSignatureMissing, HeaderShippo)
	}
	want := sign([]byte(secret), []byte(ts), []byte("."), body)
	for _, s := range sigs {
		if got, err := hex.DecodeString(s); err == nil && hmac.Equal(got, want) {
			return nil
		}
	}
	return fmt.Errorf("shippo: %w", ErrSignatureMismatch)
}

// verifyShipBob checks a Standard Webhooks signature.
func verifyShipBob(secret string, body []byte, headers http.Header) error {
	id, ts, sig := headers.Get(HeaderShipBobID), headers.Get(HeaderShipBobTimestamp), headers.Get(HeaderShipBobSignature)
	if id == "" || ts == "" || sig == "" {
		return fmt.Errorf("shipbob: %w: %s, %s and %s are all needed",
			ErrSignatureMissing, HeaderShipBobID, HeaderShipBobTimestamp, HeaderShipBobSignature)
	}
	key, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(secret, shipBobPrefix))
	if err != nil {
		return fmt.Errorf("shipbob: the secret is not %q followed by base64: %w", shipBobPrefix, err)
	}
	want := sign(key, []byte(id), []byte("."), []byte(ts), []byte("."), body)
	for _, s := range strings.Fields(sig) {
		version, b64, ok := strings.Cut(s, ",")
		if !ok || version != "v1" {
			continue
		}
		if got, err := base64.StdEncoding.DecodeString(b64); err == nil && hmac.Equal(got, want) {
			return nil
		}
	}
	return fmt.Errorf("shipbob: %w", ErrSignatureMismatch)
}
