package workflows_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crossdock-hub/crossdock/adapters/outbox"
	"github.com/crossdock-hub/crossdock/commands"
	"github.com/crossdock-hub/crossdock/commands/workflows"
	"github.com/crossdock-hub/crossdock/domain"
	"github.com/crossdock-hub/crossdock/domain/order"
	"github.com/crossdock-hub/crossdock/domain/partner"
	"github.com/crossdock-hub/crossdock/eventstore"
	"github.com/crossdock-hub/crossdock/eventstore/sqlite"
	"github.com/crossdock-hub/crossdock/internal/testdb"
)

type partners map[string]partner.Profile

func (p partners) Profile(id string) (partner.Profile, bool) {
	pr, ok := p[id]
	return pr, ok
}

// fileSender is the outbox adapter, as cmd/crossdock wires it; down makes it fail as a full disk would.
type fileSender struct {
	s    *outbox.Sender
	down bool
}

func (f *fileSender) SendPurchaseOrder(_ context.Context, p partner.Profile, ch partner.Channel, revision int, control uint64, at time.Time, po order.PurchaseOrder) (workflows.Dispatch, error) {
	if f.down {
		return workflows.Dispatch{}, fmt.Errorf("%w: disk full", workflows.ErrLater)
	}
	w, err := f.s.Send(outbox.Outgoing{Partner: p, Channel: ch, Revision: revision, Control: control, At: at, PurchaseOrder: &po})
	return workflows.Dispatch{Format: w.Format, Transaction: w.Transaction, Interchange: w.Interchange, Group: w.Group, File: w.File, Bytes: w.Bytes}, err
}

func (f *fileSender) SendWarehouseOrder(_ context.Context, p partner.Profile, ch partner.Channel, revision int, control uint64, at time.Time, wo order.WarehouseOrder) (workflows.Dispatch, error) {
	w, err := f.s.Send(outbox.Outgoing{Partner: p, Channel: ch, Revision: revision, Control: control, At: at, WarehouseOrder: &wo})
	return workflows.Dispatch{Format: w.Format, Transaction: w.Transaction, Interchange: w.Interchange, Group: w.Group, File: w.File, Bytes: w.Bytes}, err
}

