package webhooks

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"net/http"
	"regexp"
	"testing"

	"github.com/stretchr/testify/require"
	"golang.org/x/text/unicode/norm"
)

// easyPostVector reads the official test vector: the secret, the X-Hmac-Signature line, and the body it
// signs (the event body without the file's trailing newline).
func easyPostVector(t *testing.T) (secret, header string, body []byte) {
	t.Helper()
	txt := fixture(t, "easypost_hmac_testvector.txt")
	s := regexp.MustCompile(`(?m)^Secret:\s+"([^"]+)"`).FindSubmatch(txt)
	h := regexp.MustCompile(`(?m)^Header:\s+(X-Hmac-Signature: \S+)`).FindSubmatch(txt)
	require.NotNil(t, s, "secret in the test vector")
	require.NotNil(t, h, "header in the test vector")
	file := fixture(t, "easypost_tracker.updated_event-body.json")
	require.True(t, bytes.HasSuffix(file, []byte("\n")))
	return string(s[1]), string(h[1]), bytes.TrimSuffix(file, []byte("\n"))
}

func TestVerifyEasyPostVector(t *testing.T) {
	t.Parallel()
	secret, header, body := easyPostVector(t)
	require.Equal(t, "s\u00e9cret", secret, "the file spells the secret composed (NFC)")
	_, value, _ := bytes.Cut([]byte(header), []byte(": "))

	t.Run("the header line and its value both verify", func(t *testing.T) {
		require.NoError(t, VerifyEasyPost(secret, body, header))
		require.NoError(t, VerifyEasyPost(secret, body, string(value)))
		h := http.Header{}
		h.Set(HeaderEasyPost, string(value))
		require.NoError(t, VerifyHMAC(FormatEasyPost, secret, body, h))
	})
	t.Run("the secret decomposed verifies too", func(t *testing.T) {
		require.NoError(t, VerifyEasyPost(norm.NFKD.String(secret), body, header))
	})
	t.Run("without NFKD the digest differs", func(t *testing.T) {
		m := hmac.New(sha256.New, []byte(secret))
		m.Write(body)
		require.NotEqual(t, string(value), "hmac-sha256-hex="+hex.EncodeToString(m.Sum(nil)))
	})
	t.Run("the file with its trailing newline does not verify", func(t *testing.T) {
		err := VerifyEasyPost(secret, append(bytes.Clone(body), '\n'), header)
		require.ErrorIs(t, err, ErrSignatureMismatch)
	})
	t.Run("a one-byte change anywhere does not verify", func(t *testing.T) {
		for _, i := range []int{0, len(body) / 2, len(body) - 1} {
			changed := bytes.Clone(body)
			changed[i] ^= 0x01
			require.ErrorIs(t, VerifyEasyPost(secret, changed, header), ErrSignatureMismatch, "byte %d", i)
		}
	})
	t.Run("a one-character change of the signature does not verify", func(t *testing.T) {
		v := []byte(header)
		v[len(v)-1] ^= 0x01
		require.ErrorIs(t, VerifyEasyPost(secret, body, string(v)), ErrSignatureMismatch)
	})
	t.Run("another secret does not verify", func(t *testing.T) {
		require.ErrorIs(t, VerifyEasyPost("secret", body, header), ErrSignatureMismatch)
	})
	t.Run("missing or malformed headers", func(t *testing.T) {
		require.ErrorIs(t, VerifyEasyPost(secret, body, ""), ErrSignatureMissing)
		require.ErrorIs(t, VerifyEasyPost(secret, body, "sha1=abc"), ErrSignatureMissing)
		require.ErrorIs(t, VerifyEasyPost(secret, body, "hmac-sha256-hex=zz"), ErrSignatureMismatch)
		require.ErrorIs(t, VerifyEasyPost("", body, header), ErrNoSecret)
	})
}

func mac(key []byte, msg ...string) []byte {
	m := hmac.New(sha256.New, key)
	for _, s := range msg {
		m.Write([]byte(s))
	}
	return m.Sum(nil)
}

