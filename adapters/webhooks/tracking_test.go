package webhooks

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/crossdock-hub/crossdock/domain"
	"github.com/crossdock-hub/crossdock/domain/shipment"
)

// wantEvent is what one milestone of a fixture says, read from the file.
type wantEvent struct {
	index         int
	status        string
	partnerStatus string
	reason        string
	at            time.Time
	localTime     string
	location      domain.Location
	message       string
}

func TestParseTrackingFixtures(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		format     string
		file       string
		carrier    string
		tracking   string
		messageID  string
		estimated  time.Time
		events     int
		want       []wantEvent
		references []domain.Reference
		warnings   []string
	}{
		{
			name: "EasyPost tracker.updated", format: FormatEasyPost,
			file:    "easypost_tracker.updated_event-body.json",
			carrier: "FedEx", tracking: "1", messageID: "evt_1", estimated: utc("2024-08-05T00:00:00Z"),
			events: 7,
			want: []wantEvent{
				{index: 0, status: shipment.StatusInfoReceived, partnerStatus: "pre_transit", reason: "label_created",
					at: utc("2024-07-31T15:00:00Z"), location: domain.Location{PostalCode: "32837", Country: "US"},
					message: "Shipment information sent to FedEx"},
				{index: 1, status: shipment.StatusInTransit, partnerStatus: "in_transit", reason: "arrived_at_facility",
					at:       utc("2024-07-31T19:27:00Z"),
					location: domain.Location{City: "ORLANDO", State: "FL", PostalCode: "32809", Country: "US"},
					message:  "Picked up"},
				{index: 3, status: shipment.StatusInTransit, partnerStatus: "in_transit", reason: "departed_facility",
					at:       utc("2024-08-01T14:42:13Z"),
					location: domain.Location{City: "ORLANDO", State: "FL", PostalCode: "32809", Country: "US"},
					message:  "Departed FedEx location"},
				{index: 6, status: shipment.StatusInTransit, partnerStatus: "in_transit", reason: "arrived_at_facility",
					at:       utc("2024-08-02T18:50:00Z"),
					location: domain.Location{City: "EDISON", State: "NJ", PostalCode: "08817", Country: "US"},
					message:  "Arrived at FedEx location"},
			},
			references: []domain.Reference{{Qualifier: "tracker_id", Value: "trk_1"}},
		},
		{
			name: "Shippo track_updated", format: FormatShippo,
			file:    "shippo_track_updated_docs-example.json",
			carrier: "usps", tracking: "9205590164917312751089", messageID: "string",
			estimated: utc("2019-08-24T14:15:22Z"), events: 1,
			want: []wantEvent{{
				index: 0, status: shipment.StatusDelivered, partnerStatus: "DELIVERED", reason: "information_received",
				at:       utc("2016-07-23T00:00:00Z"),
				location: domain.Location{City: "Las Vegas", State: "NV", PostalCode: "89101", Country: "US"},
				message:  "Your shipment has been delivered at the destination mailbox.",
			}},
			references: []domain.Reference{{Qualifier: "transaction", Value: "string"}, {Qualifier: "metadata", Value: "Order 000123"}},
			warnings:   []string{"/test: a test-mode event"},
		},
		{
			name: "AfterShip tracking_update", format: FormatAfterShip,
			file:    "aftership_tracking_update_docs-example-trimmed.json",
			carrier: "usps", tracking: "0000000000000000", messageID: "94dadd60-ed26-46d0-aa52-3ced925a50ff",
			events: 1,
			want: []wantEvent{{
				index: 0, status: shipment.StatusInTransit, partnerStatus: "InTransit", reason: "InTransit_001",
				// The checkpoint's wall clock, kept as written and read as UTC: AfterShip gives no offset.
				at: utc("2021-01-14T00:52:00Z"), localTime: "2021-01-14T00:52:00",
				message: "Departed Shipping Partner Facility, USPS Awaiting Item",
			}},
			references: []domain.Reference{{Qualifier: "order_number", Value: "string"}},
			warnings:   []string{`/msg/checkpoints/0/checkpoint_time: "2021-01-14T00:52:00" has no UTC offset: read as UTC`},
		},
		{
			name: "ShipBob tracking received", format: FormatShipBob,
			file:    "shipbob_order.shipment.tracking_received_docs-example.json",
			carrier: "USPS", tracking: "9261290306529427911297", events: 1,
			want: []wantEvent{{
				index: 0, status: shipment.StatusInfoReceived, partnerStatus: "LabelCreated",
				at: time.Date(2025, time.October, 23, 15, 55, 9, 361476700, time.UTC),
			}},
			references: []domain.Reference{{Qualifier: "order_id", Value: "100000001"}, {Qualifier: "reference_id", Value: "TEST101"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			res, err := Parse(tt.format, fixture(t, tt.file))
			require.NoError(t, err)
			require.Equal(t, tt.format, res.Format)
			require.Equal(t, tt.messageID, res.MessageID)
			require.Equal(t, tt.warnings, res.Warnings)
			require.Len(t, res.Documents, 1)
			rep, ok := res.Document.(shipment.StatusReport)
			require.True(t, ok, "document is a %T", res.Document)
			require.Equal(t, domain.KindShipmentStatus, rep.Kind())
			require.Equal(t, tt.carrier, rep.Carrier)
			require.Equal(t, tt.tracking, rep.TrackingNumber)
			require.Equal(t, tt.references, rep.References)
			require.True(t, tt.estimated.Equal(rep.EstimatedDelivery), "estimated delivery %s", rep.EstimatedDelivery)
			require.Len(t, rep.Events, tt.events)
			for _, w := range tt.want {
				e := rep.Events[w.index]
				require.Equal(t, w.status, e.Status, "event %d", w.index)
				require.Equal(t, w.partnerStatus, e.PartnerStatus, "event %d", w.index)
				require.Equal(t, w.reason, e.Reason, "event %d", w.index)
				require.Equal(t, w.at, e.At, "event %d", w.index)
				require.Equal(t, time.UTC, e.At.Location(), "event %d is in UTC", w.index)
				require.Equal(t, w.localTime, e.LocalTime, "event %d", w.index)
				require.Equal(t, w.location, e.Location, "event %d", w.index)
				require.Equal(t, w.message, e.Message, "event %d", w.index)
			}
			checkGolden(t, tt.file, res)
		})
	}
}

