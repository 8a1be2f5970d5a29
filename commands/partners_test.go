package commands_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crossdock-hub/crossdock/commands"
	"github.com/crossdock-hub/crossdock/domain/partner"
	"github.com/crossdock-hub/crossdock/eventstore"
	"github.com/crossdock-hub/crossdock/eventstore/sqlite"
)

var partnerNow = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

// openPartnerStore opens a SQLite event store in a fresh directory and returns it with the directory,
// so a test can read the database files' raw bytes.
func openPartnerStore(t *testing.T) (*sqlite.Store, string) {
	t.Helper()
	dir := t.TempDir()
	s, err := sqlite.Open(t.Context(), filepath.Join(dir, "crossdock.db"), sqlite.Config{})
	require.NoError(t, err)
	t.Cleanup(func() { _ = s.Close() })
	return s, dir
}

func newPartnerHandler(t *testing.T, store commands.StreamStore, key []byte) *commands.PartnerHandler {
	t.Helper()
	h, err := commands.NewPartnerHandler(store, commands.PartnerConfig{
		SealKey: key, Logger: testLogger(t), Clock: func() time.Time { return partnerNow }, PageSize: 2,
	})
	require.NoError(t, err)
	return h
}

func newSealKey(t *testing.T) []byte {
	t.Helper()
	k := make([]byte, partner.SealKeySize)
	_, err := rand.Read(k)
	require.NoError(t, err)
	return k
}

func acmeProfile() partner.Profile {
	return partner.Profile{
		ID: "acme", Name: "ACME Supply Co.", Roles: []partner.Role{partner.RoleSupplier},
		Identifiers: partner.Identifiers{ISA: []partner.ISAID{{Qualifier: "12", ID: "4405197800"}}},
		Channels: []partner.Channel{{Kind: partner.ChannelHTTP, Format: partner.FormatX12,
			Documents: []string{partner.KindASN, partner.KindInvoice}}},
		Items: []partner.ItemMapping{
			{PartnerItem: "VP-100", UPC: "044051978000", Product: "FURN_0100"},
			{PartnerItem: "VP-101", UPC: "044051978017", Product: "FURN_0101"},
		},
		Units:      []partner.UnitMapping{{PartnerUnit: "CS", Factor: decimal.NewFromInt(12), Unit: "EA"}},
		Tolerances: partner.Tolerances{OverShipPercent: decimal.NewFromInt(5)},
	}
}

func partnerEvents(t *testing.T, store eventstore.Store, id string) []eventstore.Event {
	t.Helper()
	events, err := store.ReadStream(t.Context(), partner.StreamID(id), 1, 0)
	if errors.Is(err, eventstore.ErrStreamNotFound) {
		return nil
	}
	require.NoError(t, err)
	return events
}

func TestApplyPartnerIsIdempotent(t *testing.T) {
	t.Parallel()
	store, _ := openPartnerStore(t)
	h := newPartnerHandler(t, store, nil)
	cmd := commands.ApplyPartner{Profile: acmeProfile(), Actor: "user:jane", Now: partnerNow, Source: "bootstrap:partners.yaml"}

	res, err := h.Apply(t.Context(), cmd)
	require.NoError(t, err)
	assert.Equal(t, commands.ApplyPartnerResult{
		StreamID: "partner-acme", StreamVersion: 7, Appended: 7,
		EventTypes: []string{partner.EventRegistered, partner.EventIdentifiersSet, partner.EventChannelsSet,
			partner.EventItemMapped, partner.EventItemMapped, partner.EventUnitMapped, partner.EventTolerancesSet},
	}, res)

	events := partnerEvents(t, store, "acme")
	require.Len(t, events, 7)
	for _, ev := range events {
		assert.Equal(t, "user:jane", ev.Metadata.Actor, ev.Type)
		assert.Equal(t, "bootstrap:partners.yaml", ev.Metadata.Source)
		assert.Equal(t, "acme", ev.Metadata.PartnerID)
		assert.True(t, partnerNow.Equal(ev.Metadata.OccurredAt))
		assert.Equal(t, events[0].Metadata.CorrelationID, ev.Metadata.CorrelationID, "one change, one correlation")
	}
	assert.JSONEq(t, `{"partner_item":"VP-100","upc":"044051978000","product":"FURN_0100"}`, string(events[3].Data))

	again, err := h.Apply(t.Context(), cmd)
	require.NoError(t, err)
	assert.Equal(t, commands.ApplyPartnerResult{StreamID: "partner-acme", StreamVersion: 7, EventTypes: []string{}}, again,
		"the same profile again appends nothing")
	assert.Len(t, partnerEvents(t, store, "acme"), 7)
}

