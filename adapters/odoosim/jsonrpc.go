package odoosim

import (
	"encoding/json"
	"fmt"
	"net/http"
)

// rpcEnvelope is a JSON-RPC 2.0 request as Odoo's /jsonrpc reads it.
type rpcEnvelope struct {
	ID     json.RawMessage `json:"id"`
	Params struct {
		Service string `json:"service"`
		Method  string `json:"method"`
		Args    []any  `json:"args"`
	} `json:"params"`
}

// serveJSONRPC answers POST /jsonrpc. Odoo answers every error with HTTP 200 and an error object.
func (s *Server) serveJSONRPC(r *http.Request, body []byte) response {
	if r.Method != http.MethodPost {
		s.record(protoJSONRPC, "", "", "", http.StatusMethodNotAllowed)
		return htmlPage(http.StatusMethodNotAllowed)
	}
	if mt := mediaType(r); mt != "application/json" && mt != "application/json-rpc" {
		s.record(protoJSONRPC, "", "", "", http.StatusBadRequest)
		return htmlBody(http.StatusBadRequest, "<!doctype html>\n<html lang=en>\n<title>400 Bad Request</title>\n<h1>Bad Request</h1>\n"+
			"<p>Request inferred type is compatible with [&#x27;http&#x27;] but &#x27;/jsonrpc&#x27; is type=&#x27;json&#x27;.</p>\n")
	}
	var env rpcEnvelope
	if err := json.Unmarshal(body, &env); err != nil {
		s.record(protoJSONRPC, "", "", nameJSONDecodeError, http.StatusOK)
		return s.rpcError(nil, newError(nameJSONDecodeError, http.StatusBadRequest, "%s", err.Error()))
	}
	p := env.Params
	model, method := "", p.Service+"."+p.Method
	if p.Service == "object" && len(p.Args) >= 5 {
		model, _ = p.Args[3].(string)
		method, _ = p.Args[4].(string)
	}
	res, err := s.dispatchRPC(p.Service, p.Method, p.Args)
	if err != nil {
		s.record(protoJSONRPC, model, method, err.Name, http.StatusOK)
		return s.rpcError(env.ID, err)
	}
	s.record(protoJSONRPC, model, method, "", http.StatusOK)
	id := env.ID
	if len(id) == 0 {
		id = json.RawMessage("null")
	}
	return jsonResponse(http.StatusOK, marshal(map[string]any{"jsonrpc": "2.0", "id": id, "result": res}))
}

// rpcError is the JSON-RPC error answer: code 200 (0 on 19), message "Odoo Server Error" and the
// serialized exception as data.
func (s *Server) rpcError(id json.RawMessage, e *Error) response {
	code := 200
	if s.cfg.Version >= 19 {
		code = 0
	}
	if len(id) == 0 {
		id = json.RawMessage("null")
	}
	return jsonResponse(http.StatusOK, marshal(map[string]any{
		"jsonrpc": "2.0", "id": id,
		"error": map[string]any{"code": code, "message": "Odoo Server Error", "data": e.body()},
	}))
}

// dispatchRPC runs a service method: common.version, common.login, common.authenticate,
// object.execute_kw and object.execute.
func (s *Server) dispatchRPC(service, method string, args []any) (any, *Error) {
	switch service + "." + method {
	case "common.version":
		return map[string]any{"server_version": s.serie(), "server_version_info": s.versionInfo(),
			"server_serie": s.serie(), "protocol_version": 1}, nil
	case "common.login", "common.authenticate":
		if len(args) < 3 {
			return nil, typeError("exp_%s() missing required positional arguments: 'db', 'login' and 'password'", method)
		}
		if err := s.checkDB(args[0]); err != nil {
			return nil, err
		}
		login, _ := args[1].(string)
		key, _ := args[2].(string)
		if login != s.cfg.Login || key != s.cfg.APIKey {
			return false, nil
		}
		return userID, nil
	case "object.execute_kw", "object.execute":
		minArgs := 5
		if method == "execute_kw" {
			minArgs = 6
		}
		if len(args) < minArgs {
			return nil, typeError("%s() missing required positional arguments", method)
		}
		if err := s.checkDB(args[0]); err != nil {
			return nil, err
		}
		uid, _ := integer(args[1])
		key, _ := args[2].(string)
		if uid != userID || key != s.cfg.APIKey {
			return nil, accessDenied()
		}
		model, _ := args[3].(string)
		name, _ := args[4].(string)
		req := request{proto: protoJSONRPC, model: model, method: name, uid: userID}
		if method == "execute" {
			req.args = args[5:]
			return s.execute(req)
		}
		var ok bool
		if req.args, ok = args[5].([]any); !ok {
			return nil, typeError("execute_kw() argument after * must be an iterable, not %s", formatValue(args[5]))
		}
		if len(args) > 6 && !isFalse(args[6]) {
			if req.kwargs, ok = args[6].(map[string]any); !ok {
				return nil, typeError("execute_kw() argument after ** must be a mapping, not %s", formatValue(args[6]))
			}
		}
		return s.execute(req)
	}
	if service == "common" || service == "object" {
		return nil, newError("builtins.NameError", http.StatusInternalServerError, "Method not available %s", method)
	}
	return nil, newError("builtins.KeyError", http.StatusInternalServerError, "%s", pyRepr(service))
}

// checkDB fails as Odoo does for a database it does not have: PostgreSQL refuses the connection.
func (s *Server) checkDB(v any) *Error {
	db, _ := v.(string)
	if db == s.cfg.Database {
		return nil
	}
	return newError(nameOperationalErr, http.StatusInternalServerError,
		"%s", fmt.Sprintf("connection to server on socket \"/var/run/postgresql/.s.PGSQL.5432\" failed: FATAL:  database \"%s\" does not exist\n", db))
}
