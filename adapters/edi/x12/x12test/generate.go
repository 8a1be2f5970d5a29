// Package x12test makes X12 documents for tests and benchmarks of the x12 package and the mappers built
// on it.
package x12test

import (
	"fmt"
	"strconv"
	"time"

	"github.com/crossdock-hub/crossdock/adapters/edi/x12"
)

// ASN is a generated 856 and what it says, for tests to compare a mapper's output with.
type ASN struct {
	Data          []byte
	ASNNumber     string   // BSN02
	BillOfLading  string   // REF*BM
	POs           []string // PRF01 of each order level, in order
	SSCCs         []string // MAN*GM of each carton, in order (18 digits, check digit valid)
	Lines         int      // item levels (HL*I)
	TotalQuantity int      // sum of SN102
	HLCount       int      // HL segments (CTT01)
	Segments      int      // segments of the transaction set, ST and SE included (SE01)
}

// ShipDate is the ship date and time every generated document carries.
var ShipDate = time.Date(2024, time.March, 15, 14, 5, 0, 0, time.UTC)

// Generate856 returns an 856 ship notice with valid envelopes: one interchange, one group, one set in
// the VICS Shipment/Order/Pack/Item structure (BSN05 0001) with items item lines spread over cartons
// cartons (HL*P with MAN*GM SSCC-18) and one order (HL*O with PRF) per 50 cartons. With cartons 0 it is
// Shipment/Order/Item (BSN05 0004). Item i has LIN*UP (a UPC-A with its check digit) and VP, SN1 with
// 1 + i%24 EA, PID; every tenth item also has REF*LT and DTM*036. The output is the same on every call.
func Generate856(items, cartons int) []byte { return Build856(items, cartons).Data }

// Build856 is Generate856 with the values the document carries.
func Build856(items, cartons int) ASN {
	orders := max(1, cartons/50)
	asn := ASN{ASNNumber: "ASN" + strconv.Itoa(100000+items), BillOfLading: "BOL" + strconv.Itoa(7000000+cartons)}
	w := x12.NewWriter(x12.DefaultDelimiters())
	ic := w.Interchange(x12.Envelope{
		SenderQualifier: "ZZ", SenderID: "ACMESUPPLY", ReceiverQualifier: "ZZ", ReceiverID: "CROSSDOCK",
		Version: "00401", Control: "000004711", Date: ShipDate, Usage: "P",
	})
	g := ic.Group("SH", "ACMESUPPLY", "CROSSDOCK", "4711", "004010VICS")
	t := g.Transaction("856", "0001")
	structure := "0001"
	if cartons == 0 {
		structure = "0004"
	}
	seg := func(id string, el ...string) {
		t.Segment(id, el...)
		asn.Segments++
	}
	seg("BSN", "00", asn.ASNNumber, ShipDate.Format("20060102"), ShipDate.Format("1504"), structure)
	hl := 0
	level := func(parent int, code string, children bool) int {
		hl++
		p, child := "", "0"
		if parent > 0 {
			p = strconv.Itoa(parent)
		}
		if children {
			child = "1"
		}
		seg("HL", strconv.Itoa(hl), p, code, child)
		return hl
	}
	ship := level(0, "S", true)
	seg("TD1", "CTN25", strconv.Itoa(cartons), "", "", "", "G", strconv.Itoa(cartons*12+items/10)+".5", "LB")
	seg("TD5", "B", "2", "UPSN", "M", "UPS GROUND")
	seg("REF", "BM", asn.BillOfLading)
	seg("REF", "CN", "1Z999AA1"+strconv.Itoa(10000000+items))
	seg("DTM", "011", ShipDate.Format("20060102"), ShipDate.Format("1504"))
	seg("DTM", "067", ShipDate.AddDate(0, 0, 3).Format("20060102"))
	seg("N1", "SF", "ACME SUPPLY CO", "92", "ACME01")
	seg("N3", "100 FACTORY RD")
	seg("N4", "DAYTON", "OH", "45402", "US")
	seg("N1", "ST", "CROSSDOCK DC1", "92", "DC1")
	seg("N3", "2200 LOGISTICS PKWY")
	seg("N4", "COLUMBUS", "OH", "43215", "US")

	item := 0
	writeItem := func(parent int) {
		level(parent, "I", false)
		line := strconv.Itoa(item + 1)
		qty := 1 + item%24
		asn.TotalQuantity += qty
		asn.Lines++
		seg("LIN", line, "UP", upc(item), "VP", fmt.Sprintf("WID-%05d", item%5000))
		seg("SN1", line, strconv.Itoa(qty), "EA")
		seg("PID", "F", "", "", "", fmt.Sprintf("WIDGET MODEL %d SIZE %d", item%5000, item%7))
		if item%10 == 9 {
			seg("REF", "LT", fmt.Sprintf("LOT%06d", item/10))
			seg("DTM", "036", ShipDate.AddDate(1, 0, item%365).Format("20060102"))
		}
		item++
	}
	for o := range orders {
		po := "PO" + strconv.Itoa(4500000+o)
		asn.POs = append(asn.POs, po)
		order := level(ship, "O", true)
		seg("PRF", po, "", "", ShipDate.AddDate(0, 0, -14).Format("20060102"))
		if cartons == 0 {
			for item < (o+1)*items/orders {
				writeItem(order)
			}
			continue
		}
		for c := o * cartons / orders; c < (o+1)*cartons/orders; c++ {
			pack := level(order, "P", (c+1)*items/cartons > item)
			sscc := sscc(c)
			asn.SSCCs = append(asn.SSCCs, sscc)
			seg("MAN", "GM", sscc)
			for item < (c+1)*items/cartons {
				writeItem(pack)
			}
		}
	}
	asn.HLCount = hl
	seg("CTT", strconv.Itoa(hl), strconv.Itoa(asn.TotalQuantity))
	asn.Segments += 2 // ST and SE
	data, err := w.Bytes()
	if err != nil {
		panic("x12test: the generated 856 is not valid X12: " + err.Error())
	}
	asn.Data = data
	return asn
}

// upc is the i-th UPC-A of a made-up company prefix, with its check digit.
func upc(i int) string {
	base := fmt.Sprintf("0614141%04d", i%10000)
	return base + CheckDigit(base)
}

// sscc is the c-th SSCC-18: extension digit 0, company prefix, serial, check digit.
func sscc(c int) string {
	base := fmt.Sprintf("00614141%09d", 100000+c)
	return base + CheckDigit(base)
}

// CheckDigit is the GS1 mod-10 check digit of digits (GTIN, UPC, SSCC): weights 3 and 1 alternate from
// the rightmost digit, which weighs 3.
func CheckDigit(digits string) string {
	sum := 0
	for i := 0; i < len(digits); i++ {
		d := int(digits[len(digits)-1-i] - '0')
		if i%2 == 0 {
			d *= 3
		}
		sum += d
	}
	return strconv.Itoa((10 - sum%10) % 10)
}
