package odoosim

import (
	"fmt"
	"maps"
	"slices"
	"strings"
)

// value is the internal value of one field of one record: computed, read from the inverse (one2many)
// or stored.
func (t *txn) value(m *model, id int64, f *field) any {
	if f.compute != nil {
		return f.compute(t, id)
	}
	if f.typ == tOne2many {
		return t.inverseIDs(f.relation, f.inverse, id)
	}
	if r, ok := t.row(m.name, id); ok {
		if v, ok := r[f.name]; ok {
			return v
		}
	}
	return f.zero()
}

// get reads a field by names; the field must exist in the simulated version.
func (t *txn) get(model string, id int64, name string) any {
	m := t.model(model)
	f, ok := m.fields[name]
	if !ok {
		panic(fmt.Sprintf("odoosim: %s.%s is not simulated in Odoo %d", model, name, t.s.cfg.Version))
	}
	return t.value(m, id, f)
}

// str, num, ref, refs and flag read a field as its internal type: char-like, float, many2one,
// x2many and boolean.
func (t *txn) str(model string, id int64, name string) string {
	s, _ := t.get(model, id, name).(string)
	return s
}

func (t *txn) num(model string, id int64, name string) float64 {
	f, _ := t.get(model, id, name).(float64)
	return f
}

func (t *txn) ref(model string, id int64, name string) int64 {
	r, _ := t.get(model, id, name).(int64)
	return r
}

func (t *txn) refs(model string, id int64, name string) []int64 {
	r, _ := t.get(model, id, name).([]int64)
	return r
}

func (t *txn) flag(model string, id int64, name string) bool {
	b, _ := t.get(model, id, name).(bool)
	return b
}

// inverseIDs lists the records of comodel whose many2one inverse points at id.
func (t *txn) inverseIDs(comodel, inverse string, id int64) []int64 {
	var out []int64
	for _, cid := range t.ids(comodel) {
		r, _ := t.row(comodel, cid)
		if v, _ := r[inverse].(int64); v == id {
			out = append(out, cid)
		}
	}
	return out
}

// where lists the records of a model whose stored field equals v, in id order.
func (t *txn) where(model, name string, v any) []int64 {
	var out []int64
	for _, id := range t.ids(model) {
		r, _ := t.row(model, id)
		if r[name] == v {
			out = append(out, id)
		}
	}
	return out
}

// displayName is the record's display_name: the model's own rule, its name, or "model,id".
func (t *txn) displayName(m *model, id int64) string {
	if m.display != nil {
		return m.display(t, id)
	}
	if f, ok := m.fields["name"]; ok && f.typ == tChar {
		if s, _ := t.value(m, id, f).(string); s != "" {
			return s
		}
	}
	return fmt.Sprintf("%s,%d", m.name, id)
}

// apiValue is a field's value as read over the API: false for empty, [id, display_name] for a many2one,
// ids for x2many fields.
func (t *txn) apiValue(m *model, id int64, f *field) any {
	v := t.value(m, id, f)
	switch f.typ {
	case tChar, tText, tSelection, tDate, tDatetime:
		if s, _ := v.(string); s != "" {
			return s
		}
		return false
	case tMany2one:
		ref, _ := v.(int64)
		if ref == 0 || !t.exists(f.relation, ref) {
			return false
		}
		return []any{ref, t.displayName(t.model(f.relation), ref)}
	case tOne2many, tMany2many:
		ids, _ := v.([]int64)
		if ids == nil {
			ids = []int64{}
		}
		return ids
	}
	return v
}

// missing returns MissingError when some ids do not exist.
func (t *txn) missing(m *model, ids []int64) *Error {
	var gone []int64
	for _, id := range ids {
		if !t.exists(m.name, id) {
			gone = append(gone, id)
		}
	}
	if len(gone) > 0 {
		return missingError(m.name, gone, t.uid)
	}
	return nil
}

// resolveFields maps field names to fields, failing on one the model does not have.
func resolveFields(m *model, names []string) ([]*field, *Error) {
	if len(names) == 0 {
		return m.allFields(), nil
	}
	out := make([]*field, 0, len(names)+1)
	out = append(out, m.fields["id"])
	for _, n := range names {
		f, ok := m.fields[n]
		if !ok {
			return nil, invalidField(m.name, n)
		}
		if n != "id" {
			out = append(out, f)
		}
	}
	return out, nil
}

