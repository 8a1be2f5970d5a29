// Package partner is the partner registry: who Crossdock's suppliers, warehouses (3PLs), carriers and
// sales channels are, how to recognise their messages (ISA/GS IDs, GLN, DUNS, SCAC), which channels and
// formats they send on, how their item codes and units map to Odoo's, what tolerances and service levels
// they promised, and the credentials they authenticate with.
//
// # Kept as events
//
// Each partner is the stream "partner-<id>" (StreamID). Every change is an event naming what changed
// ("partner.item_mapped.v1" for one crosswalk entry, "partner.tolerances_set.v1", ...), and the command
// that appends it records who made it (metadata actor) and when, so the question "who remapped this UPC,
// and when?" is answered by the log itself.
//
// The desired state of a partner is a Profile. Plan compares it with the State folded from the stream
// and returns the events that turn one into the other, and nothing when they already agree: applying
// the same bootstrap file (LoadProfiles) twice appends nothing.
//
// # Credentials
//
// Bearer tokens are scoped to one partner and to document kinds. IssueToken returns the clear token once;
// the events carry only its SHA-256. HMAC secrets for webhooks are sealed with AES-256-GCM under a key
// the caller supplies (Seal, Unseal) and never appear in clear in an event. A bootstrap file never holds
// a clear secret either: it gives a token's SHA-256, or the name of a CROSSDOCK_* environment variable
// that ResolveSecrets reads through a lookup function the caller passes (only cmd/crossdock reads the
// environment).
//
// # Lookups
//
// Profile.ResolveItem maps a partner's item identifiers to the Odoo product, Profile.ConvertUnit a
// partner's unit of measure to the canonical one, both at a business instant so that dated entries
// (EffectiveFrom) take effect when they should. The in-memory directory that answers "which partner is
// ISA 12/4405197800?" and "whose token is this?" is projections/partnerdir.
//
// Like the rest of domain, the package does no I/O and reads no clock: instants are passed in. Its only
// source of randomness is crypto/rand, for new tokens, token IDs and sealing nonces.
package partner
