package admin

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/crossdock-hub/crossdock/adapters/problem"
	"github.com/crossdock-hub/crossdock/domain/partner"
)

// Token statuses in a TokenView.
const (
	TokenActive  = "active"
	TokenExpired = "expired"
	TokenRevoked = "revoked"
)

// TokenView is a token as an operator sees it: never its value, never its hash.
type TokenView struct {
	TokenID string `json:"token_id"`
	// Name is the bootstrap declaration the token came from, if any.
	Name      string    `json:"name,omitempty"`
	Kinds     []string  `json:"kinds"`
	ExpiresAt time.Time `json:"expires_at,omitzero"`
	// Replaces is the token this one replaced by rotation.
	Replaces string `json:"replaces,omitempty"`
	// Status is TokenActive, TokenExpired or TokenRevoked.
	Status       string `json:"status"`
	RevokeReason string `json:"revoke_reason,omitempty"`
}

// NewTokenView describes t as of now.
func NewTokenView(t partner.Token, now time.Time) TokenView {
	v := TokenView{TokenID: t.ID, Name: t.Name, Kinds: t.Kinds, ExpiresAt: t.ExpiresAt, Replaces: t.Replaces,
		Status: TokenActive, RevokeReason: t.RevokeReason}
	switch {
	case t.Revoked:
		v.Status = TokenRevoked
	case !t.ValidAt(now):
		v.Status = TokenExpired
	}
	if v.Kinds == nil {
		v.Kinds = []string{}
	}
	return v
}

// IssuedToken answers the issue and the rotation of a token: the only time its value is shown.
type IssuedToken struct {
	PartnerID string `json:"partner_id"`
	TokenID   string `json:"token_id"`
	// Token is the clear bearer token. It is not kept anywhere: hand it to the partner now.
	Token     string    `json:"token"`
	Kinds     []string  `json:"kinds"`
	ExpiresAt time.Time `json:"expires_at,omitzero"`
	// Replaces is the token a rotation revoked.
	Replaces string `json:"replaces,omitempty"`
}

type tokenList struct {
	PartnerID string      `json:"partner_id"`
	Tokens    []TokenView `json:"tokens"`
}

// issueRequest is the body of POST /partners/{id}/tokens.
type issueRequest struct {
	Kinds []string `json:"kinds"`
	// ExpiresAt is a date (midnight UTC) or an RFC 3339 instant; empty: until revoked.
	ExpiresAt string `json:"expires_at"`
}

// revokeRequest is the optional body of DELETE /partners/{id}/tokens/{token_id}.
type revokeRequest struct {
	Reason string `json:"reason"`
}

func (a *Admin) listTokens(c echo.Context) error {
	id := c.Param("id")
	tokens, ok := a.dir.Tokens(id)
	if !ok {
		return notFound("no partner %q", id)
	}
	now := a.now()
	out := tokenList{PartnerID: id, Tokens: make([]TokenView, len(tokens))}
	for i, t := range tokens {
		out.Tokens[i] = NewTokenView(t, now)
	}
	return c.JSON(http.StatusOK, out)
}

func (a *Admin) issueToken(c echo.Context) error {
	id, p := registeredID(c)
	if p != nil {
		return p
	}
	who, p := actor(c)
	if p != nil {
		return p
	}
	var req issueRequest
	if p := a.readJSON(c, &req); p != nil {
		return p
	}
	var expires time.Time
	if strings.TrimSpace(req.ExpiresAt) != "" {
		t, err := parseInstant(req.ExpiresAt)
		if err != nil {
			return invalid("the token request cannot be read", problem.FieldError{Pointer: "/expires_at", Detail: err.Error()})
		}
		expires = t
	}
	ctx := c.Request().Context()
	token, tokenID, err := a.partners.IssueToken(ctx, id, req.Kinds, expires, who)
	if err != nil {
		return registryProblem(err, id, "", nil)
	}
	a.sync(ctx, id, "issue token "+tokenID)
	out := IssuedToken{PartnerID: id, TokenID: tokenID, Token: token, Kinds: req.Kinds, ExpiresAt: expires}
	a.describe(&out)
	return issued(c, out)
}

func (a *Admin) rotateToken(c echo.Context) error {
	id, p := registeredID(c)
	if p != nil {
		return p
	}
	old := c.Param("token_id")
	who, p := actor(c)
	if p != nil {
		return p
	}
	ctx := c.Request().Context()
	token, tokenID, err := a.partners.RotateToken(ctx, id, old, who)
	if err != nil {
		return registryProblem(err, id, old, nil)
	}
	a.sync(ctx, id, "rotate token "+old)
	out := IssuedToken{PartnerID: id, TokenID: tokenID, Token: token, Replaces: old}
	a.describe(&out)
	return issued(c, out)
}

// describe fills a new token's terms from the directory, where the registry normalized them.
func (a *Admin) describe(out *IssuedToken) {
	tokens, _ := a.dir.Tokens(out.PartnerID)
	for _, t := range tokens {
		if t.ID == out.TokenID {
			out.Kinds, out.ExpiresAt = t.Kinds, t.ExpiresAt
		}
	}
	if out.Kinds == nil {
		out.Kinds = []string{}
	}
}

// issued answers a clear token, which no cache may keep.
func issued(c echo.Context, out IssuedToken) error {
	c.Response().Header().Set(echo.HeaderCacheControl, "no-store")
	return c.JSON(http.StatusCreated, out)
}

