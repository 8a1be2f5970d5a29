package partner_test

import (
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crossdock-hub/crossdock/domain/partner"
)

func TestValidate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		mutate func(p *partner.Profile)
		want   []partner.Violation // nil: valid
	}{
		{name: "valid", mutate: func(*partner.Profile) {}},
		{
			name: "padded ISA ID and lower-case qualifier are fine",
			mutate: func(p *partner.Profile) {
				p.Identifiers.ISA = []partner.ISAID{{Qualifier: "zz", ID: "ACME CORP      "}}
			},
		},
		{
			name:   "bad ID and no roles",
			mutate: func(p *partner.Profile) { p.ID, p.Roles = "ACME Corp", nil },
			want: []partner.Violation{
				{Field: "/id", Reason: "must be 1 to 64 characters a-z, 0-9, '-' or '_'"},
				{Field: "/roles", Reason: "must have at least one role"},
			},
		},
		{
			name: "effective dates reversed",
			mutate: func(p *partner.Profile) {
				p.EffectiveFrom, p.EffectiveTo = june1, jan1
			},
			want: []partner.Violation{{Field: "/effective_to", Reason: "must be after effective_from"}},
		},
		{
			name: "empty and malformed identifiers",
			mutate: func(p *partner.Profile) {
				p.Identifiers = partner.Identifiers{
					ISA:  []partner.ISAID{{Qualifier: "12", ID: "4405197800"}, {Qualifier: "1", ID: " "}},
					GLN:  []string{"0614141000013"},
					DUNS: []string{""},
					SCAC: []string{"UPS1"},
				}
			},
			want: []partner.Violation{
				{Field: "/identifiers/isa/1/qualifier", Reason: "must be 2 letters or digits (ISA05), e.g. 01, 12, ZZ"},
				{Field: "/identifiers/isa/1/id", Reason: "is required"},
				{Field: "/identifiers/gln/0", Reason: "must be 13 digits with a valid GS1 check digit"},
				{Field: "/identifiers/duns/0", Reason: "must not be empty"},
				{Field: "/identifiers/scac/0", Reason: "must be 2 to 4 letters"},
			},
		},
		{
			name:   "x12 channel without ISA ID",
			mutate: func(p *partner.Profile) { p.Identifiers.ISA = nil },
			want:   []partner.Violation{{Field: "/identifiers/isa", Reason: "must have at least one ISA ID: /channels/0 speaks X12"}},
		},
		{
			name: "an outbox channel for purchase orders",
			mutate: func(p *partner.Profile) {
				p.Channels = append(p.Channels, partner.Channel{Kind: partner.ChannelOutbox, Format: partner.FormatX12,
					Documents: []string{partner.KindPurchaseOrder}, Dir: "/srv/sftp/acme/in"})
			},
		},
		{
			name: "outbound kinds only on an outbox, with a directory, in a format they are written in",
			mutate: func(p *partner.Profile) {
				p.Channels = append(p.Channels,
					partner.Channel{Kind: partner.ChannelOutbox, Format: partner.FormatEDIFACT, Documents: []string{partner.KindWarehouseOrder, partner.KindASN}},
					partner.Channel{Kind: partner.ChannelHTTP, Format: partner.FormatX12, Documents: []string{partner.KindPurchaseOrder}, Dir: "/tmp"})
			},
			want: []partner.Violation{
				{Field: "/channels/1/format", Reason: "an EDIFACT outbox addresses the partner by GLN: /identifiers/gln must have one"},
				{Field: "/channels/1/documents/0", Reason: `warehouse_order is sent as "x12", not "edifact"`},
				{Field: "/channels/1/documents/1", Reason: `an outbox channel carries what Crossdock sends: "asn" is not one of "purchase_order", "warehouse_order"`},
				{Field: "/channels/1/dir", Reason: "is required for an outbox channel: the directory its documents are written to"},
				{Field: "/channels/2/documents/0", Reason: "purchase_order is sent by Crossdock: declare it on an outbox channel (kind: outbox, dir: ...)"},
				{Field: "/channels/2/dir", Reason: "is only for an outbox channel"},
			},
		},
		{
			name: "a UPC mapped to two products",
			mutate: func(p *partner.Profile) {
				p.Items = append(p.Items, partner.ItemMapping{GTIN: "00044051978000", Product: "OTHER"})
			},
			want: []partner.Violation{{Field: "/items/2/gtin", Reason: "GTIN 00044051978000 is already mapped by /items/0 from the same date"}},
		},
		{
			name: "the same partner item remapped from a later date is fine",
			mutate: func(p *partner.Profile) {
				p.Items = append(p.Items, partner.ItemMapping{PartnerItem: "VP-100", Product: "FURN_0200", EffectiveFrom: june1})
			},
		},
		{
			name: "item entries without identifier, target, or a valid check digit",
			mutate: func(p *partner.Profile) {
				p.Items = []partner.ItemMapping{{Product: "X"}, {PartnerItem: "VP-9"}, {UPC: "044051978001", Product: "Y"}}
			},
			want: []partner.Violation{
				{Field: "/items/0", Reason: "needs partner_item, upc or gtin"},
				{Field: "/items/1/product", Reason: "product (Odoo default_code) or barcode is required"},
				{Field: "/items/2/upc", Reason: "must be 12 digits (UPC-A) with a valid check digit"},
			},
		},
		{
			name: "unit factor, codes and chains",
			mutate: func(p *partner.Profile) {
				p.Units = []partner.UnitMapping{
					{PartnerUnit: "CS", Factor: decimal.Zero, Unit: "EA"},
					{PartnerUnit: "EA", Factor: decimal.NewFromInt(1), Unit: "KGM"},
					{PartnerUnit: "PALLET", Factor: decimal.NewFromInt(40), Unit: "CS"},
				}
			},
			want: []partner.Violation{
				{Field: "/units/0/factor", Reason: "must be greater than zero"},
				{Field: "/units/0/partner_unit", Reason: "CS is the canonical unit of /units/2; it may only map to itself"},
				{Field: "/units/1/partner_unit", Reason: "EA is the canonical unit of /units/0; it may only map to itself"},
				{Field: "/units/2/partner_unit", Reason: "must be a unit code of 1 to 3 letters or digits"},
			},
		},
		{
			name: "percentages and SLA out of range",
			mutate: func(p *partner.Profile) {
				p.Tolerances.OverShipPercent = decimal.NewFromInt(1001)
				p.Tolerances.PriceVariancePercent = decimal.NewFromInt(-1)
				p.SLA.AckWithinHours = -2
			},
			want: []partner.Violation{
				{Field: "/tolerances/over_ship_percent", Reason: "must be between 0 and 1000 (percent)"},
				{Field: "/tolerances/price_variance_percent", Reason: "must be between 0 and 1000 (percent)"},
				{Field: "/sla/ack_within_hours", Reason: "must be between 0 (no promise) and 8784"},
			},
		},
		{
			name:   "unknown inventory meaning",
			mutate: func(p *partner.Profile) { p.InventoryQualifiers = map[string]string{"17": "on_hand", "Q/1": "lost"} },
			want: []partner.Violation{
				{Field: "/inventory_qualifiers/Q~11", Reason: "qualifier code must be 1 to 3 letters or digits"},
				{Field: "/inventory_qualifiers/Q~11", Reason: `unknown meaning "lost" (want one of "on_hand", "available", "allocated", "on_order", "in_transit", "damaged", "on_hold")`},
			},
		},
		{
			name: "csv channel problems",
			mutate: func(p *partner.Profile) {
				p.Channels = append(p.Channels, partner.Channel{
					Kind: partner.ChannelInbox, Format: partner.FormatCSV, Documents: []string{partner.KindReceipt},
					CSV: &partner.CSVMap{Kind: partner.KindReceipt, Delimiter: ";;", DateFormat: "YYYY-MM-DD",
						Columns: map[string]string{"sku": "SKU", "qty": "2", "receipt_number": "1", "received_at": "3"}},
				})
			},
			want: []partner.Violation{
				{Field: "/channels/1/csv/delimiter", Reason: "must be one character other than a quote or a line break"},
				{Field: "/channels/1/csv/date_format", Reason: `"YYYY-MM-DD" is not a Go date layout with year, month and day (e.g. 2006-01-02)`},
				{Field: "/channels/1/csv/columns/qty", Reason: "unknown field for receipt (want one of receipt_number, po_number, asn_number, received_at, line_number, po_line, sku, upc, gtin, product, description, quantity, unit, damaged, lot, warehouse)"},
				{Field: "/channels/1/csv/columns/sku", Reason: "must be a 1-based column position: the file has no header"},
				{Field: "/channels/1/csv/columns", Reason: "must map one of po_number, asn_number"},
				{Field: "/channels/1/csv/columns", Reason: "must map quantity"},
			},
		},
		{
			name: "document declared twice on the same route",
			mutate: func(p *partner.Profile) {
				p.Channels = append(p.Channels, partner.Channel{Kind: partner.ChannelHTTP, Format: partner.FormatX12,
					Documents: []string{partner.KindASN, "catalog"}})
			},
			want: []partner.Violation{
				{Field: "/channels/1/documents/0", Reason: "asn over http/x12 is already declared by /channels/0"},
				{Field: "/channels/1/documents/1", Reason: `unknown document kind "catalog" (want one of "asn", "shipment_status", "receipt", "ship_confirmation", "inventory_snapshot", "inventory_adjustment", "invoice", "order_ack", "functional_ack")`},
			},
		},
		{
			name: "token declarations",
			mutate: func(p *partner.Profile) {
				p.Tokens = []partner.TokenDecl{
					{Name: "edi", Kinds: []string{partner.KindASN}, SHA256: "abc"},
					{Name: "edi", Kinds: nil, ValueEnv: "CROSSDOCK_TOKEN"},
				}
				p.WebhookSecrets = []partner.WebhookSecretDecl{{Format: partner.FormatX12, ValueEnv: "CROSSDOCK_S"}}
			},
			want: []partner.Violation{
				{Field: "/tokens/0/sha256", Reason: "must be 64 hexadecimal digits"},
				{Field: "/tokens/1/name", Reason: "duplicates /tokens/0"},
				{Field: "/tokens/1/kinds", Reason: "must list at least one document kind"},
				{Field: "/tokens/1/value_env", Reason: "CROSSDOCK_TOKEN has not been read (ResolveSecrets)"},
				{Field: "/webhook_secrets/0/format", Reason: `must be a webhook format (one of "json", "easypost", "shippo", "aftership", "shiphero", "shipbob")`},
				{Field: "/webhook_secrets/0/value_env", Reason: "CROSSDOCK_S has not been read (ResolveSecrets)"},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p := supplier()
			tt.mutate(&p)
			err := p.Validate()
			if tt.want == nil {
				require.NoError(t, err)
				return
			}
			var ve *partner.ValidationError
			require.ErrorAs(t, err, &ve)
			require.ErrorIs(t, err, partner.ErrInvalidProfile)
			assert.Equal(t, tt.want, ve.Violations)
		})
	}
}

