package partner_test

import (
	"encoding/json"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crossdock-hub/crossdock/domain/partner"
)

func TestPlanNewPartner(t *testing.T) {
	t.Parallel()
	p := supplier()
	events := partner.Plan(partner.State{}, p)
	assert.Equal(t, []string{
		partner.EventRegistered, partner.EventIdentifiersSet, partner.EventChannelsSet,
		partner.EventItemMapped, partner.EventItemMapped, partner.EventUnitMapped,
		partner.EventTolerancesSet, partner.EventSLASet,
	}, types(events))
	assert.Equal(t, partner.Registered{PartnerID: "acme", Details: partner.Details{
		Name: "ACME Supply Co.", Roles: []partner.Role{partner.RoleSupplier},
	}}, events[0])

	data, err := json.Marshal(events[6])
	require.NoError(t, err)
	assert.JSONEq(t, `{"over_ship_percent":"5","price_variance_percent":"2.5"}`, string(data),
		"percentages are decimal strings")

	st := partner.NewState()
	fold(t, st, events)
	assert.Equal(t, int64(8), st.Version())
	assert.Equal(t, p.Normalize(), st.Profile(), "the stream folds back to the profile")
}

func TestPlanIsIdempotent(t *testing.T) {
	t.Parallel()
	profiles, err := partner.LoadProfiles(openExample(t))
	require.NoError(t, err)
	require.NoError(t, partner.ResolveSecrets(profiles, exampleEnv))
	for _, p := range profiles {
		st := partner.NewState()
		fold(t, st, partner.Plan(*st, p))
		assert.Empty(t, partner.Plan(*st, p), "%s: the same profile again plans nothing", p.ID)

		// The same meaning written differently: reordered sets, other case and spacing, other zone.
		q := p.Clone()
		for i, j := 0, len(q.Items)-1; i < j; i, j = i+1, j-1 {
			q.Items[i], q.Items[j] = q.Items[j], q.Items[i]
		}
		for i := range q.Units {
			q.Units[i].PartnerUnit = " " + q.Units[i].PartnerUnit + " "
			q.Units[i].Factor = q.Units[i].Factor.Add(decimal.RequireFromString("0.000"))
		}
		q.Identifiers.SCAC = append(q.Identifiers.SCAC, q.Identifiers.SCAC...)
		assert.Empty(t, partner.Plan(*st, q), "%s: an equivalent profile plans nothing", p.ID)
		assert.Empty(t, partner.Plan(*st, st.Profile()), "%s: the folded profile plans nothing", p.ID)
	}
}

func TestPlanItemRemap(t *testing.T) {
	t.Parallel()
	st := partner.NewState()
	fold(t, st, partner.Plan(*st, supplier()))

	p := supplier()
	p.Items[1].Product = "FURN_0999"                                                             // remap VP-101
	p.Items = p.Items[1:]                                                                        // drop VP-100
	p.Items = append(p.Items, partner.ItemMapping{GTIN: "10440519780005", Product: "FURN_0100"}) // add
	events := partner.Plan(*st, p)
	require.Equal(t, []string{partner.EventItemUnmapped, partner.EventItemMapped, partner.EventItemMapped}, types(events))
	assert.Equal(t, partner.ItemUnmapped{ItemMapping: partner.ItemMapping{PartnerItem: "VP-100", UPC: "044051978000", Product: "FURN_0100"}}, events[0])
	// New and changed entries come in the order of their keys: partner item, UPC, GTIN, date.
	assert.Equal(t, partner.ItemMapped{ItemMapping: partner.ItemMapping{GTIN: "10440519780005", Product: "FURN_0100"}}, events[1])
	assert.Equal(t, partner.ItemMapped{
		ItemMapping: partner.ItemMapping{PartnerItem: "VP-101", UPC: "044051978017", Product: "FURN_0999"},
		Previous:    &partner.ItemMapping{PartnerItem: "VP-101", UPC: "044051978017", Product: "FURN_0101"},
	}, events[2])

	fold(t, st, events)
	got, ok := st.Profile().ResolveItem(partner.ItemIDs{UPC: "044051978017"})
	assert.True(t, ok)
	assert.Equal(t, "FURN_0999", got)
	_, ok = st.Profile().ResolveItem(partner.ItemIDs{PartnerItem: "VP-100"})
	assert.False(t, ok, "unmapped")
	assert.Empty(t, partner.Plan(*st, p))
}

