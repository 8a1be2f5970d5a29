package ingest_test

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crossdock-hub/crossdock/adapters/archive"
	"github.com/crossdock-hub/crossdock/adapters/edi/x12"
	"github.com/crossdock-hub/crossdock/adapters/httpapi"
	"github.com/crossdock-hub/crossdock/adapters/inbound"
	"github.com/crossdock-hub/crossdock/adapters/ingest"
	"github.com/crossdock-hub/crossdock/adapters/problem"
	"github.com/crossdock-hub/crossdock/adapters/webhooks"
	"github.com/crossdock-hub/crossdock/domain"
	"github.com/crossdock-hub/crossdock/domain/invoice"
	"github.com/crossdock-hub/crossdock/domain/shipment"
	"github.com/crossdock-hub/crossdock/internal/fixtures"
	"github.com/crossdock-hub/crossdock/queries"
)

// scopedTokens authenticates by a table of tokens, each with its partner and kinds, as the partner
// directory's scoped tokens do.
type scopedTokens map[string]ingest.Credential

func (s scopedTokens) Authenticate(token string) (ingest.Credential, bool) {
	c, ok := s[token]
	return c, ok
}

// webhookSecrets holds partners' webhook secrets by "partner|format".
type webhookSecrets map[string]string

func (w webhookSecrets) WebhookSecret(partnerID, format string) ([]byte, bool) {
	s, ok := w[partnerID+"|"+format]
	return []byte(s), ok
}

// noGraphQL stands in for the query service, which these tests do not use.
type noGraphQL struct{}

func (noGraphQL) Execute(context.Context, queries.Request) queries.Result { return queries.Result{} }

// newServer serves the document routes over the hub's processor from the real HTTP server, as
// `crossdock serve` mounts them.
func newServer(t *testing.T, h *hub, auth ingest.Authenticator, secrets ingest.WebhookSecrets) http.Handler {
	t.Helper()
	docs, err := ingest.NewDocuments(h.proc, auth, secrets, ingest.DocumentsConfig{})
	require.NoError(t, err)
	srv, err := httpapi.New(httpapi.Config{
		Logger:  slog.New(slog.NewTextHandler(t.Output(), nil)),
		GraphQL: noGraphQL{},
		Mount:   func(e *echo.Echo) { docs.Register(e.Group("/api/v1")) },
	})
	require.NoError(t, err)
	return srv
}

// send posts body to path; headers are name, value pairs.
func send(srv http.Handler, path string, body []byte, headers ...string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodPost, path, bytes.NewReader(body))
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	rec := httptest.NewRecorder()
	srv.ServeHTTP(rec, req)
	return rec
}

func httpProblem(t *testing.T, rec *httptest.ResponseRecorder) problem.Problem {
	t.Helper()
	require.Equal(t, problem.ContentType, rec.Header().Get("Content-Type"), rec.Body.String())
	var p problem.Problem
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &p), rec.Body.String())
	require.Equal(t, rec.Code, p.Status)
	return p
}

func httpResult(t *testing.T, rec *httptest.ResponseRecorder) ingest.Result {
	t.Helper()
	require.Equal(t, "application/json", rec.Header().Get("Content-Type"), rec.Body.String())
	var r ingest.Result
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &r), rec.Body.String())
	return r
}

func bearer(token string) string { return "Bearer " + token }

// differingBytes counts the positions where two bodies of the same length differ (-1 for other lengths).
func differingBytes(a, b []byte) int {
	if len(a) != len(b) {
		return -1
	}
	n := 0
	for i := range a {
		if a[i] != b[i] {
			n++
		}
	}
	return n
}

