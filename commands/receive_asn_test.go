package commands_test

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crossdock-hub/crossdock/commands"
	"github.com/crossdock-hub/crossdock/domain"
	"github.com/crossdock-hub/crossdock/domain/shipment"
	"github.com/crossdock-hub/crossdock/eventstore"
	"github.com/crossdock-hub/crossdock/eventstore/postgres"
	"github.com/crossdock-hub/crossdock/eventstore/sqlite"
	"github.com/crossdock-hub/crossdock/internal/testdb"
)

var stores = map[string]func(t *testing.T) eventstore.Store{
	"sqlite": func(t *testing.T) eventstore.Store {
		s, err := sqlite.Open(t.Context(), testdb.SQLitePath(t), sqlite.Config{})
		require.NoError(t, err)
		t.Cleanup(func() { _ = s.Close() })
		return s
	},
	"postgres": func(t *testing.T) eventstore.Store {
		s, err := postgres.New(testdb.Postgres(t), postgres.Config{})
		require.NoError(t, err)
		require.NoError(t, s.Migrate(t.Context()))
		return s
	},
}

func forEachStore(t *testing.T, test func(t *testing.T, store eventstore.Store)) {
	for name, open := range stores {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			test(t, open(t))
		})
	}
}

var (
	shipDate   = time.Date(2026, 3, 2, 14, 0, 0, 0, time.UTC)
	receivedAt = time.Date(2026, 3, 2, 16, 30, 0, 0, time.UTC)
)

func testLogger(t *testing.T) *slog.Logger {
	return slog.New(slog.NewTextHandler(t.Output(), nil))
}

// newHandler reads one event per page, so every load crosses a page boundary.
func newHandler(t *testing.T, store commands.StreamStore) *commands.ReceiveASNHandler {
	t.Helper()
	h, err := commands.NewReceiveASNHandler(store, commands.ReceiveASNConfig{Logger: testLogger(t), PageSize: 1})
	require.NoError(t, err)
	return h
}

func cmd(t *testing.T, key, quantity string) commands.ReceiveASN {
	t.Helper()
	q, err := domain.ParseQuantity(quantity, "EA")
	require.NoError(t, err)
	return commands.ReceiveASN{
		Message: commands.Message{
			ID: "msg-" + key, Key: key, CorrelationID: "corr-" + key, PartnerID: "acme",
			Source: "api:acme", Actor: "partner:acme", ReceivedAt: receivedAt,
		},
		ASN: shipment.ASN{
			ASNNumber: "ASN-1001", PONumber: "P00042", ShipDate: shipDate, ShipTo: "WH1",
			TrackingNumber: "1Z999", CarrierSCAC: "UPSN",
			Lines: []shipment.Line{{Number: 1, Item: "SKU-42", Quantity: q, POLine: "1"}},
		},
	}
}

func readStream(t *testing.T, store eventstore.Store, stream string) []eventstore.Event {
	t.Helper()
	events, err := store.ReadStream(t.Context(), stream, 1, 100)
	if errors.Is(err, eventstore.ErrStreamNotFound) {
		return nil
	}
	require.NoError(t, err)
	return events
}

