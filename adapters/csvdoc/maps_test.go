package csvdoc

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"

	"github.com/crossdock-hub/crossdock/domain"
)

var update = flag.Bool("update", false, "rewrite the testdata/*.golden files from the current output")

// identity maps every named field to the column of the same name.
func identity(fields ...string) map[string]string {
	m := map[string]string{}
	for _, f := range fields {
		m[f] = f
	}
	return m
}

// testdataMaps are the maps the files in testdata are written with.
var testdataMaps = map[string]Map{
	"inventory_canonical.csv": {
		Kind: domain.KindInventorySnapshot, Header: true,
		Columns: identity("sku", "upc", "description", "location", "on_hand",
			"available", "allocated", "unit", "as_of", "warehouse"),
	},
	// A 3PL's own stock export: semicolons, its own headers, US dates, units sometimes left out.
	"inventory_3pl.csv": {
		Kind: domain.KindInventorySnapshot, Comma: ';', Header: true, DateFormat: "01/02/2006", DefaultUnit: "EA",
		Columns: map[string]string{
			"warehouse": "Site", "sku": "Item Code", "upc": "Barcode", "location": "Bin",
			"on_hand": "Qty On Hand", "available": "qty avail", "unit": "UOM", "as_of": "Snapshot Date",
		},
	},
	"inventory_noheader.csv": {
		Kind: domain.KindInventorySnapshot, DefaultUnit: "EA",
		Columns: map[string]string{"sku": "1", "location": "2", "on_hand": "3", "available": "4"},
	},
	"receipts_canonical.csv": {
		Kind: domain.KindReceipt, Header: true,
		Columns: identity("receipt_number", "po_number", "asn_number", "received_at",
			"line_number", "sku", "gtin", "quantity", "unit", "damaged", "lot", "warehouse"),
	},
	"receipts_3pl.csv": {
		Kind: domain.KindReceipt, Header: true, DateFormat: "2006-01-02 15:04",
		Columns: map[string]string{
			"receipt_number": "Receipt #", "po_number": "PO #", "received_at": "Received", "line_number": "Ln",
			"sku": "Item", "upc": "UPC", "quantity": "Qty Received", "unit": "UOM", "damaged": "Qty Damaged",
			"lot": "Lot", "warehouse": "Whse",
		},
	},
	"ship_confirmations_canonical.csv": {
		Kind: domain.KindShipConfirmation, Header: true,
		Columns: identity("order_number", "po_number", "ship_date", "carrier_scac",
			"tracking_number", "line_number", "sku", "upc", "ordered", "shipped", "unit", "lot", "sscc"),
	},
	"ship_confirmations_3pl.tsv": {
		Kind: domain.KindShipConfirmation, Comma: '\t', Header: true, DateFormat: "2006-01-02 15:04",
		Columns: map[string]string{
			"order_number": "Order Ref", "po_number": "Customer PO", "ship_date": "Shipped On",
			"carrier_scac": "Carrier", "tracking_number": "Tracking", "line_number": "Line", "sku": "Item",
			"ordered": "Qty Ord", "shipped": "Qty Shipped", "unit": "UOM", "lot": "Lot", "sscc": "Carton SSCC",
		},
	},
}

func readTestdata(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	require.NoError(t, err)
	return b
}

// readFile reads a testdata file with its map and checks the whole output against its golden file.
func readFile(t *testing.T, name string) ([]domain.Document, []string) {
	t.Helper()
	m, ok := testdataMaps[name]
	require.True(t, ok, "no map for %s", name)
	docs, warnings, err := Read(bytes.NewReader(readTestdata(t, name)), m)
	require.NoError(t, err)

	got, err := json.MarshalIndent(struct {
		Documents []domain.Document
		Warnings  []string
	}{docs, warnings}, "", "  ")
	require.NoError(t, err)
	got = append(got, '\n')
	path := filepath.Join("testdata", strings.TrimSuffix(name, filepath.Ext(name))+".golden")
	if *update {
		require.NoError(t, os.WriteFile(path, got, 0o644))
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "run go test -update to create the golden file")
	require.Equal(t, string(want), string(got))
	return docs, warnings
}

func q(amount, unit string) domain.Quantity {
	return domain.Quantity{Amount: decimal.RequireFromString(amount), Unit: unit}
}

// requireQty compares by value: 12.50 EA equals 12.5 EA.
func requireQty(t *testing.T, want, got domain.Quantity, msg string) {
	t.Helper()
	require.True(t, want.Equal(got), "%s: want %s, got %s", msg, want, got)
}

func utc(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t.UTC()
}
