package odoosim

import (
	"cmp"
	"regexp"
	"slices"
	"strings"
)

// node is a parsed domain.
type node interface {
	eval(t *txn, id int64) bool
}

type constNode bool

func (c constNode) eval(*txn, int64) bool { return bool(c) }

type andNode []node

func (a andNode) eval(t *txn, id int64) bool {
	for _, n := range a {
		if !n.eval(t, id) {
			return false
		}
	}
	return true
}

type orNode []node

func (o orNode) eval(t *txn, id int64) bool {
	for _, n := range o {
		if n.eval(t, id) {
			return true
		}
	}
	return false
}

type notNode struct{ n node }

func (n notNode) eval(t *txn, id int64) bool { return !n.n.eval(t, id) }

// leafNode is one (path, operator, value) condition. The path may cross relational fields
// ("picking_id.purchase_id"); a leaf holds when any record at the end of the path satisfies it.
type leafNode struct {
	models []*model // the model of each path step
	path   []*field
	op     string
	value  any
}

var operators = []string{"=", "!=", "<>", ">", ">=", "<", "<=", "in", "not in", "like", "not like",
	"ilike", "not ilike", "=like", "=ilike", "=?", "child_of"}

// parentFields names the parent of each hierarchical model, for child_of (Odoo's _parent_name).
var parentFields = map[string]string{"stock.location": "location_id"}

// parseDomain reads a domain in Odoo's prefix notation: leaves [field, op, value] and the operators
// "&", "|" (two operands) and "!" (one); terms side by side are joined by an implicit "&".
func parseDomain(t *txn, m *model, domain any) (node, *Error) {
	if isFalse(domain) {
		return constNode(true), nil
	}
	items, ok := domain.([]any)
	if !ok {
		return nil, valueError("Invalid domain: %s", formatValue(domain))
	}
	p := &domainParser{t: t, m: m, items: items, raw: domain}
	var all andNode
	for p.pos < len(items) {
		n, err := p.term()
		if err != nil {
			return nil, err
		}
		all = append(all, n)
	}
	if len(all) == 0 {
		return constNode(true), nil
	}
	return all, nil
}

type domainParser struct {
	t     *txn
	m     *model
	items []any
	pos   int
	raw   any
}

func (p *domainParser) term() (node, *Error) {
	if p.pos >= len(p.items) {
		return nil, valueError("Invalid domain: %s (an operator lacks operands)", formatValue(p.raw))
	}
	item := p.items[p.pos]
	p.pos++
	switch x := item.(type) {
	case string:
		switch x {
		case "&", "|":
			a, err := p.term()
			if err != nil {
				return nil, err
			}
			b, err := p.term()
			if err != nil {
				return nil, err
			}
			if x == "&" {
				return andNode{a, b}, nil
			}
			return orNode{a, b}, nil
		case "!":
			a, err := p.term()
			if err != nil {
				return nil, err
			}
			return notNode{a}, nil
		}
	case []any:
		return parseLeaf(p.t, p.m, x)
	}
	return nil, valueError("Invalid domain term %s", formatValue(item))
}

func parseLeaf(t *txn, m *model, leaf []any) (node, *Error) {
	invalid := valueError("Invalid leaf %s", formatValue(leaf))
	if len(leaf) != 3 {
		return nil, invalid
	}
	op, ok := leaf[1].(string)
	if !ok {
		return nil, invalid
	}
	op = strings.ToLower(op)
	if !slices.Contains(operators, op) {
		return nil, invalid
	}
	if op == "<>" {
		op = "!="
	}
	if n, ok := integer(leaf[0]); ok {
		// Odoo's TRUE_LEAF (1, '=', 1) and FALSE_LEAF (0, '=', 1).
		v, _ := integer(leaf[2])
		return constNode(op == "=" && n == v), nil
	}
	path, ok := leaf[0].(string)
	if !ok || path == "" {
		return nil, invalid
	}
	l := &leafNode{op: op, value: leaf[2]}
	cur := m
	parts := strings.Split(path, ".")
	for i, name := range parts {
		f, ok := cur.fields[name]
		if !ok {
			return nil, invalidField(cur.name, name)
		}
		l.models = append(l.models, cur)
		l.path = append(l.path, f)
		if i < len(parts)-1 {
			if !f.relational() {
				return nil, invalidField(cur.name, strings.Join(parts[i:], "."))
			}
			cur = t.model(f.relation)
		}
	}
	if op == "in" || op == "not in" {
		if _, isList := l.value.([]any); !isList {
			l.value = []any{l.value}
		}
	}
	return l, nil
}

