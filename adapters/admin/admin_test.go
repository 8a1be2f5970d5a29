package admin_test

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/stretchr/testify/require"

	"github.com/crossdock-hub/crossdock/adapters/admin"
	"github.com/crossdock-hub/crossdock/adapters/archive"
	"github.com/crossdock-hub/crossdock/adapters/httpapi"
	"github.com/crossdock-hub/crossdock/adapters/ingest"
	"github.com/crossdock-hub/crossdock/adapters/problem"
	"github.com/crossdock-hub/crossdock/commands"
	"github.com/crossdock-hub/crossdock/domain/partner"
	"github.com/crossdock-hub/crossdock/eventstore/sqlite"
	"github.com/crossdock-hub/crossdock/projections/partnerdir"
	"github.com/crossdock-hub/crossdock/queries"
)

const adminToken = "adm_0123456789abcdef0123456789abcdef"

var t0 = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

// noGraphQL stands in for the GraphQL service the HTTP server requires; these tests never query it.
type noGraphQL struct{}

func (noGraphQL) Execute(context.Context, queries.Request) queries.Result { return queries.Result{} }

// fakeReplayer answers a replay with a fixed outcome, or ErrNotFound for any other message.
type fakeReplayer struct {
	mu      sync.Mutex
	outcome ingest.Outcome
	actors  []string
}

func (f *fakeReplayer) Replay(_ context.Context, id, actor string) (ingest.Outcome, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if id != f.outcome.MessageID {
		return ingest.Outcome{}, archive.ErrNotFound
	}
	f.actors = append(f.actors, actor)
	return f.outcome, nil
}

// fakeLister records the query and answers fixed messages.
type fakeLister struct {
	mu       sync.Mutex
	messages []archive.Message
	queries  []archive.QuarantineQuery
}

func (f *fakeLister) Quarantine(_ context.Context, q archive.QuarantineQuery) ([]archive.Message, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.queries = append(f.queries, q)
	return f.messages, nil
}

type fixture struct {
	srv      http.Handler
	dir      *partnerdir.Directory
	replayer *fakeReplayer
	lister   *fakeLister
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	logger := slog.New(slog.NewTextHandler(t.Output(), nil))
	store, err := sqlite.Open(t.Context(), filepath.Join(t.TempDir(), "crossdock.db"), sqlite.Config{})
	require.NoError(t, err)
	t.Cleanup(func() { _ = store.Close() })
	key := make([]byte, partner.SealKeySize)
	_, err = rand.Read(key)
	require.NoError(t, err)
	clock := func() time.Time { return t0 }

	handler, err := commands.NewPartnerHandler(store, commands.PartnerConfig{SealKey: key, Logger: logger, Clock: clock})
	require.NoError(t, err)
	dir, err := partnerdir.New(store, partnerdir.Config{SealKey: key, Logger: logger, Clock: clock})
	require.NoError(t, err)
	orders, err := commands.NewPlaceOrderHandler(store, commands.PlaceOrderConfig{Logger: logger})
	require.NoError(t, err)

	f := &fixture{dir: dir, replayer: &fakeReplayer{}, lister: &fakeLister{}}
	a, err := admin.New(admin.Config{
		Token: adminToken, Partners: handler, Directory: dir, Replayer: f.replayer, Messages: f.lister,
		Orders: orders, Logger: logger, Clock: clock,
	})
	require.NoError(t, err)
	srv, err := httpapi.New(httpapi.Config{
		Logger: logger, GraphQL: noGraphQL{},
		Mount: func(e *echo.Echo) { a.Register(e.Group("/api/v1")) },
	})
	require.NoError(t, err)
	f.srv = srv
	return f
}

type response struct {
	status int
	header http.Header
	body   []byte
}

func (r response) json(t *testing.T, v any) {
	t.Helper()
	require.NoError(t, json.Unmarshal(r.body, v), string(r.body))
}

func (r response) problem(t *testing.T) problem.Problem {
	t.Helper()
	require.Equal(t, problem.ContentType, r.header.Get(echo.HeaderContentType), string(r.body))
	var p problem.Problem
	r.json(t, &p)
	return p
}

