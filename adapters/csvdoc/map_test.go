package csvdoc

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/crossdock-hub/crossdock/domain"
)

func TestMapValidate(t *testing.T) {
	t.Parallel()
	for name, m := range testdataMaps {
		require.NoError(t, m.Validate(), name)
	}
	tests := []struct {
		name string
		m    Map
		errs []string
	}{
		{name: "kind not read from CSV", m: Map{Kind: domain.KindASN},
			errs: []string{`kind "asn" is not read from CSV (inventory_snapshot, receipt, ship_confirmation)`}},
		{name: "every problem at once", m: Map{Kind: domain.KindReceipt, Comma: '"', DefaultUnit: "EACH", DateFormat: "dd/mm/yyyy",
			Columns: map[string]string{"sku": "Item", "on_hand": "Qty", "lot": " "}},
			errs: []string{
				`comma '"' cannot separate fields`,
				`field "on_hand" is not a field of receipt`,
				"field lot: no column given",
				`field sku: column "Item" must be a 1-based index: the file has no header`,
				"receipt needs a column for receipt_number",
				"receipt needs a column for one of po_number, asn_number",
				"receipt needs a column for received_at",
				"receipt needs a column for quantity",
				`default unit: invalid unit of measure: "EACH" is longer than 3 characters`,
				`date format "dd/mm/yyyy" is not a Go time layout`,
			}},
		{name: "no item, no quantity, no unit", m: Map{Kind: domain.KindInventorySnapshot, Header: true,
			Columns: map[string]string{"location": "Bin"}},
			errs: []string{
				"inventory_snapshot needs a column for one of sku, upc, gtin, product",
				"inventory_snapshot needs a column for one of on_hand, available, allocated",
				"no unit column and no default unit",
			}},
		{name: "ship confirmation needs its key fields", m: Map{Kind: domain.KindShipConfirmation, Header: true, DefaultUnit: "EA",
			Columns: map[string]string{"sku": "sku"}},
			errs: []string{
				"ship_confirmation needs a column for order_number",
				"ship_confirmation needs a column for ship_date",
				"ship_confirmation needs a column for shipped",
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := tt.m.Validate()
			require.Error(t, err)
			for _, e := range tt.errs {
				require.ErrorContains(t, err, e)
			}
		})
	}
}

func TestFields(t *testing.T) {
	t.Parallel()
	require.Contains(t, Fields(domain.KindReceipt), "asn_number")
	require.Contains(t, Fields(domain.KindShipConfirmation), "sscc")
	require.Nil(t, Fields(domain.KindInvoice))
}
