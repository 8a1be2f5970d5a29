package commands_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"

	"github.com/crossdock-hub/crossdock/commands"
	"github.com/crossdock-hub/crossdock/domain"
	"github.com/crossdock-hub/crossdock/domain/order"
	"github.com/crossdock-hub/crossdock/eventstore"
)

// mapCrosswalk is the crosswalk of the tests: a few maps, per partner.
type mapCrosswalk struct {
	// products are the Odoo products a partner may name directly (ItemRef.Product).
	products map[string]bool
	// items maps "partner|identifier" (any of buyer item, partner item, GTIN, UPC) to a product.
	items map[string]string
	// units maps "partner|unit" to the canonical unit and how many of it one partner unit is.
	units                   map[string]unitRule
	overShip, priceVariance decimal.Decimal
}

type unitRule struct {
	unit   string
	factor decimal.Decimal
}

func (c mapCrosswalk) ResolveItem(partner string, ref domain.ItemRef) (string, bool) {
	if ref.Product != "" {
		return ref.Product, c.products[ref.Product]
	}
	for _, id := range []string{ref.BuyerItem, ref.PartnerItem, ref.GTIN, ref.UPC} {
		if p, ok := c.items[partner+"|"+id]; ok && id != "" {
			return p, true
		}
	}
	return "", false
}

func (c mapCrosswalk) ConvertUnit(partner string, q domain.Quantity) (domain.Quantity, bool) {
	rule, ok := c.units[partner+"|"+q.Unit]
	if !ok {
		return domain.Quantity{}, false
	}
	return domain.Quantity{Amount: q.Amount.Mul(rule.factor), Unit: rule.unit}, true
}

func (c mapCrosswalk) Tolerances(string) (decimal.Decimal, decimal.Decimal) {
	return c.overShip, c.priceVariance
}

// testCrosswalk knows partners acme (a supplier sending cases of 12), wh1 (a warehouse) and ups (a
// carrier): SKU-42 is acme's A-42 / UPC 012345678905 and wh1's W42, SKU-77 is acme's A-77 and wh1's W77.
func testCrosswalk() mapCrosswalk {
	one, twelve := decimal.NewFromInt(1), decimal.NewFromInt(12)
	return mapCrosswalk{
		products: map[string]bool{"SKU-42": true, "SKU-77": true, "SKU-99": true},
		items: map[string]string{
			"acme|A-42": "SKU-42", "acme|012345678905": "SKU-42", "acme|A-77": "SKU-77", "acme|A-99": "SKU-99",
			"wh1|W42": "SKU-42", "wh1|W77": "SKU-77", "wh1|W99": "SKU-99",
		},
		units: map[string]unitRule{
			"acme|CS": {"EA", twelve}, "acme|EA": {"EA", one}, "acme|PCE": {"EA", one},
			"wh1|EA": {"EA", one}, "wh1|CA": {"EA", twelve},
		},
		overShip:      decimal.NewFromInt(5),
		priceVariance: decimal.NewFromInt(2),
	}
}

func newDocumentHandler(t *testing.T, store commands.StreamStore) *commands.DocumentHandler {
	t.Helper()
	h, err := commands.NewDocumentHandler(store, testCrosswalk(), commands.DocumentConfig{Logger: testLogger(t), PageSize: 2})
	require.NoError(t, err)
	return h
}

// message is a message from partner with key.
func message(partner, key string) commands.Message {
	return commands.Message{
		ID: "msg-" + key, Key: key, CorrelationID: "corr-" + key, PartnerID: partner,
		Source: "api:" + partner, Actor: "partner:" + partner, ReceivedAt: receivedAt,
	}
}

func q(t *testing.T, amount, unit string) domain.Quantity {
	t.Helper()
	v, err := domain.ParseQuantity(amount, unit)
	require.NoError(t, err)
	return v
}

func dec(t *testing.T, s string) decimal.Decimal {
	t.Helper()
	d, err := decimal.NewFromString(s)
	require.NoError(t, err)
	return d
}

func decp(t *testing.T, s string) *decimal.Decimal {
	d := dec(t, s)
	return &d
}

var orderDate = time.Date(2026, 2, 20, 9, 0, 0, 0, time.UTC)

// placeOrder places PO P00042 with acme: 100 EA of SKU-42 at 2.50 (line 1), 10 EA of SKU-77 at 12 (line 2).
func placeOrder(t *testing.T, store commands.StreamStore) {
	t.Helper()
	h, err := commands.NewPlaceOrderHandler(store, commands.PlaceOrderConfig{Logger: testLogger(t)})
	require.NoError(t, err)
	_, err = h.Handle(t.Context(), commands.PlaceOrder{Message: message("acme", "po-P00042"), Order: purchaseOrder(t)})
	require.NoError(t, err)
}

func purchaseOrder(t *testing.T) order.PurchaseOrder {
	return order.PurchaseOrder{
		PONumber: "P00042", OrderDate: orderDate, Currency: "USD",
		Lines: []order.Line{
			{Number: "1", Item: domain.ItemRef{Product: "SKU-42"}, Quantity: q(t, "100", "EA"), UnitPrice: &domain.Money{Amount: dec(t, "2.50"), Currency: "USD"}},
			{Number: "2", Item: domain.ItemRef{Product: "SKU-77"}, Quantity: q(t, "10", "EA"), UnitPrice: &domain.Money{Amount: dec(t, "12"), Currency: "USD"}},
		},
	}
}

// allEvents reads the whole log.
func allEvents(t *testing.T, store eventstore.Store) []eventstore.Event {
	t.Helper()
	events, err := store.ReadAll(t.Context(), eventstore.Start, 1000, eventstore.Filter{})
	require.NoError(t, err)
	return events
}

func decode[T any](t *testing.T, ev eventstore.Event) T {
	t.Helper()
	var v T
	require.NoError(t, json.Unmarshal(ev.Data, &v), "decode %s", ev.Type)
	return v
}

func types(events []eventstore.Event) []string {
	out := make([]string, len(events))
	for i, ev := range events {
		out[i] = ev.Type
	}
	return out
}

func sqliteStore(t *testing.T) eventstore.Store { return stores["sqlite"](t) }