// do sends a request with the admin token and the given headers ("Name: value").
func (f *fixture) do(t *testing.T, method, path, contentType, body string, headers ...string) response {
	t.Helper()
	req := httptest.NewRequestWithContext(t.Context(), method, path, strings.NewReader(body))
	req.Header.Set(echo.HeaderAuthorization, "Bearer "+adminToken)
	if contentType != "" {
		req.Header.Set(echo.HeaderContentType, contentType)
	}
	for _, h := range headers {
		name, value, _ := strings.Cut(h, ": ")
		req.Header.Set(name, value)
	}
	rec := httptest.NewRecorder()
	f.srv.ServeHTTP(rec, req)
	out, err := io.ReadAll(rec.Result().Body)
	require.NoError(t, err)
	return response{status: rec.Code, header: rec.Header(), body: out}
}

const base = "/api/v1/admin"

const acmeJSON = `{
  "id": "acme",
  "name": "ACME Supply Co.",
  "roles": ["supplier"],
  "effective_from": "2026-01-01",
  "identifiers": {"isa": [{"qualifier": "12", "id": "4405197800"}], "gln": ["0614141000012"]},
  "channels": [{"kind": "http", "format": "x12", "documents": ["asn", "invoice"]}],
  "items": [{"partner_item": "VP-100", "upc": "044051978000", "product": "FURN_0100"}],
  "units": [{"partner_unit": "CS", "factor": 12, "unit": "EA"}],
  "tolerances": {"over_ship_percent": 5, "price_variance_percent": "2.5"},
  "sla": {"ack_within_hours": 24}
}`

// acmeYAMLWithItem is acmeJSON as YAML, with one more crosswalk entry.
const acmeYAMLWithItem = `id: acme
name: ACME Supply Co.
roles: [supplier]
effective_from: 2026-01-01
identifiers:
  isa: [{qualifier: "12", id: "4405197800"}]
  gln: ["0614141000012"]
channels:
  - {kind: http, format: x12, documents: [asn, invoice]}
items:
  - {partner_item: VP-100, upc: "044051978000", product: FURN_0100}
  - {partner_item: VP-101, product: FURN_0101}
units:
  - {partner_unit: CS, factor: 12, unit: EA}
tolerances: {over_ship_percent: 5, price_variance_percent: 2.5}
sla: {ack_within_hours: 24}
`

func (f *fixture) putAcme(t *testing.T) {
	t.Helper()
	r := f.do(t, http.MethodPut, base+"/partners/acme", echo.MIMEApplicationJSON, acmeJSON)
	require.Equal(t, http.StatusCreated, r.status, string(r.body))
}

