package partner_test

import (
	"encoding/json"
	"os"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"

	"github.com/crossdock-hub/crossdock/domain"
	"github.com/crossdock-hub/crossdock/domain/partner"
)

var (
	jan1  = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	june1 = time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	now   = time.Date(2026, 3, 2, 16, 30, 0, 0, time.UTC)
)

// supplier is a valid supplier profile: X12 over HTTP, a small crosswalk, CS of 12.
func supplier() partner.Profile {
	return partner.Profile{
		ID:    "acme",
		Name:  "ACME Supply Co.",
		Roles: []partner.Role{partner.RoleSupplier},
		Identifiers: partner.Identifiers{
			ISA:  []partner.ISAID{{Qualifier: "12", ID: "4405197800"}},
			GS:   []string{"4405197800"},
			DUNS: []string{"123456789"},
		},
		Channels: []partner.Channel{{Kind: partner.ChannelHTTP, Format: partner.FormatX12,
			Documents: []string{partner.KindASN, partner.KindInvoice}}},
		Items: []partner.ItemMapping{
			{PartnerItem: "VP-100", UPC: "044051978000", Product: "FURN_0100"},
			{PartnerItem: "VP-101", UPC: "044051978017", Product: "FURN_0101"},
		},
		Units:      []partner.UnitMapping{{PartnerUnit: "CS", Factor: decimal.NewFromInt(12), Unit: "EA"}},
		Tolerances: partner.Tolerances{OverShipPercent: decimal.NewFromInt(5), PriceVariancePercent: decimal.RequireFromString("2.5")},
		SLA:        partner.SLA{AckWithinHours: 24, ASNLeadHours: 12},
	}
}

// fold applies events to st as the store would hand them back: encoded to JSON and decoded.
func fold(t *testing.T, st *partner.State, events []partner.Event) {
	t.Helper()
	for _, e := range events {
		data, err := json.Marshal(e)
		require.NoError(t, err)
		require.NoError(t, st.Apply(e.EventType(), data))
	}
}

func types(events []partner.Event) []string {
	out := make([]string, len(events))
	for i, e := range events {
		out[i] = e.EventType()
	}
	return out
}

func qty(t *testing.T, amount, unit string) domain.Quantity {
	t.Helper()
	q, err := domain.ParseQuantity(amount, unit)
	require.NoError(t, err)
	return q
}

func openExample(t *testing.T) *os.File {
	t.Helper()
	f, err := os.Open("testdata/partners.example.yaml")
	require.NoError(t, err)
	t.Cleanup(func() { _ = f.Close() })
	return f
}
