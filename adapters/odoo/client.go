package odoo

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/cenkalti/backoff/v5"
	"github.com/sony/gobreaker/v2"
	"golang.org/x/time/rate"
)

// Client calls one Odoo database. It is safe for concurrent use.
type Client struct {
	cfg     Config
	base    *url.URL
	slots   chan struct{}
	limiter *rate.Limiter
	breaker *gobreaker.CircuitBreaker[json.RawMessage]
	ids     atomic.Int64 // JSON-RPC request ids

	mu       sync.Mutex
	version  *Version
	schema   Schema
	protocol string
	uid      int64
}

// New returns a Client. It does not call Odoo: the first call asks the version (and, on JSON-RPC, logs in).
func New(cfg Config) (*Client, error) {
	cfg.setDefaults()
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	base, _ := url.Parse(strings.TrimRight(cfg.URL, "/")) // Validate parsed it
	c := &Client{cfg: cfg, base: base, slots: make(chan struct{}, cfg.Concurrency),
		limiter: rate.NewLimiter(rate.Limit(cfg.RatePerSecond), cfg.Burst)}
	c.breaker = gobreaker.NewCircuitBreaker[json.RawMessage](gobreaker.Settings{
		Name:    base.Host,
		Timeout: cfg.BreakerCooldown,
		ReadyToTrip: func(counts gobreaker.Counts) bool {
			return counts.ConsecutiveFailures >= uint32(cfg.BreakerFailures)
		},
		// Only Odoo being unreachable or failing counts against it: a refused payload, or a lock that
		// outlived Odoo's own retries, is an answer from a server that is up.
		IsSuccessful: func(err error) bool { return !errors.Is(err, ErrUnavailable) },
		IsExcluded:   func(err error) bool { return errors.Is(err, context.Canceled) },
		OnStateChange: func(name string, from, to gobreaker.State) {
			cfg.Logger.Warn("odoo circuit changed", "odoo", name, "from", from.String(), "to", to.String())
		},
	})
	return c, nil
}

// URL is the server's base URL.
func (c *Client) URL() string { return c.base.String() }

// Database is the database the client calls.
func (c *Client) Database() string { return c.cfg.Database }

