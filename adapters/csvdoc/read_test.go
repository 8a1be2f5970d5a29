package csvdoc

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/crossdock-hub/crossdock/domain"
	"github.com/crossdock-hub/crossdock/domain/inventory"
	"github.com/crossdock-hub/crossdock/domain/order"
	"github.com/crossdock-hub/crossdock/domain/receipt"
)

type wantPosition struct {
	item       domain.ItemRef
	location   string
	quantities map[string]domain.Quantity
	partner    map[string]string
}

func TestReadInventorySnapshot(t *testing.T) {
	t.Parallel()
	tests := []struct {
		file      string
		warehouse string
		asOf      time.Time
		positions []wantPosition
		warnings  []string
	}{
		{
			// BOM, CRLF, quoted commas and quotes, blank trailing lines, a negative available.
			file: "inventory_canonical.csv", warehouse: "WH1", asOf: utc("2024-03-15T08:00:00Z"),
			positions: []wantPosition{
				{item: domain.ItemRef{PartnerItem: "SKU-42", UPC: "012345678905", Description: "Mug, red"}, location: "A-01-01",
					quantities: map[string]domain.Quantity{inventory.OnHand: q("120", "EA"), inventory.Available: q("100", "EA"), inventory.Allocated: q("20", "EA")},
					partner:    map[string]string{inventory.OnHand: "on_hand", inventory.Available: "available", inventory.Allocated: "allocated"}},
				{item: domain.ItemRef{PartnerItem: "SKU-42", UPC: "012345678905", Description: "Mug, red"}, location: "B-02-03",
					quantities: map[string]domain.Quantity{inventory.OnHand: q("12.5", "EA"), inventory.Available: q("12.5", "EA"), inventory.Allocated: q("0", "EA")}},
				{item: domain.ItemRef{PartnerItem: "SKU-7", UPC: "036000291452", Description: `Poster "XL"`}, location: "A-01-02",
					quantities: map[string]domain.Quantity{inventory.OnHand: q("4", "CS"), inventory.Available: q("-2", "CS"), inventory.Allocated: q("6", "CS")}},
			},
		},
		{
			// The 3PL's own headers mapped through Columns; "qty avail" matches "Qty Avail" regardless of
			// case; the empty UOM takes the default; an empty available is absent, not zero.
			file: "inventory_3pl.csv", warehouse: "EAST", asOf: utc("2024-03-15T00:00:00Z"),
			positions: []wantPosition{
				{item: domain.ItemRef{PartnerItem: "SKU-42", UPC: "012345678905"}, location: "A-01-01",
					quantities: map[string]domain.Quantity{inventory.OnHand: q("120", "EA"), inventory.Available: q("100", "EA")},
					partner:    map[string]string{inventory.OnHand: "Qty On Hand", inventory.Available: "Qty Avail"}},
				{item: domain.ItemRef{PartnerItem: "SKU-9"}, location: "R-01",
					quantities: map[string]domain.Quantity{inventory.OnHand: q("0", "EA"), inventory.Available: q("0", "EA")}},
				{item: domain.ItemRef{PartnerItem: "SKU-7", UPC: "036000291452"}, location: "A-01-02",
					quantities: map[string]domain.Quantity{inventory.OnHand: q("4", "CS")},
					partner:    map[string]string{inventory.OnHand: "Qty On Hand"}},
			},
		},
		{
			file: "inventory_noheader.csv",
			positions: []wantPosition{
				{item: domain.ItemRef{PartnerItem: "SKU-42"}, location: "A-01-01",
					quantities: map[string]domain.Quantity{inventory.OnHand: q("120", "EA"), inventory.Available: q("100", "EA")},
					partner:    map[string]string{inventory.OnHand: "column 3", inventory.Available: "column 4"}},
				{item: domain.ItemRef{PartnerItem: "SKU-7"}, location: "A-01-02",
					quantities: map[string]domain.Quantity{inventory.OnHand: q("4", "EA"), inventory.Available: q("3", "EA")}},
			},
			warnings: []string{"no as_of date: the snapshot is as of the time it is received"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			t.Parallel()
			docs, warnings := readFile(t, tt.file)
			require.Equal(t, tt.warnings, warnings)
			require.Len(t, docs, 1, "a stock file is one snapshot")
			snap, ok := docs[0].(inventory.Snapshot)
			require.True(t, ok, "document is a %T", docs[0])
			require.Equal(t, tt.warehouse, snap.Warehouse)
			require.Equal(t, tt.asOf, snap.AsOf)
			require.Len(t, snap.Positions, len(tt.positions))
			for i, w := range tt.positions {
				p := snap.Positions[i]
				require.Equal(t, w.item, p.Item, "position %d", i)
				require.Equal(t, w.location, p.Location, "position %d", i)
				require.Len(t, p.Quantities, len(w.quantities), "position %d", i)
				for qual, wq := range w.quantities {
					requireQty(t, wq, p.Quantities[qual], qual)
					require.Equal(t, wq.Unit, p.Quantities[qual].Unit)
				}
				if w.partner != nil {
					require.Equal(t, w.partner, p.PartnerQualifiers, "position %d", i)
				}
			}
		})
	}
}