func (l *leafNode) eval(t *txn, id int64) bool {
	ids := []int64{id}
	last := len(l.path) - 1
	for i, f := range l.path[:last] {
		var next []int64
		for _, rid := range ids {
			switch v := t.value(l.models[i], rid, f).(type) {
			case int64:
				if v != 0 {
					next = append(next, v)
				}
			case []int64:
				next = append(next, v...)
			}
		}
		ids = next
	}
	f, m := l.path[last], l.models[last]
	if len(ids) == 0 {
		return l.match(t, f, f.zero())
	}
	for _, rid := range ids {
		if l.match(t, f, t.value(m, rid, f)) {
			return true
		}
	}
	return false
}

// negative operators also hold for empty values, as Odoo adds "OR field IS NULL" to them.
func negative(op string) bool {
	return op == "!=" || op == "not in" || op == "not like" || op == "not ilike"
}

func (l *leafNode) match(t *txn, f *field, v any) bool {
	if l.op == "=?" {
		if isFalse(l.value) {
			return true
		}
		return (&leafNode{op: "=", value: l.value}).match(t, f, v)
	}
	switch f.typ {
	case tOne2many, tMany2many:
		ids, _ := v.([]int64)
		if len(ids) == 0 {
			return l.matchRef(t, f, 0)
		}
		matches := func(id int64) bool { return l.matchRef(t, f, id) }
		if negative(l.op) {
			// A negative operator on an x2many holds when no linked record has the value.
			return !slices.ContainsFunc(ids, func(id int64) bool { return !matches(id) })
		}
		return slices.ContainsFunc(ids, matches)
	case tMany2one:
		id, _ := v.(int64)
		return l.matchRef(t, f, id)
	case tBoolean:
		b, _ := v.(bool)
		return l.compareWith(func(w any) (int, bool) {
			if truthy(w) == b {
				return 0, true
			}
			if b {
				return 1, true
			}
			return -1, true
		}, false)
	case tInteger, tFloat, tMonetary:
		// Stored numbers are never NULL here; "= False" matches 0, as a client asking for "unset"
		// means.
		n, _ := number(v)
		return l.compareWith(func(w any) (int, bool) {
			if isFalse(w) {
				return cmp.Compare(n, 0), true
			}
			wn, ok := number(w)
			if !ok {
				return 0, false
			}
			return cmp.Compare(n, wn), true
		}, false)
	default:
		s, _ := v.(string)
		if strings.Contains(l.op, "like") {
			return l.like(s, s == "")
		}
		return l.compareWith(func(w any) (int, bool) {
			ws, ok := w.(string)
			if !ok {
				return 0, false
			}
			return cmp.Compare(s, ws), true
		}, s == "")
	}
}

// matchRef matches a many2one (or one linked id of an x2many): by id, or by display name when the value
// is text, as Odoo runs a name search for text compared to a relational field. id 0 is empty.
func (l *leafNode) matchRef(t *txn, f *field, id int64) bool {
	if l.op == "child_of" {
		// The record or one of its ancestors is among the values (an id or a list of ids).
		roots, ok := l.value.([]any)
		if !ok {
			roots = []any{l.value}
		}
		parent := parentFields[f.relation]
		for cur, depth := id, 0; cur != 0 && depth < 100; depth++ {
			for _, r := range roots {
				if rid, ok := integer(r); ok && rid == cur {
					return true
				}
			}
			if parent == "" {
				break
			}
			cur = t.ref(f.relation, cur, parent)
		}
		return false
	}
	name := ""
	if id != 0 {
		name = t.displayName(t.model(f.relation), id)
	}
	if strings.Contains(l.op, "like") {
		return l.like(name, id == 0)
	}
	return l.compareWith(func(w any) (int, bool) {
		if ws, ok := w.(string); ok {
			if id == 0 {
				return 0, false
			}
			return cmp.Compare(name, ws), true
		}
		wid, ok := integer(w)
		if !ok {
			return 0, false
		}
		return cmp.Compare(id, wid), true
	}, id == 0)
}

