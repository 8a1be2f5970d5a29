package odoosim

import (
	"fmt"
	"slices"
)

// Field types, as fields_get names them.
const (
	tChar      = "char"
	tText      = "text"
	tInteger   = "integer"
	tFloat     = "float"
	tMonetary  = "monetary"
	tBoolean   = "boolean"
	tSelection = "selection"
	tDate      = "date"
	tDatetime  = "datetime"
	tMany2one  = "many2one"
	tOne2many  = "one2many"
	tMany2many = "many2many"
)

// What deleting a record does to the many2one fields pointing at it.
const (
	onDeleteSetNull  = "set null"
	onDeleteCascade  = "cascade"
	onDeleteRestrict = "restrict"
)

// field is one field of a model in the simulated version.
//
// Stored values are kept in their internal form: string for char, text, selection, date and datetime
// ("" when empty), int64 for integer and many2one (0 when empty), float64 for float and monetary, bool
// for boolean and []int64 for many2many. One2many fields are never stored: they are read from the
// inverse many2one.
type field struct {
	name      string
	typ       string
	label     string
	relation  string      // comodel of relational fields
	inverse   string      // one2many: the comodel's many2one pointing back
	selection [][2]string // value, label
	required  bool
	readonly  bool
	onDelete  string
	// def gives the value of a field absent from create's vals (internal form), from the vals given.
	def func(t *txn, vals map[string]any) any
	// compute makes the field computed and not stored: its value is derived on every read. Writes to
	// it are ignored, as Odoo ignores writes to computed fields without an inverse.
	compute func(t *txn, id int64) any
}

func newField(name, typ, label string) *field {
	return &field{name: name, typ: typ, label: label}
}

func charField(name, label string) *field     { return newField(name, tChar, label) }
func textField(name, label string) *field     { return newField(name, tText, label) }
func intField(name, label string) *field      { return newField(name, tInteger, label) }
func floatField(name, label string) *field    { return newField(name, tFloat, label) }
func moneyField(name, label string) *field    { return newField(name, tMonetary, label) }
func boolField(name, label string) *field     { return newField(name, tBoolean, label) }
func dateField(name, label string) *field     { return newField(name, tDate, label) }
func datetimeField(name, label string) *field { return newField(name, tDatetime, label) }

func selField(name, label string, options ...string) *field {
	f := newField(name, tSelection, label)
	for i := 0; i+1 < len(options); i += 2 {
		f.selection = append(f.selection, [2]string{options[i], options[i+1]})
	}
	return f
}

func m2oField(name, label, relation string) *field {
	f := newField(name, tMany2one, label)
	f.relation = relation
	f.onDelete = onDeleteSetNull
	return f
}

func o2mField(name, label, relation, inverse string) *field {
	f := newField(name, tOne2many, label)
	f.relation, f.inverse = relation, inverse
	return f
}

func m2mField(name, label, relation string) *field {
	f := newField(name, tMany2many, label)
	f.relation = relation
	return f
}

func (f *field) req() *field { f.required = true; return f }

func (f *field) ro() *field { f.readonly = true; return f }

func (f *field) cascade() *field { f.onDelete = onDeleteCascade; return f }

func (f *field) restrict() *field { f.onDelete = onDeleteRestrict; return f }

func (f *field) withDefault(v any) *field {
	f.def = func(*txn, map[string]any) any { return v }
	return f
}

func (f *field) defaultFunc(fn func(t *txn, vals map[string]any) any) *field {
	f.def = fn
	return f
}

func (f *field) computed(fn func(t *txn, id int64) any) *field {
	f.compute = fn
	f.readonly = true
	return f
}

func (f *field) relational() bool {
	return f.typ == tMany2one || f.typ == tOne2many || f.typ == tMany2many
}

func (f *field) x2many() bool {
	return f.typ == tOne2many || f.typ == tMany2many
}

