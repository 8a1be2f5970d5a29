package odoosim

import (
	"fmt"
	"net/http"
	"strings"
)

// Error is an Odoo error as the server reports it: Name is the exception's qualified class name
// (JSON-RPC error.data.name, JSON-2 name), Message its text and Status the HTTP status JSON-2 answers
// with. Direct calls (Server.Call, Server.Create) return it as the Go error.
type Error struct {
	Name    string
	Message string
	Status  int
}

// Error reads as Odoo's log line does: "odoo.exceptions.UserError: Object x doesn't exist".
func (e *Error) Error() string {
	return e.Name + ": " + e.Message
}

// arguments is the exception's args: the message, and for werkzeug errors the status too.
func (e *Error) arguments() []any {
	if strings.HasPrefix(e.Name, "werkzeug.") {
		return []any{e.Message, e.Status}
	}
	return []any{e.Message}
}

// debug is a traceback-shaped text, as Odoo puts the server's traceback in every error.
func (e *Error) debug() string {
	return "Traceback (most recent call last):\n" +
		"  File \"/usr/lib/python3/dist-packages/odoo/http.py\", line 1, in _serve_db\n" +
		"    (simulated by crossdock odoosim)\n" +
		e.Name + ": " + e.Message + "\n"
}

// body is the error object: JSON-2's response body and JSON-RPC's error.data.
func (e *Error) body() map[string]any {
	return map[string]any{
		"name":      e.Name,
		"message":   e.Message,
		"arguments": e.arguments(),
		"context":   map[string]any{},
		"debug":     e.debug(),
	}
}

// Exception class names, as Odoo serializes them.
const (
	nameUserError       = "odoo.exceptions.UserError"
	nameValidationError = "odoo.exceptions.ValidationError"
	nameAccessError     = "odoo.exceptions.AccessError"
	nameAccessDenied    = "odoo.exceptions.AccessDenied"
	nameMissingError    = "odoo.exceptions.MissingError"
	nameValueError      = "builtins.ValueError"
	nameTypeError       = "builtins.TypeError"
	nameAttributeError  = "builtins.AttributeError"
	nameSerialization   = "psycopg2.errors.SerializationFailure"
	nameOperationalErr  = "psycopg2.OperationalError"
	nameJSONDecodeError = "json.decoder.JSONDecodeError"
	nameUnauthorized    = "werkzeug.exceptions.Unauthorized"
	nameNotFound        = "werkzeug.exceptions.NotFound"
	nameUnprocessable   = "werkzeug.exceptions.UnprocessableEntity"
	nameBadRequest      = "werkzeug.exceptions.BadRequest"
	nameMethodNotAllow  = "werkzeug.exceptions.MethodNotAllowed"
)

func newError(name string, status int, format string, a ...any) *Error {
	msg := format
	if len(a) > 0 {
		msg = fmt.Sprintf(format, a...)
	}
	return &Error{Name: name, Message: msg, Status: status}
}

// The statuses are those of Odoo 19's JSON-2 (exception http_status, or 500 for non-Odoo exceptions).

func userError(format string, a ...any) *Error {
	return newError(nameUserError, http.StatusUnprocessableEntity, format, a...)
}

func validationError(format string, a ...any) *Error {
	return newError(nameValidationError, http.StatusUnprocessableEntity, format, a...)
}

func accessError(format string, a ...any) *Error {
	return newError(nameAccessError, http.StatusForbidden, format, a...)
}

func valueError(format string, a ...any) *Error {
	return newError(nameValueError, http.StatusInternalServerError, format, a...)
}

func typeError(format string, a ...any) *Error {
	return newError(nameTypeError, http.StatusInternalServerError, format, a...)
}

func accessDenied() *Error {
	return newError(nameAccessDenied, http.StatusForbidden, "Access Denied")
}

func serializationFailure() *Error {
	return newError(nameSerialization, http.StatusInternalServerError, "could not serialize access due to concurrent update")
}

func unprocessable(format string, a ...any) *Error {
	return newError(nameUnprocessable, http.StatusUnprocessableEntity, format, a...)
}

func badRequest(format string, a ...any) *Error {
	return newError(nameBadRequest, http.StatusBadRequest, format, a...)
}

// missingError names the missing records as Odoo does: "purchase.order(99,)" for one, "(98, 99)" for more.
func missingError(model string, ids []int64, uid int64) *Error {
	return newError(nameMissingError, http.StatusNotFound,
		"Record does not exist or has been deleted.\n(Record: %s%s, User: %d)", model, pyTuple(ids), uid)
}

// invalidField is the ValueError of a field name the model (in this version) does not have.
func invalidField(model, field string) *Error {
	return valueError("Invalid field %s on model %s", pyRepr(field), pyRepr(model))
}

// notNull is the ValidationError Odoo makes of a NOT NULL violation.
func notNull(m *model, f *field) *Error {
	return validationError("The operation cannot be completed:\n"+
		"- Create/update: a mandatory field is not set.\n"+
		"- Delete: another model requires the record being deleted. If possible, archive it instead.\n\n"+
		"Model: %s (%s)\nField: %s (%s)\n", m.description, m.name, f.label, f.name)
}

// foreignKey is the ValidationError Odoo makes of a foreign key violation, whichever side caused it.
func foreignKey(m *model, f *field) *Error {
	return validationError("The operation cannot be completed: another model requires the record being "+
		"deleted. If possible, archive it instead.\n\nModel: %s (%s)\nConstraint: %s_%s_fkey\n",
		m.description, m.name, strings.ReplaceAll(m.name, ".", "_"), f.name)
}

// denied is the AccessError of a missing access right.
func deniedError(m *model, op string) *Error {
	verb := map[string]string{opRead: "access", opWrite: "modify", opCreate: "create", opUnlink: "delete"}[op]
	return accessError("You are not allowed to %s '%s' (%s) records.\n\n"+
		"Contact your administrator to request access if necessary.", verb, m.description, m.name)
}

// pyTuple formats ids as Python formats a tuple of ints.
func pyTuple(ids []int64) string {
	parts := make([]string, len(ids))
	for i, id := range ids {
		parts[i] = fmt.Sprint(id)
	}
	if len(ids) == 1 {
		return "(" + parts[0] + ",)"
	}
	return "(" + strings.Join(parts, ", ") + ")"
}

// pyRepr quotes a string as Python's repr does for plain text.
func pyRepr(s string) string {
	if strings.Contains(s, "'") && !strings.Contains(s, `"`) {
		return `"` + s + `"`
	}
	return "'" + strings.ReplaceAll(s, "'", `\'`) + "'"
}
