package queries

import "github.com/graphql-go/graphql"

// newSchema builds the schema from a complete (defaulted, validated) configuration.
func newSchema(cfg Config) (graphql.Schema, error) {
	errs := errorPolicy{logger: cfg.Logger, publicError: cfg.PublicError}
	tl := timelineResolver{reader: cfg.Timeline, logger: cfg.Logger, publicError: cfg.PublicError}
	pageInfo := newPageInfo()
	fields := graphql.Fields{
		"timeline": timelineField(tl, pageInfo),
	}
	if cfg.Match != nil {
		for name, f := range matchFields(matchResolver{reader: cfg.Match, errs: errs}, pageInfo) {
			fields[name] = f
		}
	}
	query := graphql.NewObject(graphql.ObjectConfig{Name: "Query", Fields: fields})
	return graphql.NewSchema(graphql.SchemaConfig{Query: query})
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
