// Package edifactdoc maps UN/EDIFACT messages to Crossdock's canonical documents and back. Package
// edifact frames the bytes; this package knows what a DESADV or an INVOIC means. The mappers read the
// segments that carry business data and skip the others, so they work across the directories partners
// use (D93A to D01B, EANCOM): segment groups are told apart by the segment that opens them (LIN, CPS,
// CNI, STS, ALC, UNS), not by a directory.
//
// # Inbound
//
// [Map] turns every message of a parsed file into a [Result]: the canonical document in partner terms
// (items as sent, quantities in the partner's units, instants in UTC), the errors that reject it (the
// envelope's, then the mapping's, each positioned at a segment, element and component), and warnings.
// Every decimal is read with the interchange's Delimiters.ParseDecimal, so a UNA decimal comma works.
//
//	DESADV → shipment.ASN            INVOIC → invoice.Invoice        ORDRSP → order.Acknowledgment
//	IFTSTA → shipment.StatusReport   INVRPT → inventory.Snapshot     ORDERS → order.PurchaseOrder
//
// Any other message type is an error (code 14 on UNH element 2). Choices a reader of partner files
// should know:
//
//   - Items: LIN C212 and PIA C212s fill one domain.ItemRef by number type (7143): EN and SRV GTIN, UP
//     UPC, IN and BP the buyer's item, SA, VN and MF the supplier's. A number without a type is the
//     sender's: PartnerItem, except in an ORDERS, sent by the buyer. A line identified by nothing is an
//     error. ASN lines never set Item: the partner's crosswalk resolves Ref.
//   - Quantities: a QTY without a unit (6411) counts units, as EANCOM defines; its unit is
//     Options.DefaultUnit (PCE).
//   - Dates: DTM formats 101, 102, 201, 203, 204, 303 and 304; without a format, the length of the
//     value decides (8, 12 or 14 digits) and a warning says so. Only 303 and 304 carry a zone; every
//     other time of day is read as UTC. A DTM the mapper does not use is not read, so a malformed order
//     date on an invoice (DTM+4) does not reject the invoice.
//   - DESADV: BGM 1225 9 original, 5 replace, 1 cancel. The ship date is DTM+11, else DTM+137 (with a
//     warning); the expected arrival DTM+132, else DTM+17. RFF+ON is the PO (a second, different PO is
//     a warning: the ASN has one), RFF+BM the bill of lading, RFF+CN the tracking number, NAD+ST (else
//     DP) the ship-to, NAD+SU (else SE, SF) the supplier, a TDT carrier of SCAC form the carrier. The CPS
//     tree is built from parent ids (7166), not from segment order. A line's SSCC is its own GIN+BJ, else
//     the nearest packing level's up the tree; a level holding several SSCCs names no single package, so
//     its lines get none, with a warning. SSCCs are checked (18 digits, GS1 check digit; a 20-digit
//     value with the "00" application identifier is cut). Line numbers (LIN 1082) must be distinct
//     positive integers.
//   - INVOIC: see mapINVOIC. In short, BGM 380/383/384 are debits and 381 credits; the total is the
//     first of MOA 77, 86, 128, 39 after UNS; the tax MOA 176, else the sum of MOA 124 after UNS; MOA 79
//     (the lines' total) is a check only. So the D93A sample (lines 777.4 = MOA 79, tax 124.38, total
//     MOA 128 901.78) reconciles without any rule written for it. The Result's warnings include the
//     invoice's own Warnings() (totals that do not reconcile).
//   - ORDRSP: LIN 1229 5 accepted, 3 and 6 changed, 7, 2 and 10 rejected, anything else (1 added) other;
//     a line without 1229 takes the whole order's answer when it is an acceptance or a rejection.
//   - IFTSTA: one Result per consignment (CNI) when the message is accepted; STS codes map through
//     StatusCodes (UN/ECE Recommendation 24) and Options.StatusCodes; an unknown code is
//     shipment.StatusUnknown with a warning. The event instant is DTM+334, else DTM+9.
//   - INVRPT: QTY qualifiers map through Options.InventoryQualifiers (DefaultInventoryQualifiers when
//     nil); an unknown qualifier is an error, never a guess.
//
// # Outbound
//
// [EncodeORDERS] writes a purchase order as a complete interchange with edifact.Writer, in the
// [Envelope] given; Map reads it back to the same order.
package edifactdoc
