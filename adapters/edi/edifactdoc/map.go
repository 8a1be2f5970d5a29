package edifactdoc

import (
	"github.com/crossdock-hub/crossdock/adapters/edi/edifact"
	"github.com/crossdock-hub/crossdock/domain"
)

// Result is what one message of a file became.
type Result struct {
	Interchange *edifact.Interchange
	Group       *edifact.Group // nil when the message is not in a UNG group
	Message     *edifact.Message
	// Document is the canonical document (a value: shipment.ASN, invoice.Invoice...); nil when Errors
	// is not empty, which includes a message type this package does not map.
	Document domain.Document
	// Errors first lists the envelope errors that reject the message (its own, its group's and its
	// interchange's, the same *edifact.Error values the parser recorded), then the mapping errors, each
	// positioned at a segment, element and component of the message (or, for a missing segment, at the
	// UNH with the missing tag).
	Errors []*edifact.Error
	// Warnings are problems that do not stop the document: mapper decisions worth a look (a guessed date
	// format, an ignored code) followed by the document's own domain.Checker warnings (an invoice whose
	// total does not reconcile). The reader's warnings stay in Interchange.Warnings.
	Warnings []string
}

// Rejected reports whether the message must not be used: it has errors or is not supported.
func (r Result) Rejected() bool { return r.Document == nil }

// Map maps every message of f, in file order (messages inside UNG groups too): one Result per message,
// except an accepted IFTSTA reporting several consignments, which gives one Result per consignment
// (CNI), all pointing at the same Message. A message is accepted or rejected as a whole: a rejected
// IFTSTA gives one Result. A message whose envelope is in error is still mapped, so that its own
// problems are known, but its Document is nil.
func Map(f *edifact.File, opts Options) []Result {
	if f == nil {
		return nil
	}
	var results []Result
	for i := range f.Interchanges {
		ic := &f.Interchanges[i]
		for j := range ic.Groups {
			g := &ic.Groups[j]
			for k := range g.Messages {
				results = appendMessage(results, ic, g, &g.Messages[k], opts)
			}
		}
		for k := range ic.Messages {
			results = appendMessage(results, ic, nil, &ic.Messages[k], opts)
		}
	}
	return results
}

// appendMessage maps one message and appends its result(s).
func appendMessage(results []Result, ic *edifact.Interchange, g *edifact.Group, msg *edifact.Message, opts Options) []Result {
	envelope := envelopeErrors(ic, g, msg)
	for _, out := range MapMessage(msg, ic.Delimiters, opts) {
		r := Result{Interchange: ic, Group: g, Message: msg, Document: out.Document, Warnings: out.Warnings}
		r.Errors = append(append(r.Errors, envelope...), out.Errors...)
		if len(r.Errors) > 0 {
			r.Document = nil
		}
		results = append(results, r)
	}
	return results
}

// envelopeErrors lists the errors of the interchange, the group and the message, each once (a
// character-set violation is recorded on both the interchange and the message).
func envelopeErrors(ic *edifact.Interchange, g *edifact.Group, msg *edifact.Message) []*edifact.Error {
	var out []*edifact.Error
	seen := map[*edifact.Error]bool{}
	add := func(list []*edifact.Error) {
		for _, e := range list {
			if e != nil && !seen[e] {
				seen[e] = true
				out = append(out, e)
			}
		}
	}
	add(ic.Errors)
	if g != nil {
		add(g.Errors)
	}
	add(msg.Errors)
	return out
}

// Output is what mapping the body of one message gave: the document, or the errors that stop it, and
// warnings.
type Output struct {
	Document domain.Document // nil when Errors is not empty
	Errors   []*edifact.Error
	Warnings []string
}

// mapped is one document a message gave, with the warnings that concern it.
type mapped struct {
	doc   domain.Document
	warns []string
}

// mapFunc maps the body of one message. Most messages give one document; IFTSTA gives one per
// consignment.
type mapFunc func(m *mapper) []mapped

// mappers are the supported messages by UNH 0065 (message type).
var mappers = map[string]mapFunc{
	"DESADV": one(mapDESADV),
	"INVOIC": one(mapINVOIC),
	"ORDRSP": one(mapORDRSP),
	"IFTSTA": mapIFTSTA,
	"INVRPT": one(mapINVRPT),
	"ORDERS": one(mapORDERS),
}

func one(fn func(m *mapper) domain.Document) mapFunc {
	return func(m *mapper) []mapped {
		doc := fn(m)
		return []mapped{{doc: doc, warns: m.warns}}
	}
}

// MapMessage maps one message whose values were read with delimiters d (the interchange's: decimals
// are read with them). It looks at the message alone, not at its envelope errors. It returns one
// Output, or one per consignment for an IFTSTA; an unsupported message type is an error (0085 code 14,
// value not supported, on UNH element 2).
func MapMessage(msg *edifact.Message, d edifact.Delimiters, opts Options) []Output {
	fn, ok := mappers[msg.Type]
	m := &mapper{msg: msg, d: d, opts: opts}
	if !ok {
		e := &edifact.Error{Tag: "UNH", Element: 2, Component: 1, Code: edifact.CodeNotSupportedValue,
			Reason: "message type " + quote(msg.Type) + " is not one Crossdock maps (DESADV, INVOIC, ORDRSP, IFTSTA, INVRPT, ORDERS)"}
		if h := m.header(); h != nil {
			e.Segment, e.Offset = h.Number, h.Offset
		}
		return []Output{{Errors: []*edifact.Error{e}}}
	}
	docs := fn(m)
	if len(m.errs) > 0 || len(docs) == 0 {
		// A message is accepted or rejected as a whole: an IFTSTA with an error in one consignment
		// gives one rejected Output, not one per consignment.
		if len(m.errs) == 0 { // a mapper gave nothing without saying why: never let it pass
			m.missingSegment("UNH", "content a document could be made of")
		}
		var warns []string
		for _, d := range docs {
			warns = append(warns, d.warns...)
		}
		return []Output{{Warnings: warns, Errors: m.errs}}
	}
	outs := make([]Output, 0, len(docs))
	for _, d := range docs {
		out := Output{Document: d.doc, Warnings: d.warns}
		if c, ok := d.doc.(domain.Checker); ok {
			out.Warnings = append(append([]string(nil), d.warns...), c.Warnings()...)
		}
		outs = append(outs, out)
	}
	return outs
}
