package csvdoc

import (
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/crossdock-hub/crossdock/domain"
)

var (
	stockMap = Map{Kind: domain.KindInventorySnapshot, Header: true,
		Columns: identity("sku", "upc", "description", "location", "on_hand", "unit", "warehouse")}
	receiptMap = Map{Kind: domain.KindReceipt, Header: true,
		Columns: identity("receipt_number", "po_number", "received_at", "sku", "quantity", "unit", "damaged")}
	shipMap = Map{Kind: domain.KindShipConfirmation, Header: true, DefaultUnit: "EA",
		Columns: identity("order_number", "ship_date", "sku", "shipped", "sscc")}
)

func TestReadErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		m       Map
		csv     string
		want    Error
		message string
	}{
		{
			name: "not a decimal, on line 8 after a blank line",
			m:    Map{Kind: domain.KindInventorySnapshot, Header: true, Columns: identity("sku", "location", "on_hand", "unit")},
			csv: "sku,location,on_hand,unit\nA,L1,1,EA\nB,L1,2,EA\nC,L1,3,EA\nD,L1,4,EA\n\n" +
				"E,L1,5,EA\nF,L1,12x,EA\n",
			want:    Error{Line: 8, Column: 3, Field: "on_hand", Reason: `"12x" is not a decimal number`},
			message: `line 8, column 3 (on_hand): "12x" is not a decimal number`,
		},
		{
			name:    "a decimal comma under a 3PL header",
			m:       testdataMaps["inventory_3pl.csv"],
			csv:     "Site;Item Code;Barcode;Bin;Qty On Hand;Qty Avail;UOM;Snapshot Date\nEAST;SKU-1;;A;1,5;;EA;03/15/2024\n",
			want:    Error{Line: 2, Column: 5, Field: "on_hand", Name: "Qty On Hand", Reason: `"1,5" is not a decimal number`},
			message: `line 2, column 5 (on_hand, header "Qty On Hand"): "1,5" is not a decimal number`,
		},
		{
			name: "a quoted field over two lines moves the next field's line",
			m:    stockMap,
			csv:  "sku,upc,description,location,on_hand,unit,warehouse\nA,,\"two\nlines\",L1,x,EA,WH\n",
			want: Error{Line: 3, Column: 5, Field: "on_hand", Reason: `"x" is not a decimal number`},
		},
		{
			name:    "a row short of fields",
			m:       stockMap,
			csv:     "sku,upc,description,location,on_hand,unit,warehouse\nA,,,L1,1,EA,WH\r\nB,,,L1,1\r\n",
			want:    Error{Line: 3, Column: 6, Reason: "5 fields where the header has 7"},
			message: "line 3, column 6: 5 fields where the header has 7",
		},
		{
			name: "a row with a field too many",
			m:    stockMap,
			csv:  "sku,upc,description,location,on_hand,unit,warehouse\nA,,,L1,1,EA,WH,extra\n",
			want: Error{Line: 2, Column: 8, Reason: "8 fields where the header has 7"},
		},
		{
			name: "a row without a header, against the first row",
			m:    testdataMaps["inventory_noheader.csv"],
			csv:  "A,L1,1,1\nB,L2,2\n",
			want: Error{Line: 2, Column: 4, Reason: "3 fields where the first row has 4"},
		},
		{
			name: "a bare quote",
			m:    stockMap,
			csv:  "sku,upc,description,location,on_hand,unit,warehouse\nA,,12\" mug,L1,1,EA,WH\n",
			want: Error{Line: 2, Reason: `bare " in non-quoted-field (byte 6 of the line)`},
		},
		{
			name:    "a mapped column missing from the header",
			m:       Map{Kind: domain.KindInventorySnapshot, Header: true, DefaultUnit: "EA", Columns: map[string]string{"sku": "Item", "on_hand": "Qty"}},
			csv:     "Item,Quantity\nA,1\n",
			want:    Error{Line: 1, Field: "on_hand", Reason: `no column "Qty" in the header`},
			message: `line 1 (on_hand): no column "Qty" in the header`,
		},
		{
			name: "a header name twice",
			m:    Map{Kind: domain.KindInventorySnapshot, Header: true, DefaultUnit: "EA", Columns: map[string]string{"sku": "Item", "on_hand": "Qty"}},
			csv:  "Item,Qty,Qty\nA,1,2\n",
			want: Error{Line: 1, Column: 3, Field: "on_hand", Name: "Qty", Reason: `header "Qty" is also column 2: which one holds on_hand is ambiguous`},
		},
		{
			name: "an index beyond the first row",
			m:    Map{Kind: domain.KindInventorySnapshot, DefaultUnit: "EA", Columns: map[string]string{"sku": "1", "on_hand": "9"}},
			csv:  "A,1\n",
			want: Error{Line: 1, Field: "on_hand", Reason: "column 9 is mapped, the first row has 2 fields"},
		},
		{
			name: "Latin-1 bytes",
			m:    stockMap,
			csv:  "sku,upc,description,location,on_hand,unit,warehouse\nA,,M\xfcller,L1,1,EA,WH\n",
			want: Error{Line: 2, Column: 3, Field: "description", Reason: "not valid UTF-8 (is the file in another encoding?)"},
		},
		{
			name: "a unit that is not a code",
			m:    stockMap,
			csv:  "sku,upc,description,location,on_hand,unit,warehouse\nA,,,L1,1,EACH,WH\n",
			want: Error{Line: 2, Column: 6, Field: "unit", Reason: `invalid unit of measure: "EACH" is longer than 3 characters`},
		},
		{
			name: "no unit and no default",
			m:    stockMap,
			csv:  "sku,upc,description,location,on_hand,unit,warehouse\nA,,,L1,1,,WH\n",
			want: Error{Line: 2, Column: 6, Field: "unit", Reason: "no unit, and the map has no default unit"},
		},
		{
			name: "no item",
			m:    stockMap,
			csv:  "sku,upc,description,location,on_hand,unit,warehouse\n,,a mug,L1,1,EA,WH\n",
			want: Error{Line: 2, Column: 1, Field: "sku", Reason: "no item: sku, upc empty"},
		},
		{
			name: "a UPC in scientific notation",
			m:    stockMap,
			csv:  "sku,upc,description,location,on_hand,unit,warehouse\nA,1.23457E+11,,L1,1,EA,WH\n",
			want: Error{Line: 2, Column: 2, Field: "upc", Reason: `"1.23457E+11" is not all digits`},
		},
		{
			name: "no quantity in a stock row",
			m:    stockMap,
			csv:  "sku,upc,description,location,on_hand,unit,warehouse\nA,,,L1,,EA,WH\n",
			want: Error{Line: 2, Column: 5, Field: "on_hand", Reason: "no quantity: on_hand empty"},
		},
		{
			name: "the same item and location twice in a snapshot",
			m:    stockMap,
			csv:  "sku,upc,description,location,on_hand,unit,warehouse\nA,,,L1,1,EA,WH\nA,,,L2,1,EA,WH\nA,,,L1,3,EA,WH\n",
			want: Error{Line: 4, Column: 4, Field: "location", Reason: `A at location "L1" is already listed on line 2`},
		},
		{
			name: "two warehouses in one snapshot",
			m:    stockMap,
			csv:  "sku,upc,description,location,on_hand,unit,warehouse\nA,,,L1,1,EA,WH1\nB,,,L1,1,EA,\nC,,,L1,1,EA,WH2\n",
			want: Error{Line: 4, Column: 7, Field: "warehouse", Reason: `"WH2" differs from "WH1" on line 2: a snapshot file has one warehouse`},
		},
		{
			name: "a receipt row without receipt number",
			m:    receiptMap,
			csv:  "receipt_number,po_number,received_at,sku,quantity,unit,damaged\n,P1,2024-03-15,A,1,EA,\n",
			want: Error{Line: 2, Column: 1, Field: "receipt_number", Reason: "no receipt number"},
		},
		{
			name: "a receipt against nothing",
			m:    receiptMap,
			csv:  "receipt_number,po_number,received_at,sku,quantity,unit,damaged\nR1,,2024-03-15,A,1,EA,\nR1,,2024-03-15,B,1,EA,\n",
			want: Error{Line: 2, Column: 2, Field: "po_number", Reason: "receipt R1 names neither a PO nor an ASN"},
		},
		{
			name: "a receipt whose rows name two POs",
			m:    receiptMap,
			csv:  "receipt_number,po_number,received_at,sku,quantity,unit,damaged\nR1,P1,2024-03-15,A,1,EA,\nR2,P9,2024-03-15,A,1,EA,\nR1,P2,2024-03-15,B,1,EA,\n",
			want: Error{Line: 4, Column: 2, Field: "po_number", Reason: `"P2" differs from "P1" on line 2: receipt R1 has one po_number`},
		},
		{
			name: "a receipt whose rows name two dates",
			m:    receiptMap,
			csv:  "receipt_number,po_number,received_at,sku,quantity,unit,damaged\nR1,P1,2024-03-15,A,1,EA,\nR1,P1,2024-03-16,B,1,EA,\n",
			want: Error{Line: 3, Column: 3, Field: "received_at", Reason: `"2024-03-16T00:00:00Z" differs from "2024-03-15T00:00:00Z" on line 2: receipt R1 has one received_at`},
		},
		{
			name: "a receipt without date",
			m:    receiptMap,
			csv:  "receipt_number,po_number,received_at,sku,quantity,unit,damaged\nR1,P1,,A,1,EA,\n",
			want: Error{Line: 2, Column: 3, Field: "received_at", Reason: "receipt R1 has no received date"},
		},
		{
			name: "a negative quantity received",
			m:    receiptMap,
			csv:  "receipt_number,po_number,received_at,sku,quantity,unit,damaged\nR1,P1,2024-03-15,A,-3,EA,\n",
			want: Error{Line: 2, Column: 5, Field: "quantity", Reason: "-3 is negative"},
		},
		{
			name: "a date in no accepted form",
			m:    receiptMap,
			csv:  "receipt_number,po_number,received_at,sku,quantity,unit,damaged\nR1,P1,15.03.2024,A,3,EA,\n",
			want: Error{Line: 2, Column: 3, Field: "received_at", Reason: `"15.03.2024" is not a date (RFC 3339, or 2006-01-02)`},
		},
		{
			name: "a date not in the map's layout",
			m:    testdataMaps["ship_confirmations_3pl.tsv"],
			csv:  "Order Ref\tCustomer PO\tShipped On\tCarrier\tTracking\tLine\tItem\tQty Ord\tQty Shipped\tUOM\tLot\tCarton SSCC\nSO-1\t\t2024/03/20\t\t\t1\tA\t1\t1\tEA\t\t\n",
			want: Error{Line: 2, Column: 3, Field: "ship_date", Name: "Shipped On", Reason: `"2024/03/20" is not a date in the layout "2006-01-02 15:04"`},
		},
		{
			name: "an SSCC of the wrong length",
			m:    shipMap,
			csv:  "order_number,ship_date,sku,shipped,sscc\nSO-1,2024-03-15,A,1,12345\n",
			want: Error{Line: 2, Column: 5, Field: "sscc", Reason: `"12345" is not an SSCC (18 digits, or 20 starting 00)`},
		},
		{
			name: "nothing shipped",
			m:    shipMap,
			csv:  "order_number,ship_date,sku,shipped,sscc\nSO-1,2024-03-15,A,,\n",
			want: Error{Line: 2, Column: 4, Field: "shipped", Reason: "no quantity"},
		},
		{
			name: "an order without ship date",
			m:    shipMap,
			csv:  "order_number,ship_date,sku,shipped,sscc\nSO-1,,A,1,\n",
			want: Error{Line: 2, Column: 2, Field: "ship_date", Reason: "order SO-1 has no ship date"},
		},
		{
			name: "a header and no rows",
			m:    shipMap,
			csv:  "order_number,ship_date,sku,shipped,sscc\r\n\r\n",
			want: Error{Line: 1, Reason: "no data rows"},
		},
		{
			name:    "an empty file",
			m:       shipMap,
			csv:     "",
			want:    Error{Reason: "no data rows"},
			message: "no data rows",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			docs, _, err := Read(strings.NewReader(tt.csv), tt.m)
			require.Nil(t, docs)
			var e *Error
			require.True(t, errors.As(err, &e), "error %v is a *Error", err)
			require.Equal(t, tt.want, *e)
			if tt.message != "" {
				require.EqualError(t, err, tt.message)
			}
		})
	}
}

