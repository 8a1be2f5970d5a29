package x12doc_test

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crossdock-hub/crossdock/adapters/edi/x12"
	"github.com/crossdock-hub/crossdock/adapters/edi/x12doc"
	"github.com/crossdock-hub/crossdock/domain"
	"github.com/crossdock-hub/crossdock/domain/invoice"
	"github.com/crossdock-hub/crossdock/domain/order"
	"github.com/crossdock-hub/crossdock/domain/shipment"
)

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func qty(amount, unit string) domain.Quantity {
	return domain.Quantity{Amount: dec(amount), Unit: unit}
}

// assertQty compares quantities by value (12 equals 12.00).
func assertQty(t *testing.T, want, got domain.Quantity, msg string) {
	t.Helper()
	assert.Truef(t, want.Equal(got), "%s: want %s, got %s", msg, want, got)
}

// Every shared fixture is read by x12.Parse and mapped without errors, except the 214 whose segment
// terminator is a 3-byte UTF-8 character, which the reader rejects.
func TestEveryFixtureMaps(t *testing.T) {
	dir := filepath.Dir(fixturePath(t, "850_node-x12_xyzretail_vics.x12"))
	files, err := filepath.Glob(filepath.Join(dir, "*.x12"))
	require.NoError(t, err)
	require.Len(t, files, 7)
	for _, path := range files {
		t.Run(filepath.Base(path), func(t *testing.T) {
			data, err := os.ReadFile(path)
			require.NoError(t, err)
			f, err := x12.Parse(data)
			if filepath.Base(path) == "214_staedi_ltl_utf8-ellipsis-term.x12" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), "U+2026")
				return
			}
			require.NoError(t, err)
			require.NoError(t, f.Err())
			rs := x12doc.Map(f, x12doc.Options{})
			require.NotEmpty(t, rs)
			for _, r := range rs {
				assert.Empty(t, r.Errors)
				assert.NotNil(t, r.Document)
				assert.False(t, r.Rejected())
			}
		})
	}
}

func TestFixture856(t *testing.T) {
	tests := []struct {
		file                         string
		asn, po, bol, tracking, scac string
		shipDate, arrival            time.Time
		shipTo                       string
		lines                        []shipment.Line
		warning                      string
	}{
		{
			file: "856_oopfactory_gregarican_SOPI_MAN-GM.x12",
			asn:  "521649209219", po: "SO/VINCE1", bol: "521649209219", tracking: "521649209219", scac: "", // TD503 "FED2" is not a SCAC: left out with a warning
			shipDate: utc(2012, 5, 10, 0, 0), arrival: utc(2012, 5, 10, 0, 0), shipTo: "004",
			lines: []shipment.Line{{
				Number:   1,
				Ref:      domain.ItemRef{UPC: "883932284904", Description: "16X12MM SMALL WHEATON"},
				Quantity: qty("1", "EA"), PartnerQuantity: qty("1", "EA"), Ordered: qty("1", "EA"),
				// MAN*GM*00007121610006156802: the "00" application identifier is dropped.
				SSCC: "007121610006156802",
			}},
			// EN*R08916DSSDDBDI7 is a style code, not a GTIN.
			warning: `LIN07 EN "R08916DSSDDBDI7" is not a barcode`,
		},
		{
			file: "856_oopfactory_1edisource_SOI_v4060.x12",
			asn:  "829716", po: "99999817", bol: "999999-001", tracking: "5787970539", scac: "XXXX",
			shipDate: utc(2011, 12, 6, 0, 0),
			lines: []shipment.Line{
				{Number: 1, Ref: domain.ItemRef{PartnerItem: "87787D", UPC: "999999310145", Description: "BLUE WIDGET"},
					Quantity: qty("24", "EA"), PartnerQuantity: qty("24", "EA")},
				{Number: 2, Ref: domain.ItemRef{PartnerItem: "99887D", UPC: "999999311746", Description: "RED WIDGET"},
					Quantity: qty("6", "EA"), PartnerQuantity: qty("6", "EA")},
			},
			warning: `BSN01 purpose "14"`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			rs := mapFile(t, fixturePath(t, tt.file), x12doc.Options{})
			require.Len(t, rs, 1)
			require.Empty(t, rs[0].Errors)
			asn, ok := rs[0].Document.(shipment.ASN)
			require.True(t, ok)
			assert.Equal(t, "original", asn.Purpose)
			assert.Equal(t, tt.asn, asn.ASNNumber)
			assert.Equal(t, tt.po, asn.PONumber)
			assert.Equal(t, tt.bol, asn.BillOfLading)
			assert.Equal(t, tt.tracking, asn.TrackingNumber)
			assert.Equal(t, tt.scac, asn.CarrierSCAC)
			assert.True(t, tt.shipDate.Equal(asn.ShipDate), "ship date %s", asn.ShipDate)
			assert.True(t, tt.arrival.Equal(asn.ExpectedArrival), "expected arrival %s", asn.ExpectedArrival)
			assert.Equal(t, tt.shipTo, asn.ShipTo)
			assert.Empty(t, asn.Supplier, "the supplier is the partner, not something the 856 says")
			require.Len(t, asn.Lines, len(tt.lines))
			for i, want := range tt.lines {
				got := asn.Lines[i]
				assert.Equal(t, want.Number, got.Number)
				assert.Equal(t, want.Ref, got.Ref)
				assert.Empty(t, got.Item, "resolving items is the crosswalk's job")
				assertQty(t, want.Quantity, got.Quantity, "quantity")
				assertQty(t, want.PartnerQuantity, got.PartnerQuantity, "partner quantity")
				assertQty(t, want.Ordered, got.Ordered, "ordered")
				assert.Equal(t, want.SSCC, got.SSCC)
			}
			assert.True(t, containsWarning(rs[0].Warnings, tt.warning), "warnings: %q", rs[0].Warnings)
		})
	}
}

