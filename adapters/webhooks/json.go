package webhooks

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/shopspring/decimal"

	"github.com/crossdock-hub/crossdock/domain"
)

// object is a decoded JSON object and its pointer in the body.
type object struct {
	m   map[string]any
	ptr string
}

// at is the pointer of key in o.
func (o object) at(key string) string { return pointerTo(o.ptr, key) }

// decode reads body as one JSON object, numbers as json.Number. A leading UTF-8 byte order mark is
// skipped: some senders add one, and it says nothing.
func decode(body []byte) (object, error) {
	body = bytes.TrimPrefix(body, []byte("\xEF\xBB\xBF"))
	d := json.NewDecoder(bytes.NewReader(body))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		return object{}, &Error{Reason: "body is not JSON: " + err.Error()}
	}
	if _, err := d.Token(); !errors.Is(err, io.EOF) {
		return object{}, &Error{Reason: "body is not JSON: more than one value"}
	}
	m, ok := v.(map[string]any)
	if !ok {
		return object{}, &Error{Reason: "body must be a JSON object"}
	}
	return object{m: m}, nil
}

// reader takes typed values out of decoded objects. It keeps the first problem (Parse reports one) and
// every warning; once it failed, later reads still return zero values, so a mapper reads on without
// checking after each field and tests r.err once.
type reader struct {
	err      *Error
	warnings []string
}

func (r *reader) fail(ptr, reason string) {
	if r.err == nil {
		r.err = &Error{Pointer: ptr, Reason: reason}
	}
}

// warn notes an oddity at ptr ("" for the body as a whole, whose warning then has no prefix).
func (r *reader) warn(ptr, reason string) {
	if ptr != "" {
		reason = ptr + ": " + reason
	}
	r.warnings = append(r.warnings, reason)
}

// value is o's key; absent and null both give ok false.
func (o object) value(key string) (any, bool) {
	v, ok := o.m[key]
	return v, ok && v != nil
}

// object reads a nested object; absent or null is an error only when required.
func (r *reader) object(o object, key string, required bool) (object, bool) {
	v, ok := o.value(key)
	if !ok {
		if required {
			r.fail(o.at(key), "required")
		}
		return object{ptr: o.at(key)}, false
	}
	m, ok := v.(map[string]any)
	if !ok {
		r.fail(o.at(key), "must be an object")
		return object{ptr: o.at(key)}, false
	}
	return object{m: m, ptr: o.at(key)}, true
}

// objects reads an optional array of objects.
func (r *reader) objects(o object, key string) []object {
	v, ok := o.value(key)
	if !ok {
		return nil
	}
	a, ok := v.([]any)
	if !ok {
		r.fail(o.at(key), "must be an array")
		return nil
	}
	out := make([]object, 0, len(a))
	for i, e := range a {
		p := pointerTo(o.at(key), strconv.Itoa(i))
		m, ok := e.(map[string]any)
		if !ok {
			r.fail(p, "must be an object")
			return nil
		}
		out = append(out, object{m: m, ptr: p})
	}
	return out
}

// str reads an optional string; absent and null are "".
func (r *reader) str(o object, key string) string {
	v, ok := o.value(key)
	if !ok {
		return ""
	}
	s, ok := v.(string)
	if !ok {
		r.fail(o.at(key), "must be a string")
		return ""
	}
	return s
}

// required reads a string that must be present and not empty.
func (r *reader) required(o object, key string) string {
	s := r.str(o, key)
	if s == "" && r.err == nil {
		r.fail(o.at(key), "required")
	}
	return s
}

// boolean reads an optional boolean; absent and null are false.
func (r *reader) boolean(o object, key string) bool {
	v, ok := o.value(key)
	if !ok {
		return false
	}
	b, ok := v.(bool)
	if !ok {
		r.fail(o.at(key), "must be true or false")
	}
	return b
}

// id reads an identifier sent as a string or as a JSON integer, keeping every digit: ids beyond 2^53
// would lose their last digits as float64.
func (r *reader) id(o object, key string) string {
	v, ok := o.value(key)
	if !ok {
		return ""
	}
	switch x := v.(type) {
	case string:
		return x
	case json.Number:
		s := x.String()
		if !isInteger(s) {
			r.fail(o.at(key), fmt.Sprintf("%s is not an integer id", s))
			return ""
		}
		return s
	default:
		r.fail(o.at(key), "must be a string or an integer")
		return ""
	}
}

func isInteger(s string) bool {
	if len(s) > 0 && s[0] == '-' {
		s = s[1:]
	}
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// amount reads a decimal sent as a JSON number or a string ("148" and 148 alike, "1.5" too). Exponents are
// refused, as by domain.ParseAmount.
func (r *reader) amount(o object, key string, required bool) (decimal.Decimal, bool) {
	v, ok := o.value(key)
	if !ok {
		if required {
			r.fail(o.at(key), "required")
		}
		return decimal.Decimal{}, false
	}
	var s string
	switch x := v.(type) {
	case string:
		s = x
	case json.Number:
		s = x.String()
	default:
		r.fail(o.at(key), "must be a number or a decimal string")
		return decimal.Decimal{}, false
	}
	d, err := domain.ParseAmount(s)
	if err != nil {
		r.fail(o.at(key), fmt.Sprintf("%q is not a decimal number", s))
		return decimal.Decimal{}, false
	}
	return d, true
}

// instant reads an RFC 3339 date-time, returned in UTC.
func (r *reader) instant(o object, key string, required bool) time.Time {
	s := r.str(o, key)
	if s == "" {
		if required && r.err == nil {
			r.fail(o.at(key), "required")
		}
		return time.Time{}
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		r.fail(o.at(key), "not an RFC 3339 instant")
		return time.Time{}
	}
	return t.UTC()
}

// Layouts of date-times written without a UTC offset.
var localLayouts = []string{"2006-01-02T15:04:05.999999999", "2006-01-02 15:04:05.999999999"}

// wallClock reads a date-time that may lack a UTC offset. With an offset it is an instant, and local is
// "". Without one, local is the text as written and the instant is its wall clock read as UTC, with a
// warning saying so. A bare date (2006-01-02) is midnight UTC of that day, with no warning: it names a
// day, not a moment.
func (r *reader) wallClock(o object, key string, required bool) (at time.Time, local string) {
	s := r.str(o, key)
	if s == "" {
		if required && r.err == nil {
			r.fail(o.at(key), "required")
		}
		return time.Time{}, ""
	}
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t.UTC(), ""
	}
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return t, ""
	}
	for _, layout := range localLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			r.warn(o.at(key), fmt.Sprintf("%q has no UTC offset: read as UTC", s))
			return t, s
		}
	}
	r.fail(o.at(key), "not an ISO 8601 date-time")
	return time.Time{}, ""
}
