// Package domain holds Crossdock's canonical model: the value types every aggregate shares (quantities
// with their unit of measure, later money, items and partners). It is pure Go: no I/O, no clocks, no
// logging, so every rule can be decided and tested from values alone.
//
// Aggregates live in sub-packages named after the business object whose stream they own, e.g.
// domain/shipment.
package domain
