package odoocapture_test

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crossdock-hub/crossdock/adapters/archive"
	"github.com/crossdock-hub/crossdock/adapters/odoocapture"
	"github.com/crossdock-hub/crossdock/adapters/odoosim"
	"github.com/crossdock-hub/crossdock/commands"
	"github.com/crossdock-hub/crossdock/domain/order"
	"github.com/crossdock-hub/crossdock/eventstore"
)

type ordersEnv struct {
	sim     *odoosim.Server
	store   eventstore.Store
	archive *archive.Archive
	capture *odoocapture.OrderCapture
}

func newOrdersEnv(t *testing.T, version int) *ordersEnv {
	t.Helper()
	b := newBase(t, version)
	placer, err := commands.NewPlaceOrderHandler(b.store, commands.PlaceOrderConfig{Logger: b.logger})
	require.NoError(t, err)
	c, err := odoocapture.NewOrderCapture(odoocapture.OrdersConfig{Odoo: b.client, Archive: b.archive, Placer: placer,
		PageSize: 2, Logger: b.logger})
	require.NoError(t, err)
	return &ordersEnv{sim: b.sim, store: b.store, archive: b.archive, capture: c}
}

func (e *ordersEnv) call(t *testing.T, model, method string, args ...any) any {
	t.Helper()
	v, err := e.sim.Call(model, method, args, nil)
	require.NoError(t, err, "%s.%s", model, method)
	return v
}

func (e *ordersEnv) events(t *testing.T, po string) []eventstore.Event {
	evs, err := e.store.ReadStream(t.Context(), order.POStreamID(po), 1, 100)
	if err != nil {
		return nil
	}
	return evs
}

func orderData(t *testing.T, ev eventstore.Event) order.OrderData {
	var d order.OrderData
	require.NoError(t, json.Unmarshal(ev.Data, &d))
	return d
}

// A purchase order is recorded once Odoo confirms it, as placed with the supplier named by its
// Reference, in Crossdock's units; read again it records nothing; changed, it records the change;
// cancelled, the cancellation.
func TestOrderCapture(t *testing.T) {
	for _, version := range []int{16, 17, 19} {
		t.Run(odoosimVersion(version), func(t *testing.T) {
			e := newOrdersEnv(t, version)
			ctx := t.Context()
			supplier, err := e.sim.Create("res.partner", map[string]any{"name": "Acme Supply", "ref": "acme"})
			require.NoError(t, err)
			blue, err := e.sim.Create("product.product", map[string]any{"name": "Blue widget", "default_code": "WID-BLUE"})
			require.NoError(t, err)
			red, err := e.sim.Create("product.product", map[string]any{"name": "Red widget", "default_code": "WID-RED"})
			require.NoError(t, err)
			po, err := e.sim.Create("purchase.order", map[string]any{"partner_id": supplier, "order_line": []any{
				[]any{0, 0, map[string]any{"product_id": blue, "product_qty": 10, "price_unit": 2.5}},
				[]any{0, 0, map[string]any{"product_id": red, "product_qty": 4, "price_unit": 12, odooUoM(version): 2}}}})
			require.NoError(t, err)

			out, err := e.capture.Poll(ctx)
			require.NoError(t, err)
			assert.Equal(t, 0, out.Recorded, "a draft is not placed yet")
			assert.Empty(t, e.events(t, "P00001"))

			e.call(t, "purchase.order", "button_confirm", []any{po})
			out, err = e.capture.Poll(ctx)
			require.NoError(t, err)
			assert.Equal(t, 1, out.Recorded)
			evs := e.events(t, "P00001")
			require.Len(t, evs, 1)
			assert.Equal(t, order.EventPlaced, evs[0].Type)
			d := orderData(t, evs[0])
			assert.Equal(t, "acme", d.Supplier)
			assert.Equal(t, order.PurposeOriginal, d.Purpose)
			require.Len(t, d.Lines, 2)
			assert.Equal(t, "WID-BLUE", d.Lines[0].Product)
			assert.Equal(t, "10", d.Lines[0].Quantity.String())
			assert.Equal(t, "EA", d.Lines[0].Unit)
			assert.Equal(t, "2.5", d.Lines[0].UnitPrice.String())
			assert.Equal(t, "WID-RED", d.Lines[1].Product)
			assert.Equal(t, "4", d.Lines[1].Quantity.String())
			assert.Equal(t, "DZ", d.Lines[1].Unit, "Dozens")
			assert.Equal(t, "odoo:odoo", evs[0].Metadata.Source)

			// Read again (the poll overlaps): nothing new.
			out, err = e.capture.Poll(ctx)
			require.NoError(t, err)
			assert.Equal(t, 0, out.Recorded)
			assert.Equal(t, 1, out.Unchanged)
			assert.Len(t, e.events(t, "P00001"), 1)

			// A buyer raises the blue line to 12 on the order's form.
			var lines []any
			rec, ok := e.sim.Read("purchase.order", po)
			require.True(t, ok)
			lines = rec["order_line"].([]any)
			e.call(t, "purchase.order", "write", []any{po}, map[string]any{"order_line": []any{[]any{1, lines[0], map[string]any{"product_qty": 12}}}})
			out, err = e.capture.Fetch(ctx, []int64{po}) // as a webhook would ask
			require.NoError(t, err)
			assert.Equal(t, 1, out.Recorded)
			evs = e.events(t, "P00001")
			require.Len(t, evs, 2)
			assert.Equal(t, order.EventChanged, evs[1].Type)
			assert.Equal(t, "12", orderData(t, evs[1]).Lines[0].Quantity.String())

			e.call(t, "purchase.order", "button_cancel", []any{po})
			_, err = e.capture.Poll(ctx)
			require.NoError(t, err)
			evs = e.events(t, "P00001")
			require.Len(t, evs, 3)
			assert.Equal(t, order.PurposeCancel, orderData(t, evs[2]).Purpose)
		})
	}
}

