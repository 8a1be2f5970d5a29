package admin

import (
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/crossdock-hub/crossdock/adapters/problem"
	"github.com/crossdock-hub/crossdock/domain/partner"
	"github.com/crossdock-hub/crossdock/eventstore"
)

// registryProblem turns the error of a registry command into what the operator is told. An error that
// is Crossdock's own (the store failed) is returned as it is, for the server's error handler to log and
// answer 500 without its details.
func registryProblem(err error, partnerID, tokenID string, where func(pointer string) string) error {
	if ve, ok := errors.AsType[*partner.ValidationError](err); ok {
		return invalid("the request breaks the partner registry's rules", violations(ve.Violations, where)...)
	}
	switch {
	case errors.Is(err, partner.ErrNotRegistered):
		return problem.New(http.StatusNotFound, fmt.Sprintf("partner %q is not registered: PUT its profile first", partnerID))
	case errors.Is(err, partner.ErrUnknownToken):
		return problem.New(http.StatusNotFound, fmt.Sprintf("partner %q has no token %q", partnerID, tokenID))
	case errors.Is(err, partner.ErrTokenRevoked):
		return problem.New(http.StatusConflict, fmt.Sprintf("token %q of partner %q is revoked: issue a new one", tokenID, partnerID))
	case errors.Is(err, partner.ErrTokenExpired):
		return problem.New(http.StatusConflict, fmt.Sprintf("token %q of partner %q has expired: issue a new one", tokenID, partnerID))
	case errors.Is(err, eventstore.ErrConcurrency):
		return problem.New(http.StatusConflict, fmt.Sprintf("partner %q was changed by someone else at the same time; try again", partnerID))
	}
	return err
}

// violations lists a registry's broken rules as problem fields; where, when given, places a pointer in
// the request body.
func violations(vs []partner.Violation, where func(pointer string) string) []problem.FieldError {
	out := make([]problem.FieldError, len(vs))
	for i, v := range vs {
		out[i] = problem.FieldError{Pointer: v.Field, Detail: v.Reason}
		if where != nil {
			out[i].Where = where(v.Field)
		}
	}
	return out
}

// invalid is a 422 problem about the request (not a partner's document).
func invalid(detail string, errs ...problem.FieldError) *problem.Problem {
	p := problem.Invalid(detail, errs...)
	p.Type = "https://crossdock.dev/problems/invalid-request"
	p.Title = "Invalid request"
	return p
}

// registeredID is the partner ID of the path, which must be a valid one: a change to a partner that
// cannot exist is a 404 like a change to one that does not.
func registeredID(c echo.Context) (string, *problem.Problem) {
	id := c.Param("id")
	if partner.ValidateID(id) != nil {
		return "", notFound("no partner %q", id)
	}
	return id, nil
}

func notFound(format string, args ...any) *problem.Problem {
	return problem.New(http.StatusNotFound, fmt.Sprintf(format, args...))
}

// readBody reads the request body, up to the configured size.
func (a *Admin) readBody(c echo.Context) ([]byte, *problem.Problem) {
	req := c.Request()
	tooLarge := problem.New(http.StatusRequestEntityTooLarge, fmt.Sprintf("the body is larger than %d bytes", a.maxBody))
	if req.ContentLength > a.maxBody {
		return nil, tooLarge
	}
	body, err := io.ReadAll(http.MaxBytesReader(c.Response(), req.Body, a.maxBody))
	if _, ok := errors.AsType[*http.MaxBytesError](err); ok {
		return nil, tooLarge
	}
	if err != nil {
		return nil, problem.New(http.StatusBadRequest, "the body could not be read")
	}
	return body, nil
}

// mediaType is the request's media type, "" when it has none.
func mediaType(c echo.Context) (string, *problem.Problem) {
	ct := c.Request().Header.Get(echo.HeaderContentType)
	if ct == "" {
		return "", nil
	}
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil {
		return "", problem.New(http.StatusUnsupportedMediaType, fmt.Sprintf("Content-Type %q cannot be read: %v", ct, err))
	}
	return mt, nil
}

func unsupported(mt string, want string) *problem.Problem {
	return problem.New(http.StatusUnsupportedMediaType, fmt.Sprintf("Content-Type %q is not accepted here; send %s", mt, want))
}