func TestReadWarnings(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		m        Map
		csv      string
		warnings []string
	}{
		{
			name: "a UPC that lost its leading zero, and one with a wrong check digit",
			m:    stockMap,
			csv:  "sku,upc,description,location,on_hand,unit,warehouse\nA,12345678905,,L1,1,EA,WH\nB,012345678900,,L1,1,EA,WH\n",
			warnings: []string{
				"line 2, column 2 (upc): 12345678905 has 11 digits: a spreadsheet may have dropped a leading zero",
				"line 3, column 2 (upc): 012345678900 has a wrong check digit",
				"no as_of date: the snapshot is as of the time it is received",
			},
		},
		{
			name:     "more damaged than received",
			m:        receiptMap,
			csv:      "receipt_number,po_number,received_at,sku,quantity,unit,damaged\nR1,P1,2024-03-15,A,2,EA,3\n",
			warnings: []string{"line 2, column 7 (damaged): 3 EA damaged of 2 EA received"},
		},
		{
			name:     "an SSCC with a wrong check digit",
			m:        shipMap,
			csv:      "order_number,ship_date,sku,shipped,sscc\nSO-1,2024-03-15,A,1,006141411234567891\n",
			warnings: []string{"line 2, column 5 (sscc): SSCC 006141411234567891 has a wrong check digit"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			docs, warnings, err := Read(strings.NewReader(tt.csv), tt.m)
			require.NoError(t, err)
			require.NotEmpty(t, docs)
			require.Equal(t, tt.warnings, warnings)
		})
	}
}

// An invalid map is reported before the file is read, and is not a file *Error.
func TestReadInvalidMap(t *testing.T) {
	t.Parallel()
	_, _, err := Read(strings.NewReader("a,b\n1,2\n"), Map{Kind: domain.KindInvoice})
	require.ErrorContains(t, err, `csv map: kind "invoice" is not read from CSV`)
	var e *Error
	require.False(t, errors.As(err, &e))
}
