package edifactdoc

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/crossdock-hub/crossdock/adapters/edi/edifact"
	"github.com/crossdock-hub/crossdock/domain/invoice"
)

// invoiceBody is a minimal valid INVOIC: two lines, 10 x 2.5 and 4 x 5, tax 9, total 54.
func invoiceBody() []string {
	return []string{
		"BGM+380+INV-1+9",
		"DTM+137:20240301:102",
		"RFF+ON:PO-1",
		"CUX+2:EUR:4",
		"LIN+1++4012345678901:EN",
		"QTY+47:10:PCE",
		"MOA+203:25",
		"PRI+AAA:2.5",
		"LIN+2++SKU-2:SA",
		"QTY+47:4:PCE",
		"PRI+AAA:5",
		"UNS+S",
		"MOA+79:45",
		"MOA+124:9",
		"MOA+77:54",
	}
}

func TestINVOICChoices(t *testing.T) {
	tests := []struct {
		name  string
		body  []string
		check func(t *testing.T, inv invoice.Invoice, r Result)
	}{
		{"the minimal invoice", invoiceBody(), func(t *testing.T, inv invoice.Invoice, r Result) {
			require.Equal(t, "INV-1", inv.InvoiceNumber)
			require.Equal(t, "EUR", inv.Currency)
			require.Equal(t, utc("2024-03-01T00:00:00Z"), inv.InvoiceDate)
			require.Nil(t, inv.Lines[1].Amount, "no MOA+203: the amount is quantity × price")
			requireDec(t, "54", *inv.Total)
			requireDec(t, "9", *inv.Tax)
			require.True(t, inv.Reconciles())
			require.Empty(t, r.Warnings)
		}},
		{"credit note", replace(invoiceBody(), 0, "BGM+381+CN-1+9"), func(t *testing.T, inv invoice.Invoice, _ Result) {
			require.Equal(t, invoice.TypeCredit, inv.Type)
			require.Equal(t, "CN-1", inv.InvoiceNumber)
		}},
		{"DTM+3 wins over DTM+137", insert(invoiceBody(), 1, "DTM+3:20240229:102"), func(t *testing.T, inv invoice.Invoice, _ Result) {
			require.Equal(t, utc("2024-02-29T00:00:00Z"), inv.InvoiceDate)
		}},
		{"an unused date is not read", insert(invoiceBody(), 1, "DTM+4:19999715:102"), func(t *testing.T, inv invoice.Invoice, _ Result) {
			require.Equal(t, utc("2024-03-01T00:00:00Z"), inv.InvoiceDate)
		}},
		{"total preference: MOA+77 over MOA+128, with a warning when they differ", append(invoiceBody(), "MOA+128:55"), func(t *testing.T, inv invoice.Invoice, r Result) {
			requireDec(t, "54", *inv.Total)
			require.True(t, hasWarning(r.Warnings, "MOA+128 says 55, MOA+77 54"))
		}},
		{"MOA+79 that disagrees with the lines", replace(invoiceBody(), 12, "MOA+79:46"), func(t *testing.T, _ invoice.Invoice, r Result) {
			require.True(t, hasWarning(r.Warnings, "MOA+79 (total of the line amounts) says 46, the lines add up to 45"))
		}},
		{"a total that does not reconcile is the domain's warning", replace(invoiceBody(), 14, "MOA+77:60"), func(t *testing.T, inv invoice.Invoice, r Result) {
			require.False(t, inv.Reconciles())
			require.True(t, hasWarning(r.Warnings, "total 60 does not reconcile"))
		}},
		{"MOA+176 is the tax; several MOA+124 add up", append(invoiceBody()[:13], "TAX+7+VAT+++:::19", "MOA+124:5", "TAX+7+VAT+++:::7", "MOA+124:4", "MOA+176:9", "MOA+77:54"),
			func(t *testing.T, inv invoice.Invoice, r Result) {
				requireDec(t, "9", *inv.Tax)
				require.True(t, inv.Reconciles())
				require.Empty(t, r.Warnings)
			}},
		{"header allowance and summary restatement", append(insert(insert(replace(invoiceBody(), 14, "MOA+77:49"), 4, "MOA+204:5"), 4, "ALC+A+++1+:::DISCOUNT"), "ALC+A", "MOA+8:5"),
			func(t *testing.T, inv invoice.Invoice, r Result) {
				require.Len(t, inv.Charges, 1)
				require.True(t, inv.Charges[0].Allowance)
				requireDec(t, "5", inv.Charges[0].Amount)
				require.Equal(t, "DISCOUNT", inv.Charges[0].Description)
				require.True(t, inv.Reconciles(), "45 - 5 + 9 = 49: the summary ALC restates the header's and is not counted again")
			}},
		{"a line-level allowance is in the line amount", insert(insert(invoiceBody(), 7, "MOA+204:3"), 7, "ALC+A"),
			func(t *testing.T, inv invoice.Invoice, _ Result) {
				require.Empty(t, inv.Charges)
				requireDec(t, "25", *inv.Lines[0].Amount, "the ALC's MOA+204 is not the line amount")
			}},
		{"price per basis quantity", replace(invoiceBody(), 10, "PRI+AAA:50:::10"), func(t *testing.T, inv invoice.Invoice, _ Result) {
			requireDec(t, "5", inv.Lines[1].UnitPrice)
		}},
		{"net price preferred over gross", insert(invoiceBody(), 7, "PRI+AAB:3"), func(t *testing.T, inv invoice.Invoice, _ Result) {
			requireDec(t, "2.5", inv.Lines[0].UnitPrice)
		}},
		{"a summary amount in another currency is left out", append(invoiceBody(), "MOA+77:60:USD"), func(t *testing.T, inv invoice.Invoice, r Result) {
			requireDec(t, "54", *inv.Total)
			require.True(t, hasWarning(r.Warnings, `is in USD, the invoice in EUR`))
		}},
		{"line PO reference gives the PO line", insert(invoiceBody(), 8, "RFF+ON:PO-1:20"), func(t *testing.T, inv invoice.Invoice, _ Result) {
			require.Equal(t, "20", inv.Lines[0].POLine)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := mapOne(t, interchange("INVOIC", tt.body...), Options{})
			tt.check(t, accepted(t, r).(invoice.Invoice), r)
		})
	}
}

