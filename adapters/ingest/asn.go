package ingest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"

	"github.com/crossdock-hub/crossdock/adapters/archive"
	"github.com/crossdock-hub/crossdock/adapters/problem"
	"github.com/crossdock-hub/crossdock/commands"
	"github.com/crossdock-hub/crossdock/domain"
	"github.com/crossdock-hub/crossdock/domain/shipment"
)

// Headers the route reads or writes.
const (
	HeaderCorrelationID  = "X-Correlation-ID"
	HeaderIdempotencyKey = "Idempotency-Key"
	// HeaderDuplicate marks an answer replayed for a message already answered.
	HeaderDuplicate = "Crossdock-Duplicate"
)

// ASNPath is the route's path inside the /api/v1 group.
const ASNPath = "/asn"

// channelASN names this way in, in the archive.
const channelASN = "api:asn"

// maxHeaderIDLen bounds the IDs taken from request headers, which end up in storage and logs.
const maxHeaderIDLen = 200

// Archive is what the handler needs of the raw-message archive.
type Archive interface {
	Store(ctx context.Context, in archive.Inbound) (archive.Stored, error)
	Accept(ctx context.Context, id string, answer archive.Answer) error
	Reject(ctx context.Context, id, reason string, answer archive.Answer) error
	Fail(ctx context.Context, id, reason string, answer archive.Answer) error
}

// ASNReceiver records an ASN: commands.ReceiveASNHandler.
type ASNReceiver interface {
	Handle(ctx context.Context, cmd commands.ReceiveASN) (commands.ReceiveASNResult, error)
}

// Config configures the ingest handler.
type Config struct {
	// Tokens are partners' credentials as "partner:token" pairs (every document kind allowed), from
	// --partner-token. Tokens or Auth is required; when both are set, Auth is asked first.
	Tokens []string
	// Auth authenticates partners' bearer tokens, e.g. the partner directory's scoped tokens.
	Auth Authenticator
	// MaxBodyBytes caps a request body; a larger one is answered 413 and not archived. Default: 1 MiB.
	MaxBodyBytes int64
	// Logger receives the handler's logs. Default: discarded.
	Logger *slog.Logger
	// Now is the clock for receipt times. Default: time.Now.
	Now func() time.Time
}

