package odoosim

import (
	"maps"
	"net/http"
	"slices"
	"strings"
)

// Protocols a call arrives by.
const (
	protoJSONRPC = "jsonrpc"
	protoJSON2   = "json2"
	protoDirect  = "direct"
)

// param is one named parameter of a method, after self (and after the ids of a record method).
type param struct {
	name     string
	required bool
}

// method is a model method callable over the API.
type method struct {
	// record methods run on ids: JSON-RPC passes them as args[0], JSON-2 as "ids". Model methods
	// (Odoo's @api.model) take none.
	record bool
	params []param
	// varKw is Python's **kwargs: unknown keyword arguments reach fn in call.extra.
	varKw bool
	// access is the access right the integration user needs on the model ("" for none).
	access string
	fn     func(c *call) (any, *Error)
}

// call is one method invocation, arguments bound.
type call struct {
	t      *txn
	m      *model
	method string
	ids    []int64
	args   map[string]any
	extra  map[string]any
	ctx    map[string]any
	proto  string
}

// arg returns a bound argument; false and null count as absent, as Python code tests them.
func (c *call) arg(name string) (any, bool) {
	v, ok := c.args[name]
	if !ok || isFalse(v) {
		return nil, false
	}
	return v, true
}

// intArg reads an optional integer argument (offset, limit).
func (c *call) intArg(name string) (int64, *Error) {
	v, ok := c.arg(name)
	if !ok {
		return 0, nil
	}
	n, ok := integer(v)
	if !ok {
		return 0, typeError("%s must be an integer, not %s", name, formatValue(v))
	}
	return n, nil
}

// strArg reads an optional string argument (order, operation).
func (c *call) strArg(name string) (string, *Error) {
	v, ok := c.arg(name)
	if !ok {
		return "", nil
	}
	s, ok := v.(string)
	if !ok {
		return "", typeError("%s must be a string, not %s", name, formatValue(v))
	}
	return s, nil
}

// strListArg reads an optional list of strings (fields, attributes).
func (c *call) strListArg(name string) ([]string, *Error) {
	v, ok := c.arg(name)
	if !ok {
		return nil, nil
	}
	if s, ok := v.(string); ok {
		return []string{s}, nil
	}
	list, ok := v.([]any)
	if !ok {
		return nil, typeError("%s must be a list of strings, not %s", name, formatValue(v))
	}
	out := make([]string, 0, len(list))
	for _, e := range list {
		s, ok := e.(string)
		if !ok {
			return nil, typeError("%s must be a list of strings, not %s", name, formatValue(v))
		}
		out = append(out, s)
	}
	return out, nil
}

// ctxIDs reads a list of ids from the call's context.
func (c *call) ctxIDs(key string) []int64 {
	ids, _ := idList(c.ctx[key])
	return ids
}

// request is one method call as it arrived, before it is resolved and bound.
type request struct {
	proto  string
	model  string
	method string
	uid    int64
	// JSON-RPC and direct calls: positional args (ids first for record methods) and keyword args.
	args   []any
	kwargs map[string]any
	// JSON-2: the flat body of named parameters, without ids and context.
	named  map[string]any
	ids    any
	hasIDs bool
	ctx    map[string]any
}

// execute resolves, binds and runs one call in its own transaction, undone if it fails. The caller
// holds s.mu.
func (s *Server) execute(req request) (any, *Error) {
	m, meth, err := s.resolve(req)
	if err != nil {
		return nil, err
	}
	if req.proto != protoDirect && s.faults.SerializationFailures > 0 {
		// Odoo's own retries are exhausted before the error reaches the client; nothing was changed.
		s.faults.SerializationFailures--
		return nil, serializationFailure()
	}
	c, err := bind(req, meth)
	if err != nil {
		return nil, err
	}
	if req.uid != superuserID && meth.access != "" && s.cfg.denied(m.name, meth.access) {
		return nil, deniedError(m, meth.access)
	}
	t := s.begin(req.uid)
	t.ctx = c.ctx
	c.t, c.m, c.proto = t, m, req.proto
	res, err := meth.fn(c)
	if err != nil {
		t.rollback()
		return nil, err
	}
	return res, nil
}

