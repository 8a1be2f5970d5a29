package odoo_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/crossdock-hub/crossdock/adapters/odoo"
)

// Every error of ODOO.md's two tables gets its kind, and only the concurrency and availability ones are
// retryable.
func TestErrorKinds(t *testing.T) {
	for _, tc := range []struct {
		name   string
		status int
		kind   error
		retry  bool
	}{
		// JSON-RPC: always HTTP 200.
		{"odoo.exceptions.AccessDenied", 200, odoo.ErrAuthentication, false},
		{"odoo.exceptions.MissingError", 200, odoo.ErrMissing, false},
		{"odoo.exceptions.AccessError", 200, odoo.ErrAccess, false},
		{"odoo.exceptions.UserError", 200, odoo.ErrUser, false},
		{"odoo.exceptions.ValidationError", 200, odoo.ErrValidation, false},
		{"builtins.ValueError", 200, odoo.ErrInvalid, false},
		{"odoo.http.SessionExpiredException", 200, odoo.ErrAuthentication, false},
		{"psycopg2.errors.SerializationFailure", 200, odoo.ErrConcurrency, true},
		{"psycopg2.errors.LockNotAvailable", 200, odoo.ErrConcurrency, true},
		{"psycopg2.errors.DeadlockDetected", 200, odoo.ErrConcurrency, true},
		// JSON-2: the status says as much as the name.
		{"werkzeug.exceptions.Unauthorized", 401, odoo.ErrAuthentication, false},
		{"odoo.exceptions.AccessError", 403, odoo.ErrAccess, false},
		{"werkzeug.exceptions.NotFound", 404, odoo.ErrNotFound, false},
		{"odoo.exceptions.MissingError", 404, odoo.ErrMissing, false},
		{"werkzeug.exceptions.UnprocessableEntity", 422, odoo.ErrInvalid, false},
		{"odoo.exceptions.ValidationError", 422, odoo.ErrValidation, false},
		{"odoo.exceptions.UserError", 422, odoo.ErrUser, false},
		{"builtins.ValueError", 500, odoo.ErrInvalid, false},
		{"builtins.TypeError", 500, odoo.ErrInvalid, false},
		{"werkzeug.exceptions.BadRequest", 400, odoo.ErrInvalid, false},
		{"LockError", 409, odoo.ErrConcurrency, true},
		{"psycopg2.errors.SerializationFailure", 500, odoo.ErrConcurrency, true},
		// Not Odoo's answer: a proxy's or a wrong database's page.
		{"", 502, odoo.ErrUnavailable, true},
		{"", 503, odoo.ErrUnavailable, true},
		{"", 504, odoo.ErrUnavailable, true},
		{"", 404, odoo.ErrNotFound, false},
		{"", 415, odoo.ErrInvalid, false},
	} {
		t.Run(fmt.Sprintf("%s_%d", tc.name, tc.status), func(t *testing.T) {
			err := fmt.Errorf("confirm PO-7001: %w", &odoo.Error{Model: "purchase.order", Method: "button_confirm", Name: tc.name, Status: tc.status})
			assert.True(t, errors.Is(err, tc.kind), "kind %v", tc.kind)
			assert.Equal(t, tc.retry, odoo.Retryable(err))
		})
	}
	assert.True(t, odoo.Retryable(fmt.Errorf("x: %w", odoo.ErrCircuitOpen)))
	assert.False(t, odoo.Retryable(nil))
}

func TestErrorText(t *testing.T) {
	err := &odoo.Error{Model: "product.product", Method: "create", Name: "odoo.exceptions.ValidationError",
		Message: "Barcode(s) already assigned: 0001", Status: 422}
	assert.Equal(t, "odoo: product.product.create: odoo.exceptions.ValidationError (HTTP 422): Barcode(s) already assigned: 0001", err.Error())
}
