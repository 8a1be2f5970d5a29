package odoosim

import (
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"mime"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"
)

// maxBodyBytes caps a request body; Odoo's own limit is far larger, but tests never come close.
const maxBodyBytes = 32 << 20

// Server is a simulated Odoo server: an http.Handler over an in-memory database. It is safe for
// concurrent use; calls are serialized, each in its own transaction.
type Server struct {
	cfg    Config
	schema schema
	log    *slog.Logger

	mu     sync.Mutex
	store  *store
	faults Faults
	calls  []CallRecord
}

// Faults are failures injected in front of, or inside, the simulated server. The counters count
// down as requests consume them.
type Faults struct {
	// Latency is added before every request is answered (cut short if the client goes away).
	Latency time.Duration
	// ServerErrors makes the next N requests answer HTTP 502 with a text/html body, as a reverse proxy
	// does when Odoo is restarting.
	ServerErrors int
	// SerializationFailures makes the next N execute_kw / JSON-2 calls fail as Odoo does once its own 5
	// concurrency retries are exhausted: data.name "psycopg2.errors.SerializationFailure" (HTTP 500 on
	// JSON-2). Nothing is changed.
	SerializationFailures int
	// Down makes every request answer HTTP 503 text/html until cleared.
	Down bool
}

// CallRecord is one API request answered, for tests to assert on what a client did.
type CallRecord struct {
	// Protocol is "jsonrpc" or "json2".
	Protocol string
	// Model and Method name the call. For JSON-RPC service calls other than execute_kw, Model is ""
	// and Method is "<service>.<method>", e.g. "common.authenticate".
	Model, Method string
	At            time.Time
	// Error is the data.name of the Odoo error answered, "" when Odoo answered without one (success,
	// or a fault answered in front of Odoo: see HTTPStatus).
	Error      string
	HTTPStatus int
}

// New builds a server for the configuration and seeds its database (see the package doc).
func New(cfg Config) (*Server, error) {
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("odoosim: invalid config: %w", err)
	}
	cfg.setDefaults()
	deny := make(map[string][]string, len(cfg.Deny))
	for k, v := range cfg.Deny {
		deny[k] = slices.Clone(v)
	}
	cfg.Deny = deny
	s := &Server{cfg: cfg, schema: buildSchema(cfg.Version), log: cfg.Logger}
	s.store = newStore(s.schema)
	if err := s.seed(); err != nil {
		return nil, fmt.Errorf("odoosim: seed the database: %w", err)
	}
	return s, nil
}

// SetFaults replaces the injected faults.
func (s *Server) SetFaults(f Faults) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = f
}

// Faults returns the injected faults, counters as consumed so far.
func (s *Server) Faults() Faults {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.faults
}

// Calls lists every API request answered, in order.
func (s *Server) Calls() []CallRecord {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.calls)
}

// Call runs a method as the superuser, as execute_kw would (args positional, ids first for record
// methods; kwargs may hold "context"), bypassing Config.Deny. The result is what a JSON client decoding
// the answer with encoding/json sees (float64 numbers); a failure is an *Error.
func (s *Server) Call(model, method string, args []any, kwargs map[string]any) (any, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	res, err := s.execute(request{proto: protoDirect, model: model, method: method, uid: superuserID, args: args, kwargs: kwargs})
	if err != nil {
		return nil, err
	}
	return asDecoded(res), nil
}

// Create creates one record as the superuser and returns its id; a failure is an *Error.
func (s *Server) Create(model string, vals map[string]any) (int64, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	res, err := s.execute(request{proto: protoDirect, model: model, method: "create", uid: superuserID, args: []any{vals}})
	if err != nil {
		return 0, err
	}
	id, _ := res.(int64)
	return id, nil
}

// Read reads every field of a record as the API answers it (false for empty, [id, name] for a
// many2one, float64 numbers); false when the model or record does not exist.
func (s *Server) Read(model string, id int64) (map[string]any, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	res, err := s.execute(request{proto: protoDirect, model: model, method: "read", uid: superuserID, args: []any{[]int64{id}}})
	if err != nil {
		return nil, false
	}
	list, _ := asDecoded(res).([]any)
	if len(list) != 1 {
		return nil, false
	}
	rec, ok := list[0].(map[string]any)
	return rec, ok
}

// Search lists the ids of the records matching a domain, in id order (archived records left out, as
// in Odoo); nil when the model or domain is invalid.
func (s *Server) Search(model string, domain []any) []int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	res, err := s.execute(request{proto: protoDirect, model: model, method: "search", uid: superuserID,
		args: []any{domain}, kwargs: map[string]any{"order": "id"}})
	if err != nil {
		return nil
	}
	ids, _ := res.([]int64)
	return ids
}

// response is an HTTP answer, built under the lock and written after it.
type response struct {
	status      int
	contentType string
	header      http.Header
	body        []byte
}

func jsonResponse(status int, body []byte) response {
	return response{status: status, contentType: "application/json", body: body}
}