func TestPutThenGetProfile(t *testing.T) {
	f := newFixture(t)

	r := f.do(t, http.MethodPut, base+"/partners/acme", echo.MIMEApplicationJSON, acmeJSON, "X-Crossdock-Actor: jane")
	require.Equal(t, http.StatusCreated, r.status, string(r.body))
	require.Equal(t, base+"/partners/acme", r.header.Get(echo.HeaderLocation))
	var created admin.ChangeResult
	r.json(t, &created)
	require.Equal(t, "partner-acme", created.StreamID)
	require.Equal(t, partner.EventRegistered, created.EventTypes[0])
	require.Contains(t, created.EventTypes, partner.EventItemMapped)
	require.Contains(t, created.EventTypes, partner.EventUnitMapped)
	require.Equal(t, created.Appended, len(created.EventTypes))
	require.Equal(t, int64(created.Appended), created.StreamVersion)

	r = f.do(t, http.MethodGet, base+"/partners/acme", "", "")
	require.Equal(t, http.StatusOK, r.status, string(r.body))
	var got partner.Profile
	r.json(t, &got)
	require.Equal(t, "ACME Supply Co.", got.Name)
	require.Equal(t, []partner.Role{partner.RoleSupplier}, got.Roles)
	require.Equal(t, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), got.EffectiveFrom)
	require.Equal(t, []partner.ISAID{{Qualifier: "12", ID: "4405197800"}}, got.Identifiers.ISA)
	require.Equal(t, []string{"0614141000012"}, got.Identifiers.GLN)
	require.Len(t, got.Items, 1)
	require.Equal(t, "FURN_0100", got.Items[0].Product)
	require.Equal(t, "044051978000", got.Items[0].UPC)
	require.Len(t, got.Units, 1)
	require.Equal(t, "12", got.Units[0].Factor.String())
	require.Equal(t, "EA", got.Units[0].Unit)
	require.Equal(t, "5", got.Tolerances.OverShipPercent.String())
	require.Equal(t, "2.5", got.Tolerances.PriceVariancePercent.String())
	require.Equal(t, 24, got.SLA.AckWithinHours)

	// The same profile again changes nothing.
	r = f.do(t, http.MethodPut, base+"/partners/acme", echo.MIMEApplicationJSON, acmeJSON)
	require.Equal(t, http.StatusOK, r.status, string(r.body))
	var same admin.ChangeResult
	r.json(t, &same)
	require.Zero(t, same.Appended)
	require.Empty(t, same.EventTypes)
	require.Equal(t, created.StreamVersion, same.StreamVersion)

	// The same as YAML with one more item is that one change, visible at once.
	r = f.do(t, http.MethodPut, base+"/partners/acme", "application/yaml", acmeYAMLWithItem)
	require.Equal(t, http.StatusOK, r.status, string(r.body))
	var changed admin.ChangeResult
	r.json(t, &changed)
	require.Equal(t, []string{partner.EventItemMapped}, changed.EventTypes)
	require.Equal(t, created.StreamVersion+1, changed.StreamVersion)
	p, ok := f.dir.Profile("acme")
	require.True(t, ok)
	require.Len(t, p.Items, 2)

	// GET's answer goes back in as it is.
	r = f.do(t, http.MethodGet, base+"/partners/acme", "", "")
	r = f.do(t, http.MethodPut, base+"/partners/acme", echo.MIMEApplicationJSON, string(r.body))
	require.Equal(t, http.StatusOK, r.status, string(r.body))
	r.json(t, &same)
	require.Zero(t, same.Appended)

	r = f.do(t, http.MethodGet, base+"/partners", "", "")
	require.Equal(t, http.StatusOK, r.status)
	var list struct{ Partners []partner.Profile }
	r.json(t, &list)
	require.Len(t, list.Partners, 1)
	require.Equal(t, "acme", list.Partners[0].ID)

	r = f.do(t, http.MethodGet, base+"/partners/globex", "", "")
	require.Equal(t, http.StatusNotFound, r.status)
	require.Contains(t, r.problem(t).Detail, `"globex"`)
}

