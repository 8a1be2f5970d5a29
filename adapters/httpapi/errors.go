package httpapi

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/crossdock-hub/crossdock/adapters/problem"
)

// statusClientClosed is nginx's status for a request the client abandoned; it only reaches the request
// log, as nobody is there to read the response.
const statusClientClosed = 499

// handleError is echo's one HTTPErrorHandler: every error returned by any handler or middleware is
// written here as application/problem+json, and logged here when the client is not told its cause.
func (s *Server) handleError(err error, c echo.Context) {
	ctx := c.Request().Context()
	p := s.toProblem(ctx, c, err)
	if c.Response().Committed {
		// Part of a response is already on the wire; nothing else can be sent.
		s.cfg.Logger.WarnContext(ctx, "error after the response was started", "error", err,
			"path", c.Request().URL.Path, "request_id", RequestID(ctx))
		return
	}
	var werr error
	if c.Request().Method == http.MethodHead {
		werr = c.NoContent(p.Status)
	} else {
		werr = writeProblem(c, p)
	}
	if werr != nil {
		s.cfg.Logger.WarnContext(ctx, "write error response", "error", werr, "request_id", RequestID(ctx))
	}
}

// toProblem maps an error to the problem the client sees.
func (s *Server) toProblem(ctx context.Context, c echo.Context, err error) *problem.Problem {
	if p, ok := errors.AsType[*problem.Problem](err); ok {
		return p
	}
	if he, ok := errors.AsType[*echo.HTTPError](err); ok {
		if he.Internal != nil && he.Code >= http.StatusInternalServerError {
			s.logInternal(ctx, c, he.Internal)
		}
		p := problem.New(he.Code, "")
		if p.Title == "" {
			p.Title = fmt.Sprintf("HTTP %d", he.Code)
		}
		// echo's own errors (404, 405, 413...) carry the status text as message; only a message that
		// says more than the title is worth a detail.
		if msg, ok := he.Message.(string); ok && msg != p.Title {
			p.Detail = msg
		}
		return p
	}
	if errors.Is(err, context.Canceled) && ctx.Err() != nil {
		// The client went away; the answer is for nobody and the cause is not the server's.
		p := problem.New(statusClientClosed, "The client closed the request.")
		p.Title = "Client Closed Request"
		return p
	}
	s.logInternal(ctx, c, err)
	return internalProblem(ctx)
}

func (s *Server) logInternal(ctx context.Context, c echo.Context, err error) {
	s.cfg.Logger.ErrorContext(ctx, "http request failed", "error", err,
		"method", c.Request().Method, "path", c.Request().URL.Path, "request_id", RequestID(ctx))
}

func writeProblem(c echo.Context, p *problem.Problem) error {
	body, err := json.Marshal(p)
	if err != nil {
		return fmt.Errorf("encode problem: %w", err)
	}
	return c.Blob(p.Status, problem.ContentType, body)
}
