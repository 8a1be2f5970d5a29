package httpapi

import (
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/coder/websocket/wsjson"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crossdock-hub/crossdock/projections"
	"github.com/crossdock-hub/crossdock/projections/match"
	"github.com/crossdock-hub/crossdock/queries"
)

// feed is a change source the test publishes into by hand: every listener gets every change.
type feed struct {
	mu        sync.Mutex
	listeners []chan projections.Change
	joined    chan struct{}
}

func newFeed() *feed { return &feed{joined: make(chan struct{}, 16)} }

func (f *feed) Listen(ctx context.Context, _ string) <-chan projections.Change {
	ch := make(chan projections.Change, 16)
	f.mu.Lock()
	f.listeners = append(f.listeners, ch)
	f.mu.Unlock()
	f.joined <- struct{}{}
	context.AfterFunc(ctx, func() {
		f.mu.Lock()
		defer f.mu.Unlock()
		for i, l := range f.listeners {
			if l == ch {
				f.listeners = append(f.listeners[:i], f.listeners[i+1:]...)
				close(ch)
			}
		}
	})
	return ch
}

func (f *feed) publish(t *testing.T, l match.Line) {
	t.Helper()
	row, err := json.Marshal(l)
	require.NoError(t, err)
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, ch := range f.listeners {
		ch <- projections.Change{Projection: match.Name, Kind: match.ChangeLine, Key: l.PONumber + "/" + l.LineNumber, Row: row}
	}
}

func wsServer(t *testing.T, f *feed, initTimeout time.Duration) string {
	t.Helper()
	svc, err := queries.NewService(queries.Config{Timeline: &fakeReader{}, Changes: f})
	require.NoError(t, err)
	s, err := New(Config{GraphQL: svc, Subscriptions: svc, WebSocketInitTimeout: initTimeout})
	require.NoError(t, err)
	ts := httptest.NewServer(s)
	t.Cleanup(ts.Close)
	return "ws" + strings.TrimPrefix(ts.URL, "http") + "/graphql"
}

func dial(t *testing.T, url string) *websocket.Conn {
	t.Helper()
	conn, resp, err := websocket.Dial(t.Context(), url, &websocket.DialOptions{Subprotocols: []string{"graphql-transport-ws"}})
	require.NoError(t, err)
	if resp.Body != nil {
		resp.Body.Close()
	}
	t.Cleanup(func() { conn.CloseNow() })
	require.Equal(t, "graphql-transport-ws", conn.Subprotocol())
	return conn
}

func send(t *testing.T, conn *websocket.Conn, m map[string]any) {
	t.Helper()
	require.NoError(t, wsjson.Write(t.Context(), conn, m))
}

func receive(t *testing.T, conn *websocket.Conn) wsMessage {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
	defer cancel()
	var m wsMessage
	require.NoError(t, wsjson.Read(ctx, conn, &m))
	return m
}

func closeCode(t *testing.T, conn *websocket.Conn) (websocket.StatusCode, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
	defer cancel()
	_, _, err := conn.Read(ctx)
	var ce websocket.CloseError
	require.ErrorAs(t, err, &ce)
	return ce.Code, ce.Reason
}