// resolve finds the model and method, failing as Odoo does, in Odoo's order for the protocol.
func (s *Server) resolve(req request) (*model, *method, *Error) {
	private := accessError("Private methods (such as %s) cannot be called remotely.", req.method)
	noMethod := newError(nameAttributeError, http.StatusInternalServerError,
		"The method '%s' does not exist on the model '%s'", req.method, req.model)
	m := s.schema[req.model]
	if req.proto == protoJSON2 {
		if m == nil {
			return nil, nil, newError(nameNotFound, http.StatusNotFound, "the model '%s' does not exist", req.model)
		}
		if strings.HasPrefix(req.method, "_") {
			return nil, nil, private
		}
		meth := lookupMethod(m, req.method)
		if meth == nil {
			return nil, nil, newError(nameNotFound, http.StatusNotFound, "%s", noMethod.Message)
		}
		if !meth.record && req.hasIDs {
			if ids, _ := idList(req.ids); len(ids) > 0 {
				return nil, nil, unprocessable("cannot call %s.%s with ids", req.model, req.method)
			}
		}
		return m, meth, nil
	}
	if strings.HasPrefix(req.method, "_") {
		return nil, nil, private
	}
	if m == nil {
		return nil, nil, userError("Object %s doesn't exist", req.model)
	}
	meth := lookupMethod(m, req.method)
	if meth == nil {
		return nil, nil, noMethod
	}
	return m, meth, nil
}

func lookupMethod(m *model, name string) *method {
	if meth, ok := m.methods[name]; ok {
		return meth
	}
	return genericMethods[name]
}

// bind maps the request's arguments onto the method's parameters. Positional protocols fail as
// Python's call does (TypeError); JSON-2 fails with 422 on a missing argument and, as seen live, with
// a TypeError (500) on an unexpected one.
func bind(req request, meth *method) (*call, *Error) {
	c := &call{method: req.method, args: map[string]any{}, extra: map[string]any{}, ctx: req.ctx}
	if c.ctx == nil {
		c.ctx = map[string]any{}
	}
	known := func(name string) bool {
		return slices.ContainsFunc(meth.params, func(p param) bool { return p.name == name })
	}
	var unexpected []string
	if req.proto == protoJSON2 {
		if meth.record {
			ids, ok := idList(req.ids)
			if !ok {
				return nil, unprocessable("ids must be a list of integers")
			}
			c.ids = ids
		}
		for _, k := range slices.Sorted(maps.Keys(req.named)) {
			switch {
			case known(k):
				c.args[k] = req.named[k]
			case meth.varKw:
				c.extra[k] = req.named[k]
			default:
				unexpected = append(unexpected, k)
			}
		}
		for _, p := range meth.params {
			if _, ok := c.args[p.name]; p.required && !ok {
				return nil, unprocessable("missing a required argument: '%s'", p.name)
			}
		}
		if len(unexpected) > 0 {
			return nil, typeError("%s() got an unexpected keyword argument '%s'", req.method, unexpected[0])
		}
		return c, nil
	}
	args := req.args
	if meth.record {
		if len(args) == 0 {
			return nil, newError("builtins.IndexError", http.StatusInternalServerError, "list index out of range")
		}
		ids, ok := idList(args[0])
		if !ok {
			return nil, typeError("%s() expects record ids first, not %s", req.method, formatValue(args[0]))
		}
		c.ids, args = ids, args[1:]
	}
	if len(args) > len(meth.params) {
		return nil, typeError("%s() takes %d positional arguments but %d were given", req.method, len(meth.params)+1, len(args)+1)
	}
	for i, a := range args {
		c.args[meth.params[i].name] = a
	}
	for _, k := range slices.Sorted(maps.Keys(req.kwargs)) {
		switch {
		case k == "context":
			if ctx, ok := req.kwargs[k].(map[string]any); ok {
				c.ctx = ctx
			}
		case known(k):
			if _, dup := c.args[k]; dup {
				return nil, typeError("%s() got multiple values for argument '%s'", req.method, k)
			}
			c.args[k] = req.kwargs[k]
		case meth.varKw:
			c.extra[k] = req.kwargs[k]
		default:
			return nil, typeError("%s() got an unexpected keyword argument '%s'", req.method, k)
		}
	}
	for _, p := range meth.params {
		if _, ok := c.args[p.name]; p.required && !ok {
			return nil, typeError("%s() missing 1 required positional argument: '%s'", req.method, p.name)
		}
	}
	return c, nil
}

