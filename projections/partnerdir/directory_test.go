package partnerdir_test

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"log/slog"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/crossdock-hub/crossdock/commands"
	"github.com/crossdock-hub/crossdock/domain"
	"github.com/crossdock-hub/crossdock/domain/partner"
	"github.com/crossdock-hub/crossdock/eventstore"
	"github.com/crossdock-hub/crossdock/eventstore/postgres"
	"github.com/crossdock-hub/crossdock/eventstore/sqlite"
	"github.com/crossdock-hub/crossdock/internal/testdb"
	"github.com/crossdock-hub/crossdock/projections/partnerdir"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

var t0 = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

// clock is a settable test clock.
type clock struct{ now atomic.Pointer[time.Time] }

func newClock(t time.Time) *clock {
	c := &clock{}
	c.set(t)
	return c
}

func (c *clock) set(t time.Time)     { c.now.Store(&t) }
func (c *clock) Now() time.Time      { return *c.now.Load() }
func (c *clock) add(d time.Duration) { c.set(c.Now().Add(d)) }

func openSQLite(t *testing.T) eventstore.Store {
	t.Helper()
	s, err := sqlite.Open(t.Context(), testdb.SQLitePath(t), sqlite.Config{PollInterval: 20 * time.Millisecond})
	require.NoError(t, err)
	t.Cleanup(func() { _ = s.Close() })
	return s
}

func openPostgres(t *testing.T) eventstore.Store {
	t.Helper()
	s, err := postgres.New(testdb.Postgres(t), postgres.Config{})
	require.NoError(t, err)
	require.NoError(t, s.Migrate(t.Context()))
	return s
}

func testLogger(t *testing.T) *slog.Logger { return slog.New(slog.NewTextHandler(t.Output(), nil)) }

type fixture struct {
	store eventstore.Store
	h     *commands.PartnerHandler
	dir   *partnerdir.Directory
	clock *clock
	key   []byte
}

func newFixture(t *testing.T, store eventstore.Store) *fixture {
	t.Helper()
	f := &fixture{store: store, clock: newClock(t0), key: make([]byte, partner.SealKeySize)}
	_, err := rand.Read(f.key)
	require.NoError(t, err)
	f.h, err = commands.NewPartnerHandler(store, commands.PartnerConfig{SealKey: f.key, Logger: testLogger(t), Clock: f.clock.Now})
	require.NoError(t, err)
	f.dir, err = partnerdir.New(store, partnerdir.Config{SealKey: f.key, Logger: testLogger(t), Clock: f.clock.Now, PageSize: 3})
	require.NoError(t, err)
	return f
}

func (f *fixture) apply(t *testing.T, p partner.Profile, actor string) commands.ApplyPartnerResult {
	t.Helper()
	res, err := f.h.Apply(t.Context(), commands.ApplyPartner{Profile: p, Actor: actor, Now: f.clock.Now()})
	require.NoError(t, err)
	return res
}

func acme() partner.Profile {
	return partner.Profile{
		ID: "acme", Name: "ACME Supply Co.", Roles: []partner.Role{partner.RoleSupplier},
		Identifiers: partner.Identifiers{
			ISA:  []partner.ISAID{{Qualifier: "12", ID: "4405197800"}},
			GS:   []string{"4405197800"},
			GLN:  []string{"0614141000012"},
			DUNS: []string{"123456789"},
		},
		Channels: []partner.Channel{{Kind: partner.ChannelHTTP, Format: partner.FormatX12,
			Documents: []string{partner.KindASN, partner.KindInvoice}}},
		Items:      []partner.ItemMapping{{PartnerItem: "VP-100", UPC: "044051978000", Product: "FURN_0100"}},
		Units:      []partner.UnitMapping{{PartnerUnit: "CS", Factor: decimal.NewFromInt(12), Unit: "EA"}},
		Tolerances: partner.Tolerances{OverShipPercent: decimal.NewFromInt(5), PriceVariancePercent: decimal.NewFromInt(2)},
	}
}

