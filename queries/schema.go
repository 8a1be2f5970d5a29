package queries

import (
	"maps"
	"sync"

	"github.com/graphql-go/graphql"
)

// newSchema builds the schema from a complete (defaulted, validated) configuration.
func newSchema(cfg Config) (graphql.Schema, error) {
	errs := errorPolicy{logger: cfg.Logger, publicError: cfg.PublicError}
	tl := timelineResolver{reader: cfg.Timeline, logger: cfg.Logger, publicError: cfg.PublicError}
	pageInfo := newPageInfo()
	fields := graphql.Fields{
		"timeline": timelineField(tl, pageInfo),
	}
	subscriptions := graphql.Fields{}
	types := newMatchTypes()
	if cfg.Match != nil {
		maps.Copy(fields, matchFields(matchResolver{reader: cfg.Match, errs: errs}, pageInfo, types))
	}
	position := newPositionType(cfg.Now)
	shipment := newShipmentType()
	if cfg.Divergence != nil {
		fields["inventoryPositions"] = divergenceField(cfg.Divergence, errs, position, pageInfo)
	}
	if cfg.Changes != nil {
		maps.Copy(subscriptions, matchSubscriptions(cfg.Changes, types))
		subscriptions["inventoryPositionChanged"] = divergenceSubscription(cfg.Changes, position)
		subscriptions["divergenceBreached"] = divergenceBreachSubscription(cfg.Changes, position)
		subscriptions["asnShipmentChanged"] = slaSubscription(cfg.Changes, shipment)
	}
	if cfg.SLA != nil {
		maps.Copy(fields, slaFields(cfg.SLA, errs, shipment, cfg.Now))
	}
	if cfg.Health != nil {
		fields["integrationHealth"] = healthField(cfg.Health, errs, cfg.Now)
	}
	mutations := graphql.Fields{}
	if cfg.Projections != nil {
		q, m := projectionFields(cfg.Projections, errs)
		maps.Copy(fields, q)
		maps.Copy(mutations, m)
	}
	if cfg.OdooFailures != nil {
		q, m := odooFields(cfg.OdooFailures, errs)
		maps.Copy(fields, q)
		maps.Copy(mutations, m)
	}
	sc := graphql.SchemaConfig{Query: graphql.NewObject(graphql.ObjectConfig{Name: "Query", Fields: fields})}
	if len(subscriptions) > 0 {
		sc.Subscription = graphql.NewObject(graphql.ObjectConfig{Name: "Subscription", Fields: subscriptions})
	}
	if len(mutations) > 0 {
		sc.Mutation = graphql.NewObject(graphql.ObjectConfig{Name: "Mutation", Fields: mutations})
	}
	schema, err := graphql.NewSchema(sc)
	if err != nil {
		return schema, err
	}
	warmEnums(schema)
	return schema, nil
}

// warmMu orders the enums' warming: the introspection enums are graphql-go's package variables, shared
// by every schema.
var warmMu sync.Mutex

// warmEnums builds the lookups graphql-go's enums otherwise fill on first use, unguarded: two queries
// serializing the same enum at once raced on them (seen by the race detector on concurrent
// introspection). Warmed once, before any query of the schema runs, they are only read after.
func warmEnums(s graphql.Schema) {
	warmMu.Lock()
	defer warmMu.Unlock()
	for _, t := range s.TypeMap() {
		if e, ok := t.(*graphql.Enum); ok {
			e.Serialize(nil) // the value → name lookup
			e.ParseValue("") // the name → value lookup
		}
	}
}

// pageInfoValue is the source of a connection's pageInfo (Relay cursor connections).
type pageInfoValue struct {
	EndCursor   string
	HasNextPage bool
}

func newPageInfo() *graphql.Object {
	return graphql.NewObject(graphql.ObjectConfig{
		Name: "PageInfo",
		Fields: graphql.Fields{
			"endCursor": field[pageInfoValue](graphql.String, "The cursor of the page's last item; null on an empty page.",
				func(p pageInfoValue) any { return optional(p.EndCursor) }),
			"hasNextPage": field[pageInfoValue](graphql.NewNonNull(graphql.Boolean), "",
				func(p pageInfoValue) any { return p.HasNextPage }),
		},
	})
}
