// Package timeline is the document timeline read model: every event in global order, findable by
// correlation ID, stream and business reference, answering "what happened to this PO / ASN / shipment
// / invoice, across all systems, in order?".
//
// Projection writes the tables (one generation at a time, see package projections); Reader answers
// Query with cursor pagination. References follow the convention documented on ExtractReferences.
package timeline