func TestPutProfileProblems(t *testing.T) {
	f := newFixture(t)
	for _, tc := range []struct {
		name, path, contentType, body string
		status                        int
		pointer, where, detail        string
	}{
		{
			name: "id differs from the path", path: "/partners/globex", contentType: echo.MIMEApplicationJSON, body: acmeJSON,
			status: http.StatusUnprocessableEntity, pointer: "/id", where: "line 2", detail: `is "acme", the path names "globex"`,
		},
		{
			name: "unknown field", path: "/partners/acme", contentType: "application/yaml",
			body:   "name: ACME\nroles: [supplier]\nidentifers: {gln: [\"0614141000012\"]}\n",
			status: http.StatusUnprocessableEntity, pointer: "/identifers", where: "line 3", detail: `unknown field "identifers"`,
		},
		{
			name: "a token in the profile", path: "/partners/acme", contentType: "application/yaml",
			body:   "name: ACME\nroles: [supplier]\ntokens: [{name: t, kinds: [asn], sha256: abc}]\n",
			status: http.StatusUnprocessableEntity, pointer: "/tokens", where: "line 3", detail: "POST /partners/{id}/tokens",
		},
		{
			name: "a decimal with an exponent", path: "/partners/acme", contentType: echo.MIMEApplicationJSON,
			body:   `{"name": "ACME", "roles": ["supplier"], "tolerances": {"over_ship_percent": 1e3}}`,
			status: http.StatusUnprocessableEntity, pointer: "/tolerances/over_ship_percent", where: "line 1", detail: "not a decimal",
		},
		{
			name: "a broken rule", path: "/partners/acme", contentType: "application/yaml",
			body:   "name: ACME\nroles: [supplier]\nidentifiers:\n  gln: [\"0614141000013\"]\n",
			status: http.StatusUnprocessableEntity, pointer: "/identifiers/gln/0", where: "line 4", detail: "",
		},
		{
			name: "not JSON", path: "/partners/acme", contentType: echo.MIMEApplicationJSON,
			body:   "{\n  \"name\": \"ACME\",\n  \"roles\": [supplier]\n}",
			status: http.StatusUnprocessableEntity, where: "line 3, column 13", detail: "invalid character",
		},
		{
			name: "a list for a string", path: "/partners/acme", contentType: echo.MIMEApplicationJSON,
			body:   `{"name": ["ACME"], "roles": ["supplier"]}`,
			status: http.StatusUnprocessableEntity, pointer: "/name", where: "line 1", detail: "must be a string, not a list",
		},
		{
			name: "another media type", path: "/partners/acme", contentType: "text/csv", body: "id,name\n",
			status: http.StatusUnsupportedMediaType, detail: "application/yaml",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := f.do(t, http.MethodPut, base+tc.path, tc.contentType, tc.body)
			require.Equal(t, tc.status, r.status, string(r.body))
			p := r.problem(t)
			require.Equal(t, tc.status, p.Status)
			if tc.status != http.StatusUnprocessableEntity {
				require.Contains(t, p.Detail, tc.detail)
				return
			}
			require.NotEmpty(t, p.Errors, string(r.body))
			fe := p.Errors[0]
			require.Equal(t, tc.pointer, fe.Pointer, string(r.body))
			require.True(t, strings.HasPrefix(fe.Where, tc.where), "where %q, want %q", fe.Where, tc.where)
			require.Contains(t, fe.Detail, tc.detail)
		})
	}
	_, registered := f.dir.Profile("acme")
	require.False(t, registered, "no refused profile may be applied")
}