// writable reports whether create and write store a value given for the field.
func (f *field) writable() bool {
	return f.compute == nil && f.name != "id" && f.name != "create_date" && f.name != "write_date"
}

// zero is the internal form of an empty value.
func (f *field) zero() any {
	switch f.typ {
	case tInteger, tMany2one:
		return int64(0)
	case tFloat, tMonetary:
		return 0.0
	case tBoolean:
		return false
	case tMany2many, tOne2many:
		return []int64(nil)
	}
	return ""
}

// isEmpty reports whether an internal value is Odoo's False/NULL for the field, as required checks and
// "= False" domains see it. Numbers and booleans are never NULL once stored.
func (f *field) isEmpty(v any) bool {
	switch x := v.(type) {
	case nil:
		return true
	case string:
		return x == ""
	case []int64:
		return len(x) == 0
	case int64:
		return f.typ == tMany2one && x == 0
	}
	return false
}

// model is one model of the simulated version: its fields, its methods and its hooks.
type model struct {
	name        string
	description string
	fields      map[string]*field
	fieldOrder  []string
	// order is the default search order (Odoo's _order, without the priority fields not simulated).
	order   string
	methods map[string]*method
	// display gives display_name; nil means the name field, or "model,id" without one.
	display func(t *txn, id int64) string
	// prepare completes create's vals (API form) before the record is inserted: sequences, defaults
	// that depend on other values.
	prepare func(t *txn, vals map[string]any) *Error
	// afterWrite runs after create or write stored vals on a record, with the names written.
	afterWrite func(t *txn, id int64, written []string) *Error
	// check enforces constraints after create and write, on the records touched.
	check func(t *txn, ids []int64) *Error
	// beforeUnlink refuses deletions Odoo refuses.
	beforeUnlink func(t *txn, ids []int64) *Error
}

func newModel(name, description string, fields ...*field) *model {
	m := &model{name: name, description: description, fields: map[string]*field{}, order: "id", methods: map[string]*method{}}
	m.add(
		intField("id", "ID").ro(),
		charField("display_name", "Display Name").computed(func(t *txn, id int64) any { return t.displayName(m, id) }),
		datetimeField("create_date", "Created on").ro(),
		datetimeField("write_date", "Last Updated on").ro(),
	)
	m.add(fields...)
	return m
}

// add appends fields; nil entries (fields absent from the simulated version) are skipped.
func (m *model) add(fields ...*field) {
	for _, f := range fields {
		if f == nil {
			continue
		}
		if _, dup := m.fields[f.name]; dup {
			panic(fmt.Sprintf("odoosim: field %s.%s declared twice", m.name, f.name))
		}
		m.fields[f.name] = f
		m.fieldOrder = append(m.fieldOrder, f.name)
	}
}

// allFields lists the fields in declaration order.
func (m *model) allFields() []*field {
	out := make([]*field, len(m.fieldOrder))
	for i, n := range m.fieldOrder {
		out[i] = m.fields[n]
	}
	return out
}

// when returns f on the listed versions and nil (no field) on the others.
func when(version int, versions []int, f *field) *field {
	if slices.Contains(versions, version) {
		return f
	}
	return nil
}

// schema is the set of models of one version.
type schema map[string]*model

// buildSchema declares every model of the version with its fields and methods.
func buildSchema(version int) schema {
	s := schema{}
	for _, m := range baseModels(version) {
		s[m.name] = m
	}
	for _, group := range [][]*model{stockModels(version), purchaseModels(version), saleModels(version), accountModels(version)} {
		for _, m := range group {
			s[m.name] = m
		}
	}
	for _, m := range s {
		for _, f := range m.fields {
			if f.relational() {
				if _, ok := s[f.relation]; !ok {
					panic(fmt.Sprintf("odoosim: %s.%s relates to unknown model %s", m.name, f.name, f.relation))
				}
			}
		}
	}
	return s
}
