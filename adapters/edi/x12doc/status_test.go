package x12doc_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crossdock-hub/crossdock/adapters/edi/x12"
	"github.com/crossdock-hub/crossdock/adapters/edi/x12doc"
	"github.com/crossdock-hub/crossdock/domain"
	"github.com/crossdock-hub/crossdock/domain/shipment"
)

func TestMap214TimeCodes(t *testing.T) {
	rep, r := mapClean[shipment.StatusReport](t, readFile(t, "testdata/214_time_codes.x12"), x12doc.Options{})
	assert.Equal(t, "PRO12345", rep.TrackingNumber)
	assert.Equal(t, "SHIP-9", rep.ShipmentID)
	assert.Equal(t, "ODFL", rep.Carrier)
	assert.Equal(t, []string{"PO4500123"}, rep.PONumbers)
	assert.Equal(t, []domain.Reference{{Qualifier: "BM", Value: "BOL-777"}}, rep.References)

	want := []struct {
		status, partner string
		at              time.Time
		local           string
	}{
		{shipment.StatusArrivedAtPickup, "X3", utc(2024, 1, 15, 13, 0), "2024-01-15 08:00 ET"},   // EST, UTC-5
		{shipment.StatusPickedUp, "AF", utc(2024, 7, 15, 13, 30), "2024-07-15 09:30 ET"},         // EDT, UTC-4
		{shipment.StatusInTransit, "X6", utc(2024, 7, 16, 22, 0), "2024-07-16 22:00 UT"},         // UTC
		{shipment.StatusEstimatedDelivery, "AG", utc(2024, 7, 18, 22, 0), "2024-07-18 17:00 CT"}, // CDT, UTC-5
		{shipment.StatusDelivered, "D1", utc(2024, 7, 18, 21, 45), "2024-07-18 16:45 LT"},        // Austin TX: CDT
		{shipment.StatusDelayed, "SD", utc(2024, 7, 18, 15, 0), "2024-07-18 10:00 ES"},           // fixed UTC-5
	}
	require.Len(t, rep.Events, len(want))
	for i, w := range want {
		ev := rep.Events[i]
		assert.Equal(t, w.status, ev.Status, "event %d", i)
		assert.Equal(t, w.partner, ev.PartnerStatus)
		assert.Equal(t, w.at, ev.At, "event %d (%s)", i, w.local)
		assert.Equal(t, time.UTC, ev.At.Location())
		assert.Equal(t, w.local, ev.LocalTime)
	}
	assert.Equal(t, "AH", rep.Events[5].Reason)
	assert.Equal(t, utc(2024, 7, 18, 22, 0), rep.EstimatedDelivery, "AG sets the estimate")
	assert.Equal(t, domain.Location{City: "AUSTIN", State: "TX", Country: "US"}, rep.Events[4].Location)
	// Texas has two zones: reading LT in the majority zone is a guess worth saying.
	require.Len(t, r.Warnings, 1)
	assert.Contains(t, r.Warnings[0], "America/Chicago")
}

func TestMap214LocalTime(t *testing.T) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	require.NoError(t, err)
	tests := []struct {
		name    string
		ms1     string
		opts    x12doc.Options
		at      time.Time
		warning string
	}{
		{"US state", "MS1*DENVER*CO*US", x12doc.Options{LocalZone: berlin}, utc(2024, 7, 1, 16, 0), ""},
		{"US state without country", "MS1*SEATTLE*WA", x12doc.Options{}, utc(2024, 7, 1, 17, 0), ""},
		{"Canadian province", "MS1*HALIFAX*NS*CA", x12doc.Options{}, utc(2024, 7, 1, 13, 0), ""},
		{"abroad: the partner's zone", "MS1*HAMBURG**DE", x12doc.Options{LocalZone: berlin}, utc(2024, 7, 1, 8, 0), ""},
		{"no place, no zone: UTC", "", x12doc.Options{}, utc(2024, 7, 1, 10, 0), "read as UTC"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			segs := []string{"B10*PRO1*SHIP1*ODFL", "LX*1", "AT7*X1*NS***20240701*1000*LT"}
			if tt.ms1 != "" {
				segs = append(segs, tt.ms1)
			}
			rep, r := mapClean[shipment.StatusReport](t, build(t, "QM", "214", segs...), tt.opts)
			require.Len(t, rep.Events, 1)
			assert.Equal(t, tt.at, rep.Events[0].At)
			assert.Equal(t, "2024-07-01 10:00 LT", rep.Events[0].LocalTime)
			if tt.warning == "" {
				assert.Empty(t, r.Warnings)
			} else {
				assert.True(t, containsWarning(r.Warnings, tt.warning), "warnings: %q", r.Warnings)
			}
		})
	}
}