func TestFixture855(t *testing.T) {
	rs := mapFile(t, fixturePath(t, "855_node-x12_bookseller_ACK-lines.x12"), x12doc.Options{})
	require.Len(t, rs, 1)
	ack, ok := rs[0].Document.(order.Acknowledgment)
	require.True(t, ok)
	assert.Equal(t, "POTEST1112", ack.PONumber)
	assert.Equal(t, "AD", ack.AckType)
	assert.True(t, ack.Accepted)
	assert.True(t, utc(2020, 10, 15, 0, 0).Equal(ack.Date))
	want := []struct {
		number, status, partner, gtin string
		ordered, quantity             domain.Quantity
		price                         string
	}{
		{"1", order.LineAccepted, "IA", "9780446360265", qty("3", "UN"), qty("3", "UN"), "4.5"},
		{"2", order.LineRejected, "IR", "9780767928427", qty("2", "UN"), qty("0", "UN"), "15.99"},
		{"3", order.LineRejected, "IR", "9780099599531", qty("1", "UN"), qty("0", "UN"), "0"},
		{"4", order.LineAccepted, "IA", "9780446360272", qty("2", "UN"), qty("2", "UN"), "4.5"},
	}
	require.Len(t, ack.Lines, len(want))
	for i, w := range want {
		l := ack.Lines[i]
		assert.Equal(t, w.number, l.Number)
		assert.Equal(t, w.status, l.Status)
		assert.Equal(t, w.partner, l.PartnerStatus)
		assert.Equal(t, w.gtin, l.Item.GTIN)
		assertQty(t, w.ordered, l.Ordered, "line "+w.number+" ordered")
		assertQty(t, w.quantity, l.Quantity, "line "+w.number+" quantity")
		require.NotNil(t, l.UnitPrice)
		assert.True(t, dec(w.price).Equal(l.UnitPrice.Amount))
		assert.Equal(t, "USD", l.UnitPrice.Currency)
	}
}

func TestFixture810(t *testing.T) {
	rs := mapFile(t, fixturePath(t, "810_staedi_simple810_2tx.x12"), x12doc.Options{})
	require.Len(t, rs, 2)
	tests := []struct {
		control, po string
		date        time.Time
		lines       int
		quantity    string
		reconciles  bool
		warnings    []string
	}{
		{"000000001", "A99999-01", utc(1997, 12, 11, 0, 0), 7, "207", true, nil},
		{"000000002", "A99999-04", utc(1997, 12, 15, 0, 0), 2, "150", false, []string{
			"total 2554.38 does not reconcile",
			"stated total quantity 207 CA does not match the lines' 150 CA",
		}},
	}
	for i, tt := range tests {
		t.Run(tt.control, func(t *testing.T) {
			r := rs[i]
			require.Equal(t, tt.control, r.Transaction.Control)
			require.Empty(t, r.Errors)
			inv, ok := r.Document.(invoice.Invoice)
			require.True(t, ok)
			assert.Equal(t, "00001", inv.InvoiceNumber)
			assert.Equal(t, tt.po, inv.PONumber)
			assert.True(t, tt.date.Equal(inv.InvoiceDate))
			assert.Equal(t, invoice.TypeDebit, inv.Type)
			assert.Equal(t, "1/15 NET 30", inv.Terms)
			require.NotNil(t, inv.Total)
			assert.Equal(t, "2554.38", inv.Total.String(), "TDS01 255438 has two implied decimals")
			require.NotNil(t, inv.StatedQuantity)
			assertQty(t, qty("207", "CA"), *inv.StatedQuantity, "ISS")
			require.Len(t, inv.Lines, tt.lines)
			sum := decimal.Zero
			for _, l := range inv.Lines {
				assert.Equal(t, "CA", l.Quantity.Unit)
				assert.Equal(t, "12.34", l.UnitPrice.String())
				sum = sum.Add(l.Quantity.Amount)
			}
			assert.Equal(t, tt.quantity, sum.String())
			assert.Equal(t, "002840022222", inv.Lines[0].Item.UPC)
			assert.Equal(t, "CRUNCHY CHIPS LSS", inv.Lines[0].Item.Description)
			assert.Equal(t, tt.reconciles, inv.Reconciles())
			require.Len(t, r.Warnings, len(tt.warnings), "warnings: %q", r.Warnings)
			for _, w := range tt.warnings {
				assert.True(t, containsWarning(r.Warnings, w), "want warning %q in %q", w, r.Warnings)
			}
			assert.Len(t, inv.Parties, 3)
		})
	}
}