// Version asks the server's version once and remembers it.
func (c *Client) Version(ctx context.Context) (Version, error) {
	if err := c.connect(ctx); err != nil {
		return Version{}, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return *c.version, nil
}

// Schema is the field names of the server's version.
func (c *Client) Schema(ctx context.Context) (Schema, error) {
	if err := c.connect(ctx); err != nil {
		return Schema{}, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.schema, nil
}

// Protocol is the protocol the client speaks to this server: ProtocolJSON2 or ProtocolJSONRPC.
func (c *Client) Protocol(ctx context.Context) (string, error) {
	if err := c.connect(ctx); err != nil {
		return "", err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.protocol, nil
}

// connect learns the version, picks the protocol and, for JSON-RPC, logs in: once per Client.
func (c *Client) connect(ctx context.Context) error {
	c.mu.Lock()
	done := c.version != nil && (c.protocol == ProtocolJSON2 || c.uid != 0)
	c.mu.Unlock()
	if done {
		return nil
	}
	v, err := c.askVersion(ctx)
	if err != nil {
		return err
	}
	schema, err := SchemaFor(v)
	if err != nil {
		return err
	}
	protocol := c.cfg.Protocol
	if protocol == ProtocolAuto {
		protocol = ProtocolJSONRPC
		if v.AtLeast(19, 0) {
			protocol = ProtocolJSON2
		}
	}
	if protocol == ProtocolJSON2 && !v.AtLeast(19, 0) {
		return fmt.Errorf("odoo at %s is %s: JSON-2 needs 19 or later", c.base, v)
	}
	var uid int64
	if protocol == ProtocolJSONRPC {
		if uid, err = c.authenticate(ctx); err != nil {
			return err
		}
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.version, c.schema, c.protocol, c.uid = &v, schema, protocol, uid
	return nil
}

func (c *Client) askVersion(ctx context.Context) (Version, error) {
	var info struct {
		ServerVersion     string `json:"server_version"`
		ServerVersionInfo []any  `json:"server_version_info"`
		Version           string `json:"version"`
		VersionInfo       []any  `json:"version_info"`
	}
	var raw json.RawMessage
	var err error
	if c.cfg.Protocol != ProtocolJSON2 {
		raw, err = c.do(ctx, "common", "version", false, func(ctx context.Context) (json.RawMessage, error) {
			return c.jsonrpc(ctx, "common", "version", []any{}, "common", "version")
		})
	}
	if c.cfg.Protocol == ProtocolJSON2 || errors.Is(err, ErrNotFound) {
		// Without /jsonrpc (JSON-2 only, or Odoo 22 and later): the web route.
		raw, err = c.do(ctx, "web", "version", false, func(ctx context.Context) (json.RawMessage, error) {
			return c.send(ctx, http.MethodGet, "/web/version", nil, nil, "web", "version")
		})
	}
	if err != nil {
		return Version{}, fmt.Errorf("odoo at %s: ask the version: %w", c.base, err)
	}
	if err := json.Unmarshal(raw, &info); err != nil {
		return Version{}, fmt.Errorf("odoo at %s: version answer %s: %w", c.base, truncate(raw), err)
	}
	vi, serie := info.ServerVersionInfo, info.ServerVersion
	if vi == nil {
		vi, serie = info.VersionInfo, info.Version
	}
	if len(vi) < 2 {
		return Version{}, fmt.Errorf("odoo at %s: version answer %s has no version_info", c.base, truncate(raw))
	}
	major, ok1 := vi[0].(float64)
	minor, ok2 := vi[1].(float64)
	if !ok1 || !ok2 {
		return Version{}, fmt.Errorf("odoo at %s: version_info %v is not numeric", c.base, vi)
	}
	return Version{Major: int(major), Minor: int(minor), Serie: serie}, nil
}

func (c *Client) authenticate(ctx context.Context) (int64, error) {
	raw, err := c.do(ctx, "common", "authenticate", false, func(ctx context.Context) (json.RawMessage, error) {
		return c.jsonrpc(ctx, "common", "authenticate", []any{c.cfg.Database, c.cfg.Login, c.cfg.APIKey, map[string]any{}},
			"common", "authenticate")
	})
	if err != nil {
		return 0, fmt.Errorf("odoo at %s: log in as %s: %w", c.base, c.cfg.Login, err)
	}
	var uid int64
	if json.Unmarshal(raw, &uid) != nil || uid == 0 {
		// A wrong login or key answers false, not an error.
		return 0, fmt.Errorf("odoo at %s: log in as %s on database %s: %w", c.base, c.cfg.Login, c.cfg.Database, ErrAuthentication)
	}
	return uid, nil
}

// request is one call of a model's method, in both protocols' terms.
type request struct {
	model, method string
	// ids, for a record method: JSON-2's "ids", JSON-RPC's first positional argument.
	ids    []int64
	record bool
	// args are JSON-RPC's positional arguments after ids; named are the same parameters by name, for
	// JSON-2 (which has no positional ones); kwargs go to both.
	args   []any
	named  map[string]any
	kwargs map[string]any
	// context is merged over Config.Context.
	context map[string]any
	// create: repeated only when the failure shows nothing was applied (Odoo has no idempotency key).
	create bool
}

// call sends a request with the protocol of the server, retrying what may pass later.
func (c *Client) call(ctx context.Context, req request) (json.RawMessage, error) {
	if err := c.connect(ctx); err != nil {
		return nil, err
	}
	c.mu.Lock()
	protocol, uid := c.protocol, c.uid
	c.mu.Unlock()
	callContext := maps.Clone(c.cfg.Context)
	maps.Copy(callContext, req.context)
	return c.do(ctx, req.model, req.method, req.create, func(ctx context.Context) (json.RawMessage, error) {
		if protocol == ProtocolJSON2 {
			body := maps.Clone(req.named)
			if body == nil {
				body = map[string]any{}
			}
			maps.Copy(body, req.kwargs)
			if req.record {
				body["ids"] = nonNil(req.ids)
			}
			body["context"] = callContext
			return c.send(ctx, http.MethodPost, "/json/2/"+url.PathEscape(req.model)+"/"+url.PathEscape(req.method), body,
				map[string]string{"Authorization": "bearer " + c.cfg.APIKey, "X-Odoo-Database": c.cfg.Database}, req.model, req.method)
		}
		var args []any
		if req.record {
			args = append(args, nonNil(req.ids))
		}
		args = append(args, req.args...)
		kwargs := maps.Clone(req.kwargs)
		if kwargs == nil {
			kwargs = map[string]any{}
		}
		kwargs["context"] = callContext
		return c.jsonrpc(ctx, "object", "execute_kw",
			[]any{c.cfg.Database, uid, c.cfg.APIKey, req.model, req.method, nonNil(args), kwargs}, req.model, req.method)
	})
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// do runs one logical call: attempts through the concurrency slots, the rate limit and the circuit
// breaker, repeated with jittered exponential backoff while the failure is retryable (and, for a
// create, while it shows nothing was applied).
func (c *Client) do(ctx context.Context, model, method string, create bool, send func(context.Context) (json.RawMessage, error)) (json.RawMessage, error) {
	b := &backoff.ExponentialBackOff{InitialInterval: c.cfg.InitialBackoff, RandomizationFactor: 0.5, Multiplier: 2,
		MaxInterval: c.cfg.MaxBackoff}
	attempt := 0
	op := func() (json.RawMessage, error) {
		attempt++
		res, err := c.attempt(ctx, send)
		if err == nil {
			return res, nil
		}
		if ctx.Err() != nil || errors.Is(err, ErrCircuitOpen) || !Retryable(err) || (create && !notApplied(err)) {
			return nil, backoff.Permanent(err)
		}
		return nil, err
	}
	notify := func(err error, wait time.Duration) {
		c.cfg.Logger.WarnContext(ctx, "odoo call failed, retrying", "odoo", c.base.Host, "model", model, "method", method,
			"attempt", attempt, "wait", wait, "error", err)
	}
	res, err := backoff.Retry(ctx, op, backoff.WithBackOff(b), backoff.WithMaxTries(uint(c.cfg.MaxAttempts)),
		backoff.WithMaxElapsedTime(0), backoff.WithNotify(notify))
	if err != nil && ctx.Err() != nil && !errors.Is(err, ctx.Err()) {
		err = fmt.Errorf("%w (%w)", ctx.Err(), err)
	}
	return res, err
}

// attempt sends once, within the client's limits.
func (c *Client) attempt(ctx context.Context, send func(context.Context) (json.RawMessage, error)) (json.RawMessage, error) {
	select {
	case c.slots <- struct{}{}:
		defer func() { <-c.slots }()
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	if err := c.limiter.Wait(ctx); err != nil {
		return nil, err
	}
	res, err := c.breaker.Execute(func() (json.RawMessage, error) {
		actx, cancel := context.WithTimeout(ctx, c.cfg.Timeout)
		defer cancel()
		return send(actx)
	})
	if errors.Is(err, gobreaker.ErrOpenState) || errors.Is(err, gobreaker.ErrTooManyRequests) {
		return nil, fmt.Errorf("odoo at %s: %w: %w", c.base.Host, ErrCircuitOpen, err)
	}
	return res, err
}

// jsonrpc posts a JSON-RPC call to /jsonrpc and returns its result, or its error as *Error.
func (c *Client) jsonrpc(ctx context.Context, service, method string, args []any, model, label string) (json.RawMessage, error) {
	body := map[string]any{"jsonrpc": "2.0", "method": "call", "id": c.ids.Add(1),
		"params": map[string]any{"service": service, "method": method, "args": args}}
	raw, err := c.send(ctx, http.MethodPost, "/jsonrpc", body, nil, model, label)
	if err != nil {
		return nil, err
	}
	var answer struct {
		Result json.RawMessage `json:"result"`
		Error  *struct {
			Code    int    `json:"code"`
			Message string `json:"message"`
			Data    struct {
				Name    string `json:"name"`
				Message string `json:"message"`
			} `json:"data"`
		} `json:"error"`
	}
	if err := json.Unmarshal(raw, &answer); err != nil {
		return nil, &Error{Model: model, Method: label, Status: http.StatusOK, Message: "answer is not JSON-RPC: " + truncate(raw)}
	}
	if answer.Error != nil {
		msg := answer.Error.Data.Message
		if msg == "" {
			msg = answer.Error.Message
		}
		return nil, &Error{Model: model, Method: label, Name: answer.Error.Data.Name, Message: msg, Status: http.StatusOK}
	}
	if answer.Result == nil {
		return nil, &Error{Model: model, Method: label, Status: http.StatusOK, Message: "answer has neither result nor error"}
	}
	return answer.Result, nil
}

// send makes one HTTP request and returns a 200's body; any other status is an *Error (JSON-2's error
// body read when there is one), a failed request an ErrUnavailable.
func (c *Client) send(ctx context.Context, method, path string, body any, headers map[string]string, model, label string) (json.RawMessage, error) {
	var reader io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return nil, fmt.Errorf("odoo: %s.%s: encode the request: %w", model, label, err)
		}
		reader = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base.String()+path, reader)
	if err != nil {
		return nil, fmt.Errorf("odoo: %s.%s: %w", model, label, err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Accept", "application/json")
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	resp, err := c.cfg.HTTPClient.Do(req)
	if err != nil {
		if ctx.Err() != nil && errors.Is(context.Cause(ctx), context.DeadlineExceeded) {
			err = fmt.Errorf("no answer within %s: %w", c.cfg.Timeout, err)
		}
		return nil, fmt.Errorf("odoo: %s.%s at %s: %w: %w", model, label, c.base.Host, ErrUnavailable, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, 256<<20))
	if err != nil {
		return nil, fmt.Errorf("odoo: %s.%s at %s: read the answer: %w: %w", model, label, c.base.Host, ErrUnavailable, err)
	}
	if resp.StatusCode == http.StatusOK {
		return raw, nil
	}
	e := &Error{Model: model, Method: label, Status: resp.StatusCode}
	var odooErr struct {
		Name    string `json:"name"`
		Message string `json:"message"`
	}
	if strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") && json.Unmarshal(raw, &odooErr) == nil && odooErr.Name != "" {
		e.Name, e.Message = odooErr.Name, odooErr.Message
	} else {
		e.Message = strings.TrimSpace(textOf(raw))
	}
	return nil, e
}

// textOf is a short plain-text excerpt of an HTML or text body, for an error message.
func textOf(b []byte) string {
	var out strings.Builder
	inTag := false
	for _, r := range string(b) {
		if out.Len() > 200 {
			break
		}
		switch {
		case r == '<':
			inTag = true
		case r == '>':
			inTag = false
			out.WriteByte(' ')
		case !inTag:
			out.WriteRune(r)
		}
	}
	return strings.Join(strings.Fields(out.String()), " ")
}
