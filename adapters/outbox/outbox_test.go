package outbox_test

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crossdock-hub/crossdock/adapters/edi/edifact"
	"github.com/crossdock-hub/crossdock/adapters/edi/edifactdoc"
	"github.com/crossdock-hub/crossdock/adapters/edi/x12"
	"github.com/crossdock-hub/crossdock/adapters/edi/x12doc"
	"github.com/crossdock-hub/crossdock/adapters/outbox"
	"github.com/crossdock-hub/crossdock/domain"
	"github.com/crossdock-hub/crossdock/domain/order"
	"github.com/crossdock-hub/crossdock/domain/partner"
)

var at = time.Date(2026, 11, 26, 14, 30, 0, 0, time.UTC)

func acme(dir, format string) (partner.Profile, partner.Channel) {
	ch := partner.Channel{Kind: partner.ChannelOutbox, Format: format, Documents: []string{partner.KindPurchaseOrder}, Dir: dir}
	return partner.Profile{ID: "acme", Identifiers: partner.Identifiers{ISA: []partner.ISAID{{Qualifier: "ZZ", ID: "ACMESUPPLY"}},
		GS: []string{"ACMESUPPLY"}, GLN: []string{"4012345000009"}}, Channels: []partner.Channel{ch}}, ch
}

func purchaseOrder() *order.PurchaseOrder {
	price := domain.Money{Amount: decimal.RequireFromString("4.25"), Currency: "USD"}
	return &order.PurchaseOrder{PONumber: "P00001", Purpose: order.PurposeOriginal, OrderDate: at, Currency: "USD", Lines: []order.Line{
		{Number: "1", Item: domain.ItemRef{Product: "WIDGET-BLUE", PartnerItem: "A-BLUE"},
			Quantity: domain.Quantity{Amount: decimal.NewFromInt(200), Unit: "EA"}, UnitPrice: &price},
		{Number: "2", Item: domain.ItemRef{Product: "WIDGET-RED", PartnerItem: "A-RED"},
			Quantity: domain.Quantity{Amount: decimal.NewFromInt(100), Unit: "EA"}},
	}}
}

// A purchase order is written as an 850 addressed to the partner's ISA ID; read back, it is the same
// order. Sent again (a retry), it is the same file with the same bytes, not a second one.
func TestSend850(t *testing.T) {
	dir := t.TempDir()
	p, ch := acme(dir, partner.FormatX12)
	s, err := outbox.New(outbox.DefaultIdentity)
	require.NoError(t, err)
	w, err := s.Send(outbox.Outgoing{Partner: p, Channel: ch, Revision: 1, Control: 4711, At: at, PurchaseOrder: purchaseOrder()})
	require.NoError(t, err)
	assert.Equal(t, "x12", w.Format)
	assert.Equal(t, "850", w.Transaction)
	assert.Equal(t, "000004711", w.Interchange, "the control number given")
	assert.Equal(t, "4711", w.Group)
	assert.Equal(t, filepath.Join(dir, "purchase_order_P00001_r1_"+w.Interchange+".x12"), w.File)

	data, err := os.ReadFile(w.File)
	require.NoError(t, err)
	assert.Equal(t, w.Bytes, len(data))
	f, err := x12.Parse(data)
	require.NoError(t, err)
	require.NoError(t, f.Err())
	ic := f.Interchanges[0]
	assert.Equal(t, "CROSSDOCK", ic.SenderID)
	assert.Equal(t, "ACMESUPPLY", ic.ReceiverID)
	assert.Equal(t, w.Interchange, ic.Control)
	assert.Equal(t, w.Group, ic.Groups[0].Control)
	results := x12doc.Map(f, x12doc.Options{})
	require.Len(t, results, 1)
	require.Empty(t, results[0].Errors)
	po := results[0].Document.(order.PurchaseOrder)
	assert.Equal(t, "P00001", po.PONumber)
	require.Len(t, po.Lines, 2)
	assert.Equal(t, "A-BLUE", po.Lines[0].Item.PartnerItem)
	assert.Equal(t, "200", po.Lines[0].Quantity.Amount.String())
	assert.Equal(t, "EA", po.Lines[0].Quantity.Unit)
	assert.Equal(t, "4.25", po.Lines[0].UnitPrice.Amount.String())

	again, err := s.Send(outbox.Outgoing{Partner: p, Channel: ch, Revision: 1, Control: 4711, At: at, PurchaseOrder: purchaseOrder()})
	require.NoError(t, err)
	assert.Equal(t, w, again)
	same, err := os.ReadFile(w.File)
	require.NoError(t, err)
	assert.Equal(t, data, same)
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	assert.Len(t, entries, 1, "one file, no temporary left behind")

	// The next revision is a document of its own, under other control numbers.
	next, err := s.Send(outbox.Outgoing{Partner: p, Channel: ch, Revision: 2, Control: 4712, At: at.Add(time.Hour), PurchaseOrder: purchaseOrder()})
	require.NoError(t, err)
	assert.NotEqual(t, w.Interchange, next.Interchange)
	assert.NotEqual(t, w.File, next.File)
}

// An EDIFACT partner gets an ORDERS addressed to its GLN.
func TestSendORDERS(t *testing.T) {
	dir := t.TempDir()
	p, ch := acme(dir, partner.FormatEDIFACT)
	s, err := outbox.New(outbox.DefaultIdentity)
	require.NoError(t, err)
	w, err := s.Send(outbox.Outgoing{Partner: p, Channel: ch, Revision: 1, Control: 4711, At: at, PurchaseOrder: purchaseOrder()})
	require.NoError(t, err)
	assert.Equal(t, "ORDERS", w.Transaction)
	assert.Equal(t, "4711", w.Interchange)
	data, err := os.ReadFile(w.File)
	require.NoError(t, err)
	f, err := edifact.Parse(data)
	require.NoError(t, err)
	assert.Equal(t, "4012345000009", f.Interchanges[0].Recipient)
	assert.Equal(t, w.Interchange, f.Interchanges[0].Reference)
	results := edifactdoc.Map(f, edifactdoc.Options{})
	require.Len(t, results, 1)
	require.Empty(t, results[0].Errors)
	po := results[0].Document.(order.PurchaseOrder)
	assert.Equal(t, "P00001", po.PONumber)
	require.Len(t, po.Lines, 2)
	assert.Equal(t, "100", po.Lines[1].Quantity.Amount.String())
}

// A directory that is not there is a write failure, for a later try; an order the format cannot carry
// is the document's failure, and writes nothing.
func TestSendFailures(t *testing.T) {
	s, err := outbox.New(outbox.DefaultIdentity)
	require.NoError(t, err)
	p, ch := acme(filepath.Join(t.TempDir(), "missing"), partner.FormatX12)
	_, err = s.Send(outbox.Outgoing{Partner: p, Channel: ch, Revision: 1, Control: 4711, At: at, PurchaseOrder: purchaseOrder()})
	require.ErrorIs(t, err, outbox.ErrWrite)

	dir := t.TempDir()
	p, ch = acme(dir, partner.FormatX12)
	bad := purchaseOrder()
	bad.Lines[1].Quantity.Amount = decimal.Zero
	_, err = s.Send(outbox.Outgoing{Partner: p, Channel: ch, Revision: 1, Control: 4713, At: at, PurchaseOrder: bad})
	require.Error(t, err)
	assert.NotErrorIs(t, err, outbox.ErrWrite)
	assert.Contains(t, err.Error(), "/lines/1/quantity")
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	assert.Empty(t, entries)
}
