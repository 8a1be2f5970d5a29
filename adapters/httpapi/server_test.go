package httpapi

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crossdock-hub/crossdock/adapters/problem"
	"github.com/crossdock-hub/crossdock/projections/timeline"
	"github.com/crossdock-hub/crossdock/queries"
)

// fakeReader is the timeline read side as this adapter's tests need it.
type fakeReader struct {
	page timeline.Page

	mu   sync.Mutex
	seen []timeline.Query
}

func (f *fakeReader) Timeline(_ context.Context, q timeline.Query) (timeline.Page, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.seen = append(f.seen, q)
	return f.page, nil
}

// logBuffer collects log output so tests can assert on what was (not) logged, and echoes it to t.Log.
type logBuffer struct {
	t  *testing.T
	mu sync.Mutex
	b  strings.Builder
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.t.Log(strings.TrimRight(string(p), "\n"))
	return l.b.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

type fixture struct {
	server *Server
	reader *fakeReader
	logs   *logBuffer
}

// newFixture builds a server over a real queries.Service and a fake reader; edit changes the config.
func newFixture(t *testing.T, edit func(*Config)) fixture {
	t.Helper()
	logs := &logBuffer{t: t}
	logger := slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	reader := &fakeReader{page: timeline.Page{
		Entries: []timeline.Entry{{
			Cursor: "c-7", Position: "7/7", EventID: "e-7", StreamID: "order-po:P00042", StreamVersion: 2,
			Type: "order.confirmed.v1", RecordedAt: time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC),
			References: []timeline.Reference{{Kind: "po_number", Value: "P00042"}},
			Data:       json.RawMessage(`{"qty":"3"}`),
		}},
		EndCursor: "c-7",
	}}
	svc, err := queries.NewService(queries.Config{Timeline: reader, Logger: logger})
	require.NoError(t, err)
	cfg := Config{Logger: logger, GraphQL: svc}
	if edit != nil {
		edit(&cfg)
	}
	s, err := New(cfg)
	require.NoError(t, err)
	return fixture{server: s, reader: reader, logs: logs}
}

func (f fixture) do(t *testing.T, method, target string, body io.Reader, headers ...string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequestWithContext(t.Context(), method, target, body)
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	rec := httptest.NewRecorder()
	f.server.ServeHTTP(rec, req)
	return rec
}

func decodeProblem(t *testing.T, rec *httptest.ResponseRecorder) problem.Problem {
	t.Helper()
	require.Equal(t, problem.ContentType, rec.Header().Get(echo.HeaderContentType), "body: %s", rec.Body)
	var p problem.Problem
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &p))
	assert.Equal(t, rec.Code, p.Status, "the body's status is the response's")
	return p
}

func TestHealthz(t *testing.T) {
	t.Parallel()
	f := newFixture(t, func(c *Config) {
		c.Checks = map[string]Check{"down": func(context.Context) error { return errors.New("down") }}
	})
	rec := f.do(t, http.MethodGet, "/healthz", nil)
	assert.Equal(t, http.StatusOK, rec.Code, "liveness does not depend on readiness checks")
	assert.JSONEq(t, `{"status":"ok"}`, rec.Body.String())
}

