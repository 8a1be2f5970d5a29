package odoocapture_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crossdock-hub/crossdock/adapters/archive"
	"github.com/crossdock-hub/crossdock/adapters/odoo"
	"github.com/crossdock-hub/crossdock/adapters/odoocapture"
	"github.com/crossdock-hub/crossdock/adapters/odoosim"
	"github.com/crossdock-hub/crossdock/commands"
	"github.com/crossdock-hub/crossdock/domain/inventory"
	"github.com/crossdock-hub/crossdock/eventstore"
)

type levelsEnv struct {
	sim     *odoosim.Server
	store   eventstore.Store
	archive *archive.Archive
	now     time.Time
	poller  *odoocapture.LevelsPoller
}

func newLevelsEnv(t *testing.T, version int) *levelsEnv {
	t.Helper()
	b := newBase(t, version)
	rec, err := commands.NewOdooInventoryHandler(b.store, b.logger)
	require.NoError(t, err)
	e := &levelsEnv{sim: b.sim, store: b.store, archive: b.archive, now: time.Date(2026, 11, 28, 9, 30, 0, 0, time.UTC)}
	e.poller, err = odoocapture.NewLevelsPoller(odoocapture.LevelsConfig{Odoo: b.client, Archive: b.archive, Recorder: rec,
		Warehouses: map[string]string{"acme3pl": "WH"}, PageSize: 2, Now: func() time.Time { return e.now }, Logger: b.logger})
	require.NoError(t, err)
	return e
}

// stockLocation is the id of warehouse WH's stock location in the simulator.
func (e *levelsEnv) stockLocation(t *testing.T) int64 {
	wh := e.sim.Search("stock.warehouse", []any{[]any{"code", "=", "WH"}})
	require.Len(t, wh, 1)
	rec, ok := e.sim.Read("stock.warehouse", wh[0])
	require.True(t, ok)
	return int64(rec["lot_stock_id"].([]any)[0].(float64))
}

func (e *levelsEnv) quant(t *testing.T, product, location int64, q float64) int64 {
	id, err := e.sim.Create("stock.quant", map[string]any{"product_id": product, "location_id": location, "quantity": q})
	require.NoError(t, err)
	return id
}

func (e *levelsEnv) readings(t *testing.T) []inventory.OdooLevelsData {
	evs, err := e.store.ReadStream(t.Context(), inventory.OdooStreamID("acme3pl"), 1, 100)
	if err != nil {
		return nil
	}
	var out []inventory.OdooLevelsData
	for _, ev := range evs {
		require.Equal(t, inventory.EventOdooLevelsRead, ev.Type)
		var d inventory.OdooLevelsData
		require.NoError(t, json.Unmarshal(ev.Data, &d))
		out = append(out, d)
	}
	return out
}

// A reading sums the quants of the warehouse's stock location and the locations under it per product,
// in the product's unit, leaves out products Crossdock cannot name, archives what it read and records
// it once; a later reading with other figures is recorded again.
func TestLevelsPoller(t *testing.T) {
	for _, version := range []int{16, 17, 19} {
		t.Run(odoosimVersion(version), func(t *testing.T) {
			e := newLevelsEnv(t, version)
			stock := e.stockLocation(t)
			shelf, err := e.sim.Create("stock.location", map[string]any{"name": "Shelf 1", "location_id": stock, "usage": "internal"})
			require.NoError(t, err)
			elsewhere, err := e.sim.Create("stock.location", map[string]any{"name": "Other WH Stock", "usage": "internal"})
			require.NoError(t, err)
			blue, err := e.sim.Create("product.product", map[string]any{"name": "Blue widget", "default_code": "WID-BLUE"})
			require.NoError(t, err)
			red, err := e.sim.Create("product.product", map[string]any{"name": "Red widget", "default_code": "WID-RED"})
			require.NoError(t, err)
			unnamed, err := e.sim.Create("product.product", map[string]any{"name": "Sample"})
			require.NoError(t, err)
			e.quant(t, blue, stock, 10)
			e.quant(t, blue, shelf, 5.5)
			e.quant(t, blue, elsewhere, 100) // another warehouse's: not counted
			e.quant(t, red, stock, 3)
			e.quant(t, unnamed, stock, 7)

			levels, err := e.poller.Read(t.Context(), "acme3pl")
			require.NoError(t, err)
			assert.Equal(t, e.now, levels.AsOf)
			require.Len(t, levels.Levels, 2)
			assert.Equal(t, "WID-BLUE", levels.Levels[0].Product)
			assert.Equal(t, "15.5", levels.Levels[0].Quantity.String())
			assert.Equal(t, "Units", levels.Levels[0].Unit)
			assert.Equal(t, "WID-RED", levels.Levels[1].Product)
			assert.Equal(t, "3", levels.Levels[1].Quantity.String())

			recorded := e.readings(t)
			require.Len(t, recorded, 1)
			assert.Equal(t, "acme3pl", recorded[0].Warehouse)
			assert.True(t, recorded[0].AsOf.Equal(e.now))
			assert.Equal(t, "15.5", recorded[0].Levels[0].Quantity.String())

			// The archive keeps what was read, accepted.
			msgs, err := e.archive.Quarantine(t.Context(), archive.QuarantineQuery{Status: archive.Accepted})
			require.NoError(t, err)
			require.Len(t, msgs, 1)
			assert.Equal(t, odoocapture.Channel, msgs[0].Channel)
			assert.Equal(t, "acme3pl", msgs[0].PartnerID)
			var body struct {
				Quants []struct {
					Quantity string `json:"quantity"`
				} `json:"quants"`
			}
			require.NoError(t, json.Unmarshal(msgs[0].Body, &body))
			assert.Len(t, body.Quants, 4, "the warehouse's four quants, the unnamed product's included")

			// The same instant read again records nothing more; a later reading does.
			_, err = e.poller.Read(t.Context(), "acme3pl")
			require.NoError(t, err)
			assert.Len(t, e.readings(t), 1)
			e.now = e.now.Add(5 * time.Minute)
			e.quant(t, red, shelf, 2)
			levels, err = e.poller.Read(t.Context(), "acme3pl")
			require.NoError(t, err)
			assert.Equal(t, "5", levels.Levels[1].Quantity.String())
			recorded = e.readings(t)
			require.Len(t, recorded, 2)
			assert.Equal(t, "5", recorded[1].Levels[1].Quantity.String())
		})
	}
}

// A warehouse Odoo does not have, or an Odoo that is down, is an error that says so; nothing is
// recorded.
func TestLevelsPollerFailures(t *testing.T) {
	e := newLevelsEnv(t, 17)
	_, err := e.poller.Read(t.Context(), "nowhere")
	require.ErrorContains(t, err, `warehouse "nowhere" is not mapped`)

	e.sim.SetFaults(odoosim.Faults{Down: true})
	_, err = e.poller.Read(t.Context(), "acme3pl")
	require.ErrorIs(t, err, odoo.ErrUnavailable)
	assert.True(t, odoo.Retryable(err))
	e.sim.SetFaults(odoosim.Faults{})
	assert.Empty(t, e.readings(t))

	_, err = e.sim.Call("stock.warehouse", "write", []any{[]any{float64(1)}, map[string]any{"code": "WH2"}}, nil)
	require.NoError(t, err)
	_, err = e.poller.Read(t.Context(), "acme3pl")
	require.ErrorContains(t, err, `Odoo has no warehouse with code "WH"`)
}

func odoosimVersion(v int) string { return map[int]string{16: "odoo16", 17: "odoo17", 19: "odoo19"}[v] }
