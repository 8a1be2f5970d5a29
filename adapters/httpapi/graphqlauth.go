package httpapi

import (
	"crypto/sha256"
	"fmt"
	"net/http"
	"strings"

	"github.com/crossdock-hub/crossdock/adapters/problem"
	"github.com/crossdock-hub/crossdock/queries"
)

// GraphQLTokens maps bearer tokens to the GraphQL roles they carry.
type GraphQLTokens map[string][]queries.Role

// ParseGraphQLTokens reads "role:token" entries (a token listed under several roles carries them all).
func ParseGraphQLTokens(entries []string) (GraphQLTokens, error) {
	out := GraphQLTokens{}
	for i, e := range entries {
		role, token, ok := strings.Cut(e, ":")
		if !ok || strings.TrimSpace(token) == "" {
			return nil, fmt.Errorf("GraphQL token %d: want role:token, e.g. finance:<token>", i+1)
		}
		r, err := queries.ParseRole(role)
		if err != nil {
			return nil, fmt.Errorf("GraphQL token %d: %w", i+1, err)
		}
		if len(token) < 32 {
			return nil, fmt.Errorf("GraphQL token %d (%s): at least 32 characters", i+1, r)
		}
		out[token] = append(out[token], r)
	}
	return out, nil
}

// graphqlAuth keeps tokens by their SHA-256, so that finding one compares digests, not the secrets.
type graphqlAuth map[[sha256.Size]byte][]queries.Role

func newGraphQLAuth(tokens GraphQLTokens) graphqlAuth {
	if len(tokens) == 0 {
		return nil
	}
	a := graphqlAuth{}
	for t, roles := range tokens {
		a[sha256.Sum256([]byte(t))] = roles
	}
	return a
}

// roles returns the roles of a request carrying authorization (an Authorization header's value). With no
// tokens configured every caller has every role.
func (a graphqlAuth) roles(authorization string) ([]queries.Role, error) {
	if a == nil {
		return queries.Roles, nil
	}
	token, ok := strings.CutPrefix(strings.TrimSpace(authorization), "Bearer ")
	if !ok || token == "" {
		return nil, problem.New(http.StatusUnauthorized, "GraphQL needs a bearer token (Authorization: Bearer <token>)")
	}
	roles, ok := a[sha256.Sum256([]byte(strings.TrimSpace(token)))]
	if !ok {
		return nil, problem.New(http.StatusUnauthorized, "the bearer token is not one this hub knows")
	}
	return roles, nil
}
