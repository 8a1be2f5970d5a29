package edifactdoc

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/crossdock-hub/crossdock/adapters/edi/edifact"
	"github.com/crossdock-hub/crossdock/domain"
	"github.com/crossdock-hub/crossdock/domain/shipment"
)

func TestIFTSTAOneReportPerConsignment(t *testing.T) {
	rs := mapAll(t, readFile(t, "testdata/iftsta.edi"), Options{})
	require.Len(t, rs, 2, "two CNI")
	require.Same(t, rs[0].Message, rs[1].Message)

	first := accepted(t, rs[0]).(shipment.StatusReport)
	require.Equal(t, "1Z999AA10123456784", first.TrackingNumber, "CNI C503 1004")
	require.Equal(t, "DHLX", first.Carrier, "the consignment's TDT")
	require.Equal(t, "BOL-889", first.ShipmentID, "RFF+BM")
	require.Equal(t, []string{"PO-4711"}, first.PONumbers, "the header's RFF+ON")
	require.Equal(t, "STAT-555", first.MessageID)
	require.Equal(t, []domain.Reference{{Qualifier: "ON", Value: "PO-4711"}, {Qualifier: "BM", Value: "BOL-889"}}, first.References)

	second := accepted(t, rs[1]).(shipment.StatusReport)
	require.Equal(t, "CONS-2", second.TrackingNumber)
	require.Equal(t, "DHLP", second.Carrier, "no TDT: the header's NAD+CA")
	require.Equal(t, utc("2024-03-07T00:00:00Z"), second.EstimatedDelivery, "DTM+17")
	require.Empty(t, second.ShipmentID, "the first consignment's RFF+BM is not the second's")

	tests := []struct {
		name      string
		event     shipment.StatusEvent
		got       shipment.StatusEvent
		zoneKnown bool
	}{
		{"13 picked up, 303 with +01", shipment.StatusEvent{Status: shipment.StatusPickedUp, PartnerStatus: "13",
			At: utc("2024-03-01T08:00:00Z"), LocalTime: "2024-03-01 09:00 +01",
			Location: domain.Location{City: "HAMBURG", Country: "DE"}}, first.Events[0], true},
		{"21 delivered, 203 read as UTC", shipment.StatusEvent{Status: shipment.StatusDelivered, PartnerStatus: "21",
			At: utc("2024-03-04T14:32:00Z"), LocalTime: "2024-03-04 14:32", Message: "SIGNED BY J SMITH",
			Location: domain.Location{City: "NLRTM", Country: "NL"}}, first.Events[1], false},
		{"23 not completed with reason, 303 with -0500", shipment.StatusEvent{Status: shipment.StatusNotCompleted, PartnerStatus: "23",
			Reason: "6", At: utc("2024-03-05T16:00:00Z"), LocalTime: "2024-03-05 11:00 -0500"}, second.Events[0], true},
		{"unknown code kept, DTM+9", shipment.StatusEvent{Status: shipment.StatusUnknown, PartnerStatus: "999",
			At: utc("2024-03-05T11:30:00Z"), LocalTime: "2024-03-05 11:30"}, second.Events[1], false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			require.Equal(t, tt.event, tt.got)
		})
	}
	require.Len(t, first.Events, 2)
	require.Len(t, second.Events, 2)
	require.True(t, hasWarning(rs[0].Warnings, `status "21" gives no zone`))
	require.False(t, hasWarning(rs[0].Warnings, `"999"`), "a consignment's warnings stay with it")
	require.True(t, hasWarning(rs[1].Warnings, `status code "999" has no canonical meaning`))
}

func TestIFTSTAOptionsStatusCodes(t *testing.T) {
	body := []string{"BGM+23+S-1", "CNI+1+TRK-1", "STS+1+999", "DTM+334:202403051130UTC:303"}
	r := mapOne(t, interchange("IFTSTA", body...), Options{StatusCodes: map[string]string{"999": shipment.StatusDelayed}})
	rep := accepted(t, r).(shipment.StatusReport)
	require.Equal(t, shipment.StatusDelayed, rep.Events[0].Status)
	require.Equal(t, "999", rep.Events[0].PartnerStatus)
	require.Equal(t, utc("2024-03-05T11:30:00Z"), rep.Events[0].At)
	require.Empty(t, r.Warnings)
}

func TestIFTSTAErrors(t *testing.T) {
	tests := []struct {
		name string
		body []string
		seg  int // body index
		tag  string
	}{
		{"status without a date", []string{"BGM+23+S-1", "CNI+1+TRK-1", "STS+1+21"}, 2, "STS"},
		{"consignment without a number", []string{"BGM+23+S-1", "CNI+1", "STS+1+21", "DTM+334:20240301:102"}, 1, "CNI"},
		{"consignment without a status", []string{"BGM+23+S-1", "CNI+1+TRK-1", "CNI+2+TRK-2", "STS+1+21", "DTM+334:20240301:102"}, 1, "CNI"},
		{"bad time zone", []string{"BGM+23+S-1", "CNI+1+TRK-1", "STS+1+21", "DTM+334:202403011200CET:303"}, 3, "DTM"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			rs := mapAll(t, interchange("IFTSTA", tt.body...), Options{})
			require.Len(t, rs, 1, "a rejected message gives one result, whatever its consignments")
			e := errorAt(t, rs[0], bodyStart+tt.seg, tt.tag)
			require.NotEqual(t, edifact.CodeNotSupportedValue, e.Code)
		})
	}
}
