package edifactdoc

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/crossdock-hub/crossdock/adapters/edi/edifact"
	"github.com/crossdock-hub/crossdock/domain"
	"github.com/crossdock-hub/crossdock/domain/order"
)

func TestORDERSInbound(t *testing.T) {
	po := accepted(t, mapOne(t, readFile(t, "testdata/orders.edi"), Options{})).(order.PurchaseOrder)
	require.Equal(t, "PO-4711", po.PONumber)
	require.Equal(t, "original", po.Purpose)
	require.Equal(t, utc("2024-03-01T00:00:00Z"), po.OrderDate)
	require.Equal(t, utc("2024-03-10T00:00:00Z"), po.RequestedDelivery)
	require.Equal(t, "EUR", po.Currency)
	require.Equal(t, "5412345000013", po.Supplier)
	require.Equal(t, []domain.Party{
		{Role: "BY", ID: "5498765000017", IDQualifier: "9", Name: "CROSSDOCK DISTRIBUTION"},
		{Role: "SU", ID: "5412345000013", IDQualifier: "9", Name: "ACME SUPPLIES"},
	}, po.Parties)
	require.Len(t, po.Lines, 2)
	require.Equal(t, domain.ItemRef{GTIN: "4012345678901", PartnerItem: "SKU-1", BuyerItem: "P-100", Description: "BLUE WIDGET"},
		po.Lines[0].Item, "an untyped number in an ORDERS is the buyer's")
	requireQty(t, qty("30", "PCE"), po.Lines[0].Quantity)
	requireDec(t, "12.5", po.Lines[0].UnitPrice.Amount)
	require.Equal(t, "EUR", po.Lines[0].UnitPrice.Currency)
	requireDec(t, "14.5", po.Lines[1].UnitPrice.Amount, "PRI 145 per 10 units")
	require.NotNil(t, po.Total)
	requireDec(t, "665", po.Total.Amount)
}

func samplePO() order.PurchaseOrder {
	eur := func(a string) *domain.Money { return &domain.Money{Amount: dec(a), Currency: "EUR"} }
	return order.PurchaseOrder{
		PONumber:          "PO-4711",
		Purpose:           "replace",
		OrderDate:         utc("2024-03-01T09:30:00Z"),
		RequestedDelivery: utc("2024-03-10T00:00:00Z"),
		Currency:          "EUR",
		Supplier:          "5412345000013",
		Parties: []domain.Party{
			{Role: "BY", ID: "5498765000017", IDQualifier: "9", Name: "Crossdock Distribution GmbH"},
			{Role: "ST", ID: "WH1", IDQualifier: "92", Name: "Lager Süd: Tor 3+4"},
		},
		Lines: []order.Line{
			{Number: "1", Item: domain.ItemRef{Product: "SKU-42", GTIN: "4012345678901", UPC: "012345678905",
				PartnerItem: "ACME-42", Description: "Widget, blue (pack of 12) with a long description in two parts"},
				Quantity: qty("30", "PCE"), UnitPrice: eur("12.5")},
			{Number: "2", Item: domain.ItemRef{BuyerItem: "SKU-7", PartnerItem: "ACME-7"}, Quantity: qty("2.75", "KGM"), UnitPrice: eur("19.90")},
			{Number: "3", Item: domain.ItemRef{UPC: "036000291452"}, Quantity: qty("1", "EA")},
		},
		Total: eur("444.7"),
	}
}

func sampleEnvelope() Envelope {
	return Envelope{Sender: "5498765000017", SenderQualifier: "14", Recipient: "5412345000013", RecipientQualifier: "14",
		Reference: "CD000042", Prepared: time.Date(2024, 3, 1, 10, 15, 0, 0, time.FixedZone("CET", 3600))}
}

