package webhooks

import (
	"fmt"
	"strings"

	"github.com/crossdock-hub/crossdock/domain/shipment"
)

// statusTable maps a provider's status codes onto canonical statuses. Codes are compared normalised
// (lower case, without '_', '-' and spaces), so "InTransit", "in_transit" and "IN TRANSIT" are one code:
// providers are not consistent in their own spelling across API versions.
type statusTable struct {
	provider string
	codes    map[string]string
}

func newStatusTable(provider string, codes map[string]string) statusTable {
	t := statusTable{provider: provider, codes: make(map[string]string, len(codes))}
	for code, status := range codes {
		t.codes[normalizeCode(code)] = status
	}
	return t
}

func normalizeCode(code string) string {
	return strings.Map(func(r rune) rune {
		switch r {
		case '_', '-', ' ':
			return -1
		}
		return r
	}, strings.ToLower(strings.TrimSpace(code)))
}

// lookup gives code's canonical status, or StatusUnknown with a warning at ptr.
func (t statusTable) lookup(r *reader, code, ptr string) string {
	if s, ok := t.codes[normalizeCode(code)]; ok {
		return s
	}
	if code == "" {
		r.warn(ptr, "no status: recorded as "+shipment.StatusUnknown)
	} else {
		r.warn(ptr, fmt.Sprintf("%s status %q has no canonical meaning: recorded as %s",
			t.provider, code, shipment.StatusUnknown))
	}
	return shipment.StatusUnknown
}
