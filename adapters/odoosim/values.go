package odoosim

import (
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Odoo's wire formats for dates and datetimes (always UTC).
const (
	datetimeLayout = "2006-01-02 15:04:05"
	dateLayout     = "2006-01-02"
)

// number reads a JSON-decoded number (float64 or json.Number) or a Go integer.
func number(v any) (float64, bool) {
	switch n := v.(type) {
	case float64:
		return n, true
	case json.Number:
		f, err := n.Float64()
		return f, err == nil
	case int:
		return float64(n), true
	case int64:
		return float64(n), true
	case int32:
		return float64(n), true
	case float32:
		return float64(n), true
	}
	return 0, false
}

// integer reads a whole number; 2.5 or "2" are not one.
func integer(v any) (int64, bool) {
	switch n := v.(type) {
	case int64:
		return n, true
	case int:
		return int64(n), true
	case json.Number:
		if i, err := n.Int64(); err == nil {
			return i, true
		}
	}
	f, ok := number(v)
	if !ok || f != math.Trunc(f) || math.Abs(f) > 1<<53 {
		return 0, false
	}
	return int64(f), true
}

// idList reads record ids: a list of integers, or one integer (Odoo's browse accepts both).
func idList(v any) ([]int64, bool) {
	switch l := v.(type) {
	case nil:
		return nil, true
	case []int64:
		return slices.Clone(l), true
	case []any:
		ids := make([]int64, 0, len(l))
		for _, e := range l {
			id, ok := integer(e)
			if !ok {
				return nil, false
			}
			ids = append(ids, id)
		}
		return ids, true
	case []int:
		ids := make([]int64, len(l))
		for i, id := range l {
			ids[i] = int64(id)
		}
		return ids, true
	}
	if id, ok := integer(v); ok {
		return []int64{id}, true
	}
	return nil, false
}

// truthy is Python's truth value of a JSON-decoded value.
func truthy(v any) bool {
	switch x := v.(type) {
	case nil:
		return false
	case bool:
		return x
	case string:
		return x != ""
	case []any:
		return len(x) > 0
	case []int64:
		return len(x) > 0
	case map[string]any:
		return len(x) > 0
	}
	if f, ok := number(v); ok {
		return f != 0
	}
	return true
}

// isFalse reports whether v is how a client spells "empty": false or null.
func isFalse(v any) bool {
	b, isBool := v.(bool)
	return v == nil || (isBool && !b)
}

// uniqueSorted returns ids sorted and without duplicates.
func uniqueSorted(ids []int64) []int64 {
	out := slices.Clone(ids)
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	n := 0
	for i, id := range out {
		if i == 0 || id != out[n-1] {
			out[n] = id
			n++
		}
	}
	return out[:n]
}

// dedupe keeps the first occurrence of each id, in order.
func dedupe(ids []int64) []int64 {
	seen := make(map[int64]bool, len(ids))
	out := make([]int64, 0, len(ids))
	for _, id := range ids {
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}

// round2 rounds a currency amount to cents.
func round2(f float64) float64 {
	return math.Round(f*100) / 100
}

// roundQty rounds a quantity to Odoo's default "Product Unit of Measure" precision, 2 digits, keeping
// float noise out of sums and differences.
func roundQty(f float64) float64 {
	return math.Round(f*100) / 100
}

// parseDatetime reads an Odoo datetime; a date alone means midnight, as Odoo's Datetime field accepts.
func parseDatetime(s string) (string, error) {
	if t, err := time.Parse(datetimeLayout, s); err == nil {
		return t.Format(datetimeLayout), nil
	}
	if t, err := time.Parse(dateLayout, s); err == nil {
		return t.Format(datetimeLayout), nil
	}
	return "", fmt.Errorf("time data %s does not match format '%%Y-%%m-%%d %%H:%%M:%%S'", pyRepr(s))
}

// parseDate reads an Odoo date; a datetime keeps its date part, as Odoo's Date field accepts.
func parseDate(s string) (string, error) {
	if t, err := time.Parse(dateLayout, s); err == nil {
		return t.Format(dateLayout), nil
	}
	if t, err := time.Parse(datetimeLayout, s); err == nil {
		return t.Format(dateLayout), nil
	}
	return "", fmt.Errorf("time data %s does not match format '%%Y-%%m-%%d'", pyRepr(s))
}

// pyFloat marshals as Python's json module writes a float: 10.0, not 10.
type pyFloat float64

// MarshalJSON keeps the decimal point a Python float always has.
func (f pyFloat) MarshalJSON() ([]byte, error) {
	b, err := json.Marshal(float64(f))
	if err != nil {
		return nil, err
	}
	if !strings.ContainsAny(string(b), ".eE") {
		b = append(b, '.', '0')
	}
	return b, nil
}

// wire prepares a result for encoding: floats become pyFloat, everything else keeps its shape.
func wire(v any) any {
	switch x := v.(type) {
	case float64:
		return pyFloat(x)
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = wire(e)
		}
		return out
	case []map[string]any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = wire(e)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = wire(e)
		}
		return out
	case []int64:
		if x == nil {
			return []int64{}
		}
	}
	return v
}

// marshal encodes a result as the server sends it.
func marshal(v any) []byte {
	b, err := json.Marshal(wire(v))
	if err != nil {
		// Results are built from maps, slices, strings, bools and finite numbers only.
		panic(fmt.Sprintf("odoosim: encode result: %v", err))
	}
	return b
}

// asDecoded gives v as a client decoding the server's JSON with encoding/json sees it.
func asDecoded(v any) any {
	var out any
	if err := json.Unmarshal(marshal(v), &out); err != nil {
		panic(fmt.Sprintf("odoosim: decode result: %v", err))
	}
	return out
}

// formatValue renders a value for an error message, close to Python's repr.
func formatValue(v any) string {
	switch x := v.(type) {
	case string:
		return pyRepr(x)
	case bool:
		if x {
			return "True"
		}
		return "False"
	case nil:
		return "None"
	}
	if i, ok := integer(v); ok {
		return strconv.FormatInt(i, 10)
	}
	if f, ok := number(v); ok {
		return strconv.FormatFloat(f, 'f', -1, 64)
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}
