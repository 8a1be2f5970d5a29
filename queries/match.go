package queries

import (
	"context"
	"fmt"

	"github.com/graphql-go/graphql"
	"github.com/shopspring/decimal"

	"github.com/crossdock-hub/crossdock/projections/match"
)

// MatchReader reads the three-way match projection.
type MatchReader interface {
	Lines(ctx context.Context, q match.Query) (match.LinePage, error)
	Invoices(ctx context.Context, q match.Query) (match.InvoicePage, error)
}

// MaxMatchPage is the largest page the three-way match fields serve.
const MaxMatchPage = match.MaxFirst

type matchResolver struct {
	reader MatchReader
	errs   errorPolicy
}

func (r matchResolver) query(p graphql.ResolveParams, partnerArg string) (match.Query, error) {
	q := match.Query{}
	q.PONumber, _ = p.Args["poNumber"].(string)
	q.Status, _ = p.Args["status"].(string)
	q.Partner, _ = p.Args[partnerArg].(string)
	q.After, _ = p.Args["after"].(string)
	if first, ok := p.Args["first"].(int); ok {
		if first < 1 || first > MaxMatchPage {
			return q, fmt.Errorf("first must be between 1 and %d, got %d", MaxMatchPage, first)
		}
		q.First = first
	}
	return q, nil
}

// lineEdge and invoiceEdge pair a row with its cursor.
type lineEdge struct {
	cursor string
	line   match.Line
}

type invoiceEdge struct {
	cursor  string
	invoice match.InvoiceResult
}

func (r matchResolver) lines(p graphql.ResolveParams) (any, error) {
	q, err := r.query(p, "supplier")
	if err != nil {
		return nil, err
	}
	page, err := r.reader.Lines(p.Context, q)
	if err != nil {
		return nil, r.errs.clientError(p.Context, err, "purchaseOrderLines", "po_number", q.PONumber, "status", q.Status)
	}
	edges := make([]lineEdge, len(page.Lines))
	for i, l := range page.Lines {
		edges[i] = lineEdge{cursor: page.Cursors[i], line: l}
	}
	return connectionValue[lineEdge]{edges: edges, info: pageInfoOf(page.Cursors, page.HasNextPage)}, nil
}

func (r matchResolver) invoices(p graphql.ResolveParams) (any, error) {
	q, err := r.query(p, "partner")
	if err != nil {
		return nil, err
	}
	page, err := r.reader.Invoices(p.Context, q)
	if err != nil {
		return nil, r.errs.clientError(p.Context, err, "invoiceMatches", "po_number", q.PONumber, "status", q.Status)
	}
	edges := make([]invoiceEdge, len(page.Invoices))
	for i, v := range page.Invoices {
		edges[i] = invoiceEdge{cursor: page.Cursors[i], invoice: v}
	}
	return connectionValue[invoiceEdge]{edges: edges, info: pageInfoOf(page.Cursors, page.HasNextPage)}, nil
}

func pageInfoOf(cursors []string, hasNext bool) pageInfoValue {
	info := pageInfoValue{HasNextPage: hasNext}
	if len(cursors) > 0 {
		info.EndCursor = cursors[len(cursors)-1]
	}
	return info
}

// connectionValue is the source of a connection: its edges and its pageInfo.
type connectionValue[E any] struct {
	edges []E
	info  pageInfoValue
}

func connection[E any](name string, node *graphql.Object, cursor func(E) string, value func(E) any, pageInfo *graphql.Object) *graphql.Object {
	edge := graphql.NewObject(graphql.ObjectConfig{
		Name: name + "Edge",
		Fields: graphql.Fields{
			"cursor": field[E](graphql.NewNonNull(graphql.String), "Pass as after to read the items after this one.",
				func(e E) any { return cursor(e) }),
			"node": field[E](graphql.NewNonNull(node), "", value),
		},
	})
	return graphql.NewObject(graphql.ObjectConfig{
		Name: name + "Connection",
		Fields: graphql.Fields{
			"edges": field[connectionValue[E]](graphql.NewNonNull(graphql.NewList(graphql.NewNonNull(edge))), "",
				func(c connectionValue[E]) any { return c.edges }),
			"pageInfo": field[connectionValue[E]](graphql.NewNonNull(pageInfo), "",
				func(c connectionValue[E]) any { return c.info }),
		},
	})
}

// decimalText shows a decimal exactly, as text: a JSON number would lose digits in many clients.
func decimalText(d decimal.Decimal) any { return d.String() }

func optionalDecimal(d *decimal.Decimal) any {
	if d == nil {
		return nil
	}
	return d.String()
}

func stringList(s []string) any {
	if s == nil {
		return []string{}
	}
	return s
}

// matchTypes are the three-way match's object types, shared by its query and subscription fields.
type matchTypes struct{ line, invoice *graphql.Object }