// revokeToken ends a token. The reason (?reason=, or a JSON body {"reason": ...}) goes to the audit
// trail; without one, the trail says who revoked it.
func (a *Admin) revokeToken(c echo.Context) error {
	id, p := registeredID(c)
	if p != nil {
		return p
	}
	tokenID := c.Param("token_id")
	who, p := actor(c)
	if p != nil {
		return p
	}
	var req revokeRequest
	if p := a.readJSON(c, &req); p != nil {
		return p
	}
	reason := strings.TrimSpace(c.QueryParam("reason"))
	if reason == "" {
		reason = strings.TrimSpace(req.Reason)
	}
	if reason == "" {
		reason = "revoked by " + who + " through the admin API"
	}
	ctx := c.Request().Context()
	if err := a.partners.RevokeToken(ctx, id, tokenID, reason, who); err != nil {
		return registryProblem(err, id, tokenID, nil)
	}
	a.sync(ctx, id, "revoke token "+tokenID)
	view := TokenView{TokenID: tokenID, Kinds: []string{}, Status: TokenRevoked, RevokeReason: reason}
	tokens, _ := a.dir.Tokens(id)
	for _, t := range tokens {
		if t.ID == tokenID {
			view = NewTokenView(t, a.now())
		}
	}
	return c.JSON(http.StatusOK, view)
}

// setSecret stores the HMAC secret a partner signs one webhook format with. The body is the secret
// itself (text/plain or application/octet-stream); one trailing line break, as a shell pipe leaves, is
// not part of it. It is sealed before it is stored and never logged.
func (a *Admin) setSecret(c echo.Context) error {
	id, p := registeredID(c)
	if p != nil {
		return p
	}
	format := c.Param("format")
	who, p := actor(c)
	if p != nil {
		return p
	}
	mt, p := mediaType(c)
	if p != nil {
		return p
	}
	if mt != echo.MIMETextPlain && mt != echo.MIMEOctetStream {
		return unsupported(mt, "the secret as text/plain")
	}
	body, p := a.readBody(c)
	if p != nil {
		return p
	}
	secret := trimLineBreak(body)
	ctx := c.Request().Context()
	if err := a.partners.SetHMACSecret(ctx, id, format, secret, who); err != nil {
		return registryProblem(err, id, "", nil)
	}
	a.sync(ctx, id, "set "+format+" webhook secret")
	return c.NoContent(http.StatusNoContent)
}

func (a *Admin) removeSecret(c echo.Context) error {
	id, p := registeredID(c)
	if p != nil {
		return p
	}
	format := c.Param("format")
	who, p := actor(c)
	if p != nil {
		return p
	}
	if !partner.IsWebhookFormat(format) {
		return invalid("no such webhook format", problem.FieldError{Pointer: "/format",
			Detail: fmt.Sprintf("%q is not a format webhooks are signed in", format)})
	}
	ctx := c.Request().Context()
	if err := a.partners.RemoveHMACSecret(ctx, id, format, who); err != nil {
		return registryProblem(err, id, "", nil)
	}
	a.sync(ctx, id, "remove "+format+" webhook secret")
	return c.NoContent(http.StatusNoContent)
}

// trimLineBreak drops one trailing "\n" or "\r\n".
func trimLineBreak(b []byte) []byte {
	b = bytes.TrimSuffix(b, []byte("\n"))
	return bytes.TrimSuffix(b, []byte("\r"))
}

// readJSON reads an optional JSON request body into v, refusing unknown members.
func (a *Admin) readJSON(c echo.Context, v any) *problem.Problem {
	_, p := a.decodeJSON(c, v, false)
	return p
}

// decodeJSON reads a JSON request body into v, refusing unknown members, and returns its bytes. An empty
// body is refused when required, else left as v is.
func (a *Admin) decodeJSON(c echo.Context, v any, required bool) ([]byte, *problem.Problem) {
	body, p := a.readBody(c)
	if p != nil {
		return nil, p
	}
	if len(bytes.TrimSpace(body)) == 0 {
		if required {
			return nil, invalid("the body is empty: send the JSON object")
		}
		return body, nil
	}
	mt, p := mediaType(c)
	if p != nil {
		return nil, p
	}
	if mt != "" && mt != echo.MIMEApplicationJSON {
		return nil, unsupported(mt, "application/json")
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	err := dec.Decode(v)
	if err == nil {
		if dec.Decode(&struct{}{}) != io.EOF {
			return nil, invalid("the body holds more than one JSON value")
		}
		return body, nil
	}
	return nil, invalid("the body cannot be read", jsonFieldError(body, err))
}

// jsonFieldError says where a JSON body could not be decoded.
func jsonFieldError(body []byte, err error) problem.FieldError {
	fe := problem.FieldError{Detail: strings.TrimPrefix(err.Error(), "json: ")}
	if te, ok := errors.AsType[*json.UnmarshalTypeError](err); ok {
		if te.Field != "" {
			fe.Pointer = "/" + strings.ReplaceAll(te.Field, ".", "/")
		}
		fe.Detail = fmt.Sprintf("must be %s, not a JSON %s", te.Type, te.Value)
	}
	if se, ok := errors.AsType[*json.SyntaxError](err); ok {
		line, col := lineColumn(body, se.Offset-1) // Offset is just past the offending byte
		fe.Where = fmt.Sprintf("line %d, column %d", line, col)
	}
	if name, ok := strings.CutPrefix(fe.Detail, "unknown field "); ok {
		fe.Pointer = "/" + strings.Trim(name, `"`)
	}
	return fe
}
