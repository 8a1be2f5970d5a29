package inbound_test

import (
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"

	"github.com/crossdock-hub/crossdock/adapters/inbound"
	"github.com/crossdock-hub/crossdock/domain"
	"github.com/crossdock-hub/crossdock/domain/inventory"
	"github.com/crossdock-hub/crossdock/domain/invoice"
	"github.com/crossdock-hub/crossdock/domain/order"
	"github.com/crossdock-hub/crossdock/domain/shipment"
	"github.com/crossdock-hub/crossdock/internal/fixtures"
)

func readFixture(t *testing.T, name string) []byte { return fixtures.Read(t, name) }

// decodeFixture detects and decodes a fixture as `crossdock inspect` does.
func decodeFixture(t *testing.T, name string) (*inbound.Decoded, error) {
	t.Helper()
	body := readFixture(t, name)
	format, err := inbound.Detect("", body)
	require.NoError(t, err, name)
	return inbound.Decode(format, body, inbound.Options{})
}

func qty(t *testing.T, amount, unit string) domain.Quantity {
	t.Helper()
	q, err := domain.ParseQuantity(amount, unit)
	require.NoError(t, err)
	return q
}

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

// TestEveryFixtureAsSOURCESSays runs each shared fixture through format detection and decoding and checks
// the outcome SOURCES.md asks for: the canonical fields of what is taken, the reason of what is not.
func TestEveryFixtureAsSOURCESSays(t *testing.T) {
	t.Run("x12 850 purchase order", func(t *testing.T) {
		d, err := decodeFixture(t, "x12/850_node-x12_xyzretail_vics.x12")
		require.NoError(t, err)
		require.Empty(t, d.Problems)
		require.Len(t, d.Documents, 1)
		po := d.Documents[0].Document.(order.PurchaseOrder)
		require.Equal(t, "08292233294", po.PONumber)
		require.Len(t, po.Lines, 6)
		require.Equal(t, qty(t, "120", "EA"), po.Lines[0].Quantity)
		require.True(t, po.Lines[0].UnitPrice.Amount.Equal(dec("9.25")))
		require.Equal(t, "AB3542", po.Lines[0].Item.PartnerItem)
		require.True(t, po.Total.Amount.Equal(dec("13045.94")))
	})
	t.Run("x12 855 acknowledgment, lines accepted and rejected", func(t *testing.T) {
		d, err := decodeFixture(t, "x12/855_node-x12_bookseller_ACK-lines.x12")
		require.NoError(t, err)
		require.Empty(t, d.Problems)
		ack := d.Documents[0].Document.(order.Acknowledgment)
		require.Equal(t, "POTEST1112", ack.PONumber)
		require.Equal(t, "AD", ack.AckType)
		require.Len(t, ack.Lines, 4)
		want := []struct{ status, partner, qty string }{
			{order.LineAccepted, "IA", "3"}, {order.LineRejected, "IR", "0"},
			{order.LineRejected, "IR", "0"}, {order.LineAccepted, "IA", "2"},
		}
		for i, w := range want {
			require.Equal(t, w.status, ack.Lines[i].Status, "line %d", i+1)
			require.Equal(t, w.partner, ack.Lines[i].PartnerStatus, "line %d", i+1)
			require.Equal(t, qty(t, w.qty, "UN"), ack.Lines[i].Quantity, "line %d", i+1)
		}
		require.Equal(t, "9780446360265", ack.Lines[0].Item.GTIN)
	})
	t.Run("x12 810 two invoices, the second does not reconcile", func(t *testing.T) {
		d, err := decodeFixture(t, "x12/810_staedi_simple810_2tx.x12")
		require.NoError(t, err)
		require.Empty(t, d.Problems)
		require.Len(t, d.Documents, 2)
		first := d.Documents[0].Document.(invoice.Invoice)
		require.Equal(t, "00001", first.InvoiceNumber)
		require.Equal(t, "A99999-01", first.PONumber)
		require.True(t, first.Total.Equal(dec("2554.38")), "TDS 255438 has two implied decimals")
		require.True(t, first.Reconciles())
		require.Len(t, first.Lines, 7)
		require.Equal(t, qty(t, "16", "CA"), first.Lines[0].Quantity)
		require.Empty(t, d.Documents[0].Warnings)
		second := d.Documents[1].Document.(invoice.Invoice)
		require.False(t, second.Reconciles())
		require.True(t, second.Computed().Equal(dec("1851")), "50 + 100 cases at 12.34")
		require.NotEmpty(t, d.Documents[1].Warnings)
		require.Contains(t, d.Documents[1].Warnings[0], "does not reconcile")
	})
	t.Run("x12 214 with ~ ^ | delimiters, AT7 local time at Kansas City", func(t *testing.T) {
		d, err := decodeFixture(t, "x12/214_scala-x12_honeywell-airfreight_tilde-caret.x12")
		require.NoError(t, err)
		require.Empty(t, d.Problems)
		r := d.Documents[0].Document.(shipment.StatusReport)
		require.Equal(t, "5ZJ3896", r.TrackingNumber)
		require.Contains(t, r.PONumbers, "5043705_00010_0001")
		require.Len(t, r.Events, 1)
		ev := r.Events[0]
		require.Equal(t, shipment.StatusPickedUp, ev.Status)
		require.Equal(t, "AF", ev.PartnerStatus)
		// 09:31 local time in Missouri on 2015-03-27 is CDT (UTC-5).
		require.Equal(t, time.Date(2015, 3, 27, 14, 31, 0, 0, time.UTC), ev.At)
		require.Equal(t, "KANSAS CITY", ev.Location.City)
	})
	t.Run("x12 214 with a 3-byte segment terminator is rejected", func(t *testing.T) {
		_, err := decodeFixture(t, "x12/214_staedi_ltl_utf8-ellipsis-term.x12")
		var pb inbound.Problem
		require.ErrorAs(t, err, &pb)
		require.Contains(t, pb.Reason, "U+2026")
		require.Contains(t, pb.Reason, "single bytes")
		require.Equal(t, "segment 1 (ISA)", pb.Where)
	})
	t.Run("x12 856 with BOM, CRLF and indentation, SSCC on the pack", func(t *testing.T) {
		d, err := decodeFixture(t, "x12/856_oopfactory_gregarican_SOPI_MAN-GM.x12")
		require.NoError(t, err)
		require.Empty(t, d.Problems)
		a := d.Documents[0].Document.(shipment.ASN)
		require.Equal(t, "521649209219", a.ASNNumber)
		require.Equal(t, "SO/VINCE1", a.PONumber)
		require.Equal(t, time.Date(2012, 5, 10, 0, 0, 0, 0, time.UTC), a.ShipDate)
		require.Len(t, a.Lines, 1)
		require.Equal(t, "883932284904", a.Lines[0].Ref.UPC)
		require.Equal(t, "007121610006156802", a.Lines[0].SSCC)
		require.Equal(t, qty(t, "1", "EA"), a.Lines[0].PartnerQuantity)
	})
	t.Run("x12 856 4060 with ISA11 '-'", func(t *testing.T) {
		d, err := decodeFixture(t, "x12/856_oopfactory_1edisource_SOI_v4060.x12")
		require.NoError(t, err)
		require.Empty(t, d.Problems)
		a := d.Documents[0].Document.(shipment.ASN)
		require.Equal(t, "829716", a.ASNNumber)
		require.Equal(t, "99999817", a.PONumber)
		require.Equal(t, "5787970539", a.TrackingNumber)
		require.Equal(t, "999999-001", a.BillOfLading)
		require.Len(t, a.Lines, 2)
		require.Equal(t, "87787D", a.Lines[0].Ref.PartnerItem)
		require.Equal(t, "999999310145", a.Lines[0].Ref.UPC)
		require.Equal(t, qty(t, "24", "EA"), a.Lines[0].PartnerQuantity)
		require.Equal(t, qty(t, "6", "EA"), a.Lines[1].PartnerQuantity)
	})
	t.Run("edifact INVOIC D93A with UNA decimal comma", func(t *testing.T) {
		d, err := decodeFixture(t, "edifact/INVOIC_D93A_staedi_una_decimal-comma.edi")
		require.NoError(t, err)
		require.Empty(t, d.Problems)
		require.NotEmpty(t, d.Warnings, "lower case and ü under UNOA syntax 2 are accepted with warnings")
		inv := d.Documents[0].Document.(invoice.Invoice)
		require.Equal(t, "9908001", inv.InvoiceNumber)
		require.Equal(t, "O0010001", inv.PONumber)
		require.Len(t, inv.Lines, 3)
		require.True(t, inv.Lines[1].UnitPrice.Equal(dec("19.9")), "19,9 under a decimal comma")
		require.Equal(t, qty(t, "3", "PCE"), inv.Lines[2].Quantity)
		require.True(t, inv.Total.Equal(dec("901.78")))
		require.True(t, inv.Reconciles())
	})
	t.Run("edifact INVOIC D97B with Ü under UNOA syntax 3 is rejected", func(t *testing.T) {
		d, err := decodeFixture(t, "edifact/INVOIC_D97B_staedi.edi")
		require.NoError(t, err)
		require.Empty(t, d.Documents)
		require.Len(t, d.Problems, 1)
		require.Equal(t, "segment 7 (NAD) element 4 component 1", d.Problems[0].Where)
		require.Contains(t, d.Problems[0].Reason, "UNOA")
	})
	t.Run("edifact ORDERS whose UNT count lies is rejected", func(t *testing.T) {
		d, err := decodeFixture(t, "edifact/ORDERS_D96B_EAN008_staedi_UNG-group.edi")
		require.NoError(t, err)
		require.Empty(t, d.Documents)
		require.Len(t, d.Problems, 1)
		require.Equal(t, "segment 20 (UNT) element 1", d.Problems[0].Where)
		require.Contains(t, d.Problems[0].Reason, "UNT says 21 segments, there are 18")
	})
	t.Run("webhooks", func(t *testing.T) {
		for _, tc := range []struct {
			file, format, kind string
		}{
			{"webhooks/easypost_tracker.updated_event-body.json", "easypost", domain.KindShipmentStatus},
			{"webhooks/aftership_tracking_update_docs-example-trimmed.json", "aftership", domain.KindShipmentStatus},
			{"webhooks/shippo_track_updated_docs-example.json", "shippo", domain.KindShipmentStatus},
			{"webhooks/shipbob_order.shipment.tracking_received_docs-example.json", "shipbob", domain.KindShipmentStatus},
			{"webhooks/shiphero_inventory-update_docs-example.json", "shiphero", domain.KindInventorySnapshot},
			{"webhooks/shiphero_inventory-change_docs-example.json", "shiphero", domain.KindInventoryAdjustment},
		} {
			d, err := decodeFixture(t, tc.file)
			require.NoError(t, err, tc.file)
			require.Equal(t, tc.format, d.Format, tc.file)
			require.NotEmpty(t, d.Documents, tc.file)
			require.Equal(t, tc.kind, d.Documents[0].Document.Kind(), tc.file)
		}
		d, err := decodeFixture(t, "webhooks/shiphero_inventory-change_docs-example.json")
		require.NoError(t, err)
		adj := d.Documents[0].Document.(inventory.Adjustment)
		require.False(t, adj.Change.Amount.IsZero())
	})
}
