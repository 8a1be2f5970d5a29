package archive_test

import (
	"database/sql"
	"fmt"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/stdlib"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crossdock-hub/crossdock/adapters/archive"
	"github.com/crossdock-hub/crossdock/eventstore/sqlite"
	"github.com/crossdock-hub/crossdock/internal/testdb"
)

// backends gives each test a fresh archive on every dialect.
var backends = map[string]func(t *testing.T) *archive.Archive{
	// On SQLite the archive shares the event store's file and pools, as it does in the binary.
	"sqlite": func(t *testing.T) *archive.Archive {
		store, err := sqlite.Open(t.Context(), testdb.SQLitePath(t), sqlite.Config{})
		require.NoError(t, err)
		t.Cleanup(func() { _ = store.Close() })
		return newArchive(t, archive.SQLite, store.WriteDB(), store.ReadDB())
	},
	"postgres": func(t *testing.T) *archive.Archive {
		db := stdlib.OpenDBFromPool(testdb.Postgres(t))
		t.Cleanup(func() { _ = db.Close() })
		return newArchive(t, archive.Postgres, db, db)
	},
}

func newArchive(t *testing.T, d archive.Dialect, write, read *sql.DB) *archive.Archive {
	t.Helper()
	a, err := archive.New(d, write, read, archive.Config{})
	require.NoError(t, err)
	require.NoError(t, a.Migrate(t.Context()))
	require.NoError(t, a.Migrate(t.Context()), "migrating twice is a no-op")
	return a
}

func forEachBackend(t *testing.T, test func(t *testing.T, a *archive.Archive)) {
	for name, open := range backends {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			test(t, open(t))
		})
	}
}

var received = time.Date(2026, 3, 2, 15, 4, 5, 123456789, time.UTC)

func inbound(body string) archive.Inbound {
	return archive.Inbound{
		PartnerID: "acme", Channel: "api:asn", ContentType: "application/json",
		CorrelationID: "corr-1", Body: []byte(body), ReceivedAt: received,
	}
}

func TestStoreAndAnswer(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, a *archive.Archive) {
		ctx := t.Context()
		first, err := a.Store(ctx, inbound(`{"asn_number":"A1"}`))
		require.NoError(t, err)
		assert.False(t, first.Repeat)
		assert.Empty(t, first.ConflictsWith)
		m := first.Message
		assert.Equal(t, archive.Received, m.Status)
		assert.False(t, m.Answered())
		assert.Equal(t, `{"asn_number":"A1"}`, string(m.Body))
		assert.Equal(t, "acme", m.PartnerID)
		assert.Equal(t, "api:asn", m.Channel)
		assert.Equal(t, "corr-1", m.CorrelationID)
		want := received.Truncate(time.Microsecond)
		assert.True(t, want.Equal(m.ReceivedAt), "received_at %s, want %s", m.ReceivedAt, want)
		assert.Equal(t, archive.DedupKey("acme", "", []byte(`{"asn_number":"A1"}`)), m.DedupKey)

		// Before an answer, a repeat is found but not answered: the handler processes it again.
		again, err := a.Store(ctx, inbound(`{"asn_number":"A1"}`))
		require.NoError(t, err)
		assert.True(t, again.Repeat)
		assert.Equal(t, m.ID, again.Message.ID)
		assert.False(t, again.Message.Answered())

		answer := archive.Answer{Status: http.StatusCreated, ContentType: "application/json", Body: []byte(`{"ok":true}`)}
		require.NoError(t, a.Accept(ctx, m.ID, answer))
		again, err = a.Store(ctx, inbound(`{"asn_number":"A1"}`))
		require.NoError(t, err)
		assert.True(t, again.Repeat)
		assert.True(t, again.Message.Answered())
		assert.Equal(t, archive.Accepted, again.Message.Status)
		assert.Equal(t, answer, again.Message.Answer)

		other, err := a.Store(ctx, inbound(`{"asn_number":"A2"}`))
		require.NoError(t, err)
		assert.False(t, other.Repeat, "another body without a message ID is another message")
		assert.NotEqual(t, m.ID, other.Message.ID)
	})
}

func TestPartnerMessageID(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, a *archive.Archive) {
		ctx := t.Context()
		in := inbound(`{"v":1}`)
		in.PartnerMessageID = "MSG-7"
		first, err := a.Store(ctx, in)
		require.NoError(t, err)
		assert.Equal(t, "acme:id:MSG-7", first.Message.DedupKey)

		reused := inbound(`{"v":2}`)
		reused.PartnerMessageID = "MSG-7"
		// Same received_at: which came first is insertion order, not the clock.
		second, err := a.Store(ctx, reused)
		require.NoError(t, err)
		assert.False(t, second.Repeat, "the other body is kept as a message of its own")
		assert.Equal(t, first.Message.ID, second.ConflictsWith)
		assert.Equal(t, `{"v":2}`, string(second.Message.Body))

		otherPartner := in
		otherPartner.PartnerID = "globex"
		third, err := a.Store(ctx, otherPartner)
		require.NoError(t, err)
		assert.False(t, third.Repeat, "message IDs are scoped to their partner")
		assert.Empty(t, third.ConflictsWith)
	})
}