func TestReadyz(t *testing.T) {
	t.Parallel()
	ok := func(context.Context) error { return nil }

	t.Run("all checks pass", func(t *testing.T) {
		t.Parallel()
		f := newFixture(t, func(c *Config) { c.Checks = map[string]Check{"eventstore": ok, "projections": ok} })
		rec := f.do(t, http.MethodGet, "/readyz", nil)
		require.Equal(t, http.StatusOK, rec.Code)
		var body struct {
			Status string
			Checks map[string]checkResult
		}
		require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &body))
		assert.Equal(t, "ok", body.Status)
		assert.Len(t, body.Checks, 2)
		for name, r := range body.Checks {
			assert.Equal(t, "ok", r.Status, name)
		}
	})

	t.Run("no checks", func(t *testing.T) {
		t.Parallel()
		rec := newFixture(t, nil).do(t, http.MethodGet, "/readyz", nil)
		assert.Equal(t, http.StatusOK, rec.Code)
	})

	t.Run("failing, hung and panicking checks are named", func(t *testing.T) {
		t.Parallel()
		release := make(chan struct{})
		t.Cleanup(func() { close(release) })
		f := newFixture(t, func(c *Config) {
			c.CheckTimeout = 50 * time.Millisecond
			c.Checks = map[string]Check{
				"eventstore": ok,
				"odoo":       func(context.Context) error { return errors.New("dial tcp 10.0.0.7:8069: connection refused") },
				"projections": func(context.Context) error {
					return fmt.Errorf("lag: %w", PublicCheckError("timeline is %d events behind", 12000))
				},
				// Ignores its context: the probe must not wait for it.
				"stuck":  func(context.Context) error { <-release; return nil },
				"broken": func(context.Context) error { panic("nil map") },
			}
		})
		start := time.Now()
		rec := f.do(t, http.MethodGet, "/readyz", nil)
		assert.Less(t, time.Since(start), 10*time.Second, "the stuck check is abandoned at its timeout")

		require.Equal(t, http.StatusServiceUnavailable, rec.Code)
		p := decodeProblem(t, rec)
		assert.Equal(t, "Not ready: broken, odoo, projections, stuck failed.", p.Detail)
		assert.Equal(t, []problem.FieldError{
			{Detail: "broken: check panicked"},
			{Detail: "odoo: failed (the hub's log has the cause)"},
			{Detail: "projections: timeline is 12000 events behind"},
			{Detail: "stuck: timed out after 50ms"},
		}, p.Errors)
		assert.NotContains(t, rec.Body.String(), "10.0.0.7", "internals stay in the log")
		assert.Contains(t, f.logs.String(), "10.0.0.7", "the log has the cause")
	})
}

func TestErrorHandler(t *testing.T) {
	t.Parallel()
	f := newFixture(t, func(c *Config) {
		c.Mount = func(e *echo.Echo) {
			e.GET("/problem", func(echo.Context) error {
				return problem.Invalid("bad ASN", problem.FieldError{Pointer: "/lines/0/qty", Detail: "not a decimal"})
			})
			e.GET("/wrapped-problem", func(echo.Context) error {
				return errors.Join(errors.New("context"), problem.New(http.StatusConflict, "already received"))
			})
			e.GET("/http-error", func(echo.Context) error {
				return echo.NewHTTPError(http.StatusForbidden, "partner acme may not post invoices")
			})
			e.GET("/plain", func(echo.Context) error {
				return errors.New("pq: password authentication failed for user crossdock at 10.1.2.3")
			})
			e.GET("/panic", func(echo.Context) error { panic("index out of range") })
		}
	})
	tests := []struct {
		path   string
		status int
		title  string
		detail string
		errs   []problem.FieldError
	}{
		{"/problem", 422, "Invalid document", "bad ASN", []problem.FieldError{{Pointer: "/lines/0/qty", Detail: "not a decimal"}}},
		{"/wrapped-problem", 409, "Conflict", "already received", nil},
		{"/http-error", 403, "Forbidden", "partner acme may not post invoices", nil},
		{"/no-such-route", 404, "Not Found", "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			t.Parallel()
			rec := f.do(t, http.MethodGet, tt.path, nil)
			require.Equal(t, tt.status, rec.Code)
			p := decodeProblem(t, rec)
			assert.Equal(t, tt.title, p.Title)
			assert.Equal(t, tt.detail, p.Detail)
			assert.Equal(t, tt.errs, p.Errors)
		})
	}

	t.Run("405 for a known path", func(t *testing.T) {
		t.Parallel()
		rec := f.do(t, http.MethodDelete, "/graphql", nil)
		require.Equal(t, http.StatusMethodNotAllowed, rec.Code)
		assert.Equal(t, "Method Not Allowed", decodeProblem(t, rec).Title)
	})

	for _, path := range []string{"/plain", "/panic"} {
		t.Run(path+" leaks nothing", func(t *testing.T) {
			t.Parallel()
			rec := f.do(t, http.MethodGet, path, nil, HeaderRequestID, "req-"+path[1:])
			require.Equal(t, http.StatusInternalServerError, rec.Code)
			p := decodeProblem(t, rec)
			assert.Equal(t, "Internal Server Error", p.Title)
			assert.Contains(t, p.Detail, "req-"+path[1:], "the client gets the ID to report")
			for _, secret := range []string{"password", "10.1.2.3", "index out of range", "goroutine"} {
				assert.NotContains(t, rec.Body.String(), secret)
			}
		})
	}
	// Both causes are in the log, once each, with the request ID that ties them to the client's report.
	t.Cleanup(func() {
		logs := f.logs.String()
		assert.Equal(t, 1, strings.Count(logs, "password authentication failed"), logs)
		assert.Equal(t, 1, strings.Count(logs, `msg="http handler panicked" error="index out of range"`), logs)
		assert.Contains(t, logs, "request_id=req-panic")
	})
}