// compareWith applies the leaf's comparison operator given a comparison of the record's value with one
// operand (ok false when they cannot be compared). empty is whether the record's value is NULL: it
// equals false, and satisfies every negative operator and no ordering one.
func (l *leafNode) compareWith(compare func(w any) (int, bool), empty bool) bool {
	eq := func(w any) bool {
		if isFalse(w) {
			if empty {
				return true
			}
			c, ok := compare(w)
			return ok && c == 0 && !empty
		}
		if empty {
			return false
		}
		c, ok := compare(w)
		return ok && c == 0
	}
	switch l.op {
	case "=":
		return eq(l.value)
	case "!=":
		return !eq(l.value)
	case "in", "not in":
		list, _ := l.value.([]any)
		found := slices.ContainsFunc(list, eq)
		return found == (l.op == "in")
	}
	if empty || isFalse(l.value) {
		return false
	}
	c, ok := compare(l.value)
	if !ok {
		return false
	}
	switch l.op {
	case ">":
		return c > 0
	case ">=":
		return c >= 0
	case "<":
		return c < 0
	case "<=":
		return c <= 0
	}
	return false
}

// like applies like, ilike (substring), their negations, and =like/=ilike (SQL patterns).
func (l *leafNode) like(s string, empty bool) bool {
	pattern, ok := l.value.(string)
	if !ok {
		if isFalse(l.value) {
			// ('name', 'ilike', False) is TRUE_LEAF in Odoo.
			return !negative(l.op)
		}
		pattern = formatValue(l.value)
	}
	if empty {
		return negative(l.op)
	}
	fold := strings.Contains(l.op, "ilike")
	if fold {
		s, pattern = strings.ToLower(s), strings.ToLower(pattern)
	}
	var hit bool
	if strings.HasPrefix(l.op, "=") {
		hit = sqlLike(pattern).MatchString(s)
	} else {
		hit = strings.Contains(s, pattern)
	}
	return hit != negative(l.op)
}

// sqlLike compiles a SQL LIKE pattern (% any run, _ one character).
func sqlLike(pattern string) *regexp.Regexp {
	var b strings.Builder
	b.WriteString("(?s)^")
	for _, r := range pattern {
		switch r {
		case '%':
			b.WriteString(".*")
		case '_':
			b.WriteString(".")
		default:
			b.WriteString(regexp.QuoteMeta(string(r)))
		}
	}
	b.WriteString("$")
	return regexp.MustCompile(b.String())
}

// orderTerm is one "field [asc|desc]" of an order specification.
type orderTerm struct {
	f    *field
	desc bool
}

// parseOrder reads "field [asc|desc], ..."; empty means the model's default order.
func parseOrder(m *model, order string) ([]orderTerm, *Error) {
	if strings.TrimSpace(order) == "" {
		order = m.order
	}
	invalid := valueError("Invalid \"order\" specified (%s). A valid \"order\" specification is a "+
		"comma-separated list of valid field names (optionally followed by asc/desc for the direction)", order)
	var terms []orderTerm
	for part := range strings.SplitSeq(order, ",") {
		words := strings.Fields(part)
		if len(words) == 0 || len(words) > 2 {
			return nil, invalid
		}
		f, ok := m.fields[words[0]]
		if !ok || f.x2many() {
			return nil, invalid
		}
		term := orderTerm{f: f}
		if len(words) == 2 {
			switch strings.ToLower(words[1]) {
			case "asc":
			case "desc":
				term.desc = true
			default:
				return nil, invalid
			}
		}
		terms = append(terms, term)
	}
	return terms, nil
}

// sortIDs orders ids by the terms, then by id. Empty values sort last ascending and first descending,
// as PostgreSQL sorts NULLs; a many2one sorts by the display name of its record.
func (t *txn) sortIDs(m *model, ids []int64, terms []orderTerm) {
	key := func(id int64, f *field) (any, bool) {
		v := t.value(m, id, f)
		if f.typ == tMany2one {
			ref, _ := v.(int64)
			if ref == 0 {
				return nil, true
			}
			return t.displayName(t.model(f.relation), ref), false
		}
		return v, f.isEmpty(v)
	}
	slices.SortStableFunc(ids, func(a, b int64) int {
		for _, term := range terms {
			va, ea := key(a, term.f)
			vb, eb := key(b, term.f)
			c := 0
			switch {
			case ea && eb:
			case ea:
				c = 1
			case eb:
				c = -1
			default:
				c = compareValues(va, vb)
			}
			if term.desc {
				c = -c
			}
			if c != 0 {
				return c
			}
		}
		return cmp.Compare(a, b)
	})
}

func compareValues(a, b any) int {
	switch x := a.(type) {
	case string:
		y, _ := b.(string)
		return cmp.Compare(x, y)
	case bool:
		y, _ := b.(bool)
		switch {
		case x == y:
			return 0
		case y:
			return -1
		}
		return 1
	}
	x, _ := number(a)
	y, _ := number(b)
	return cmp.Compare(x, y)
}
