package csvdoc

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/crossdock-hub/crossdock/domain"
)

func TestSniff(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		data    []byte
		ok      bool
		kind    string
		comma   rune
		columns map[string]string
	}{
		{name: "canonical stock file, BOM and CRLF", data: readTestdata(t, "inventory_canonical.csv"), ok: true,
			kind: domain.KindInventorySnapshot, comma: ',', columns: testdataMaps["inventory_canonical.csv"].Columns},
		{name: "canonical receipts", data: readTestdata(t, "receipts_canonical.csv"), ok: true,
			kind: domain.KindReceipt, comma: ',', columns: testdataMaps["receipts_canonical.csv"].Columns},
		{name: "canonical ship confirmations", data: readTestdata(t, "ship_confirmations_canonical.csv"), ok: true,
			kind: domain.KindShipConfirmation, comma: ',', columns: testdataMaps["ship_confirmations_canonical.csv"].Columns},
		{name: "semicolons, upper case names, an extra column", data: []byte("SKU;On_Hand;UNIT;Notes\nA;1;EA;x\n"), ok: true,
			kind: domain.KindInventorySnapshot, comma: ';', columns: map[string]string{"sku": "SKU", "on_hand": "On_Hand", "unit": "UNIT"}},
		{name: "tabs", data: []byte("order_number\tship_date\tsku\tshipped\tunit\n"), ok: true,
			kind: domain.KindShipConfirmation, comma: '\t', columns: identity("order_number", "ship_date", "sku", "shipped", "unit")},
		{name: "a 3PL's own header", data: readTestdata(t, "inventory_3pl.csv")},
		{name: "no unit column: no unit is guessed", data: []byte("sku,on_hand\nA,1\n")},
		{name: "no header at all", data: readTestdata(t, "inventory_noheader.csv")},
		{name: "empty", data: nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			m, ok := Sniff(tt.data)
			require.Equal(t, tt.ok, ok)
			if !ok {
				return
			}
			require.Equal(t, tt.kind, m.Kind)
			require.Equal(t, tt.comma, m.Comma)
			require.True(t, m.Header)
			require.Equal(t, tt.columns, m.Columns)
			// What Sniff finds reads the file.
			docs, _, err := Read(bytes.NewReader(tt.data), m)
			if len(bytes.Split(bytes.TrimSpace(tt.data), []byte("\n"))) > 1 {
				require.NoError(t, err)
				require.Equal(t, tt.kind, docs[0].Kind())
			}
		})
	}
}
