package queries

import (
	"context"
	"fmt"
	"time"

	"github.com/graphql-go/graphql"

	"github.com/crossdock-hub/crossdock/projections/divergence"
)

// DivergenceReader reads the inventory divergence projection.
type DivergenceReader interface {
	Positions(ctx context.Context, q divergence.Query) (divergence.Page, error)
}

// StaleAfter is how old a side's figure may be before a position is shown stale (VIEWS.md: the
// warehouse's staleness bound, 24 h by default).
const StaleAfter = 24 * time.Hour

type positionEdge struct {
	cursor   string
	position divergence.Position
}

func newPositionType(now func() time.Time) *graphql.Object {
	str := graphql.NewNonNull(graphql.String)
	return graphql.NewObject(graphql.ObjectConfig{
		Name: "InventoryPosition",
		Description: "One product at one warehouse: the warehouse's on-hand figure against Odoo's, what is in flight between " +
			"them, and the divergence that remains. Quantities in the product's unit, exact, as text.",
		Fields: graphql.Fields{
			"warehouse": field[divergence.Position](str, "The warehouse partner, with /code when it has several.", func(p divergence.Position) any { return p.Warehouse }),
			"product":   field[divergence.Position](str, "Odoo default_code.", func(p divergence.Position) any { return p.Product }),
			"wmsOnHand": field[divergence.Position](graphql.String, "Latest snapshot per location plus the adjustments after it; null before any.",
				func(p divergence.Position) any { return optionalDecimal(p.WMSOnHand) }),
			"wmsAsOf": field[divergence.Position](graphql.String, "", func(p divergence.Position) any { return timestamp(p.WMSAsOf) }),
			"odooOnHand": field[divergence.Position](graphql.String, "From Odoo's latest reading; null before any.",
				func(p divergence.Position) any { return optionalDecimal(p.OdooOnHand) }),
			"odooAsOf": field[divergence.Position](graphql.String, "", func(p divergence.Position) any { return timestamp(p.OdooAsOf) }),
			"inFlight": field[divergence.Position](str, "Receipts (+) and shipments (−) the warehouse confirmed that Odoo had not validated.",
				func(p divergence.Position) any { return p.InFlight.String() }),
			"divergence": field[divergence.Position](str, "wmsOnHand − odooOnHand − inFlight.", func(p divergence.Position) any { return p.Divergence.String() }),
			"status": field[divergence.Position](str, "in_sync, explained, diverged, or incomplete while a side has not reported.",
				func(p divergence.Position) any { return p.Status }),
			"stale": field[divergence.Position](graphql.NewNonNull(graphql.Boolean), fmt.Sprintf("A side's figure is older than %s.", StaleAfter),
				func(p divergence.Position) any {
					limit := now().Add(-StaleAfter)
					return (!p.WMSAsOf.IsZero() && p.WMSAsOf.Before(limit)) || (!p.OdooAsOf.IsZero() && p.OdooAsOf.Before(limit))
				}),
			"divergedSince": field[divergence.Position](graphql.String, "Business time from which it has been diverged without a break.",
				func(p divergence.Position) any { return timestamp(p.DivergedSince) }),
			"breachedAt": field[divergence.Position](graphql.String, "When this episode's breach was raised: it outlived the warehouse's window.",
				func(p divergence.Position) any { return timestamp(p.BreachedAt) }),
			"evidence": field[divergence.Position](graphql.NewNonNull(graphql.NewList(graphql.NewNonNull(graphql.String))), "IDs of the events the figures come from.",
				func(p divergence.Position) any { return stringList(p.Evidence) }),
		},
	})
}

