package shipment_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crossdock-hub/crossdock/domain"
	"github.com/crossdock-hub/crossdock/domain/shipment"
)

var (
	shipDate = time.Date(2026, 3, 2, 14, 0, 0, 0, time.UTC)
	arrival  = time.Date(2026, 3, 5, 9, 0, 0, 0, time.UTC)
)

func qty(t *testing.T, amount, unit string) domain.Quantity {
	t.Helper()
	q, err := domain.ParseQuantity(amount, unit)
	require.NoError(t, err)
	return q
}

func validASN(t *testing.T) shipment.ASN {
	return shipment.ASN{
		ASNNumber:       "ASN-1001",
		PONumber:        "P00042",
		Supplier:        "acme",
		ShipDate:        shipDate,
		ExpectedArrival: arrival,
		CarrierSCAC:     "UPSN",
		TrackingNumber:  "1Z999AA10123456784",
		ShipTo:          "WH1",
		Lines: []shipment.Line{
			{Number: 1, Item: "SKU-42", Quantity: qty(t, "24", "EA"), POLine: "1", Lot: "L2026-03"},
			{Number: 2, Item: "SKU-77", Quantity: qty(t, "2.5", "KGM"), POLine: "2"},
		},
	}
}

func TestValidate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		mutate func(a *shipment.ASN)
		want   []shipment.Violation // nil means valid
	}{
		{name: "valid", mutate: func(*shipment.ASN) {}},
		{name: "no expected arrival is fine", mutate: func(a *shipment.ASN) { a.ExpectedArrival = time.Time{} }},
		{
			name:   "no lines",
			mutate: func(a *shipment.ASN) { a.Lines = nil },
			want:   []shipment.Violation{{Field: "/lines", Reason: "must have at least one line"}},
		},
		{
			name:   "zero quantity",
			mutate: func(a *shipment.ASN) { a.Lines[1].Quantity = qty(t, "0", "EA") },
			want:   []shipment.Violation{{Field: "/lines/1/quantity", Reason: "must be greater than zero"}},
		},
		{
			name:   "negative quantity",
			mutate: func(a *shipment.ASN) { a.Lines[0].Quantity = qty(t, "-1", "EA") },
			want:   []shipment.Violation{{Field: "/lines/0/quantity", Reason: "must be greater than zero"}},
		},
		{
			name:   "duplicate line numbers",
			mutate: func(a *shipment.ASN) { a.Lines[1].Number = 1 },
			want:   []shipment.Violation{{Field: "/lines/1/line_number", Reason: "duplicates line 1 (/lines/0)"}},
		},
		{
			name:   "arrival before ship date",
			mutate: func(a *shipment.ASN) { a.ExpectedArrival = shipDate.Add(-time.Hour) },
			want:   []shipment.Violation{{Field: "/expected_arrival", Reason: "is before ship_date"}},
		},
		{
			name: "every missing header field listed",
			mutate: func(a *shipment.ASN) {
				a.ASNNumber, a.PONumber, a.ShipTo, a.ShipDate = "", " ", "", time.Time{}
			},
			want: []shipment.Violation{
				{Field: "/asn_number", Reason: "is required"},
				{Field: "/po_number", Reason: "is required"},
				{Field: "/ship_date", Reason: "is required"},
			},
		},
		{
			name: "identifiers longer than the bound",
			mutate: func(a *shipment.ASN) {
				a.PONumber = strings.Repeat("P", shipment.MaxIdentifierLength+1)
				a.Lines[1].Lot = strings.Repeat("ü", shipment.MaxIdentifierLength+1)
				a.TrackingNumber = strings.Repeat("ü", shipment.MaxIdentifierLength) // characters, not bytes
			},
			want: []shipment.Violation{
				{Field: "/po_number", Reason: "is longer than 80 characters"},
				{Field: "/lines/1/lot", Reason: "is longer than 80 characters"},
			},
		},
		{
			name:   "bad SCAC",
			mutate: func(a *shipment.ASN) { a.CarrierSCAC = "ups" },
			want:   []shipment.Violation{{Field: "/carrier_scac", Reason: "must be 2 to 4 upper-case letters"}},
		},
		{
			name:   "line without item or number",
			mutate: func(a *shipment.ASN) { a.Lines[0].Item, a.Lines[0].Number = "", 0 },
			want: []shipment.Violation{
				{Field: "/lines/0/line_number", Reason: "must be a positive integer"},
				{Field: "/lines/0/item", Reason: "is required"},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			a := validASN(t)
			tt.mutate(&a)
			err := a.Validate()
			if tt.want == nil {
				require.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, shipment.ErrInvalidASN)
			var ve *shipment.ValidationError
			require.True(t, errors.As(err, &ve))
			assert.Equal(t, tt.want, ve.Violations)
		})
	}
}