func TestGraphQLOverWebSocket(t *testing.T) {
	f := newFeed()
	url := wsServer(t, f, time.Second)
	conn := dial(t, url)

	send(t, conn, map[string]any{"type": "connection_init"})
	require.Equal(t, "connection_ack", receive(t, conn).Type)
	send(t, conn, map[string]any{"type": "ping"})
	require.Equal(t, "pong", receive(t, conn).Type)

	// A query runs once: next, then complete.
	send(t, conn, map[string]any{"type": "subscribe", "id": "q1", "payload": map[string]any{"query": "{ timeline { pageInfo { hasNextPage } } }"}})
	next := receive(t, conn)
	require.Equal(t, "next", next.Type)
	require.Equal(t, "q1", next.ID)
	require.JSONEq(t, `{"data":{"timeline":{"pageInfo":{"hasNextPage":false}}}}`, string(next.Payload))
	require.Equal(t, wsMessage{Type: "complete", ID: "q1"}, receive(t, conn))

	// A subscription: only the rows its filter keeps, until the client completes it.
	send(t, conn, map[string]any{"type": "subscribe", "id": "s1", "payload": map[string]any{
		"query":     `subscription($po: String) { purchaseOrderLineChanged(poNumber: $po) { poNumber lineNumber status received atRisk } }`,
		"variables": map[string]any{"po": "P1"}}})
	<-f.joined
	f.publish(t, match.Line{PONumber: "P2", LineNumber: "1", Status: match.StatusMatched})
	f.publish(t, match.Line{PONumber: "P1", LineNumber: "1", Status: match.StatusOverInvoiced, Received: decimal.RequireFromString("6"),
		AtRisk: decimal.RequireFromString("11.00")})
	next = receive(t, conn)
	require.Equal(t, "next", next.Type)
	require.Equal(t, "s1", next.ID)
	require.JSONEq(t, `{"data":{"purchaseOrderLineChanged":{"poNumber":"P1","lineNumber":"1","status":"over_invoiced","received":"6","atRisk":"11"}}}`, string(next.Payload))

	// The same id again while it runs is a protocol error... after the client completes it, no more rows.
	send(t, conn, map[string]any{"type": "complete", "id": "s1"})
	send(t, conn, map[string]any{"type": "subscribe", "id": "bad", "payload": map[string]any{"query": "subscription { nope }"}})
	errMsg := receive(t, conn)
	require.Equal(t, "error", errMsg.Type)
	require.Equal(t, "bad", errMsg.ID)
	assert.Contains(t, string(errMsg.Payload), "nope")

	send(t, conn, map[string]any{"type": "subscribe", "id": "s2", "payload": map[string]any{"query": "subscription { invoiceMatchChanged { invoiceNumber } }"}})
	<-f.joined
	send(t, conn, map[string]any{"type": "subscribe", "id": "s2", "payload": map[string]any{"query": "subscription { invoiceMatchChanged { invoiceNumber } }"}})
	code, reason := closeCode(t, conn)
	assert.Equal(t, websocket.StatusCode(4409), code)
	assert.Equal(t, "Subscriber for s2 already exists", reason)
}

func TestGraphQLOverWebSocketProtocolErrors(t *testing.T) {
	url := wsServer(t, newFeed(), 200*time.Millisecond)
	cases := []struct {
		name   string
		first  map[string]any
		code   websocket.StatusCode
		reason string
	}{
		{"no connection_init in time", nil, 4408, "Connection initialisation timeout"},
		{"subscribe before connection_init", map[string]any{"type": "subscribe", "id": "1", "payload": map[string]any{"query": "{ timeline { pageInfo { hasNextPage } } }"}}, 4401, "Unauthorized"},
		{"unknown message type", map[string]any{"type": "hello"}, 4400, `Invalid message received: unknown type "hello"`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			conn := dial(t, url)
			if c.first != nil {
				send(t, conn, c.first)
			}
			code, reason := closeCode(t, conn)
			assert.Equal(t, c.code, code)
			assert.Equal(t, c.reason, reason)
		})
	}
	t.Run("second connection_init", func(t *testing.T) {
		conn := dial(t, url)
		send(t, conn, map[string]any{"type": "connection_init"})
		require.Equal(t, "connection_ack", receive(t, conn).Type)
		send(t, conn, map[string]any{"type": "connection_init"})
		code, _ := closeCode(t, conn)
		assert.Equal(t, websocket.StatusCode(4429), code)
	})
}

// A subscription sent over HTTP is refused with a pointer to WebSocket.
func TestSubscriptionOverHTTPIsRefused(t *testing.T) {
	svc, err := queries.NewService(queries.Config{Timeline: &fakeReader{}, Changes: newFeed()})
	require.NoError(t, err)
	res := svc.Execute(t.Context(), queries.Request{Query: "subscription { invoiceMatchChanged { invoiceNumber } }"})
	require.Len(t, res.Errors, 1)
	assert.Contains(t, res.Errors[0].Message, "WebSocket")
	assert.False(t, res.Executed)
}