func TestTokenLifecycle(t *testing.T) {
	f := newFixture(t)
	f.putAcme(t)

	r := f.do(t, http.MethodPost, base+"/partners/acme/tokens", echo.MIMEApplicationJSON,
		`{"kinds": ["asn", "invoice"], "expires_at": "2027-01-01"}`)
	require.Equal(t, http.StatusCreated, r.status, string(r.body))
	require.Equal(t, "no-store", r.header.Get(echo.HeaderCacheControl))
	var issued admin.IssuedToken
	r.json(t, &issued)
	require.True(t, strings.HasPrefix(issued.Token, partner.TokenPrefix))
	require.Equal(t, []string{"asn", "invoice"}, issued.Kinds)
	require.Equal(t, time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC), issued.ExpiresAt)

	cred, ok := f.dir.Authenticate(issued.Token)
	require.True(t, ok, "the issued token authenticates at once")
	require.Equal(t, "acme", cred.PartnerID)
	require.Equal(t, issued.TokenID, cred.TokenID)
	require.Equal(t, []string{"asn", "invoice"}, cred.Kinds)

	r = f.do(t, http.MethodGet, base+"/partners/acme/tokens", "", "")
	require.Equal(t, http.StatusOK, r.status)
	require.NotContains(t, string(r.body), "sha256")
	require.NotContains(t, string(r.body), issued.Token)
	var list struct{ Tokens []admin.TokenView }
	r.json(t, &list)
	require.Len(t, list.Tokens, 1)
	require.Equal(t, admin.TokenActive, list.Tokens[0].Status)

	// Rotation: the new token works with the same terms, the old one no longer does.
	r = f.do(t, http.MethodPost, base+"/partners/acme/tokens/"+issued.TokenID+"/rotate", "", "")
	require.Equal(t, http.StatusCreated, r.status, string(r.body))
	var rotated admin.IssuedToken
	r.json(t, &rotated)
	require.Equal(t, issued.TokenID, rotated.Replaces)
	require.Equal(t, issued.Kinds, rotated.Kinds)
	require.Equal(t, issued.ExpiresAt, rotated.ExpiresAt)
	_, ok = f.dir.Authenticate(issued.Token)
	require.False(t, ok, "a rotated token no longer authenticates")
	cred, ok = f.dir.Authenticate(rotated.Token)
	require.True(t, ok)
	require.Equal(t, rotated.TokenID, cred.TokenID)

	r = f.do(t, http.MethodDelete, base+"/partners/acme/tokens/"+rotated.TokenID+"?reason=partner+offboarded", "", "",
		"X-Crossdock-Actor: jane")
	require.Equal(t, http.StatusOK, r.status, string(r.body))
	var revoked admin.TokenView
	r.json(t, &revoked)
	require.Equal(t, admin.TokenRevoked, revoked.Status)
	require.Equal(t, "partner offboarded", revoked.RevokeReason)
	_, ok = f.dir.Authenticate(rotated.Token)
	require.False(t, ok, "a revoked token no longer authenticates")

	for _, tc := range []struct {
		name, method, path, body string
		status                   int
		pointer                  string
	}{
		{"rotate a revoked token", http.MethodPost, "/partners/acme/tokens/" + rotated.TokenID + "/rotate", "", http.StatusConflict, ""},
		{"revoke an unknown token", http.MethodDelete, "/partners/acme/tokens/tok_0000000000000000", "", http.StatusNotFound, ""},
		{"a token for an unregistered partner", http.MethodPost, "/partners/globex/tokens", `{"kinds": ["asn"]}`, http.StatusNotFound, ""},
		{"a token for a partner ID that cannot exist", http.MethodPost, "/partners/ACME/tokens", `{"kinds": ["asn"]}`, http.StatusNotFound, ""},
		{"an unknown kind", http.MethodPost, "/partners/acme/tokens", `{"kinds": ["asn", "invoices"]}`, http.StatusUnprocessableEntity, "/kinds/1"},
		{"an expiry that is not a date", http.MethodPost, "/partners/acme/tokens", `{"kinds": ["asn"], "expires_at": "next year"}`, http.StatusUnprocessableEntity, "/expires_at"},
		{"an unknown member", http.MethodPost, "/partners/acme/tokens", `{"kinds": ["asn"], "scope": "all"}`, http.StatusUnprocessableEntity, "/scope"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := f.do(t, tc.method, base+tc.path, echo.MIMEApplicationJSON, tc.body)
			require.Equal(t, tc.status, r.status, string(r.body))
			p := r.problem(t)
			if tc.pointer != "" {
				require.NotEmpty(t, p.Errors, string(r.body))
				require.Equal(t, tc.pointer, p.Errors[0].Pointer, string(r.body))
			}
		})
	}
}

func TestWebhookSecret(t *testing.T) {
	f := newFixture(t)
	f.putAcme(t)
	path := base + "/partners/acme/webhook-secrets/easypost"

	r := f.do(t, http.MethodPut, path, echo.MIMETextPlain, "whsec_s3cret\n")
	require.Equal(t, http.StatusNoContent, r.status, string(r.body))
	secret, ok := f.dir.WebhookSecret("acme", "easypost")
	require.True(t, ok)
	require.Equal(t, "whsec_s3cret", string(secret), "the line break a shell adds is not part of the secret")

	r = f.do(t, http.MethodPut, path, echo.MIMEApplicationJSON, `{"secret": "x"}`)
	require.Equal(t, http.StatusUnsupportedMediaType, r.status)

	r = f.do(t, http.MethodPut, base+"/partners/acme/webhook-secrets/x12", echo.MIMETextPlain, "s3cret")
	require.Equal(t, http.StatusUnprocessableEntity, r.status)
	require.Equal(t, "/format", r.problem(t).Errors[0].Pointer)

	r = f.do(t, http.MethodPut, base+"/partners/globex/webhook-secrets/easypost", echo.MIMETextPlain, "s3cret")
	require.Equal(t, http.StatusNotFound, r.status)

	r = f.do(t, http.MethodDelete, path, "", "")
	require.Equal(t, http.StatusNoContent, r.status, string(r.body))
	_, ok = f.dir.WebhookSecret("acme", "easypost")
	require.False(t, ok, "a removed secret no longer verifies")
}

