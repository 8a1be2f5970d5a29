package odoodriver

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/crossdock-hub/crossdock/adapters/odoo"

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
	// Lots are the lots the ASN ships, each with its quantity: written as the moves' lines (lot_name).
	Lots []Lot
}

// Lot is a quantity of a product from one lot.
type Lot struct {
	Product, Lot string
	Quantity     decimal.Decimal
}

// Announced is what AnnounceASN did.
const Announced = "announced"

// AnnounceASN updates the purchase order's open incoming receipt with what the ASN ships: each move's
// expected quantity (quantity, not picked, on 17 and later — on 16 the only such field is the ordered
// demand, which is left alone; a move the warehouse has counted, picked, keeps its count), each lot it
// ships as a line of its move (lot_name, with its quantity), and the receipt's carrier_tracking_ref. The
// warehouse's receipt sets the quantities received later, and validates.
//
// It is idempotent: the receipt is tied to the ASN (an external ID) before anything is written, every
// write sets values (a lot's line is found by its move and lot name before one is made), and a receipt
// already done answers AlreadyDone without writing. A product the receipt does not have, or an order
// Odoo does not have, is ErrRefused.
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
	for _, l := range a.Lots {
		if picked[l.Product] || l.Lot == "" {
			continue
		}
		move, ok := moveOf[l.Product]
		if !ok {
			return out, fmt.Errorf("%s: lot %s of %s: the product is not on picking %s: %w", what, l.Lot, l.Product, picking.name, ErrRefused)
		}
		if err := d.lotLine(ctx, schema.MoveLineQuantity, pickingID, move, l); err != nil {
			return out, fmt.Errorf("%s: lot %s of %s on %s: %w", what, l.Lot, l.Product, picking.name, err)
		}
		out.Lots = append(out.Lots, l)
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

// lotLine sets the move's line for the lot to its quantity, creating it the first time.
func (d *Driver) lotLine(ctx context.Context, qtyField string, picking, move int64, l Lot) error {
	lines, err := d.odoo.SearchRead(ctx, "stock.move.line", odoo.Domain{odoo.Where("move_id", "=", move), odoo.Where("lot_name", "=", l.Lot)},
		[]string{"id"}, odoo.Page{Limit: 1})
	if err != nil {
		return err
	}
	qty := json.Number(l.Quantity.String())
	if len(lines) == 1 {
		return d.odoo.Write(ctx, "stock.move.line", []int64{lines[0].ID()}, map[string]any{qtyField: qty})
	}
	products, err := d.odoo.Read(ctx, "stock.move", []int64{move}, []string{"product_id"})
	if err != nil || len(products) == 0 {
		return fmt.Errorf("read move %d: %w", move, err)
	}
	product := products[0].Fields().Many2One("product_id").ID
	_, err = d.odoo.Create(ctx, "stock.move.line", map[string]any{"move_id": move, "picking_id": picking, "product_id": product,
		"lot_name": l.Lot, qtyField: qty})
	return err
}
