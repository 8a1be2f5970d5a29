package x12doc_test

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crossdock-hub/crossdock/adapters/edi/x12"
	"github.com/crossdock-hub/crossdock/adapters/edi/x12doc"
	"github.com/crossdock-hub/crossdock/domain/invoice"
	"github.com/crossdock-hub/crossdock/domain/order"
)

func TestMapUnsupportedSet(t *testing.T) {
	r := mapOne(t, build(t, "SM", "204", "B2**ODFL**SHIP1"), x12doc.Options{})
	assert.Nil(t, r.Document)
	assert.True(t, r.Rejected())
	require.Len(t, r.Errors, 1)
	e := r.Errors[0]
	assert.Equal(t, x12.KindTransaction, e.Kind)
	assert.Equal(t, x12.SetNotSupported, e.Code)
	assert.Contains(t, e.Reason, "transaction set not supported")
	assert.Equal(t, 1, r.Transaction.Position(e.Segment), "the error is at ST")

	// The error is what the 997 reports: AK5 R with AK502 1.
	acks := x12.Review(r.Interchange, map[x12.TxKey][]*x12.Error{r.Key(): r.Errors})
	require.Len(t, acks, 1)
	require.Len(t, acks[0].Sets, 1)
	assert.Equal(t, x12.AckRejected, acks[0].Sets[0].Status)
	assert.Equal(t, []string{x12.SetNotSupported}, acks[0].Sets[0].Errors)
}

// Mapping errors reach the 997 with their positions: AK3 for the segment, AK4 for the element.
func TestMapErrorsFeedThe997(t *testing.T) {
	r := mapOne(t, build(t, "IB", "846", "BIA*00*MM*INV-1*20240320", "LIN*1*VN*W", "QTY*99*1*EA"), x12doc.Options{})
	require.Len(t, r.Errors, 1)
	acks := x12.Review(r.Interchange, map[x12.TxKey][]*x12.Error{r.Key(): r.Errors})
	set := acks[0].Sets[0]
	assert.Equal(t, x12.AckRejected, set.Status)
	require.Len(t, set.Segments, 1)
	assert.Equal(t, "QTY", set.Segments[0].ID)
	assert.Equal(t, 4, set.Segments[0].Position)
	require.Len(t, set.Segments[0].Elements, 1)
	assert.Equal(t, x12.ElementNote{Position: 1, Code: x12.ElemInvalidCode, Value: "99"}, set.Segments[0].Elements[0])
}

// A set whose envelope is in error is mapped (its problems are known) but gives no document.
func TestMapEnvelopeError(t *testing.T) {
	data := build(t, "PO", "850", "BEG*00*SA*PO1**20240301", "PO1*1*2*EA*1.5**VN*W1")
	data = bytes.Replace(data, []byte("SE*4*0001"), []byte("SE*9*0001"), 1)
	f, err := x12.Parse(data)
	require.NoError(t, err)
	require.Error(t, f.Err())
	rs := x12doc.Map(f, x12doc.Options{})
	require.Len(t, rs, 1)
	assert.Nil(t, rs[0].Document)
	assert.True(t, rs[0].Rejected())
	assert.Empty(t, rs[0].Errors, "the mapping itself found nothing")
	assert.NotEmpty(t, rs[0].EnvelopeErrors())
	assert.True(t, containsWarning(rs[0].Warnings, "envelope"))

	// MapTransaction alone still gives the document.
	doc, _, errs := x12doc.MapTransaction(rs[0].Transaction, rs[0].Transaction.Version, x12doc.Options{})
	assert.Empty(t, errs)
	assert.Equal(t, "PO1", doc.(order.PurchaseOrder).PONumber)
}

