package queries

import (
	"context"
	"errors"
	"fmt"

	"github.com/graphql-go/graphql"

	"github.com/crossdock-hub/crossdock/projections"
)

// ProjectionAdmin is what the engineer fields need of the projections.
type ProjectionAdmin interface {
	// Status reports every projection (projections.Runner.Status).
	Status(ctx context.Context) ([]projections.Status, error)
	// StartRebuild starts rebuilding the projection beside the serving generation and returns at once;
	// the rebuild's progress shows in Status. It fails for an unknown projection or one already being
	// rebuilt by this hub.
	StartRebuild(ctx context.Context, name string) error
}

// ErrRebuildRunning is StartRebuild's error for a projection this hub is rebuilding already.
var ErrRebuildRunning = errors.New("a rebuild of this projection is already running")

func projectionFields(admin ProjectionAdmin, errs errorPolicy) (query, mutation graphql.Fields) {
	str := graphql.NewNonNull(graphql.String)
	integer := graphql.NewNonNull(graphql.Int)
	rebuild := graphql.NewObject(graphql.ObjectConfig{
		Name:        "ProjectionRebuild",
		Description: "The generation being built beside the serving one.",
		Fields: graphql.Fields{
			"generation": field[*projections.RebuildProgress](integer, "", func(r *projections.RebuildProgress) any { return r.Generation }),
			"checkpoint": field[*projections.RebuildProgress](str, "", func(r *projections.RebuildProgress) any { return r.Checkpoint.String() }),
			"lag": field[*projections.RebuildProgress](graphql.NewNonNull(graphql.Float), "Events still to apply before it switches.",
				func(r *projections.RebuildProgress) any { return float64(r.Lag) }),
			"error": field[*projections.RebuildProgress](graphql.String, "", func(r *projections.RebuildProgress) any { return optional(r.Error) }),
		},
	})
	status := graphql.NewObject(graphql.ObjectConfig{
		Name:        "ProjectionStatus",
		Description: "A read model's state: how far behind the log it is, and any rebuild under way.",
		Fields: graphql.Fields{
			"name":         field[projections.Status](str, "", func(s projections.Status) any { return s.Name }),
			"state":        field[projections.Status](str, "live, catching_up, rebuilding or failed.", func(s projections.Status) any { return string(s.State) }),
			"error":        field[projections.Status](graphql.String, "", func(s projections.Status) any { return optional(s.Error) }),
			"generation":   field[projections.Status](integer, "The generation serving reads.", func(s projections.Status) any { return s.Generation }),
			"version":      field[projections.Status](integer, "", func(s projections.Status) any { return s.Version }),
			"needsRebuild": field[projections.Status](graphql.NewNonNull(graphql.Boolean), "The code's version differs from the serving generation's.", func(s projections.Status) any { return s.NeedsRebuild }),
			"checkpoint":   field[projections.Status](str, "", func(s projections.Status) any { return s.Checkpoint.String() }),
			"lag": field[projections.Status](graphql.NewNonNull(graphql.Float), "Events behind the log's head.",
				func(s projections.Status) any { return float64(s.Lag) }),
			"lastEventAt": field[projections.Status](graphql.String, "", func(s projections.Status) any { return timestamp(s.LastEventAt) }),
			"rebuild": field[projections.Status](rebuild, "", func(s projections.Status) any {
				if s.Rebuild == nil {
					return nil
				}
				return s.Rebuild
			}),
		},
	})
	query = graphql.Fields{
		"projections": restricted(RoleEngineer, &graphql.Field{
			Type:        graphql.NewList(graphql.NewNonNull(status)),
			Description: "Every read model's state, lag and rebuild.",
			Resolve: func(p graphql.ResolveParams) (any, error) {
				st, err := admin.Status(p.Context)
				if err != nil {
					return nil, errs.clientError(p.Context, err, "projections")
				}
				return st, nil
			},
		}),
	}
	mutation = graphql.Fields{
		"rebuildProjection": restricted(RoleEngineer, &graphql.Field{
			Type: graphql.Boolean,
			Description: "Starts rebuilding a read model from the whole log beside the serving generation, which keeps " +
				"answering; reads switch to the new one when it has caught up. Follow it in projections { rebuild }.",
			Args: graphql.FieldConfigArgument{"name": {Type: str}},
			Resolve: func(p graphql.ResolveParams) (any, error) {
				name, _ := p.Args["name"].(string)
				if err := admin.StartRebuild(p.Context, name); err != nil {
					if errors.Is(err, ErrRebuildRunning) || errors.Is(err, projections.ErrUnknownProjection) {
						return nil, fmt.Errorf("rebuild %s: %w", name, err)
					}
					return nil, errs.clientError(p.Context, err, "rebuildProjection", "projection", name)
				}
				return true, nil
			},
		}),
	}
	return query, mutation
}
