package edifactdoc

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/crossdock-hub/crossdock/adapters/edi/edifact"
	"github.com/crossdock-hub/crossdock/domain"
	"github.com/crossdock-hub/crossdock/domain/shipment"
)

func TestDESADVTwoPackingLevels(t *testing.T) {
	r := mapOne(t, readFile(t, "testdata/desadv_cps_sscc.edi"), Options{})
	a := accepted(t, r).(shipment.ASN)

	require.Equal(t, "ASN-7781", a.ASNNumber)
	require.Equal(t, "original", a.Purpose)
	require.Equal(t, "PO-4711", a.PONumber)
	require.Equal(t, "5412345000013", a.Supplier, "NAD+SU")
	require.Equal(t, "WH1", a.ShipTo, "NAD+ST")
	require.Equal(t, utc("2024-03-01T08:15:00Z"), a.ShipDate, "DTM+11 wins over DTM+137")
	require.Equal(t, utc("2024-03-04T00:00:00Z"), a.ExpectedArrival, "DTM+132")
	require.Equal(t, "UPSN", a.CarrierSCAC)
	require.Equal(t, "1Z999AA10123456784", a.TrackingNumber, "RFF+CN")
	require.Equal(t, "BOL-889", a.BillOfLading, "RFF+BM")

	tests := []struct {
		number    int
		ref       domain.ItemRef
		qty, unit string
		ordered   domain.Quantity
		sscc      string
		poLine    string
		lot       string
		why       string
	}{
		{1, domain.ItemRef{GTIN: "4012345678901", PartnerItem: "SKU-1", BuyerItem: "BUY-1", Description: "BLUE WIDGET"},
			"24", "PCE", qty("30", "PCE"), "354123450000000021", "10", "", "carton CPS 3 on pallet CPS 2: the carton's SSCC"},
		{2, domain.ItemRef{GTIN: "4012345678918"}, "12", "PCE", domain.Quantity{}, "", "", "",
			"CPS 4 holds two cartons: no single SSCC; QTY without a unit counts pieces"},
		{3, domain.ItemRef{PartnerItem: "SKU-3", Description: "SCREWS 2+1 FREE"}, "2.5", "KGM", domain.Quantity{}, "", "", "LOT-2024-03",
			"PIA batch number NB is the lot; the released '+' is data"},
		{4, domain.ItemRef{GTIN: "4012345678925"}, "100", "PCE", domain.Quantity{}, "354123450000000052", "", "",
			"directly on pallet CPS 5, whose 20-digit SSCC loses its 00"},
		{5, domain.ItemRef{GTIN: "4012345678932"}, "6", "PCE", domain.Quantity{}, "354123450000000052", "", "",
			"carton CPS 6 has no SSCC: the pallet's, up the tree"},
	}
	require.Len(t, a.Lines, len(tests))
	for i, tt := range tests {
		t.Run(tt.why, func(t *testing.T) {
			l := a.Lines[i]
			require.Equal(t, tt.number, l.Number)
			require.Equal(t, tt.ref, l.Ref)
			require.Empty(t, l.Item, "resolution is the crosswalk's")
			requireQty(t, qty(tt.qty, tt.unit), l.Quantity)
			requireQty(t, qty(tt.qty, tt.unit), l.PartnerQuantity, "the partner's quantity is kept beside")
			requireQty(t, tt.ordered, l.Ordered)
			require.Equal(t, tt.sscc, l.SSCC)
			require.Equal(t, tt.poLine, l.POLine)
			require.Equal(t, tt.lot, l.Lot)
		})
	}
	require.True(t, hasWarning(r.Warnings, `line "2" is in CPS "4", which has 2 packages`))
	require.True(t, hasWarning(r.Warnings, `line "3" is in CPS "4"`))
}

// desadvBody is a minimal valid DESADV body; tests replace or add segments.
func desadvBody(extra ...string) []string {
	body := []string{
		"BGM+351+ASN-1+9",
		"DTM+11:20240301:102",
		"RFF+ON:PO-1",
		"NAD+ST+WH1",
		"CPS+1",
		"GIN+BJ+354123450000000014",
		"LIN+1++4012345678901:EN",
		"QTY+12:5",
	}
	return append(body, extra...)
}