func TestMap855(t *testing.T) {
	tests := []struct {
		name     string
		segments []string
		accepted bool
		statuses []string
		amounts  []string
	}{
		{"whole order rejected, lines without ACK", []string{"BAK*00*RJ*PO1*20240301", "PO1*1*5*EA*2", "PO1*2*3*EA*2"},
			false, []string{order.LineRejected, order.LineRejected}, []string{"0", "0"}},
		{"accepted, line without ACK takes the order", []string{"BAK*00*AK*PO1*20240301", "PO1*1*5*EA*2"},
			true, []string{order.LineAccepted}, []string{"5"}},
		{"split line: part shipped, part backordered", []string{"BAK*00*AC*PO1*20240301", "PO1*1*5*EA*2", "ACK*IA*3*EA", "ACK*IB*2*EA*068*20240315"},
			true, []string{order.LineAccepted, order.LineBackordered}, []string{"3", "2"}},
		{"changed and other", []string{"BAK*00*AC*PO1*20240301", "PO1*1*5*EA", "ACK*IQ*4", "PO1*2*1*EA", "ACK*ZZ"},
			true, []string{order.LineChanged, order.LineOther}, []string{"4", "1"}},
		{"rejected with reason codes", []string{"BAK*00*AC*PO1*20240301", "PO1*1*5*EA", "ACK*R2"},
			true, []string{order.LineRejected}, []string{"0"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ack, _ := mapClean[order.Acknowledgment](t, build(t, "PR", "855", tt.segments...), x12doc.Options{})
			assert.Equal(t, "PO1", ack.PONumber)
			assert.Equal(t, tt.accepted, ack.Accepted)
			require.Len(t, ack.Lines, len(tt.statuses))
			for i, l := range ack.Lines {
				assert.Equal(t, tt.statuses[i], l.Status, "line %d", i)
				assert.Equal(t, tt.amounts[i], l.Quantity.Amount.String(), "line %d", i)
				assert.Equal(t, "EA", l.Quantity.Unit)
			}
		})
	}
	ack, _ := mapClean[order.Acknowledgment](t, build(t, "PR", "855", tests[2].segments...), x12doc.Options{})
	assert.Equal(t, utc(2024, 3, 15, 0, 0), ack.Lines[1].ScheduledDate, "ACK05")

	r := mapOne(t, build(t, "PR", "855", "BAK*00*AC**20240301", "ACK*IA"), x12doc.Options{})
	errorAt(t, r.Errors, "BAK", 3)
	errorAt(t, r.Errors, "ACK", 0)
}

func TestMap810Charges(t *testing.T) {
	data := build(t, "IN", "810",
		"BIG*20240301*INV-9**PO-9***CR", "CUR*SE*EUR", "ITD*01*3*2**10**30",
		"IT1*1*10*EA*2.50**VP*W1", "IT1*2*4*CS*10**UP*061414100014",
		"SAC*C*D240***1500", "SAC*A*C310***250", "TXI*VA*9.75", "TDS*8725")
	inv, r := mapClean[invoice.Invoice](t, data, x12doc.Options{})
	assert.Empty(t, r.Warnings, "25 + 40 + 15 - 2.50 + 9.75 = 87.25")
	assert.Equal(t, invoice.TypeCredit, inv.Type)
	assert.Equal(t, "EUR", inv.Currency)
	assert.Equal(t, "2% discount within 10 days, net 30 days", inv.Terms)
	require.Len(t, inv.Charges, 2)
	assert.Equal(t, "D240", inv.Charges[0].Code)
	assert.Equal(t, "15", inv.Charges[0].Amount.String())
	assert.False(t, inv.Charges[0].Allowance)
	assert.True(t, inv.Charges[1].Allowance)
	assert.Equal(t, "2.5", inv.Charges[1].Amount.String(), "SAC05 has two implied decimals")
	require.NotNil(t, inv.Tax)
	assert.Equal(t, "9.75", inv.Tax.String())
	assert.Equal(t, "87.25", inv.Total.String())
	assert.True(t, inv.Reconciles())

	r = mapOne(t, build(t, "IN", "810", "BIG*20240301*INV-9", "IT1*1*10*EA", "TDS*12.5"), x12doc.Options{})
	assert.Nil(t, r.Document)
	errorAt(t, r.Errors, "BIG", 4) // no PO number
	errorAt(t, r.Errors, "IT1", 4) // no price
	errorAt(t, r.Errors, "IT1", 6) // no item
	errorAt(t, r.Errors, "TDS", 1) // N2 has no decimal point
}
