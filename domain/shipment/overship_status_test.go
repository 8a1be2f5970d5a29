package shipment_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crossdock-hub/crossdock/domain"
	"github.com/crossdock-hub/crossdock/domain/order"
	"github.com/crossdock-hub/crossdock/domain/shipment"
)

func TestReceiveASNAgainstOrder(t *testing.T) {
	t.Parallel()
	po := order.View{PONumber: "P00042", Found: true, Lines: []order.OrderedLine{
		{LineNumber: "1", Product: "SKU-42", Quantity: qty(t, "60", "EA")},
		{LineNumber: "3", Product: "SKU-42", Quantity: qty(t, "40", "EA")},
		{LineNumber: "2", Product: "SKU-77", Quantity: qty(t, "2", "KGM")},
	}}
	five := decimal.NewFromInt(5)
	tests := []struct {
		name    string
		check   *shipment.OverShipCheck
		lines   []shipment.Line
		flagged map[string][2]string // product → ordered, shipped
	}{
		{name: "exactly the tolerance", check: &shipment.OverShipCheck{Order: po, TolerancePercent: five},
			lines: []shipment.Line{{Number: 1, Item: "SKU-42", Quantity: qty(t, "105", "EA")}}},
		{name: "just beyond", check: &shipment.OverShipCheck{Order: po, TolerancePercent: five},
			lines:   []shipment.Line{{Number: 1, Item: "SKU-42", Quantity: qty(t, "105.01", "EA")}},
			flagged: map[string][2]string{"SKU-42": {"100", "105.01"}}},
		{name: "zero tolerance", check: &shipment.OverShipCheck{Order: po},
			lines:   []shipment.Line{{Number: 1, Item: "SKU-77", Quantity: qty(t, "2.001", "KGM")}},
			flagged: map[string][2]string{"SKU-77": {"2", "2.001"}}},
		{name: "ordered in another unit: not comparable", check: &shipment.OverShipCheck{Order: po},
			lines: []shipment.Line{{Number: 1, Item: "SKU-77", Quantity: qty(t, "50", "EA")}}},
		{name: "shipped in two units: not comparable", check: &shipment.OverShipCheck{Order: po},
			lines: []shipment.Line{{Number: 1, Item: "SKU-42", Quantity: qty(t, "500", "EA")}, {Number: 2, Item: "SKU-42", Quantity: qty(t, "1", "CS")}}},
		{name: "unknown order", check: &shipment.OverShipCheck{Order: order.View{PONumber: "P00042"}},
			lines: []shipment.Line{{Number: 1, Item: "SKU-42", Quantity: qty(t, "500", "EA")}}},
		{name: "no check", lines: []shipment.Line{{Number: 1, Item: "SKU-42", Quantity: qty(t, "500", "EA")}}},
		{name: "two products, flagged by product code", check: &shipment.OverShipCheck{Order: po, TolerancePercent: five},
			lines:   []shipment.Line{{Number: 1, Item: "SKU-NEW", Quantity: qty(t, "1", "EA")}, {Number: 2, Item: "SKU-42", Quantity: qty(t, "200", "EA")}},
			flagged: map[string][2]string{"SKU-42": {"100", "200"}, "SKU-NEW": {"0", "1"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			a := validASN(t)
			a.Lines = tt.lines
			events, err := shipment.New().ReceiveASNAgainst(a, tt.check)
			require.NoError(t, err)
			require.Len(t, events, 1+len(tt.flagged))
			assert.IsType(t, shipment.ASNReceived{}, events[0])
			var last string
			for _, e := range events[1:] {
				f := e.(shipment.OverShipFlagged)
				assert.Greater(t, f.Product, last, "sorted by product")
				last = f.Product
				want := tt.flagged[f.Product]
				assert.Equal(t, want[0], f.Ordered.String())
				assert.Equal(t, want[1], f.Shipped.String())
				assert.Equal(t, "P00042", f.PONumber)
				assert.Equal(t, 1, f.Revision)
			}
		})
	}

	t.Run("an unchanged ASN flags nothing again", func(t *testing.T) {
		t.Parallel()
		a := validASN(t)
		a.Lines = []shipment.Line{{Number: 1, Item: "SKU-42", Quantity: qty(t, "500", "EA")}}
		check := &shipment.OverShipCheck{Order: po}
		first, err := shipment.New().ReceiveASNAgainst(a, check)
		require.NoError(t, err)
		require.Len(t, first, 2)
		events, err := replay(t, first...).ReceiveASNAgainst(a, check)
		require.NoError(t, err)
		assert.Empty(t, events)
	})
}

func TestASNDataKeepsPartnerFields(t *testing.T) {
	t.Parallel()
	a := validASN(t)
	a.Purpose, a.BillOfLading = "replace", "BOL-1"
	a.Lines[0].Ref = domain.ItemRef{Description: "only a description"}
	a.Lines[0].PartnerQuantity = qty(t, "2", "CS")
	a.Lines[0].Ordered = qty(t, "36", "EA")
	a.Lines[0].SSCC = "000123456789012345"
	first, err := shipment.New().ReceiveASN(a)
	require.NoError(t, err)
	s := replay(t, first...)
	cur, ok := s.Current()
	require.True(t, ok)
	assert.True(t, cur.Equal(a), "every field the ASN compares survives the payload")
	events, err := s.ReceiveASN(a)
	require.NoError(t, err)
	assert.Empty(t, events)

	// An event stored before the partner fields existed still decodes.
	old := []byte(`{"asn_number":"ASN-1","po_number":"P1","supplier":"acme","ship_date":"2026-03-02T14:00:00Z","ship_to":"WH1",
		"lines":[{"line_number":1,"item":"SKU-42","quantity":"24","unit":"EA"}]}`)
	s = shipment.New()
	require.NoError(t, s.Apply(shipment.EventASNReceived, old))
	cur, _ = s.Current()
	assert.Equal(t, "24 EA", cur.Lines[0].Quantity.String())
	assert.True(t, cur.Lines[0].PartnerQuantity.IsZero())
}

func TestReportStatus(t *testing.T) {
	t.Parallel()
	at1 := time.Date(2026, 3, 2, 15, 0, 0, 0, time.UTC)
	at2 := at1.Add(time.Hour)
	report := shipment.StatusReport{TrackingNumber: "1Z9", Events: []shipment.StatusEvent{
		{Status: shipment.StatusInTransit, PartnerStatus: "X6", At: at2},
		{Status: shipment.StatusPickedUp, PartnerStatus: "AF", At: at1},
		{Status: shipment.StatusPickedUp, PartnerStatus: "AF", At: at1}, // repeated within the report
	}}
	events, err := shipment.New().ReportStatus(report, "ups")
	require.NoError(t, err)
	require.Len(t, events, 2)
	assert.Equal(t, shipment.StatusPickedUp, events[0].(shipment.StatusReported).Status)
	assert.Equal(t, at1, events[0].(shipment.StatusReported).OccurredAt())
	assert.Equal(t, "ups", events[0].(shipment.StatusReported).Partner)

	s := replay(t, events...)
	report.Events = append(report.Events, shipment.StatusEvent{Status: shipment.StatusInTransit, PartnerStatus: "P1", At: at2.Add(time.Minute)})
	more, err := s.ReportStatus(report, "ups")
	require.NoError(t, err)
	require.Len(t, more, 1)
	assert.Equal(t, "P1", more[0].(shipment.StatusReported).PartnerStatus)

	data, err := json.Marshal(more[0])
	require.NoError(t, err)
	assert.JSONEq(t, `{"tracking_number":"1Z9","partner":"ups","status":"in_transit","partner_status":"P1","at":"2026-03-02T16:01:00Z"}`, string(data))

	_, err = shipment.New().ReportStatus(shipment.StatusReport{TrackingNumber: "1Z9", Events: []shipment.StatusEvent{{Status: "picked_up"}}}, "ups")
	require.Error(t, err)
}
