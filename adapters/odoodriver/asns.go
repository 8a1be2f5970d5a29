package odoodriver

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/shopspring/decimal"
)

// Announcement is a supplier's advance ship notice for a purchase order, in Odoo's terms.
type Announcement struct {
	// Partner and Number identify the ASN: the external ID crossdock.asn_<partner>_<number> ties it to
	// the receipt it was announced on.
	Partner, Number string
	PONumber        string
	// Lines are the quantities shipped per product, in the product's unit.
	Lines []Line
	// TrackingRef is the carrier's tracking number or the bill of lading, written as the receipt's
	// carrier_tracking_ref.
	TrackingRef string
}

// Announced is what AnnounceASN did.
const Announced = "announced"

// AnnounceASN updates the purchase order's open incoming receipt with what the ASN ships: each move's
// expected quantity (quantity, not picked, on 17 and later — on 16 the only such field is the ordered
// demand, which is left alone; a move the warehouse has counted, picked, keeps its count) and the
// receipt's carrier_tracking_ref. The warehouse's receipt sets the
// quantities received later, and validates.
//
// It is idempotent: the receipt is tied to the ASN (an external ID) before anything is written, every
// write sets values, and a receipt already done answers AlreadyDone without writing. A product the
// receipt does not have, or an order Odoo does not have, is ErrRefused. Lots are not written: Odoo keeps
// them on move lines, which the receipt's validation makes.
func (d *Driver) AnnounceASN(ctx context.Context, a Announcement) (Outcome, error) {
	what := "ASN " + a.Number
	schema, err := d.odoo.Schema(ctx)
	if err != nil {
		return Outcome{}, err
	}
	xmlid := externalID("asn", a.Partner, a.Number)
	pickingID, err := d.tied(ctx, xmlid)
	if err != nil {
		return Outcome{}, err
	}
	tied := pickingID != 0
	if !tied {
		if pickingID, err = d.openPicking(ctx, "purchase.order", a.PONumber, "incoming"); err != nil {
			return Outcome{}, fmt.Errorf("%s: %w", what, err)
		}
	}
	picking, err := d.picking(ctx, pickingID)
	if err != nil {
		return Outcome{}, err
	}
	out := Outcome{Picking: picking.name, PickingID: pickingID, Done: map[string]decimal.Decimal{}, Odoo: map[string]decimal.Decimal{}}
	switch picking.state {
	case "done":
		out.Status = AlreadyDone
		return out, nil
	case "cancel":
		return out, fmt.Errorf("%s: picking %s is cancelled in Odoo: %w", what, picking.name, ErrRefused)
	}
	moves, err := d.moves(ctx, schema, picking.moveIDs)
	if err != nil {
		return out, err
	}
	want := quantities(a.Lines)
	moveOf := map[string]int64{}
	picked := map[string]bool{}
	for _, product := range sortedKeys(want) {
		i := -1
		for j, m := range moves {
			if m.product == product {
				i = j
				break
			}
		}
		if i < 0 {
			return out, fmt.Errorf("%s: product %s is not on picking %s: %w", what, product, picking.name, ErrRefused)
		}
		moveOf[product] = moves[i].id
		out.Odoo[product] = moves[i].done
		picked[product] = moves[i].picked
	}
	if !tied {
		if err := d.tie(ctx, xmlid, "stock.picking", pickingID); err != nil {
			return out, fmt.Errorf("%s: %w", what, err)
		}
	}
	if schema.MovePicked != "" {
		for _, product := range sortedKeys(want) {
			if picked[product] {
				continue // counted by the warehouse already: what came stands over what was announced
			}
			q := want[product]
			if err := d.odoo.Write(ctx, "stock.move", []int64{moveOf[product]},
				map[string]any{schema.MoveQuantity: json.Number(q.String()), schema.MovePicked: false}); err != nil {
				return out, fmt.Errorf("%s: expect %s of %s on %s: %w", what, q, product, picking.name, err)
			}
			out.Done[product] = q
		}
	}
	if a.TrackingRef != "" {
		if err := d.odoo.Write(ctx, "stock.picking", []int64{pickingID}, map[string]any{"carrier_tracking_ref": a.TrackingRef}); err != nil {
			return out, fmt.Errorf("%s: write %s's tracking: %w", what, picking.name, err)
		}
	}
	out.Status = Announced
	d.logger.InfoContext(ctx, "odoo receipt announced", "asn", a.Number, "picking", picking.name)
	return out, nil
}