func TestMap214Statuses(t *testing.T) {
	codes := map[string]string{
		"AF": shipment.StatusPickedUp, "X3": shipment.StatusArrivedAtPickup, "X6": shipment.StatusInTransit,
		"P1": shipment.StatusInTransit, "OD": shipment.StatusOutForDelivery, "X1": shipment.StatusArrivedAtDelivery,
		"D1": shipment.StatusDelivered, "AG": shipment.StatusEstimatedDelivery, "AH": shipment.StatusAttempted,
		"AP": shipment.StatusNotCompleted, "SD": shipment.StatusDelayed, "XB": shipment.StatusAcknowledged,
		"CA": shipment.StatusCancelled, "ZZ": shipment.StatusUnknown,
	}
	for code, status := range codes {
		t.Run(code, func(t *testing.T) {
			rep, r := mapClean[shipment.StatusReport](t,
				build(t, "QM", "214", "B10*PRO1*SHIP1*ODFL", "LX*1", "AT7*"+code+"*NS***20240701*1000*UT"), x12doc.Options{})
			require.Len(t, rep.Events, 1)
			assert.Equal(t, status, rep.Events[0].Status)
			assert.Equal(t, code, rep.Events[0].PartnerStatus)
			assert.Equal(t, status == shipment.StatusUnknown, containsWarning(r.Warnings, "no canonical meaning"))
		})
	}
}

func TestMap214Problems(t *testing.T) {
	tests := []struct {
		name     string
		segments []string
		errAt    string
		errEl    int
		code     string
	}{
		{"unknown time code", []string{"B10*PRO1", "LX*1", "AT7*AF*NS***20240701*1000*XX"}, "AT7", 7, x12.ElemInvalidCode},
		{"Atlantic is not AT's meaning but TT is no code either", []string{"B10*PRO1", "LX*1", "AT7*AF*NS***20240701*1000*TT"}, "AT7", 7, x12.ElemInvalidCode},
		{"no date", []string{"B10*PRO1", "LX*1", "AT7*AF*NS****1000*ET"}, "AT7", 5, x12.ElemMandatory},
		{"bad time", []string{"B10*PRO1", "LX*1", "AT7*AF*NS***20240701*2500*ET"}, "AT7", 6, x12.ElemInvalidTime},
		{"no status", []string{"B10*PRO1", "LX*1", "AT7*****20240701*1000*ET"}, "AT7", 1, x12.ElemMandatory},
		{"no shipment named", []string{"B10", "LX*1", "AT7*AF*NS***20240701*1000*ET"}, "B10", 1, x12.ElemMandatory},
		{"no status at all", []string{"B10*PRO1"}, "AT7", 0, x12.SegMandatory},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := mapOne(t, build(t, "QM", "214", tt.segments...), x12doc.Options{})
			assert.Nil(t, r.Document)
			e := errorAt(t, r.Errors, tt.errAt, tt.errEl)
			assert.Equal(t, tt.code, e.Code)
		})
	}
}

// AT is Alaska Time in X12 element 623; numeric codes are ISO offsets (01 = UTC+1, 13 = UTC-12).
func TestMap214ZoneCodes(t *testing.T) {
	tests := []struct {
		code string
		at   time.Time // for 2024-01-10 12:00 in that zone
	}{
		{"AT", utc(2024, 1, 10, 21, 0)}, {"HT", utc(2024, 1, 10, 22, 0)}, {"MT", utc(2024, 1, 10, 19, 0)},
		{"PT", utc(2024, 1, 10, 20, 0)}, {"GM", utc(2024, 1, 10, 12, 0)}, {"ED", utc(2024, 1, 10, 16, 0)},
		{"PS", utc(2024, 1, 10, 20, 0)}, {"NS", utc(2024, 1, 10, 15, 30)}, {"01", utc(2024, 1, 10, 11, 0)},
		{"13", utc(2024, 1, 11, 0, 0)}, {"24", utc(2024, 1, 10, 13, 0)},
	}
	for _, tt := range tests {
		t.Run(tt.code, func(t *testing.T) {
			rep, _ := mapClean[shipment.StatusReport](t,
				build(t, "QM", "214", "B10*PRO1", "LX*1", "AT7*X6*NS***20240110*1200*"+tt.code), x12doc.Options{})
			assert.Equal(t, tt.at, rep.Events[0].At)
		})
	}
}