func TestDocumentsAuthenticateAndScopeCredentials(t *testing.T) {
	t.Parallel()
	h := newHub(t, backends["sqlite"], permissiveCrosswalk())
	h.profiles.register("snacks", inbound.Options{})
	tokens, err := ingest.ParseTokens([]string{"snacks:tok-snacks-all"})
	require.NoError(t, err)
	auth := ingest.Authenticators{
		scopedTokens{"tok-snacks-asn": {PartnerID: "snacks", Kinds: []string{domain.KindASN}}},
		tokens,
	}
	srv := newServer(t, h, auth, nil)
	invoices := fixtures.Read(t, "x12/810_staedi_simple810_2tx.x12")

	for _, authz := range []string{bearer("tok-wrong"), "Basic c25hY2tzOnRvay1zbmFja3MtYWxs", ""} {
		rec := send(srv, "/api/v1/documents", invoices, "Authorization", authz, "Content-Type", "application/edi-x12")
		require.Equal(t, http.StatusUnauthorized, rec.Code, authz)
		assert.Equal(t, `Bearer realm="crossdock"`, rec.Header().Get("WWW-Authenticate"))
		assert.Equal(t, "a valid partner bearer token is required", httpProblem(t, rec).Detail)
	}

	// A token that may send ASNs only: the invoices are refused, and nothing of them is recorded.
	rec := send(srv, "/api/v1/documents", invoices, "Authorization", bearer("tok-snacks-asn"), "Content-Type", "application/edi-x12")
	require.Equal(t, http.StatusForbidden, rec.Code, rec.Body.String())
	p := httpProblem(t, rec)
	assert.Equal(t, "this credential may not send invoice documents (x12 810 (control 000000001))", p.Detail)
	assert.Empty(t, h.events(t))
	refused := h.message(t, strings.TrimPrefix(p.Instance, "urn:uuid:"))
	assert.Equal(t, archive.Parked, refused.Status, "the credential is refused, not the message")
	assert.Equal(t, p.Detail, refused.Reason)

	// The same interchange sent with a token that may send invoices is handled again, and taken.
	rec = send(srv, "/api/v1/documents", invoices, "Authorization", bearer("tok-snacks-all"), "Content-Type", "application/edi-x12",
		"X-Correlation-ID", "corr-810")
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	assert.Empty(t, rec.Header().Get(ingest.HeaderDuplicate))
	assert.Equal(t, "corr-810", rec.Header().Get(ingest.HeaderCorrelationID))
	res := httpResult(t, rec)
	assert.Equal(t, refused.ID, res.MessageID)
	assert.Equal(t, "accepted", res.Status)
	require.Len(t, res.Documents, 2)
	events := h.events(t)
	require.NotEmpty(t, events)
	for _, ev := range events {
		// The message is the one archived by the first delivery, with its correlation ID.
		assert.Equal(t, refused.CorrelationID, ev.Metadata.CorrelationID)
		assert.Equal(t, refused.ID, ev.Metadata.MessageID)
		assert.Equal(t, "snacks", ev.Metadata.PartnerID)
	}
	first := decodeEvent[invoice.InvoiceData](t, events[0])
	assert.Equal(t, "00001", first.InvoiceNumber)
	assert.Equal(t, "A99999-01", first.PONumber)

	// The ASN-only token may send the ASN; the answer carries a generated correlation ID.
	rec = send(srv, "/api/v1/documents", fixtures.Read(t, fixture856), "Authorization", bearer("tok-snacks-asn"))
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	_, err = uuid.Parse(rec.Header().Get(ingest.HeaderCorrelationID))
	assert.NoError(t, err, "a correlation ID is generated and echoed when none is sent")
	res = httpResult(t, rec)
	require.Len(t, res.Documents, 1)
	assert.Equal(t, domain.KindASN, res.Documents[0].Kind)
	assert.Equal(t, shipment.StreamID("snacks", "829716"), res.Documents[0].Streams[0].StreamID)
}

// easyPostVector reads the EasyPost test vector: the secret and the X-Hmac-Signature value.
func easyPostVector(t *testing.T) (secret, signature string) {
	t.Helper()
	text := string(fixtures.Read(t, "webhooks/easypost_hmac_testvector.txt"))
	s := regexp.MustCompile(`(?m)^Secret:\s+"([^"]+)"`).FindStringSubmatch(text)
	require.Len(t, s, 2, "no secret in the test vector")
	sig := regexp.MustCompile(`(?m)^Header:\s+X-Hmac-Signature:\s+(\S+)`).FindStringSubmatch(text)
	require.Len(t, sig, 2, "no signature in the test vector")
	return s[1], sig[1]
}

// easyPostDetails reads what the EasyPost body says of each milestone.
func easyPostDetails(t *testing.T, body []byte) (trackingCode string, details []struct {
	Status   string    `json:"status"`
	Datetime time.Time `json:"datetime"`
}) {
	t.Helper()
	var v struct {
		Result struct {
			TrackingCode    string `json:"tracking_code"`
			TrackingDetails []struct {
				Status   string    `json:"status"`
				Datetime time.Time `json:"datetime"`
			} `json:"tracking_details"`
		} `json:"result"`
	}
	require.NoError(t, json.Unmarshal(body, &v))
	details = make([]struct {
		Status   string    `json:"status"`
		Datetime time.Time `json:"datetime"`
	}, len(v.Result.TrackingDetails))
	copy(details, v.Result.TrackingDetails)
	return v.Result.TrackingCode, details
}

