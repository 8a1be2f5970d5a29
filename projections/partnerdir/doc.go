// Package partnerdir is the partner directory: an in-memory read model of the partner registry
// (domain/partner), kept current from the partner events in the store, that answers the questions every
// inbound request asks first: whose token is this and what may it send (Authenticate), which partner is
// this X12 sender (ByISA, ByGS), this GLN, DUNS or SCAC, what is its profile and crosswalk, and with what
// secret are its webhooks signed (WebhookSecret).
//
// It is not a runner projection (projections.Runner writes SQL read models): the registry is small and
// read on every request, so it is folded into memory at start-up (Sync) and followed live (Run). A
// command that changes a partner calls Sync before answering, so the next request sees the change.
//
// Every lookup fails closed: a revoked or expired token, a partner outside its effective dates, an
// identifier two active partners claim, or a partner whose stream could not be read, is "not found".
package partnerdir