func TestAdminTokenRequired(t *testing.T) {
	f := newFixture(t)
	for _, tc := range []struct{ name, authorization, path string }{
		{"no token", "", "/partners"},
		{"a wrong token", "Bearer " + adminToken[:len(adminToken)-1] + "x", "/partners"},
		{"a partner-style scheme", "Basic " + adminToken, "/partners"},
		{"an unknown path", "", "/nothing-here"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req := httptest.NewRequestWithContext(t.Context(), http.MethodGet, base+tc.path, nil)
			if tc.authorization != "" {
				req.Header.Set(echo.HeaderAuthorization, tc.authorization)
			}
			rec := httptest.NewRecorder()
			f.srv.ServeHTTP(rec, req)
			require.Equal(t, http.StatusUnauthorized, rec.Code)
			require.Equal(t, problem.ContentType, rec.Header().Get(echo.HeaderContentType))
			require.Contains(t, rec.Header().Get(echo.HeaderWWWAuthenticate), "Bearer")
			var p problem.Problem
			require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &p))
			require.Equal(t, http.StatusUnauthorized, p.Status)
		})
	}

	r := f.do(t, http.MethodGet, base+"/partners", "", "", "X-Crossdock-Actor: jane doe")
	require.Equal(t, http.StatusOK, r.status, "reads need no actor and ignore it")
	r = f.do(t, http.MethodPut, base+"/partners/acme", echo.MIMEApplicationJSON, acmeJSON, "X-Crossdock-Actor: jane doe")
	require.Equal(t, http.StatusBadRequest, r.status, "an actor name that could forge a log line is refused")
}

func TestNewValidatesConfig(t *testing.T) {
	_, err := admin.New(admin.Config{Token: "short"})
	require.ErrorContains(t, err, "want at least 32")
	require.ErrorContains(t, err, "Partners is required")
	require.ErrorContains(t, err, "Orders is required")
}

func TestReplay(t *testing.T) {
	f := newFixture(t)
	const id = "0f8c2a4e-6a51-5d47-8e19-7a4c2d9b0e63"
	f.replayer.outcome = ingest.Outcome{MessageID: id, Status: archive.Accepted, Answer: archive.Answer{
		Status: http.StatusOK, ContentType: "application/json", Body: []byte(`{"message_id":"` + id + `","status":"accepted"}`),
	}}

	r := f.do(t, http.MethodPost, base+"/messages/"+id+"/replay", "", "", "X-Crossdock-Actor: jane")
	require.Equal(t, http.StatusOK, r.status, string(r.body))
	var res struct {
		MessageID    string `json:"message_id"`
		Status       string `json:"status"`
		AnswerStatus int    `json:"answer_status"`
		Answer       struct {
			Status string `json:"status"`
		} `json:"answer"`
	}
	r.json(t, &res)
	require.Equal(t, id, res.MessageID)
	require.Equal(t, "accepted", res.Status)
	require.Equal(t, http.StatusOK, res.AnswerStatus)
	require.Equal(t, "accepted", res.Answer.Status, "a JSON answer is embedded as JSON")
	require.Equal(t, []string{"admin:jane"}, f.replayer.actors)

	r = f.do(t, http.MethodPost, base+"/messages/11111111-2222-3333-4444-555555555555/replay", "", "")
	require.Equal(t, http.StatusNotFound, r.status)
	require.Contains(t, r.problem(t).Detail, "11111111-2222-3333-4444-555555555555")
}

