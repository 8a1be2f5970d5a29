package commands

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/crossdock-hub/crossdock/domain/partner"
	"github.com/crossdock-hub/crossdock/eventstore"
)

// DefaultPartnerSource is the metadata source of partner changes that do not name one.
const DefaultPartnerSource = "admin"

// ApplyPartner asks to make a partner's registry entry what Profile says (the bootstrap file, the admin
// API's PUT): Plan decides the events, and a profile already in force appends nothing.
type ApplyPartner struct {
	Profile partner.Profile
	// Actor is who makes the change (metadata actor), e.g. "user:jane" or "bootstrap". Required.
	Actor string
	// Now is when the change is made (metadata occurred_at). Required.
	Now time.Time
	// Source says through what the change came (metadata source), e.g. "cli", "api", "bootstrap:partners.yaml".
	// Default: DefaultPartnerSource.
	Source string
}

// ApplyPartnerResult says what Apply did.
type ApplyPartnerResult struct {
	StreamID string
	// StreamVersion is the version of the partner's stream after the command.
	StreamVersion int64
	// Appended is how many events were appended: 0 when the profile was already in force.
	Appended int
	// EventTypes are the types of the appended events, in order (partner.EventItemMapped, ...).
	EventTypes []string
}

// PartnerConfig configures PartnerHandler.
type PartnerConfig struct {
	// SealKey is the AES-256 key HMAC secrets are sealed under (partner.SealKeySize bytes). Required for
	// SetHMACSecret and for applying profiles that declare webhook secrets; everything else works
	// without it. Default: none.
	SealKey []byte
	// Logger receives the handler's logs. Tokens and secrets never reach it. Default: discarded.
	Logger *slog.Logger
	// Clock gives the current time to the credential commands (token expiry checks). Default: time.Now.
	Clock func() time.Time
	// PageSize is how many events are read per ReadStream call when loading a partner. Default: 500.
	PageSize int
}

func (c *PartnerConfig) setDefaults() {
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	if c.Clock == nil {
		c.Clock = time.Now
	}
	if c.PageSize == 0 {
		c.PageSize = 500
	}
}

// Validate reports every invalid field.
func (c PartnerConfig) Validate() error {
	var errs []error
	if len(c.SealKey) != 0 && len(c.SealKey) != partner.SealKeySize {
		errs = append(errs, fmt.Errorf("seal key is %d bytes, want %d", len(c.SealKey), partner.SealKeySize))
	}
	if c.PageSize < 0 {
		errs = append(errs, fmt.Errorf("page size %d is negative", c.PageSize))
	}
	return errors.Join(errs...)
}

// PartnerHandler changes the partner registry: profiles, tokens and webhook secrets. Every change is
// appended to the partner's stream at the exact version it was decided on, with the actor in the
// metadata; losing a race with another writer of the same partner is retried once from a fresh load.
// Event IDs are random: an admin change is not the replay of a partner message, and Plan, not the
// store's duplicate check, is what keeps a repeated Apply from appending anything.
type PartnerHandler struct {
	store StreamStore
	cfg   PartnerConfig
}

// NewPartnerHandler returns a handler appending to store.
func NewPartnerHandler(store StreamStore, cfg PartnerConfig) (*PartnerHandler, error) {
	cfg.setDefaults()
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("partner handler config: %w", err)
	}
	if store == nil {
		return nil, errors.New("partner handler: nil store")
	}
	return &PartnerHandler{store: store, cfg: cfg}, nil
}

// partnerChange is one registry command: who, when, through what, and on which partner.
type partnerChange struct {
	partnerID string
	actor     string
	source    string
	now       time.Time
	what      string // for errors and logs, e.g. "apply profile"
}

func (c partnerChange) validate() error {
	var errs []error
	if err := partner.ValidateID(c.partnerID); err != nil {
		errs = append(errs, err)
	}
	if strings.TrimSpace(c.actor) == "" {
		errs = append(errs, errors.New("actor is required"))
	}
	if c.now.IsZero() {
		errs = append(errs, errors.New("the time of the change is required"))
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("%s: %w", c.what, err)
	}
	return nil
}

