package csvdoc

import (
	"fmt"
	"strconv"

	"github.com/crossdock-hub/crossdock/domain"
	"github.com/crossdock-hub/crossdock/domain/order"
)

// trackingQualifier marks the further tracking numbers of a ship confirmation in its References: an
// order shipped in several parcels has one per parcel, and ShipConfirmation holds one TrackingNumber.
const trackingQualifier = "tracking_number"

// shipBuilder groups rows into ship confirmations by order number.
type shipBuilder struct {
	order    []*shipDoc
	byNumber map[string]*shipDoc
}

// shipDoc is one ship confirmation being built and where its document-level values came from.
type shipDoc struct {
	conf                            order.ShipConfirmation
	line                            int
	po, shipment, scac, wh, shipped agreed
	tracking                        map[string]bool
}

func (b *shipBuilder) add(p *parser, r row) error {
	number := p.get(r, fieldOrderNumber)
	if number == "" {
		return p.errAt(r, fieldOrderNumber, "no order number")
	}
	d := b.byNumber[number]
	if d == nil {
		d = &shipDoc{conf: order.ShipConfirmation{OrderNumber: number}, line: r.line, tracking: map[string]bool{}}
		b.byNumber[number] = d
		b.order = append(b.order, d)
	}
	what := "order " + number
	for _, v := range []struct {
		a     *agreed
		field string
	}{{&d.po, fieldPONumber}, {&d.shipment, fieldShipmentID}, {&d.scac, fieldCarrierSCAC}, {&d.wh, fieldWarehouse}} {
		if err := p.agree(v.a, r, v.field, p.get(r, v.field), what); err != nil {
			return err
		}
	}
	if err := p.agreeTime(&d.shipped, &d.conf.ShipDate, r, fieldShipDate, what); err != nil {
		return err
	}
	if t := p.get(r, fieldTrackingNumber); t != "" && !d.tracking[t] {
		d.tracking[t] = true
		if d.conf.TrackingNumber == "" {
			d.conf.TrackingNumber = t
		} else {
			d.conf.References = append(d.conf.References, domain.Reference{Qualifier: trackingQualifier, Value: t})
		}
	}
	item, err := p.item(r)
	if err != nil {
		return err
	}
	unit, err := p.unit(r)
	if err != nil {
		return err
	}
	ordered, err := p.quantity(r, fieldOrdered, unit, false)
	if err != nil {
		return err
	}
	shipped, err := p.quantity(r, fieldShipped, unit, true)
	if err != nil {
		return err
	}
	sscc, err := p.sscc(r)
	if err != nil {
		return err
	}
	number = p.get(r, fieldLineNumber)
	if number == "" {
		number = strconv.Itoa(len(d.conf.Lines) + 1)
	}
	d.conf.Lines = append(d.conf.Lines, order.ShipmentLine{
		Number:  number,
		Item:    item,
		Ordered: ordered,
		Shipped: shipped,
		Lot:     p.get(r, fieldLot),
		SSCC:    sscc,
	})
	return nil
}

func (b *shipBuilder) finish(p *parser) ([]domain.Document, error) {
	docs := make([]domain.Document, 0, len(b.order))
	for _, d := range b.order {
		d.conf.PONumber, d.conf.ShipmentID = d.po.value, d.shipment.value
		d.conf.CarrierSCAC, d.conf.Warehouse = d.scac.value, d.wh.value
		if d.shipped.line == 0 {
			return nil, p.errLine(d.line, fieldShipDate, fmt.Sprintf("order %s has no ship date", d.conf.OrderNumber))
		}
		docs = append(docs, d.conf)
	}
	return docs, nil
}
