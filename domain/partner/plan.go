package partner

import (
	"bytes"
	"encoding/json"
	"maps"
	"slices"
)

// Plan returns the events that turn the current state into the desired profile, in the order they must
// be appended, and none when the two already agree: applying the same profile twice appends nothing.
//
// Plan expects a desired profile that passed Validate and whose ID is the current state's (when it is
// registered); the command checks both. It compares normal forms (Normalize), so order in sets, spacing
// and case of codes, and time zones make no change. Every part of the profile is its own event, and the
// crosswalk and unit table one event per entry changed, so the log says exactly what changed:
//
//   - registered (first time) or details_set (name, roles, effective dates changed);
//   - identifiers_set, channels_set, inventory_qualifiers_set, tolerances_set, sla_set, each with the
//     whole new value, when it differs;
//   - item_unmapped for every entry the profile no longer has, then item_mapped for every new entry and
//     every entry whose product or barcode changed (with the previous target); likewise unit_unmapped /
//     unit_mapped;
//   - declared tokens (TokenDecl): token_issued for a value not seen before, token_scope_set when an
//     active token's kinds or expiry differ from its declaration, and token_revoked for the tokens a new
//     value under the same name replaces. A token revoked by an operator is never revived by a bootstrap
//     file still declaring it: its value is spent and the file needs a new one. Tokens the profile does
//     not declare are left alone.
//
// HMAC secrets need the sealing key and are planned by PlanSecrets.
func Plan(current State, desired Profile) []Event {
	d := desired.Normalize()
	var out []Event
	cur := current.Profile()

	if !current.registered {
		out = append(out, Registered{PartnerID: d.ID, Details: details(d)})
	} else if !jsonEqual(details(cur), details(d)) {
		out = append(out, DetailsSet{Details: details(d)})
	}
	if !jsonEqual(cur.Identifiers, d.Identifiers) {
		out = append(out, IdentifiersSet{Identifiers: d.Identifiers})
	}
	if !jsonEqual(cur.Channels, d.Channels) {
		out = append(out, ChannelsSet{Channels: d.Channels})
	}
	out = append(out, planItems(current, d)...)
	out = append(out, planUnits(current, d)...)
	if !maps.Equal(cur.InventoryQualifiers, d.InventoryQualifiers) {
		out = append(out, InventoryQualifiersSet{Qualifiers: d.InventoryQualifiers})
	}
	if !jsonEqual(cur.Tolerances, d.Tolerances) {
		out = append(out, TolerancesSet{Tolerances: d.Tolerances})
	}
	if cur.SLA != d.SLA {
		out = append(out, SLASet{SLA: d.SLA})
	}
	out = append(out, planTokens(current, d)...)
	return out
}

func planItems(current State, d Profile) []Event {
	want := make(map[itemKey]ItemMapping, len(d.Items))
	for _, it := range d.Items {
		want[itemKeyOf(it)] = it
	}
	var out []Event
	for _, k := range slices.SortedFunc(maps.Keys(current.items), itemKey.compare) {
		if _, keep := want[k]; !keep {
			out = append(out, ItemUnmapped{ItemMapping: current.items[k]})
		}
	}
	for _, it := range d.Items {
		had, ok := current.items[itemKeyOf(it)]
		switch {
		case !ok:
			out = append(out, ItemMapped{ItemMapping: it})
		case had.Product != it.Product || had.Barcode != it.Barcode:
			out = append(out, ItemMapped{ItemMapping: it, Previous: &had})
		}
	}
	return out
}

func planUnits(current State, d Profile) []Event {
	want := make(map[unitKey]UnitMapping, len(d.Units))
	for _, u := range d.Units {
		want[unitKeyOf(u)] = u
	}
	var out []Event
	for _, k := range slices.SortedFunc(maps.Keys(current.units), unitKey.compare) {
		if _, keep := want[k]; !keep {
			out = append(out, UnitUnmapped{UnitMapping: current.units[k]})
		}
	}
	for _, u := range d.Units {
		had, ok := current.units[unitKeyOf(u)]
		switch {
		case !ok:
			out = append(out, UnitMapped{UnitMapping: u})
		case had.Unit != u.Unit || !had.Factor.Equal(u.Factor):
			out = append(out, UnitMapped{UnitMapping: u, Previous: &had})
		}
	}
	return out
}

func planTokens(current State, d Profile) []Event {
	var out []Event
	for _, decl := range d.Tokens {
		var active, spent *Token
		for _, id := range current.order {
			t := current.tokens[id]
			if t.SHA256 != decl.SHA256 {
				continue
			}
			if !t.Revoked && active == nil {
				active = &t
			} else if t.Revoked && spent == nil {
				spent = &t
			}
		}
		switch {
		case active != nil:
			if !slices.Equal(sortedSet(active.Kinds), decl.Kinds) || !active.ExpiresAt.Equal(decl.ExpiresAt) {
				out = append(out, TokenScopeSet{TokenID: active.ID, Kinds: decl.Kinds, ExpiresAt: decl.ExpiresAt})
			}
		case spent != nil:
			// Revoked on purpose: never revived by a file that still declares it.
			continue
		default:
			out = append(out, TokenIssued{
				TokenID: DeclaredTokenID(decl.Name, decl.SHA256), Name: decl.Name, SHA256: decl.SHA256,
				Kinds: decl.Kinds, ExpiresAt: decl.ExpiresAt,
			})
		}
		// Other active tokens of the same declaration held its earlier values.
		for _, id := range current.order {
			t := current.tokens[id]
			if t.Name == decl.Name && !t.Revoked && t.SHA256 != decl.SHA256 {
				out = append(out, TokenRevoked{TokenID: t.ID, Reason: "replaced by a new value of declaration " + decl.Name})
			}
		}
	}
	return out
}

// DeclaredTokenID is the ID of the token a bootstrap declaration issues: its name and the first 16 hex
// digits of the token's SHA-256, so the same declaration with the same value always has the same ID and
// a new value gets a new one.
func DeclaredTokenID(name, sha256Hex string) string {
	return name + "-" + sha256Hex[:min(len(sha256Hex), tokenIDHashChars)]
}

// jsonEqual compares two values by their JSON encoding: the form events carry, in which decimals are
// canonical strings, instants RFC 3339 and map keys sorted.
func jsonEqual(a, b any) bool {
	ja, errA := json.Marshal(a)
	jb, errB := json.Marshal(b)
	return errA == nil && errB == nil && bytes.Equal(ja, jb)
}
