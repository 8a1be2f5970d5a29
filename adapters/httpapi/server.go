package httpapi

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"sync"

	"github.com/labstack/echo/v4"
)

// Server is Crossdock's HTTP server.
type Server struct {
	cfg  Config
	echo *echo.Echo
	ui   graphiqlAssets
	// closing ends when Serve starts shutting down: open WebSocket sessions then close, and Serve waits
	// for them (sessions).
	auth         graphqlAuth
	closing      context.Context
	startClosing context.CancelFunc
	sessions     sync.WaitGroup
}

// New builds the server and its routes:
//
//	GET  /healthz                 200 {"status":"ok"} while the process runs
//	GET  /readyz                  200 with each check's result, or 503 problem naming the failed checks
//	POST /graphql                 GraphQL over HTTP (application/json or application/graphql body)
//	GET  /graphql?query=...       GraphQL over HTTP, for queries
//	GET  /graphql                 GraphiQL, served from the binary; with a WebSocket upgrade,
//	                              GraphQL over WebSocket (graphql-transport-ws): subscriptions
//	GET  /graphql/assets/:name    GraphiQL's scripts and stylesheet
//
// and then whatever Config.Mount adds.
func New(cfg Config) (*Server, error) {
	return newServer(cfg, embeddedAssets)
}

// newServer lets tests serve GraphiQL from another file system than the embedded one, so both the built
// and the unbuilt bundle are tested whatever state the working tree is in.
func newServer(cfg Config, assets fs.FS) (*Server, error) {
	cfg.setDefaults()
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	ui, err := loadGraphiQL(assets)
	if err != nil {
		return nil, err
	}
	e := echo.New()
	e.HideBanner = true
	e.HidePort = true
	s := &Server{cfg: cfg, echo: e, ui: ui}
	s.closing, s.startClosing = context.WithCancel(context.Background())
	s.auth = newGraphQLAuth(cfg.GraphQLTokens)
	e.HTTPErrorHandler = s.handleError
	// Outermost first: the request ID exists before anything logs, the request log sees the status the
	// error handler wrote, and a panic becomes a 500 that the request log still records.
	e.Use(s.requestID, s.logRequests, s.recoverPanics)

	e.GET("/healthz", s.healthz)
	e.GET("/readyz", s.readyz)
	e.POST("/graphql", s.graphqlPost)
	e.GET("/graphql", s.graphqlGet)
	e.GET("/graphql/assets/:name", s.graphiqlAsset)
	if cfg.Mount != nil {
		cfg.Mount(e)
	}
	return s, nil
}

// Echo returns the echo instance, to mount routes after New.
func (s *Server) Echo() *echo.Echo { return s.echo }

// ServeHTTP serves one request, which makes the server usable with httptest.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.echo.ServeHTTP(w, r) }

// ListenAndServe listens on addr (host:port) and serves until ctx is done, then shuts down gracefully.
func (s *Server) ListenAndServe(ctx context.Context, addr string) error {
	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "tcp", addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", addr, err)
	}
	return s.Serve(ctx, ln)
}

// Serve serves on ln until ctx is done, then stops accepting connections and waits up to
// Config.ShutdownTimeout for in-flight requests to finish. It returns nil after a graceful shutdown.
// It closes ln.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	srv := &http.Server{
		Handler:           s.echo,
		ReadHeaderTimeout: s.cfg.ReadHeaderTimeout,
		IdleTimeout:       s.cfg.IdleTimeout,
		ErrorLog:          slog.NewLogLogger(s.cfg.Logger.Handler(), slog.LevelWarn),
		// Requests must outlive ctx: it ending means "stop accepting", not "abandon in-flight work".
		BaseContext: func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	s.cfg.Logger.InfoContext(ctx, "http server listening", "addr", ln.Addr().String())

	select {
	case err := <-served:
		return fmt.Errorf("serve http on %s: %w", ln.Addr(), err)
	case <-ctx.Done():
	}

	shutdownCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), s.cfg.ShutdownTimeout)
	defer cancel()
	// WebSocket connections are hijacked, so Shutdown does not wait for them: they are told to go away
	// and waited for here.
	s.startClosing()
	err := srv.Shutdown(shutdownCtx)
	sessions := make(chan struct{})
	go func() { s.sessions.Wait(); close(sessions) }()
	select {
	case <-sessions:
	case <-shutdownCtx.Done():
		err = errors.Join(err, errors.New("WebSocket sessions still open at the shutdown deadline"))
	}
	if err != nil {
		// The deadline passed with requests still running: cut them off rather than hang the process.
		err = errors.Join(err, srv.Close())
	}
	if serveErr := <-served; !errors.Is(serveErr, http.ErrServerClosed) {
		err = errors.Join(err, serveErr)
	}
	if err != nil {
		return fmt.Errorf("shut down http server on %s: %w", ln.Addr(), err)
	}
	s.cfg.Logger.InfoContext(ctx, "http server stopped", "addr", ln.Addr().String())
	return nil
}