func TestRequestIDAndLog(t *testing.T) {
	t.Parallel()
	var seen string
	f := newFixture(t, func(c *Config) {
		c.Mount = func(e *echo.Echo) {
			e.GET("/whoami", func(c echo.Context) error {
				seen = RequestID(c.Request().Context())
				return c.NoContent(http.StatusNoContent)
			})
		}
	})

	rec := f.do(t, http.MethodGet, "/whoami", nil, HeaderRequestID, "trace-42")
	assert.Equal(t, "trace-42", rec.Header().Get(HeaderRequestID), "a caller's ID is kept")
	assert.Equal(t, "trace-42", seen, "and handlers see it")
	assert.Contains(t, f.logs.String(), `msg="http request" method=GET path=/whoami status=204`)
	assert.Contains(t, f.logs.String(), "request_id=trace-42")

	rec = f.do(t, http.MethodGet, "/whoami", nil, HeaderRequestID, "evil\" msg=forged")
	got := rec.Header().Get(HeaderRequestID)
	assert.Len(t, got, 32, "an ID that is not one is replaced")
	assert.Equal(t, got, seen)
	assert.NotContains(t, f.logs.String(), "forged")
}

func TestGraphQLPost(t *testing.T) {
	t.Parallel()
	const query = `query T($ref: String) { timeline(reference: $ref, first: 10, after: "c-1") {
		edges { cursor node { eventId streamVersion recordedAt references { kind value } data } }
		pageInfo { endCursor hasNextPage } } }`
	want := `{"data":{"timeline":{
		"edges":[{"cursor":"c-7","node":{"eventId":"e-7","streamVersion":2,"recordedAt":"2025-01-02T03:04:05Z",
			"references":[{"kind":"po_number","value":"P00042"}],"data":"{\"qty\":\"3\"}"}}],
		"pageInfo":{"endCursor":"c-7","hasNextPage":false}}}}`

	t.Run("application/json", func(t *testing.T) {
		t.Parallel()
		f := newFixture(t, nil)
		body, _ := json.Marshal(map[string]any{"query": query, "variables": map[string]any{"ref": "P00042"}, "operationName": "T"})
		rec := f.do(t, http.MethodPost, "/graphql", strings.NewReader(string(body)), echo.HeaderContentType, "application/json")
		require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
		assert.Equal(t, "application/json; charset=utf-8", rec.Header().Get(echo.HeaderContentType))
		assert.JSONEq(t, want, rec.Body.String())
		assert.Equal(t, []timeline.Query{{Reference: "P00042", First: 10, After: "c-1"}}, f.reader.seen)
	})

	t.Run("application/graphql", func(t *testing.T) {
		t.Parallel()
		f := newFixture(t, nil)
		rec := f.do(t, http.MethodPost, "/graphql?operationName=T", strings.NewReader(query),
			echo.HeaderContentType, "application/graphql; charset=utf-8")
		require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
		assert.JSONEq(t, want, rec.Body.String())
	})

	t.Run("GET with a query", func(t *testing.T) {
		t.Parallel()
		f := newFixture(t, nil)
		q := url.Values{"query": {query}, "variables": {`{"ref":"P00042"}`}}
		rec := f.do(t, http.MethodGet, "/graphql?"+q.Encode(), nil)
		require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
		assert.JSONEq(t, want, rec.Body.String())
	})
}