// An order Crossdock cannot name is parked in the archive with every reason, and records nothing.
func TestOrderCaptureParksWhatItCannotName(t *testing.T) {
	e := newOrdersEnv(t, 17)
	ctx := t.Context()
	supplier, err := e.sim.Create("res.partner", map[string]any{"name": "Unknown Supply"})
	require.NoError(t, err)
	sample, err := e.sim.Create("product.product", map[string]any{"name": "Sample"})
	require.NoError(t, err)
	po, err := e.sim.Create("purchase.order", map[string]any{"partner_id": supplier, "order_line": []any{
		[]any{0, 0, map[string]any{"product_id": sample, "product_qty": 1, "price_unit": 1}}}})
	require.NoError(t, err)
	e.call(t, "purchase.order", "button_confirm", []any{po})

	out, err := e.capture.Poll(ctx)
	require.NoError(t, err)
	assert.Equal(t, 1, out.Parked)
	assert.Empty(t, e.events(t, "P00001"))
	parked, err := e.archive.Quarantine(ctx, archive.QuarantineQuery{Status: archive.Parked})
	require.NoError(t, err)
	require.Len(t, parked, 1)
	assert.Equal(t, odoocapture.OrderChannel, parked[0].Channel)
	assert.Contains(t, parked[0].Reason, `supplier "Unknown Supply" (res.partner `)
	assert.Contains(t, parked[0].Reason, "has no Crossdock partner ID in its Reference field")
	assert.Contains(t, parked[0].Reason, `product "Sample" (product.product `)
}

func odooUoM(version int) string {
	if version >= 19 {
		return "product_uom_id"
	}
	return "product_uom"
}

// A poll pages through everything written since it last looked, by (write_date, id): orders written in
// the same second on several pages are all taken, once.
func TestOrderCapturePages(t *testing.T) {
	e := newOrdersEnv(t, 17) // page size 2
	supplier, err := e.sim.Create("res.partner", map[string]any{"name": "Acme Supply", "ref": "acme"})
	require.NoError(t, err)
	blue, err := e.sim.Create("product.product", map[string]any{"name": "Blue widget", "default_code": "WID-BLUE"})
	require.NoError(t, err)
	for range 5 {
		po, err := e.sim.Create("purchase.order", map[string]any{"partner_id": supplier, "order_line": []any{
			[]any{0, 0, map[string]any{"product_id": blue, "product_qty": 1, "price_unit": 1}}}})
		require.NoError(t, err)
		e.call(t, "purchase.order", "button_confirm", []any{po})
	}
	out, err := e.capture.Poll(t.Context())
	require.NoError(t, err)
	assert.Equal(t, 5, out.Read)
	assert.Equal(t, 5, out.Recorded)
	for _, po := range []string{"P00001", "P00002", "P00003", "P00004", "P00005"} {
		assert.Len(t, e.events(t, po), 1, po)
	}
}
