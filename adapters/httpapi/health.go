package httpapi

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/crossdock-hub/crossdock/adapters/problem"
)

// healthz answers while the process can serve HTTP at all: liveness, which must not depend on
// databases, or an outage of one would get every replica restarted.
func (s *Server) healthz(c echo.Context) error {
	return c.JSON(http.StatusOK, map[string]string{"status": "ok"})
}

// PublicCheckError returns a readiness failure whose text /readyz may show to anyone who asks. Other
// errors a check returns can carry internals (hosts, users, SQL), so clients see only that the check
// failed, and the hub's log has the cause.
func PublicCheckError(format string, args ...any) error {
	return &publicCheckError{msg: fmt.Sprintf(format, args...)}
}

type publicCheckError struct{ msg string }

func (e *publicCheckError) Error() string { return e.msg }

// publicReason is what a client is told of a failed check.
func publicReason(err error) string {
	var pub *publicCheckError
	switch {
	case errors.As(err, &pub):
		return pub.msg
	case errors.Is(err, errCheckTimedOut):
		return err.Error()
	case errors.Is(err, errCheckPanicked): // the panic's value stays in the log
		return errCheckPanicked.Error()
	default:
		return "failed (the hub's log has the cause)"
	}
}

var (
	errCheckTimedOut = errors.New("timed out")
	errCheckPanicked = errors.New("check panicked")
)

// checkResult is one readiness check's outcome as /readyz reports it.
type checkResult struct {
	Status     string  `json:"status"` // "ok" or "failed"
	Error      string  `json:"error,omitempty"`
	DurationMS float64 `json:"durationMs"`
	cause      error   // for the log only
}

// readyz runs every readiness check concurrently, each under Config.CheckTimeout, and answers 200 when
// all pass or 503 naming those that failed and why.
func (s *Server) readyz(c echo.Context) error {
	ctx := c.Request().Context()
	results := s.runChecks(ctx)

	var failed []string
	var errs []problem.FieldError
	for _, name := range slices.Sorted(maps.Keys(results)) {
		if r := results[name]; r.Status != "ok" {
			failed = append(failed, name)
			errs = append(errs, problem.FieldError{Detail: name + ": " + r.Error})
			s.cfg.Logger.WarnContext(ctx, "readiness check failed", "check", name, "error", r.cause)
		}
	}
	if len(failed) > 0 {
		p := problem.New(http.StatusServiceUnavailable, "Not ready: "+strings.Join(failed, ", ")+" failed.")
		p.Errors = errs
		return p
	}
	return c.JSON(http.StatusOK, map[string]any{"status": "ok", "checks": results})
}

func (s *Server) runChecks(ctx context.Context) map[string]checkResult {
	var (
		mu      sync.Mutex
		wg      sync.WaitGroup
		results = make(map[string]checkResult, len(s.cfg.Checks))
	)
	for name, check := range s.cfg.Checks {
		wg.Go(func() {
			r := s.runCheck(ctx, check)
			mu.Lock()
			results[name] = r
			mu.Unlock()
		})
	}
	wg.Wait()
	return results
}

// runCheck runs one check under the timeout. A check that ignores its context is abandoned at the
// deadline (its goroutine ends when the check returns) so one stuck dependency cannot hang the probe.
func (s *Server) runCheck(ctx context.Context, check Check) checkResult {
	ctx, cancel := context.WithTimeout(ctx, s.cfg.CheckTimeout)
	defer cancel()
	start := time.Now()
	done := make(chan error, 1)
	go func() {
		defer func() {
			if r := recover(); r != nil {
				done <- fmt.Errorf("%w: %v", errCheckPanicked, r)
			}
		}()
		done <- check(ctx)
	}()
	var err error
	select {
	case err = <-done:
	case <-ctx.Done():
		err = ctx.Err()
	}
	if errors.Is(err, context.DeadlineExceeded) {
		err = fmt.Errorf("%w after %s", errCheckTimedOut, s.cfg.CheckTimeout)
	}
	r := checkResult{Status: "ok", DurationMS: float64(time.Since(start).Microseconds()) / 1000}
	if err != nil {
		r.Status, r.Error, r.cause = "failed", publicReason(err), err
	}
	return r
}
