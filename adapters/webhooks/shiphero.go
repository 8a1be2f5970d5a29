package webhooks

import (
	"fmt"

	"github.com/crossdock-hub/crossdock/domain"
	"github.com/crossdock-hub/crossdock/domain/inventory"
)

// shipHeroUnit is the unit of every ShipHero quantity: ShipHero counts units (eaches).
const shipHeroUnit = "EA"

// ShipHero figures and the canonical qualifier each becomes. Others (backorder_quantity, reserve,
// sell_ahead, qty_in_totes, non_sellable) have no canonical qualifier and are not kept.
var shipHeroQualifiers = []struct{ key, qualifier string }{
	{"on_hand", inventory.OnHand},
	{"inventory", inventory.Available}, // on_hand - allocated + sell_ahead - reserve, per ShipHero
}

// parseShipHero dispatches on webhook_type: ShipHero sends every webhook type in the same shape of body,
// and says which it is only there.
func parseShipHero(r *reader, root object) Result {
	switch t := r.str(root, "webhook_type"); t {
	case "Inventory Update":
		return parseShipHeroUpdate(r, root)
	case "Inventory Change":
		return parseShipHeroChange(r, root)
	default:
		r.fail(root.at("webhook_type"), fmt.Sprintf("webhook type %q is not supported (Inventory Update, Inventory Change)", t))
		return Result{}
	}
}

// parseShipHeroUpdate maps an Inventory Update: a snapshot per warehouse named in updated_warehouse,
// in the order first seen, with a position per SKU.
func parseShipHeroUpdate(r *reader, root object) Result {
	items := r.objects(root, "inventory")
	if len(items) == 0 && r.err == nil {
		r.fail(root.at("inventory"), "no inventory items")
	}
	var (
		snaps []*inventory.Snapshot
		byWH  = map[string]*inventory.Snapshot{}
		seen  = map[string]string{} // warehouse + SKU -> pointer of its first position
	)
	for _, it := range items {
		sku := r.required(it, "sku")
		src, ok := r.object(it, "updated_warehouse", false)
		warehouse := ""
		if ok {
			warehouse = r.id(src, "warehouse_id")
			if warehouse == "" && r.err == nil {
				r.fail(src.at("warehouse_id"), "required")
			}
		} else {
			// Without the warehouse's figures only the account-wide totals are left.
			src = it
			r.warn(it.ptr, "no updated_warehouse: the figures are account-wide totals, for no warehouse")
		}
		key := warehouse + "\x00" + sku
		if first, dup := seen[key]; dup && r.err == nil {
			r.fail(it.at("sku"), fmt.Sprintf("SKU %q in warehouse %q is already at %s", sku, warehouse, first))
		}
		seen[key] = it.ptr
		pos := inventory.Position{
			Item:              domain.ItemRef{PartnerItem: sku},
			Quantities:        map[string]domain.Quantity{},
			PartnerQualifiers: map[string]string{},
		}
		for _, q := range shipHeroQualifiers {
			if amt, ok := r.amount(src, q.key, false); ok {
				pos.Quantities[q.qualifier] = domain.Quantity{Amount: amt, Unit: shipHeroUnit}
				pos.PartnerQualifiers[q.qualifier] = q.key
			}
		}
		if len(pos.Quantities) == 0 && r.err == nil {
			r.fail(src.ptr, "neither on_hand nor inventory is given")
		}
		s := byWH[warehouse]
		if s == nil {
			s = &inventory.Snapshot{Warehouse: warehouse}
			byWH[warehouse] = s
			snaps = append(snaps, s)
		}
		s.Positions = append(s.Positions, pos)
	}
	r.warn(root.ptr, "an Inventory Update states no as-of instant: the time it is received applies")
	res := Result{}
	for _, s := range snaps {
		res.Documents = append(res.Documents, *s)
	}
	return res
}

// parseShipHeroChange maps an Inventory Change: the delta of the warehouse's on-hand quantity, with its
// reason. quantity is the delta and previous_on_hand the warehouse's on hand before it (old_quantity is
// the bin's, which the canonical adjustment has no place for).
func parseShipHeroChange(r *reader, root object) Result {
	adj := inventory.Adjustment{
		Warehouse: r.id(root, "warehouse_id"),
		Item:      domain.ItemRef{PartnerItem: r.required(root, "sku")},
		Location:  r.str(root, "location_name"),
		Reason:    r.str(root, "reason"),
	}
	if adj.Warehouse == "" && r.err == nil {
		r.fail(root.at("warehouse_id"), "required")
	}
	if adj.Reason == "" {
		adj.Reason = r.str(root, "source")
	}
	// ShipHero writes no zone: wallClock reads it as UTC and warns (Adjustment has no local-time field).
	adj.At, _ = r.wallClock(root, "timestamp", true)
	if change, ok := r.amount(root, "quantity", true); ok {
		adj.Change = domain.Quantity{Amount: change, Unit: shipHeroUnit}
	}
	if prev, ok := r.amount(root, "previous_on_hand", false); ok {
		adj.Previous = domain.Quantity{Amount: prev, Unit: shipHeroUnit}
	}
	return Result{Document: adj}
}
