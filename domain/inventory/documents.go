// Package inventory is the aggregate of one inventory position: an item at a warehouse as the warehouse
// (WMS / 3PL) reports it, stream "inventory-<warehouse partner>:<product>". A snapshot states the whole
// position (X12 846, EDIFACT INVRPT, ShipHero inventory update, a CSV stock file); an adjustment states a
// change with its reason (ShipHero inventory change).
package inventory

import (
	"time"

	"github.com/crossdock-hub/crossdock/domain"
)

// Quantity qualifiers: what a reported figure counts. Partners' codes (X12 QTY01, EDIFACT QTY 6063) map
// onto these per partner; an unknown code fails closed.
const (
	OnHand    = "on_hand"
	Available = "available"
	Allocated = "allocated"
	OnOrder   = "on_order"
	Damaged   = "damaged"
	InTransit = "in_transit"
)

// Snapshot is a full report of positions as of an instant: an item and location that a snapshot lists
// has exactly the quantities stated, whatever was reported before.
type Snapshot struct {
	// Warehouse is the warehouse's code as the partner gives it, optional (the partner is the warehouse).
	Warehouse string    `json:"warehouse,omitempty"`
	AsOf      time.Time `json:"as_of"`
	// ReportID is the partner's report number (X12 BIA03), optional.
	ReportID  string     `json:"report_id,omitempty"`
	Positions []Position `json:"positions"`
}

// Kind implements domain.Document.
func (Snapshot) Kind() string { return domain.KindInventorySnapshot }

// Position is one item at one location.
type Position struct {
	Item domain.ItemRef `json:"item"`
	// Location is a sub-location within the warehouse (X12 SDQ, a bin), optional.
	Location string `json:"location,omitempty"`
	// Quantities by canonical qualifier (OnHand, Available...). PartnerQualifiers keeps, for each, the
	// partner's code it came from.
	Quantities        map[string]domain.Quantity `json:"quantities"`
	PartnerQualifiers map[string]string          `json:"partner_qualifiers,omitempty"`
}

// Adjustment is a change of an item's quantity at a warehouse, with its reason.
type Adjustment struct {
	Warehouse string         `json:"warehouse,omitempty"`
	At        time.Time      `json:"at"`
	Item      domain.ItemRef `json:"item"`
	Location  string         `json:"location,omitempty"`
	// Change is the signed change of the on-hand quantity.
	Change domain.Quantity `json:"change"`
	// Previous is the on-hand quantity before the change, when the partner says, optional.
	Previous domain.Quantity `json:"previous,omitzero"`
	Reason   string          `json:"reason,omitempty"`
	// AdjustmentID is the partner's ID for the change, optional.
	AdjustmentID string `json:"adjustment_id,omitempty"`
}

// Kind implements domain.Document.
func (Adjustment) Kind() string { return domain.KindInventoryAdjustment }
