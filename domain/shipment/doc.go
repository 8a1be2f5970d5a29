// Package shipment is the aggregate of one inbound shipment announced by a supplier's advance ship notice
// (ASN, X12 856 / EDIFACT DESADV, or Crossdock's canonical JSON). Its stream is
// "shipment-<partner>:<asn_number>": the ASN number is only unique per sending partner.
//
// The aggregate decides what a received ASN means: the first one is shipment.asn_received.v1, the same
// ASN number again with other content is shipment.asn_revised.v1, and the same content again is nothing
// at all, so a partner resending its ASN never produces a second fact.
package shipment
