package odoosim

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// testClock starts at 2026-11-05 09:00:00 UTC and moves one second per reading, so every call gets
// its own write_date.
type testClock struct {
	mu  sync.Mutex
	now time.Time
}

func newTestClock() *testClock {
	return &testClock{now: time.Date(2026, 11, 5, 9, 0, 0, 0, time.UTC)}
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(time.Second)
	return c.now
}

// start runs a simulator behind an httptest server, with a test clock unless cfg has one.
func start(t *testing.T, cfg Config) (*Server, string) {
	t.Helper()
	if cfg.Now == nil {
		cfg.Now = newTestClock().Now
	}
	sim, err := New(cfg)
	require.NoError(t, err)
	srv := httptest.NewServer(sim)
	t.Cleanup(srv.Close)
	return sim, srv.URL
}

// apiError is an error answer of either protocol, flattened for assertions.
type apiError struct {
	HTTPStatus int
	Code       any // JSON-RPC error.code
	Name       string
	Message    string
	Arguments  []any
	Context    any
	Debug      string
}

// client calls the simulator over one protocol. ids == nil calls a model method; params are the
// named parameters (keyword arguments over JSON-RPC, body fields over JSON-2), "context" included.
type client interface {
	call(model, method string, ids []int64, params map[string]any) any
	fail(model, method string, ids []int64, params map[string]any) apiError
}

// rpcClient speaks JSON-RPC to /jsonrpc as the integration user.
type rpcClient struct {
	t   *testing.T
	url string
	db  string
	key string
	uid any
}

func newRPC(t *testing.T, url string) *rpcClient {
	return &rpcClient{t: t, url: url, db: DefaultDatabase, key: DefaultAPIKey, uid: 2}
}

// post sends one JSON-RPC request and decodes the envelope.
func (c *rpcClient) post(service, method string, args ...any) map[string]any {
	c.t.Helper()
	body, err := json.Marshal(map[string]any{"jsonrpc": "2.0", "method": "call", "id": 7,
		"params": map[string]any{"service": service, "method": method, "args": args}})
	require.NoError(c.t, err)
	resp, err := http.Post(c.url+"/jsonrpc", "application/json", bytes.NewReader(body))
	require.NoError(c.t, err)
	defer resp.Body.Close()
	require.Equal(c.t, http.StatusOK, resp.StatusCode, "JSON-RPC answers every error with 200")
	var env map[string]any
	require.NoError(c.t, json.NewDecoder(resp.Body).Decode(&env))
	require.Equal(c.t, "2.0", env["jsonrpc"])
	require.Equal(c.t, 7.0, env["id"])
	return env
}

// execute sends execute_kw with positional args and keyword args.
func (c *rpcClient) execute(model, method string, args []any, kwargs map[string]any) map[string]any {
	c.t.Helper()
	if args == nil {
		args = []any{}
	}
	if kwargs == nil {
		kwargs = map[string]any{}
	}
	return c.post("object", "execute_kw", c.db, c.uid, c.key, model, method, args, kwargs)
}

func (c *rpcClient) ok(env map[string]any) any {
	c.t.Helper()
	require.NotContains(c.t, env, "error", "unexpected error: %v", env["error"])
	require.Contains(c.t, env, "result")
	return env["result"]
}

func (c *rpcClient) err(env map[string]any) apiError {
	c.t.Helper()
	require.Contains(c.t, env, "error", "expected an error, got result %v", env["result"])
	e := env["error"].(map[string]any)
	require.Equal(c.t, "Odoo Server Error", e["message"])
	data := e["data"].(map[string]any)
	args, _ := data["arguments"].([]any)
	debug, _ := data["debug"].(string)
	return apiError{HTTPStatus: http.StatusOK, Code: e["code"], Name: data["name"].(string), Message: data["message"].(string),
		Arguments: args, Context: data["context"], Debug: debug}
}

func (c *rpcClient) args(ids []int64) []any {
	if ids == nil {
		return nil
	}
	return []any{ids}
}

func (c *rpcClient) call(model, method string, ids []int64, params map[string]any) any {
	c.t.Helper()
	return c.ok(c.execute(model, method, c.args(ids), params))
}

func (c *rpcClient) fail(model, method string, ids []int64, params map[string]any) apiError {
	c.t.Helper()
	return c.err(c.execute(model, method, c.args(ids), params))
}

// json2Client speaks JSON-2 to /json/2 with the bearer key.
type json2Client struct {
	t   *testing.T
	url string
	key string
}

func newJSON2(t *testing.T, url string) *json2Client {
	return &json2Client{t: t, url: url, key: DefaultAPIKey}
}

