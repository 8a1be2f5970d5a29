package edifactdoc

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/crossdock-hub/crossdock/adapters/edi/edifact"
	"github.com/crossdock-hub/crossdock/domain"
	"github.com/crossdock-hub/crossdock/domain/invoice"
	"github.com/crossdock-hub/crossdock/domain/order"
)

// wantInvoiceLine is what one invoice line must say.
type wantInvoiceLine struct {
	number, item, qty, unit, price, amount string
	buyerItem                              bool // item is the buyer's number (else the partner's)
	description                            string
}

func checkInvoiceLines(t *testing.T, want []wantInvoiceLine, got []invoice.Line) {
	t.Helper()
	require.Len(t, got, len(want))
	for i, w := range want {
		l := got[i]
		require.Equal(t, w.number, l.Number)
		if w.buyerItem {
			require.Equal(t, w.item, l.Item.BuyerItem)
		} else {
			require.Equal(t, w.item, l.Item.PartnerItem)
		}
		require.Equal(t, w.description, l.Item.Description)
		requireQty(t, qty(w.qty, w.unit), l.Quantity, "line %s", w.number)
		requireDec(t, w.price, l.UnitPrice, "unit price of line %s", w.number)
		require.NotNil(t, l.Amount, "line %s states its amount", w.number)
		requireDec(t, w.amount, *l.Amount, "amount of line %s", w.number)
	}
}