func TestDESADVChoices(t *testing.T) {
	tests := []struct {
		name  string
		body  []string
		check func(t *testing.T, a shipment.ASN, r Result)
	}{
		{"BGM 5 replaces", replace(desadvBody(), 0, "BGM+351+ASN-1+5"), func(t *testing.T, a shipment.ASN, _ Result) {
			require.Equal(t, "replace", a.Purpose)
		}},
		{"BGM 1 cancels", replace(desadvBody(), 0, "BGM+351+ASN-1+1"), func(t *testing.T, a shipment.ASN, _ Result) {
			require.Equal(t, "cancel", a.Purpose)
		}},
		{"document date when no despatch date", replace(desadvBody(), 1, "DTM+137:202403011230:203"), func(t *testing.T, a shipment.ASN, r Result) {
			require.Equal(t, utc("2024-03-01T12:30:00Z"), a.ShipDate)
			require.True(t, hasWarning(r.Warnings, "no despatch date (DTM+11)"))
		}},
		{"estimated delivery DTM+17", insert(desadvBody(), 2, "DTM+17:20240305:102"), func(t *testing.T, a shipment.ASN, _ Result) {
			require.Equal(t, utc("2024-03-05T00:00:00Z"), a.ExpectedArrival)
		}},
		{"a DTM in the detail is not the header's", desadvBody("DTM+17:20240305:102"), func(t *testing.T, a shipment.ASN, _ Result) {
			require.True(t, a.ExpectedArrival.IsZero())
		}},
		{"GIN under the LIN is the line's package", desadvBody("GIN+BJ+354123450000000021"), func(t *testing.T, a shipment.ASN, _ Result) {
			require.Equal(t, "354123450000000021", a.Lines[0].SSCC)
		}},
		{"a second purchase order is a warning", desadvBody("RFF+ON:PO-2:3"), func(t *testing.T, a shipment.ASN, r Result) {
			require.Equal(t, "PO-1", a.PONumber)
			require.Equal(t, "3", a.Lines[0].POLine)
			require.True(t, hasWarning(r.Warnings, `purchase order "PO-2" differs from "PO-1"`))
		}},
		{"a carrier that is not a SCAC", append([]string{"TDT+20++30++5412345000013::9:ACME TRANSPORT"}, desadvBody()...), func(t *testing.T, a shipment.ASN, r Result) {
			require.Empty(t, a.CarrierSCAC)
			require.True(t, hasWarning(r.Warnings, "is not a SCAC"))
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := mapOne(t, interchange("DESADV", tt.body...), Options{})
			tt.check(t, accepted(t, r).(shipment.ASN), r)
		})
	}
}

func TestDESADVErrors(t *testing.T) {
	tests := []struct {
		name      string
		body      []string
		seg       int // body index of the segment in error, -1 for a missing segment
		tag       string
		el, comp  int
		code      string
		reasonHas string
	}{
		{"bad SSCC check digit", replace(desadvBody(), 5, "GIN+BJ+354123450000000015"), 5, "GIN", 2, 1, edifact.CodeInvalidValue, "check digit 5, want 4"},
		{"SSCC not 18 digits", replace(desadvBody(), 5, "GIN+BJ+35412345"), 5, "GIN", 2, 1, edifact.CodeInvalidValue, "not 18 digits"},
		{"no despatched quantity", replace(desadvBody(), 7, "QTY+21:5"), 6, "LIN", 0, 0, edifact.CodeMissing, "no despatched quantity (QTY+12)"},
		{"line number not a number", replace(desadvBody(), 6, "LIN+A++4012345678901:EN"), 6, "LIN", 1, 0, edifact.CodeInvalidValue, "not a positive integer"},
		{"line without item", replace(desadvBody(), 6, "LIN+1"), 6, "LIN", 3, 1, edifact.CodeMissing, "identifies no item"},
		{"unknown parent", replace(desadvBody(), 4, "CPS+2+9"), 4, "CPS", 2, 0, edifact.CodeInvalidValue, `names parent "9"`},
		{"repeated line number", desadvBody("LIN+1++4012345678918:EN", "QTY+12:1"), 8, "LIN", 1, 0, edifact.CodeInvalidValue, "repeats the LIN"},
		{"bad unit", replace(desadvBody(), 7, "QTY+12:5:KILO"), 7, "QTY", 1, 3, edifact.CodeInvalidValue, "invalid unit of measure"},
		{"bad quantity", replace(desadvBody(), 7, "QTY+12:5x"), 7, "QTY", 1, 2, edifact.CodeInvalidValue, "invalid numeric value"},
		{"unsupported function", replace(desadvBody(), 0, "BGM+351+ASN-1+4"), 0, "BGM", 3, 0, edifact.CodeNotSupportedValue, "message function"},
		{"invalid despatch date", replace(desadvBody(), 1, "DTM+11:20241301:102"), 1, "DTM", 1, 2, edifact.CodeInvalidValue, "not a valid date/time"},
		{"no purchase order", remove(desadvBody(), 2), -1, "RFF", 0, 0, edifact.CodeMissing, "purchase order number (RFF+ON)"},
		{"no BGM", remove(desadvBody(), 0), -1, "BGM", 0, 0, edifact.CodeMissing, "BGM segment"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := mapOne(t, interchange("DESADV", tt.body...), Options{})
			require.Nil(t, r.Document)
			var e *edifact.Error
			if tt.seg < 0 {
				for _, x := range r.Errors {
					if x.Tag == tt.tag && x.Segment == 0 {
						e = x
					}
				}
				require.NotNil(t, e, "want a missing %s, have %v", tt.tag, r.Errors)
				require.Equal(t, r.Message.Segments[0].Offset, e.Offset, "a missing segment is reported at the UNH")
			} else {
				e = errorAt(t, r, bodyStart+tt.seg, tt.tag)
			}
			require.Equal(t, tt.el, e.Element)
			require.Equal(t, tt.comp, e.Component)
			require.Equal(t, tt.code, e.Code)
			require.Contains(t, e.Reason, tt.reasonHas)
		})
	}
}

func replace(body []string, i int, seg string) []string {
	out := append([]string(nil), body...)
	out[i] = seg
	return out
}

func remove(body []string, i int) []string {
	out := append([]string(nil), body[:i]...)
	return append(out, body[i+1:]...)
}

func insert(body []string, i int, seg string) []string {
	out := append([]string(nil), body[:i]...)
	out = append(out, seg)
	return append(out, body[i:]...)
}
