package httpapi

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/coder/websocket"
	"github.com/coder/websocket/wsjson"
	"github.com/labstack/echo/v4"

	"github.com/crossdock-hub/crossdock/adapters/problem"
	"github.com/crossdock-hub/crossdock/queries"
)

// GraphQL over WebSocket, the graphql-transport-ws protocol that Apollo and urql clients speak
// (github.com/enisdenjo/graphql-ws, PROTOCOL.md): the client opens GET /graphql with the subprotocol
// "graphql-transport-ws", sends connection_init and gets connection_ack, then runs operations with
// subscribe {id, payload: {query, variables, operationName}}; the server answers each with next messages
// and a complete (or one error for a request that cannot run), and the client stops one with complete.
// Protocol violations close the socket with the protocol's 44xx codes.

// GraphQLSubscriber runs GraphQL requests whose results stream; *queries.Service is the one Crossdock
// uses.
type GraphQLSubscriber interface {
	Subscribe(ctx context.Context, req queries.Request) <-chan queries.Result
}

const wsSubprotocol = "graphql-transport-ws"

// Close codes of graphql-transport-ws.
const (
	wsBadRequest       websocket.StatusCode = 4400
	wsUnauthorized     websocket.StatusCode = 4401
	wsForbidden        websocket.StatusCode = 4403
	wsInitTimeout      websocket.StatusCode = 4408
	wsSubscriberExists websocket.StatusCode = 4409
	wsTooManyInits     websocket.StatusCode = 4429
	wsProtocolMismatch websocket.StatusCode = 4406
)

type wsMessage struct {
	Type    string          `json:"type"`
	ID      string          `json:"id,omitempty"`
	Payload json.RawMessage `json:"payload,omitempty"`
}

// isWebSocket reports whether the request asks to upgrade to WebSocket.
func isWebSocket(r *http.Request) bool {
	return strings.EqualFold(r.Header.Get("Upgrade"), "websocket")
}

// graphqlWS serves one GraphQL over WebSocket connection until the client or the server ends it.
func (s *Server) graphqlWS(c echo.Context) error {
	if s.cfg.Subscriptions == nil {
		return echo.NewHTTPError(http.StatusNotImplemented, "GraphQL over WebSocket is not enabled on this server")
	}
	conn, err := websocket.Accept(c.Response(), c.Request(), &websocket.AcceptOptions{Subprotocols: []string{wsSubprotocol}})
	if err != nil {
		return nil // Accept wrote the HTTP error itself
	}
	if conn.Subprotocol() != wsSubprotocol {
		return conn.Close(wsProtocolMismatch, "Subprotocol not acceptable: use "+wsSubprotocol)
	}
	conn.SetReadLimit(s.cfg.MaxBodyBytes)
	s.sessions.Add(1)
	defer s.sessions.Done()

	ctx, cancel := context.WithCancel(c.Request().Context())
	defer cancel()
	sess := &wsSession{server: s, conn: conn, ctx: ctx, ops: map[string]context.CancelFunc{},
		upgradeAuth: c.Request().Header.Get(echo.HeaderAuthorization)}
	// A read cut short by its context would drop the connection without a close code: the timers close
	// it with the protocol's code instead, and the blocked read then returns.
	stopGoingAway := context.AfterFunc(s.closing, func() { sess.close(websocket.StatusGoingAway, "server shutting down") })
	defer stopGoingAway()
	initTimer := time.AfterFunc(s.cfg.WebSocketInitTimeout, func() {
		if !sess.isAcked() {
			sess.close(wsInitTimeout, "Connection initialisation timeout")
		}
	})
	defer initTimer.Stop()
	code, reason := sess.run()
	cancel()
	sess.wg.Wait()
	sess.close(code, reason)
	return nil
}

type wsSession struct {
	server *Server
	conn   *websocket.Conn
	ctx    context.Context
	wg     sync.WaitGroup

	// upgradeAuth is the upgrade request's Authorization header; a browser cannot set one, and sends the
	// token in connection_init's payload instead.
	upgradeAuth string

	mu     sync.Mutex
	acked  bool
	roles  []queries.Role
	ops    map[string]context.CancelFunc
	closed bool
}

// close closes the connection with code and reason, the first time it is called.
func (w *wsSession) close(code websocket.StatusCode, reason string) {
	w.mu.Lock()
	if w.closed {
		w.mu.Unlock()
		return
	}
	w.closed = true
	w.mu.Unlock()
	_ = w.conn.Close(code, reason)
}

