package admin

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"
	"go.yaml.in/yaml/v3"

	"github.com/crossdock-hub/crossdock/adapters/problem"
	"github.com/crossdock-hub/crossdock/domain"
	"github.com/crossdock-hub/crossdock/domain/partner"
)

// A profile body is one partner.Profile with its JSON names (the keys of one entry of the bootstrap
// file), as JSON or as YAML. Both are read the same way, through the YAML node tree (JSON is YAML), so
// that every error names its field by JSON pointer and its place by line and column:
//
//   - an unknown key is an error, so a typo never leaves a default in force;
//   - instants are RFC 3339, and a date alone ("2026-01-01") is midnight UTC, as in the bootstrap file;
//   - decimals are read from their text ("12", "0.5"), never through a float, and exponents are refused;
//   - credentials are not part of a profile: tokens and webhook secrets have their own routes.

// profileBody is a profile read from a request, with the tree it was read from, to place a field.
type profileBody struct {
	profile partner.Profile
	root    *yaml.Node
}

// refusedProfileKeys are keys of the bootstrap file that a profile body may not carry, and why.
var refusedProfileKeys = map[string]string{
	"tokens":          "tokens are not part of a profile: issue them with POST /partners/{id}/tokens",
	"webhook_secrets": "webhook secrets are not part of a profile: set them with PUT /partners/{id}/webhook-secrets/{format}",
}

var (
	timeType    = reflect.TypeFor[time.Time]()
	decimalType = reflect.TypeFor[decimal.Decimal]()
	profileType = reflect.TypeFor[partner.Profile]()
)

// readProfile reads a profile body; isJSON says it was sent as JSON, which must then be JSON.
func readProfile(body []byte, isJSON bool) (profileBody, *problem.Problem) {
	if len(bytes.TrimSpace(body)) == 0 {
		return profileBody{}, invalid("the body is empty: send the partner's profile")
	}
	if isJSON {
		if p := checkJSON(body); p != nil {
			return profileBody{}, p
		}
	}
	dec := yaml.NewDecoder(bytes.NewReader(body))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		return profileBody{}, invalid("the body is not a readable profile", problem.FieldError{Detail: strings.TrimPrefix(err.Error(), "yaml: ")})
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); !errors.Is(err, io.EOF) {
		return profileBody{}, invalid("the body holds more than one YAML document: send one profile")
	}
	root := &doc
	if root.Kind == yaml.DocumentNode && len(root.Content) == 1 {
		root = root.Content[0]
	}
	if root.Kind != yaml.MappingNode {
		return profileBody{}, invalid("the body must be one profile (an object)", problem.FieldError{Pointer: "", Where: where(root), Detail: "is not an object"})
	}

	w := &walker{}
	for i := 0; i+1 < len(root.Content); i += 2 {
		if why, refused := refusedProfileKeys[root.Content[i].Value]; refused {
			w.fail(root.Content[i], "/"+root.Content[i].Value, why)
		}
	}
	v := w.value(root, profileType, "")
	if len(w.errs) > 0 {
		return profileBody{}, invalid("the profile cannot be read", w.errs...)
	}
	canonical, err := json.Marshal(v)
	if err != nil {
		return profileBody{}, invalid("the profile cannot be read", problem.FieldError{Detail: err.Error()})
	}
	var p partner.Profile
	if err := json.Unmarshal(canonical, &p); err != nil {
		// The walker checked every value against its type; this is a value it lets through wrongly.
		return profileBody{}, invalid("the profile cannot be read", problem.FieldError{Detail: strings.TrimPrefix(err.Error(), "json: ")})
	}
	return profileBody{profile: p, root: root}, nil
}

// checkJSON reports where a JSON body stops being JSON.
func checkJSON(body []byte) *problem.Problem {
	var v any
	err := json.Unmarshal(body, &v)
	if err == nil {
		return nil
	}
	fe := problem.FieldError{Detail: strings.TrimPrefix(err.Error(), "json: ")}
	if se, ok := errors.AsType[*json.SyntaxError](err); ok {
		line, col := lineColumn(body, se.Offset-1) // Offset is just past the offending byte
		fe.Where = fmt.Sprintf("line %d, column %d", line, col)
	}
	return invalid("the body is not valid JSON", fe)
}

// lineColumn is the 1-based line and column of the byte at offset in body.
func lineColumn(body []byte, offset int64) (int, int) {
	offset = min(max(offset, 0), int64(len(body)))
	before := body[:offset]
	line := bytes.Count(before, []byte("\n")) + 1
	col := len(before) - bytes.LastIndexByte(before, '\n') // LastIndexByte is -1 on the first line
	return line, col
}

// where places a node in the body.
func where(n *yaml.Node) string {
	if n == nil || n.Line == 0 {
		return ""
	}
	return fmt.Sprintf("line %d, column %d", n.Line, n.Column)
}

// where places a JSON pointer in the body: the deepest node the pointer reaches.
func (b profileBody) where(pointer string) string {
	return where(follow(b.root, pointer))
}

func follow(n *yaml.Node, pointer string) *yaml.Node {
	if n == nil || pointer == "" {
		return n
	}
	cur := n
	for _, part := range strings.Split(strings.TrimPrefix(pointer, "/"), "/") {
		part = strings.NewReplacer("~1", "/", "~0", "~").Replace(part)
		var next *yaml.Node
		switch cur.Kind {
		case yaml.MappingNode:
			for k := 0; k+1 < len(cur.Content); k += 2 {
				if cur.Content[k].Value == part {
					next = cur.Content[k+1]
					if next.Kind == yaml.ScalarNode {
						next = cur.Content[k] // the key is where the field is, even when its value is empty
					}
					break
				}
			}
		case yaml.SequenceNode:
			if i, err := strconv.Atoi(part); err == nil && i >= 0 && i < len(cur.Content) {
				next = cur.Content[i]
			}
		}
		if next == nil {
			break
		}
		cur = next
	}
	return cur
}

