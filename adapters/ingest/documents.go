package ingest

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"

	"github.com/crossdock-hub/crossdock/adapters/problem"
	"github.com/crossdock-hub/crossdock/adapters/webhooks"
)

// Paths of the document routes inside the /api/v1 group.
const (
	DocumentsPath = "/documents"
	WebhooksPath  = "/webhooks/:format/:partner"
)

// Submitter processes a message: *Processor.
type Submitter interface {
	Submit(ctx context.Context, s Submission) (Outcome, error)
}

// WebhookSecrets gives a partner's secret for signing webhooks of a format.
type WebhookSecrets interface {
	WebhookSecret(partnerID, format string) ([]byte, bool)
}

// DocumentsConfig configures the document routes.
type DocumentsConfig struct {
	// MaxBodyBytes caps a request body; a larger one is answered 413 and not archived. Default: 1 MiB.
	MaxBodyBytes int64
}

// Documents serves every partner format over HTTP:
//
//	POST /api/v1/documents                   EDI X12 (application/edi-x12), EDIFACT (application/edifact),
//	                                         CSV (text/csv) or canonical JSON (application/json, with its
//	                                         "kind" or ?kind=), with the partner's bearer token
//	POST /api/v1/webhooks/{format}/{partner} a carrier's or WMS's webhook (easypost, shippo, aftership,
//	                                         shiphero, shipbob), verified by the partner's HMAC secret for
//	                                         the format when one is set, else by its bearer token
type Documents struct {
	submit  Submitter
	auth    Authenticator
	secrets WebhookSecrets
	maxBody int64
}

// NewDocuments returns the document routes.
func NewDocuments(submit Submitter, auth Authenticator, secrets WebhookSecrets, cfg DocumentsConfig) (*Documents, error) {
	if cfg.MaxBodyBytes == 0 {
		cfg.MaxBodyBytes = 1 << 20
	}
	var errs []error
	if submit == nil {
		errs = append(errs, errors.New("nil submitter"))
	}
	if auth == nil {
		errs = append(errs, errors.New("nil authenticator"))
	}
	if cfg.MaxBodyBytes < 0 {
		errs = append(errs, fmt.Errorf("max body bytes %d is negative", cfg.MaxBodyBytes))
	}
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("document routes: %w", err)
	}
	return &Documents{submit: submit, auth: auth, secrets: secrets, maxBody: cfg.MaxBodyBytes}, nil
}

// Register mounts the routes on g, the /api/v1 group.
func (d *Documents) Register(g *echo.Group) {
	g.POST(DocumentsPath, d.postDocument)
	g.POST(WebhooksPath, d.postWebhook)
}

func (d *Documents) postDocument(c echo.Context) error {
	req := c.Request()
	correlation := correlationID(c)
	cred, ok := d.auth.Authenticate(bearerToken(req))
	if !ok {
		c.Response().Header().Set(echo.HeaderWWWAuthenticate, `Bearer realm="crossdock"`)
		return problem.New(http.StatusUnauthorized, "a valid partner bearer token is required")
	}
	if len(req.Header.Get(HeaderIdempotencyKey)) > maxHeaderIDLen {
		return problem.New(http.StatusBadRequest, fmt.Sprintf("the Idempotency-Key is longer than %d characters", maxHeaderIDLen))
	}
	body, p := readBody(c, d.maxBody)
	if p != nil {
		return p
	}
	out, err := d.submit.Submit(req.Context(), Submission{
		PartnerID: cred.PartnerID, Channel: "http", ContentType: req.Header.Get(echo.HeaderContentType),
		Kind: c.QueryParam("kind"), Kinds: cred.Kinds, PartnerMessageID: req.Header.Get(HeaderIdempotencyKey),
		CorrelationID: correlation, Body: body,
	})
	return answer(c, out, err)
}

