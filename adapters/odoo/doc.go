// Package odoo is Crossdock's client for Odoo 16–19 (../shared/ODOO.md holds the facts it is built on).
//
// One Client talks to one Odoo database. It asks the server its version once and speaks JSON-2 to 19
// and later, JSON-RPC's execute_kw to 16–18, with an API key either way; Schema names the fields that
// differ between versions (a move's done quantity is quantity_done on 16, quantity + picked after).
// Values are decoded as Odoo sends them: false for empty, [id, "name"] for a many2one, UTC datetimes as
// "YYYY-MM-DD HH:MM:SS", quantities into decimals from the JSON text (never through a float).
//
// Every failure is an *Error typed from Odoo's error.data.name or JSON-2 status, or a transport error,
// and Retryable tells the two kinds apart: lock and serialization failures, timeouts, 5xx and a dropped
// connection are retried with jittered exponential backoff; a validation, user, access or missing-record
// error is permanent for that payload. Calls to one instance share a concurrency limit, a rate limit and
// a circuit breaker that stops calling an Odoo that keeps failing (ErrCircuitOpen) until a cool-down
// has passed.
//
// Odoo has no idempotency key: a create retried after a timeout may create a second record. Callers
// look the record up by external ID or business key before any create (see the workflows); Create
// itself is therefore never retried after the request may have reached the server.
package odoo
