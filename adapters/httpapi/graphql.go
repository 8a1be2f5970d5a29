package httpapi

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/crossdock-hub/crossdock/adapters/problem"
	"github.com/crossdock-hub/crossdock/queries"
)

// Media types of GraphQL over HTTP.
const (
	mediaGraphQLResponse = "application/graphql-response+json"
	mediaGraphQL         = "application/graphql"
	mediaJSON            = "application/json"
)

// graphqlPost answers a GraphQL request in a POST body: JSON {query, variables, operationName}, or the
// bare query as application/graphql (with operationName, if any, in the URL query string).
func (s *Server) graphqlPost(c echo.Context) error {
	req := c.Request()
	mediaType, _, err := mime.ParseMediaType(req.Header.Get(echo.HeaderContentType))
	if err != nil {
		mediaType = ""
	}
	if mediaType != mediaJSON && mediaType != mediaGraphQL {
		return problem.New(http.StatusUnsupportedMediaType,
			"Send the GraphQL request as application/json ({query, variables, operationName}) or application/graphql.")
	}
	body, err := io.ReadAll(http.MaxBytesReader(c.Response(), req.Body, s.cfg.MaxBodyBytes))
	if err != nil {
		if _, ok := errors.AsType[*http.MaxBytesError](err); ok {
			return problem.New(http.StatusRequestEntityTooLarge,
				fmt.Sprintf("The request body exceeds %d bytes.", s.cfg.MaxBodyBytes))
		}
		return fmt.Errorf("read graphql request body: %w", err)
	}

	var gq queries.Request
	if mediaType == mediaGraphQL {
		gq = queries.Request{Query: string(body), OperationName: c.QueryParam("operationName")}
	} else if err := json.Unmarshal(body, &gq); err != nil {
		return problem.Invalid("The body is not a GraphQL request: "+jsonErrorDetail(err),
			problem.FieldError{Pointer: jsonPointer(err), Detail: err.Error()})
	}
	return s.answerGraphQL(c, gq)
}

// graphqlGet serves GraphiQL to a browser, or answers a GraphQL query carried in the URL
// (?query=...&variables=...&operationName=...) as GraphQL over HTTP allows.
func (s *Server) graphqlGet(c echo.Context) error {
	if isWebSocket(c.Request()) {
		return s.graphqlWS(c)
	}
	if !c.QueryParams().Has("query") {
		return s.graphiqlPage(c)
	}
	gq := queries.Request{Query: c.QueryParam("query"), OperationName: c.QueryParam("operationName")}
	if v := c.QueryParam("variables"); v != "" {
		if err := json.Unmarshal([]byte(v), &gq.Variables); err != nil {
			return problem.Invalid("The variables parameter is not a JSON object: "+jsonErrorDetail(err),
				problem.FieldError{Detail: "variables: " + err.Error()})
		}
	}
	return s.answerGraphQL(c, gq)
}

// answerGraphQL executes the request and writes the response per GraphQL over HTTP: a client that
// accepts application/graphql-response+json gets it, with 400 for a request that could not be executed;
// others get application/json and 200, as legacy clients expect.
func (s *Server) answerGraphQL(c echo.Context, gq queries.Request) error {
	roles, err := s.auth.roles(c.Request().Header.Get(echo.HeaderAuthorization))
	if err != nil {
		return err
	}
	res := s.cfg.GraphQL.Execute(queries.WithRoles(c.Request().Context(), roles...), gq)
	body, err := json.Marshal(res)
	if err != nil {
		return fmt.Errorf("encode graphql response: %w", err)
	}
	if acceptsGraphQLResponse(c.Request().Header.Get(echo.HeaderAccept)) {
		status := http.StatusOK
		if !res.Executed {
			status = http.StatusBadRequest
		}
		return c.Blob(status, mediaGraphQLResponse+"; charset=utf-8", body)
	}
	return c.Blob(http.StatusOK, mediaJSON+"; charset=utf-8", body)
}

// acceptsGraphQLResponse reports whether an Accept header lists application/graphql-response+json. Only
// an explicit mention counts: */* keeps the legacy application/json, which every client understands.
func acceptsGraphQLResponse(accept string) bool {
	for part := range strings.SplitSeq(accept, ",") {
		mt, params, err := mime.ParseMediaType(strings.TrimSpace(part))
		if err == nil && mt == mediaGraphQLResponse && params["q"] != "0" {
			return true
		}
	}
	return false
}

// jsonErrorDetail says what is wrong with a JSON body in words a client can act on.
func jsonErrorDetail(err error) string {
	if te, ok := errors.AsType[*json.UnmarshalTypeError](err); ok {
		return fmt.Sprintf("%s must be %s, not %s", te.Field, jsonKind(te.Type.Kind().String()), te.Value)
	}
	return err.Error()
}

func jsonKind(goKind string) string {
	switch goKind {
	case "map", "struct":
		return "an object"
	case "string":
		return "a string"
	default:
		return goKind
	}
}

// jsonPointer locates a JSON type error in the body (RFC 6901); "" when the body is not JSON at all.
func jsonPointer(err error) string {
	if te, ok := errors.AsType[*json.UnmarshalTypeError](err); ok && te.Field != "" {
		return "/" + strings.ReplaceAll(te.Field, ".", "/")
	}
	return ""
}
