package queries

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
)

// errInternal is what a client sees in place of a reader error that is not public.
var errInternal = errors.New("internal error; the server log has the details")

// errorPolicy decides what a client learns about a reader error, and logs what it does not.
type errorPolicy struct {
	logger      *slog.Logger
	publicError func(error) bool
}

// clientError returns the error the client sees for err from the query named what; attrs describe the
// query in the log.
func (e errorPolicy) clientError(ctx context.Context, err error, what string, attrs ...any) error {
	switch {
	case e.publicError(err):
		return err
	case errors.Is(err, context.Canceled) && ctx.Err() != nil:
		// The client went away or the server is shutting down: nothing to log, nobody to tell.
		return errors.New("request cancelled")
	case errors.Is(err, context.DeadlineExceeded):
		e.logger.WarnContext(ctx, what+" query timed out", append([]any{"error", err}, attrs...)...)
		return fmt.Errorf("the %s query timed out", what)
	default:
		e.logger.ErrorContext(ctx, what+" query failed", append([]any{"error", err}, attrs...)...)
		return errInternal
	}
}