// Every EasyPost tracking detail becomes an event in order, at its own instant, with its own location.
func TestEasyPostEventsInOrder(t *testing.T) {
	t.Parallel()
	res, err := Parse(FormatEasyPost, fixture(t, "easypost_tracker.updated_event-body.json"))
	require.NoError(t, err)
	rep := res.Document.(shipment.StatusReport)
	var cities []string
	for i, e := range rep.Events {
		if i > 0 {
			require.True(t, e.At.After(rep.Events[i-1].At), "event %d after event %d", i, i-1)
		}
		cities = append(cities, e.Location.City)
	}
	require.Equal(t, []string{"", "ORLANDO", "ORLANDO", "ORLANDO", "KENLY", "EDISON TWP", "EDISON"}, cities)
}

func TestParseTrackingVariants(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		format   string
		body     string
		check    func(t *testing.T, rep shipment.StatusReport)
		warnings []string
	}{
		{
			name:   "AfterShip checkpoint with an offset is an instant, without warning",
			format: FormatAfterShip,
			body: `{"event":"tracking_update","event_id":"e1","msg":{"tracking_number":"1Z9","slug":"ups",
				"expected_delivery":"2024-03-20",
				"checkpoints":[{"checkpoint_time":"2024-03-15T09:30:00-05:00","tag":"OutForDelivery","city":"Chicago","country_iso3":"USA"},
				{"checkpoint_time":"2024-03-15T18:02:00-05:00","tag":"Delivered","subtag":"Delivered_001"}]}}`,
			check: func(t *testing.T, rep shipment.StatusReport) {
				require.Equal(t, utc("2024-03-20T00:00:00Z"), rep.EstimatedDelivery)
				require.Equal(t, shipment.StatusOutForDelivery, rep.Events[0].Status)
				require.Equal(t, utc("2024-03-15T14:30:00Z"), rep.Events[0].At)
				require.Empty(t, rep.Events[0].LocalTime)
				require.Equal(t, domain.Location{City: "Chicago", Country: "USA"}, rep.Events[0].Location)
				require.Equal(t, shipment.StatusDelivered, rep.Events[1].Status)
				require.Equal(t, utc("2024-03-15T23:02:00Z"), rep.Events[1].At)
			},
		},
		{
			name:   "unknown provider status is kept, recorded as unknown, with a warning",
			format: FormatEasyPost,
			body: `{"description":"tracker.updated","id":"evt_9","result":{"object":"Tracker","tracking_code":"T1",
				"tracking_details":[{"status":"teleported","datetime":"2024-01-02T03:04:05Z"}]}}`,
			check: func(t *testing.T, rep shipment.StatusReport) {
				require.Equal(t, shipment.StatusUnknown, rep.Events[0].Status)
				require.Equal(t, "teleported", rep.Events[0].PartnerStatus)
			},
			warnings: []string{`/result/tracking_details/0/status: EasyPost status "teleported" has no canonical meaning: recorded as unknown`},
		},
		{
			name:   "EasyPost statuses map onto the canonical ones",
			format: FormatEasyPost,
			body: `{"description":"tracker.updated","id":"evt_2","mode":"test","result":{"tracking_code":"T2","tracking_details":[
				{"status":"out_for_delivery","datetime":"2024-01-02T08:00:00+01:00"},
				{"status":"available_for_pickup","datetime":"2024-01-02T09:00:00Z"},
				{"status":"return_to_sender","datetime":"2024-01-03T09:00:00Z"},
				{"status":"failure","datetime":"2024-01-04T09:00:00Z"},
				{"status":"delivered","datetime":"2024-01-05T09:00:00Z"}]}}`,
			check: func(t *testing.T, rep shipment.StatusReport) {
				var got []string
				for _, e := range rep.Events {
					got = append(got, e.Status)
				}
				require.Equal(t, []string{shipment.StatusOutForDelivery, shipment.StatusArrivedAtDelivery,
					shipment.StatusReturned, shipment.StatusException, shipment.StatusDelivered}, got)
				require.Equal(t, utc("2024-01-02T07:00:00Z"), rep.Events[0].At)
			},
			warnings: []string{"/mode: a test-mode event"},
		},
		{
			name:   "Shippo TRANSIT refined by its substatus, current status used when there is no history",
			format: FormatShippo,
			body: `{"event":"track_updated","data":{"carrier":"ups","tracking_number":"1Z1","tracking_history":[],
				"tracking_status":{"object_id":"ts_1","status":"TRANSIT","substatus":{"code":"out_for_delivery"},
				"status_date":"2024-05-06T07:08:09Z","status_details":"Out for delivery"}}}`,
			check: func(t *testing.T, rep shipment.StatusReport) {
				require.Equal(t, "ts_1", rep.MessageID)
				require.Len(t, rep.Events, 1)
				require.Equal(t, shipment.StatusOutForDelivery, rep.Events[0].Status)
				require.Equal(t, "TRANSIT", rep.Events[0].PartnerStatus)
				require.Equal(t, "out_for_delivery", rep.Events[0].Reason)
			},
		},
		{
			name:   "ShipBob order id beyond 2^53 keeps every digit",
			format: FormatShipBob,
			body: `{"event_time":"2025-01-01T00:00:00Z","order_id":9007199254740993,"status":"Delivered",
				"tracking":{"carrier":"UPS","tracking_id":"1Z2"}}`,
			check: func(t *testing.T, rep shipment.StatusReport) {
				require.Equal(t, []domain.Reference{{Qualifier: "order_id", Value: "9007199254740993"}}, rep.References)
				require.Equal(t, shipment.StatusDelivered, rep.Events[0].Status)
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			res, err := Parse(tt.format, []byte(tt.body))
			require.NoError(t, err)
			require.Equal(t, tt.warnings, res.Warnings)
			tt.check(t, res.Document.(shipment.StatusReport))
		})
	}
}
