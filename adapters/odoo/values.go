package odoo

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"github.com/shopspring/decimal"
)

// DatetimeLayout is how Odoo writes a datetime: in UTC, without a zone.
const DatetimeLayout = "2006-01-02 15:04:05"

// DateLayout is how Odoo writes a date.
const DateLayout = "2006-01-02"

// Record is a record as Odoo sends it: each field's JSON value. Decode its fields with Fields.
type Record map[string]json.RawMessage

// ID is the record's id (0 when it was not read).
func (r Record) ID() int64 {
	f := r.Fields()
	return f.Int("id")
}

// Fields returns a reader of the record's fields. The first field that cannot be decoded stops the
// reading: every later read answers the zero value, and Err says which field and why.
func (r Record) Fields() *Fields { return &Fields{rec: r} }

// Ref is a many2one's value: the record's id and display name. A zero ID is an empty value.
type Ref struct {
	ID   int64
	Name string
}

// Fields decodes a Record's fields. Every field may be false, Odoo's empty value: it reads as the
// type's zero value (0, "", zero time, a zero Ref, nil ids).
type Fields struct {
	rec Record
	err error
}

// Err is the first decoding failure, naming the field.
func (f *Fields) Err() error { return f.err }

func (f *Fields) raw(field string) (json.RawMessage, bool) {
	if f.err != nil {
		return nil, false
	}
	v, ok := f.rec[field]
	if !ok {
		f.err = fmt.Errorf("field %q was not read", field)
		return nil, false
	}
	v = bytes.TrimSpace(v)
	if isFalse(v) {
		return nil, false
	}
	return v, true
}

func (f *Fields) fail(field string, v json.RawMessage, want string, err error) {
	f.err = fmt.Errorf("field %q: %s is not %s", field, truncate(v), want)
	if err != nil {
		f.err = fmt.Errorf("%w: %w", f.err, err)
	}
}

// String reads a char, text, selection or html field.
func (f *Fields) String(field string) string {
	v, ok := f.raw(field)
	if !ok {
		return ""
	}
	var s string
	if err := json.Unmarshal(v, &s); err != nil {
		f.fail(field, v, "a string", nil)
	}
	return s
}

// Bool reads a boolean field (false is false, not empty).
func (f *Fields) Bool(field string) bool {
	v, ok := f.raw(field)
	if !ok {
		return false
	}
	var b bool
	if err := json.Unmarshal(v, &b); err != nil {
		f.fail(field, v, "a boolean", nil)
	}
	return b
}

// Int reads an integer field or an id.
func (f *Fields) Int(field string) int64 {
	v, ok := f.raw(field)
	if !ok {
		return 0
	}
	n, err := strconv.ParseInt(string(v), 10, 64)
	if err != nil {
		// 3.0 is an integer too (JSON numbers from Python floats).
		d, derr := decimal.NewFromString(string(v))
		if derr != nil || !d.IsInteger() {
			f.fail(field, v, "an integer", nil)
			return 0
		}
		n = d.IntPart()
	}
	return n
}

// Decimal reads a float or monetary field from its JSON text, so 0.1 stays 0.1.
func (f *Fields) Decimal(field string) decimal.Decimal {
	v, ok := f.raw(field)
	if !ok {
		return decimal.Zero
	}
	d, err := decimal.NewFromString(string(v))
	if err != nil {
		f.fail(field, v, "a number", nil)
	}
	return d
}

// Many2One reads a many2one field: [id, "display name"] (or a bare id, as some methods answer).
func (f *Fields) Many2One(field string) Ref {
	v, ok := f.raw(field)
	if !ok {
		return Ref{}
	}
	var pair []json.RawMessage
	if err := json.Unmarshal(v, &pair); err != nil {
		var id int64
		if err := json.Unmarshal(v, &id); err != nil {
			f.fail(field, v, "a many2one", nil)
		}
		return Ref{ID: id}
	}
	var ref Ref
	if len(pair) != 2 || json.Unmarshal(pair[0], &ref.ID) != nil || json.Unmarshal(pair[1], &ref.Name) != nil {
		f.fail(field, v, `a many2one [id, "name"]`, nil)
		return Ref{}
	}
	return ref
}

// IDs reads a one2many or many2many field: a list of ids.
func (f *Fields) IDs(field string) []int64 {
	v, ok := f.raw(field)
	if !ok {
		return nil
	}
	var ids []int64
	if err := json.Unmarshal(v, &ids); err != nil {
		f.fail(field, v, "a list of ids", nil)
	}
	return ids
}

// Time reads a datetime ("YYYY-MM-DD HH:MM:SS", UTC) or a date field.
func (f *Fields) Time(field string) time.Time {
	v, ok := f.raw(field)
	if !ok {
		return time.Time{}
	}
	var s string
	if err := json.Unmarshal(v, &s); err != nil {
		f.fail(field, v, "a datetime", nil)
		return time.Time{}
	}
	t, err := ParseTime(s)
	if err != nil {
		f.fail(field, v, "a datetime", err)
	}
	return t
}

// ParseTime reads Odoo's datetime or date text as a UTC instant.
func ParseTime(s string) (time.Time, error) {
	layout := DatetimeLayout
	if len(s) == len(DateLayout) {
		layout = DateLayout
	}
	return time.ParseInLocation(layout, s, time.UTC)
}

// FormatTime writes an instant as Odoo's datetime text (UTC).
func FormatTime(t time.Time) string { return t.UTC().Format(DatetimeLayout) }

func isFalse(v json.RawMessage) bool { return string(v) == "false" || string(v) == "null" }

func truncate(v json.RawMessage) string {
	if len(v) > 60 {
		return string(v[:57]) + "..."
	}
	return string(v)
}