func TestEasyPostWebhookVerifiedByThePartnersSecret(t *testing.T) {
	t.Parallel()
	h := newHub(t, backends["sqlite"], permissiveCrosswalk())
	h.profiles.register("ep-carrier", inbound.Options{})
	secret, signature := easyPostVector(t)
	srv := newServer(t, h, scopedTokens{}, webhookSecrets{"ep-carrier|easypost": secret})
	file := fixtures.Read(t, "webhooks/easypost_tracker.updated_event-body.json")
	body := bytes.TrimSuffix(file, []byte("\n")) // signed without the file's trailing newline
	const path = "/api/v1/webhooks/easypost/ep-carrier"

	refusals := []struct {
		name    string
		body    []byte
		headers []string
	}{
		{"one byte changed", bytes.Replace(body, []byte(`"tracking_code":"1"`), []byte(`"tracking_code":"7"`), 1),
			[]string{webhooks.HeaderEasyPost, signature}},
		{"the trailing newline kept", file, []string{webhooks.HeaderEasyPost, signature}},
		{"no signature", body, nil},
		{"a bearer token instead of the signature", body, []string{"Authorization", bearer("anything")}},
	}
	require.Equal(t, 1, differingBytes(body, refusals[0].body), "the tampered body differs in one byte")
	for _, r := range refusals {
		rec := send(srv, path, r.body, append([]string{"Content-Type", "application/json"}, r.headers...)...)
		require.Equal(t, http.StatusUnauthorized, rec.Code, "%s: %s", r.name, rec.Body.String())
		assert.Contains(t, httpProblem(t, rec).Detail, "the webhook signature does not verify", r.name)
	}
	assert.Empty(t, h.events(t), "no refused webhook is recorded")

	rec := send(srv, path, body, "Content-Type", "application/json", webhooks.HeaderEasyPost, signature)
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	res := httpResult(t, rec)
	assert.Equal(t, "accepted", res.Status)
	assert.Equal(t, "easypost", res.Format)

	code, details := easyPostDetails(t, body)
	events := h.events(t)
	require.Len(t, events, len(details), "one event per tracking detail")
	for i, ev := range events {
		assert.Equal(t, shipment.EventStatusReported, ev.Type)
		assert.Equal(t, shipment.StreamID("ep-carrier", code), ev.StreamID)
		assert.Equal(t, "webhook:easypost:ep-carrier", ev.Metadata.Source)
		st := decodeEvent[shipment.StatusReported](t, ev)
		assert.Equal(t, code, st.TrackingNumber)
		assert.Equal(t, "ep-carrier", st.Partner)
		assert.Equal(t, details[i].Status, st.PartnerStatus, "event %d", i)
		assert.True(t, details[i].Datetime.Equal(st.At), "event %d at %s, want %s", i, st.At, details[i].Datetime)
	}
	first := decodeEvent[shipment.StatusReported](t, events[0])
	assert.Equal(t, shipment.StatusInfoReceived, first.Status, "pre_transit: label created")

	m := h.message(t, res.MessageID)
	assert.Equal(t, "easypost:evt_1", m.PartnerMessageID, "the event id is the message ID")

	// EasyPost delivering the event again: the first answer, and nothing appended.
	again := send(srv, path, body, "Content-Type", "application/json", webhooks.HeaderEasyPost, signature)
	require.Equal(t, http.StatusOK, again.Code)
	assert.Equal(t, "true", again.Header().Get(ingest.HeaderDuplicate))
	assert.Equal(t, rec.Body.String(), again.Body.String())
	assert.Len(t, h.events(t), len(details))
}

