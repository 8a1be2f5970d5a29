package httpapi

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/crossdock-hub/crossdock/queries"
)

// GraphQLExecutor runs GraphQL requests; *queries.Service is the one Crossdock uses.
type GraphQLExecutor interface {
	Execute(ctx context.Context, req queries.Request) queries.Result
}

// Check is a readiness check: nil when the dependency it probes can serve. It must honour ctx, which
// carries Config.CheckTimeout; a check that does not is reported as timed out all the same.
type Check func(ctx context.Context) error

// Config configures a Server.
type Config struct {
	// Logger receives the request log and the errors the server handles. Default: slog.Default().
	Logger *slog.Logger
	// GraphQL answers /graphql. Required.
	GraphQL GraphQLExecutor
	// Subscriptions answers GraphQL over WebSocket on /graphql (graphql-transport-ws). Default: none, and
	// a WebSocket upgrade is answered 501.
	Subscriptions GraphQLSubscriber
	// GraphQLTokens are the bearer tokens GraphQL accepts and the roles each carries (what amounts, and
	// which engineer fields, a caller may see). Default: none, and every caller has every role — for a
	// hub on a trusted network only.
	GraphQLTokens GraphQLTokens
	// WebSocketInitTimeout is how long a WebSocket client has to send connection_init. Default: 3s.
	WebSocketInitTimeout time.Duration
	// Checks are the readiness checks GET /readyz runs, by name (e.g. "eventstore", "projections").
	// Default: none, so the server is ready as soon as it runs.
	Checks map[string]Check
	// CheckTimeout bounds each readiness check. Default: 2s.
	CheckTimeout time.Duration
	// MaxBodyBytes bounds a GraphQL request body; larger bodies are answered 413. Default: 1 MiB.
	MaxBodyBytes int64
	// Mount, when set, adds other adapters' routes to the echo instance after the built-in ones, so
	// they share the error handler, request IDs, request log and panic recovery.
	Mount func(e *echo.Echo)
	// ReadHeaderTimeout bounds reading a request's headers, against slow-loris clients. Default: 10s.
	ReadHeaderTimeout time.Duration
	// IdleTimeout closes keep-alive connections idle this long. Default: 2m.
	IdleTimeout time.Duration
	// ShutdownTimeout is how long in-flight requests may take to finish once Serve's context is done;
	// connections still open after it are closed. Default: 15s.
	ShutdownTimeout time.Duration
}

func (c *Config) setDefaults() {
	if c.WebSocketInitTimeout == 0 {
		c.WebSocketInitTimeout = 3 * time.Second
	}
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
	if c.CheckTimeout == 0 {
		c.CheckTimeout = 2 * time.Second
	}
	if c.MaxBodyBytes == 0 {
		c.MaxBodyBytes = 1 << 20
	}
	if c.ReadHeaderTimeout == 0 {
		c.ReadHeaderTimeout = 10 * time.Second
	}
	if c.IdleTimeout == 0 {
		c.IdleTimeout = 2 * time.Minute
	}
	if c.ShutdownTimeout == 0 {
		c.ShutdownTimeout = 15 * time.Second
	}
}

// Validate reports every problem with the configuration.
func (c Config) Validate() error {
	var errs []error
	if c.GraphQL == nil {
		errs = append(errs, errors.New("httpapi: GraphQL executor is required"))
	}
	for name, check := range c.Checks {
		if name == "" {
			errs = append(errs, errors.New("httpapi: a readiness check has no name"))
		}
		if check == nil {
			errs = append(errs, fmt.Errorf("httpapi: readiness check %q is nil", name))
		}
	}
	for _, d := range []struct {
		field string
		value time.Duration
	}{
		{"CheckTimeout", c.CheckTimeout}, {"ReadHeaderTimeout", c.ReadHeaderTimeout},
		{"IdleTimeout", c.IdleTimeout}, {"ShutdownTimeout", c.ShutdownTimeout},
	} {
		if d.value < 0 {
			errs = append(errs, fmt.Errorf("httpapi: %s %s is negative", d.field, d.value))
		}
	}
	if c.MaxBodyBytes < 0 {
		errs = append(errs, fmt.Errorf("httpapi: MaxBodyBytes %d is negative", c.MaxBodyBytes))
	}
	return errors.Join(errs...)
}
