package webhooks

import (
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"

	"github.com/crossdock-hub/crossdock/domain"
	"github.com/crossdock-hub/crossdock/domain/inventory"
)

func qty(amount string) domain.Quantity {
	return domain.Quantity{Amount: decimal.RequireFromString(amount), Unit: "EA"}
}

// requireQuantities compares quantities by value (12 EA equals 12.0 EA).
func requireQuantities(t *testing.T, want, got map[string]domain.Quantity) {
	t.Helper()
	require.Len(t, got, len(want))
	for q, w := range want {
		require.True(t, w.Equal(got[q]), "%s: want %s, got %s", q, w, got[q])
	}
}

func TestShipHeroInventoryUpdate(t *testing.T) {
	t.Parallel()
	res, err := Parse(FormatShipHero, fixture(t, "shiphero_inventory-update_docs-example.json"))
	require.NoError(t, err)
	require.Empty(t, res.MessageID, "ShipHero bodies carry no event id")
	require.Equal(t, []string{"an Inventory Update states no as-of instant: the time it is received applies"}, res.Warnings)
	require.Len(t, res.Documents, 1)
	snap, ok := res.Document.(inventory.Snapshot)
	require.True(t, ok, "document is a %T", res.Document)
	require.Equal(t, domain.KindInventorySnapshot, snap.Kind())
	// The warehouse's own figures (updated_warehouse), not the account-wide totals beside them.
	require.Equal(t, "12345", snap.Warehouse)
	require.True(t, snap.AsOf.IsZero())
	require.Len(t, snap.Positions, 1)
	p := snap.Positions[0]
	require.Equal(t, domain.ItemRef{PartnerItem: "string"}, p.Item)
	requireQuantities(t, map[string]domain.Quantity{inventory.OnHand: qty("48"), inventory.Available: qty("13")}, p.Quantities)
	require.Equal(t, map[string]string{inventory.OnHand: "on_hand", inventory.Available: "inventory"}, p.PartnerQualifiers)
	checkGolden(t, "shiphero_inventory-update_docs-example.json", res)
}

func TestShipHeroInventoryUpdateSnapshotPerWarehouse(t *testing.T) {
	t.Parallel()
	res, err := Parse(FormatShipHero, sample(t, "shiphero_inventory-update_two-warehouses.json"))
	require.NoError(t, err)
	require.Len(t, res.Documents, 2)
	require.Equal(t, res.Documents[0], res.Document)

	east := res.Documents[0].(inventory.Snapshot)
	require.Equal(t, "111", east.Warehouse)
	require.Len(t, east.Positions, 2)
	require.Equal(t, "MUG-RED", east.Positions[0].Item.PartnerItem)
	// Strings and integers alike.
	requireQuantities(t, map[string]domain.Quantity{inventory.OnHand: qty("12"), inventory.Available: qty("7")}, east.Positions[0].Quantities)
	require.Equal(t, "MUG-BLUE", east.Positions[1].Item.PartnerItem)
	// A decimal string is accepted as sent: ShipHero counts units, but rounding it would invent stock.
	requireQuantities(t, map[string]domain.Quantity{inventory.OnHand: qty("6"), inventory.Available: qty("4.5")}, east.Positions[1].Quantities)

	west := res.Documents[1].(inventory.Snapshot)
	require.Equal(t, "222", west.Warehouse)
	require.Len(t, west.Positions, 1)
	// Available can be negative (oversold).
	requireQuantities(t, map[string]domain.Quantity{inventory.OnHand: qty("3"), inventory.Available: qty("-2")}, west.Positions[0].Quantities)
}

func TestShipHeroInventoryChange(t *testing.T) {
	t.Parallel()
	res, err := Parse(FormatShipHero, fixture(t, "shiphero_inventory-change_docs-example.json"))
	require.NoError(t, err)
	adj, ok := res.Document.(inventory.Adjustment)
	require.True(t, ok, "document is a %T", res.Document)
	require.Equal(t, domain.KindInventoryAdjustment, adj.Kind())
	require.Equal(t, "76733", adj.Warehouse)
	require.Equal(t, domain.ItemRef{PartnerItem: "LOT01"}, adj.Item)
	require.Equal(t, "AA-05-01-01", adj.Location)
	require.True(t, qty("10").Equal(adj.Change), "change %s", adj.Change)
	require.True(t, qty("110").Equal(adj.Previous), "previous %s", adj.Previous)
	require.Equal(t, "Change from the product page via the ShipHero Web Dashboard.", adj.Reason)
	require.Equal(t, utc("2025-02-03T13:19:30Z"), adj.At)
	require.Equal(t, []string{`/timestamp: "2025-02-03 13:19:30" has no UTC offset: read as UTC`}, res.Warnings)
	checkGolden(t, "shiphero_inventory-change_docs-example.json", res)
}

func TestShipHeroInventoryChangeNegativeWithoutPrevious(t *testing.T) {
	t.Parallel()
	res, err := Parse(FormatShipHero, []byte(`{"webhook_type":"Inventory Change","warehouse_id":"W9","sku":"S1",
		"quantity":-3,"timestamp":"2025-02-03T13:19:30Z","source":"cycle count"}`))
	require.NoError(t, err)
	adj := res.Document.(inventory.Adjustment)
	require.True(t, qty("-3").Equal(adj.Change))
	require.True(t, adj.Previous.IsZero())
	require.Equal(t, "cycle count", adj.Reason, "source stands in for a missing reason")
	require.Empty(t, res.Warnings)
}