func TestWebhookRoutesRefuseUnknownFormatsAndOtherPartnersTokens(t *testing.T) {
	t.Parallel()
	h := newHub(t, backends["sqlite"], permissiveCrosswalk())
	h.profiles.register("wms", inbound.Options{})
	h.profiles.register("other", inbound.Options{})
	tokens, err := ingest.ParseTokens([]string{"wms:tok-wms", "other:tok-other"})
	require.NoError(t, err)
	srv := newServer(t, h, tokens, webhookSecrets{})
	body := fixtures.Read(t, "webhooks/shipbob_order.shipment.tracking_received_docs-example.json")

	rec := send(srv, "/api/v1/webhooks/fedex/wms", body, "Authorization", bearer("tok-wms"))
	require.Equal(t, http.StatusNotFound, rec.Code)
	assert.Contains(t, httpProblem(t, rec).Detail, `no webhook format "fedex"`)

	rec = send(srv, "/api/v1/webhooks/x12/wms", body, "Authorization", bearer("tok-wms"))
	require.Equal(t, http.StatusNotFound, rec.Code, "EDI is posted to /documents, not as a webhook")

	rec = send(srv, "/api/v1/webhooks/shipbob/wms", body, "Authorization", bearer("tok-other"))
	require.Equal(t, http.StatusUnauthorized, rec.Code, "another partner's token")
	assert.Equal(t, `Bearer realm="crossdock"`, rec.Header().Get("WWW-Authenticate"))
	assert.Empty(t, h.events(t))

	rec = send(srv, "/api/v1/webhooks/shipbob/wms", body, "Authorization", bearer("tok-wms"), "Webhook-Id", "msg_2bV")
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	assert.Equal(t, "shipbob:msg_2bV", h.message(t, httpResult(t, rec).MessageID).PartnerMessageID,
		"ShipBob's body has no event id: the delivery header names the message")
	assert.NotEmpty(t, h.events(t))
}

// An X12 partner that asks for EDI gets its 997 as the body, a repeat included.
func TestDocumentsAnswerEDIWhenAskedFor(t *testing.T) {
	t.Parallel()
	h := newHub(t, backends["sqlite"], permissiveCrosswalk())
	h.profiles.register("snacks", inbound.Options{})
	tokens, err := ingest.ParseTokens([]string{"snacks:tok-snacks-all"})
	require.NoError(t, err)
	srv := newServer(t, h, tokens, nil)
	invoices := fixtures.Read(t, "x12/810_staedi_simple810_2tx.x12")

	for _, dup := range []string{"", "true"} {
		rec := send(srv, "/api/v1/documents", invoices, "Authorization", bearer("tok-snacks-all"),
			"Content-Type", "application/edi-x12", "Accept", "application/edi-x12, application/json;q=0.5")
		require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
		assert.Equal(t, "application/edi-x12", rec.Header().Get("Content-Type"))
		assert.Equal(t, dup, rec.Header().Get(ingest.HeaderDuplicate))
		assert.NotEmpty(t, rec.Header().Get(ingest.HeaderMessageID))
		f, err := x12.Parse(rec.Body.Bytes())
		require.NoError(t, err, rec.Body.String())
		require.Len(t, f.Interchanges, 1)
		ic := f.Interchanges[0]
		assert.Equal(t, "SENDERISA", ic.ReceiverID, "the 997 goes back to the sender")
		ack, err := x12.ReadAck(ic.Groups[0].Transactions[0])
		require.NoError(t, err)
		assert.Equal(t, x12.AckAccepted, ack.Status)
		require.Len(t, ack.Sets, 2)
	}
}

// A signed ShipHero webhook resent under a fresh, unsigned message ID is the same message: the body,
// which the signature covers, is its key.
func TestSignedWebhookResentUnderAnotherIDIsARepeat(t *testing.T) {
	t.Parallel()
	h := newHub(t, backends["sqlite"], permissiveCrosswalk())
	h.profiles.register("hero", inbound.Options{})
	const secret = "shiphero-secret-0123456789"
	srv := newServer(t, h, ingest.Authenticators{}, webhookSecrets{"hero|shiphero": secret})
	body := fixtures.Read(t, "webhooks/shiphero_inventory-change_docs-example.json")
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write(body)
	signature := base64.StdEncoding.EncodeToString(mac.Sum(nil))

	first := send(srv, "/api/v1/webhooks/shiphero/hero", body, "Content-Type", "application/json",
		webhooks.HeaderShipHero, signature, "X-Shiphero-Message-Id", "delivery-1")
	require.Equal(t, http.StatusOK, first.Code, first.Body.String())
	recorded := h.events(t)
	require.NotEmpty(t, recorded)

	again := send(srv, "/api/v1/webhooks/shiphero/hero", body, "Content-Type", "application/json",
		webhooks.HeaderShipHero, signature, "X-Shiphero-Message-Id", "delivery-2", ingest.HeaderIdempotencyKey, "fresh")
	require.Equal(t, http.StatusOK, again.Code, again.Body.String())
	assert.Equal(t, "true", again.Header().Get(ingest.HeaderDuplicate))
	assert.Equal(t, eventIDs(recorded), eventIDs(h.events(t)))
}