type wantReceiptLine struct {
	number   string
	item     domain.ItemRef
	received domain.Quantity
	damaged  domain.Quantity
	lot      string
}

func TestReadReceipts(t *testing.T) {
	t.Parallel()
	type wantReceipt struct {
		number, po, asn, warehouse string
		receivedAt                 time.Time
		lines                      []wantReceiptLine
	}
	tests := []struct {
		file     string
		receipts []wantReceipt
		warnings []string
	}{
		{
			// RCV-2 comes first in the file, so it is the first document; the rows of each receipt are
			// interleaved.
			file: "receipts_canonical.csv",
			receipts: []wantReceipt{
				{number: "RCV-2", po: "P00042", warehouse: "WH1", receivedAt: utc("2024-03-16T14:30:00Z"), lines: []wantReceiptLine{
					{number: "1", item: domain.ItemRef{PartnerItem: "SKU-42"}, received: q("48", "EA"), damaged: q("0", "EA"), lot: "L2024-03"},
					{number: "2", item: domain.ItemRef{PartnerItem: "SKU-9"}, received: q("12.5", "KG")},
				}},
				{number: "RCV-1", asn: "ASN100012", warehouse: "WH1", receivedAt: utc("2024-03-15T00:00:00Z"), lines: []wantReceiptLine{
					{number: "1", item: domain.ItemRef{PartnerItem: "SKU-7", GTIN: "10012345678902"}, received: q("10", "CS"), damaged: q("1", "CS")},
					{number: "2", item: domain.ItemRef{GTIN: "4006381333931"}, received: q("3", "CS"), lot: "LOT-A"},
				}},
			},
		},
		{
			file: "receipts_3pl.csv",
			receipts: []wantReceipt{
				{number: "R-900", po: "4500012345", warehouse: "ACME-3PL", receivedAt: utc("2024-03-18T09:15:00Z"), lines: []wantReceiptLine{
					{number: "001", item: domain.ItemRef{PartnerItem: "SKU-42", UPC: "012345678905"}, received: q("24", "EA"), damaged: q("2", "EA"), lot: "L-1"},
					{number: "002", item: domain.ItemRef{PartnerItem: "SKU-7"}, received: q("6", "CS")},
				}},
				{number: "R-901", po: "4500012399", warehouse: "ACME-3PL", receivedAt: utc("2024-03-18T11:40:00Z"), lines: []wantReceiptLine{
					{number: "001", item: domain.ItemRef{PartnerItem: "SKU-42", UPC: "012345678905"}, received: q("1", "EA")},
				}},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			t.Parallel()
			docs, warnings := readFile(t, tt.file)
			require.Equal(t, tt.warnings, warnings)
			require.Len(t, docs, len(tt.receipts))
			for i, w := range tt.receipts {
				r, ok := docs[i].(receipt.Receipt)
				require.True(t, ok, "document %d is a %T", i, docs[i])
				require.Equal(t, w.number, r.ReceiptNumber)
				require.Equal(t, w.po, r.PONumber)
				require.Equal(t, w.asn, r.ASNNumber)
				require.Equal(t, w.warehouse, r.Warehouse)
				require.Equal(t, w.receivedAt, r.ReceivedAt)
				require.Len(t, r.Lines, len(w.lines))
				for j, wl := range w.lines {
					l := r.Lines[j]
					require.Equal(t, wl.number, l.Number)
					require.Equal(t, wl.item, l.Item)
					requireQty(t, wl.received, l.Received, "received")
					require.Equal(t, wl.received.Unit, l.Received.Unit)
					requireQty(t, wl.damaged, l.Damaged, "damaged")
					require.Equal(t, wl.lot, l.Lot)
				}
			}
		})
	}
}