func TestQuarantine(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, a *archive.Archive) {
		ctx := t.Context()
		var ids []string
		for i, partner := range []string{"acme", "acme", "globex"} {
			in := inbound(fmt.Sprintf(`{"n":%d}`, i))
			in.PartnerID = partner
			in.ReceivedAt = received.Add(time.Duration(i) * time.Minute)
			s, err := a.Store(ctx, in)
			require.NoError(t, err)
			ids = append(ids, s.Message.ID)
		}
		problem := archive.Answer{Status: 422, ContentType: "application/problem+json", Body: []byte(`{"status":422}`)}
		require.NoError(t, a.Reject(ctx, ids[0], "/lines: must have at least one line", problem))
		require.NoError(t, a.Reject(ctx, ids[2], "/asn_number: is required", problem))
		require.NoError(t, a.Fail(ctx, ids[1], "database down", archive.Answer{Status: 500}))

		all, err := a.Quarantine(ctx, archive.QuarantineQuery{})
		require.NoError(t, err)
		require.Len(t, all, 2)
		assert.Equal(t, ids[2], all[0].ID, "newest first")
		assert.Equal(t, ids[0], all[1].ID)
		assert.Equal(t, "/lines: must have at least one line", all[1].Reason)
		assert.Equal(t, archive.Rejected, all[1].Status)
		assert.Equal(t, `{"n":0}`, string(all[1].Body))

		acme, err := a.Quarantine(ctx, archive.QuarantineQuery{PartnerID: "acme"})
		require.NoError(t, err)
		require.Len(t, acme, 1)
		assert.Equal(t, ids[0], acme[0].ID)

		failed, err := a.Get(ctx, ids[1])
		require.NoError(t, err)
		assert.Equal(t, archive.Failed, failed.Status)
		assert.False(t, failed.Answered(), "a failed message is handled again when repeated")

		_, err = a.Get(ctx, "no-such-id")
		require.ErrorIs(t, err, archive.ErrNotFound)
		require.ErrorIs(t, a.Accept(ctx, "no-such-id", archive.Answer{Status: 200}), archive.ErrNotFound)
	})
}

func TestConcurrentRepeatsStoreOnce(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, a *archive.Archive) {
		const n = 8
		var (
			wg      sync.WaitGroup
			mu      sync.Mutex
			fresh   int
			seenIDs = map[string]bool{}
		)
		for range n {
			wg.Go(func() {
				s, err := a.Store(t.Context(), inbound(`{"same":true}`))
				if !assert.NoError(t, err) {
					return
				}
				mu.Lock()
				defer mu.Unlock()
				if !s.Repeat {
					fresh++
				}
				seenIDs[s.Message.ID] = true
			})
		}
		wg.Wait()
		assert.Equal(t, 1, fresh, "exactly one store is the first")
		assert.Len(t, seenIDs, 1)
	})
}

func TestNewValidates(t *testing.T) {
	t.Parallel()
	_, err := archive.New("oracle", nil, nil, archive.Config{})
	require.Error(t, err)
	assert.Contains(t, err.Error(), `unknown dialect "oracle"`)
	assert.Contains(t, err.Error(), "nil write database")
	assert.Contains(t, err.Error(), "nil read database")
}

// Two different bodies racing under one partner message ID: exactly one is the original, the other is
// told it conflicts with it.
func TestConcurrentReuseOfAMessageIDConflicts(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, a *archive.Archive) {
		const n = 24
		start := make(chan struct{})
		var (
			wg        sync.WaitGroup
			mu        sync.Mutex
			originals []string
			conflicts = map[string]bool{}
		)
		for i := range n {
			wg.Go(func() {
				in := inbound(fmt.Sprintf(`{"copy":%d}`, i))
				in.PartnerMessageID = "MSG-RACE-1"
				<-start
				s, err := a.Store(t.Context(), in)
				if !assert.NoError(t, err) {
					return
				}
				mu.Lock()
				defer mu.Unlock()
				if s.ConflictsWith == "" {
					originals = append(originals, s.Message.ID)
				} else {
					conflicts[s.ConflictsWith] = true
				}
			})
		}
		close(start)
		wg.Wait()
		require.Len(t, originals, 1, "exactly one body is the original")
		assert.Equal(t, map[string]bool{originals[0]: true}, conflicts, "every other names the original")
	})
}

