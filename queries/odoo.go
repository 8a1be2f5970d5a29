package queries

import (
	"context"
	"errors"
	"fmt"

	"github.com/graphql-go/graphql"

	"github.com/crossdock-hub/crossdock/projections/odoofailures"
)

// OdooFailures answers the dead letters of the workflows that drive Odoo, and retries one after its
// cause is fixed.
type OdooFailures interface {
	List(ctx context.Context, partner string, first int) ([]odoofailures.Failure, error)
	// Retry tells Odoo again what failed (the failure's trigger event) and reports whether it is booked
	// now. An Odoo still unreachable is an error wrapping ErrOdooUnavailable.
	Retry(ctx context.Context, eventID string) (bool, error)
}

// ErrOdooUnavailable: the retry could not reach Odoo; the failure stays.
var ErrOdooUnavailable = errors.New("odoo is unavailable")

func odooFields(src OdooFailures, errs errorPolicy) (query, mutation graphql.Fields) {
	str := graphql.NewNonNull(graphql.String)
	failure := graphql.NewObject(graphql.ObjectConfig{
		Name:        "OdooFailure",
		Description: "A document Odoo did not take (a dead letter), with Odoo's reason, until it is booked.",
		Fields: graphql.Fields{
			"eventId":        field[odoofailures.Failure](str, "The failure's event: what retryOdooFailure takes.", func(f odoofailures.Failure) any { return f.EventID }),
			"triggerEventId": field[odoofailures.Failure](str, "The event Odoo was to be told of.", func(f odoofailures.Failure) any { return f.TriggerEventID }),
			"streamId":       field[odoofailures.Failure](str, "", func(f odoofailures.Failure) any { return f.StreamID }),
			"kind":           field[odoofailures.Failure](str, "receipt or delivery.", func(f odoofailures.Failure) any { return f.Kind }),
			"document":       field[odoofailures.Failure](str, "The receipt or order number.", func(f odoofailures.Failure) any { return f.Document }),
			"partner":        field[odoofailures.Failure](str, "", func(f odoofailures.Failure) any { return f.Partner }),
			"reason":         field[odoofailures.Failure](str, "Odoo's message, or why the document could not be booked.", func(f odoofailures.Failure) any { return f.Reason }),
			"failedAt":       field[odoofailures.Failure](str, "", func(f odoofailures.Failure) any { return timestamp(f.FailedAt) }),
		},
	})
	query = graphql.Fields{
		"odooFailures": restricted(RoleEngineer, &graphql.Field{
			Type:        graphql.NewList(graphql.NewNonNull(failure)),
			Description: "The documents Odoo did not take, the latest first (at most first, default 100).",
			Args:        graphql.FieldConfigArgument{"partner": {Type: graphql.String}, "first": {Type: graphql.Int}},
			Resolve: func(p graphql.ResolveParams) (any, error) {
				partner, _ := p.Args["partner"].(string)
				first, _ := p.Args["first"].(int)
				out, err := src.List(p.Context, partner, first)
				if err != nil {
					return nil, errs.clientError(p.Context, err, "odooFailures")
				}
				return out, nil
			},
		}),
	}
	mutation = graphql.Fields{
		"retryOdooFailure": restricted(RoleEngineer, &graphql.Field{
			Type: graphql.Boolean,
			Description: "Tells Odoo again what failed, once the cause is fixed (a product created, an order confirmed). " +
				"True when the document is booked now; false when Odoo refused it again (odooFailures has the reason).",
			Args: graphql.FieldConfigArgument{"eventId": {Type: str}},
			Resolve: func(p graphql.ResolveParams) (any, error) {
				id, _ := p.Args["eventId"].(string)
				booked, err := src.Retry(p.Context, id)
				switch {
				case errors.Is(err, odoofailures.ErrNotFound), errors.Is(err, ErrOdooUnavailable):
					return nil, fmt.Errorf("retry %s: %w", id, err)
				case err != nil:
					return nil, errs.clientError(p.Context, err, "retryOdooFailure", "event", id)
				}
				return booked, nil
			},
		}),
	}
	return query, mutation
}