// replay rebuilds a shipment from decided events, through their JSON payloads as the store keeps them.
func replay(t *testing.T, events ...shipment.Event) *shipment.Shipment {
	t.Helper()
	s := shipment.New()
	for _, e := range events {
		data, err := json.Marshal(e)
		require.NoError(t, err)
		require.NoError(t, s.Apply(e.EventType(), data))
	}
	return s
}

func TestReceiveASN(t *testing.T) {
	t.Parallel()

	t.Run("first ASN is received", func(t *testing.T) {
		t.Parallel()
		events, err := shipment.New().ReceiveASN(validASN(t))
		require.NoError(t, err)
		require.Len(t, events, 1)
		got, ok := events[0].(shipment.ASNReceived)
		require.True(t, ok, "got %T", events[0])
		assert.Equal(t, "shipment.asn_received.v1", got.EventType())
		assert.Equal(t, "ASN-1001", got.ASNNumber)
		assert.Equal(t, "P00042", got.PONumber)
		assert.Equal(t, []shipment.LineData{
			{LineNumber: 1, Item: "SKU-42", Quantity: "24", Unit: "EA", POLine: "1", Lot: "L2026-03"},
			{LineNumber: 2, Item: "SKU-77", Quantity: "2.5", Unit: "KGM", POLine: "2"},
		}, got.Lines)
	})

	t.Run("same content again is a no-op", func(t *testing.T) {
		t.Parallel()
		first, err := shipment.New().ReceiveASN(validASN(t))
		require.NoError(t, err)
		s := replay(t, first...)
		again := validASN(t)
		// Formatted differently, same content: another zone, trailing zeros.
		again.ShipDate = shipDate.In(time.FixedZone("CET", 3600))
		again.Lines[0].Quantity = qty(t, "24.00", "EA")
		events, err := s.ReceiveASN(again)
		require.NoError(t, err)
		assert.Empty(t, events)
		assert.Equal(t, int64(1), s.Version())
	})

	t.Run("changed quantity is a revision", func(t *testing.T) {
		t.Parallel()
		first, err := shipment.New().ReceiveASN(validASN(t))
		require.NoError(t, err)
		s := replay(t, first...)
		changed := validASN(t)
		changed.Lines[0].Quantity = qty(t, "20", "EA")
		events, err := s.ReceiveASN(changed)
		require.NoError(t, err)
		require.Len(t, events, 1)
		rev, ok := events[0].(shipment.ASNRevised)
		require.True(t, ok, "got %T", events[0])
		assert.Equal(t, "shipment.asn_revised.v1", rev.EventType())
		assert.Equal(t, 2, rev.Revision)
		assert.Equal(t, "20", rev.Lines[0].Quantity)

		s = replay(t, append(first, rev)...)
		assert.Equal(t, int64(2), s.Version())
		assert.Equal(t, 2, s.Revision())
		cur, ok := s.Current()
		require.True(t, ok)
		assert.Equal(t, "20 EA", cur.Lines[0].Quantity.String())

		third := validASN(t)
		events, err = s.ReceiveASN(third)
		require.NoError(t, err)
		require.Len(t, events, 1)
		assert.Equal(t, 3, events[0].(shipment.ASNRevised).Revision, "going back to the first content is a third revision")
	})

	t.Run("invalid ASN decides nothing", func(t *testing.T) {
		t.Parallel()
		a := validASN(t)
		a.Lines = nil
		events, err := shipment.New().ReceiveASN(a)
		require.ErrorIs(t, err, shipment.ErrInvalidASN)
		assert.Nil(t, events)
	})

	t.Run("other event types advance the version only", func(t *testing.T) {
		t.Parallel()
		s := shipment.New()
		require.NoError(t, s.Apply("shipment.carrier_milestone.v1", []byte(`{}`)))
		assert.Equal(t, int64(1), s.Version())
		_, ok := s.Current()
		assert.False(t, ok)
	})
}

