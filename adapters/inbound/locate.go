package inbound

import (
	"bytes"
	"encoding/json"
	"reflect"
	"slices"
	"strconv"
	"strings"
)

var unmarshalerType = reflect.TypeFor[json.Unmarshaler]()

// locate finds the JSON pointer of the member of raw that does not decode into a value of type t, for
// the errors encoding/json reports without a path (a value's own UnmarshalJSON failing: an instant, a
// quantity). It returns prefix when no member can be blamed.
func locate(t reflect.Type, raw json.RawMessage, prefix string) string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if reflect.PointerTo(t).Implements(unmarshalerType) {
		return prefix
	}
	switch t.Kind() {
	case reflect.Struct:
		var obj map[string]json.RawMessage
		if json.Unmarshal(raw, &obj) != nil {
			return prefix
		}
		keys := make([]string, 0, len(obj))
		for k := range obj {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			f, ok := fieldByJSONName(t, k)
			if !ok {
				return prefix + "/" + escapePointer(k)
			}
			if !decodes(f.Type, obj[k]) {
				return locate(f.Type, obj[k], prefix+"/"+escapePointer(k))
			}
		}
	case reflect.Slice, reflect.Array:
		var arr []json.RawMessage
		if json.Unmarshal(raw, &arr) != nil {
			return prefix
		}
		for i, v := range arr {
			if !decodes(t.Elem(), v) {
				return locate(t.Elem(), v, prefix+"/"+strconv.Itoa(i))
			}
		}
	case reflect.Map:
		var obj map[string]json.RawMessage
		if json.Unmarshal(raw, &obj) != nil {
			return prefix
		}
		for k, v := range obj {
			if !decodes(t.Elem(), v) {
				return locate(t.Elem(), v, prefix+"/"+escapePointer(k))
			}
		}
	}
	return prefix
}

// decodes reports whether raw decodes into a value of type t as the canonical JSON API decodes it.
func decodes(t reflect.Type, raw json.RawMessage) bool {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	dec.UseNumber()
	return dec.Decode(reflect.New(t).Interface()) == nil
}

// fieldByJSONName finds the exported field encoding/json would fill from key (exact tag name, else the
// field name regardless of case).
func fieldByJSONName(t reflect.Type, key string) (reflect.StructField, bool) {
	for i := range t.NumField() {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" {
			continue
		}
		if name == key || (name == "" && strings.EqualFold(f.Name, key)) {
			return f, true
		}
	}
	return reflect.StructField{}, false
}

func escapePointer(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "~", "~0"), "/", "~1")
}