// Apply makes the partner's registry entry what cmd.Profile says. An invalid profile is the
// *partner.ValidationError; a profile declaring webhook secrets needs PartnerConfig.SealKey.
func (h *PartnerHandler) Apply(ctx context.Context, cmd ApplyPartner) (ApplyPartnerResult, error) {
	c := partnerChange{partnerID: cmd.Profile.ID, actor: cmd.Actor, source: cmd.Source, now: cmd.Now, what: "apply partner profile"}
	if err := cmd.Profile.Validate(); err != nil {
		return ApplyPartnerResult{}, err
	}
	if err := c.validate(); err != nil {
		return ApplyPartnerResult{}, err
	}
	if len(cmd.Profile.WebhookSecrets) > 0 && len(h.cfg.SealKey) == 0 {
		return ApplyPartnerResult{}, fmt.Errorf("apply partner profile %s: it declares webhook secrets but no seal key is configured",
			cmd.Profile.ID)
	}
	return h.run(ctx, c, func(st *partner.State) ([]partner.Event, error) {
		events := partner.Plan(*st, cmd.Profile)
		secrets, err := partner.PlanSecrets(*st, cmd.Profile, h.cfg.SealKey)
		if err != nil {
			return nil, err
		}
		return append(events, secrets...), nil
	})
}

// IssueToken gives the partner a new bearer token for the document kinds, valid until expires (zero:
// until revoked), and returns it in clear with its ID. The clear token is in the return value only:
// hand it to the partner once; the registry keeps its SHA-256.
func (h *PartnerHandler) IssueToken(ctx context.Context, partnerID string, kinds []string, expires time.Time, actor string) (token, tokenID string, err error) {
	c := partnerChange{partnerID: partnerID, actor: actor, now: h.cfg.Clock(), what: "issue token"}
	if err := c.validate(); err != nil {
		return "", "", err
	}
	_, err = h.run(ctx, c, func(st *partner.State) ([]partner.Event, error) {
		t, events, err := st.IssueToken(kinds, expires, c.now)
		if err != nil {
			return nil, err
		}
		token, tokenID = t, events[0].(partner.TokenIssued).TokenID
		return events, nil
	})
	if err != nil {
		return "", "", err
	}
	return token, tokenID, nil
}

// RotateToken replaces token oldTokenID by a new one with the same kinds and expiry, revoking the old
// one in the same append, and returns the new token in clear (once) with its ID.
func (h *PartnerHandler) RotateToken(ctx context.Context, partnerID, oldTokenID, actor string) (token, tokenID string, err error) {
	c := partnerChange{partnerID: partnerID, actor: actor, now: h.cfg.Clock(), what: "rotate token " + oldTokenID}
	if err := c.validate(); err != nil {
		return "", "", err
	}
	_, err = h.run(ctx, c, func(st *partner.State) ([]partner.Event, error) {
		t, events, err := st.RotateToken(oldTokenID, c.now)
		if err != nil {
			return nil, err
		}
		token, tokenID = t, events[0].(partner.TokenIssued).TokenID
		return events, nil
	})
	if err != nil {
		return "", "", err
	}
	return token, tokenID, nil
}

// RevokeToken ends token tokenID for the reason given. Revoking a revoked token appends nothing.
func (h *PartnerHandler) RevokeToken(ctx context.Context, partnerID, tokenID, reason, actor string) error {
	c := partnerChange{partnerID: partnerID, actor: actor, now: h.cfg.Clock(), what: "revoke token " + tokenID}
	if err := c.validate(); err != nil {
		return err
	}
	_, err := h.run(ctx, c, func(st *partner.State) ([]partner.Event, error) {
		return st.RevokeToken(tokenID, reason)
	})
	return err
}

// SetHMACSecret stores the secret the partner signs format's webhooks with, sealed under
// PartnerConfig.SealKey. The same secret again appends nothing.
func (h *PartnerHandler) SetHMACSecret(ctx context.Context, partnerID, format string, secret []byte, actor string) error {
	c := partnerChange{partnerID: partnerID, actor: actor, now: h.cfg.Clock(), what: "set " + format + " HMAC secret"}
	if err := c.validate(); err != nil {
		return err
	}
	if len(h.cfg.SealKey) == 0 {
		return fmt.Errorf("%s of %s: no seal key is configured", c.what, partnerID)
	}
	_, err := h.run(ctx, c, func(st *partner.State) ([]partner.Event, error) {
		return st.SetHMACSecret(format, secret, h.cfg.SealKey)
	})
	return err
}

