package queries

import (
	"context"
	"encoding/json"

	"github.com/graphql-go/graphql"
	"github.com/graphql-go/graphql/language/ast"

	"github.com/crossdock-hub/crossdock/projections"
	"github.com/crossdock-hub/crossdock/projections/match"
)

// ChangeSource delivers the row changes projections publish (projections.Change).
type ChangeSource interface {
	// Listen delivers the changes of the projection published from now on. The channel closes when ctx
	// ends, or when the source drops a listener that does not keep up.
	Listen(ctx context.Context, projection string) <-chan projections.Change
}

// Subscribe runs a request whose results stream, as GraphQL over WebSocket carries them: a subscription
// gives one result per event until ctx ends or the feed does; a query gives one. The channel closes
// after the last result. Failures are results with errors, as in Execute.
func (s *Service) Subscribe(ctx context.Context, req Request) <-chan Result {
	doc, failed := s.prepare(req)
	if failed != nil {
		return once(*failed)
	}
	if !isSubscription(doc, req.OperationName) {
		return once(s.execute(ctx, doc, req))
	}
	in := graphql.ExecuteSubscription(graphql.ExecuteParams{
		Schema: s.schema, AST: doc, OperationName: req.OperationName, Args: req.Variables, Context: ctx,
	})
	out := make(chan Result)
	go func() {
		defer close(out)
		// graphql-go's goroutine sends until it sees ctx end: every result is taken, and dropped once
		// nobody reads, so that it can finish.
		for res := range in {
			select {
			case out <- Result{Data: res.Data, Errors: res.Errors, Executed: true}:
			case <-ctx.Done():
			}
		}
	}()
	return out
}

func once(r Result) <-chan Result {
	ch := make(chan Result, 1)
	ch <- r
	close(ch)
	return ch
}

// isSubscription reports whether the operation the request runs is a subscription.
func isSubscription(doc *ast.Document, operationName string) bool {
	for _, d := range doc.Definitions {
		op, ok := d.(*ast.OperationDefinition)
		if !ok {
			continue
		}
		if operationName == "" || (op.Name != nil && op.Name.Value == operationName) {
			return op.Operation == ast.OperationTypeSubscription
		}
	}
	return false
}

// matchSubscriptions are the three-way match's live fields: every row the view changes, as it serves it.
func matchSubscriptions(src ChangeSource, types matchTypes) graphql.Fields {
	filterArgs := func(partnerArg string) graphql.FieldConfigArgument {
		return graphql.FieldConfigArgument{
			"poNumber": {Type: graphql.String},
			partnerArg: {Type: graphql.String},
			"status":   {Type: graphql.String},
		}
	}
	return graphql.Fields{
		"purchaseOrderLineChanged": {
			Type:        graphql.NewNonNull(types.line),
			Description: "Each purchase order line as the three-way match leaves it when a document changes it. Filters combine with AND.",
			Args:        filterArgs("supplier"),
			Subscribe: func(p graphql.ResolveParams) (any, error) {
				po, _ := p.Args["poNumber"].(string)
				supplier, _ := p.Args["supplier"].(string)
				status, _ := p.Args["status"].(string)
				return follow(p.Context, src, match.Name, match.ChangeLine, func(l match.Line) bool {
					return (po == "" || l.PONumber == po) && (supplier == "" || l.Supplier == supplier) && (status == "" || l.Status == status)
				}), nil
			},
			Resolve: func(p graphql.ResolveParams) (any, error) { return p.Source, nil },
		},
		"invoiceMatchChanged": {
			Type:        graphql.NewNonNull(types.invoice),
			Description: "Each invoice's match as it changes. Filters combine with AND.",
			Args:        filterArgs("partner"),
			Subscribe: func(p graphql.ResolveParams) (any, error) {
				po, _ := p.Args["poNumber"].(string)
				partner, _ := p.Args["partner"].(string)
				status, _ := p.Args["status"].(string)
				return follow(p.Context, src, match.Name, match.ChangeInvoice, func(v match.InvoiceResult) bool {
					return (po == "" || v.PONumber == po) && (partner == "" || v.Partner == partner) && (status == "" || v.Status == status)
				}), nil
			},
			Resolve: func(p graphql.ResolveParams) (any, error) { return p.Source, nil },
		},
	}
}

// follow turns a projection's changes of one kind into the rows a subscription sends: decoded as
// T and kept when keep says so. The channel closes when the feed does (ctx ended, or the listener was
// dropped).
func follow[T any](ctx context.Context, src ChangeSource, projection, kind string, keep func(T) bool) chan any {
	changes := src.Listen(ctx, projection)
	out := make(chan any)
	go func() {
		defer close(out)
		for c := range changes {
			var row T
			if c.Kind != kind || json.Unmarshal(c.Row, &row) != nil || !keep(row) {
				continue
			}
			select {
			case out <- row:
			case <-ctx.Done():
				return
			}
		}
	}()
	return out
}
