// Package x12doc maps X12 transaction sets to Crossdock's canonical documents and back. Package x12
// frames the bytes; this package knows what an 856, 810 or 214 means.
//
// # Inbound
//
// [Map] turns every transaction set of a parsed file into a [Result]: the canonical document (in partner
// terms: items as sent, quantities in the partner's units, instants in UTC), the mapping errors with
// their X12 positions (each rejects the set and can be fed to x12.Review / x12.Acknowledge), and
// warnings for oddities that do not stop the document. Supported sets:
//
//	856 → shipment.ASN              855 → order.Acknowledgment     810 → invoice.Invoice
//	214 → shipment.StatusReport     944 → receipt.Receipt          945 → order.ShipConfirmation
//	846 → inventory.Snapshot        997/999 → order.FunctionalAck  850 → order.PurchaseOrder
//	940 → order.WarehouseOrder
//
// Any other set gets an AK502 "1" (transaction set not supported) error. Documents are values
// (shipment.ASN, not *shipment.ASN).
//
// Decisions a reader of partner files should know:
//
//   - Items: UP/UI/UA/UN are the UPC, EN/UK/EO the GTIN, BP/CB/IN/PI the buyer's item, VP/VN/VA/SK/MG/MF
//     the partner's item; the first of each wins. UPC and GTIN take 8 to 14 digits only (a style code
//     sent as EN is left out, with a warning).
//   - Dates and times without a time code are UTC.
//   - 856: the hierarchy is built from HL02 (parent IDs), never from segment order; a parent must be
//     defined before its child. The ship date is DTM*011, else BSN03/04 (the date the notice was made).
//     An 856 that carries several orders with different PRF01 keeps the first PO number and warns: the
//     canonical ASN has one PO. Lines are numbered by LIN01 when every item's LIN01 is a distinct
//     positive integer, else by their order in the set (with a warning). A 20-digit MAN*GM starting
//     with "00" (an SSCC with its application identifier) is cut to its 18 digits.
//   - 855: BAK02 RJ and RD reject the order. Each ACK of a PO1 is an acknowledgment line; a PO1
//     without ACK takes the order's answer (accepted with the ordered quantity, or rejected).
//   - 214: AT7 time codes follow X12 element 623 (AT is Alaska Time, not Atlantic). LT (local time) is
//     read in the zone of the MS1 location when it is a US state or Canadian province, else in
//     Options.LocalZone, else in UTC with a warning (LT in an 856 DTM04 likewise, without a place).
//     StatusEvent.LocalTime keeps the wall clock as sent.
//   - 810: TDS01 and SAC05 carry two implied decimals; IT104 an explicit point. The invoice domain's
//     Warnings (totals that do not reconcile) are copied into Result.Warnings.
//   - 944/945: W14 and W03 totals that are not the lines' sum are warnings. N9*MA is the ASN a receipt
//     was made against; a 945's tracking number is N9*CN, else N9*BM.
//   - 846: QTY01 codes are mapped by Options.InventoryQualifiers and an unknown one is an error. An SDQ
//     following a QTY splits that quantity by location.
//
// # Outbound
//
// [Encode850] and [Encode940] write a purchase order and a warehouse shipping order as a complete
// interchange with x12.Writer.
package x12doc
