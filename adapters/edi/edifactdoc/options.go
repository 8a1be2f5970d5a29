package edifactdoc

import (
	"github.com/crossdock-hub/crossdock/domain/inventory"
	"github.com/crossdock-hub/crossdock/domain/shipment"
)

// Options tune the mappers for one partner. The zero value is the defaults.
type Options struct {
	// InventoryQualifiers maps INVRPT QTY qualifiers (data element 6063) to inventory qualifiers
	// (inventory.OnHand...). Nil means DefaultInventoryQualifiers. A code it does not list is an error:
	// a figure whose meaning is guessed would corrupt the stock position (fail closed).
	InventoryQualifiers map[string]string
	// StatusCodes adds to or overrides StatusCodes, the table from IFTSTA STS status codes (4405, UN/ECE
	// Recommendation 24) to shipment.Status* constants, for a carrier that uses its own codes. Nil adds
	// nothing.
	StatusCodes map[string]string
	// DefaultUnit is the unit of a QTY that gives none (6411 absent), which EANCOM defines as a count of
	// discrete units. Empty means "PCE" (piece).
	DefaultUnit string
}

// DefaultInventoryQualifiers is what Options.InventoryQualifiers means when nil, from UNCL 6063
// (D96A to D01B):
//
//	145 actual stock               → on_hand    the figure EANCOM INVRPT reports as "the stock"
//	17  quantity on hand           → on_hand
//	170 allocated quantity         → allocated
//	198 quantity in transit        → in_transit
//
// 6063 defines 145 as stock "on hand, undamaged, and available for despatch", so a partner that also
// sends 17 (everything on hand, unavailable units included) should map 145 to inventory.Available:
// two codes landing on one qualifier in one position are an error, not a silent overwrite. 146 (model
// or target stock) is a planning figure, not a position, and is deliberately absent, as is every other
// code.
var DefaultInventoryQualifiers = map[string]string{
	"145": inventory.OnHand,
	"17":  inventory.OnHand,
	"170": inventory.Allocated,
	"198": inventory.InTransit,
}

func (o Options) inventoryQualifiers() map[string]string {
	if o.InventoryQualifiers == nil {
		return DefaultInventoryQualifiers
	}
	return o.InventoryQualifiers
}

func (o Options) defaultUnit() string {
	if o.DefaultUnit == "" {
		return "PCE"
	}
	return o.DefaultUnit
}

// status maps an STS status code to a canonical status; ok is false for a code with no meaning here.
func (o Options) status(code string) (string, bool) {
	if s, ok := o.StatusCodes[code]; ok {
		return s, true
	}
	s, ok := StatusCodes[code]
	return s, ok
}

// StatusCodes maps IFTSTA STS status codes (data element 4405, UN/ECE Recommendation 24, "Trade and
// transport status codes") to the canonical statuses. Arrival codes (1, 40) are in_transit because
// Recommendation 24 does not say where the consignment arrived; only 45 ("arrival, consignee
// informed") is an arrival at delivery. Codes not listed (equipment events, loading authorised, process
// begun...) become shipment.StatusUnknown with a warning; PartnerStatus always keeps the code.
var StatusCodes = map[string]string{
	"1":  shipment.StatusInTransit,         // arrival, completed
	"3":  shipment.StatusException,         // arrival, in defective condition
	"6":  shipment.StatusInfoReceived,      // booking, completed
	"7":  shipment.StatusCancelled,         // booking, cancelled
	"8":  shipment.StatusInTransit,         // cleared, import restrictions
	"9":  shipment.StatusInTransit,         // cleared, export restrictions
	"10": shipment.StatusInTransit,         // cleared by agriculture, food or fisheries authorities
	"11": shipment.StatusInTransit,         // cleared by port authority
	"12": shipment.StatusInTransit,         // cleared by customs
	"13": shipment.StatusPickedUp,          // collection/pick-up, completed
	"15": shipment.StatusInTransit,         // consolidated
	"16": shipment.StatusInTransit,         // crossed border
	"17": shipment.StatusException,         // customs clearance, refused
	"18": shipment.StatusException,         // damaged in the course of transport
	"20": shipment.StatusDelayed,           // delayed, in the course of transport
	"21": shipment.StatusDelivered,         // delivery, completed
	"22": shipment.StatusDelivered,         // delivery, completed as per instruction
	"23": shipment.StatusNotCompleted,      // delivery, not completed
	"24": shipment.StatusInTransit,         // departure, completed
	"25": shipment.StatusDelayed,           // departure, delayed
	"26": shipment.StatusInTransit,         // deramped
	"27": shipment.StatusPickedUp,          // despatch, completed
	"28": shipment.StatusInTransit,         // stripped
	"29": shipment.StatusInTransit,         // unloaded
	"31": shipment.StatusInTransit,         // en route
	"35": shipment.StatusInTransit,         // forwarded to destination
	"36": shipment.StatusException,         // not found
	"37": shipment.StatusInTransit,         // found
	"39": shipment.StatusInTransit,         // released from bond
	"40": shipment.StatusInTransit,         // arrival, at port
	"41": shipment.StatusInTransit,         // handed over under continued responsibility
	"44": shipment.StatusInTransit,         // misrouted consignment corrected
	"45": shipment.StatusArrivedAtDelivery, // arrival, consignee informed
}