// walker turns a node tree into the canonical JSON value of a Go type, checking every value against
// the type on the way, and collects what does not fit.
type walker struct {
	errs []problem.FieldError
}

func (w *walker) fail(n *yaml.Node, pointer, detail string) {
	w.errs = append(w.errs, problem.FieldError{Pointer: pointer, Where: where(n), Detail: detail})
}

// value returns the JSON value of node n as type t, or nil after recording why it does not fit.
func (w *walker) value(n *yaml.Node, t reflect.Type, ptr string) any {
	if n.Kind == yaml.AliasNode || n.Anchor != "" {
		w.fail(n, ptr, "YAML anchors and aliases are not accepted: write the value out")
		return nil
	}
	if n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null" {
		return nil
	}
	switch t {
	case timeType:
		s, ok := w.scalar(n, ptr, "a date (2006-01-02) or an RFC 3339 instant")
		if !ok {
			return nil
		}
		at, err := parseInstant(s)
		if err != nil {
			w.fail(n, ptr, err.Error())
			return nil
		}
		return at.Format(time.RFC3339Nano)
	case decimalType:
		s, ok := w.scalar(n, ptr, "a decimal number")
		if !ok {
			return nil
		}
		d, err := domain.ParseAmount(s)
		if err != nil {
			w.fail(n, ptr, fmt.Sprintf("%q is not a decimal number (digits, one '.', no exponent)", s))
			return nil
		}
		return d.String()
	}
	switch t.Kind() {
	case reflect.Pointer:
		return w.value(n, t.Elem(), ptr)
	case reflect.String:
		s, _ := w.scalar(n, ptr, "a string")
		return s
	case reflect.Int, reflect.Int64, reflect.Int32:
		s, ok := w.scalar(n, ptr, "a whole number")
		if !ok {
			return nil
		}
		i, err := strconv.Atoi(s)
		if err != nil {
			w.fail(n, ptr, fmt.Sprintf("%q is not a whole number", s))
			return nil
		}
		return i
	case reflect.Bool:
		s, ok := w.scalar(n, ptr, "true or false")
		if !ok {
			return nil
		}
		switch s {
		case "true":
			return true
		case "false":
			return false
		}
		w.fail(n, ptr, fmt.Sprintf("%q is not true or false", s))
		return nil
	case reflect.Slice:
		if n.Kind != yaml.SequenceNode {
			w.fail(n, ptr, "must be a list, not "+kindName(n))
			return nil
		}
		out := make([]any, len(n.Content))
		for i, el := range n.Content {
			out[i] = w.value(el, t.Elem(), ptr+"/"+strconv.Itoa(i))
		}
		return out
	case reflect.Map:
		if n.Kind != yaml.MappingNode {
			w.fail(n, ptr, "must be an object, not "+kindName(n))
			return nil
		}
		out := map[string]any{}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			p := ptr + "/" + escapePointer(k.Value)
			if _, dup := out[k.Value]; dup {
				w.fail(k, p, "is given twice")
				continue
			}
			out[k.Value] = w.value(v, t.Elem(), p)
		}
		return out
	case reflect.Struct:
		return w.object(n, t, ptr)
	}
	w.fail(n, ptr, "cannot be read") // a profile field of a type the walker does not know
	return nil
}

// object reads a struct from a mapping by the struct's JSON names.
func (w *walker) object(n *yaml.Node, t reflect.Type, ptr string) any {
	if n.Kind != yaml.MappingNode {
		w.fail(n, ptr, "must be an object, not "+kindName(n))
		return nil
	}
	fields, names := jsonFields(t)
	out := map[string]any{}
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		p := ptr + "/" + escapePointer(k.Value)
		if ptr == "" && refusedProfileKeys[k.Value] != "" {
			continue // reported once, by readProfile
		}
		f, known := fields[k.Value]
		switch {
		case !known:
			w.fail(k, p, fmt.Sprintf("unknown field %q (want one of %s)", k.Value, strings.Join(names, ", ")))
			continue
		case seen[k.Value]:
			w.fail(k, p, "is given twice")
			continue
		}
		seen[k.Value] = true
		out[k.Value] = w.value(v, f.Type, p)
	}
	return out
}

// scalar is the text of a scalar node; anything else is recorded as not being what want says.
func (w *walker) scalar(n *yaml.Node, ptr, want string) (string, bool) {
	if n.Kind != yaml.ScalarNode {
		w.fail(n, ptr, "must be "+want+", not "+kindName(n))
		return "", false
	}
	return n.Value, true
}

func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "an object"
	case yaml.SequenceNode:
		return "a list"
	default:
		return "a single value"
	}
}

// jsonFields returns the fields of struct t by JSON name, and the names in declaration order. Fields
// the JSON form leaves out ("-") are not fields of the body.
func jsonFields(t reflect.Type) (map[string]reflect.StructField, []string) {
	fields := map[string]reflect.StructField{}
	var names []string
	for i := range t.NumField() {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" {
			continue
		}
		if name == "" {
			name = f.Name
		}
		fields[name] = f
		names = append(names, name)
	}
	return fields, names
}

func escapePointer(s string) string {
	return strings.NewReplacer("~", "~0", "/", "~1").Replace(s)
}

// parseInstant reads a date (midnight UTC) or an RFC 3339 instant.
func parseInstant(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	for _, layout := range []string{"2006-01-02", time.RFC3339Nano} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("%q is not a date (2006-01-02) or an RFC 3339 instant", s)
}
