package partner_test

import (
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crossdock-hub/crossdock/domain/partner"
)

func TestResolveItem(t *testing.T) {
	t.Parallel()
	p := supplier()
	p.Items = append(p.Items,
		partner.ItemMapping{PartnerItem: "VP-101", Product: "FURN_0201", EffectiveFrom: june1},
		partner.ItemMapping{GTIN: "10440519780005", Barcode: "4405197800017"},
	)
	tests := []struct {
		name string
		ids  partner.ItemIDs
		want string // "" means not resolved
	}{
		{name: "partner item", ids: partner.ItemIDs{PartnerItem: "VP-100", At: now}, want: "FURN_0100"},
		{name: "UPC", ids: partner.ItemIDs{UPC: "044051978000", At: now}, want: "FURN_0100"},
		{name: "UPC sent as GTIN-14", ids: partner.ItemIDs{GTIN: "00044051978000", At: now}, want: "FURN_0100"},
		{name: "partner item and UPC agree", ids: partner.ItemIDs{PartnerItem: "VP-100", UPC: "044051978000", At: now}, want: "FURN_0100"},
		{name: "partner item and UPC disagree", ids: partner.ItemIDs{PartnerItem: "VP-100", UPC: "044051978017", At: now}},
		{name: "before the remap", ids: partner.ItemIDs{PartnerItem: "VP-101", At: june1.Add(-time.Second)}, want: "FURN_0101"},
		{name: "from the remap on", ids: partner.ItemIDs{PartnerItem: "VP-101", At: june1}, want: "FURN_0201"},
		{name: "no instant: only undated entries", ids: partner.ItemIDs{PartnerItem: "VP-101"}, want: "FURN_0101"},
		{name: "unmapped buyer part is the Odoo code", ids: partner.ItemIDs{Buyer: "FURN_0777", At: now}, want: "FURN_0777"},
		{name: "unmapped product is the Odoo code", ids: partner.ItemIDs{Product: "FURN_0778", PartnerItem: "VP-404", At: now}, want: "FURN_0778"},
		{name: "product and buyer part disagree", ids: partner.ItemIDs{Product: "A", Buyer: "B", At: now}},
		{name: "a mapping wins over the buyer part", ids: partner.ItemIDs{PartnerItem: "VP-100", Buyer: "OLD-CODE", At: now}, want: "FURN_0100"},
		{name: "barcode-only entry has no default_code", ids: partner.ItemIDs{GTIN: "10440519780005", At: now}},
		{name: "unknown", ids: partner.ItemIDs{PartnerItem: "VP-404", UPC: "044051978024", At: now}},
		{name: "invalid check digit", ids: partner.ItemIDs{UPC: "044051978001", At: now}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, ok := p.ResolveItem(tt.ids)
			assert.Equal(t, tt.want != "", ok)
			assert.Equal(t, tt.want, got)
		})
	}

	target, ok := partner.NewCrosswalk(p).ResolveTarget(partner.ItemIDs{GTIN: "10440519780005", At: now})
	assert.True(t, ok)
	assert.Equal(t, partner.ItemTarget{Barcode: "4405197800017"}, target)
}

func TestConvertUnit(t *testing.T) {
	t.Parallel()
	p := supplier() // CS of 12 EA
	p.Units = append(p.Units,
		partner.UnitMapping{PartnerUnit: "CS", Factor: decimal.NewFromInt(24), Unit: "EA", EffectiveFrom: june1},
		partner.UnitMapping{PartnerUnit: "KG", Factor: decimal.NewFromInt(1), Unit: "KG"},
	)
	tests := []struct {
		name             string
		amount, unit     string
		at               time.Time
		wantAmount, want string // want "" means not converted
	}{
		{name: "CS of 12", amount: "3", unit: "CS", at: now, wantAmount: "36", want: "EA"},
		{name: "lower case unit", amount: "1.5", unit: "cs", at: now, wantAmount: "18", want: "EA"},
		{name: "pack size change from June", amount: "3", unit: "CS", at: june1, wantAmount: "72", want: "EA"},
		{name: "canonical unit as is", amount: "7", unit: "EA", at: now, wantAmount: "7", want: "EA"},
		{name: "identity entry", amount: "2.25", unit: "KG", at: now, wantAmount: "2.25", want: "KG"},
		{name: "undeclared unit is not assumed to be each", amount: "5", unit: "PCE", at: now},
		{name: "C62 neither", amount: "5", unit: "C62", at: now},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, ok := p.ConvertUnit(qty(t, tt.amount, tt.unit), tt.at)
			assert.Equal(t, tt.want != "", ok)
			if tt.want != "" {
				assert.Equal(t, tt.want, got.Unit)
				assert.Equal(t, tt.wantAmount, got.AmountString())
			}
		})
	}

	empty := partner.Profile{}
	_, ok := empty.ConvertUnit(qty(t, "1", "EA"), now)
	assert.False(t, ok, "a partner with no unit table converts nothing, not even EA")
}

func TestGTIN14(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		code, want string
	}{
		{"044051978000", "00044051978000"},
		{" 0614141000012 ", "00614141000012"},
		{"10440519780005", "10440519780005"},
		{"044051978001", ""},
		{"4405197", ""},
		{"04405197800A", ""},
	} {
		got, ok := partner.GTIN14(tt.code)
		assert.Equal(t, tt.want != "", ok, tt.code)
		assert.Equal(t, tt.want, got, tt.code)
	}
}

// The documents Crossdock sends name an Odoo product by the partner's own identifiers, as in effect on
// the document's date.
func TestItemFor(t *testing.T) {
	t.Parallel()
	jan, jun := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	p := partner.Profile{Items: []partner.ItemMapping{
		{PartnerItem: "A-BLUE", UPC: "012345678905", Product: "WIDGET-BLUE"},
		{PartnerItem: "A-BLUE-2", Product: "WIDGET-BLUE", EffectiveFrom: jun},
		{PartnerItem: "A-RED", Product: "WIDGET-RED"},
	}}
	it, ok := p.ItemFor("WIDGET-BLUE", jan)
	require.True(t, ok)
	assert.Equal(t, "A-BLUE", it.PartnerItem)
	assert.Equal(t, "012345678905", it.UPC)
	it, ok = p.ItemFor("WIDGET-BLUE", jun)
	require.True(t, ok)
	assert.Equal(t, "A-BLUE-2", it.PartnerItem)
	_, ok = p.ItemFor("WIDGET-GREEN", jun)
	assert.False(t, ok)
}
