package csvdoc

import (
	"fmt"
	"strings"

	"github.com/crossdock-hub/crossdock/domain"
	"github.com/crossdock-hub/crossdock/domain/inventory"
)

// snapshotQualifiers are the quantity columns of a stock file and the qualifier each states.
var snapshotQualifiers = []struct{ field, qualifier string }{
	{fieldOnHand, inventory.OnHand},
	{fieldAvailable, inventory.Available},
	{fieldAllocated, inventory.Allocated},
}

// snapshotBuilder makes the one snapshot of a stock file, a position per row.
type snapshotBuilder struct {
	snap      inventory.Snapshot
	warehouse agreed
	asOf      agreed
	seen      map[string]int // item key + location -> line first listed
}

func (b *snapshotBuilder) add(p *parser, r row) error {
	const what = "a snapshot file"
	if err := p.agree(&b.warehouse, r, fieldWarehouse, p.get(r, fieldWarehouse), what); err != nil {
		return err
	}
	if err := p.agreeTime(&b.asOf, &b.snap.AsOf, r, fieldAsOf, what); err != nil {
		return err
	}
	item, err := p.item(r)
	if err != nil {
		return err
	}
	unit, err := p.unit(r)
	if err != nil {
		return err
	}
	pos := inventory.Position{
		Item:              item,
		Location:          p.get(r, fieldLocation),
		Quantities:        map[string]domain.Quantity{},
		PartnerQualifiers: map[string]string{},
	}
	var mapped []string
	for _, q := range snapshotQualifiers {
		if _, ok := p.cols[q.field]; !ok {
			continue
		}
		mapped = append(mapped, q.field)
		// Stock can be negative (an oversold available quantity): taken as stated.
		d, ok, err := p.amount(r, q.field)
		if err != nil {
			return err
		}
		if ok {
			pos.Quantities[q.qualifier] = domain.Quantity{Amount: d, Unit: unit}
			pos.PartnerQualifiers[q.qualifier] = p.partnerName(q.field)
		}
	}
	if len(pos.Quantities) == 0 {
		return p.errAt(r, mapped[0], "no quantity: "+strings.Join(mapped, ", ")+" empty")
	}
	key := item.Key() + "\x00" + pos.Location
	if line, dup := b.seen[key]; dup {
		field := fieldLocation
		if pos.Location == "" {
			field = firstMapped(p, itemFields)
		}
		return p.errAt(r, field, fmt.Sprintf("%s at location %q is already listed on line %d", item.Key(), pos.Location, line))
	}
	b.seen[key] = r.line
	b.snap.Positions = append(b.snap.Positions, pos)
	return nil
}

func (b *snapshotBuilder) finish(p *parser) ([]domain.Document, error) {
	b.snap.Warehouse = b.warehouse.value
	if b.asOf.line == 0 {
		p.warnings = append(p.warnings, "no as_of date: the snapshot is as of the time it is received")
	}
	return []domain.Document{b.snap}, nil
}

func firstMapped(p *parser, fields []string) string {
	for _, f := range fields {
		if _, ok := p.cols[f]; ok {
			return f
		}
	}
	return ""
}