func TestVerifyHMAC(t *testing.T) {
	t.Parallel()
	body := string(fixture(t, "aftership_tracking_update_docs-example-trimmed.json"))
	const secret = "s3cr3t"
	shipBobKey := []byte("0123456789abcdef0123456789abcdef")
	shipBobSecret := "whsec_" + base64.StdEncoding.EncodeToString(shipBobKey)
	b64 := base64.StdEncoding.EncodeToString

	tests := []struct {
		name    string
		format  string
		secret  string
		headers map[string]string
		body    string
		err     error
	}{
		{name: "aftership", format: FormatAfterShip, secret: secret,
			headers: map[string]string{"aftership-hmac-sha256": b64(mac([]byte(secret), body))}},
		{name: "aftership tampered body", format: FormatAfterShip, secret: secret, body: body + " ",
			headers: map[string]string{"aftership-hmac-sha256": b64(mac([]byte(secret), body))}, err: ErrSignatureMismatch},
		{name: "aftership missing header", format: FormatAfterShip, secret: secret, err: ErrSignatureMissing},
		{name: "shiphero", format: FormatShipHero, secret: secret,
			headers: map[string]string{"x-shiphero-hmac-sha256": b64(mac([]byte(secret), body))}},
		{name: "shiphero with another secret", format: FormatShipHero, secret: "other",
			headers: map[string]string{"x-shiphero-hmac-sha256": b64(mac([]byte(secret), body))}, err: ErrSignatureMismatch},
		{name: "shippo", format: FormatShippo, secret: secret,
			headers: map[string]string{"Shippo-Auth-Signature": "t=1712741696,v1=" + hex.EncodeToString(mac([]byte(secret), "1712741696", ".", body))}},
		{name: "shippo with a rolled key, second v1 matches", format: FormatShippo, secret: secret,
			headers: map[string]string{"Shippo-Auth-Signature": "t=1712741696, v1=00ff, v1=" + hex.EncodeToString(mac([]byte(secret), "1712741696", ".", body))}},
		{name: "shippo with a changed timestamp", format: FormatShippo, secret: secret,
			headers: map[string]string{"Shippo-Auth-Signature": "t=1712741697,v1=" + hex.EncodeToString(mac([]byte(secret), "1712741696", ".", body))}, err: ErrSignatureMismatch},
		{name: "shippo without t", format: FormatShippo, secret: secret,
			headers: map[string]string{"Shippo-Auth-Signature": "v1=00"}, err: ErrSignatureMissing},
		{name: "shipbob", format: FormatShipBob, secret: shipBobSecret,
			headers: map[string]string{"webhook-id": "msg_1", "webhook-timestamp": "1712741696",
				"webhook-signature": "v1,AAAA v1," + b64(mac(shipBobKey, "msg_1", ".", "1712741696", ".", body))}},
		{name: "shipbob with another message id", format: FormatShipBob, secret: shipBobSecret,
			headers: map[string]string{"webhook-id": "msg_2", "webhook-timestamp": "1712741696",
				"webhook-signature": "v1," + b64(mac(shipBobKey, "msg_1", ".", "1712741696", ".", body))}, err: ErrSignatureMismatch},
		{name: "shipbob legacy subscription, unsigned", format: FormatShipBob, secret: shipBobSecret, err: ErrSignatureMissing},
		{name: "no secret", format: FormatAfterShip, secret: "", err: ErrNoSecret},
		{name: "unknown format", format: "fedex", secret: secret, err: ErrNoSignatureScheme},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			h := http.Header{}
			for k, v := range tt.headers {
				h.Set(k, v)
			}
			b := tt.body
			if b == "" {
				b = body
			}
			err := VerifyHMAC(tt.format, tt.secret, []byte(b), h)
			if tt.err == nil {
				require.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, tt.err)
		})
	}
}

// The example of the Standard Webhooks specification, which ShipBob's dated API follows.
func TestVerifyShipBobStandardWebhooksExample(t *testing.T) {
	t.Parallel()
	h := http.Header{}
	h.Set("webhook-id", "msg_p5jXN8AQM9LWM0D4loKWxJek")
	h.Set("webhook-timestamp", "1614265330")
	h.Set("webhook-signature", "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")
	require.NoError(t, VerifyHMAC(FormatShipBob, "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", []byte(`{"test": 2432232314}`), h))
	require.ErrorIs(t, VerifyHMAC(FormatShipBob, "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", []byte(`{"test": 2432232315}`), h),
		ErrSignatureMismatch)
}