// readRecord reads the given fields of one record, plus its id.
func (t *txn) readRecord(m *model, id int64, fields []*field) map[string]any {
	out := make(map[string]any, len(fields)+1)
	out["id"] = id
	for _, f := range fields {
		out[f.name] = t.apiValue(m, id, f)
	}
	return out
}

// coerce turns an API value into the internal value of a scalar or many2one field.
func (t *txn) coerce(m *model, f *field, v any) (any, *Error) {
	wrong := func() *Error {
		return valueError("Wrong value for %s.%s: %s", m.name, f.name, formatValue(v))
	}
	switch f.typ {
	case tChar, tText:
		if isFalse(v) {
			return "", nil
		}
		if s, ok := v.(string); ok {
			return s, nil
		}
		if _, ok := number(v); ok {
			return formatValue(v), nil
		}
		return nil, wrong()
	case tSelection:
		if isFalse(v) {
			return "", nil
		}
		s, ok := v.(string)
		if !ok || !slices.ContainsFunc(f.selection, func(o [2]string) bool { return o[0] == s }) {
			return nil, wrong()
		}
		return s, nil
	case tDate, tDatetime:
		if isFalse(v) {
			return "", nil
		}
		s, ok := v.(string)
		if !ok {
			return nil, wrong()
		}
		parse := parseDatetime
		if f.typ == tDate {
			parse = parseDate
		}
		out, err := parse(s)
		if err != nil {
			return nil, valueError("%s", err.Error())
		}
		return out, nil
	case tInteger:
		if isFalse(v) {
			return int64(0), nil
		}
		if i, ok := integer(v); ok {
			return i, nil
		}
		return nil, wrong()
	case tFloat, tMonetary:
		if isFalse(v) {
			return 0.0, nil
		}
		if n, ok := number(v); ok {
			return n, nil
		}
		return nil, wrong()
	case tBoolean:
		return truthy(v), nil
	case tMany2one:
		if isFalse(v) {
			return int64(0), nil
		}
		id, ok := integer(v)
		if !ok {
			return nil, wrong()
		}
		if id != 0 && !t.exists(f.relation, id) {
			return nil, foreignKey(m, f)
		}
		return id, nil
	}
	return nil, wrong()
}

// checkVals fails on the first field name (in sorted order) the model does not have.
func checkVals(m *model, vals map[string]any) *Error {
	for _, k := range slices.Sorted(maps.Keys(vals)) {
		if _, ok := m.fields[k]; !ok {
			return invalidField(m.name, k)
		}
	}
	return nil
}

// create inserts one record from API values, applying context defaults ("default_<field>"), field
// defaults and the model's hooks and constraints.
func (t *txn) create(m *model, vals map[string]any, ctx map[string]any) (int64, *Error) {
	if err := checkVals(m, vals); err != nil {
		return 0, err
	}
	vals = maps.Clone(vals)
	if vals == nil {
		vals = map[string]any{}
	}
	for _, f := range m.allFields() {
		if _, given := vals[f.name]; !given && f.writable() {
			if dv, ok := ctx["default_"+f.name]; ok {
				vals[f.name] = dv
			}
		}
	}
	if m.prepare != nil {
		if err := m.prepare(t, vals); err != nil {
			return 0, err
		}
	}
	r := row{}
	var x2many []*field
	for _, f := range m.allFields() {
		if !f.writable() {
			continue
		}
		v, given := vals[f.name]
		if f.x2many() {
			if given {
				x2many = append(x2many, f)
			}
			continue
		}
		if !given {
			if f.def != nil {
				r[f.name] = f.def(t, vals)
			} else {
				r[f.name] = f.zero()
			}
			continue
		}
		cv, err := t.coerce(m, f, v)
		if err != nil {
			return 0, err
		}
		r[f.name] = cv
	}
	r["create_date"], r["write_date"] = t.now, t.now
	id := t.insert(m.name, r)
	for _, f := range x2many {
		if err := t.writeX2many(m, id, f, vals[f.name]); err != nil {
			return 0, err
		}
	}
	for _, f := range m.allFields() {
		if f.required && f.isEmpty(t.value(m, id, f)) {
			return 0, notNull(m, f)
		}
	}
	if m.afterWrite != nil {
		if err := m.afterWrite(t, id, slices.Sorted(maps.Keys(vals))); err != nil {
			return 0, err
		}
	}
	if m.check != nil {
		if err := m.check(t, []int64{id}); err != nil {
			return 0, err
		}
	}
	return id, nil
}

