package projections_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"sync/atomic"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/crossdock-hub/crossdock/eventstore"
	"github.com/crossdock-hub/crossdock/projections"
)

// stock is a test projection whose apply step is not idempotent: it adds each event's quantity to its
// SKU's total and counts the events, so an event applied twice (or lost) shows in the totals.
type stock struct {
	version int
	// failSKU makes Apply fail on an event of that SKU, after writing the batch's earlier events.
	failSKU atomic.Pointer[string]
	// onApply, when set, runs at the start of every Apply with the call's number (1-based).
	onApply func(call int)
	calls   atomic.Int64
}

type stockCounted struct {
	SKU string `json:"sku"`
	Qty int64  `json:"qty"`
}

func (s *stock) Name() string     { return "stock" }
func (s *stock) Version() int     { return max(s.version, 1) }
func (s *stock) Tables() []string { return []string{"stock"} }
func (s *stock) Filter() eventstore.Filter {
	return eventstore.Filter{Types: []string{"stock.counted.v1"}}
}
func (s *stock) Schema(t projections.Tables) ([]string, error) {
	return []string{t.Expand(`CREATE TABLE {{stock}} (sku text PRIMARY KEY, qty bigint NOT NULL, events bigint NOT NULL)`)}, nil
}

func (s *stock) Apply(ctx context.Context, tx *sql.Tx, t projections.Tables, events []eventstore.Event) error {
	if s.onApply != nil {
		s.onApply(int(s.calls.Add(1)))
	}
	d := t.Dialect
	upsert := t.Expand(fmt.Sprintf(`INSERT INTO {{stock}} (sku, qty, events) VALUES (%s, %s, 1)
		ON CONFLICT (sku) DO UPDATE SET qty = {{stock}}.qty + excluded.qty, events = {{stock}}.events + 1`,
		d.Placeholder(1), d.Placeholder(2)))
	for _, ev := range events {
		var c stockCounted
		if err := json.Unmarshal(ev.Data, &c); err != nil {
			return fmt.Errorf("decode %s: %w", ev.ID, err)
		}
		if fail := s.failSKU.Load(); fail != nil && *fail == c.SKU {
			return errors.New("poison event for " + c.SKU)
		}
		if _, err := tx.ExecContext(ctx, upsert, c.SKU, c.Qty); err != nil {
			return fmt.Errorf("upsert %s: %w", c.SKU, err)
		}
	}
	return nil
}

// stockTotals reads the active generation's totals: sku -> {qty, events}.
func stockTotals(t *testing.T, db projections.Database) map[string][2]int64 {
	t.Helper()
	tables, err := projections.NewCatalog(db).ActiveTables(t.Context(), "stock")
	require.NoError(t, err)
	rows, err := db.Read.QueryContext(t.Context(), tables.Expand("SELECT sku, qty, events FROM {{stock}}"))
	require.NoError(t, err)
	defer rows.Close()
	out := map[string][2]int64{}
	for rows.Next() {
		var sku string
		var qty, n int64
		require.NoError(t, rows.Scan(&sku, &qty, &n))
		out[sku] = [2]int64{qty, n}
	}
	require.NoError(t, rows.Err())
	return out
}

// appendStock appends counts to one stream per SKU, one event per append, and returns the expected
// totals of each prefix: totals[i] holds the totals after the first i events.
func appendStock(t *testing.T, s eventstore.Store, key string, counts []stockCounted) []map[string][2]int64 {
	t.Helper()
	totals := []map[string][2]int64{{}}
	for i, c := range counts {
		data, err := json.Marshal(c)
		require.NoError(t, err)
		_, err = s.Append(t.Context(), "inventory-wh1:"+c.SKU, eventstore.Any, eventstore.EventData{
			ID:   eventstore.DeriveID(key, i),
			Type: "stock.counted.v1",
			Data: data,
			Metadata: eventstore.Metadata{
				CorrelationID: "corr-" + key, MessageID: uuid.NewString(), Source: "wms:acme-3pl",
			},
		})
		require.NoError(t, err)
		next := map[string][2]int64{}
		for k, v := range totals[i] {
			next[k] = v
		}
		cur := next[c.SKU]
		next[c.SKU] = [2]int64{cur[0] + c.Qty, cur[1] + 1}
		totals = append(totals, next)
	}
	return totals
}

func counts(n int) []stockCounted {
	out := make([]stockCounted, n)
	for i := range out {
		out[i] = stockCounted{SKU: fmt.Sprintf("SKU-%d", i%3), Qty: int64(i + 1)}
	}
	return out
}

// positions returns the positions of every stored event, in order.
func positions(t *testing.T, s eventstore.Store) []eventstore.Position {
	t.Helper()
	events, err := s.ReadAll(t.Context(), eventstore.Start, 10_000, eventstore.Filter{})
	require.NoError(t, err)
	out := make([]eventstore.Position, len(events))
	for i, ev := range events {
		out[i] = ev.Position
	}
	return out
}