// RemoveHMACSecret removes the partner's secret for format, so its webhooks are no longer accepted as
// signed. Removing a secret that is not there appends nothing.
func (h *PartnerHandler) RemoveHMACSecret(ctx context.Context, partnerID, format, actor string) error {
	c := partnerChange{partnerID: partnerID, actor: actor, now: h.cfg.Clock(), what: "remove " + format + " HMAC secret"}
	if err := c.validate(); err != nil {
		return err
	}
	_, err := h.run(ctx, c, func(st *partner.State) ([]partner.Event, error) {
		return st.RemoveHMACSecret(format)
	})
	return err
}

// run loads the partner, decides, and appends at the loaded version, once more on ErrConcurrency.
func (h *PartnerHandler) run(ctx context.Context, c partnerChange, decide func(*partner.State) ([]partner.Event, error)) (ApplyPartnerResult, error) {
	res, err := h.try(ctx, c, decide)
	if errors.Is(err, eventstore.ErrConcurrency) {
		h.cfg.Logger.InfoContext(ctx, "partner changed while deciding, retrying", "partner", c.partnerID, "change", c.what)
		res, err = h.try(ctx, c, decide)
	}
	return res, err
}

func (h *PartnerHandler) try(ctx context.Context, c partnerChange, decide func(*partner.State) ([]partner.Event, error)) (ApplyPartnerResult, error) {
	stream := partner.StreamID(c.partnerID)
	st, err := h.load(ctx, stream)
	if err != nil {
		return ApplyPartnerResult{}, err
	}
	res := ApplyPartnerResult{StreamID: stream, StreamVersion: st.Version(), EventTypes: []string{}}
	decided, err := decide(st)
	if err != nil {
		return ApplyPartnerResult{}, fmt.Errorf("%s of partner %s: %w", c.what, c.partnerID, err)
	}
	if len(decided) == 0 {
		return res, nil
	}

	source := c.source
	if source == "" {
		source = DefaultPartnerSource
	}
	meta := eventstore.Metadata{
		// One correlation ID per change groups its events (a rotation's issue and revoke, a file's many
		// crosswalk entries) in the timeline.
		CorrelationID: uuid.NewString(),
		PartnerID:     c.partnerID,
		Source:        source,
		Actor:         c.actor,
		OccurredAt:    c.now.UTC(),
	}
	events := make([]eventstore.EventData, len(decided))
	for i, e := range decided {
		data, err := json.Marshal(e)
		if err != nil {
			return ApplyPartnerResult{}, fmt.Errorf("encode %s: %w", e.EventType(), err)
		}
		events[i] = eventstore.EventData{ID: uuid.New(), Type: e.EventType(), Data: data, Metadata: meta}
		res.EventTypes = append(res.EventTypes, e.EventType())
	}
	ar, err := h.store.Append(ctx, stream, eventstore.Exact(st.Version()), events...)
	if err != nil {
		return ApplyPartnerResult{}, fmt.Errorf("append to %s at %d: %w", stream, st.Version(), err)
	}
	res.StreamVersion, res.Appended = ar.StreamVersion, len(events)
	h.cfg.Logger.InfoContext(ctx, "partner changed", "partner", c.partnerID, "change", c.what,
		"events", len(events), "version", ar.StreamVersion, "actor", c.actor, "source", source)
	return res, nil
}

// load rebuilds the partner from its whole stream; a missing stream is a partner not yet registered.
func (h *PartnerHandler) load(ctx context.Context, stream string) (*partner.State, error) {
	st := partner.NewState()
	for from := int64(1); ; {
		page, err := h.store.ReadStream(ctx, stream, from, h.cfg.PageSize)
		if errors.Is(err, eventstore.ErrStreamNotFound) {
			return st, nil
		}
		if err != nil {
			return nil, fmt.Errorf("read %s from %d: %w", stream, from, err)
		}
		for _, ev := range page {
			if err := st.Apply(ev.Type, ev.Data); err != nil {
				return nil, fmt.Errorf("load %s: %w", stream, err)
			}
		}
		if len(page) < h.cfg.PageSize {
			return st, nil
		}
		from += int64(len(page))
	}
}
