package eventstore

import (
	"bytes"
	"encoding/json"
	"reflect"
)

// JSONEqual reports whether a and b hold the same JSON value, whatever their whitespace and key order.
// Numbers are compared by their text, so 1.50 and 1.5 differ (decimal strings are the rule anyway).
func JSONEqual(a, b []byte) bool {
	if bytes.Equal(a, b) {
		return true
	}
	va, okA := decodeJSON(a)
	vb, okB := decodeJSON(b)
	return okA && okB && reflect.DeepEqual(va, vb)
}

func decodeJSON(b []byte) (any, bool) {
	if len(bytes.TrimSpace(b)) == 0 {
		return nil, true
	}
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		return nil, false
	}
	return v, true
}
