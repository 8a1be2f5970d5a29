package odoo_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crossdock-hub/crossdock/adapters/odoo"
)

func record(t *testing.T, text string) odoo.Record {
	t.Helper()
	var r odoo.Record
	require.NoError(t, json.Unmarshal([]byte(text), &r))
	return r
}

// Values decode as Odoo sends them: false is empty for every type, many2one is [id, name], datetimes are
// UTC text, quantities keep their decimal text.
func TestFieldsDecodeOdooValues(t *testing.T) {
	r := record(t, `{"id": 7, "name": "WH/IN/00001", "origin": false, "partner_id": [3, "Acme Supply"],
		"backorder_id": false, "move_ids": [11, 12], "picking_ids": false, "product_qty": 10.0, "price_unit": 0.1,
		"qty_received": false, "date_done": "2026-11-28 15:15:00", "scheduled_date": false, "date": "2026-11-28",
		"picked": false, "locked": true, "sequence": 3.0}`)
	f := r.Fields()
	assert.Equal(t, int64(7), r.ID())
	assert.Equal(t, "WH/IN/00001", f.String("name"))
	assert.Equal(t, "", f.String("origin"))
	assert.Equal(t, odoo.Ref{ID: 3, Name: "Acme Supply"}, f.Many2One("partner_id"))
	assert.Equal(t, odoo.Ref{}, f.Many2One("backorder_id"))
	assert.Equal(t, []int64{11, 12}, f.IDs("move_ids"))
	assert.Nil(t, f.IDs("picking_ids"))
	assert.Equal(t, "10", f.Decimal("product_qty").String())
	assert.True(t, decimal.RequireFromString("0.1").Equal(f.Decimal("price_unit")), "0.1 stays 0.1")
	assert.True(t, f.Decimal("qty_received").IsZero())
	assert.Equal(t, time.Date(2026, 11, 28, 15, 15, 0, 0, time.UTC), f.Time("date_done"))
	assert.True(t, f.Time("scheduled_date").IsZero())
	assert.Equal(t, time.Date(2026, 11, 28, 0, 0, 0, 0, time.UTC), f.Time("date"))
	assert.False(t, f.Bool("picked"))
	assert.True(t, f.Bool("locked"))
	assert.Equal(t, int64(3), f.Int("sequence"))
	require.NoError(t, f.Err())
}

// The first field that does not decode stops the reading and is named in the error.
func TestFieldsNameTheFieldThatFails(t *testing.T) {
	for _, tc := range []struct {
		name, record, want string
		read               func(*odoo.Fields)
	}{
		{"not read", `{"id": 1}`, `field "name" was not read`, func(f *odoo.Fields) { f.String("name") }},
		{"many2one", `{"partner_id": "Acme"}`, `field "partner_id": "Acme" is not a many2one`, func(f *odoo.Fields) { f.Many2One("partner_id") }},
		{"decimal", `{"product_qty": "ten"}`, `field "product_qty": "ten" is not a number`, func(f *odoo.Fields) { f.Decimal("product_qty") }},
		{"datetime", `{"date_done": "28/11/2026"}`, `field "date_done": "28/11/2026" is not a datetime`, func(f *odoo.Fields) { f.Time("date_done") }},
		{"integer", `{"id": 2.5}`, `field "id": 2.5 is not an integer`, func(f *odoo.Fields) { f.Int("id") }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := record(t, tc.record).Fields()
			tc.read(f)
			require.Error(t, f.Err())
			assert.Contains(t, f.Err().Error(), tc.want)
			assert.Equal(t, "", f.String("other"), "reads after a failure answer zero values")
		})
	}
}

// Actions are told from plain answers; res_id false reads as 0.
func TestAnswerAction(t *testing.T) {
	wizard := odoo.Answer(`{"type":"ir.actions.act_window","res_model":"stock.backorder.confirmation","target":"new",
		"res_id":false,"context":{"button_validate_picking_ids":[1]}}`)
	act, ok := wizard.Action()
	require.True(t, ok)
	assert.Equal(t, "stock.backorder.confirmation", act.ResModel)
	assert.Equal(t, "new", act.Target)
	assert.Zero(t, act.ResID)
	assert.False(t, wizard.True())

	bill, ok := odoo.Answer(`{"type":"ir.actions.act_window","res_model":"account.move","res_id":12,"view_mode":"form"}`).Action()
	require.True(t, ok)
	assert.Equal(t, int64(12), bill.ResID)

	_, ok = odoo.Answer(`true`).Action()
	assert.False(t, ok)
	assert.True(t, odoo.Answer(`true`).True())
	assert.False(t, odoo.Answer(`false`).True())
}

// Field names follow ODOO.md's table of what changed between versions.
func TestSchemaPerVersion(t *testing.T) {
	for _, tc := range []struct {
		major                          int
		moveQty, picked, kind, lineUoM string
		done                           bool
	}{
		{16, "quantity_done", "", "detailed_type", "product_uom", true},
		{17, "quantity", "picked", "detailed_type", "product_uom", true},
		{18, "quantity", "picked", "type", "product_uom", true},
		{19, "quantity", "picked", "type", "product_uom_id", false},
	} {
		s, err := odoo.SchemaFor(odoo.Version{Major: tc.major})
		require.NoError(t, err)
		assert.Equal(t, tc.moveQty, s.MoveQuantity, "%d", tc.major)
		assert.Equal(t, tc.picked, s.MovePicked, "%d", tc.major)
		assert.Equal(t, tc.kind, s.ProductKind, "%d", tc.major)
		assert.Equal(t, tc.lineUoM, s.LineUoM, "%d", tc.major)
		assert.Equal(t, tc.done, s.PurchaseDoneState, "%d", tc.major)
	}
	s16, _ := odoo.SchemaFor(odoo.Version{Major: 16})
	b, _ := json.Marshal(s16.MoveDone(decimal.RequireFromString("6.5")))
	assert.JSONEq(t, `{"quantity_done": 6.5}`, string(b))
	s17, _ := odoo.SchemaFor(odoo.Version{Major: 17})
	b, _ = json.Marshal(s17.MoveDone(decimal.RequireFromString("6")))
	assert.JSONEq(t, `{"quantity": 6, "picked": true}`, string(b))
	_, err := odoo.SchemaFor(odoo.Version{Major: 15})
	assert.ErrorContains(t, err, "odoo 15.0 is not supported")
}
