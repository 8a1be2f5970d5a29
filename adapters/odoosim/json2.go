package odoosim

import (
	"encoding/json"
	"net/http"
	"strings"
)

// serveJSON2 answers POST /json/2/<model>/<method>, Odoo 19's JSON-2 API, checking in Odoo's order:
// the database header, the content type, the bearer key, the body, then the call.
func (s *Server) serveJSON2(r *http.Request, body []byte) response {
	model, method, _ := strings.Cut(strings.TrimPrefix(r.URL.Path, "/json/2/"), "/")
	html := func(status int) response {
		s.record(protoJSON2, model, method, "", status)
		return htmlPage(status)
	}
	fail := func(e *Error) response {
		s.record(protoJSON2, model, method, e.Name, e.Status)
		resp := jsonResponse(e.Status, marshal(e.body()))
		if e.Status == http.StatusUnauthorized {
			resp.header = http.Header{"Www-Authenticate": {"Bearer"}}
		}
		return resp
	}
	if s.cfg.Version < 19 || model == "" || method == "" || strings.Contains(method, "/") {
		return html(http.StatusNotFound)
	}
	if db := r.Header.Get("X-Odoo-Database"); db != "" && db != s.cfg.Database {
		return html(http.StatusNotFound)
	}
	if mediaType(r) != "application/json" {
		return html(http.StatusUnsupportedMediaType)
	}
	scheme, key, _ := strings.Cut(r.Header.Get("Authorization"), " ")
	if !strings.EqualFold(scheme, "bearer") || strings.TrimSpace(key) != s.cfg.APIKey {
		return fail(newError(nameUnauthorized, http.StatusUnauthorized, "Invalid apikey"))
	}
	params := map[string]any{}
	if len(body) > 0 {
		var v any
		if err := json.Unmarshal(body, &v); err != nil {
			return fail(badRequest("could not parse the body as json: %s", err.Error()))
		}
		obj, ok := v.(map[string]any)
		if !ok {
			return fail(badRequest("could not parse the body, expecting a json object"))
		}
		params = obj
	}
	if r.Method != http.MethodPost {
		return fail(newError(nameMethodNotAllow, http.StatusMethodNotAllowed, "The method is not allowed for the requested URL."))
	}
	ids, hasIDs := params["ids"]
	ctx, _ := params["context"].(map[string]any)
	delete(params, "ids")
	delete(params, "context")
	res, err := s.execute(request{proto: protoJSON2, model: model, method: method, uid: userID,
		named: params, ids: ids, hasIDs: hasIDs, ctx: ctx})
	if err != nil {
		return fail(err)
	}
	s.record(protoJSON2, model, method, "", http.StatusOK)
	return jsonResponse(http.StatusOK, marshal(res))
}
