package queries

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/graphql-go/graphql"
)

// Role names what a GraphQL caller may see and do. Every caller can read the views; amounts and prices
// are shown to finance; the projections' state and the rebuild mutation are for engineers.
type Role string

// The roles.
const (
	RoleAnalyst  Role = "analyst"
	RoleFinance  Role = "finance"
	RoleEngineer Role = "engineer"
)

// Roles are every role, for a caller trusted with all (a hub whose GraphQL needs no token).
var Roles = []Role{RoleAnalyst, RoleFinance, RoleEngineer}

// ParseRole reads a role's name.
func ParseRole(s string) (Role, error) {
	r := Role(strings.ToLower(strings.TrimSpace(s)))
	if !slices.Contains(Roles, r) {
		return "", fmt.Errorf("unknown role %q (want analyst, finance or engineer)", s)
	}
	return r, nil
}

type rolesKey struct{}

// WithRoles returns a context whose GraphQL requests run with the roles: the HTTP layer sets them from
// the caller's credential. A request without roles sees what every caller sees.
func WithRoles(ctx context.Context, roles ...Role) context.Context {
	return context.WithValue(ctx, rolesKey{}, slices.Clone(roles))
}

// HasRole reports whether the request in ctx runs with role.
func HasRole(ctx context.Context, role Role) bool {
	roles, _ := ctx.Value(rolesKey{}).([]Role)
	return slices.Contains(roles, role)
}

// restricted makes a field resolve only for callers with role; others get null and an error naming the
// role (the field must be nullable for the rest of the response to stand).
func restricted(role Role, f *graphql.Field) *graphql.Field {
	resolve := f.Resolve
	out := *f
	out.Description = strings.TrimSpace(f.Description + " Shown to the " + string(role) + " role.")
	out.Resolve = func(p graphql.ResolveParams) (any, error) {
		if !HasRole(p.Context, role) {
			return nil, fmt.Errorf("%s is shown to the %s role only", p.Info.FieldName, role)
		}
		return resolve(p)
	}
	return &out
}