func TestGraphQLErrors(t *testing.T) {
	t.Parallel()
	f := newFixture(t, nil)
	// name sits at depth 13: __schema, types, then five fields-type pairs.
	deep := `{"query":"{ __schema { types { ` + strings.Repeat("fields { type { ", 5) + "name" + strings.Repeat(" }", 13) + `"}`

	t.Run("request errors are 200 with errors under application/json", func(t *testing.T) {
		t.Parallel()
		rec := f.do(t, http.MethodPost, "/graphql", strings.NewReader(deep), echo.HeaderContentType, "application/json")
		require.Equal(t, http.StatusOK, rec.Code)
		var body map[string]any
		require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &body))
		assert.NotContains(t, body, "data")
		assert.Contains(t, rec.Body.String(), "exceeds the limit of 12")
	})

	t.Run("and 400 under application/graphql-response+json", func(t *testing.T) {
		t.Parallel()
		rec := f.do(t, http.MethodPost, "/graphql", strings.NewReader(deep),
			echo.HeaderContentType, "application/json", echo.HeaderAccept, "application/graphql-response+json, application/json;q=0.9")
		require.Equal(t, http.StatusBadRequest, rec.Code)
		assert.Equal(t, "application/graphql-response+json; charset=utf-8", rec.Header().Get(echo.HeaderContentType))
		assert.Contains(t, rec.Body.String(), "QUERY_TOO_DEEP")
	})

	t.Run("executed requests are 200 under application/graphql-response+json", func(t *testing.T) {
		t.Parallel()
		rec := f.do(t, http.MethodPost, "/graphql", strings.NewReader(`{"query":"{ timeline(first: 0) { edges { cursor } } }"}`),
			echo.HeaderContentType, "application/json", echo.HeaderAccept, "application/graphql-response+json")
		require.Equal(t, http.StatusOK, rec.Code)
		assert.JSONEq(t, `{"data":null,"errors":[{"message":"first must be between 1 and 500, got 0",
			"locations":[{"line":1,"column":3}],"path":["timeline"]}]}`, rec.Body.String())
	})

	tests := []struct {
		name        string
		contentType string
		body        string
		status      int
		detail      string
	}{
		{"malformed JSON", "application/json", `{"query":`, 422, "The body is not a GraphQL request: unexpected end of JSON input"},
		{"variables not an object", "application/json", `{"query":"{ __typename }","variables":"x"}`, 422,
			"The body is not a GraphQL request: variables must be an object, not string"},
		{"unsupported media type", "text/plain", `{ __typename }`, 415, ""},
		{"too large", "application/json", `{"query":"` + strings.Repeat(" ", 2<<20) + `"}`, 413, "The request body exceeds 1048576 bytes."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			rec := f.do(t, http.MethodPost, "/graphql", strings.NewReader(tt.body), echo.HeaderContentType, tt.contentType)
			require.Equal(t, tt.status, rec.Code, rec.Body.String())
			p := decodeProblem(t, rec)
			if tt.detail != "" {
				assert.Equal(t, tt.detail, p.Detail)
			}
		})
	}
}

func TestIntrospectionOverHTTP(t *testing.T) {
	t.Parallel()
	f := newFixture(t, nil)
	rec := f.do(t, http.MethodPost, "/graphql",
		strings.NewReader(`{"query":"{ __type(name: \"TimelineEntry\") { fields { name type { kind ofType { name } } } } }"}`),
		echo.HeaderContentType, "application/json")
	require.Equal(t, http.StatusOK, rec.Code)
	assert.Contains(t, rec.Body.String(), `{"name":"streamVersion","type":{"kind":"NON_NULL","ofType":{"name":"Int"}}}`)
}

func TestServeShutsDownGracefully(t *testing.T) {
	t.Parallel()
	entered := make(chan struct{})
	release := make(chan struct{})
	f := newFixture(t, func(c *Config) {
		c.Mount = func(e *echo.Echo) {
			e.GET("/slow", func(c echo.Context) error {
				close(entered)
				<-release
				return c.String(http.StatusOK, "finished")
			})
		}
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	ctx, stop := context.WithCancel(t.Context())
	served := make(chan error, 1)
	go func() { served <- f.server.Serve(ctx, ln) }()

	client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	type reply struct {
		body string
		err  error
	}
	replied := make(chan reply, 1)
	go func() {
		resp, err := client.Get("http://" + ln.Addr().String() + "/slow")
		if err != nil {
			replied <- reply{err: err}
			return
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		replied <- reply{string(b), err}
	}()

	<-entered
	stop() // shutdown begins with a request in flight
	select {
	case err := <-served:
		t.Fatalf("Serve returned %v with a request in flight", err)
	case <-time.After(100 * time.Millisecond):
	}
	close(release)

	r := <-replied
	require.NoError(t, r.err)
	assert.Equal(t, "finished", r.body, "the in-flight request completes")
	require.NoError(t, <-served)
	_, err = net.DialTimeout("tcp", ln.Addr().String(), time.Second)
	assert.Error(t, err, "the listener is closed")
}

func TestConfigValidate(t *testing.T) {
	t.Parallel()
	_, err := New(Config{
		Checks:       map[string]Check{"db": nil},
		CheckTimeout: -time.Second,
		MaxBodyBytes: -1,
	})
	require.Error(t, err)
	for _, want := range []string{"GraphQL executor is required", `readiness check "db" is nil`,
		"CheckTimeout -1s is negative", "MaxBodyBytes -1 is negative"} {
		assert.ErrorContains(t, err, want)
	}
}