func TestReadShipConfirmations(t *testing.T) {
	t.Parallel()
	type wantLine struct {
		number           string
		sku              string
		ordered, shipped domain.Quantity
		lot, sscc        string
	}
	type wantConf struct {
		number, po, scac, tracking string
		more                       []domain.Reference
		shipDate                   time.Time
		lines                      []wantLine
	}
	tests := []struct {
		file  string
		confs []wantConf
	}{
		{
			file: "ship_confirmations_canonical.csv",
			confs: []wantConf{
				{number: "SO-1001", po: "P00042", scac: "UPSN", shipDate: utc("2024-03-15T17:45:00Z"),
					// One order, two parcels: the second tracking number is kept as a reference.
					tracking: "1Z999AA10123456784",
					more:     []domain.Reference{{Qualifier: "tracking_number", Value: "1Z999AA10123456795"}},
					lines: []wantLine{
						{number: "1", sku: "SKU-42", ordered: q("10", "EA"), shipped: q("10", "EA"), sscc: "006141411234567890"},
						{number: "1", sku: "SKU-42", ordered: q("10", "EA"), shipped: q("0", "EA"), sscc: "100614141000000011"},
						{number: "2", sku: "SKU-9", ordered: q("2", "EA"), shipped: q("2", "EA"), lot: "L7", sscc: "061414112345678902"},
					}},
				{number: "SO-1002", scac: "FDEG", tracking: "794600000001", shipDate: utc("2024-03-16T00:00:00Z"),
					lines: []wantLine{{number: "1", sku: "SKU-7", ordered: q("5", "CS"), shipped: q("4", "CS"), lot: "LOT-B"}}},
			},
		},
		{
			file: "ship_confirmations_3pl.tsv",
			confs: []wantConf{
				{number: "SO-2001", po: "P00077", scac: "FDEG", tracking: "794600000099", shipDate: utc("2024-03-20T16:05:00Z"),
					lines: []wantLine{
						// The 20-digit form with the 00 application identifier is kept as sent.
						{number: "1", sku: "SKU-42", ordered: q("24", "EA"), shipped: q("24", "EA"), sscc: "00006141411234567890"},
						{number: "2", sku: "SKU-7", ordered: q("3", "CS"), shipped: q("2", "CS"), lot: "L-9", sscc: "006141411234567890"},
					}},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			t.Parallel()
			docs, warnings := readFile(t, tt.file)
			require.Empty(t, warnings)
			require.Len(t, docs, len(tt.confs))
			for i, w := range tt.confs {
				c, ok := docs[i].(order.ShipConfirmation)
				require.True(t, ok, "document %d is a %T", i, docs[i])
				require.Equal(t, domain.KindShipConfirmation, c.Kind())
				require.Equal(t, w.number, c.OrderNumber)
				require.Equal(t, w.po, c.PONumber)
				require.Equal(t, w.scac, c.CarrierSCAC)
				require.Equal(t, w.tracking, c.TrackingNumber)
				require.Equal(t, w.more, c.References)
				require.Equal(t, w.shipDate, c.ShipDate)
				require.Len(t, c.Lines, len(w.lines))
				for j, wl := range w.lines {
					l := c.Lines[j]
					require.Equal(t, wl.number, l.Number)
					require.Equal(t, wl.sku, l.Item.PartnerItem)
					requireQty(t, wl.ordered, l.Ordered, "ordered")
					requireQty(t, wl.shipped, l.Shipped, "shipped")
					require.Equal(t, wl.shipped.Unit, l.Shipped.Unit)
					require.Equal(t, wl.lot, l.Lot)
					require.Equal(t, wl.sscc, l.SSCC)
				}
			}
		})
	}
}

// A space after the comma before a quoted field is not data; a tab-separated file keeps its empty fields.
func TestReadSpacesAndTabs(t *testing.T) {
	t.Parallel()
	m := Map{Kind: domain.KindInventorySnapshot, Header: true, Columns: identity("sku", "description", "on_hand", "unit")}
	docs, _, err := Read(strings.NewReader("sku, description, on_hand, unit\nA, \"Mug, red\", 3, EA\n"), m)
	require.NoError(t, err)
	p := docs[0].(inventory.Snapshot).Positions[0]
	require.Equal(t, domain.ItemRef{PartnerItem: "A", Description: "Mug, red"}, p.Item)
	requireQty(t, q("3", "EA"), p.Quantities[inventory.OnHand], "on hand")

	m.Comma = '\t'
	docs, _, err = Read(strings.NewReader("sku\tdescription\ton_hand\tunit\nA\t\t3\tEA\n"), m)
	require.NoError(t, err)
	p = docs[0].(inventory.Snapshot).Positions[0]
	require.Equal(t, domain.ItemRef{PartnerItem: "A"}, p.Item)
	requireQty(t, q("3", "EA"), p.Quantities[inventory.OnHand], "on hand")
}