func TestApplyPartnerRemapIsAudited(t *testing.T) {
	t.Parallel()
	store, _ := openPartnerStore(t)
	h := newPartnerHandler(t, store, nil)
	_, err := h.Apply(t.Context(), commands.ApplyPartner{Profile: acmeProfile(), Actor: "bootstrap", Now: partnerNow})
	require.NoError(t, err)

	p := acmeProfile()
	p.Items[1].Product = "FURN_0999"
	later := partnerNow.Add(26 * time.Hour)
	res, err := h.Apply(t.Context(), commands.ApplyPartner{Profile: p, Actor: "user:jane", Now: later, Source: "api"})
	require.NoError(t, err)
	assert.Equal(t, []string{partner.EventItemMapped}, res.EventTypes)
	assert.Equal(t, int64(8), res.StreamVersion)

	ev := partnerEvents(t, store, "acme")[7]
	assert.Equal(t, partner.EventItemMapped, ev.Type)
	assert.Equal(t, "user:jane", ev.Metadata.Actor)
	assert.Equal(t, "api", ev.Metadata.Source)
	assert.True(t, later.Equal(ev.Metadata.OccurredAt))
	var mapped partner.ItemMapped
	require.NoError(t, json.Unmarshal(ev.Data, &mapped))
	assert.Equal(t, "VP-101", mapped.PartnerItem)
	assert.Equal(t, "044051978017", mapped.UPC)
	assert.Equal(t, "FURN_0999", mapped.Product)
	require.NotNil(t, mapped.Previous)
	assert.Equal(t, "FURN_0101", mapped.Previous.Product)
}

func TestApplyPartnerRefuses(t *testing.T) {
	t.Parallel()
	store, _ := openPartnerStore(t)
	h := newPartnerHandler(t, store, nil)

	bad := acmeProfile()
	bad.Units[0].Factor = decimal.Zero
	_, err := h.Apply(t.Context(), commands.ApplyPartner{Profile: bad, Actor: "user:jane", Now: partnerNow})
	var ve *partner.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, []partner.Violation{{Field: "/units/0/factor", Reason: "must be greater than zero"}}, ve.Violations)

	_, err = h.Apply(t.Context(), commands.ApplyPartner{Profile: acmeProfile(), Now: partnerNow})
	require.ErrorContains(t, err, "actor is required")

	withSecret := acmeProfile()
	withSecret.WebhookSecrets = []partner.WebhookSecretDecl{{Format: partner.FormatJSON, ValueEnv: "CROSSDOCK_S", Secret: []byte("s")}}
	_, err = h.Apply(t.Context(), commands.ApplyPartner{Profile: withSecret, Actor: "user:jane", Now: partnerNow})
	require.ErrorContains(t, err, "no seal key is configured")

	_, _, err = h.IssueToken(t.Context(), "acme", []string{partner.KindASN}, time.Time{}, "user:jane")
	require.ErrorIs(t, err, partner.ErrNotRegistered)
	assert.Empty(t, partnerEvents(t, store, "acme"), "nothing was appended")

	_, err = commands.NewPartnerHandler(store, commands.PartnerConfig{SealKey: []byte("short"), PageSize: -1})
	require.ErrorContains(t, err, "seal key is 5 bytes, want 32")
	require.ErrorContains(t, err, "page size -1 is negative")
}

