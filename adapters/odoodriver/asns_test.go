package odoodriver_test

import (
	"fmt"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crossdock-hub/crossdock/adapters/odoodriver"
)

// An ASN sets the receipt's expected quantities (17+) and its tracking reference; announced again it
// writes the same; once the receipt is validated it is already done; a product not on the receipt is
// refused.
func TestAnnounceASN(t *testing.T) {
	for _, version := range []int{16, 17, 19} {
		t.Run(fmt.Sprint("odoo", version), func(t *testing.T) {
			e := newEnv(t, version)
			ctx := t.Context()
			asn := odoodriver.Announcement{Partner: "acme", Number: "ASN-1", PONumber: "P00001", TrackingRef: "BOL-555",
				Lines: []odoodriver.Line{{Product: "WID-BLUE", Quantity: decimal.NewFromInt(8)}, {Product: "WID-RED", Quantity: decimal.NewFromInt(5)}}}
			out, err := e.driver.AnnounceASN(ctx, asn)
			require.NoError(t, err)
			assert.Equal(t, odoodriver.Announced, out.Status)
			assert.Equal(t, "WH/IN/00001", out.Picking)
			picking, ok := e.sim.Read("stock.picking", out.PickingID)
			require.True(t, ok)
			assert.Equal(t, "BOL-555", picking["carrier_tracking_ref"])
			moves := map[string]map[string]any{}
			for _, id := range picking["move_ids"].([]any) {
				m, ok := e.sim.Read("stock.move", int64(id.(float64)))
				require.True(t, ok)
				p, _ := e.sim.Read("product.product", int64(m["product_id"].([]any)[0].(float64)))
				moves[p["default_code"].(string)] = m
			}
			if version >= 17 {
				assert.Equal(t, "8", out.Done["WID-BLUE"].String())
				assert.InDelta(t, 8, moves["WID-BLUE"]["quantity"], 0.001)
				assert.Equal(t, false, moves["WID-BLUE"]["picked"])
				assert.InDelta(t, 10, moves["WID-BLUE"]["product_uom_qty"], 0.001, "the ordered demand is left alone")
			} else {
				assert.Empty(t, out.Done, "16 has no expected quantity to write")
				assert.InDelta(t, 0, moves["WID-BLUE"]["quantity_done"], 0.001)
			}

			again, err := e.driver.AnnounceASN(ctx, asn)
			require.NoError(t, err)
			assert.Equal(t, odoodriver.Announced, again.Status)
			assert.Equal(t, out.PickingID, again.PickingID)
			assert.Len(t, e.sim.Search("ir.model.data", []any{[]any{"name", "=", "asn_acme_ASN-1"}}), 1, "tied once")

			_, err = e.driver.ValidateReceipt(ctx, receipt("RCV-1", true, "WID-BLUE", "10", "WID-RED", "5"))
			require.NoError(t, err)
			done, err := e.driver.AnnounceASN(ctx, asn)
			require.NoError(t, err)
			assert.Equal(t, odoodriver.AlreadyDone, done.Status)

			bad := asn
			bad.Number, bad.Lines = "ASN-2", []odoodriver.Line{{Product: "WID-GREEN", Quantity: decimal.NewFromInt(1)}}
			_, err = e.driver.AnnounceASN(ctx, bad)
			require.ErrorIs(t, err, odoodriver.ErrRefused)
		})
	}
}