func TestActiveAt(t *testing.T) {
	t.Parallel()
	p := partner.Profile{EffectiveFrom: jan1, EffectiveTo: june1}
	assert.False(t, p.ActiveAt(jan1.Add(-time.Nanosecond)))
	assert.True(t, p.ActiveAt(jan1))
	assert.True(t, p.ActiveAt(june1.Add(-time.Nanosecond)))
	assert.False(t, p.ActiveAt(june1), "effective_to is exclusive")
	assert.True(t, partner.Profile{}.ActiveAt(now), "no dates: always")
}

func TestInventoryQualifier(t *testing.T) {
	t.Parallel()
	meaning, ok := partner.Profile{}.InventoryQualifier("17")
	assert.True(t, ok)
	assert.Equal(t, partner.QtyOnHand, meaning)
	_, ok = partner.Profile{}.InventoryQualifier("ZZ")
	assert.False(t, ok, "an unknown qualifier fails closed")

	p := partner.Profile{InventoryQualifiers: map[string]string{"ZZ": partner.QtyOnHold}}
	meaning, ok = p.InventoryQualifier(" zz ")
	assert.True(t, ok)
	assert.Equal(t, partner.QtyOnHold, meaning)
	_, ok = p.InventoryQualifier("17")
	assert.False(t, ok, "a declared table replaces the defaults")
}

func TestIDFromStream(t *testing.T) {
	t.Parallel()
	id, ok := partner.IDFromStream(partner.StreamID("northwind-3pl"))
	assert.True(t, ok)
	assert.Equal(t, "northwind-3pl", id)
	_, ok = partner.IDFromStream("shipment-acme:ASN-1")
	assert.False(t, ok)
}