// ServeHTTP answers POST /jsonrpc, POST /json/2/<model>/<method> (version 19) and GET /web/version.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if s.cfg.FaultsEndpoint && r.URL.Path == "/__sim/faults" {
		s.setFaultsHTTP(w, r)
		return
	}
	if lat := s.Faults().Latency; lat > 0 {
		timer := time.NewTimer(lat)
		select {
		case <-timer.C:
		case <-r.Context().Done():
			timer.Stop()
			return
		}
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, maxBodyBytes))
	if err != nil {
		http.Error(w, "cannot read the request body", http.StatusBadRequest)
		return
	}
	resp := s.answer(r, body)
	h := w.Header()
	maps.Copy(h, resp.header)
	h.Set("Content-Type", resp.contentType)
	w.WriteHeader(resp.status)
	_, _ = w.Write(resp.body)
}

func (s *Server) answer(r *http.Request, body []byte) response {
	s.mu.Lock()
	defer s.mu.Unlock()
	api := r.URL.Path == "/jsonrpc" || strings.HasPrefix(r.URL.Path, "/json/2/")
	fault := 0
	switch {
	case s.faults.Down:
		fault = http.StatusServiceUnavailable
	case s.faults.ServerErrors > 0:
		s.faults.ServerErrors--
		fault = http.StatusBadGateway
	}
	if fault != 0 {
		if api {
			proto, model, method := describe(r, body)
			s.record(proto, model, method, "", fault)
		}
		return proxyPage(fault)
	}
	switch {
	case r.URL.Path == "/jsonrpc":
		return s.serveJSONRPC(r, body)
	case strings.HasPrefix(r.URL.Path, "/json/2/"):
		return s.serveJSON2(r, body)
	case r.URL.Path == "/web/version":
		return jsonResponse(http.StatusOK, marshal(map[string]any{"version_info": s.versionInfo(), "version": s.serie()}))
	}
	return htmlPage(http.StatusNotFound)
}

// describe names the call a request would make, for the record of a fault answered in its place.
func describe(r *http.Request, body []byte) (proto, model, method string) {
	if rest, ok := strings.CutPrefix(r.URL.Path, "/json/2/"); ok {
		model, method, _ = strings.Cut(rest, "/")
		return protoJSON2, model, method
	}
	var env struct {
		Params struct {
			Service string `json:"service"`
			Method  string `json:"method"`
			Args    []any  `json:"args"`
		} `json:"params"`
	}
	_ = json.Unmarshal(body, &env) // best effort: an unreadable body is recorded without names
	p := env.Params
	if p.Service == "object" && len(p.Args) >= 5 {
		model, _ = p.Args[3].(string)
		method, _ = p.Args[4].(string)
		return protoJSONRPC, model, method
	}
	if p.Service != "" {
		return protoJSONRPC, "", p.Service + "." + p.Method
	}
	return protoJSONRPC, "", ""
}

// record notes an API call answered. The caller holds s.mu.
func (s *Server) record(proto, model, method, errName string, status int) {
	s.calls = append(s.calls, CallRecord{Protocol: proto, Model: model, Method: method, At: s.cfg.Now(), Error: errName, HTTPStatus: status})
	s.log.Debug("odoo call answered", "protocol", proto, "model", model, "method", method, "error", errName, "status", status)
}

func (s *Server) serie() string {
	return fmt.Sprintf("%d.0", s.cfg.Version)
}

func (s *Server) versionInfo() []any {
	return []any{s.cfg.Version, 0, 0, "final", 0, ""}
}

// mediaType is the request's Content-Type without parameters.
func mediaType(r *http.Request) string {
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil {
		return ""
	}
	return mt
}

// htmlPage is werkzeug's HTML error page.
func htmlPage(status int) response {
	desc := map[int]string{
		http.StatusNotFound: "The requested URL was not found on the server. If you entered the URL manually please " +
			"check your spelling and try again.",
		http.StatusUnsupportedMediaType: "The server does not support the media type transmitted in the request.",
		http.StatusMethodNotAllowed:     "The method is not allowed for the requested URL.",
	}[status]
	text := http.StatusText(status)
	return htmlBody(status, fmt.Sprintf("<!doctype html>\n<html lang=en>\n<title>%d %s</title>\n<h1>%s</h1>\n<p>%s</p>\n",
		status, text, text, desc))
}

// proxyPage is the HTML error page of the reverse proxy in front of Odoo.
func proxyPage(status int) response {
	title := fmt.Sprintf("%d %s", status, http.StatusText(status))
	return htmlBody(status, fmt.Sprintf("<html>\r\n<head><title>%s</title></head>\r\n<body>\r\n<center><h1>%s</h1></center>\r\n"+
		"<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n", title, title))
}

func htmlBody(status int, body string) response {
	return response{status: status, contentType: "text/html; charset=utf-8", body: []byte(body)}
}

// setFaultsHTTP sets the faults from the request's JSON body (Config.FaultsEndpoint).
func (s *Server) setFaultsHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		http.Error(w, "POST the faults as JSON", http.StatusMethodNotAllowed)
		return
	}
	var f Faults
	if err := json.NewDecoder(io.LimitReader(r.Body, maxBodyBytes)).Decode(&f); err != nil {
		http.Error(w, "faults: "+err.Error(), http.StatusBadRequest)
		return
	}
	s.SetFaults(f)
	w.WriteHeader(http.StatusNoContent)
}
