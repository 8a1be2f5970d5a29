package odoosim

import (
	"fmt"
	"slices"
)

// row is a stored record: field name to internal value (see field).
type row map[string]any

// table holds one model's records.
type table struct {
	rows   map[int64]row
	nextID int64
}

// store is the whole in-memory database: a table per model and the named sequences.
type store struct {
	tables map[string]*table
	seqs   map[string]int
}

func newStore(models schema) *store {
	st := &store{tables: map[string]*table{}, seqs: map[string]int{}}
	for name := range models {
		st.tables[name] = &table{rows: map[int64]row{}, nextID: 1}
	}
	return st
}

// txn is one call's view of the store. Every change goes through it and is journaled, so that a call
// that fails can be undone entirely: Odoo runs each call in one transaction.
type txn struct {
	s   *Server
	st  *store
	now string // the call's timestamp, in Odoo's datetime format
	uid int64
	// ctx is the context of the call, for hooks that read it (the wizards keep the pickings to
	// validate from the context they are created with).
	ctx  map[string]any
	undo []func()
}

func (s *Server) begin(uid int64) *txn {
	return &txn{s: s, st: s.store, now: s.cfg.Now().UTC().Format(datetimeLayout), uid: uid}
}

// rollback undoes every change of the call, newest first.
func (t *txn) rollback() {
	for i := len(t.undo) - 1; i >= 0; i-- {
		t.undo[i]()
	}
	t.undo = nil
}

// model returns a model of the simulated version; asking for one that does not exist is a bug.
func (t *txn) model(name string) *model {
	m, ok := t.s.schema[name]
	if !ok {
		panic(fmt.Sprintf("odoosim: model %s is not simulated in Odoo %d", name, t.s.cfg.Version))
	}
	return m
}

func (t *txn) row(model string, id int64) (row, bool) {
	r, ok := t.st.tables[model].rows[id]
	return r, ok
}

func (t *txn) exists(model string, id int64) bool {
	_, ok := t.row(model, id)
	return ok
}

// ids lists a model's record ids in ascending order.
func (t *txn) ids(model string) []int64 {
	rows := t.st.tables[model].rows
	out := make([]int64, 0, len(rows))
	for id := range rows {
		out = append(out, id)
	}
	slices.Sort(out)
	return out
}

// insert stores a new record under the next id.
func (t *txn) insert(model string, r row) int64 {
	tb := t.st.tables[model]
	id := tb.nextID
	tb.nextID++
	r["id"] = id
	tb.rows[id] = r
	t.undo = append(t.undo, func() {
		delete(tb.rows, id)
		tb.nextID--
	})
	return id
}

// set stores one internal value. Slices stored are never modified in place afterwards.
func (t *txn) set(model string, id int64, name string, v any) {
	r := t.st.tables[model].rows[id]
	old, had := r[name]
	r[name] = v
	t.undo = append(t.undo, func() {
		if had {
			r[name] = old
		} else {
			delete(r, name)
		}
	})
}

// touch stamps write_date, as Odoo does on every write, including the recomputation of stored
// computed fields (which the simulator computes on read, so business methods touch what they change).
func (t *txn) touch(model string, id int64) {
	if t.exists(model, id) {
		t.set(model, id, "write_date", t.now)
	}
}

func (t *txn) remove(model string, id int64) {
	tb := t.st.tables[model]
	r := tb.rows[id]
	delete(tb.rows, id)
	t.undo = append(t.undo, func() { tb.rows[id] = r })
}

// nextSeq advances a named sequence and returns its new value (1 first).
func (t *txn) nextSeq(key string) int {
	old := t.st.seqs[key]
	t.st.seqs[key] = old + 1
	t.undo = append(t.undo, func() { t.st.seqs[key] = old })
	return old + 1
}
