// Package webhooks turns carrier and WMS webhook bodies (EasyPost, Shippo, AfterShip, ShipBob, ShipHero)
// into canonical documents, and verifies their signatures.
//
// Parse reads one body in a named format; Detect guesses the format from the body's shape for
// `crossdock inspect`. Numbers are decoded as json.Number, never float64: ids exceed 2^53 and quantities
// are decimals. A body that cannot be mapped is rejected with an *Error carrying the JSON pointer of the
// first offending value; an oddity that does not stop the document (a status with no canonical meaning,
// a time without a UTC offset, a test-mode event) is a warning, prefixed by its pointer too.
//
// Choices made where the providers leave room:
//
//   - Statuses map onto the shipment.Status* constants; the provider's code is kept as PartnerStatus and
//     its sub-code (EasyPost status_detail, Shippo substatus.code, AfterShip subtag) as Reason. A code
//     with no canonical meaning becomes StatusUnknown with a warning.
//   - AfterShip checkpoint times are the carrier's local wall clock, usually without an offset. Such a
//     time is kept as written in LocalTime and read as UTC for At, with a warning: the real instant is
//     within a day of it, and no zone can be known from the body.
//   - ShipHero sends timestamps without a zone ("2025-02-03 13:19:30"); they are read as UTC, with a
//     warning. An Inventory Update carries no as-of instant at all: AsOf is left zero (with a warning) for
//     the ingest layer to set from the receive time. It carries, per item, the figures of the warehouse
//     the movement happened in (updated_warehouse): a snapshot is made per warehouse, on_hand as OnHand
//     and "inventory" (on_hand - allocated + sell_ahead - reserve) as Available, in EA.
//   - MessageID is the provider's event id: EasyPost's event id, AfterShip's event_id, Shippo's
//     tracking_status.object_id. ShipBob and ShipHero bodies carry none (their id is a header:
//     webhook-id, X-Shiphero-Message-ID), so MessageID is empty and the caller should take the header.
//
// Signatures (VerifyHMAC) follow each provider's documented scheme, always over the raw body and
// compared in constant time. Timestamps in Shippo's and ShipBob's signatures are authenticated but their
// age is not checked here: a replayed body is the same message, which the archive's dedup key absorbs.
package webhooks
