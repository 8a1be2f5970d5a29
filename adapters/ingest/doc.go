// Package ingest is the HTTP way in for partner documents. Its first route:
//
//	POST /api/v1/asn
//	Authorization: Bearer <partner token>
//	Content-Type: application/json
//	Idempotency-Key: <the partner's message ID>   (optional; else the body's "message_id", if any)
//	X-Correlation-ID: <id>                        (optional; generated when absent, always echoed)
//
// takes a canonical JSON advance ship notice (see testdata/asn.json) and answers:
//
//	201 {"message_id", "stream_id", "stream_version", "events": [ids], "duplicate", "outcome"}
//	    the first ASN of its shipment was recorded
//	200 the same body: the ASN revised an earlier one, or carried content already recorded (no event)
//	400 problem+json: the body is not JSON
//	401 problem+json: no or unknown token (with WWW-Authenticate)
//	409 problem+json: the message ID was already used for another body
//	413 problem+json: the body is larger than Config.MaxBodyBytes
//	415 problem+json: the body is not application/json
//	422 problem+json: the ASN is invalid; "errors" lists each problem with its JSON pointer
//	500 problem+json: Crossdock failed; send the same message again
//
// Every authenticated JSON body within the size limit is archived before it is even parsed (a body refused
// with 401, 413 or 415 was never read as a document, and is not kept). A message that
// was already answered (same partner and Idempotency-Key, or same partner and body) gets its original
// answer again, byte for byte, with "Crossdock-Duplicate: true", and nothing is recorded twice. Rejected
// bodies stay in the archive's quarantine with the reason.
package ingest