func divergenceField(reader DivergenceReader, errs errorPolicy, position, pageInfo *graphql.Object) *graphql.Field {
	return &graphql.Field{
		Type: graphql.NewNonNull(connection("InventoryPosition", position,
			func(e positionEdge) string { return e.cursor }, func(e positionEdge) any { return e.position }, pageInfo)),
		Description: "Inventory divergence between each warehouse and Odoo, by warehouse and product.",
		Args: graphql.FieldConfigArgument{
			"warehouse": {Type: graphql.String},
			"product":   {Type: graphql.String},
			"status":    {Type: graphql.String, Description: "in_sync, explained, diverged or incomplete."},
			"first":     {Type: graphql.Int, Description: fmt.Sprintf("Page size: 1 to %d; %d when absent.", divergence.MaxFirst, divergence.DefaultFirst)},
			"after":     {Type: graphql.String},
		},
		Resolve: func(p graphql.ResolveParams) (any, error) {
			q := divergence.Query{}
			q.Warehouse, _ = p.Args["warehouse"].(string)
			q.Product, _ = p.Args["product"].(string)
			q.Status, _ = p.Args["status"].(string)
			q.After, _ = p.Args["after"].(string)
			if first, ok := p.Args["first"].(int); ok {
				if first < 1 || first > divergence.MaxFirst {
					return nil, fmt.Errorf("first must be between 1 and %d, got %d", divergence.MaxFirst, first)
				}
				q.First = first
			}
			page, err := reader.Positions(p.Context, q)
			if err != nil {
				return nil, errs.clientError(p.Context, err, "inventoryPositions", "warehouse", q.Warehouse, "status", q.Status)
			}
			edges := make([]positionEdge, len(page.Positions))
			for i, pos := range page.Positions {
				edges[i] = positionEdge{cursor: page.Cursors[i], position: pos}
			}
			return connectionValue[positionEdge]{edges: edges, info: pageInfoOf(page.Cursors, page.HasNextPage)}, nil
		},
	}
}

func divergenceSubscription(src ChangeSource, position *graphql.Object) *graphql.Field {
	return &graphql.Field{
		Type:        graphql.NewNonNull(position),
		Description: "Each inventory position as the view leaves it when a fact changes it. Filters combine with AND.",
		Args: graphql.FieldConfigArgument{
			"warehouse": {Type: graphql.String},
			"product":   {Type: graphql.String},
			"status":    {Type: graphql.String},
		},
		Subscribe: func(p graphql.ResolveParams) (any, error) {
			wh, _ := p.Args["warehouse"].(string)
			product, _ := p.Args["product"].(string)
			status, _ := p.Args["status"].(string)
			return follow(p.Context, src, divergence.Name, divergence.ChangePosition, func(pos divergence.Position) bool {
				return (wh == "" || pos.Warehouse == wh) && (product == "" || pos.Product == product) && (status == "" || pos.Status == status)
			}), nil
		},
		Resolve: func(p graphql.ResolveParams) (any, error) { return p.Source, nil },
	}
}

// divergenceBreachSubscription sends each position once per breached episode, when its breach is raised.
func divergenceBreachSubscription(src ChangeSource, position *graphql.Object) *graphql.Field {
	return &graphql.Field{
		Type:        graphql.NewNonNull(position),
		Description: "Each inventory divergence that outlives its warehouse's window, once per episode, as it is raised.",
		Args:        graphql.FieldConfigArgument{"warehouse": {Type: graphql.String}},
		Subscribe: func(p graphql.ResolveParams) (any, error) {
			wh, _ := p.Args["warehouse"].(string)
			seen := map[string]bool{} // the episodes sent, by warehouse, product and start
			return follow(p.Context, src, divergence.Name, divergence.ChangePosition, func(pos divergence.Position) bool {
				if pos.BreachedAt.IsZero() || (wh != "" && pos.Warehouse != wh) {
					return false
				}
				episode := pos.Warehouse + "|" + pos.Product + "|" + pos.DivergedSince.String()
				if seen[episode] {
					return false
				}
				seen[episode] = true
				return true
			}), nil
		},
		Resolve: func(p graphql.ResolveParams) (any, error) { return p.Source, nil },
	}
}
