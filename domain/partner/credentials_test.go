package partner_test

import (
	"bytes"
	"crypto/rand"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crossdock-hub/crossdock/domain/partner"
)

func registered(t *testing.T) *partner.State {
	t.Helper()
	st := partner.NewState()
	fold(t, st, partner.Plan(*st, supplier()))
	return st
}

func sealKey(t *testing.T) []byte {
	t.Helper()
	k := make([]byte, partner.SealKeySize)
	_, err := rand.Read(k)
	require.NoError(t, err)
	return k
}

func TestIssueToken(t *testing.T) {
	t.Parallel()
	expires := now.Add(90 * 24 * time.Hour)
	token, ev, err := partner.IssueToken([]string{partner.KindInvoice, partner.KindASN}, expires, now)
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(token, partner.TokenPrefix))
	assert.Len(t, token, len(partner.TokenPrefix)+43, "32 random bytes in unpadded base64url")
	assert.Equal(t, partner.HashToken(token), ev.SHA256)
	assert.Equal(t, []string{partner.KindASN, partner.KindInvoice}, ev.Kinds)
	assert.Equal(t, expires, ev.ExpiresAt)
	assert.Regexp(t, `^tok_[0-9a-f]{16}$`, ev.TokenID)

	data, err := json.Marshal(ev)
	require.NoError(t, err)
	assert.NotContains(t, string(data), strings.TrimPrefix(token, partner.TokenPrefix), "the event never holds the token")

	other, _, err := partner.IssueToken([]string{partner.KindASN}, time.Time{}, now)
	require.NoError(t, err)
	assert.NotEqual(t, token, other)

	_, _, err = partner.IssueToken([]string{"asn", "catalog"}, now.Add(-time.Hour), now)
	var ve *partner.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, []partner.Violation{
		{Field: "/kinds/1", Reason: `unknown document kind "catalog" (want one of "asn", "shipment_status", "receipt", "ship_confirmation", "inventory_snapshot", "inventory_adjustment", "invoice", "order_ack", "functional_ack")`},
		{Field: "/expires_at", Reason: "must be after now"},
	}, ve.Violations)

	_, _, err = partner.NewState().IssueToken([]string{partner.KindASN}, time.Time{}, now)
	require.ErrorIs(t, err, partner.ErrNotRegistered)
}

func TestRotateAndRevokeToken(t *testing.T) {
	t.Parallel()
	st := registered(t)
	expires := now.Add(30 * 24 * time.Hour)
	_, issue, err := st.IssueToken([]string{partner.KindASN}, expires, now)
	require.NoError(t, err)
	fold(t, st, issue)
	oldID := issue[0].(partner.TokenIssued).TokenID

	token, events, err := st.RotateToken(oldID, now.Add(time.Hour))
	require.NoError(t, err)
	require.Equal(t, []string{partner.EventTokenIssued, partner.EventTokenRevoked}, types(events))
	nt := events[0].(partner.TokenIssued)
	assert.Equal(t, partner.HashToken(token), nt.SHA256)
	assert.Equal(t, oldID, nt.Replaces)
	assert.Equal(t, []string{partner.KindASN}, nt.Kinds, "rotation keeps the kinds")
	assert.Equal(t, expires, nt.ExpiresAt, "and the expiry")
	assert.Equal(t, partner.TokenRevoked{TokenID: oldID, Reason: "rotated: replaced by " + nt.TokenID}, events[1])
	fold(t, st, events)

	_, _, err = st.RotateToken(oldID, now)
	require.ErrorIs(t, err, partner.ErrTokenRevoked)
	_, _, err = st.RotateToken("tok_nope", now)
	require.ErrorIs(t, err, partner.ErrUnknownToken)
	_, _, err = st.RotateToken(nt.TokenID, expires)
	require.ErrorIs(t, err, partner.ErrTokenExpired)

	_, err = st.RevokeToken(nt.TokenID, " ")
	require.ErrorIs(t, err, partner.ErrInvalidProfile)
	revoke, err := st.RevokeToken(nt.TokenID, "partner offboarded")
	require.NoError(t, err)
	assert.Equal(t, []partner.Event{partner.TokenRevoked{TokenID: nt.TokenID, Reason: "partner offboarded"}}, revoke)
	fold(t, st, revoke)
	again, err := st.RevokeToken(nt.TokenID, "again")
	require.NoError(t, err)
	assert.Empty(t, again, "revoking a revoked token decides nothing")

	tokens := st.Tokens()
	require.Len(t, tokens, 2)
	assert.False(t, tokens[0].ValidAt(now))
	assert.False(t, tokens[1].ValidAt(now))
}