// Shutting the server down closes open WebSocket sessions with "going away" and waits for them.
func TestWebSocketSessionsCloseOnShutdown(t *testing.T) {
	f := newFeed()
	svc, err := queries.NewService(queries.Config{Timeline: &fakeReader{}, Changes: f})
	require.NoError(t, err)
	s, err := New(Config{GraphQL: svc, Subscriptions: svc, ShutdownTimeout: 5 * time.Second})
	require.NoError(t, err)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	ctx, stop := context.WithCancel(t.Context())
	served := make(chan error, 1)
	go func() { served <- s.Serve(ctx, ln) }()

	conn := dial(t, "ws://"+ln.Addr().String()+"/graphql")
	send(t, conn, map[string]any{"type": "connection_init"})
	require.Equal(t, "connection_ack", receive(t, conn).Type)
	send(t, conn, map[string]any{"type": "subscribe", "id": "s", "payload": map[string]any{"query": "subscription { purchaseOrderLineChanged { poNumber } }"}})
	<-f.joined

	stop()
	code, reason := closeCode(t, conn)
	assert.Equal(t, websocket.StatusGoingAway, code)
	assert.Equal(t, "server shutting down", reason)
	select {
	case err := <-served:
		require.NoError(t, err)
	case <-time.After(5 * time.Second):
		t.Fatal("Serve did not return after shutdown")
	}
}

// With GraphQL tokens configured, HTTP requests and WebSocket sessions need one; the token's roles decide
// what the caller sees.
func TestGraphQLTokens(t *testing.T) {
	const analyst = "analyst-token-0123456789abcdef01234567"
	const finance = "finance-token-0123456789abcdef01234567"
	tokens, err := ParseGraphQLTokens([]string{"analyst:" + analyst, "finance:" + finance, "analyst:" + finance})
	require.NoError(t, err)
	_, err = ParseGraphQLTokens([]string{"boss:" + analyst})
	require.ErrorContains(t, err, `unknown role "boss"`)
	_, err = ParseGraphQLTokens([]string{"finance:short"})
	require.ErrorContains(t, err, "at least 32 characters")

	f := newFeed()
	svc, err := queries.NewService(queries.Config{Timeline: &fakeReader{}, Changes: f})
	require.NoError(t, err)
	s, err := New(Config{GraphQL: svc, Subscriptions: svc, GraphQLTokens: tokens})
	require.NoError(t, err)
	ts := httptest.NewServer(s)
	t.Cleanup(ts.Close)

	post := func(token string) (int, string) {
		req, err := http.NewRequest(http.MethodPost, ts.URL+"/graphql", strings.NewReader(`{"query":"{ timeline { pageInfo { hasNextPage } } }"}`))
		require.NoError(t, err)
		req.Header.Set("Content-Type", "application/json")
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	status, body := post("")
	assert.Equal(t, http.StatusUnauthorized, status)
	assert.Contains(t, body, "needs a bearer token")
	status, body = post("not-a-token-0123456789abcdef0123456789")
	assert.Equal(t, http.StatusUnauthorized, status)
	assert.Contains(t, body, "not one this hub knows")
	status, body = post(analyst)
	assert.Equal(t, http.StatusOK, status)
	assert.JSONEq(t, `{"data":{"timeline":{"pageInfo":{"hasNextPage":false}}}}`, body)

	url := "ws" + strings.TrimPrefix(ts.URL, "http") + "/graphql"
	// No token: refused at connection_init.
	conn := dial(t, url)
	send(t, conn, map[string]any{"type": "connection_init"})
	code, reason := closeCode(t, conn)
	assert.Equal(t, websocket.StatusCode(4403), code)
	assert.Equal(t, "Forbidden: GraphQL needs a bearer token (Authorization: Bearer <token>)", reason)
	// The token in connection_init's payload, as browsers send it; the finance role sees amounts.
	conn = dial(t, url)
	send(t, conn, map[string]any{"type": "connection_init", "payload": map[string]any{"Authorization": "Bearer " + finance}})
	require.Equal(t, "connection_ack", receive(t, conn).Type)
	send(t, conn, map[string]any{"type": "subscribe", "id": "s", "payload": map[string]any{
		"query": "subscription { purchaseOrderLineChanged { poNumber atRisk } }"}})
	<-f.joined
	f.publish(t, match.Line{PONumber: "P9", LineNumber: "1", AtRisk: decimal.RequireFromString("3.5")})
	next := receive(t, conn)
	require.JSONEq(t, `{"data":{"purchaseOrderLineChanged":{"poNumber":"P9","atRisk":"3.5"}}}`, string(next.Payload))
}