func (c *Config) setDefaults() {
	if c.MaxBodyBytes == 0 {
		c.MaxBodyBytes = 1 << 20
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if c.Now == nil {
		c.Now = time.Now
	}
}

// Validate reports every invalid field.
func (c Config) Validate() error {
	var errs []error
	if len(c.Tokens) == 0 && c.Auth == nil {
		errs = append(errs, errors.New("no partner tokens"))
	}
	if c.MaxBodyBytes < 0 {
		errs = append(errs, fmt.Errorf("max body bytes %d is negative", c.MaxBodyBytes))
	}
	return errors.Join(errs...)
}

// Handler serves partner documents over HTTP.
type Handler struct {
	archive  Archive
	receiver ASNReceiver
	auth     Authenticator
	maxBody  int64
	logger   *slog.Logger
	now      func() time.Time
}

// New returns a handler archiving into arch and recording ASNs with receiver.
func New(arch Archive, receiver ASNReceiver, cfg Config) (*Handler, error) {
	cfg.setDefaults()
	errs := []error{cfg.Validate()}
	if arch == nil {
		errs = append(errs, errors.New("nil archive"))
	}
	if receiver == nil {
		errs = append(errs, errors.New("nil ASN receiver"))
	}
	auth := cfg.Auth
	if len(cfg.Tokens) > 0 {
		tokens, err := ParseTokens(cfg.Tokens)
		errs = append(errs, err)
		if err == nil {
			auth = Authenticators{cfg.Auth, tokens}
		}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("ingest: %w", err)
	}
	return &Handler{archive: arch, receiver: receiver, auth: auth, maxBody: cfg.MaxBodyBytes,
		logger: cfg.Logger, now: cfg.Now}, nil
}

// Register mounts POST /asn on g, the /api/v1 group, so the route is POST /api/v1/asn.
func (h *Handler) Register(g *echo.Group) {
	g.POST(ASNPath, h.postASN)
}

// receipt is the body of a successful answer.
type receipt struct {
	MessageID     string   `json:"message_id"`
	StreamID      string   `json:"stream_id"`
	StreamVersion int64    `json:"stream_version"`
	Events        []string `json:"events"`
	Duplicate     bool     `json:"duplicate"`
	Outcome       string   `json:"outcome"`
}

func (h *Handler) postASN(c echo.Context) error {
	req := c.Request()
	ctx := req.Context()
	correlation := req.Header.Get(HeaderCorrelationID)
	if correlation == "" || len(correlation) > maxHeaderIDLen {
		correlation = uuid.NewString()
	}
	c.Response().Header().Set(HeaderCorrelationID, correlation)

	cred, ok := h.auth.Authenticate(bearerToken(req))
	partner := cred.PartnerID
	if ok && !allowed(cred.Kinds, domain.KindASN) {
		return problem.New(http.StatusForbidden, "this credential may not send ASNs")
	}
	if !ok {
		c.Response().Header().Set(echo.HeaderWWWAuthenticate, `Bearer realm="crossdock"`)
		return problem.New(http.StatusUnauthorized, "a valid partner bearer token is required")
	}

	// Refused before archiving, like a wrong size: nothing of a body in another format was read, and a
	// partner resending the same bytes with the right type must be handled, not answered 415 again.
	if !isJSON(req.Header.Get(echo.HeaderContentType)) {
		return problem.New(http.StatusUnsupportedMediaType, "send the ASN as application/json")
	}
	body, p := h.readBody(c)
	if p != nil {
		return p
	}
	partnerMsgID := req.Header.Get(HeaderIdempotencyKey)
	if partnerMsgID == "" {
		partnerMsgID = messageIDOf(body)
	}
	if len(partnerMsgID) > maxHeaderIDLen {
		// Refused before archiving: the dedup key built from it would be unbounded.
		return problem.New(http.StatusBadRequest, fmt.Sprintf("the message ID is longer than %d characters", maxHeaderIDLen))
	}
	receivedAt := h.now().UTC()
	stored, err := h.archive.Store(ctx, archive.Inbound{
		PartnerID: partner, Channel: channelASN, ContentType: req.Header.Get(echo.HeaderContentType),
		PartnerMessageID: partnerMsgID, CorrelationID: correlation, Body: body, ReceivedAt: receivedAt,
	})
	if err != nil {
		h.logger.ErrorContext(ctx, "archive inbound ASN", "partner", partner, "correlation_id", correlation, "error", err)
		return problem.New(http.StatusInternalServerError, "the message could not be stored; send it again")
	}
	msg := stored.Message
	log := h.logger.With("message_id", msg.ID, "partner", partner, "correlation_id", correlation)

	if stored.Repeat && msg.Answered() {
		log.InfoContext(ctx, "repeated ASN answered as before", "status", msg.Answer.Status)
		c.Response().Header().Set(HeaderDuplicate, "true")
		return replay(c, msg.Answer)
	}
	if stored.ConflictsWith != "" {
		return h.reject(ctx, log, msg.ID, problem.New(http.StatusConflict, fmt.Sprintf(
			"message ID %q was already used for another body (message %s)", partnerMsgID, stored.ConflictsWith)))
	}
	asn, fieldErrs, err := decodeASN(body, partner)
	if err != nil {
		return h.reject(ctx, log, msg.ID, problem.New(http.StatusBadRequest, err.Error()))
	}
	if len(fieldErrs) > 0 {
		return h.reject(ctx, log, msg.ID, problem.Invalid("the ASN is invalid", fieldErrs...))
	}

	res, err := h.receiver.Handle(ctx, commands.ReceiveASN{
		Message: commands.Message{
			ID: msg.ID, Key: msg.ID, CorrelationID: correlation, PartnerID: partner,
			Source: "api:" + partner, Actor: "partner:" + partner, ReceivedAt: msg.ReceivedAt,
		},
		ASN: asn,
	})
	var ve *shipment.ValidationError
	if errors.As(err, &ve) {
		errs := make([]problem.FieldError, len(ve.Violations))
		for i, v := range ve.Violations {
			errs[i] = problem.FieldError{Pointer: v.Field, Detail: v.Reason}
		}
		return h.reject(ctx, log, msg.ID, problem.Invalid("the ASN is invalid", errs...))
	}
	if err != nil {
		log.ErrorContext(ctx, "record ASN", "error", err)
		p := problem.New(http.StatusInternalServerError, "the ASN could not be recorded; send it again")
		p.Instance = instance(msg.ID)
		if ferr := h.archive.Fail(ctx, msg.ID, err.Error(), answerOf(p)); ferr != nil {
			log.ErrorContext(ctx, "mark archived ASN failed", "error", ferr)
		}
		return p
	}

	status := http.StatusOK
	if res.Outcome == commands.ASNReceived {
		status = http.StatusCreated
	}
	out := receipt{MessageID: msg.ID, StreamID: res.StreamID, StreamVersion: res.StreamVersion,
		Events: make([]string, len(res.EventIDs)), Duplicate: res.Duplicate, Outcome: string(res.Outcome)}
	for i, id := range res.EventIDs {
		out.Events[i] = id.String()
	}
	answer, err := json.Marshal(out)
	if err != nil {
		return fmt.Errorf("encode ASN receipt: %w", err)
	}
	if err := h.archive.Accept(ctx, msg.ID, archive.Answer{Status: status, ContentType: echo.MIMEApplicationJSON, Body: answer}); err != nil {
		// The ASN is recorded; a repeat will find it (deterministic event IDs) and answer alike.
		log.ErrorContext(ctx, "mark archived ASN accepted", "error", err)
	}
	log.InfoContext(ctx, "ASN accepted", "stream", res.StreamID, "outcome", string(res.Outcome), "version", res.StreamVersion)
	return c.Blob(status, echo.MIMEApplicationJSON, answer)
}

// readBody reads the body up to the size limit.
func (h *Handler) readBody(c echo.Context) ([]byte, *problem.Problem) { return readBody(c, h.maxBody) }

func readBody(c echo.Context, maxBody int64) ([]byte, *problem.Problem) {
	req := c.Request()
	tooLarge := problem.New(http.StatusRequestEntityTooLarge, fmt.Sprintf("the body is larger than %d bytes", maxBody))
	if req.ContentLength > maxBody {
		return nil, tooLarge
	}
	body, err := io.ReadAll(http.MaxBytesReader(c.Response(), req.Body, maxBody))
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return nil, tooLarge
	}
	if err != nil {
		return nil, problem.New(http.StatusBadRequest, "the body could not be read")
	}
	return body, nil
}

