package odoocapture

import (
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/crossdock-hub/crossdock/adapters/archive"
	"github.com/crossdock-hub/crossdock/adapters/problem"
)

// WebhookChannel is the archive channel of Odoo's webhook notifications.
const WebhookChannel = "odoo:webhook"

// WebhookPath is where Odoo's "Send Webhook Notification" action posts, under the API's /api/v1.
const WebhookPath = "/odoo/webhook"

// Notifier fetches a record at once: *OrderCapture for purchase.order.
type Notifier interface {
	Notify(id int64)
}

// WebhookConfig configures a Webhook.
type WebhookConfig struct {
	// Secret authenticates Odoo: the action's URL carries it as ?secret=..., or a proxy sets the header
	// X-Crossdock-Secret. Required, at least 32 characters.
	Secret  string
	Archive Archive
	// Models maps each captured model to what fetches its records (purchase.order: the OrderCapture).
	Models map[string]Notifier
	// Logger; default discards.
	Logger *slog.Logger
}

// Webhook answers Odoo 17+'s "Send Webhook Notification" server action: one POST per record written,
// {"_model": ..., "_id": ..., "id": ..., chosen fields...}. Odoo waits at most one second and never
// retries, so the hub keeps the notification and asks the model's capture to fetch the record — the
// capture reads it whole from Odoo, the notification only says which — and answers 202 at once. The poll
// on write_date still runs: a notification Odoo failed to send is not lost, only later.
type Webhook struct {
	cfg WebhookConfig
}

// NewWebhook returns the endpoint.
func NewWebhook(cfg WebhookConfig) (*Webhook, error) {
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	var errs []error
	if len(cfg.Secret) < 32 {
		errs = append(errs, errors.New("odoo webhook: the secret must be at least 32 characters"))
	}
	if cfg.Archive == nil {
		errs = append(errs, errors.New("odoo webhook: no archive"))
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return &Webhook{cfg: cfg}, nil
}

// Register adds POST WebhookPath to g (the /api/v1 group).
func (w *Webhook) Register(g *echo.Group) {
	g.POST(WebhookPath, w.handle)
}

type notification struct {
	Model string          `json:"_model"`
	ID    json.RawMessage `json:"_id"`
}

func (w *Webhook) handle(c echo.Context) error {
	secret := c.QueryParam("secret")
	if secret == "" {
		secret = c.Request().Header.Get("X-Crossdock-Secret")
	}
	if subtle.ConstantTimeCompare([]byte(secret), []byte(w.cfg.Secret)) != 1 {
		return problem.New(http.StatusUnauthorized, "the Odoo webhook's secret is missing or wrong: give it as ?secret= in the action's URL")
	}
	body, err := io.ReadAll(c.Request().Body)
	if err != nil {
		return problem.New(http.StatusBadRequest, "the body could not be read: "+err.Error())
	}
	var n notification
	if err := json.Unmarshal(body, &n); err != nil {
		return problem.Invalid("the body is not a JSON object", problem.FieldError{Pointer: "", Detail: err.Error()})
	}
	var id int64
	var fields []problem.FieldError
	if n.Model == "" {
		fields = append(fields, problem.FieldError{Pointer: "/_model", Detail: "is required: the model of the record written"})
	}
	if err := json.Unmarshal(n.ID, &id); err != nil || id <= 0 {
		fields = append(fields, problem.FieldError{Pointer: "/_id", Detail: "is required: the id of the record written"})
	}
	ctx := c.Request().Context()
	// Kept before it is answered, whatever it says.
	stored, err := w.cfg.Archive.Store(ctx, archive.Inbound{PartnerID: "odoo", Channel: WebhookChannel, ContentType: "application/json",
		CorrelationID: fmt.Sprintf("odoo-webhook:%s:%d", n.Model, id), Body: body})
	if err != nil {
		return fmt.Errorf("archive the Odoo notification: %w", err)
	}
	if len(fields) > 0 {
		p := problem.Invalid("the notification does not name a record", fields...)
		p.Instance = stored.Message.ID
		if err := w.cfg.Archive.Park(ctx, stored.Message.ID, p.Detail, archive.Answer{}); err != nil {
			w.cfg.Logger.ErrorContext(ctx, "odoo notification not marked", "message", stored.Message.ID, "error", err)
		}
		return p
	}
	answer := map[string]any{"model": n.Model, "id": id, "message": stored.Message.ID}
	if notifier, ok := w.cfg.Models[n.Model]; ok {
		notifier.Notify(id)
		answer["status"] = "fetching"
	} else {
		answer["status"] = "not captured" // kept in the archive; nothing reads this model yet
		w.cfg.Logger.InfoContext(ctx, "odoo notification for a model not captured", "model", n.Model, "id", id)
	}
	b, _ := json.Marshal(answer)
	if err := w.cfg.Archive.Accept(ctx, stored.Message.ID, archive.Answer{Status: http.StatusAccepted, ContentType: "application/json", Body: b}); err != nil {
		return fmt.Errorf("mark the Odoo notification: %w", err)
	}
	return c.JSONBlob(http.StatusAccepted, b)
}
