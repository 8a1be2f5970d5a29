package edifactdoc

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/crossdock-hub/crossdock/adapters/edi/edifact"
	"github.com/crossdock-hub/crossdock/domain"
	"github.com/crossdock-hub/crossdock/domain/order"
)

func TestORDRSP(t *testing.T) {
	rs := mapAll(t, readFile(t, "testdata/ordrsp.edi"), Options{})
	require.Len(t, rs, 2)

	ack := accepted(t, rs[0]).(order.Acknowledgment)
	require.Equal(t, "PO-4711", ack.PONumber)
	require.Equal(t, "AC", ack.AckType, "BGM 4343")
	require.True(t, ack.Accepted)
	require.Equal(t, "RSP-1001", ack.AckNumber)
	require.Equal(t, utc("2024-03-02T00:00:00Z"), ack.Date)

	eur := func(a string) *domain.Money { return &domain.Money{Amount: dec(a), Currency: "EUR"} }
	tests := []struct {
		name          string
		gtin          string
		status, code  string
		ordered, qty  domain.Quantity
		price         *domain.Money
		scheduledDate string
	}{
		{"5 accepted", "4012345678901", order.LineAccepted, "5", qty("30", "PCE"), qty("30", "PCE"), eur("12.5"), "2024-03-10T00:00:00Z"},
		{"3 changed to QTY+113", "4012345678918", order.LineChanged, "3", qty("20", "PCE"), qty("15", "PCE"), eur("7.25"), ""},
		{"7 not accepted commits zero", "4012345678925", order.LineRejected, "7", qty("10", "PCE"), qty("0", "PCE"), nil, ""},
		{"1 added has no canonical status", "4012345678932", order.LineOther, "1", domain.Quantity{}, qty("5", "PCE"), nil, ""},
	}
	require.Len(t, ack.Lines, len(tests))
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := ack.Lines[i]
			require.Equal(t, tt.gtin, l.Item.GTIN)
			require.Equal(t, tt.status, l.Status)
			require.Equal(t, tt.code, l.PartnerStatus)
			requireQty(t, tt.ordered, l.Ordered)
			requireQty(t, tt.qty, l.Quantity)
			if tt.price == nil {
				require.Nil(t, l.UnitPrice)
			} else {
				require.NotNil(t, l.UnitPrice)
				requireDec(t, tt.price.Amount.String(), l.UnitPrice.Amount)
				require.Equal(t, tt.price.Currency, l.UnitPrice.Currency)
			}
			if tt.scheduledDate == "" {
				require.True(t, l.ScheduledDate.IsZero())
			} else {
				require.Equal(t, utc(tt.scheduledDate), l.ScheduledDate)
			}
		})
	}
	require.True(t, hasWarning(rs[0].Warnings, `line "4" has action code "1"`))

	rejected := accepted(t, rs[1]).(order.Acknowledgment)
	require.Equal(t, "PO-4712", rejected.PONumber)
	require.Equal(t, "RE", rejected.AckType)
	require.False(t, rejected.Accepted, "a rejection of the whole order needs no lines")
	require.Empty(t, rejected.Lines)
}

func TestORDRSPChoices(t *testing.T) {
	base := []string{"BGM+231+R-1+29", "RFF+ON:PO-1", "LIN+1++4012345678901:EN", "QTY+21:8"}
	tests := []struct {
		name   string
		body   []string
		status string
		qty    domain.Quantity
	}{
		{"no 1229: the order's acceptance", base, order.LineAccepted, qty("8", "PCE")},
		{"no 1229 under a rejection", replace(base, 0, "BGM+231+R-1+27"), order.LineRejected, qty("0", "PCE")},
		{"QTY+12 when no QTY+113", append(replace(base, 2, "LIN+1+6+4012345678901:EN"), "QTY+12:6"), order.LineChanged, qty("6", "PCE")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ack := accepted(t, mapOne(t, interchange("ORDRSP", tt.body...), Options{})).(order.Acknowledgment)
			require.Len(t, ack.Lines, 1)
			require.Equal(t, tt.status, ack.Lines[0].Status)
			requireQty(t, tt.qty, ack.Lines[0].Quantity)
		})
	}
}

func TestORDRSPErrors(t *testing.T) {
	tests := []struct {
		name string
		body []string
		tag  string
		seg  int // body index; -1 for a missing segment
	}{
		{"no purchase order", []string{"BGM+231+R-1+29", "LIN+1++4012345678901:EN", "QTY+21:8"}, "RFF", -1},
		{"no answer", []string{"BGM+231+R-1", "RFF+ON:PO-1", "LIN+1++4012345678901:EN", "QTY+21:8"}, "BGM", 0},
		{"a changed line without quantities", []string{"BGM+231+R-1+4+AC", "RFF+ON:PO-1", "LIN+1+3+4012345678901:EN"}, "LIN", 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := mapOne(t, interchange("ORDRSP", tt.body...), Options{})
			require.Nil(t, r.Document)
			if tt.seg < 0 {
				require.Equal(t, tt.tag, r.Errors[0].Tag)
				require.Equal(t, edifact.CodeMissing, r.Errors[0].Code)
				return
			}
			errorAt(t, r, bodyStart+tt.seg, tt.tag)
		})
	}
}
