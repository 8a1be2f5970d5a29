package commands

import (
	"context"
	"strconv"

	"github.com/crossdock-hub/crossdock/domain"
	"github.com/crossdock-hub/crossdock/domain/shipment"
)

// receiveASN resolves an ASN's lines (Item becomes the product, Quantity the canonical quantity,
// PartnerQuantity the quantity as sent, Ordered canonical) and records it through ReceiveASNHandler,
// with the over-ship check when its purchase order is known.
func (h *DocumentHandler) receiveASN(ctx context.Context, msg Message, a shipment.ASN) (DocumentResult, error) {
	a.Supplier = msg.PartnerID
	r := newResolver(h.crosswalk, msg.PartnerID, domain.KindASN)
	resolved, probe := a, a
	resolved.Lines = make([]shipment.Line, len(a.Lines))
	probe.Lines = make([]shipment.Line, len(a.Lines))
	for i, l := range a.Lines {
		p := "/lines/" + strconv.Itoa(i)
		ref := l.Ref
		if ref.Product == "" {
			ref.Product = l.Item
		}
		// Sent as written: a mapper puts the partner's quantity in both fields, the JSON API only in
		// Quantity (in units that should be canonical, which the crosswalk confirms).
		sent, field := l.PartnerQuantity, p+"/partner_quantity"
		if sent.IsZero() {
			sent, field = l.Quantity, p+"/quantity"
		}

		// The probe is the ASN with what resolution will fill in, to check every other rule first.
		probe.Lines[i] = l
		probe.Lines[i].Quantity = sent
		if l.Item == "" && !ref.IsZero() {
			probe.Lines[i].Item = ref.Key()
		}

		// A line naming no item, or without a quantity, breaks the ASN's own rules (checked on the probe).
		l.Item = r.item(p+"/item_ref", ref, false)
		if q, ok := r.quantity(field, sent, false); ok {
			l.Quantity = q
		}
		l.PartnerQuantity = sent
		if !l.Ordered.IsZero() {
			if q, ok := r.quantity(p+"/ordered", l.Ordered, false); ok {
				l.Ordered = q
			}
		}
		resolved.Lines[i] = l
	}
	if err := probe.Validate(); err != nil {
		return DocumentResult{}, err
	}
	if err := r.err(); err != nil {
		return DocumentResult{}, err
	}

	cmd := ReceiveASN{Message: msg, ASN: resolved}
	po, err := h.orderView(ctx, a.PONumber)
	if err != nil {
		return DocumentResult{}, err
	}
	if po.Found {
		overShip, _ := h.crosswalk.Tolerances(msg.PartnerID)
		cmd.OverShip = &shipment.OverShipCheck{Order: po, TolerancePercent: overShip}
	}
	res, err := h.asn.Handle(ctx, cmd)
	return one(domain.KindASN, StreamResult{
		StreamID: res.StreamID, StreamVersion: res.StreamVersion, Outcome: string(res.Outcome),
		EventIDs: res.EventIDs, Duplicate: res.Duplicate,
	}, err)
}
