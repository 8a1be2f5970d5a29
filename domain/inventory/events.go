package inventory

import (
	"time"

	"github.com/shopspring/decimal"

	"github.com/crossdock-hub/crossdock/domain"
)

// Event types with their schema version.
const (
	EventSnapshotReported = "inventory.snapshot_reported.v1"
	EventAdjusted         = "inventory.adjusted.v1"
)

// Event is a fact the inventory aggregate decided. Its JSON form (encoding/json) is the event's payload:
// quantities are decimal strings, instants RFC 3339 in UTC.
type Event interface {
	EventType() string
}

// PositionKey names one inventory position: an Odoo product at a warehouse partner, in one of its
// warehouses and at one location when the partner says.
type PositionKey struct {
	Partner   string `json:"partner"`
	Warehouse string `json:"warehouse,omitempty"`
	Product   string `json:"product"`
	Location  string `json:"location,omitempty"`
}

// SnapshotData is the payload of inventory.snapshot_reported.v1: the whole position as of an instant.
type SnapshotData struct {
	PositionKey
	// ItemRef is the item as the partner named it.
	ItemRef domain.ItemRef `json:"item_ref"`
	AsOf    time.Time      `json:"as_of"`
	// ReportNumber is the partner's report number (X12 BIA03), optional.
	ReportNumber string `json:"report_number,omitempty"`
	// Quantities by canonical qualifier (OnHand, Available...).
	Quantities map[string]QuantityData `json:"quantities"`
}

// QuantityData is one reported figure, canonical and as the partner wrote it.
type QuantityData struct {
	Quantity        decimal.Decimal `json:"quantity"`
	Unit            string          `json:"unit"`
	PartnerQuantity decimal.Decimal `json:"partner_quantity"`
	PartnerUnit     string          `json:"partner_unit"`
	// PartnerQualifier is the partner's code the figure came under (X12 QTY01 "17"), when it said.
	PartnerQualifier string `json:"partner_qualifier,omitempty"`
}

// SnapshotReported records a partner's statement of a whole position.
type SnapshotReported struct {
	SnapshotData
}

// EventType implements Event.
func (SnapshotReported) EventType() string { return EventSnapshotReported }

// AdjustmentData is the payload of inventory.adjusted.v1: a change of the on-hand quantity with its
// reason.
type AdjustmentData struct {
	PositionKey
	ItemRef domain.ItemRef `json:"item_ref"`
	At      time.Time      `json:"at"`
	// Quantity is the signed change in canonical units; PartnerQuantity as the partner wrote it.
	Quantity        decimal.Decimal `json:"quantity"`
	Unit            string          `json:"unit"`
	PartnerQuantity decimal.Decimal `json:"partner_quantity"`
	PartnerUnit     string          `json:"partner_unit"`
	// Previous is the on-hand quantity before the change, when the partner says.
	PreviousQuantity        *decimal.Decimal `json:"previous_quantity,omitempty"`
	PreviousUnit            string           `json:"previous_unit,omitempty"`
	PartnerPreviousQuantity *decimal.Decimal `json:"partner_previous_quantity,omitempty"`
	PartnerPreviousUnit     string           `json:"partner_previous_unit,omitempty"`
	Reason                  string           `json:"reason,omitempty"`
	// AdjustmentID is the partner's ID for the change, optional.
	AdjustmentID string `json:"adjustment_id,omitempty"`
}

// Adjusted records a change of a position.
type Adjusted struct {
	AdjustmentData
}

// EventType implements Event.
func (Adjusted) EventType() string { return EventAdjusted }

// Odoo's side of a warehouse, as the Odoo connector reads it (issue 5 produces these; the divergence read
// model compares them with the warehouse's own figures).
const (
	EventOdooLevelsRead       = "inventory.odoo_levels_read.v1"
	EventOdooPickingValidated = "inventory.odoo_picking_validated.v1"
)

// OdooLevelsData is the payload of inventory.odoo_levels_read.v1: Odoo's on-hand quantities at one
// warehouse as of one reading, Σ stock.quant quantity over the warehouse's internal locations per
// product. A reading is the whole warehouse: a product it does not list has none in Odoo.
type OdooLevelsData struct {
	// Warehouse is the warehouse's key in Crossdock: the warehouse partner's ID, "/" and its warehouse
	// code when it has several (WarehouseKey).
	Warehouse string          `json:"warehouse"`
	AsOf      time.Time       `json:"as_of"`
	Levels    []OdooLevelData `json:"levels"`
}

// OdooLevelData is one product's quantity in a reading, in the product's unit.
type OdooLevelData struct {
	Product  string          `json:"product"`
	Quantity decimal.Decimal `json:"quantity"`
	Unit     string          `json:"unit"`
}

// OdooLevelsRead records a reading of Odoo's levels at a warehouse.
type OdooLevelsRead struct {
	OdooLevelsData
}

// EventType implements Event.
func (OdooLevelsRead) EventType() string { return EventOdooLevelsRead }

// Picking kinds of an Odoo validation.
const (
	PickingReceipt  = "receipt"
	PickingDelivery = "delivery"
)

// OdooPickingValidatedData is the payload of inventory.odoo_picking_validated.v1: Odoo validated the
// picking that books a warehouse's receipt (or shipment) into its stock.
type OdooPickingValidatedData struct {
	Warehouse string `json:"warehouse"`
	// Kind is PickingReceipt or PickingDelivery.
	Kind string `json:"kind"`
	// Reference is the warehouse's document the picking books: its receipt number, or its shipment ID
	// (else the warehouse order number) for a delivery.
	Reference   string    `json:"reference"`
	Picking     string    `json:"picking,omitempty"`
	ValidatedAt time.Time `json:"validated_at"`
}

// OdooPickingValidated records Odoo's validation of a picking.
type OdooPickingValidated struct {
	OdooPickingValidatedData
}

// EventType implements Event.
func (OdooPickingValidated) EventType() string { return EventOdooPickingValidated }

// WarehouseKey is a warehouse's key in Crossdock: the warehouse partner's ID, with "/" and the partner's
// warehouse code when it names one.
func WarehouseKey(partner, warehouse string) string {
	if warehouse == "" {
		return partner
	}
	return partner + "/" + warehouse
}

// EventDivergenceBreached records that a position stayed diverged between the warehouse and Odoo for
// longer than the warehouse's window. It is raised once per episode (its ID derives from the episode's
// start), on the position's divergence stream (DivergenceStreamID).
const EventDivergenceBreached = "inventory.divergence_breached.v1"

// DivergenceStreamID is the stream of a position's divergence breaches.
func DivergenceStreamID(warehouse, product string) string {
	return "inventory-divergence:" + warehouse + ":" + product
}

// DivergenceBreachedData is the payload of inventory.divergence_breached.v1.
type DivergenceBreachedData struct {
	Warehouse     string          `json:"warehouse"`
	Product       string          `json:"product"`
	DivergedSince time.Time       `json:"diverged_since"`
	Divergence    decimal.Decimal `json:"divergence"`
	// Window is how long a divergence may last, in minutes, as configured when it was raised.
	WindowMinutes int       `json:"window_minutes"`
	RaisedAt      time.Time `json:"raised_at"`
	// Evidence are the IDs of the events the position's figures came from when it was raised.
	Evidence []string `json:"evidence"`
}

// DivergenceBreached records a breach.
type DivergenceBreached struct {
	DivergenceBreachedData
}

// EventType implements Event.
func (DivergenceBreached) EventType() string { return EventDivergenceBreached }