func (d *Documents) postWebhook(c echo.Context) error {
	req := c.Request()
	correlation := correlationID(c)
	format, partner := c.Param("format"), c.Param("partner")
	if !slices.Contains(webhooks.Formats, format) {
		return problem.New(http.StatusNotFound, fmt.Sprintf("no webhook format %q (want easypost, shippo, aftership, shiphero or shipbob)", format))
	}
	body, p := readBody(c, d.maxBody)
	if p != nil {
		return p
	}
	var kinds []string
	signed := false
	if secret, ok := d.webhookSecret(partner, format); ok {
		if err := webhooks.VerifyHMAC(format, string(secret), body, req.Header); err != nil {
			return problem.New(http.StatusUnauthorized, "the webhook signature does not verify: "+err.Error())
		}
		signed = true
	} else {
		cred, ok := d.auth.Authenticate(bearerToken(req))
		if !ok || cred.PartnerID != partner {
			c.Response().Header().Set(echo.HeaderWWWAuthenticate, `Bearer realm="crossdock"`)
			return problem.New(http.StatusUnauthorized, fmt.Sprintf(
				"partner %q has no %s webhook secret: a signed webhook or the partner's bearer token is required", partner, format))
		}
		kinds = cred.Kinds
	}
	// The provider's delivery ID, when its body carries none (ShipBob, ShipHero): a redelivery is then
	// recognised as the same message. A signed webhook takes only an ID its signature covers (Standard
	// Webhooks' webhook-id): anyone holding a captured body could send it again under a fresh unsigned
	// ID, so otherwise the body itself is the key and the same body is a repeat.
	msgID := ""
	headers := []string{HeaderIdempotencyKey, "Webhook-Id", "X-Shiphero-Message-Id"}
	if signed {
		headers = signedIDHeaders(format)
	}
	for _, h := range headers {
		if msgID == "" && req.Header.Get(h) != "" {
			msgID = format + ":" + req.Header.Get(h)
		}
	}
	if len(msgID) > maxHeaderIDLen {
		return problem.New(http.StatusBadRequest, fmt.Sprintf("the message ID is longer than %d characters", maxHeaderIDLen))
	}
	out, err := d.submit.Submit(req.Context(), Submission{
		PartnerID: partner, Channel: "webhook:" + format, Format: format,
		ContentType: req.Header.Get(echo.HeaderContentType), Kinds: kinds,
		PartnerMessageID: msgID, CorrelationID: correlation, Body: body,
	})
	return answer(c, out, err)
}

// signedIDHeaders lists the delivery-ID headers a format's signature covers.
func signedIDHeaders(format string) []string {
	if format == webhooks.FormatShipBob {
		return []string{"Webhook-Id"} // Standard Webhooks sign "id.timestamp.body"
	}
	return nil
}

func (d *Documents) webhookSecret(partner, format string) ([]byte, bool) {
	if d.secrets == nil {
		return nil, false
	}
	return d.secrets.WebhookSecret(partner, format)
}

// answer writes an outcome: a repeat gets its first answer byte for byte, marked as a duplicate.
func answer(c echo.Context, out Outcome, err error) error {
	if err != nil {
		c.Logger().Error(err)
		return problem.New(http.StatusInternalServerError, "the message could not be stored; send it again")
	}
	if out.Duplicate {
		c.Response().Header().Set(HeaderDuplicate, "true")
	}
	// An EDI partner's system that asks for EDI gets its 997 / CONTRL as the body, with the answer's
	// status; the full JSON answer stays in the archive.
	if accept := c.Request().Header.Get(echo.HeaderAccept); strings.Contains(accept, "application/edi") {
		if ack := AcknowledgmentOf(out.Answer); ack != "" {
			if ct := ediAccepted(accept, ack); ct != "" {
				c.Response().Header().Set(HeaderMessageID, out.MessageID)
				return c.Blob(out.Answer.Status, ct, []byte(ack))
			}
		}
	}
	return replay(c, out.Answer)
}

// HeaderMessageID names the archived message in an answer whose body is an EDI acknowledgment.
const HeaderMessageID = "Crossdock-Message-Id"

// ediAccepted returns the content type to answer with when the Accept header asks for the standard of
// ack (X12 or EDIFACT), and "" otherwise.
func ediAccepted(accept, ack string) string {
	want := "application/edi-x12"
	if strings.HasPrefix(ack, "UNA") || strings.HasPrefix(ack, "UNB") {
		want = "application/edifact"
	}
	for _, part := range strings.Split(accept, ",") {
		mt, _, _ := strings.Cut(strings.TrimSpace(part), ";")
		if strings.EqualFold(strings.TrimSpace(mt), want) {
			return want
		}
	}
	return ""
}

// correlationID is the request's X-Correlation-ID, or a new one when it has none (or an unusable one);
// it is always echoed, so the partner can quote the ID its message's events carry.
func correlationID(c echo.Context) string {
	id := c.Request().Header.Get(HeaderCorrelationID)
	if id == "" || len(id) > maxHeaderIDLen || strings.ContainsAny(id, "\r\n") {
		id = uuid.NewString()
	}
	c.Response().Header().Set(HeaderCorrelationID, id)
	return id
}