// recordMethod declares a business method run on ids, needing write access on its model.
func recordMethod(fn func(c *call) (any, *Error)) *method {
	return &method{record: true, access: opWrite, fn: fn}
}

// genericMethods are the ORM methods every model has.
var genericMethods map[string]*method

func init() {
	genericMethods = map[string]*method{
		"create":              {params: []param{{"vals_list", true}}, access: opCreate, fn: ormCreate},
		"write":               {record: true, params: []param{{"vals", true}}, access: opWrite, fn: ormWrite},
		"read":                {record: true, params: []param{{"fields", false}, {"load", false}}, access: opRead, fn: ormRead},
		"search":              {params: []param{{"domain", false}, {"offset", false}, {"limit", false}, {"order", false}}, access: opRead, fn: ormSearch},
		"search_read":         {params: []param{{"domain", false}, {"fields", false}, {"offset", false}, {"limit", false}, {"order", false}}, varKw: true, access: opRead, fn: ormSearchRead},
		"search_count":        {params: []param{{"domain", false}, {"limit", false}}, access: opRead, fn: ormSearchCount},
		"unlink":              {record: true, access: opUnlink, fn: ormUnlink},
		"fields_get":          {params: []param{{"allfields", false}, {"attributes", false}}, fn: ormFieldsGet},
		"check_access_rights": {params: []param{{"operation", true}, {"raise_exception", false}}, fn: ormCheckAccessRights},
	}
}