func TestPartnerTokens(t *testing.T) {
	t.Parallel()
	store, _ := openPartnerStore(t)
	h := newPartnerHandler(t, store, nil)
	ctx := t.Context()
	_, err := h.Apply(ctx, commands.ApplyPartner{Profile: acmeProfile(), Actor: "bootstrap", Now: partnerNow})
	require.NoError(t, err)

	expires := partnerNow.Add(90 * 24 * time.Hour)
	token, id, err := h.IssueToken(ctx, "acme", []string{partner.KindASN, partner.KindInvoice}, expires, "user:jane")
	require.NoError(t, err)
	require.Regexp(t, `^cdp_[A-Za-z0-9_-]{43}$`, token)

	newToken, newID, err := h.RotateToken(ctx, "acme", id, "user:ops")
	require.NoError(t, err)
	assert.NotEqual(t, token, newToken)
	assert.NotEqual(t, id, newID)

	require.NoError(t, h.RevokeToken(ctx, "acme", newID, "partner offboarded", "user:ops"))
	require.NoError(t, h.RevokeToken(ctx, "acme", newID, "partner offboarded", "user:ops"), "revoking twice is a no-op")
	require.ErrorIs(t, h.RevokeToken(ctx, "acme", "tok_unknown", "x", "user:ops"), partner.ErrUnknownToken)
	_, _, err = h.RotateToken(ctx, "acme", id, "user:ops")
	require.ErrorIs(t, err, partner.ErrTokenRevoked)

	events := partnerEvents(t, store, "acme")
	tail := events[len(events)-4:]
	assert.Equal(t, []string{partner.EventTokenIssued, partner.EventTokenIssued, partner.EventTokenRevoked, partner.EventTokenRevoked},
		[]string{tail[0].Type, tail[1].Type, tail[2].Type, tail[3].Type})
	assert.Equal(t, "user:jane", tail[0].Metadata.Actor)
	assert.Equal(t, "user:ops", tail[1].Metadata.Actor)
	assert.Equal(t, tail[1].Metadata.CorrelationID, tail[2].Metadata.CorrelationID, "a rotation is one change")
	var issued partner.TokenIssued
	require.NoError(t, json.Unmarshal(tail[0].Data, &issued))
	assert.Equal(t, partner.TokenIssued{TokenID: id, SHA256: partner.HashToken(token),
		Kinds: []string{partner.KindASN, partner.KindInvoice}, ExpiresAt: expires}, withUTCExpiry(issued))
	var revoked partner.TokenRevoked
	require.NoError(t, json.Unmarshal(tail[3].Data, &revoked))
	assert.Equal(t, partner.TokenRevoked{TokenID: newID, Reason: "partner offboarded"}, revoked)
}

func withUTCExpiry(e partner.TokenIssued) partner.TokenIssued {
	e.ExpiresAt = e.ExpiresAt.UTC()
	return e
}

