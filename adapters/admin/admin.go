package admin

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/crossdock-hub/crossdock/adapters/archive"
	"github.com/crossdock-hub/crossdock/adapters/ingest"
	"github.com/crossdock-hub/crossdock/adapters/problem"
	"github.com/crossdock-hub/crossdock/commands"
	"github.com/crossdock-hub/crossdock/domain/partner"
)

// PathPrefix is where the admin routes live inside the group Register is given (/api/v1).
const PathPrefix = "/admin"

// HeaderActor names the operator making a change, for the audit trail (see the package doc).
const HeaderActor = "X-Crossdock-Actor"

// MinTokenLength is the shortest admin token New accepts: the token opens every partner's credentials,
// so it must not be guessable.
const MinTokenLength = 32

// PartnerCommands changes the partner registry: *commands.PartnerHandler.
type PartnerCommands interface {
	Apply(ctx context.Context, cmd commands.ApplyPartner) (commands.ApplyPartnerResult, error)
	IssueToken(ctx context.Context, partnerID string, kinds []string, expires time.Time, actor string) (token, tokenID string, err error)
	RotateToken(ctx context.Context, partnerID, oldTokenID, actor string) (token, tokenID string, err error)
	RevokeToken(ctx context.Context, partnerID, tokenID, reason, actor string) error
	SetHMACSecret(ctx context.Context, partnerID, format string, secret []byte, actor string) error
	RemoveHMACSecret(ctx context.Context, partnerID, format, actor string) error
}

// PartnerDirectory reads the registry: *partnerdir.Directory. Sync brings it up to date with the log.
type PartnerDirectory interface {
	List() []partner.Profile
	Profile(id string) (partner.Profile, bool)
	Tokens(id string) ([]partner.Token, bool)
	Sync(ctx context.Context) error
}

// Replayer processes an archived message again: *ingest.Processor.
type Replayer interface {
	Replay(ctx context.Context, messageID, actor string) (ingest.Outcome, error)
}

// MessageLister lists the messages waiting for an operator: *archive.Archive.
type MessageLister interface {
	Quarantine(ctx context.Context, q archive.QuarantineQuery) ([]archive.Message, error)
}

// OrderPlacer records a purchase order: *commands.PlaceOrderHandler.
type OrderPlacer interface {
	Handle(ctx context.Context, cmd commands.PlaceOrder) (commands.DocumentResult, error)
}

// Config configures the admin API.
type Config struct {
	// Token is the admin bearer token, at least MinTokenLength characters. Required. Only its SHA-256
	// is kept.
	Token string
	// Partners changes the registry. Required.
	Partners PartnerCommands
	// Directory reads the registry and is synced after every change. Required.
	Directory PartnerDirectory
	// Replayer serves POST /messages/{id}/replay. Required.
	Replayer Replayer
	// Messages serves GET /messages. Required.
	Messages MessageLister
	// Orders serves POST /orders. Required.
	Orders OrderPlacer
	// Odoo serves POST /odoo/levels and /odoo/validations, which stand in for the Odoo connector until it
	// reads them from Odoo. Optional: the routes answer 404 without it.
	Odoo OdooInventory
	// Logger receives the API's logs; tokens and secrets never reach it. Default: discarded.
	Logger *slog.Logger
	// MaxBodyBytes caps a request body; a larger one is answered 413. Default: 1 MiB.
	MaxBodyBytes int64
	// Clock gives the time of changes and orders. Default: time.Now.
	Clock func() time.Time
}

func (c *Config) setDefaults() {
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	if c.MaxBodyBytes == 0 {
		c.MaxBodyBytes = 1 << 20
	}
	if c.Clock == nil {
		c.Clock = time.Now
	}
}

// Validate reports every missing or invalid field.
func (c Config) Validate() error {
	var errs []error
	switch {
	case c.Token == "":
		errs = append(errs, errors.New("admin token is required"))
	case len(c.Token) < MinTokenLength:
		errs = append(errs, fmt.Errorf("admin token is %d characters, want at least %d", len(c.Token), MinTokenLength))
	case strings.TrimSpace(c.Token) != c.Token:
		errs = append(errs, errors.New("admin token starts or ends with white space"))
	}
	for _, dep := range []struct {
		name string
		nil  bool
	}{
		{"Partners", c.Partners == nil}, {"Directory", c.Directory == nil}, {"Replayer", c.Replayer == nil},
		{"Messages", c.Messages == nil}, {"Orders", c.Orders == nil},
	} {
		if dep.nil {
			errs = append(errs, fmt.Errorf("%s is required", dep.name))
		}
	}
	if c.MaxBodyBytes < 0 {
		errs = append(errs, fmt.Errorf("max body bytes %d is negative", c.MaxBodyBytes))
	}
	return errors.Join(errs...)
}