// do sends one JSON-2 request with the given raw body and headers (Content-Type and the bearer key
// are set unless headers override them).
func (c *json2Client) do(model, method string, body []byte, headers map[string]string) (int, http.Header, []byte) {
	c.t.Helper()
	req, err := http.NewRequestWithContext(c.t.Context(), http.MethodPost, c.url+"/json/2/"+model+"/"+method, bytes.NewReader(body))
	require.NoError(c.t, err)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "bearer "+c.key)
	for k, v := range headers {
		if v == "" {
			req.Header.Del(k)
		} else {
			req.Header.Set(k, v)
		}
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(c.t, err)
	defer resp.Body.Close()
	out, err := io.ReadAll(resp.Body)
	require.NoError(c.t, err)
	return resp.StatusCode, resp.Header, out
}

func (c *json2Client) body(ids []int64, params map[string]any) []byte {
	c.t.Helper()
	m := map[string]any{}
	for k, v := range params {
		m[k] = v
	}
	if ids != nil {
		m["ids"] = ids
	}
	b, err := json.Marshal(m)
	require.NoError(c.t, err)
	return b
}

func (c *json2Client) call(model, method string, ids []int64, params map[string]any) any {
	c.t.Helper()
	status, hdr, body := c.do(model, method, c.body(ids, params), nil)
	require.Equal(c.t, http.StatusOK, status, "body: %s", body)
	require.Equal(c.t, "application/json", hdr.Get("Content-Type"))
	var out any
	require.NoError(c.t, json.Unmarshal(body, &out))
	return out
}

func (c *json2Client) fail(model, method string, ids []int64, params map[string]any) apiError {
	c.t.Helper()
	status, hdr, body := c.do(model, method, c.body(ids, params), nil)
	return decodeJSON2Error(c.t, status, hdr, body)
}

func decodeJSON2Error(t *testing.T, status int, hdr http.Header, body []byte) apiError {
	t.Helper()
	require.NotEqual(t, http.StatusOK, status, "expected an error, got %s", body)
	require.Equal(t, "application/json", hdr.Get("Content-Type"), "body: %s", body)
	var e struct {
		Name      string `json:"name"`
		Message   string `json:"message"`
		Arguments []any  `json:"arguments"`
		Context   any    `json:"context"`
		Debug     string `json:"debug"`
	}
	require.NoError(t, json.Unmarshal(body, &e))
	return apiError{HTTPStatus: status, Name: e.Name, Message: e.Message, Arguments: e.Arguments, Context: e.Context, Debug: e.Debug}
}

// create creates one record over either protocol and returns its id.
func create(t *testing.T, c client, model string, vals map[string]any) int64 {
	t.Helper()
	switch res := c.call(model, "create", nil, map[string]any{"vals_list": vals}).(type) {
	case float64:
		return int64(res)
	case []any:
		require.Len(t, res, 1)
		return int64(res[0].(float64))
	default:
		t.Fatalf("create answered %v", res)
		return 0
	}
}

// read reads one record.
func read(t *testing.T, c client, model string, id int64, fields ...string) map[string]any {
	t.Helper()
	params := map[string]any{}
	if len(fields) > 0 {
		params["fields"] = fields
	}
	res := c.call(model, "read", []int64{id}, params).([]any)
	require.Len(t, res, 1)
	return res[0].(map[string]any)
}

// searchRead runs search_read and returns the records.
func searchRead(t *testing.T, c client, model string, domain []any, params map[string]any) []map[string]any {
	t.Helper()
	p := map[string]any{"domain": domain}
	for k, v := range params {
		p[k] = v
	}
	var out []map[string]any
	for _, r := range c.call(model, "search_read", nil, p).([]any) {
		out = append(out, r.(map[string]any))
	}
	return out
}

// search runs search and returns the ids.
func search(t *testing.T, c client, model string, domain []any, params map[string]any) []int64 {
	t.Helper()
	p := map[string]any{"domain": domain}
	for k, v := range params {
		p[k] = v
	}
	var out []int64
	for _, id := range c.call(model, "search", nil, p).([]any) {
		out = append(out, int64(id.(float64)))
	}
	return out
}

// m2o is a many2one as read: [id, name].
func m2o(id int64, name string) []any {
	return []any{float64(id), name}
}

// ids turns a decoded list of ids into int64s.
func ids(t *testing.T, v any) []int64 {
	t.Helper()
	list, ok := v.([]any)
	require.True(t, ok, "not a list: %v", v)
	out := make([]int64, len(list))
	for i, e := range list {
		out[i] = int64(e.(float64))
	}
	return out
}
