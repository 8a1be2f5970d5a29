// Package admin is the operators' HTTP API: the partner registry (profiles, tokens, webhook secrets),
// the messages waiting in quarantine or parked for a mapping, their replay, and purchase orders placed
// by hand. Register mounts it on the /api/v1 group:
//
//	GET    /api/v1/admin/partners                                  every partner's profile
//	GET    /api/v1/admin/partners/{id}                             one profile, in the shape PUT takes
//	PUT    /api/v1/admin/partners/{id}                             make the profile so (JSON or YAML body)
//	GET    /api/v1/admin/partners/{id}/tokens                      the partner's tokens, never their hashes
//	POST   /api/v1/admin/partners/{id}/tokens                      issue a token {kinds, expires_at}: 201, shown once
//	POST   /api/v1/admin/partners/{id}/tokens/{token_id}/rotate    replace a token: 201, shown once
//	DELETE /api/v1/admin/partners/{id}/tokens/{token_id}           revoke a token (?reason=...)
//	PUT    /api/v1/admin/partners/{id}/webhook-secrets/{format}    set an HMAC secret (text/plain body)
//	DELETE /api/v1/admin/partners/{id}/webhook-secrets/{format}    remove it
//	GET    /api/v1/admin/messages?status=parked|rejected&partner=P quarantined or parked messages
//	POST   /api/v1/admin/messages/{id}/replay                      process an archived message again
//	POST   /api/v1/admin/orders                                    place a purchase order (canonical JSON)
//
// Every route needs the admin bearer token (Config.Token), which the package keeps only as its SHA-256
// and compares in constant time. The token is shared by the operators, so it says nothing about who
// made a change: the optional X-Crossdock-Actor header names the person for the audit trail (events
// are recorded with actor "admin:<name>", or "admin" without it). It is a label, not an identity.
//
// Errors are RFC 9457 problems (adapters/problem) naming the field at fault by JSON pointer, and by line
// for a profile body. A partner change is followed by a Sync of the partner directory, so the next
// request, here or on the ingest routes of the same process, sees it.
package admin