func TestPlanChangesOnlyWhatChanged(t *testing.T) {
	t.Parallel()
	st := partner.NewState()
	fold(t, st, partner.Plan(*st, supplier()))

	p := supplier()
	p.Name = "ACME Supply Company"
	p.Units[0].Factor = decimal.NewFromInt(24)
	p.InventoryQualifiers = map[string]string{"17": partner.QtyOnHand}
	events := partner.Plan(*st, p)
	require.Equal(t, []string{partner.EventDetailsSet, partner.EventUnitMapped, partner.EventInventoryQualifiersSet}, types(events))
	um := events[1].(partner.UnitMapped)
	assert.True(t, um.Factor.Equal(decimal.NewFromInt(24)))
	require.NotNil(t, um.Previous)
	assert.True(t, um.Previous.Factor.Equal(decimal.NewFromInt(12)))
}

func TestPlanDeclaredTokens(t *testing.T) {
	t.Parallel()
	hashA := partner.HashToken("cdp_value-a-0123456789abcdef0123456789")
	hashB := partner.HashToken("cdp_value-b-0123456789abcdef0123456789")
	decl := partner.TokenDecl{Name: "acme-edi", Kinds: []string{partner.KindInvoice, partner.KindASN}, SHA256: hashA}

	st := partner.NewState()
	p := supplier()
	p.Tokens = []partner.TokenDecl{decl}
	events := partner.Plan(*st, p)
	issued := events[len(events)-1].(partner.TokenIssued)
	assert.Equal(t, partner.TokenIssued{TokenID: "acme-edi-" + hashA[:16], Name: "acme-edi", SHA256: hashA,
		Kinds: []string{partner.KindASN, partner.KindInvoice}}, issued)
	fold(t, st, events)
	assert.Empty(t, partner.Plan(*st, p))

	// A wider scope for the same value.
	p.Tokens[0].Kinds = append(p.Tokens[0].Kinds, partner.KindOrderAck)
	events = partner.Plan(*st, p)
	assert.Equal(t, []partner.Event{partner.TokenScopeSet{TokenID: issued.TokenID,
		Kinds: []string{partner.KindASN, partner.KindInvoice, partner.KindOrderAck}}}, events)
	fold(t, st, events)

	// A new value under the same name: issued, and the old value revoked.
	p.Tokens[0].SHA256 = hashB
	events = partner.Plan(*st, p)
	require.Equal(t, []string{partner.EventTokenIssued, partner.EventTokenRevoked}, types(events))
	assert.Equal(t, partner.TokenRevoked{TokenID: issued.TokenID, Reason: "replaced by a new value of declaration acme-edi"}, events[1])
	fold(t, st, events)
	assert.Empty(t, partner.Plan(*st, p))

	// An operator revokes the token; the file still declares it: it stays revoked.
	current := "acme-edi-" + hashB[:16]
	revoke, err := st.RevokeToken(current, "leaked in a support ticket")
	require.NoError(t, err)
	fold(t, st, revoke)
	assert.Empty(t, partner.Plan(*st, p), "a revoked token is never revived by the file")
	tok, ok := st.Token(current)
	require.True(t, ok)
	assert.True(t, tok.Revoked)
}

// A warehouse's backorder policy is part of its details: changing it is a details change, and the
// folded profile says it.
func TestPlanBackorderPolicy(t *testing.T) {
	t.Parallel()
	st := partner.NewState()
	fold(t, st, partner.Plan(*st, supplier()))
	assert.True(t, st.Profile().KeepsBackorders(), "keep is the default")

	p := supplier()
	p.Backorders = " Close "
	require.NoError(t, p.Normalize().Validate())
	events := partner.Plan(*st, p)
	require.Equal(t, []string{partner.EventDetailsSet}, types(events))
	fold(t, st, events)
	assert.Equal(t, partner.BackordersClose, st.Profile().Backorders)
	assert.False(t, st.Profile().KeepsBackorders())
	assert.Empty(t, partner.Plan(*st, p), "applied again: nothing")

	p.Backorders = "sometimes"
	var ve *partner.ValidationError
	require.ErrorAs(t, p.Normalize().Validate(), &ve)
	assert.Equal(t, []partner.Violation{{Field: "/backorders", Reason: `must be "keep" or "close", not "sometimes"`}}, ve.Violations)
}