func TestPayloadJSON(t *testing.T) {
	t.Parallel()
	events, err := shipment.New().ReceiveASN(validASN(t))
	require.NoError(t, err)
	data, err := json.Marshal(events[0])
	require.NoError(t, err)
	assert.JSONEq(t, `{
		"asn_number": "ASN-1001", "po_number": "P00042", "tracking_number": "1Z999AA10123456784",
		"supplier": "acme", "ship_date": "2026-03-02T14:00:00Z", "expected_arrival": "2026-03-05T09:00:00Z",
		"carrier_scac": "UPSN", "ship_to": "WH1",
		"lines": [
			{"line_number": 1, "item": "SKU-42", "quantity": "24", "unit": "EA", "po_line": "1", "lot": "L2026-03"},
			{"line_number": 2, "item": "SKU-77", "quantity": "2.5", "unit": "KGM", "po_line": "2"}
		]}`, string(data))
	assert.Equal(t, "shipment-acme:ASN-1001", shipment.StreamID("acme", "ASN-1001"))
}

// An ASN's announcement in Odoo is recorded once per revision: after it, a retry or a re-drive records
// nothing, not even a deferral.
func TestRecordOdooAnnouncement(t *testing.T) {
	s := shipment.New()
	data, err := json.Marshal(shipment.ASNData{ASNNumber: "ASN-1", PONumber: "P1", Supplier: "acme",
		Lines: []shipment.LineData{{LineNumber: 1, Item: "WID", Quantity: "10", Unit: "EA"}}})
	require.NoError(t, err)
	require.NoError(t, s.Apply(shipment.EventASNReceived, data))

	deferred := &shipment.AnnounceFailedData{ASNNumber: "ASN-1", Supplier: "acme", PONumber: "P1", Revision: 1, Reason: "odoo down"}
	events, err := s.RecordOdooAnnouncement(nil, nil, deferred)
	require.NoError(t, err)
	require.Len(t, events, 1)
	assert.Equal(t, shipment.EventOdooAnnounceDeferred, events[0].EventType())

	announced := &shipment.AnnouncedData{ASNNumber: "ASN-1", Supplier: "acme", PONumber: "P1", Revision: 1,
		Outcome: shipment.AnnouncedUpdated, Picking: "WH/IN/00001", Expected: map[string]string{"WID": "10"}}
	events, err = s.RecordOdooAnnouncement(announced, nil, nil)
	require.NoError(t, err)
	require.Len(t, events, 1)
	b, _ := json.Marshal(events[0])
	require.NoError(t, s.Apply(events[0].EventType(), b))
	for _, try := range []func() ([]shipment.Event, error){
		func() ([]shipment.Event, error) { return s.RecordOdooAnnouncement(announced, nil, nil) },
		func() ([]shipment.Event, error) { return s.RecordOdooAnnouncement(nil, nil, deferred) },
	} {
		events, err := try()
		require.NoError(t, err)
		assert.Empty(t, events)
	}
	_, err = s.RecordOdooAnnouncement(nil, nil, nil)
	require.Error(t, err)
}