// reject quarantines the message with the problem as its reason and answer, and returns the problem.
func (h *Handler) reject(ctx context.Context, log *slog.Logger, id string, p *problem.Problem) error {
	p.Instance = instance(id)
	reason := p.Detail
	if len(p.Errors) > 0 {
		parts := make([]string, len(p.Errors))
		for i, e := range p.Errors {
			parts[i] = e.Pointer + ": " + e.Detail
		}
		reason = strings.Join(parts, "; ")
	}
	if err := h.archive.Reject(ctx, id, reason, answerOf(p)); err != nil {
		// Unanswered in the archive, a repeat is judged again: the same verdict, so nothing is lost.
		log.ErrorContext(ctx, "quarantine ASN", "error", err)
	}
	log.InfoContext(ctx, "ASN rejected", "status", p.Status, "reason", reason)
	return p
}

// replay gives an answered message's original answer again. A problem goes back through the server's
// error handler as a *problem.Problem, like the first time, so both answers are written the same way.
func replay(c echo.Context, a archive.Answer) error {
	if a.ContentType == problem.ContentType {
		var p problem.Problem
		if err := json.Unmarshal(a.Body, &p); err != nil {
			return fmt.Errorf("replay archived problem: %w", err)
		}
		return &p
	}
	return c.Blob(a.Status, a.ContentType, a.Body)
}

func answerOf(p *problem.Problem) archive.Answer {
	// Marshalling a Problem cannot fail: it holds only strings, ints and a slice of them.
	body, _ := json.Marshal(p)
	return archive.Answer{Status: p.Status, ContentType: problem.ContentType, Body: body}
}

// instance names an archived message in a problem's "instance" member.
func instance(messageID string) string { return "urn:uuid:" + messageID }

func bearerToken(req *http.Request) string {
	scheme, token, ok := strings.Cut(req.Header.Get(echo.HeaderAuthorization), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return ""
	}
	return strings.TrimSpace(token)
}

func isJSON(contentType string) bool {
	mt, _, err := mime.ParseMediaType(contentType)
	return err == nil && mt == echo.MIMEApplicationJSON
}