// write applies API values to existing records and stamps their write_date.
func (t *txn) write(m *model, ids []int64, vals map[string]any) *Error {
	ids = dedupe(ids)
	if err := t.missing(m, ids); err != nil {
		return err
	}
	if err := checkVals(m, vals); err != nil {
		return err
	}
	names := slices.Sorted(maps.Keys(vals))
	for _, id := range ids {
		for _, n := range names {
			f := m.fields[n]
			if !f.writable() {
				continue
			}
			if f.x2many() {
				if err := t.writeX2many(m, id, f, vals[n]); err != nil {
					return err
				}
				continue
			}
			cv, err := t.coerce(m, f, vals[n])
			if err != nil {
				return err
			}
			if f.required && f.isEmpty(cv) {
				return notNull(m, f)
			}
			t.set(m.name, id, n, cv)
		}
		t.touch(m.name, id)
		if m.afterWrite != nil {
			if err := m.afterWrite(t, id, names); err != nil {
				return err
			}
		}
	}
	if m.check != nil {
		return m.check(t, ids)
	}
	return nil
}

// writeX2many applies a list of x2many commands: [0,0,vals] create, [1,id,vals] update, [2,id,0]
// delete, [3,id,0] unlink, [4,id,0] link, [5,0,0] unlink all, [6,0,ids] replace. A bare id links.
func (t *txn) writeX2many(m *model, id int64, f *field, cmds any) *Error {
	wrong := valueError("Wrong value for %s.%s: %s", m.name, f.name, formatValue(cmds))
	if isFalse(cmds) {
		cmds = []any{[]any{5.0, 0.0, 0.0}}
	}
	list, ok := cmds.([]any)
	if !ok {
		return wrong
	}
	co := t.model(f.relation)
	current := func() []int64 { ids, _ := t.value(m, id, f).([]int64); return ids }
	link := func(cid int64) *Error {
		if !t.exists(co.name, cid) {
			return foreignKey(m, f)
		}
		if f.typ == tOne2many {
			return t.write(co, []int64{cid}, map[string]any{f.inverse: id})
		}
		if !slices.Contains(current(), cid) {
			t.set(m.name, id, f.name, append(slices.Clone(current()), cid))
		}
		return nil
	}
	unlinkOne := func(cid int64) *Error {
		if f.typ == tOne2many {
			if co.fields[f.inverse].required {
				return t.unlink(co, []int64{cid})
			}
			return t.write(co, []int64{cid}, map[string]any{f.inverse: false})
		}
		t.set(m.name, id, f.name, slices.DeleteFunc(slices.Clone(current()), func(x int64) bool { return x == cid }))
		return nil
	}
	for _, c := range list {
		if cid, ok := integer(c); ok {
			if err := link(cid); err != nil {
				return err
			}
			continue
		}
		cmd, ok := c.([]any)
		if !ok || len(cmd) == 0 {
			return wrong
		}
		op, ok := integer(cmd[0])
		if !ok {
			return wrong
		}
		var cid int64
		if len(cmd) > 1 {
			cid, _ = integer(cmd[1])
		}
		var arg any
		if len(cmd) > 2 {
			arg = cmd[2]
		}
		var err *Error
		switch op {
		case 0:
			vals, ok := arg.(map[string]any)
			if !ok {
				return wrong
			}
			if f.typ == tOne2many {
				vals = maps.Clone(vals)
				vals[f.inverse] = id
				_, err = t.create(co, vals, nil)
			} else {
				var nid int64
				if nid, err = t.create(co, vals, nil); err == nil {
					err = link(nid)
				}
			}
		case 1:
			vals, ok := arg.(map[string]any)
			if !ok {
				return wrong
			}
			err = t.write(co, []int64{cid}, vals)
		case 2:
			if f.typ == tMany2many {
				if err = unlinkOne(cid); err != nil {
					return err
				}
			}
			err = t.unlink(co, []int64{cid})
		case 3:
			err = unlinkOne(cid)
		case 4:
			err = link(cid)
		case 5, 6:
			keep := map[int64]bool{}
			var add []int64
			if op == 6 {
				var ok bool
				if add, ok = idList(arg); !ok {
					return wrong
				}
				for _, a := range add {
					keep[a] = true
				}
			}
			for _, old := range current() {
				if !keep[old] {
					if err = unlinkOne(old); err != nil {
						return err
					}
				}
			}
			for _, a := range add {
				if err = link(a); err != nil {
					return err
				}
			}
		default:
			return wrong
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// unlink deletes records, applying each many2one's ondelete (cascade, restrict, set null) to the
// records pointing at them.
func (t *txn) unlink(m *model, ids []int64) *Error {
	ids = dedupe(ids)
	if err := t.missing(m, ids); err != nil {
		return err
	}
	if m.beforeUnlink != nil {
		if err := m.beforeUnlink(t, ids); err != nil {
			return err
		}
	}
	for _, id := range ids {
		if !t.exists(m.name, id) {
			continue // removed by a cascade from an earlier id
		}
		for _, other := range slices.Sorted(maps.Keys(t.s.schema)) {
			om := t.s.schema[other]
			for _, f := range om.allFields() {
				if f.relation != m.name || f.compute != nil {
					continue
				}
				switch f.typ {
				case tMany2one:
					refs := t.where(other, f.name, id)
					if len(refs) == 0 {
						continue
					}
					switch f.onDelete {
					case onDeleteCascade:
						if err := t.unlink(om, refs); err != nil {
							return err
						}
					case onDeleteRestrict:
						return foreignKey(om, f)
					default:
						for _, ref := range refs {
							t.set(other, ref, f.name, int64(0))
						}
					}
				case tMany2many:
					for _, oid := range t.ids(other) {
						cur, _ := t.value(om, oid, f).([]int64)
						if slices.Contains(cur, id) {
							t.set(other, oid, f.name, slices.DeleteFunc(slices.Clone(cur), func(x int64) bool { return x == id }))
						}
					}
				}
			}
		}
		t.remove(m.name, id)
	}
	return nil
}

// search lists the ids matching a domain, ordered, after offset and within limit (0: no limit).
// Records with an active field set to false are left out unless the domain mentions active or the
// context sets active_test to false, as in Odoo.
func (t *txn) search(m *model, domain any, offset, limit int64, order string, ctx map[string]any) ([]int64, *Error) {
	dom, err := parseDomain(t, m, domain)
	if err != nil {
		return nil, err
	}
	terms, err := parseOrder(m, order)
	if err != nil {
		return nil, err
	}
	activeTest := true
	if v, ok := ctx["active_test"]; ok {
		activeTest = truthy(v)
	}
	_, hasActive := m.fields["active"]
	filterActive := hasActive && activeTest && !mentions(domain, "active")
	var out []int64
	for _, id := range t.ids(m.name) {
		if filterActive && !t.flag(m.name, id, "active") {
			continue
		}
		if dom.eval(t, id) {
			out = append(out, id)
		}
	}
	t.sortIDs(m, out, terms)
	if offset > 0 {
		out = out[min(offset, int64(len(out))):]
	}
	if limit > 0 && int64(len(out)) > limit {
		out = out[:limit]
	}
	return out, nil
}

// mentions reports whether a domain has a leaf on the named field.
func mentions(domain any, name string) bool {
	list, _ := domain.([]any)
	for _, e := range list {
		if leaf, ok := e.([]any); ok && len(leaf) > 0 {
			if p, ok := leaf[0].(string); ok && (p == name || strings.HasPrefix(p, name+".")) {
				return true
			}
		}
	}
	return false
}