func TestEncodeORDERSRoundTrip(t *testing.T) {
	tests := []struct {
		name string
		env  func(Envelope) Envelope
	}{
		{"defaults", func(e Envelope) Envelope { return e }},
		{"decimal comma and other delimiters", func(e Envelope) Envelope {
			e.Delimiters = edifact.Delimiters{Component: ':', Element: '|', Decimal: ',', Release: '?', Segment: '~'}
			e.LineBreaks = true
			return e
		}},
		{"UNOW syntax 4", func(e Envelope) Envelope { e.Syntax, e.SyntaxVersion = "UNOW", 4; return e }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			po := samplePO()
			env := tt.env(sampleEnvelope())
			data, err := EncodeORDERS(po, env)
			require.NoError(t, err)

			f, err := edifact.Parse(data)
			require.NoError(t, err)
			require.NoError(t, f.Err())
			ic := f.Interchanges[0]
			require.Equal(t, "CD000042", ic.Reference)
			require.Equal(t, "5498765000017", ic.Sender)
			require.Equal(t, utc("2024-03-01T09:15:00Z"), ic.Prepared, "UNB in UTC")
			require.Len(t, ic.Messages, 1)
			require.Equal(t, "ORDERS", ic.Messages[0].Type)
			require.Equal(t, "96A", ic.Messages[0].Release)

			rs := Map(f, Options{})
			require.Len(t, rs, 1)
			got := accepted(t, rs[0]).(order.PurchaseOrder)

			want := samplePO()
			// Our product code travels as the buyer's item number; the Supplier becomes a NAD+SU.
			want.Lines[0].Item.BuyerItem, want.Lines[0].Item.Product = want.Lines[0].Item.Product, ""
			want.Parties = append(want.Parties, domain.Party{Role: "SU", ID: "5412345000013"})
			require.Equal(t, want.PONumber, got.PONumber)
			require.Equal(t, want.Purpose, got.Purpose)
			require.Equal(t, want.OrderDate, got.OrderDate, "DTM format 203 keeps the time")
			require.Equal(t, want.RequestedDelivery, got.RequestedDelivery)
			require.Equal(t, want.Currency, got.Currency)
			require.Equal(t, want.Supplier, got.Supplier)
			require.Equal(t, want.Parties, got.Parties)
			require.Len(t, got.Lines, len(want.Lines))
			for i, w := range want.Lines {
				g := got.Lines[i]
				require.Equal(t, w.Number, g.Number)
				require.Equal(t, w.Item, g.Item)
				requireQty(t, w.Quantity, g.Quantity)
				if w.UnitPrice == nil {
					require.Nil(t, g.UnitPrice)
				} else {
					requireDec(t, w.UnitPrice.Amount.String(), g.UnitPrice.Amount)
					require.Equal(t, w.UnitPrice.Currency, g.UnitPrice.Currency)
				}
			}
			requireDec(t, "444.7", got.Total.Amount)
			if env.Delimiters.Decimal == ',' {
				require.Contains(t, string(data), "QTY|21:2,75:KGM~", "amounts use the envelope's decimal mark")
			}
		})
	}
}

func TestEncodeORDERSRefuses(t *testing.T) {
	tests := []struct {
		name   string
		po     func(*order.PurchaseOrder)
		env    func(*Envelope)
		reason string
	}{
		{"no number", func(po *order.PurchaseOrder) { po.PONumber = "" }, nil, "po_number is required"},
		{"unknown purpose", func(po *order.PurchaseOrder) { po.Purpose = "amend" }, nil, `purpose "amend"`},
		{"no lines", func(po *order.PurchaseOrder) { po.Lines = nil }, nil, "at least one line"},
		{"line number too long", func(po *order.PurchaseOrder) { po.Lines[0].Number = "1234567" }, nil, "LIN 1082 is an..6"},
		{"zero quantity", func(po *order.PurchaseOrder) { po.Lines[1].Quantity = qty("0", "KGM") }, nil, "lines/1/quantity"},
		{"price in another currency", func(po *order.PurchaseOrder) { po.Lines[1].UnitPrice.Currency = "USD" }, nil, "lines/1/unit_price"},
		{"no recipient", nil, func(e *Envelope) { e.Recipient = "" }, "Recipient is required"},
		{"reference too long", nil, func(e *Envelope) { e.Reference = "123456789012345" }, "longer than 14"},
		{"not in the repertoire", nil, func(e *Envelope) { e.Syntax = "UNOA" }, "not in the UNOA repertoire"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			po, env := samplePO(), sampleEnvelope()
			if tt.po != nil {
				tt.po(&po)
			}
			if tt.env != nil {
				tt.env(&env)
			}
			data, err := EncodeORDERS(po, env)
			require.Error(t, err)
			require.Nil(t, data)
			require.Contains(t, err.Error(), tt.reason)
		})
	}
}

func TestSplitDescription(t *testing.T) {
	tests := []struct{ in, first, second string }{
		{"short", "short", ""},
		{strings.Repeat("a", 35) + " tail", strings.Repeat("a", 35), "tail"},
		{strings.Repeat("b", 50), strings.Repeat("b", 35), strings.Repeat("b", 15)},
		{"one two three four five six seven eight nine ten eleven twelve", "one two three four five six seven", "eight nine ten eleven twelve"},
	}
	for _, tt := range tests {
		first, second := splitDescription([]rune(tt.in), 35)
		require.Equal(t, tt.first, first)
		require.Equal(t, tt.second, second)
	}
}

func TestEncodeORDERSCutsLongDescriptions(t *testing.T) {
	po := samplePO()
	po.Lines[0].Item.Description = strings.Repeat("word ", 30) // 150 characters
	data, err := EncodeORDERS(po, sampleEnvelope())
	require.NoError(t, err)
	got := accepted(t, mapOne(t, data, Options{})).(order.PurchaseOrder)
	desc := got.Lines[0].Item.Description
	require.LessOrEqual(t, len(desc), maxDescription)
	require.True(t, strings.HasPrefix(po.Lines[0].Item.Description, desc), "a prefix of the description, cut between words: %q", desc)
}