// TestPartnerSecretsNeverStoredInClear issues tokens and sets HMAC secrets, then looks for them in every
// event payload and in the raw bytes of the database files.
func TestPartnerSecretsNeverStoredInClear(t *testing.T) {
	t.Parallel()
	store, dir := openPartnerStore(t)
	key := newSealKey(t)
	h := newPartnerHandler(t, store, key)
	ctx := t.Context()

	const fileSecret = "whsec-from-the-environment-7f3a9c"
	const apiSecret = "whsec-set-through-the-api-51d2e8"
	p := acmeProfile()
	p.Channels = append(p.Channels, partner.Channel{Kind: partner.ChannelHTTP, Format: partner.FormatEasyPost,
		Documents: []string{partner.KindShipmentStatus}})
	p.WebhookSecrets = []partner.WebhookSecretDecl{{Format: partner.FormatEasyPost, ValueEnv: "CROSSDOCK_EP", Secret: []byte(fileSecret)}}
	res, err := h.Apply(ctx, commands.ApplyPartner{Profile: p, Actor: "bootstrap", Now: partnerNow})
	require.NoError(t, err)
	assert.Contains(t, res.EventTypes, partner.EventHMACSecretSet)
	again, err := h.Apply(ctx, commands.ApplyPartner{Profile: p, Actor: "bootstrap", Now: partnerNow})
	require.NoError(t, err)
	assert.Zero(t, again.Appended, "the same secret is not sealed again")

	require.NoError(t, h.SetHMACSecret(ctx, "acme", partner.FormatShipHero, []byte(apiSecret), "user:jane"))
	token, id, err := h.IssueToken(ctx, "acme", []string{partner.KindASN}, time.Time{}, "user:jane")
	require.NoError(t, err)
	rotated, _, err := h.RotateToken(ctx, "acme", id, "user:jane")
	require.NoError(t, err)

	secrets := [][]byte{[]byte(token), []byte(rotated), []byte(fileSecret), []byte(apiSecret), key}
	all, err := store.ReadAll(ctx, eventstore.Start, 0, eventstore.Filter{})
	require.NoError(t, err)
	require.NotEmpty(t, all)
	for _, ev := range all {
		for _, s := range secrets {
			assert.False(t, bytes.Contains(ev.Data, s), "%s holds a secret in clear", ev.Type)
		}
	}
	// The hash must be somewhere in the files (the main file or the write-ahead log, depending on
	// checkpoints): the check looks where the events really are.
	var files int
	hashFound := false
	for _, name := range []string{"crossdock.db", "crossdock.db-wal"} {
		raw, err := os.ReadFile(filepath.Join(dir, name))
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		require.NoError(t, err)
		files++
		for _, s := range secrets {
			assert.False(t, bytes.Contains(raw, s), "%s holds a secret in clear", name)
		}
		hashFound = hashFound || bytes.Contains(raw, []byte(partner.HashToken(token)))
	}
	require.Positive(t, files)
	assert.True(t, hashFound, "the database files hold the token's hash")

	// What is stored opens back to the secret with the key.
	var sealed partner.HMACSecretSet
	for _, ev := range all {
		if ev.Type == partner.EventHMACSecretSet {
			require.NoError(t, json.Unmarshal(ev.Data, &sealed))
			if sealed.Format == partner.FormatShipHero {
				break
			}
		}
	}
	clear, err := partner.SealedSecret(sealed).Open(key, "acme")
	require.NoError(t, err)
	assert.Equal(t, apiSecret, string(clear))
}

// partnerRacingStore lets another writer change the partner just before the handler's first append.
type partnerRacingStore struct {
	eventstore.Store
	race  func(ctx context.Context)
	fired atomic.Bool
}

func (r *partnerRacingStore) Append(ctx context.Context, stream string, expected eventstore.ExpectedVersion, events ...eventstore.EventData) (eventstore.AppendResult, error) {
	if r.fired.CompareAndSwap(false, true) {
		r.race(ctx)
	}
	return r.Store.Append(ctx, stream, expected, events...)
}

func TestApplyPartnerRetriesOnConcurrency(t *testing.T) {
	t.Parallel()
	store, _ := openPartnerStore(t)
	other := newPartnerHandler(t, store, nil)
	racing := &partnerRacingStore{Store: store, race: func(ctx context.Context) {
		_, err := other.Apply(ctx, commands.ApplyPartner{Profile: acmeProfile(), Actor: "user:winner", Now: partnerNow})
		require.NoError(t, err)
	}}
	p := acmeProfile()
	p.Name = "ACME Supply Company"
	res, err := newPartnerHandler(t, racing, nil).Apply(t.Context(), commands.ApplyPartner{Profile: p, Actor: "user:loser", Now: partnerNow})
	require.NoError(t, err)
	assert.Equal(t, []string{partner.EventDetailsSet}, res.EventTypes, "after reloading, only the name differs from the winner's")
	assert.Equal(t, int64(8), res.StreamVersion)

	events := partnerEvents(t, store, "acme")
	require.Len(t, events, 8)
	assert.Equal(t, "user:winner", events[0].Metadata.Actor)
	assert.Equal(t, "user:loser", events[7].Metadata.Actor)
}