// Admin is the admin API.
type Admin struct {
	tokenHash [sha256.Size]byte
	partners  PartnerCommands
	dir       PartnerDirectory
	replayer  Replayer
	messages  MessageLister
	orders    OrderPlacer
	odoo      OdooInventory
	logger    *slog.Logger
	maxBody   int64
	now       func() time.Time
}

// New returns the admin API.
func New(cfg Config) (*Admin, error) {
	cfg.setDefaults()
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("admin API config: %w", err)
	}
	return &Admin{
		tokenHash: sha256.Sum256([]byte(cfg.Token)),
		partners:  cfg.Partners, dir: cfg.Directory, replayer: cfg.Replayer, messages: cfg.Messages, orders: cfg.Orders, odoo: cfg.Odoo,
		logger: cfg.Logger, maxBody: cfg.MaxBodyBytes, now: cfg.Clock,
	}, nil
}

// Register mounts the routes under PathPrefix on g, the /api/v1 group, behind the admin token.
func (a *Admin) Register(g *echo.Group) {
	ag := g.Group(PathPrefix, a.authenticate)
	ag.GET("/partners", a.listPartners)
	ag.GET("/partners/:id", a.getPartner)
	ag.PUT("/partners/:id", a.putPartner)
	ag.GET("/partners/:id/tokens", a.listTokens)
	ag.POST("/partners/:id/tokens", a.issueToken)
	ag.POST("/partners/:id/tokens/:token_id/rotate", a.rotateToken)
	ag.DELETE("/partners/:id/tokens/:token_id", a.revokeToken)
	ag.PUT("/partners/:id/webhook-secrets/:format", a.setSecret)
	ag.DELETE("/partners/:id/webhook-secrets/:format", a.removeSecret)
	ag.GET("/messages", a.listMessages)
	ag.POST("/messages/:id/replay", a.replayMessage)
	ag.POST("/orders", a.placeOrder)
	if a.odoo != nil {
		ag.POST("/odoo/levels", a.odooLevels)
		ag.POST("/odoo/validations", a.odooValidation)
	}
}

// authenticate lets through requests bearing the admin token. The presented token is hashed and
// compared with the kept hash in constant time; an unknown path is answered 401 like a known one, so
// the routes cannot be mapped without the token.
func (a *Admin) authenticate(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		presented := sha256.Sum256([]byte(bearerToken(c.Request())))
		if subtle.ConstantTimeCompare(presented[:], a.tokenHash[:]) != 1 {
			c.Response().Header().Set(echo.HeaderWWWAuthenticate, `Bearer realm="crossdock-admin"`)
			return problem.New(http.StatusUnauthorized, "the admin bearer token is required")
		}
		return next(c)
	}
}

func bearerToken(req *http.Request) string {
	scheme, token, ok := strings.Cut(req.Header.Get(echo.HeaderAuthorization), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return ""
	}
	return strings.TrimSpace(token)
}

// maxActorLength bounds the X-Crossdock-Actor name.
const maxActorLength = 64

// actor is who the request acts as: "admin", or "admin:<name>" when X-Crossdock-Actor names the
// operator.
func actor(c echo.Context) (string, *problem.Problem) {
	name := strings.TrimSpace(c.Request().Header.Get(HeaderActor))
	if name == "" {
		return "admin", nil
	}
	if len(name) > maxActorLength || !actorChars(name) {
		return "", problem.New(http.StatusBadRequest, fmt.Sprintf(
			"%s must be 1 to %d characters a-z, A-Z, 0-9, '.', '_', '-' or '@'", HeaderActor, maxActorLength))
	}
	return "admin:" + name, nil
}

func actorChars(s string) bool {
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '.', r == '_', r == '-', r == '@':
		default:
			return false
		}
	}
	return true
}

// sync makes a change visible to the next lookup. The change is stored whatever happens here, and the
// directory's own follower catches up later, so a failure is logged rather than answered: an issued
// token must reach the operator, who has no other way to learn it.
func (a *Admin) sync(ctx context.Context, partnerID, change string) {
	if err := a.dir.Sync(ctx); err != nil {
		a.logger.ErrorContext(ctx, "partner directory not refreshed after a change", "partner", partnerID,
			"change", change, "error", err)
	}
}