func ups() partner.Profile {
	return partner.Profile{
		ID: "ups", Name: "United Parcel Service", Roles: []partner.Role{partner.RoleCarrier},
		Identifiers: partner.Identifiers{SCAC: []string{"UPSN"}},
		Channels: []partner.Channel{{Kind: partner.ChannelHTTP, Format: partner.FormatEasyPost,
			Documents: []string{partner.KindShipmentStatus}}},
	}
}

// TestDirectorySync is run on both backends: a change made by a command is visible after Sync, and
// only then.
func TestDirectorySync(t *testing.T) {
	t.Parallel()
	for name, open := range map[string]func(*testing.T) eventstore.Store{"sqlite": openSQLite, "postgres": openPostgres} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t, open(t))
			ctx := t.Context()
			f.apply(t, acme(), "bootstrap")
			f.apply(t, ups(), "bootstrap")
			token, tokenID, err := f.h.IssueToken(ctx, "acme", []string{partner.KindASN, partner.KindInvoice}, time.Time{}, "user:jane")
			require.NoError(t, err)

			_, ok := f.dir.Authenticate(token)
			assert.False(t, ok, "nothing is known before Sync")
			require.NoError(t, f.dir.Sync(ctx))

			cred, ok := f.dir.Authenticate(token)
			require.True(t, ok)
			assert.Equal(t, partnerdir.Credential{PartnerID: "acme", TokenID: tokenID,
				Kinds: []string{partner.KindASN, partner.KindInvoice}}, cred)
			assert.True(t, cred.Allows(partner.KindASN))
			assert.False(t, cred.Allows(partner.KindShipmentStatus))

			for _, lookup := range []struct {
				name string
				got  func() (string, bool)
				want string
			}{
				{"ISA padded", func() (string, bool) { return f.dir.ByISA("12", "4405197800     ") }, "acme"},
				{"ISA other qualifier", func() (string, bool) { return f.dir.ByISA("ZZ", "4405197800") }, ""},
				{"GS", func() (string, bool) { return f.dir.ByGS("4405197800") }, "acme"},
				{"GLN", func() (string, bool) { return f.dir.ByGLN("0614141000012") }, "acme"},
				{"DUNS", func() (string, bool) { return f.dir.ByDUNS("123456789") }, "acme"},
				{"SCAC lower case", func() (string, bool) { return f.dir.BySCAC("upsn") }, "ups"},
				{"SCAC unknown", func() (string, bool) { return f.dir.BySCAC("FDEG") }, ""},
			} {
				got, ok := lookup.got()
				assert.Equal(t, lookup.want != "", ok, lookup.name)
				assert.Equal(t, lookup.want, got, lookup.name)
			}

			p, ok := f.dir.Profile("acme")
			require.True(t, ok)
			assert.Equal(t, acme().Normalize(), p)
			product, ok := p.ResolveItem(partner.ItemIDs{UPC: "044051978000", At: t0})
			assert.True(t, ok)
			assert.Equal(t, "FURN_0100", product)
			q, ok := f.dir.ConvertUnit("acme", domain.Quantity{Amount: decimal.NewFromInt(3), Unit: "CS"})
			require.True(t, ok)
			assert.Equal(t, "36 EA", q.String())
			over, price := f.dir.Tolerances("acme")
			assert.Equal(t, "5", over.String())
			assert.Equal(t, "2", price.String())
			assert.Len(t, f.dir.List(), 2)

			// Remap and rotate: invisible until Sync.
			changed := acme()
			changed.Items[0].Product = "FURN_0999"
			f.apply(t, changed, "user:jane")
			newToken, newID, err := f.h.RotateToken(ctx, "acme", tokenID, "user:ops")
			require.NoError(t, err)
			_, ok = f.dir.Authenticate(newToken)
			assert.False(t, ok)
			require.NoError(t, f.dir.Sync(ctx))

			_, ok = f.dir.Authenticate(token)
			assert.False(t, ok, "the rotated token stops working")
			cred, ok = f.dir.Authenticate(newToken)
			require.True(t, ok, "the new one works")
			assert.Equal(t, partnerdir.Credential{PartnerID: "acme", TokenID: newID,
				Kinds: []string{partner.KindASN, partner.KindInvoice}}, cred)
			cw, ok := f.dir.Crosswalk("acme")
			require.True(t, ok)
			product, ok = cw.ResolveItem(partner.ItemIDs{PartnerItem: "VP-100", At: t0})
			assert.True(t, ok)
			assert.Equal(t, "FURN_0999", product)

			require.NoError(t, f.h.RevokeToken(ctx, "acme", newID, "offboarded", "user:ops"))
			require.NoError(t, f.dir.Sync(ctx))
			_, ok = f.dir.Authenticate(newToken)
			assert.False(t, ok, "revoked")
			tokens, ok := f.dir.Tokens("acme")
			require.True(t, ok)
			require.Len(t, tokens, 2)
			assert.True(t, tokens[1].Revoked)
			assert.Equal(t, "offboarded", tokens[1].RevokeReason)
			assert.Empty(t, tokens[0].SHA256, "listings do not carry hashes")
		})
	}
}