// run reads the client's messages until the connection ends, and returns how to close it.
func (w *wsSession) run() (websocket.StatusCode, string) {
	for {
		var msg wsMessage
		if err := wsjson.Read(w.ctx, w.conn, &msg); err != nil {
			if errors.As(err, new(*json.SyntaxError)) || errors.As(err, new(*json.UnmarshalTypeError)) {
				return wsBadRequest, "Invalid message received"
			}
			return websocket.StatusNormalClosure, "" // closed by the client, a timer or the network
		}
		switch msg.Type {
		case "connection_init":
			if w.isAcked() {
				return wsTooManyInits, "Too many initialisation requests"
			}
			auth := w.upgradeAuth
			if auth == "" {
				var p struct {
					Authorization      string `json:"Authorization"`
					AuthorizationLower string `json:"authorization"`
				}
				_ = json.Unmarshal(msg.Payload, &p) // no payload, or another shape: no token
				auth = cmp.Or(p.Authorization, p.AuthorizationLower)
			}
			roles, err := w.server.auth.roles(auth)
			if err != nil {
				return wsForbidden, "Forbidden: " + errorDetail(err)
			}
			w.mu.Lock()
			w.acked, w.roles = true, roles
			w.mu.Unlock()
			if err := w.send(wsMessage{Type: "connection_ack"}); err != nil {
				return websocket.StatusNormalClosure, ""
			}
		case "ping":
			if err := w.send(wsMessage{Type: "pong", Payload: msg.Payload}); err != nil {
				return websocket.StatusNormalClosure, ""
			}
		case "pong":
		case "subscribe":
			if !w.isAcked() {
				return wsUnauthorized, "Unauthorized"
			}
			if msg.ID == "" {
				return wsBadRequest, "Invalid message received: subscribe without an id"
			}
			var req queries.Request
			if err := json.Unmarshal(msg.Payload, &req); err != nil {
				return wsBadRequest, "Invalid message received: " + jsonErrorDetail(err)
			}
			if !w.start(msg.ID, req) {
				return wsSubscriberExists, fmt.Sprintf("Subscriber for %s already exists", msg.ID)
			}
		case "complete":
			w.mu.Lock()
			if stop, ok := w.ops[msg.ID]; ok {
				stop()
				delete(w.ops, msg.ID)
			}
			w.mu.Unlock()
		default:
			return wsBadRequest, fmt.Sprintf("Invalid message received: unknown type %q", msg.Type)
		}
	}
}

func (w *wsSession) isAcked() bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.acked
}

// start runs operation id, unless one with that id is running.
func (w *wsSession) start(id string, req queries.Request) bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	if _, dup := w.ops[id]; dup {
		return false
	}
	ctx, stop := context.WithCancel(queries.WithRoles(w.ctx, w.roles...))
	w.ops[id] = stop
	w.wg.Go(func() {
		defer stop()
		stopped := w.stream(ctx, id, req)
		w.mu.Lock()
		delete(w.ops, id)
		w.mu.Unlock()
		if !stopped {
			_ = w.send(wsMessage{Type: "complete", ID: id})
		}
	})
	return true
}

// stream sends the operation's results; it reports whether it ended because the client completed it
// or the connection ended (nothing more is to be sent then).
func (w *wsSession) stream(ctx context.Context, id string, req queries.Request) (stopped bool) {
	for res := range w.server.cfg.Subscriptions.Subscribe(ctx, req) {
		if ctx.Err() != nil {
			continue // drain: the operation's goroutines finish once ctx has ended
		}
		if !res.Executed {
			// The request cannot run (parse, depth, validation): one error message, and no complete.
			payload, _ := json.Marshal(res.Errors)
			_ = w.send(wsMessage{Type: "error", ID: id, Payload: payload})
			return true
		}
		payload, err := json.Marshal(res)
		if err != nil {
			w.server.cfg.Logger.ErrorContext(ctx, "encode graphql result", "error", err)
			continue
		}
		if err := w.send(wsMessage{Type: "next", ID: id, Payload: payload}); err != nil {
			return true
		}
	}
	return ctx.Err() != nil
}

// send writes one message. Its context is not the session's: a write cut short by a cancelled context
// makes the library drop the connection without a close code, and the session is cancelled to stop its
// operations just before it closes the connection with one.
func (w *wsSession) send(m wsMessage) error {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(w.ctx), 10*time.Second)
	defer cancel()
	return wsjson.Write(ctx, w.conn, m)
}

// errorDetail is what a close reason says of an error: a problem's detail, else its text.
func errorDetail(err error) string {
	var p *problem.Problem
	if errors.As(err, &p) {
		return p.Detail
	}
	return err.Error()
}