func TestReceiveASN(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, store eventstore.Store) {
		ctx := t.Context()
		h := newHandler(t, store)
		const stream = "shipment-acme:ASN-1001"

		res, err := h.Handle(ctx, cmd(t, "k1", "24"))
		require.NoError(t, err)
		assert.Equal(t, commands.ReceiveASNResult{
			StreamID: stream, StreamVersion: 1, Outcome: commands.ASNReceived,
			EventIDs: []uuid.UUID{eventstore.DeriveID("k1", 0)},
		}, res)

		events := readStream(t, store, stream)
		require.Len(t, events, 1)
		ev := events[0]
		assert.Equal(t, shipment.EventASNReceived, ev.Type)
		assert.Equal(t, eventstore.DeriveID("k1", 0), ev.ID)
		assert.Equal(t, eventstore.Metadata{
			CorrelationID: "corr-k1", MessageID: "msg-k1", PartnerID: "acme", Source: "api:acme",
			Actor: "partner:acme", OccurredAt: shipDate,
		}, withUTC(ev.Metadata))
		var data map[string]any
		require.NoError(t, json.Unmarshal(ev.Data, &data))
		assert.Equal(t, "ASN-1001", data["asn_number"])
		assert.Equal(t, "P00042", data["po_number"])
		assert.Equal(t, "1Z999", data["tracking_number"])
		assert.Equal(t, "acme", data["supplier"], "the supplier is the sending partner")
		line := data["lines"].([]any)[0].(map[string]any)
		assert.Equal(t, "24", line["quantity"])
		assert.Equal(t, "EA", line["unit"])

		// The same message again (a retry whose answer was lost): same result, nothing appended.
		res, err = h.Handle(ctx, cmd(t, "k1", "24"))
		require.NoError(t, err)
		assert.True(t, res.Duplicate)
		assert.Equal(t, commands.ASNReceived, res.Outcome)
		assert.Equal(t, []uuid.UUID{eventstore.DeriveID("k1", 0)}, res.EventIDs)
		assert.Equal(t, int64(1), res.StreamVersion)

		// Another message, same content: a resend, no event.
		res, err = h.Handle(ctx, cmd(t, "k2", "24.00"))
		require.NoError(t, err)
		assert.Equal(t, commands.ASNUnchanged, res.Outcome)
		assert.True(t, res.Duplicate)
		assert.Empty(t, res.EventIDs)
		require.Len(t, readStream(t, store, stream), 1)

		// Another message, changed quantity: a revision.
		res, err = h.Handle(ctx, cmd(t, "k3", "20"))
		require.NoError(t, err)
		assert.Equal(t, commands.ASNRevised, res.Outcome)
		assert.False(t, res.Duplicate)
		assert.Equal(t, int64(2), res.StreamVersion)
		events = readStream(t, store, stream)
		require.Len(t, events, 2)
		assert.Equal(t, shipment.EventASNRevised, events[1].Type)
		assert.Equal(t, eventstore.DeriveID("k3", 0), events[1].ID)
		assert.JSONEq(t, `"20"`, string(mustField(t, events[1].Data, "lines", 0, "quantity")))
		assert.JSONEq(t, `2`, string(mustField(t, events[1].Data, "revision")))
	})
}

func TestReceiveASNInvalid(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, store eventstore.Store) {
		c := cmd(t, "bad", "0")
		_, err := newHandler(t, store).Handle(t.Context(), c)
		var ve *shipment.ValidationError
		require.ErrorAs(t, err, &ve)
		assert.Equal(t, []shipment.Violation{{Field: "/lines/0/quantity", Reason: "must be greater than zero"}}, ve.Violations)
		assert.Empty(t, readStream(t, store, "shipment-acme:ASN-1001"))
	})
}

// racingStore lets another writer record the same ASN just before the handler's first append, so the
// handler loses the race and must reload.
type racingStore struct {
	eventstore.Store
	race  func(ctx context.Context)
	fired atomic.Bool
}

func (r *racingStore) Append(ctx context.Context, stream string, expected eventstore.ExpectedVersion, events ...eventstore.EventData) (eventstore.AppendResult, error) {
	if r.fired.CompareAndSwap(false, true) {
		r.race(ctx)
	}
	return r.Store.Append(ctx, stream, expected, events...)
}

func TestReceiveASNRetriesOnConcurrency(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, store eventstore.Store) {
		other := newHandler(t, store)
		racing := &racingStore{Store: store, race: func(ctx context.Context) {
			_, err := other.Handle(ctx, cmd(t, "winner", "24"))
			require.NoError(t, err)
		}}
		res, err := newHandler(t, racing).Handle(t.Context(), cmd(t, "loser", "30"))
		require.NoError(t, err)
		assert.Equal(t, commands.ASNRevised, res.Outcome, "after reloading, the loser's other quantity revises the winner's ASN")
		assert.Equal(t, int64(2), res.StreamVersion)

		events := readStream(t, store, "shipment-acme:ASN-1001")
		require.Len(t, events, 2)
		assert.Equal(t, eventstore.DeriveID("winner", 0), events[0].ID)
		assert.Equal(t, shipment.EventASNReceived, events[0].Type)
		assert.Equal(t, eventstore.DeriveID("loser", 0), events[1].ID)
		assert.Equal(t, shipment.EventASNRevised, events[1].Type)
	})
}

func TestNewReceiveASNHandlerValidates(t *testing.T) {
	t.Parallel()
	_, err := commands.NewReceiveASNHandler(nil, commands.ReceiveASNConfig{PageSize: -1})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "page size -1 is negative")
}

func withUTC(m eventstore.Metadata) eventstore.Metadata {
	m.OccurredAt = m.OccurredAt.UTC()
	return m
}

// mustField digs a value out of JSON by object keys and array indexes.
func mustField(t *testing.T, data []byte, path ...any) json.RawMessage {
	t.Helper()
	cur := json.RawMessage(data)
	for _, p := range path {
		switch k := p.(type) {
		case string:
			var obj map[string]json.RawMessage
			require.NoError(t, json.Unmarshal(cur, &obj))
			cur = obj[k]
		case int:
			var arr []json.RawMessage
			require.NoError(t, json.Unmarshal(cur, &arr))
			require.Greater(t, len(arr), k)
			cur = arr[k]
		}
	}
	return cur
}