func TestFixture850(t *testing.T) {
	rs := mapFile(t, fixturePath(t, "850_node-x12_xyzretail_vics.x12"), x12doc.Options{})
	require.Len(t, rs, 1)
	po, ok := rs[0].Document.(order.PurchaseOrder)
	require.True(t, ok)
	assert.Equal(t, "08292233294", po.PONumber)
	assert.Equal(t, "original", po.Purpose)
	assert.True(t, utc(2010, 11, 27, 0, 0).Equal(po.OrderDate))
	assert.True(t, utc(2010, 12, 14, 0, 0).Equal(po.RequestedDelivery))
	require.Len(t, po.Lines, 6)
	l := po.Lines[0]
	assert.Equal(t, "1", l.Number)
	assertQty(t, qty("120", "EA"), l.Quantity, "line 1")
	require.NotNil(t, l.UnitPrice)
	assert.Equal(t, "9.25", l.UnitPrice.Amount.String())
	assert.Equal(t, "AB3542", l.Item.PartnerItem)
	assert.Equal(t, "065322-117", l.Item.BuyerItem)
	assert.Equal(t, "SMALL WIDGET", l.Item.Description)
	require.NotNil(t, po.Total)
	assert.Equal(t, "13045.94", po.Total.Amount.String())
	sum := decimal.Zero
	for _, l := range po.Lines {
		sum = sum.Add(l.Quantity.Amount.Mul(l.UnitPrice.Amount))
	}
	assert.True(t, sum.Equal(po.Total.Amount), "the lines add up to the AMT total")
	require.Len(t, po.Parties, 1)
	assert.Equal(t, domain.Party{Role: "ST", Name: "XYZ RETAIL", IDQualifier: "9", ID: "0003947268292"}, po.Parties[0])
}

func TestFixture214Honeywell(t *testing.T) {
	// AF at 09:31 local time (LT) in Kansas City, MO: Central Daylight Time on 2015-03-27, so 14:31 UTC.
	rs := mapFile(t, fixturePath(t, "214_scala-x12_honeywell-airfreight_tilde-caret.x12"), x12doc.Options{})
	require.Len(t, rs, 1)
	rep, ok := rs[0].Document.(shipment.StatusReport)
	require.True(t, ok)
	assert.Equal(t, "DNZA", rep.Carrier)
	assert.Equal(t, "5ZJ3896", rep.ShipmentID)
	assert.Equal(t, "5ZJ3896", rep.TrackingNumber, "B1001 is empty: the shipment ID stands in")
	assert.True(t, containsWarning(rs[0].Warnings, "B1001"), "warnings: %q", rs[0].Warnings)
	assert.Equal(t, []string{"5043705_00010_0001", "5043706_00010_0001"}, rep.PONumbers)
	assert.Contains(t, rep.References, domain.Reference{Qualifier: "BM", Value: "5ZJ3896"})
	assert.Contains(t, rep.References, domain.Reference{Qualifier: "AW", Value: "5ZJ3896"})
	require.Len(t, rep.Events, 1)
	ev := rep.Events[0]
	assert.Equal(t, shipment.StatusPickedUp, ev.Status)
	assert.Equal(t, "AF", ev.PartnerStatus)
	assert.Equal(t, "NS", ev.Reason)
	assert.Equal(t, utc(2015, 3, 27, 14, 31), ev.At)
	assert.Equal(t, "2015-03-27 09:31 LT", ev.LocalTime)
	assert.Equal(t, domain.Location{City: "KANSAS CITY", State: "MO", Country: "US"}, ev.Location)
}
