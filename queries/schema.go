package queries

import "github.com/graphql-go/graphql"

// newSchema builds the schema from a complete (defaulted, validated) configuration.
func newSchema(cfg Config) (graphql.Schema, error) {
	tl := timelineResolver{reader: cfg.Timeline, logger: cfg.Logger, publicError: cfg.PublicError}
	query := graphql.NewObject(graphql.ObjectConfig{
		Name: "Query",
		Fields: graphql.Fields{
			"timeline": timelineField(tl),
		},
	})
	return graphql.NewSchema(graphql.SchemaConfig{Query: query})
}