func TestListMessages(t *testing.T) {
	f := newFixture(t)
	received := time.Date(2026, 3, 1, 8, 30, 0, 0, time.UTC)
	f.lister.messages = []archive.Message{{
		ID: "m-1", PartnerID: "acme", Channel: "http", ReceivedAt: received, Status: archive.Parked,
		Reason: "unmapped: ST 0001: item VP-999", Body: []byte("ISA*00*...")}}

	r := f.do(t, http.MethodGet, base+"/messages?status=parked&partner=acme&limit=5", "", "")
	require.Equal(t, http.StatusOK, r.status, string(r.body))
	require.NotContains(t, string(r.body), "ISA*00", "a listing carries no bodies")
	var list struct{ Messages []admin.MessageView }
	r.json(t, &list)
	require.Equal(t, []admin.MessageView{{ID: "m-1", PartnerID: "acme", Channel: "http", ReceivedAt: received,
		Status: "parked", Reason: "unmapped: ST 0001: item VP-999"}}, list.Messages)
	require.Equal(t, []archive.QuarantineQuery{{PartnerID: "acme", Status: archive.Parked, Limit: 5}}, f.lister.queries)

	r = f.do(t, http.MethodGet, base+"/messages", "", "")
	require.Equal(t, http.StatusOK, r.status)
	require.Equal(t, archive.QuarantineQuery{Status: archive.Rejected, Limit: admin.DefaultMessageLimit}, f.lister.queries[1])

	r = f.do(t, http.MethodGet, base+"/messages?status=accepted&limit=0", "", "")
	require.Equal(t, http.StatusUnprocessableEntity, r.status)
	p := r.problem(t)
	require.Len(t, p.Errors, 2)
	require.Equal(t, "query parameter status", p.Errors[0].Where)
	require.Equal(t, "query parameter limit", p.Errors[1].Where)
	require.Len(t, f.lister.queries, 2, "an invalid listing reaches no archive")
}

const orderJSON = `{
  "kind": "purchase_order",
  "po_number": "PO-1001",
  "supplier": "acme",
  "order_date": "2026-03-01T00:00:00Z",
  "currency": "USD",
  "lines": [
    {"line_number": "1", "item": {"product": "FURN_0100"}, "quantity": {"amount": "24", "unit": "EA"},
     "unit_price": {"amount": "12.50", "currency": "USD"}}
  ]
}`

func TestPlaceOrder(t *testing.T) {
	f := newFixture(t)

	r := f.do(t, http.MethodPost, base+"/orders", echo.MIMEApplicationJSON, orderJSON)
	require.Equal(t, http.StatusCreated, r.status, string(r.body))
	var res admin.OrderResult
	r.json(t, &res)
	require.Equal(t, "purchase_order", res.Kind)
	require.Len(t, res.Streams, 1)
	require.Equal(t, "order-po:PO-1001", res.Streams[0].StreamID)
	require.Equal(t, commands.OutcomePlaced, res.Streams[0].Outcome)
	require.Equal(t, int64(1), res.Streams[0].StreamVersion)
	require.Len(t, res.Streams[0].EventIDs, 1)

	// The same order again records nothing.
	r = f.do(t, http.MethodPost, base+"/orders", echo.MIMEApplicationJSON, orderJSON)
	require.Equal(t, http.StatusOK, r.status, string(r.body))
	var again admin.OrderResult
	r.json(t, &again)
	require.True(t, again.Streams[0].Duplicate)
	require.Equal(t, int64(1), again.Streams[0].StreamVersion)

	for _, tc := range []struct{ name, body, pointer string }{
		{"no supplier", strings.Replace(orderJSON, `"supplier": "acme",`, "", 1), "/supplier"},
		{"a zero quantity", strings.Replace(orderJSON, `"amount": "24"`, `"amount": "0"`, 1), "/lines/0/quantity"},
		{"another kind", strings.Replace(orderJSON, `"purchase_order"`, `"asn"`, 1), "/kind"},
		{"an unknown member", strings.Replace(orderJSON, `"currency": "USD",`, `"curency": "USD",`, 1), "/curency"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := f.do(t, http.MethodPost, base+"/orders", echo.MIMEApplicationJSON, tc.body)
			require.Equal(t, http.StatusUnprocessableEntity, r.status, string(r.body))
			p := r.problem(t)
			require.NotEmpty(t, p.Errors)
			require.Equal(t, tc.pointer, p.Errors[0].Pointer, string(r.body))
		})
	}
}
