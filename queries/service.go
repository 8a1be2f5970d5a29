package queries

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/graphql-go/graphql"
	"github.com/graphql-go/graphql/gqlerrors"
	"github.com/graphql-go/graphql/language/ast"
	"github.com/graphql-go/graphql/language/parser"
	"github.com/graphql-go/graphql/language/source"
)

// DefaultMaxDepth is the default of Config.MaxDepth. It leaves room for the deepest query the schema
// invites (timeline → edges → node → references → kind is 5) and for GraphiQL's introspection query.
const DefaultMaxDepth = 12

// Config configures a Service.
type Config struct {
	// Timeline answers the timeline field. Required.
	Timeline TimelineReader
	// Match answers the three-way match fields (purchaseOrderLines, invoiceMatches); they are left out of
	// the schema when it is nil.
	Match MatchReader
	// SLA answers partnerSla and asnShipment; they are left out of the schema when nil.
	SLA SLAReader
	// Health answers integrationHealth; it is left out of the schema when nil.
	Health HealthSource
	// Divergence answers inventoryPositions; it is left out of the schema when nil.
	Divergence DivergenceReader
	// Now is the clock that decides staleness. Default: time.Now.
	Now func() time.Time
	// Changes feeds the subscription fields; there is no Subscription type when it is nil.
	Changes ChangeSource
	// Projections answers the engineer fields (projections, rebuildProjection); they are left out of the
	// schema when it is nil.
	Projections ProjectionAdmin
	// OdooFailures answers odooFailures and retryOdooFailure (engineer); they are left out of the schema
	// when it is nil.
	OdooFailures OdooFailures
	// Logger receives the resolver errors that are hidden from clients. Default: slog.Default().
	Logger *slog.Logger
	// MaxDepth is the deepest nesting of fields a query may select; a top-level field is at depth 1.
	// Deeper documents are rejected before validation and execution. Default: DefaultMaxDepth (12).
	MaxDepth int
	// MaxComplexity bounds what a query may cost: one per field selected, a field under a paged field
	// counting once per row of the page (first, or the default page). Costlier documents are rejected
	// before they run. Default: DefaultMaxComplexity (20000).
	MaxComplexity int
	// PublicError reports whether an error returned by a reader may be shown to the client as it is,
	// e.g. errors.Is(err, timeline.ErrBadCursor). Other errors are logged and the client sees a generic
	// message, because they can carry internals (SQL, hosts, file paths). Default: no error is public.
	PublicError func(error) bool
}

func (c *Config) setDefaults() {
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.MaxDepth == 0 {
		c.MaxDepth = DefaultMaxDepth
	}
	if c.MaxComplexity == 0 {
		c.MaxComplexity = DefaultMaxComplexity
	}
	if c.PublicError == nil {
		c.PublicError = func(error) bool { return false }
	}
}

// Validate reports every problem with the configuration.
func (c Config) Validate() error {
	var errs []error
	if c.Timeline == nil {
		errs = append(errs, errors.New("queries: Timeline reader is required"))
	}
	if c.MaxDepth < 0 {
		errs = append(errs, fmt.Errorf("queries: MaxDepth %d is negative", c.MaxDepth))
	}
	if c.MaxComplexity < 0 {
		errs = append(errs, fmt.Errorf("queries: MaxComplexity %d is negative", c.MaxComplexity))
	}
	return errors.Join(errs...)
}

// Service executes GraphQL requests against Crossdock's schema.
type Service struct {
	schema        graphql.Schema
	maxDepth      int
	maxComplexity int
}

// NewService builds the schema and the service that runs it.
func NewService(cfg Config) (*Service, error) {
	cfg.setDefaults()
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	schema, err := newSchema(cfg)
	if err != nil {
		return nil, fmt.Errorf("queries: build schema: %w", err)
	}
	return &Service{schema: schema, maxDepth: cfg.MaxDepth, maxComplexity: cfg.MaxComplexity}, nil
}

// Schema returns the GraphQL schema, for tools that print or inspect it.
func (s *Service) Schema() graphql.Schema { return s.schema }

// Request is a GraphQL request as GraphQL-over-HTTP carries it.
type Request struct {
	Query         string         `json:"query"`
	Variables     map[string]any `json:"variables,omitempty"`
	OperationName string         `json:"operationName,omitempty"`
}

// Result is the outcome of a request.
type Result struct {
	// Data is the execution result; it is only meaningful when Executed.
	Data any
	// Errors lists request errors (parse, depth, validation) or field errors raised during execution.
	Errors []gqlerrors.FormattedError
	// Executed reports whether execution started. A request that failed before it (it could not be
	// parsed, was too deep, or did not validate) has no "data" entry in its response, and
	// GraphQL-over-HTTP answers it with 400 under the application/graphql-response+json media type.
	Executed bool
}

// MarshalJSON writes the response map of the GraphQL spec: "data" only when execution started (null
// when it failed as a whole), "errors" only when there are some.
func (r Result) MarshalJSON() ([]byte, error) {
	out := make(map[string]any, 2)
	if r.Executed {
		out["data"] = r.Data
	}
	if len(r.Errors) > 0 {
		out["errors"] = r.Errors
	}
	return json.Marshal(out)
}

// Execute parses, limits, validates and runs one request. Every failure is reported in the Result,
// as GraphQL reports errors in the response body rather than as a Go error.
func (s *Service) Execute(ctx context.Context, req Request) Result {
	doc, failed := s.prepare(req)
	if failed != nil {
		return *failed
	}
	if isSubscription(doc, req.OperationName) {
		return requestError(gqlerrors.NewFormattedError("a subscription streams its results: send it over WebSocket (graphql-transport-ws) to /graphql"))
	}
	return s.execute(ctx, doc, req)
}

// prepare parses, limits and validates a request; the result is the failure when it cannot run.
func (s *Service) prepare(req Request) (*ast.Document, *Result) {
	fail := func(r Result) (*ast.Document, *Result) { return nil, &r }
	if strings.TrimSpace(req.Query) == "" {
		return fail(requestError(gqlerrors.NewFormattedError("the request has no query")))
	}
	src := source.NewSource(&source.Source{Body: []byte(req.Query), Name: "GraphQL request"})
	doc, err := parser.Parse(parser.ParseParams{Source: src})
	if err != nil {
		return fail(Result{Errors: gqlerrors.FormatErrors(err)})
	}
	// The depth limit runs before validation so that a hostile document costs no more than its parse.
	if err := checkDepth(doc, src, s.maxDepth); err != nil {
		return fail(requestError(*err))
	}
	if err := checkComplexity(doc, req, s.maxComplexity); err != nil {
		return fail(requestError(*err))
	}
	if v := graphql.ValidateDocument(&s.schema, doc, nil); !v.IsValid {
		return fail(Result{Errors: v.Errors})
	}
	return doc, nil
}

// execute runs a prepared query or mutation.
func (s *Service) execute(ctx context.Context, doc *ast.Document, req Request) Result {
	res := graphql.Execute(graphql.ExecuteParams{
		Schema:        s.schema,
		AST:           doc,
		OperationName: req.OperationName,
		Args:          req.Variables,
		Context:       ctx,
	})
	return Result{Data: res.Data, Errors: res.Errors, Executed: true}
}

func requestError(e gqlerrors.FormattedError) Result {
	return Result{Errors: []gqlerrors.FormattedError{e}}
}
