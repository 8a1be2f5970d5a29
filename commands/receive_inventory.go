package commands

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/crossdock-hub/crossdock/domain"
	"github.com/crossdock-hub/crossdock/domain/inventory"
)

// receiveSnapshot records an inventory snapshot: one inventory.snapshot_reported.v1 per position, each
// on its own stream (inventory.StreamID), appended one after the other. A position stated again with
// the same figures as of the same instant records nothing (outcome unchanged); one older than the latest
// recorded records nothing either (outcome stale). The events of one message on different streams have
// IDs seeded by the message key and the stream, so that a retry finds each position's event where it is.
func (h *DocumentHandler) receiveSnapshot(ctx context.Context, msg Message, s inventory.Snapshot) (DocumentResult, error) {
	r := newResolver(h.crosswalk, msg.PartnerID, domain.KindInventorySnapshot)
	r.identifier("/warehouse", s.Warehouse, false)
	if s.AsOf.IsZero() {
		r.violate("/as_of", "is required")
	}
	if len(s.Positions) == 0 {
		r.violate("/positions", "must have at least one position")
	}
	positions := make([]inventory.SnapshotData, len(s.Positions))
	for i, pos := range s.Positions {
		p := "/positions/" + strconv.Itoa(i)
		r.identifier(p+"/location", pos.Location, false)
		d := inventory.SnapshotData{
			PositionKey: inventory.PositionKey{
				Partner: msg.PartnerID, Warehouse: s.Warehouse, Product: r.item(p+"/item", pos.Item, true), Location: pos.Location,
			},
			ItemRef: pos.Item, AsOf: s.AsOf.UTC(), ReportNumber: s.ReportID,
			Quantities: make(map[string]inventory.QuantityData, len(pos.Quantities)),
		}
		if len(pos.Quantities) == 0 {
			r.violate(p+"/quantities", "must state at least one quantity")
		}
		for _, qualifier := range sortedKeys(pos.Quantities) {
			q := pos.Quantities[qualifier]
			qd := inventory.QuantityData{
				PartnerQuantity: q.Amount, PartnerUnit: q.Unit, PartnerQualifier: pos.PartnerQualifiers[qualifier],
			}
			if c, ok := r.quantity(p+"/quantities/"+pointerToken(qualifier), q, true); ok {
				qd.Quantity, qd.Unit = c.Amount, c.Unit
			}
			d.Quantities[qualifier] = qd
		}
		positions[i] = d
	}
	// Two positions resolving to the same product and location would be two truths for one stream.
	seen := map[string]int{}
	for i, d := range positions {
		if d.Product == "" {
			continue
		}
		stream := inventory.StreamID(d.PositionKey)
		if first, dup := seen[stream]; dup {
			r.violate(fmt.Sprintf("/positions/%d/item", i), fmt.Sprintf("is product %s at the same location as /positions/%d", d.Product, first))
			continue
		}
		seen[stream] = i
	}
	if err := r.err(); err != nil {
		return DocumentResult{}, err
	}

	out := DocumentResult{Kind: domain.KindInventorySnapshot}
	for _, d := range positions {
		stream := inventory.StreamID(d.PositionKey)
		res, err := record(ctx, &h.rec, write[*inventory.Aggregate]{
			stream:     stream,
			key:        msg.Key + "|" + stream,
			msg:        msg,
			occurredAt: d.AsOf,
			fresh:      inventory.New,
			decide: func(a *inventory.Aggregate) ([]event, string, error) {
				none := OutcomeUnchanged
				if a.Stale(d.AsOf) {
					none = OutcomeStale
				}
				events, err := asEvents(a.ReportSnapshot(d))
				return events, none, err
			},
		})
		if err != nil {
			return DocumentResult{}, err
		}
		out.Streams = append(out.Streams, res)
	}
	return out, nil
}

// receiveAdjustment records an inventory adjustment as inventory.adjusted.v1 on its position's stream.
// The same adjustment again (same partner ID, or same content when it has none) records nothing.
func (h *DocumentHandler) receiveAdjustment(ctx context.Context, msg Message, adj inventory.Adjustment) (DocumentResult, error) {
	r := newResolver(h.crosswalk, msg.PartnerID, domain.KindInventoryAdjustment)
	r.identifier("/warehouse", adj.Warehouse, false)
	r.identifier("/location", adj.Location, false)
	if adj.At.IsZero() {
		r.violate("/at", "is required")
	}
	d := inventory.AdjustmentData{
		PositionKey: inventory.PositionKey{
			Partner: msg.PartnerID, Warehouse: adj.Warehouse, Product: r.item("/item", adj.Item, true), Location: adj.Location,
		},
		ItemRef: adj.Item, At: adj.At.UTC(), PartnerQuantity: adj.Change.Amount, PartnerUnit: adj.Change.Unit,
		Reason: adj.Reason, AdjustmentID: adj.AdjustmentID,
	}
	if q, ok := r.quantity("/change", adj.Change, true); ok {
		d.Quantity, d.Unit = q.Amount, q.Unit
	}
	if !adj.Previous.IsZero() {
		d.PartnerPreviousQuantity, d.PartnerPreviousUnit = optional(adj.Previous, true)
		d.PreviousQuantity, d.PreviousUnit = optional(r.quantity("/previous", adj.Previous, false))
	}
	if err := r.err(); err != nil {
		return DocumentResult{}, err
	}
	res, err := record(ctx, &h.rec, write[*inventory.Aggregate]{
		stream:     inventory.StreamID(d.PositionKey),
		key:        msg.Key,
		msg:        msg,
		occurredAt: d.At,
		fresh:      inventory.New,
		decide: func(a *inventory.Aggregate) ([]event, string, error) {
			events, err := asEvents(a.Adjust(d))
			return events, OutcomeUnchanged, err
		},
	})
	return one(domain.KindInventoryAdjustment, res, err)
}

// sortedKeys gives a map's keys in order, so that problems are listed and events built deterministically.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// pointerToken escapes a map key for a JSON pointer (RFC 6901).
func pointerToken(s string) string {
	return strings.NewReplacer("~", "~0", "/", "~1").Replace(s)
}