func TestDirectoryRunFollowsLive(t *testing.T) {
	t.Parallel()
	f := newFixture(t, openSQLite(t))
	f.apply(t, acme(), "bootstrap")

	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- f.dir.Run(ctx) }()

	require.Eventually(t, func() bool { _, ok := f.dir.Profile("acme"); return ok }, 5*time.Second, 10*time.Millisecond)
	token, _, err := f.h.IssueToken(t.Context(), "acme", []string{partner.KindASN}, time.Time{}, "user:jane")
	require.NoError(t, err)
	require.Eventually(t, func() bool { _, ok := f.dir.Authenticate(token); return ok }, 5*time.Second, 10*time.Millisecond)

	require.NoError(t, f.dir.Sync(t.Context()), "Sync alongside Run applies nothing twice")
	_, _, err = f.h.IssueToken(t.Context(), "acme", []string{partner.KindInvoice}, time.Time{}, "user:jane")
	require.NoError(t, err)
	require.Eventually(t, func() bool { ts, _ := f.dir.Tokens("acme"); return len(ts) == 2 }, 5*time.Second, 10*time.Millisecond)

	cancel()
	select {
	case err := <-done:
		require.NoError(t, err)
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not return after cancel")
	}
}

func TestAuthenticateFailsClosed(t *testing.T) {
	t.Parallel()
	f := newFixture(t, openSQLite(t))
	ctx := t.Context()
	p := acme()
	p.EffectiveTo = t0.Add(30 * 24 * time.Hour)
	f.apply(t, p, "bootstrap")
	expiring, _, err := f.h.IssueToken(ctx, "acme", []string{partner.KindASN}, t0.Add(time.Hour), "user:jane")
	require.NoError(t, err)
	lasting, _, err := f.h.IssueToken(ctx, "acme", []string{partner.KindASN}, time.Time{}, "user:jane")
	require.NoError(t, err)
	require.NoError(t, f.dir.Sync(ctx))

	_, ok := f.dir.Authenticate(expiring)
	assert.True(t, ok)
	for _, bad := range []string{"", "cdp_", lasting + "x", lasting[:len(lasting)-1]} {
		_, ok := f.dir.Authenticate(bad)
		assert.False(t, ok, "%q", bad)
	}

	f.clock.add(time.Hour)
	_, ok = f.dir.Authenticate(expiring)
	assert.False(t, ok, "expired")
	_, ok = f.dir.Authenticate(lasting)
	assert.True(t, ok)

	f.clock.set(p.EffectiveTo)
	_, ok = f.dir.Authenticate(lasting)
	assert.False(t, ok, "the partner is past its effective_to")
	_, ok = f.dir.ByISA("12", "4405197800")
	assert.False(t, ok, "nor is it found by its identifiers")
	_, ok = f.dir.Profile("acme")
	assert.True(t, ok, "its profile is still there for an admin")
}

