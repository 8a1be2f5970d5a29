package csvdoc

import (
	"fmt"
	"strconv"

	"github.com/crossdock-hub/crossdock/domain"
	"github.com/crossdock-hub/crossdock/domain/receipt"
)

// receiptBuilder groups rows into receipts by receipt number.
type receiptBuilder struct {
	order    []*receiptDoc
	byNumber map[string]*receiptDoc
}

// receiptDoc is one receipt being built and where its document-level values came from.
type receiptDoc struct {
	rec                     receipt.Receipt
	line                    int
	po, asn, wh, receivedAt agreed
}

func (b *receiptBuilder) add(p *parser, r row) error {
	number := p.get(r, fieldReceiptNumber)
	if number == "" {
		return p.errAt(r, fieldReceiptNumber, "no receipt number")
	}
	d := b.byNumber[number]
	if d == nil {
		d = &receiptDoc{rec: receipt.Receipt{ReceiptNumber: number}, line: r.line}
		b.byNumber[number] = d
		b.order = append(b.order, d)
	}
	what := "receipt " + number
	for _, v := range []struct {
		a     *agreed
		field string
	}{{&d.po, fieldPONumber}, {&d.asn, fieldASNNumber}, {&d.wh, fieldWarehouse}} {
		if err := p.agree(v.a, r, v.field, p.get(r, v.field), what); err != nil {
			return err
		}
	}
	if err := p.agreeTime(&d.receivedAt, &d.rec.ReceivedAt, r, fieldReceivedAt, what); err != nil {
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
	received, err := p.quantity(r, fieldQuantity, unit, true)
	if err != nil {
		return err
	}
	damaged, err := p.quantity(r, fieldDamaged, unit, false)
	if err != nil {
		return err
	}
	if !damaged.IsZero() && damaged.Amount.GreaterThan(received.Amount) {
		p.warn(r, fieldDamaged, fmt.Sprintf("%s damaged of %s received", damaged, received))
	}
	number = p.get(r, fieldLineNumber)
	if number == "" {
		number = strconv.Itoa(len(d.rec.Lines) + 1)
	}
	d.rec.Lines = append(d.rec.Lines, receipt.Line{
		Number:   number,
		Item:     item,
		POLine:   p.get(r, fieldPOLine),
		Received: received,
		Damaged:  damaged,
		Lot:      p.get(r, fieldLot),
	})
	return nil
}

func (b *receiptBuilder) finish(p *parser) ([]domain.Document, error) {
	docs := make([]domain.Document, 0, len(b.order))
	for _, d := range b.order {
		d.rec.PONumber, d.rec.ASNNumber, d.rec.Warehouse = d.po.value, d.asn.value, d.wh.value
		if d.rec.PONumber == "" && d.rec.ASNNumber == "" {
			field := firstMapped(p, []string{fieldPONumber, fieldASNNumber})
			return nil, p.errLine(d.line, field, fmt.Sprintf("receipt %s names neither a PO nor an ASN", d.rec.ReceiptNumber))
		}
		if d.receivedAt.line == 0 {
			return nil, p.errLine(d.line, fieldReceivedAt, fmt.Sprintf("receipt %s has no received date", d.rec.ReceiptNumber))
		}
		docs = append(docs, d.rec)
	}
	return docs, nil
}
