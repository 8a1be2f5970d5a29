package x12doc

import (
	"strconv"

	"github.com/shopspring/decimal"

	"github.com/crossdock-hub/crossdock/adapters/edi/x12"
	"github.com/crossdock-hub/crossdock/domain"
	"github.com/crossdock-hub/crossdock/domain/order"
)

// map940 reads a warehouse shipping order: what Crossdock sends a 3PL, read back.
func map940(m *mapper) domain.Document {
	wo := order.WarehouseOrder{Lines: []order.Line{}}
	var w05 *x12.Segment
	var line *order.Line
	lx := ""
	for i, body := 0, m.body(); i < len(body); i++ {
		s := &body[i]
		switch s.ID {
		case "W05":
			w05 = s
			wo.OrderNumber = m.required(s, 2, "depositor order number")
			wo.PONumber = s.Element(3)
		case "N1":
			switch s.Element(1) {
			case "ST":
				wo.ShipTo = party(s)
			case "WH":
				wo.Warehouse = partyCode(s)
			}
		case "G62":
			if s.Element(1) == "10" {
				wo.RequestedShip = m.dateTime(s, 2, 4, "requested ship date")
			}
		case "W66":
			wo.CarrierSCAC = s.Element(10)
		case "LX":
			lx = s.Element(1)
		case "W01":
			number := lx
			if number == "" {
				number = strconv.Itoa(len(wo.Lines) + 1)
			}
			lx = ""
			wo.Lines = append(wo.Lines, m.readW01(s, number))
			line = &wo.Lines[len(wo.Lines)-1]
		case "G69":
			if line != nil && line.Item.Description == "" {
				line.Item.Description = s.Element(1)
			}
		case "W76":
			ordered := make([]domain.Quantity, len(wo.Lines))
			for i := range wo.Lines {
				ordered[i] = wo.Lines[i].Quantity
			}
			m.checkTotal(s, 1, "W7601 total quantity ordered", ordered)
		}
	}
	if w05 == nil {
		m.missingSegment("W05", "shipping order identification")
	}
	if len(wo.Lines) == 0 {
		m.missingSegment("W01", "no line")
	}
	return wo
}

// readW01 reads an order line: W0101 quantity, W0102 unit, W0103 UPC, W0104..07 and W0115/16
// qualifier/ID pairs.
func (m *mapper) readW01(s *x12.Segment, number string) order.Line {
	l := order.Line{Number: number}
	l.Quantity = m.quantity(s, 1, 2, "quantity ordered", true)
	m.itemID(&l.Item, s, 3, "UP")
	m.itemID(&l.Item, s, 5, s.Element(4))
	m.itemID(&l.Item, s, 7, s.Element(6))
	m.itemID(&l.Item, s, 16, s.Element(15))
	if l.Item.IsZero() {
		m.fail(s, 3, x12.ElemConditional, "W0103 (UPC) and W0104/05 (product ID) are missing: the line names no item")
	}
	return l
}

// Encode940 writes wo as an X12 940 in one interchange: W05, N1*WH (the warehouse code, N104 with
// qualifier 92) and N1*ST, G62*10 (requested ship date), W66 with the carrier in W6610 (W6601 "DF",
// W6602 "ZZ": payment and mode are agreed with the warehouse, not carried by the order), then per line
// LX, W01 (UPC in W0103, up to two more qualifier/ID pairs: BP, VN, EN/UK) and G69 (description), and
// W76 with the total quantity.
func Encode940(wo order.WarehouseOrder, env Envelope) ([]byte, error) {
	var errs problems
	if wo.OrderNumber == "" {
		errs.add("/order_number", "is required")
	}
	if wo.ShipTo.Role != "" && wo.ShipTo.Role != "ST" {
		errs.add("/ship_to/role", quote(wo.ShipTo.Role)+" is not ST")
	}
	if wo.ShipTo.Name == "" && wo.ShipTo.ID == "" {
		errs.add("/ship_to", "needs a name or an ID")
	}
	if len(wo.Lines) == 0 {
		errs.add("/lines", "must have at least one line")
	}
	for i, l := range wo.Lines {
		checkLine(&errs, "/lines/"+strconv.Itoa(i), l)
	}
	if err := errs.err("940"); err != nil {
		return nil, err
	}
	return env.write("OW", "940", func(t *x12.TransactionWriter) {
		t.Segment("W05", "N", wo.OrderNumber, wo.PONumber)
		if wo.Warehouse != "" {
			t.Segment("N1", "WH", "", "92", wo.Warehouse)
		}
		t.Segment("N1", "ST", wo.ShipTo.Name, wo.ShipTo.IDQualifier, wo.ShipTo.ID)
		if !wo.RequestedShip.IsZero() {
			t.Segment("G62", "10", wo.RequestedShip.UTC().Format("20060102"))
		}
		if wo.CarrierSCAC != "" {
			t.Segment("W66", "DF", "ZZ", "", "", "", "", "", "", "", wo.CarrierSCAC)
		}
		total := decimal.Zero
		for i, l := range wo.Lines {
			number := l.Number
			if number == "" {
				number = strconv.Itoa(i + 1)
			}
			t.Segment("LX", number)
			ids := itemPairs(domain.ItemRef{BuyerItem: l.Item.BuyerItem, Product: l.Item.Product,
				PartnerItem: l.Item.PartnerItem, GTIN: l.Item.GTIN})
			if len(ids) > 4 {
				ids = ids[:4]
			}
			el := append([]string{l.Quantity.Amount.String(), l.Quantity.Unit, l.Item.UPC}, ids...)
			t.Segment("W01", el...)
			if l.Item.Description != "" {
				t.Segment("G69", l.Item.Description)
			}
			total = total.Add(l.Quantity.Amount)
		}
		t.Segment("W76", total.String())
	})
}