func TestSharedFixtures(t *testing.T) {
	tests := []struct {
		name  string
		path  func(t *testing.T) string
		check func(t *testing.T, rs []Result)
	}{
		{
			// UNA sets a decimal comma: MOA+66:19,9 and PRI+AAA:2,5. Syntax version 2 makes the
			// lower-case and umlaut text a reader warning, not an error.
			name: "INVOIC D93A decimal comma",
			path: func(t *testing.T) string { return fixturePath(t, "INVOIC_D93A_staedi_una_decimal-comma.edi") },
			check: func(t *testing.T, rs []Result) {
				require.Len(t, rs, 1)
				inv := accepted(t, rs[0]).(invoice.Invoice)
				require.Equal(t, "9908001", inv.InvoiceNumber)
				require.Equal(t, invoice.TypeDebit, inv.Type)
				require.Equal(t, utc("1999-08-02T00:00:00Z"), inv.InvoiceDate)
				require.Equal(t, "O0010001", inv.PONumber)
				require.Equal(t, []domain.Party{{Role: "SE", Name: "Fahrradhandel Pedal"}, {Role: "BY", Name: "Huber GmbH"}}, inv.Parties)
				checkInvoiceLines(t, []wantInvoiceLine{
					{number: "1", item: "4711.001", qty: "1", unit: "PCE", price: "750", amount: "750", description: "Fahrrad, Damen"},
					{number: "2", item: "4711.002", qty: "1", unit: "PCE", price: "19.9", amount: "19.9", description: "Luftpumpe, Stand-"},
					{number: "3", item: "4711.003", qty: "3", unit: "PCE", price: "2.5", amount: "7.5", description: "Ersatzventil"},
				}, inv.Lines)
				require.NotNil(t, inv.Tax)
				requireDec(t, "124.38", *inv.Tax)
				require.NotNil(t, inv.Total)
				requireDec(t, "901.78", *inv.Total, "the total is MOA+128")
				requireDec(t, "901.78", inv.Computed(), "lines 777.4 (= MOA+79) plus tax 124.38")
				require.True(t, inv.Reconciles())
				require.Empty(t, rs[0].Warnings, "MOA+79 agrees with the lines and the total reconciles")
				require.Empty(t, inv.Charges)
			},
		},
		{
			// UNOA syntax 3 with a 'Ü': the reader rejects the message (code 21), so Map gives no
			// document.
			name: "INVOIC D97B charset violation",
			path: func(t *testing.T) string { return fixturePath(t, "INVOIC_D97B_staedi.edi") },
			check: func(t *testing.T, rs []Result) {
				require.Len(t, rs, 1)
				e := errorAt(t, rs[0], 7, "NAD")
				require.Equal(t, edifact.CodeInvalidCharacter, e.Code)
				require.Equal(t, 4, e.Element)
				require.Contains(t, rs[0].Message.Errors, e, "the reader's own error, not a copy")
			},
		},
		{
			// The same file with the 'Ü' written "UE": what the content means once the charset is
			// not in the way.
			name: "INVOIC D97B content",
			path: func(*testing.T) string { return "testdata/INVOIC_D97B_staedi_UE.edi" },
			check: func(t *testing.T, rs []Result) {
				require.Len(t, rs, 1)
				inv := accepted(t, rs[0]).(invoice.Invoice)
				require.Equal(t, "342459", inv.InvoiceNumber)
				require.Equal(t, utc("2006-05-15T00:00:00Z"), inv.InvoiceDate)
				require.Equal(t, "521052", inv.PONumber)
				require.Equal(t, "USD", inv.Currency)
				require.Equal(t, invoice.TypeDebit, inv.Type)
				require.Equal(t, domain.Party{Role: "SE", ID: "005435656", IDQualifier: "16", Name: "BUETTNER WIDGET COMPANY"}, inv.Parties[1])
				checkInvoiceLines(t, []wantInvoiceLine{
					{number: "1", item: "157870", buyerItem: true, qty: "1020", unit: "EA", price: "1.179", amount: "1202.58", description: "WIDGET"},
					{number: "2", item: "157871", buyerItem: true, qty: "20", unit: "EA", price: "20.5", amount: "410", description: "DIFFERENT WIDGET"},
				}, inv.Lines)
				require.Len(t, inv.Charges, 1)
				require.False(t, inv.Charges[0].Allowance)
				require.Equal(t, "ABG", inv.Charges[0].Code)
				requireDec(t, "525", inv.Charges[0].Amount)
				require.Nil(t, inv.Tax)
				require.NotNil(t, inv.Total)
				requireDec(t, "2137.58", *inv.Total, "the total is MOA+39")
				require.True(t, inv.Reconciles(), "1202.58 + 410 + 525 = 2137.58")
				require.Empty(t, rs[0].Warnings)
			},
		},
		{
			// UNT says 21 segments, there are 18: the reader records it on the message, and the
			// message never becomes a document.
			name: "ORDERS D96B bad UNT count",
			path: func(t *testing.T) string { return fixturePath(t, "ORDERS_D96B_EAN008_staedi_UNG-group.edi") },
			check: func(t *testing.T, rs []Result) {
				require.Len(t, rs, 1)
				require.NotNil(t, rs[0].Group, "the message is inside UNG")
				require.NotEmpty(t, rs[0].Message.Errors)
				e := errorAt(t, rs[0], 20, "UNT")
				require.Equal(t, edifact.CodeCountMismatch, e.Code)
				require.True(t, rs[0].Rejected())
			},
		},
		{
			// The same message with its count corrected: the EANCOM order it holds.
			name: "ORDERS D96B content",
			path: func(*testing.T) string { return "testdata/ORDERS_D96B_EAN008_staedi_UNT-fixed.edi" },
			check: func(t *testing.T, rs []Result) {
				require.Len(t, rs, 1)
				po := accepted(t, rs[0]).(order.PurchaseOrder)
				require.Equal(t, "C1441747", po.PONumber)
				require.Equal(t, "original", po.Purpose)
				require.Equal(t, utc("2001-05-02T22:00:00Z"), po.OrderDate, "DTM+137 format 203")
				require.Equal(t, "5013546107732", po.Supplier)
				require.Len(t, po.Lines, 1)
				l := po.Lines[0]
				require.Equal(t, "1", l.Number)
				require.Equal(t, domain.ItemRef{GTIN: "5400111864181", BuyerItem: "8641800", Description: "WIDGETS"}, l.Item)
				requireQty(t, qty("288", "PCE"), l.Quantity, "QTY+21 without a unit counts pieces")
				require.NotNil(t, l.UnitPrice)
				requireDec(t, "12.80", l.UnitPrice.Amount)
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f, err := edifact.Parse(readFile(t, tt.path(t)))
			require.NoError(t, err)
			tt.check(t, Map(f, Options{}))
		})
	}
}