// ormCreate creates one record from a dict (answering its id; a list of one id on JSON-2, which turns
// recordsets into id lists) or several from a list of dicts (answering their ids).
func ormCreate(c *call) (any, *Error) {
	v := c.args["vals_list"]
	if vals, ok := v.(map[string]any); ok {
		id, err := c.t.create(c.m, vals, c.ctx)
		if err != nil {
			return nil, err
		}
		if c.proto == protoJSON2 {
			return []int64{id}, nil
		}
		return id, nil
	}
	list, ok := v.([]any)
	if !ok {
		return nil, valueError("create expects a dict or a list of dicts, not %s", formatValue(v))
	}
	ids := make([]int64, 0, len(list))
	for _, e := range list {
		vals, ok := e.(map[string]any)
		if !ok {
			return nil, valueError("create expects a dict or a list of dicts, not %s", formatValue(v))
		}
		id, err := c.t.create(c.m, vals, c.ctx)
		if err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, nil
}

func ormWrite(c *call) (any, *Error) {
	vals, ok := c.args["vals"].(map[string]any)
	if !ok {
		return nil, valueError("write expects a dict of values, not %s", formatValue(c.args["vals"]))
	}
	if err := c.t.write(c.m, c.ids, vals); err != nil {
		return nil, err
	}
	return true, nil
}

// ormRead reads records. A missing id fails with MissingError over JSON-RPC; JSON-2 drops it, as seen
// live on 19.
func ormRead(c *call) (any, *Error) {
	names, err := c.strListArg("fields")
	if err != nil {
		return nil, err
	}
	fields, err := resolveFields(c.m, names)
	if err != nil {
		return nil, err
	}
	ids := dedupe(c.ids)
	if c.proto == protoJSON2 {
		ids = slices.DeleteFunc(ids, func(id int64) bool { return !c.t.exists(c.m.name, id) })
	} else if err := c.t.missing(c.m, ids); err != nil {
		return nil, err
	}
	out := make([]map[string]any, 0, len(ids))
	for _, id := range ids {
		out = append(out, c.t.readRecord(c.m, id, fields))
	}
	return out, nil
}

// searchArgs runs the search shared by search, search_read and search_count.
func (c *call) searchArgs() ([]int64, *Error) {
	offset, err := c.intArg("offset")
	if err != nil {
		return nil, err
	}
	limit, err := c.intArg("limit")
	if err != nil {
		return nil, err
	}
	order, err := c.strArg("order")
	if err != nil {
		return nil, err
	}
	return c.t.search(c.m, c.args["domain"], offset, limit, order, c.ctx)
}

func ormSearch(c *call) (any, *Error) {
	ids, err := c.searchArgs()
	if err != nil {
		return nil, err
	}
	if ids == nil {
		ids = []int64{}
	}
	return ids, nil
}

func ormSearchRead(c *call) (any, *Error) {
	for _, k := range slices.Sorted(maps.Keys(c.extra)) {
		if k != "load" {
			return nil, typeError("_read_format() got an unexpected keyword argument '%s'", k)
		}
	}
	names, err := c.strListArg("fields")
	if err != nil {
		return nil, err
	}
	fields, err := resolveFields(c.m, names)
	if err != nil {
		return nil, err
	}
	ids, err := c.searchArgs()
	if err != nil {
		return nil, err
	}
	out := make([]map[string]any, 0, len(ids))
	for _, id := range ids {
		out = append(out, c.t.readRecord(c.m, id, fields))
	}
	return out, nil
}

func ormSearchCount(c *call) (any, *Error) {
	limit, err := c.intArg("limit")
	if err != nil {
		return nil, err
	}
	ids, err := c.t.search(c.m, c.args["domain"], 0, limit, "id", c.ctx)
	if err != nil {
		return nil, err
	}
	return int64(len(ids)), nil
}

func ormUnlink(c *call) (any, *Error) {
	if err := c.t.unlink(c.m, c.ids); err != nil {
		return nil, err
	}
	return true, nil
}

// ormFieldsGet describes the fields of the simulated version: type, string, required, readonly,
// relation for relational fields and selection for selection fields, filtered by attributes.
func ormFieldsGet(c *call) (any, *Error) {
	names, err := c.strListArg("allfields")
	if err != nil {
		return nil, err
	}
	attrs, err := c.strListArg("attributes")
	if err != nil {
		return nil, err
	}
	out := map[string]any{}
	for _, f := range c.m.allFields() {
		if len(names) > 0 && !slices.Contains(names, f.name) {
			continue
		}
		desc := map[string]any{
			"type": f.typ, "string": f.label, "required": f.required, "readonly": f.readonly,
			"store": f.compute == nil && f.typ != tOne2many, "name": f.name,
		}
		if f.relational() {
			desc["relation"] = f.relation
		}
		if f.typ == tOne2many {
			desc["relation_field"] = f.inverse
		}
		if f.typ == tSelection {
			sel := make([]any, len(f.selection))
			for i, o := range f.selection {
				sel[i] = []any{o[0], o[1]}
			}
			desc["selection"] = sel
		}
		if len(attrs) > 0 {
			for k := range desc {
				if !slices.Contains(attrs, k) {
					delete(desc, k)
				}
			}
		}
		out[f.name] = desc
	}
	return out, nil
}

// ormCheckAccessRights answers whether the integration user has operation on the model: true, or
// false / AccessError (raise_exception, the default) per Config.Deny.
func ormCheckAccessRights(c *call) (any, *Error) {
	op, err := c.strArg("operation")
	if err != nil {
		return nil, err
	}
	if !slices.Contains(accessOps, op) {
		return nil, valueError("Invalid access mode")
	}
	if c.t.uid == superuserID || !c.t.s.cfg.denied(c.m.name, op) {
		return true, nil
	}
	raise := true
	if v, ok := c.args["raise_exception"]; ok {
		raise = truthy(v)
	}
	if raise {
		return nil, deniedError(c.m, op)
	}
	return false, nil
}