// A purchase order placed with a supplier that has an outbox is written there once, with the
// supplier's item numbers, and recorded as sent; a supplier without one is sent nothing; an order the
// supplier's crosswalk cannot name is a dead letter; a sender that cannot write holds the workflow.
func TestOrdersToPartners(t *testing.T) {
	s, err := sqlite.Open(t.Context(), testdb.SQLitePath(t), sqlite.Config{})
	require.NoError(t, err)
	t.Cleanup(func() { _ = s.Close() })
	ctx := t.Context()
	dir := t.TempDir()
	logger := slog.New(slog.NewTextHandler(t.Output(), nil))
	out := partner.Channel{Kind: partner.ChannelOutbox, Format: partner.FormatX12, Documents: []string{partner.KindPurchaseOrder}, Dir: dir}
	ps := partners{
		"acme": {ID: "acme", Identifiers: partner.Identifiers{ISA: []partner.ISAID{{Qualifier: "ZZ", ID: "ACMESUPPLY"}}},
			Channels: []partner.Channel{out}, Items: []partner.ItemMapping{{PartnerItem: "A-BLUE", Product: "WIDGET-BLUE"}}},
		"bolt": {ID: "bolt", Identifiers: partner.Identifiers{ISA: []partner.ISAID{{Qualifier: "ZZ", ID: "BOLT"}}}},
	}
	box, err := outbox.New(outbox.DefaultIdentity)
	require.NoError(t, err)
	sender := &fileSender{s: box}
	sent, err := commands.NewOrderSentHandler(s, logger)
	require.NoError(t, err)
	flow, err := workflows.NewOrdersToPartners(workflows.OrdersConfig{Partners: ps, Sender: sender, Sent: sent, Logger: logger})
	require.NoError(t, err)

	placed := func(po, supplier string, products ...string) eventstore.Event {
		d := order.OrderData{PONumber: po, Purpose: order.PurposeOriginal, Supplier: supplier, OrderDate: time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)}
		for i, p := range products {
			d.Lines = append(d.Lines, order.LineData{LineNumber: fmt.Sprint(i + 1), Product: p, Quantity: decimal.NewFromInt(60), Unit: "EA"})
		}
		data, err := json.Marshal(order.Placed{OrderData: d})
		require.NoError(t, err)
		_, err = s.Append(ctx, order.POStreamID(po), eventstore.NoStream, eventstore.EventData{ID: eventstore.DeriveID("test:"+po, 0),
			Type: order.EventPlaced, Data: data, Metadata: eventstore.Metadata{CorrelationID: "c-" + po}})
		require.NoError(t, err)
		evs, err := s.ReadStream(ctx, order.POStreamID(po), 1, 10)
		require.NoError(t, err)
		return evs[0]
	}
	stream := func(po string) []eventstore.Event {
		evs, err := s.ReadStream(ctx, order.POStreamID(po), 1, 100)
		require.NoError(t, err)
		return evs
	}
	files := func() []string {
		entries, err := os.ReadDir(dir)
		require.NoError(t, err)
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		return names
	}

	p1 := placed("P00001", "acme", "WIDGET-BLUE")
	p2 := placed("P00002", "bolt", "WIDGET-BLUE")
	p3 := placed("P00003", "acme", "WIDGET-BLUE", "WIDGET-GREEN")
	require.NoError(t, flow.React(ctx, []eventstore.Event{p1, p2, p3}))

	evs := stream("P00001")
	require.Len(t, evs, 2)
	require.Equal(t, order.EventSent, evs[1].Type)
	var d order.SentData
	require.NoError(t, json.Unmarshal(evs[1].Data, &d))
	assert.Equal(t, "P00001", d.OrderNumber)
	assert.Equal(t, "acme", d.Partner)
	assert.Equal(t, partner.KindPurchaseOrder, d.Document)
	assert.Equal(t, 1, d.Revision)
	assert.Equal(t, "x12", d.Format)
	assert.Equal(t, "850", d.Transaction)
	assert.Equal(t, p1.ID.String(), evs[1].Metadata.CausationID)
	assert.Equal(t, "c-P00001", evs[1].Metadata.CorrelationID)
	require.Equal(t, []string{filepath.Base(d.File)}, files())
	body, err := os.ReadFile(d.File)
	require.NoError(t, err)
	assert.Contains(t, string(body), "*VN*A-BLUE", "the supplier's item number")
	assert.Contains(t, string(body), "ISA*00*          *00*          *ZZ*CROSSDOCK      *ZZ*ACMESUPPLY     *")

	assert.Len(t, stream("P00002"), 1, "a supplier without an outbox is sent nothing")
	evs = stream("P00003")
	require.Len(t, evs, 2)
	require.Equal(t, order.EventSendFailed, evs[1].Type)
	var f order.SendFailedData
	require.NoError(t, json.Unmarshal(evs[1].Data, &f))
	assert.Equal(t, "partner acme's item crosswalk names no item for WIDGET-GREEN: map them, then retry", f.Reason)

	// The supplier picked the file up; the order reacted to again (a rebuild, a re-drive) is not sent twice.
	require.NoError(t, os.Remove(d.File))
	require.NoError(t, flow.React(ctx, []eventstore.Event{p1}))
	assert.Empty(t, files())
	assert.Len(t, stream("P00001"), 2)

	// The outbox cannot be written: the workflow stops at the order, recording nothing.
	sender.down = true
	p4 := placed("P00004", "acme", "WIDGET-BLUE")
	err = flow.React(ctx, []eventstore.Event{p4})
	require.True(t, errors.Is(err, workflows.ErrLater), "%v", err)
	assert.Len(t, stream("P00004"), 1)
	sender.down = false
	require.NoError(t, flow.React(ctx, []eventstore.Event{p4}))
	assert.Len(t, stream("P00004"), 2)
	assert.Len(t, files(), 1)

	// P00004 changes after it was sent: the change goes as a replacement (BEG01 05), not a second order.
	changed := order.OrderData{PONumber: "P00004", Purpose: order.PurposeOriginal, Supplier: "acme", OrderDate: time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC),
		Lines: []order.LineData{{LineNumber: "1", Product: "WIDGET-BLUE", Quantity: decimal.NewFromInt(72), Unit: "EA"}}}
	data, err := json.Marshal(order.Changed{OrderData: changed, Revision: 2})
	require.NoError(t, err)
	_, err = s.Append(ctx, order.POStreamID("P00004"), 2, eventstore.EventData{ID: eventstore.DeriveID("test:P00004:2", 0), Type: order.EventChanged, Data: data})
	require.NoError(t, err)
	change := stream("P00004")[2]
	require.NoError(t, flow.React(ctx, []eventstore.Event{change}))
	evs = stream("P00004")
	require.Len(t, evs, 4)
	require.Equal(t, order.EventSent, evs[3].Type)
	require.NoError(t, json.Unmarshal(evs[3].Data, &d))
	assert.Equal(t, 2, d.Revision)
	body, err = os.ReadFile(d.File)
	require.NoError(t, err)
	assert.Contains(t, string(body), "BEG*05*SA*P00004", "a replacement")

	// A warehouse order changed after it was sent is not sent again: the warehouse is told by hand.
	ps["northwind"] = partner.Profile{ID: "northwind", Identifiers: partner.Identifiers{ISA: []partner.ISAID{{Qualifier: "ZZ", ID: "NORTHWIND"}}},
		Channels: []partner.Channel{{Kind: partner.ChannelOutbox, Format: partner.FormatX12, Documents: []string{partner.KindWarehouseOrder}, Dir: dir}}}
	wo := order.WarehouseOrderData{OrderNumber: "S00001", Purpose: order.PurposeOriginal, Partner: "northwind", ShipTo: domain.Party{Role: "ST", Name: "Bolt"},
		OrderDate: time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC), Lines: []order.LineData{{LineNumber: "1", Product: "WIDGET-BLUE", Quantity: decimal.NewFromInt(8), Unit: "EA"}}}
	for i, ev := range []any{order.WarehouseOrderPlaced{WarehouseOrderData: wo}, order.WarehouseOrderChanged{WarehouseOrderData: wo, Revision: 2}} {
		data, err := json.Marshal(ev)
		require.NoError(t, err)
		typ := order.EventWarehouseOrderPlaced
		if i == 1 {
			typ = order.EventWarehouseOrderChanged
		}
		_, err = s.Append(ctx, order.WarehouseOrderStreamID("S00001"), eventstore.Any, eventstore.EventData{ID: eventstore.DeriveID(fmt.Sprint("test:S00001:", i), 0),
			Type: typ, Data: data})
		require.NoError(t, err)
	}
	woEvents, err := s.ReadStream(ctx, order.WarehouseOrderStreamID("S00001"), 1, 10)
	require.NoError(t, err)
	require.NoError(t, flow.React(ctx, woEvents))
	woEvents, err = s.ReadStream(ctx, order.WarehouseOrderStreamID("S00001"), 1, 10)
	require.NoError(t, err)
	var got []string
	for _, ev := range woEvents {
		got = append(got, ev.Type)
	}
	assert.Equal(t, []string{order.EventWarehouseOrderPlaced, order.EventWarehouseOrderChanged, order.EventSent, order.EventSendFailed}, got)
	assert.Contains(t, string(woEvents[3].Data), "changed after it was sent")
}
