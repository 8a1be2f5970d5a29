package x12doc_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crossdock-hub/crossdock/adapters/edi/x12"
	"github.com/crossdock-hub/crossdock/adapters/edi/x12/x12test"
	"github.com/crossdock-hub/crossdock/adapters/edi/x12doc"
	"github.com/crossdock-hub/crossdock/domain/shipment"
)

// asnHead is the shipment level every variation below starts with.
var asnHead = []string{"BSN*00*ASN1*20240301*1200*0001", "HL*1**S", "DTM*011*20240301*0800*ET", "N1*ST*DC1*92*DC1"}

func asn(lines ...string) []string { return append(append([]string(nil), asnHead...), lines...) }

// The tree is built from the parent IDs, not from the order of the segments: here the second pack's
// item comes before the first pack's, and HL IDs are not numbers.
func TestMap856HierarchyFromParents(t *testing.T) {
	data := build(t, "SH", "856", asn(
		"HL*O1*1*O", "PRF*PO-A",
		"HL*O2*1*O", "PRF*PO-B",
		"HL*P1*O1*P", "MAN*GM*006141410000000104",
		"HL*P2*O2*P", "MAN*GM*00006141410000000272",
		"HL*I1*P2*I", "LIN*10*UP*061414100014", "SN1**5*CS**12*EA", "REF*LT*LOT9",
		"HL*I2*P1*I", "LIN*20*VP*WID-2*BP*OURS-2", "SN1**7*EA",
	)...)
	got, r := mapClean[shipment.ASN](t, data, x12doc.Options{})
	assert.Equal(t, "PO-A", got.PONumber, "the first order's PO")
	assert.True(t, containsWarning(r.Warnings, "2 purchase orders"), "warnings: %q", r.Warnings)
	assert.True(t, containsWarning(r.Warnings, "PO-B"), "warnings: %q", r.Warnings)
	assert.Equal(t, utc(2024, 3, 1, 13, 0), got.ShipDate, "DTM*011 08:00 ET (EST)")
	assert.Equal(t, "DC1", got.ShipTo)
	require.Len(t, got.Lines, 2)

	l := got.Lines[0]
	assert.Equal(t, 10, l.Number, "LIN01")
	assert.Equal(t, "006141410000000272", l.SSCC, "the SSCC of pack P2, its parent")
	assertQty(t, qty("5", "CS"), l.Quantity, "quantity")
	assertQty(t, qty("5", "CS"), l.PartnerQuantity, "partner quantity")
	assertQty(t, qty("12", "EA"), l.Ordered, "SN105/SN106")
	assert.Equal(t, "LOT9", l.Lot)

	l = got.Lines[1]
	assert.Equal(t, 20, l.Number)
	assert.Equal(t, "006141410000000104", l.SSCC)
	assert.Equal(t, "WID-2", l.Ref.PartnerItem)
	assert.Equal(t, "OURS-2", l.Ref.BuyerItem)
	assert.Empty(t, l.Item)
}

func TestMap856Problems(t *testing.T) {
	tests := []struct {
		name     string
		segments []string
		errAt    string
		errEl    int
		code     string
	}{
		{"unknown level", asn("HL*2*1*O", "PRF*PO1", "HL*3*2*X", "HL*4*3*I", "LIN*1*UP*061414100014", "SN1**1*EA"),
			"HL", 3, x12.ElemInvalidCode},
		{"parent defined later", asn("HL*2*3*O", "PRF*PO1", "HL*3*1*O", "HL*4*3*I", "LIN*1*UP*061414100014", "SN1**1*EA"),
			"HL", 2, x12.ElemInvalidCode},
		{"parent never defined", asn("HL*2*1*O", "PRF*PO1", "HL*3*9*I", "LIN*1*UP*061414100014", "SN1**1*EA"),
			"HL", 2, x12.ElemInvalidCode},
		{"parent missing", asn("HL*2*1*O", "PRF*PO1", "HL*3**I", "LIN*1*UP*061414100014", "SN1**1*EA"),
			"HL", 2, x12.ElemMandatory},
		{"duplicate ID", asn("HL*2*1*O", "PRF*PO1", "HL*2*1*I", "LIN*1*UP*061414100014", "SN1**1*EA"),
			"HL", 1, x12.ElemInvalidCode},
		{"no quantity", asn("HL*2*1*O", "PRF*PO1", "HL*3*2*I", "LIN*1*UP*061414100014"),
			"HL", 0, x12.SegMandatory},
		{"no item named", asn("HL*2*1*O", "PRF*PO1", "HL*3*2*I", "SN1**1*EA"),
			"HL", 0, x12.SegMandatory},
		{"bad quantity", asn("HL*2*1*O", "PRF*PO1", "HL*3*2*I", "LIN*1*UP*061414100014", "SN1**1.2.3*EA"),
			"SN1", 2, x12.ElemInvalidChar},
		{"bad unit", asn("HL*2*1*O", "PRF*PO1", "HL*3*2*I", "LIN*1*UP*061414100014", "SN1**1*EACH"),
			"SN1", 3, x12.ElemInvalidCode},
		{"no unit", asn("HL*2*1*O", "PRF*PO1", "HL*3*2*I", "LIN*1*UP*061414100014", "SN1**1"),
			"SN1", 3, x12.ElemMandatory},
		{"no PO", asn("HL*2*1*O", "HL*3*2*I", "LIN*1*UP*061414100014", "SN1**1*EA"),
			"PRF", 0, x12.SegMandatory},
		{"no items", asn("HL*2*1*O", "PRF*PO1"), "HL", 0, x12.SegMandatory},
		{"no ASN number", []string{"BSN*00**20240301", "HL*1**S", "HL*2*1*O", "PRF*PO1", "HL*3*2*I", "LIN*1*UP*061414100014", "SN1**1*EA"},
			"BSN", 2, x12.ElemMandatory},
		{"bad ship date", []string{"BSN*00*A1*20240301", "HL*1**S", "DTM*011*20240230", "HL*2*1*O", "PRF*PO1", "HL*3*2*I", "LIN*1*UP*061414100014", "SN1**1*EA"},
			"DTM", 2, x12.ElemInvalidDate},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := mapOne(t, build(t, "SH", "856", tt.segments...), x12doc.Options{})
			assert.Nil(t, r.Document)
			e := errorAt(t, r.Errors, tt.errAt, tt.errEl)
			assert.Equal(t, tt.code, e.Code, "error: %v", e)
			if e.Segment == 0 {
				// A missing segment: nothing in the set to point at.
				assert.Equal(t, x12.SegMandatory, e.Code)
				assert.Contains(t, []string{"no PO", "no items"}, tt.name)
			} else {
				assert.Positive(t, r.Transaction.Position(e.Segment), "the error points into the set: %v", e)
			}
		})
	}
}

