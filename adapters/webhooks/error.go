package webhooks

import "strings"

// Error is a webhook body that cannot be mapped: the JSON pointer (RFC 6901) of the offending value and
// what is wrong with it. Pointer is "" when the body as a whole is at fault (not JSON, not an object).
type Error struct {
	Pointer string
	Reason  string
}

// Error says where and what: "/result/tracking_details/3/datetime: not an RFC 3339 instant".
func (e *Error) Error() string {
	if e.Pointer == "" {
		return e.Reason
	}
	return e.Pointer + ": " + e.Reason
}

var pointerEscaper = strings.NewReplacer("~", "~0", "/", "~1")

// pointerTo extends the pointer parent with one reference token.
func pointerTo(parent, token string) string {
	return parent + "/" + pointerEscaper.Replace(token)
}
