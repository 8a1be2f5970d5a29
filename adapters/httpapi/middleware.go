package httpapi

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/crossdock-hub/crossdock/adapters/problem"
)

// HeaderRequestID carries the request ID in both directions.
const HeaderRequestID = "X-Request-ID"

type requestIDKey struct{}

// RequestID returns the ID of the HTTP request ctx belongs to, or "" outside one. Handlers mounted on
// the server use it to tie their log lines to the request log.
func RequestID(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey{}).(string)
	return id
}

// requestID keeps the caller's X-Request-ID when it looks like an ID, so a request can be traced across
// systems, and otherwise makes one; either way it is echoed in the response.
func (s *Server) requestID(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		id := c.Request().Header.Get(HeaderRequestID)
		if !validRequestID(id) {
			id = newRequestID()
		}
		c.Response().Header().Set(HeaderRequestID, id)
		c.SetRequest(c.Request().WithContext(context.WithValue(c.Request().Context(), requestIDKey{}, id)))
		return next(c)
	}
}

// validRequestID accepts what tracing systems send (UUIDs, hex, base64url) and refuses anything that
// could forge or bloat a log line.
func validRequestID(id string) bool {
	if id == "" || len(id) > 128 {
		return false
	}
	for _, r := range id {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '_', r == '.', r == ':':
		default:
			return false
		}
	}
	return true
}

func newRequestID() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never returns an error
	return hex.EncodeToString(b[:])
}

// logRequests writes one log line per request. Errors are handled here, before the line is written, so
// the line carries the status the client got; returning nil keeps echo from handling them twice.
func (s *Server) logRequests(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		start := time.Now()
		if err := next(c); err != nil {
			c.Error(err)
		}
		req := c.Request()
		level := slog.LevelInfo
		if req.URL.Path == "/healthz" || req.URL.Path == "/readyz" {
			// Probes come every few seconds; at info they would drown the log.
			level = slog.LevelDebug
		}
		s.cfg.Logger.Log(req.Context(), level, "http request",
			"method", req.Method,
			"path", req.URL.Path,
			"status", c.Response().Status,
			"duration", time.Since(start),
			"bytes", c.Response().Size,
			"request_id", RequestID(req.Context()),
		)
		return nil
	}
}

// recoverPanics turns a handler's panic into a 500 problem, logging the panic and its stack once here.
func (s *Server) recoverPanics(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) (err error) {
		defer func() {
			r := recover()
			if r == nil {
				return
			}
			if r == http.ErrAbortHandler {
				// net/http's way of aborting a response on purpose; it must reach net/http.
				panic(r)
			}
			ctx := c.Request().Context()
			s.cfg.Logger.ErrorContext(ctx, "http handler panicked",
				"error", fmt.Sprint(r),
				"stack", string(debug.Stack()),
				"method", c.Request().Method,
				"path", c.Request().URL.Path,
				"request_id", RequestID(ctx),
			)
			err = internalProblem(ctx)
		}()
		return next(c)
	}
}

// internalProblem is the 500 a client gets for an error it cannot act on. It names the request ID, which
// is what an operator needs to find the logged cause.
func internalProblem(ctx context.Context) *problem.Problem {
	detail := "The server could not complete the request."
	if id := RequestID(ctx); id != "" {
		detail += " Its log has the details under request ID " + id + "."
	}
	return problem.New(http.StatusInternalServerError, detail)
}
