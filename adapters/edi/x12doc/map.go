package x12doc

import (
	"time"

	"github.com/crossdock-hub/crossdock/adapters/edi/x12"
	"github.com/crossdock-hub/crossdock/domain"
	"github.com/crossdock-hub/crossdock/domain/inventory"
)

// Options tune the mappers for one partner.
type Options struct {
	// InventoryQualifiers maps 846 QTY01 codes to inventory qualifiers (inventory.OnHand...); nil means
	// {"17": on_hand, "33": available}. Unknown codes are errors (fail closed).
	InventoryQualifiers map[string]string
	// LocalZone is the zone for AT7 time code LT when the status location does not tell; nil means UTC
	// plus a warning.
	LocalZone *time.Location
}

// defaultInventoryQualifiers is what Options.InventoryQualifiers means when nil.
var defaultInventoryQualifiers = map[string]string{"17": inventory.OnHand, "33": inventory.Available}

func (o Options) inventoryQualifiers() map[string]string {
	if o.InventoryQualifiers == nil {
		return defaultInventoryQualifiers
	}
	return o.InventoryQualifiers
}

// Result is what one transaction set of a file became.
type Result struct {
	Interchange *x12.Interchange
	Group       *x12.Group
	Transaction *x12.Transaction
	// Document is the canonical document; nil when Errors is not empty, when the set is not supported,
	// or when an envelope error (of the set, its group or its interchange) rejects the set: see Rejected.
	Document domain.Document
	// Errors are the mapping errors, with their X12 positions. Each rejects the set; give them to
	// x12.Review or x12.Acknowledge (keyed by x12.TxKey) so the 997 reports them.
	Errors []*x12.Error
	// Warnings are problems that do not stop the document (a total that does not add up, a guessed
	// time zone...).
	Warnings []string
}

// Key names the set for x12.Review and x12.Acknowledge.
func (r Result) Key() x12.TxKey { return x12.TxKey{Group: r.Group.Control, Set: r.Transaction.Control} }

// EnvelopeErrors lists the envelope errors, not marked as warnings, that reject this set: its own, its
// group's and its interchange's, as x12.Parse recorded them.
func (r Result) EnvelopeErrors() []*x12.Error {
	var errs []*x12.Error
	for _, list := range [][]*x12.Error{r.Interchange.Errors, r.Group.Errors, r.Transaction.Errors} {
		for _, e := range list {
			if !e.Warning {
				errs = append(errs, e)
			}
		}
	}
	return errs
}

// Rejected reports whether the set must not be used: it has mapping errors, is not supported, or its
// envelope is in error.
func (r Result) Rejected() bool { return r.Document == nil }

// Map maps every transaction set of f, in file order: one Result per set. A set whose envelope is in
// error (see Result.EnvelopeErrors) is still mapped, so that its own problems are known, but its
// Document is nil.
func Map(f *x12.File, opts Options) []Result {
	n := 0
	for i := range f.Interchanges {
		for j := range f.Interchanges[i].Groups {
			n += len(f.Interchanges[i].Groups[j].Transactions)
		}
	}
	results := make([]Result, 0, n)
	for i := range f.Interchanges {
		ic := &f.Interchanges[i]
		for j := range ic.Groups {
			g := &ic.Groups[j]
			for k := range g.Transactions {
				t := &g.Transactions[k]
				r := Result{Interchange: ic, Group: g, Transaction: t}
				r.Document, r.Warnings, r.Errors = MapTransaction(t, t.Version, opts)
				if len(r.EnvelopeErrors()) > 0 && r.Document != nil {
					r.Document = nil
					r.Warnings = append(r.Warnings, "not mapped: the envelope of the transaction set is in error")
				}
				results = append(results, r)
			}
		}
	}
	return results
}

// mapFunc maps the body of one transaction set.
type mapFunc func(m *mapper) domain.Document

// mappers are the supported transaction sets by ST01.
var mappers = map[string]mapFunc{
	"810": map810,
	"846": map846,
	"850": map850,
	"855": map855,
	"856": map856,
	"214": map214,
	"940": map940,
	"944": map944,
	"945": map945,
	"997": map997,
	"999": map997,
}

// MapTransaction maps one transaction set. version is the X12 version it is written in (ST03 or GS08,
// as Transaction.Version has it); the mappers accept every 4010-and-later version the same way. It
// returns the document (nil when there are errors), the warnings and the mapping errors.
func MapTransaction(t *x12.Transaction, version string, opts Options) (domain.Document, []string, []*x12.Error) {
	fn, ok := mappers[t.Code]
	if !ok {
		e := &x12.Error{SegmentID: "ST", Element: 1, Kind: x12.KindTransaction, Code: x12.SetNotSupported,
			Reason: "transaction set not supported: " + quote(t.Code) + " is not a set Crossdock maps"}
		if len(t.Segments) > 0 {
			e.Segment, e.Offset = t.Segments[0].Number, t.Segments[0].Offset
		}
		return nil, nil, []*x12.Error{e}
	}
	m := &mapper{t: t, version: version, opts: opts}
	doc := fn(m)
	if len(m.errs) > 0 {
		return nil, m.warns, m.errs
	}
	if c, ok := doc.(domain.Checker); ok {
		m.warns = append(m.warns, c.Warnings()...)
	}
	return doc, m.warns, nil
}