func TestMap856Purposes(t *testing.T) {
	for code, purpose := range map[string]string{"00": "original", "05": "replace", "01": "cancel", "14": "original"} {
		t.Run(code, func(t *testing.T) {
			segs := []string{"BSN*" + code + "*A1*20240301*1200", "HL*1**S", "HL*2*1*O", "PRF*PO1", "HL*3*2*I", "LIN*1*UP*061414100014", "SN1**1*EA"}
			got, r := mapClean[shipment.ASN](t, build(t, "SH", "856", segs...), x12doc.Options{})
			assert.Equal(t, purpose, got.Purpose)
			assert.Equal(t, utc(2024, 3, 1, 12, 0), got.ShipDate, "BSN03/04 when there is no DTM*011")
			assert.Equal(t, code == "14", containsWarning(r.Warnings, "BSN01"))
		})
	}
}

func TestMap856LineNumbers(t *testing.T) {
	item := func(id, lin string) []string {
		return []string{"HL*" + id + "*2*I", "LIN*" + lin + "*UP*061414100014", "SN1**1*EA"}
	}
	tests := []struct {
		name    string
		lins    []string
		want    []int
		warning string
	}{
		{"LIN01 numbers", []string{"3", "1"}, []int{3, 1}, ""},
		{"no LIN01", []string{"", ""}, []int{1, 2}, ""},
		{"LIN01 repeats", []string{"1", "1"}, []int{1, 2}, "LIN01 1 names more than one item"},
		{"LIN01 not a number", []string{"A", "B"}, []int{1, 2}, `LIN01 "A" is not a positive integer`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			segs := asn("HL*2*1*O", "PRF*PO1")
			for i, lin := range tt.lins {
				segs = append(segs, item(string(rune('3'+i)), lin)...)
			}
			got, r := mapClean[shipment.ASN](t, build(t, "SH", "856", segs...), x12doc.Options{})
			var numbers []int
			for _, l := range got.Lines {
				numbers = append(numbers, l.Number)
			}
			assert.Equal(t, tt.want, numbers)
			if tt.warning != "" {
				assert.True(t, containsWarning(r.Warnings, tt.warning), "warnings: %q", r.Warnings)
			}
		})
	}
}

// A generated ship notice maps to what the generator says it carries.
func TestMap856Generated(t *testing.T) {
	for _, cartons := range []int{0, 7, 120} {
		gen := x12test.Build856(300, cartons)
		got, r := mapClean[shipment.ASN](t, gen.Data, x12doc.Options{})
		assert.Equal(t, gen.ASNNumber, got.ASNNumber)
		assert.Equal(t, gen.BillOfLading, got.BillOfLading)
		assert.Equal(t, gen.POs[0], got.PONumber)
		assert.Equal(t, len(gen.POs) > 1, containsWarning(r.Warnings, "purchase orders"))
		assert.Equal(t, x12test.ShipDate, got.ShipDate)
		require.Len(t, got.Lines, gen.Lines)
		total := 0
		var ssccs []string
		for i, l := range got.Lines {
			assert.Equal(t, i+1, l.Number)
			total += int(l.Quantity.Amount.IntPart())
			if len(ssccs) == 0 || ssccs[len(ssccs)-1] != l.SSCC {
				ssccs = append(ssccs, l.SSCC)
			}
		}
		assert.Equal(t, gen.TotalQuantity, total)
		if cartons == 0 {
			assert.Equal(t, []string{""}, ssccs)
		} else {
			assert.Equal(t, gen.SSCCs, ssccs)
		}
	}
}
