package edifactdoc

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/crossdock-hub/crossdock/adapters/edi/edifact"
	"github.com/crossdock-hub/crossdock/domain"
	"github.com/crossdock-hub/crossdock/domain/inventory"
)

func TestINVRPT(t *testing.T) {
	r := mapOne(t, readFile(t, "testdata/invrpt.edi"), Options{})
	snap := accepted(t, r).(inventory.Snapshot)
	require.Equal(t, "WH1", snap.Warehouse, "header LOC+18")
	require.Equal(t, utc("2024-03-06T05:00:00Z"), snap.AsOf, "DTM+366, not DTM+137")
	require.Equal(t, "STOCK-0306", snap.ReportID)

	tests := []struct {
		item     domain.ItemRef
		location string
		qtys     map[string]domain.Quantity
		partner  map[string]string
	}{
		{domain.ItemRef{GTIN: "4012345678901", PartnerItem: "SKU-1"}, "",
			map[string]domain.Quantity{inventory.OnHand: qty("120", "PCE"), inventory.Allocated: qty("20", "PCE")},
			map[string]string{inventory.OnHand: "145", inventory.Allocated: "170"}},
		{domain.ItemRef{GTIN: "4012345678918"}, "BIN-A1",
			map[string]domain.Quantity{inventory.OnHand: qty("40", "PCE")},
			map[string]string{inventory.OnHand: "145"}},
		{domain.ItemRef{GTIN: "4012345678918"}, "BIN-B2",
			map[string]domain.Quantity{inventory.OnHand: qty("8", "PCE"), inventory.InTransit: qty("12", "PCE")},
			map[string]string{inventory.OnHand: "145", inventory.InTransit: "198"}},
	}
	require.Len(t, snap.Positions, len(tests))
	for i, tt := range tests {
		p := snap.Positions[i]
		require.Equal(t, tt.item, p.Item)
		require.Equal(t, tt.location, p.Location)
		require.Len(t, p.Quantities, len(tt.qtys))
		for k, q := range tt.qtys {
			requireQty(t, q, p.Quantities[k], "position %d %s", i, k)
		}
		require.Equal(t, tt.partner, p.PartnerQualifiers)
	}
}

func TestINVRPTUnknownQualifier(t *testing.T) {
	data := readFile(t, "testdata/invrpt_unknown_qualifier.edi")

	r := mapOne(t, data, Options{})
	e := errorAt(t, r, 7, "QTY") // UNB 1, UNH 2, BGM 3, DTM 4, LIN 5, QTY+145 6, QTY+146 7
	require.Equal(t, 1, e.Element)
	require.Equal(t, 1, e.Component)
	require.Equal(t, edifact.CodeNotSupportedValue, e.Code)
	require.Contains(t, e.Reason, `"146"`)

	// A partner whose 146 is agreed to mean something gets it mapped.
	opts := Options{InventoryQualifiers: map[string]string{"145": inventory.OnHand, "146": inventory.OnOrder}}
	snap := accepted(t, mapOne(t, data, opts)).(inventory.Snapshot)
	require.Len(t, snap.Positions, 1)
	requireQty(t, qty("500", "PCE"), snap.Positions[0].Quantities[inventory.OnOrder])
	require.Equal(t, "146", snap.Positions[0].PartnerQualifiers[inventory.OnOrder])
	require.Equal(t, utc("2024-03-07T00:00:00Z"), snap.AsOf)
}

func TestINVRPTErrors(t *testing.T) {
	tests := []struct {
		name string
		body []string
		seg  int // body index
		tag  string
		el   int
	}{
		{"145 and 17 both on hand", []string{"BGM+35+S-1", "DTM+366:20240301:102", "LIN+1++4012345678901:EN", "QTY+145:5", "QTY+17:6"}, 4, "QTY", 1},
		{"a location other than LOC+18 under a line", []string{"BGM+35+S-1", "DTM+366:20240301:102", "LIN+1++4012345678901:EN", "LOC+7+DOCK", "QTY+145:5"}, 3, "LOC", 1},
		{"an item without quantity", []string{"BGM+35+S-1", "DTM+366:20240301:102", "LIN+1++4012345678901:EN"}, 2, "LIN", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e := errorAt(t, mapOne(t, interchange("INVRPT", tt.body...), Options{}), bodyStart+tt.seg, tt.tag)
			require.Equal(t, tt.el, e.Element)
		})
	}
}
