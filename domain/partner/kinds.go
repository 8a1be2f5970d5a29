package partner

import "slices"

// Document kinds: what a partner may send, what a channel carries and what a token is scoped to. They
// name the canonical document, whatever the wire format (an X12 856 and an EDIFACT DESADV are both an
// "asn").
const (
	KindASN                 = "asn"                  // X12 856, DESADV, canonical JSON
	KindShipmentStatus      = "shipment_status"      // X12 214, IFTSTA, carrier webhooks
	KindReceipt             = "receipt"              // X12 944, warehouse receipt CSV
	KindShipConfirmation    = "ship_confirmation"    // X12 945, warehouse shipment CSV
	KindInventorySnapshot   = "inventory_snapshot"   // X12 846, INVRPT, inventory CSV
	KindInventoryAdjustment = "inventory_adjustment" // a delta with a reason (e.g. ShipHero inventory change)
	KindInvoice             = "invoice"              // X12 810, INVOIC
	KindOrderAck            = "order_ack"            // X12 855, ORDRSP
	KindFunctionalAck       = "functional_ack"       // X12 997, CONTRL
)

var documentKinds = []string{
	KindASN, KindShipmentStatus, KindReceipt, KindShipConfirmation, KindInventorySnapshot,
	KindInventoryAdjustment, KindInvoice, KindOrderAck, KindFunctionalAck,
}

// DocumentKinds returns every document kind, in a fixed order.
func DocumentKinds() []string { return slices.Clone(documentKinds) }

// IsDocumentKind reports whether s is one of the document kinds.
func IsDocumentKind(s string) bool { return slices.Contains(documentKinds, s) }

// Role is what a partner is to the company. A partner may have several (a supplier that also ships).
type Role string

// Roles.
const (
	RoleSupplier  Role = "supplier"
	RoleWarehouse Role = "warehouse" // a WMS or 3PL holding the company's stock
	RoleCarrier   Role = "carrier"
	RoleChannel   Role = "channel" // a sales channel (marketplace, shop)
)

var roles = []Role{RoleSupplier, RoleWarehouse, RoleCarrier, RoleChannel}

// Channel kinds: how a partner's documents reach Crossdock, and how Crossdock's reach the partner.
const (
	ChannelHTTP  = "http"  // posted to the ingest API with the partner's token
	ChannelInbox = "inbox" // dropped as files (SFTP / watched folder)
	ChannelCLI   = "cli"   // loaded by an operator with `crossdock ingest`
	// ChannelOutbox carries documents to the partner: each is written as a file in the channel's Dir
	// (the partner's SFTP pick-up folder, or a folder a transfer agent sends on), whole or not at all.
	ChannelOutbox = "outbox"
)

var channelKinds = []string{ChannelHTTP, ChannelInbox, ChannelCLI, ChannelOutbox}

// Outbound document kinds: what Crossdock sends a partner, over an outbox channel.
const (
	KindPurchaseOrder  = "purchase_order"  // X12 850, EDIFACT ORDERS: to a supplier
	KindWarehouseOrder = "warehouse_order" // X12 940: to a warehouse (3PL)
)

var outboundKinds = []string{KindPurchaseOrder, KindWarehouseOrder}

// outboundFormats are the formats Crossdock writes each outbound kind in.
var outboundFormats = map[string][]string{
	KindPurchaseOrder:  {FormatX12, FormatEDIFACT},
	KindWarehouseOrder: {FormatX12},
}

// Formats: the wire format of a channel.
const (
	FormatX12       = "x12"
	FormatEDIFACT   = "edifact"
	FormatCSV       = "csv"
	FormatJSON      = "json" // Crossdock's canonical JSON
	FormatEasyPost  = "easypost"
	FormatShippo    = "shippo"
	FormatAfterShip = "aftership"
	FormatShipHero  = "shiphero"
	FormatShipBob   = "shipbob"
)

var formats = []string{
	FormatX12, FormatEDIFACT, FormatCSV, FormatJSON, FormatEasyPost, FormatShippo, FormatAfterShip,
	FormatShipHero, FormatShipBob,
}

// webhookFormats are the formats a partner may sign with an HMAC secret: the JSON ones posted as
// webhooks. EDI and CSV travel with a bearer token only.
var webhookFormats = []string{FormatJSON, FormatEasyPost, FormatShippo, FormatAfterShip, FormatShipHero, FormatShipBob}

// IsWebhookFormat reports whether format may carry an HMAC secret.
func IsWebhookFormat(format string) bool { return slices.Contains(webhookFormats, format) }

// Inventory quantity meanings an 846 QTY01 / INVRPT QTY qualifier maps to.
const (
	QtyOnHand    = "on_hand"
	QtyAvailable = "available"
	QtyAllocated = "allocated"
	QtyOnOrder   = "on_order"
	QtyInTransit = "in_transit"
	QtyDamaged   = "damaged"
	QtyOnHold    = "on_hold"
)

var inventoryMeanings = []string{QtyOnHand, QtyAvailable, QtyAllocated, QtyOnOrder, QtyInTransit, QtyDamaged, QtyOnHold}

// DefaultInventoryQualifiers applies to a partner that declares none: X12 846 QTY01 17 (quantity on
// hand) and 33 (quantity available for sale), the two every 846 implementation guide shares.
func DefaultInventoryQualifiers() map[string]string {
	return map[string]string{"17": QtyOnHand, "33": QtyAvailable}
}