func TestIdentifierClaimedTwice(t *testing.T) {
	t.Parallel()
	f := newFixture(t, openSQLite(t))
	old := ups()
	old.EffectiveTo = t0.Add(24 * time.Hour)
	f.apply(t, old, "bootstrap")
	successor := ups()
	successor.ID = "ups-freight"
	f.apply(t, successor, "bootstrap")
	require.NoError(t, f.dir.Sync(t.Context()))

	_, ok := f.dir.BySCAC("UPSN")
	assert.False(t, ok, "two active partners claim UPSN: none is guessed")
	f.clock.add(24 * time.Hour)
	id, ok := f.dir.BySCAC("UPSN")
	assert.True(t, ok)
	assert.Equal(t, "ups-freight", id, "after the hand-over date only the successor is active")
}

func TestWebhookSecret(t *testing.T) {
	t.Parallel()
	f := newFixture(t, openSQLite(t))
	ctx := t.Context()
	f.apply(t, ups(), "bootstrap")
	require.NoError(t, f.h.SetHMACSecret(ctx, "ups", partner.FormatEasyPost, []byte("sécret"), "user:jane"))
	require.NoError(t, f.dir.Sync(ctx))

	secret, ok := f.dir.WebhookSecret("ups", partner.FormatEasyPost)
	require.True(t, ok)
	assert.Equal(t, []byte("sécret"), secret)
	_, ok = f.dir.WebhookSecret("ups", partner.FormatShippo)
	assert.False(t, ok)

	noKey, err := partnerdir.New(f.store, partnerdir.Config{Logger: testLogger(t)})
	require.NoError(t, err)
	require.NoError(t, noKey.Sync(ctx))
	_, ok = noKey.WebhookSecret("ups", partner.FormatEasyPost)
	assert.False(t, ok, "no key, no secret")

	otherKey := make([]byte, partner.SealKeySize)
	wrongKey, err := partnerdir.New(f.store, partnerdir.Config{SealKey: otherKey, Logger: testLogger(t)})
	require.NoError(t, err)
	require.NoError(t, wrongKey.Sync(ctx))
	_, ok = wrongKey.WebhookSecret("ups", partner.FormatEasyPost)
	assert.False(t, ok, "another key opens nothing")

	require.NoError(t, f.h.RemoveHMACSecret(ctx, "ups", partner.FormatEasyPost, "user:jane"))
	require.NoError(t, f.dir.Sync(ctx))
	_, ok = f.dir.WebhookSecret("ups", partner.FormatEasyPost)
	assert.False(t, ok, "removed")
}

func TestBrokenStreamDisablesOnlyThatPartner(t *testing.T) {
	t.Parallel()
	f := newFixture(t, openSQLite(t))
	f.apply(t, ups(), "bootstrap")
	_, err := f.store.Append(t.Context(), partner.StreamID("bad"), eventstore.NoStream, eventstore.EventData{
		ID: uuid.New(), Type: partner.EventRegistered, Data: json.RawMessage(`{"partner_id": 5}`),
	})
	require.NoError(t, err)
	f.apply(t, acme(), "bootstrap")
	require.NoError(t, f.dir.Sync(t.Context()))

	_, ok := f.dir.Profile("bad")
	assert.False(t, ok)
	_, ok = f.dir.Profile("acme")
	assert.True(t, ok, "partners after the broken event are still read")
	id, ok := f.dir.BySCAC("UPSN")
	assert.True(t, ok)
	assert.Equal(t, "ups", id)
}

func TestNewValidates(t *testing.T) {
	t.Parallel()
	_, err := partnerdir.New(nil, partnerdir.Config{SealKey: []byte("short"), PageSize: -1})
	require.ErrorContains(t, err, "seal key is 5 bytes, want 32")
	require.ErrorContains(t, err, "page size -1 is negative")
	require.ErrorContains(t, err, "no event store")
}