func newMatchTypes() matchTypes {
	str := graphql.NewNonNull(graphql.String)
	strs := graphql.NewNonNull(graphql.NewList(graphql.NewNonNull(graphql.String)))
	line := graphql.NewObject(graphql.ObjectConfig{
		Name: "PurchaseOrderLineMatch",
		Description: "One purchase order line's three-way match: ordered, received and invoiced in the canonical unit " +
			"(the Odoo product's), with the status under the supplier's tolerances. Decimals are exact, as text.",
		Fields: graphql.Fields{
			"poNumber":   field[match.Line](str, "", func(l match.Line) any { return l.PONumber }),
			"lineNumber": field[match.Line](str, "", func(l match.Line) any { return l.LineNumber }),
			"supplier":   field[match.Line](str, "The supplier's partner ID.", func(l match.Line) any { return l.Supplier }),
			"product":    field[match.Line](str, "Odoo default_code.", func(l match.Line) any { return l.Product }),
			"unit":       field[match.Line](str, "The canonical unit every quantity is in.", func(l match.Line) any { return l.Unit }),
			"currency":   field[match.Line](graphql.String, "", func(l match.Line) any { return optional(l.Currency) }),
			"ordered":    field[match.Line](str, "", func(l match.Line) any { return decimalText(l.Ordered) }),
			"poPrice": restricted(RoleFinance, field[match.Line](graphql.String, "The order's unit price; null when it states none.",
				func(l match.Line) any { return optionalDecimal(l.POPrice) })),
			"received": field[match.Line](str, "What warehouses confirmed receiving.", func(l match.Line) any { return decimalText(l.Received) }),
			"invoiced": field[match.Line](str, "What invoices bill, less credit notes returning quantity.",
				func(l match.Line) any { return decimalText(l.Invoiced) }),
			"invoicedAmount": restricted(RoleFinance, field[match.Line](graphql.String, "What invoices bill, less every credit note.",
				func(l match.Line) any { return decimalText(l.InvoicedAmount) })),
			"invoicePrice": restricted(RoleFinance, field[match.Line](graphql.String, "invoicedAmount / invoiced; null when nothing is invoiced.",
				func(l match.Line) any { return optionalDecimal(l.InvoicePrice) })),
			"status": field[match.Line](str, "over_received, over_invoiced, price_variance, awaiting_receipt, awaiting_invoice or matched.",
				func(l match.Line) any { return l.Status }),
			"issues": field[match.Line](strs, "Every status that applies, in precedence order; empty when matched.",
				func(l match.Line) any { return stringList(l.Issues) }),
			"atRisk": restricted(RoleFinance, field[match.Line](graphql.String, "max(0, invoicedAmount − min(invoiced, received) × poPrice).",
				func(l match.Line) any { return decimalText(l.AtRisk) })),
			"evidence": field[match.Line](strs, "IDs of the events the figures come from (see the timeline).",
				func(l match.Line) any { return stringList(l.Evidence) }),
		},
	})
	inv := graphql.NewObject(graphql.ObjectConfig{
		Name:        "InvoiceMatch",
		Description: "One supplier invoice or credit note: matched, or held with every reason and the amount at risk.",
		Fields: graphql.Fields{
			"partner":       field[match.InvoiceResult](str, "", func(v match.InvoiceResult) any { return v.Partner }),
			"invoiceNumber": field[match.InvoiceResult](str, "", func(v match.InvoiceResult) any { return v.InvoiceNumber }),
			"poNumber":      field[match.InvoiceResult](str, "", func(v match.InvoiceResult) any { return v.PONumber }),
			"type":          field[match.InvoiceResult](str, "debit or credit.", func(v match.InvoiceResult) any { return v.Type }),
			"currency":      field[match.InvoiceResult](graphql.String, "", func(v match.InvoiceResult) any { return optional(v.Currency) }),
			"status":        field[match.InvoiceResult](str, "matched or held.", func(v match.InvoiceResult) any { return v.Status }),
			"reasons":       field[match.InvoiceResult](strs, "Why a held invoice is held.", func(v match.InvoiceResult) any { return stringList(v.Reasons) }),
			"atRisk":        restricted(RoleFinance, field[match.InvoiceResult](graphql.String, "", func(v match.InvoiceResult) any { return decimalText(v.AtRisk) })),
			"lines":         field[match.InvoiceResult](strs, "The purchase order lines it bills.", func(v match.InvoiceResult) any { return stringList(v.Lines) }),
			"evidence":      field[match.InvoiceResult](strs, "", func(v match.InvoiceResult) any { return stringList(v.Evidence) }),
		},
	})
	return matchTypes{line: line, invoice: inv}
}

func matchFields(r matchResolver, pageInfo *graphql.Object, types matchTypes) graphql.Fields {
	line, inv := types.line, types.invoice
	args := func(partnerArg, partnerDoc, statusDoc string) graphql.FieldConfigArgument {
		return graphql.FieldConfigArgument{
			"poNumber": {Type: graphql.String},
			"status":   {Type: graphql.String, Description: statusDoc},
			partnerArg: {Type: graphql.String, Description: partnerDoc},
			"first":    {Type: graphql.Int, Description: fmt.Sprintf("Page size: 1 to %d; %d when absent.", MaxMatchPage, match.DefaultFirst)},
			"after":    {Type: graphql.String, Description: "The endCursor of the previous page."},
		}
	}
	return graphql.Fields{
		"purchaseOrderLines": {
			Type: graphql.NewNonNull(connection("PurchaseOrderLineMatch", line,
				func(e lineEdge) string { return e.cursor }, func(e lineEdge) any { return e.line }, pageInfo)),
			Description: "The three-way match per purchase order line, by PO number and line number.",
			Args:        args("supplier", "The supplier's partner ID.", "One line status."),
			Resolve:     r.lines,
		},
		"invoiceMatches": {
			Type: graphql.NewNonNull(connection("InvoiceMatch", inv,
				func(e invoiceEdge) string { return e.cursor }, func(e invoiceEdge) any { return e.invoice }, pageInfo)),
			Description: "The three-way match per invoice, by partner and invoice number.",
			Args:        args("partner", "The billing partner's ID.", "matched or held."),
			Resolve:     r.invoices,
		},
	}
}
