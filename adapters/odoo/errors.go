package odoo

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
)

// The kinds of failure, matched with errors.Is on what a Client returns. ErrConcurrency, ErrUnavailable
// and ErrCircuitOpen are retryable (Retryable); the others are permanent for the payload that caused them.
var (
	// ErrAuthentication: the login or API key was refused (wrong, revoked or expired key).
	ErrAuthentication = errors.New("authentication refused")
	// ErrAccess: the user lacks an access right, or the method is private.
	ErrAccess = errors.New("access error")
	// ErrValidation: a business rule or a constraint refused the values.
	ErrValidation = errors.New("validation error")
	// ErrUser: Odoo refused the operation in its current state (e.g. posting a bill with no date).
	ErrUser = errors.New("user error")
	// ErrMissing: a record does not exist or has been deleted.
	ErrMissing = errors.New("record missing")
	// ErrNotFound: no such model or method.
	ErrNotFound = errors.New("model or method not found")
	// ErrInvalid: the call does not fit the method or the model (unknown field, bad parameter): a
	// mistake in the request or a field this version does not have.
	ErrInvalid = errors.New("invalid request")
	// ErrConcurrency: a lock or serialization failure outlived Odoo's own retries; the transaction was
	// rolled back, so the call can be repeated.
	ErrConcurrency = errors.New("concurrent update")
	// ErrUnavailable: Odoo could not be reached or answered 5xx, or the request timed out.
	ErrUnavailable = errors.New("unavailable")
	// ErrCircuitOpen: recent calls kept failing, so this one was not sent.
	ErrCircuitOpen = errors.New("circuit open")
	// ErrServer: another server error Odoo reported.
	ErrServer = errors.New("server error")
)

// Error is a failure Odoo reported: its exception's name and message, and the HTTP status (JSON-2's
// status, or that of an answer that did not come from Odoo's RPC layer, such as a proxy's 502).
type Error struct {
	Model, Method string
	// Name is error.data.name (JSON-RPC) or the body's name (JSON-2), e.g.
	// "odoo.exceptions.ValidationError"; empty for an answer that was not Odoo's.
	Name    string
	Message string
	Status  int
}

func (e *Error) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "odoo: %s.%s", e.Model, e.Method)
	if e.Name != "" {
		fmt.Fprintf(&b, ": %s", e.Name)
	}
	if e.Status != 0 && e.Status != 200 {
		fmt.Fprintf(&b, " (HTTP %d)", e.Status)
	}
	if e.Message != "" {
		fmt.Fprintf(&b, ": %s", e.Message)
	}
	return b.String()
}

// Is matches the error's kind (ErrValidation, ErrConcurrency, …).
func (e *Error) Is(target error) bool { return e.Kind() == target }

// Kind is the sentinel that classifies the error.
func (e *Error) Kind() error {
	n := e.Name
	switch {
	case has(n, "SerializationFailure", "LockNotAvailable", "DeadlockDetected", "LockError", "TransactionRollbackError") ||
		e.Status == 409:
		return ErrConcurrency
	case has(n, "AccessDenied", "Unauthorized", "SessionExpired") || e.Status == 401:
		return ErrAuthentication
	case has(n, "AccessError") || e.Status == 403:
		return ErrAccess
	case has(n, "MissingError"):
		return ErrMissing
	case has(n, "ValidationError", "IntegrityError"):
		return ErrValidation
	case has(n, "UserError", "RedirectWarning"):
		return ErrUser
	case has(n, "werkzeug.exceptions.NotFound") || e.Status == 404: // 404 text/html: a wrong database on JSON-2
		return ErrNotFound
	case has(n, "ValueError", "TypeError", "KeyError", "AttributeError", "UnprocessableEntity", "BadRequest",
		"UnsupportedMediaType") || e.Status == 400 || e.Status == 415 || e.Status == 422:
		return ErrInvalid
	case e.Status >= 500: // the server or what stands before it: a later try may pass
		return ErrUnavailable
	}
	return ErrServer
}

func has(name string, parts ...string) bool {
	for _, p := range parts {
		if strings.Contains(name, p) {
			return true
		}
	}
	return false
}

// Retryable reports whether a later try of the same call may succeed: a concurrency failure, Odoo
// unreachable or answering 5xx, a timeout, or the circuit open. A cancelled context is not retryable.
func Retryable(err error) bool {
	if err == nil || errors.Is(err, context.Canceled) {
		return false
	}
	return errors.Is(err, ErrConcurrency) || errors.Is(err, ErrUnavailable) || errors.Is(err, ErrCircuitOpen)
}

// notApplied reports whether a failed call surely changed nothing, so that even a create may be sent
// again: Odoo rolled the transaction back, the connection was never made, or the call was not sent.
func notApplied(err error) bool {
	if errors.Is(err, ErrConcurrency) || errors.Is(err, ErrCircuitOpen) {
		return true
	}
	var op *net.OpError
	if errors.As(err, &op) && op.Op == "dial" {
		return true
	}
	var e *Error
	return errors.As(err, &e) && e.Status == 503
}