// The first answer recorded stands: a second handling of the same message (two copies handled at once)
// does not replace it.
func TestFirstAnswerStands(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, a *archive.Archive) {
		s, err := a.Store(t.Context(), inbound(`{"asn":"first-answer"}`))
		require.NoError(t, err)
		first := archive.Answer{Status: 201, ContentType: "application/json", Body: []byte(`{"duplicate":false}`)}
		require.NoError(t, a.Accept(t.Context(), s.Message.ID, first))
		require.NoError(t, a.Accept(t.Context(), s.Message.ID, archive.Answer{Status: 200, ContentType: "application/json", Body: []byte(`{"duplicate":true}`)}))
		require.NoError(t, a.Fail(t.Context(), s.Message.ID, "late failure", archive.Answer{Status: 500}))
		got, err := a.Get(t.Context(), s.Message.ID)
		require.NoError(t, err)
		assert.Equal(t, archive.Accepted, got.Status)
		assert.Equal(t, first, got.Answer)
		require.ErrorIs(t, a.Accept(t.Context(), "no-such-message", first), archive.ErrNotFound)
	})
}

func TestParkedMessageIsHandledAgainAndSettledByReplay(t *testing.T) {
	for name, open := range backends {
		t.Run(name, func(t *testing.T) {
			ctx := t.Context()
			a := open(t)
			in := archive.Inbound{PartnerID: "acme", Channel: "api:documents", ContentType: "application/edi-x12", Body: []byte("ISA...")}
			first, err := a.Store(ctx, in)
			require.NoError(t, err)
			require.NoError(t, a.Park(ctx, first.Message.ID, "item UPC 012345678905 unmapped", archive.Answer{Status: 202, ContentType: "application/json", Body: []byte(`{"parked":true}`)}))

			got, err := a.Get(ctx, first.Message.ID)
			require.NoError(t, err)
			require.Equal(t, archive.Parked, got.Status)
			require.Equal(t, "item UPC 012345678905 unmapped", got.Reason)
			require.False(t, got.Answered(), "a parked message is handled again when repeated")

			parked, err := a.Quarantine(ctx, archive.QuarantineQuery{Status: archive.Parked})
			require.NoError(t, err)
			require.Len(t, parked, 1)
			rejected, err := a.Quarantine(ctx, archive.QuarantineQuery{})
			require.NoError(t, err)
			require.Empty(t, rejected)

			require.NoError(t, a.Settle(ctx, first.Message.ID, archive.Accepted, "", archive.Answer{Status: 200, ContentType: "application/json", Body: []byte(`{"ok":true}`)}))
			got, err = a.Get(ctx, first.Message.ID)
			require.NoError(t, err)
			require.Equal(t, archive.Accepted, got.Status)
			require.Equal(t, 200, got.Answer.Status)
			require.ErrorIs(t, a.Settle(ctx, "no-such-id", archive.Accepted, "", archive.Answer{}), archive.ErrNotFound)
		})
	}
}

// Stats counts messages by partner, channel and status since an instant.
func TestStats(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, a *archive.Archive) {
		day := time.Date(2026, 11, 26, 0, 0, 0, 0, time.UTC)
		store := func(partner, channel, body string, at time.Time) string {
			in := inbound(body)
			in.PartnerID, in.Channel, in.ReceivedAt = partner, channel, at
			s, err := a.Store(t.Context(), in)
			require.NoError(t, err)
			return s.Message.ID
		}
		store("acme", "http", "old", day.Add(-time.Hour)) // before the window
		require.NoError(t, a.Accept(t.Context(), store("acme", "http", "1", day.Add(time.Hour)), archive.Answer{Status: 200}))
		require.NoError(t, a.Accept(t.Context(), store("acme", "http", "2", day.Add(2*time.Hour)), archive.Answer{Status: 200}))
		require.NoError(t, a.Reject(t.Context(), store("acme", "http", "3", day.Add(3*time.Hour)), "bad", archive.Answer{Status: 422}))
		store("acme", "inbox", "4", day.Add(4*time.Hour))
		require.NoError(t, a.Park(t.Context(), store("globex", "webhook:easypost", "5", day.Add(5*time.Hour)), "unmapped", archive.Answer{Status: 202}))

		stats, err := a.Stats(t.Context(), day, "")
		require.NoError(t, err)
		type row struct {
			partner, channel string
			status           archive.Status
			count            int
			last             time.Time
		}
		var got []row
		for _, s := range stats {
			got = append(got, row{s.PartnerID, s.Channel, s.Status, s.Count, s.LastReceivedAt})
		}
		assert.Equal(t, []row{
			{"acme", "http", archive.Accepted, 2, day.Add(2 * time.Hour)},
			{"acme", "http", archive.Rejected, 1, day.Add(3 * time.Hour)},
			{"acme", "inbox", archive.Received, 1, day.Add(4 * time.Hour)},
			{"globex", "webhook:easypost", archive.Parked, 1, day.Add(5 * time.Hour)},
		}, got)
		only, err := a.Stats(t.Context(), day, "globex")
		require.NoError(t, err)
		require.Len(t, only, 1)
	})
}