func TestINVOICErrors(t *testing.T) {
	tests := []struct {
		name     string
		body     []string
		seg      int // body index; -1 for a missing segment
		tag      string
		el, comp int
		code     string
	}{
		{"no purchase order", remove(invoiceBody(), 2), -1, "RFF", 0, 0, edifact.CodeMissing},
		{"no invoice date", remove(invoiceBody(), 1), -1, "DTM", 0, 0, edifact.CodeMissing},
		{"pro-forma invoice", replace(invoiceBody(), 0, "BGM+325+PF-1+9"), 0, "BGM", 1, 1, edifact.CodeNotSupportedValue},
		{"cancellation", replace(invoiceBody(), 0, "BGM+380+INV-1+1"), 0, "BGM", 3, 0, edifact.CodeNotSupportedValue},
		{"no invoice number", replace(invoiceBody(), 0, "BGM+380"), 0, "BGM", 2, 1, edifact.CodeMissing},
		{"no invoiced quantity", remove(invoiceBody(), 5), 4, "LIN", 0, 0, edifact.CodeMissing},
		{"no price", remove(invoiceBody(), 10), 8, "LIN", 0, 0, edifact.CodeMissing},
		{"bad amount", replace(invoiceBody(), 6, "MOA+203:2,5,0"), 6, "MOA", 1, 2, edifact.CodeInvalidDecimal},
		{"zero price basis", replace(invoiceBody(), 10, "PRI+AAA:50:::0"), 10, "PRI", 1, 5, edifact.CodeInvalidValue},
		{"unknown allowance qualifier", insert(invoiceBody(), 4, "ALC+X"), 4, "ALC", 1, 0, edifact.CodeNotSupportedValue},
		{"invalid invoice date", replace(invoiceBody(), 1, "DTM+137:20240230:102"), 1, "DTM", 1, 2, edifact.CodeInvalidValue},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := mapOne(t, interchange("INVOIC", tt.body...), Options{})
			require.Nil(t, r.Document)
			var e *edifact.Error
			if tt.seg < 0 {
				for _, x := range r.Errors {
					if x.Tag == tt.tag && x.Segment == 0 {
						e = x
					}
				}
				require.NotNil(t, e, "want a missing %s, have %v", tt.tag, r.Errors)
			} else {
				e = errorAt(t, r, bodyStart+tt.seg, tt.tag)
			}
			require.Equal(t, tt.el, e.Element, e.Error())
			require.Equal(t, tt.comp, e.Component, e.Error())
			require.Equal(t, tt.code, e.Code, e.Error())
		})
	}
}