func TestSealAndOpen(t *testing.T) {
	t.Parallel()
	key := sealKey(t)
	secret := []byte("sécret")
	sealed, err := partner.Seal(key, "ups", partner.FormatEasyPost, secret)
	require.NoError(t, err)
	assert.False(t, bytes.Contains(sealed.Sealed, secret))
	assert.Equal(t, partner.SealKeyID(key), sealed.KeyID)

	clear, err := sealed.Open(key, "ups")
	require.NoError(t, err)
	assert.Equal(t, secret, clear)

	_, err = sealed.Open(key, "fedex")
	require.Error(t, err, "bound to its partner")
	moved := sealed
	moved.Format = partner.FormatShippo
	_, err = moved.Open(key, "ups")
	require.Error(t, err, "bound to its format")
	_, err = sealed.Open(sealKey(t), "ups")
	require.ErrorIs(t, err, partner.ErrSealKey)
	_, err = partner.Seal(key[:16], "ups", partner.FormatEasyPost, secret)
	require.ErrorIs(t, err, partner.ErrSealKey)
}

func TestSetHMACSecret(t *testing.T) {
	t.Parallel()
	st := registered(t)
	key := sealKey(t)
	events, err := st.SetHMACSecret(partner.FormatEasyPost, []byte("whsec-1"), key)
	require.NoError(t, err)
	require.Len(t, events, 1)
	set := events[0].(partner.HMACSecretSet)
	data, err := json.Marshal(set)
	require.NoError(t, err)
	assert.NotContains(t, string(data), "whsec-1")
	fold(t, st, events)

	again, err := st.SetHMACSecret(partner.FormatEasyPost, []byte("whsec-1"), key)
	require.NoError(t, err)
	assert.Empty(t, again, "the same secret again decides nothing")
	changed, err := st.SetHMACSecret(partner.FormatEasyPost, []byte("whsec-2"), key)
	require.NoError(t, err)
	assert.Len(t, changed, 1)

	_, err = st.SetHMACSecret(partner.FormatX12, []byte("x"), key)
	require.ErrorIs(t, err, partner.ErrInvalidProfile)

	removed, err := st.RemoveHMACSecret(partner.FormatEasyPost)
	require.NoError(t, err)
	assert.Equal(t, []partner.Event{partner.HMACSecretRemoved{Format: partner.FormatEasyPost}}, removed)
	fold(t, st, removed)
	none, err := st.RemoveHMACSecret(partner.FormatEasyPost)
	require.NoError(t, err)
	assert.Empty(t, none)
}

func TestPlanSecrets(t *testing.T) {
	t.Parallel()
	key := sealKey(t)
	p := supplier()
	p.WebhookSecrets = []partner.WebhookSecretDecl{{Format: partner.FormatEasyPost, ValueEnv: "CROSSDOCK_S", Secret: []byte("s1")}}
	st := partner.NewState()
	events, err := partner.PlanSecrets(*st, p, key)
	require.NoError(t, err)
	require.Len(t, events, 1)
	fold(t, st, append(partner.Plan(*st, p), events...))

	events, err = partner.PlanSecrets(*st, p, key)
	require.NoError(t, err)
	assert.Empty(t, events)

	sec, ok := st.HMACSecret(partner.FormatEasyPost)
	require.True(t, ok)
	clear, err := sec.Open(key, "acme")
	require.NoError(t, err)
	assert.Equal(t, []byte("s1"), clear)

	// Under a new key the secret is sealed again.
	events, err = partner.PlanSecrets(*st, p, sealKey(t))
	require.NoError(t, err)
	assert.Len(t, events, 1)
}
