package partnerdir

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/crossdock-hub/crossdock/domain/partner"
	"github.com/crossdock-hub/crossdock/eventstore"
)

// EventSource is what the directory needs of the event store.
type EventSource interface {
	ReadAll(ctx context.Context, from eventstore.Position, limit int, filter eventstore.Filter) ([]eventstore.Event, error)
	Subscribe(ctx context.Context, from eventstore.Position, filter eventstore.Filter) iter.Seq2[[]eventstore.Event, error]
}

// Config configures a Directory.
type Config struct {
	// SealKey is the key HMAC secrets were sealed under (partner.SealKeySize bytes); WebhookSecret needs
	// it. Default: none (WebhookSecret finds nothing).
	SealKey []byte
	// Logger receives the directory's logs. Default: discarded.
	Logger *slog.Logger
	// Clock gives the time token expiry and effective dates are checked at. Default: time.Now.
	Clock func() time.Time
	// PageSize is how many events Sync reads per ReadAll call. Default: 500.
	PageSize int
	// RetryDelay is how long Run waits before subscribing again after a read error. Default: 1s.
	RetryDelay time.Duration
}

func (c *Config) setDefaults() {
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	if c.Clock == nil {
		c.Clock = time.Now
	}
	if c.PageSize == 0 {
		c.PageSize = 500
	}
	if c.RetryDelay == 0 {
		c.RetryDelay = time.Second
	}
}

// Validate reports every problem with c.
func (c Config) Validate() error {
	var problems []error
	if len(c.SealKey) != 0 && len(c.SealKey) != partner.SealKeySize {
		problems = append(problems, fmt.Errorf("seal key is %d bytes, want %d", len(c.SealKey), partner.SealKeySize))
	}
	if c.PageSize < 0 {
		problems = append(problems, fmt.Errorf("page size %d is negative", c.PageSize))
	}
	if c.RetryDelay < 0 {
		problems = append(problems, fmt.Errorf("retry delay %s is negative", c.RetryDelay))
	}
	return errors.Join(problems...)
}

// Directory is the in-memory partner directory. Lookups are safe for concurrent use with each other and
// with Sync and Run: they read an immutable snapshot that each applied batch replaces.
type Directory struct {
	store  EventSource
	cfg    Config
	filter eventstore.Filter

	// mu serialises applying events (Sync and Run may both do it); pos and states belong to it.
	mu     sync.Mutex
	pos    eventstore.Position
	states map[string]*partnerState

	snap atomic.Pointer[snapshot]
}

// partnerState is one partner as folded so far, and whether its stream could be read.
type partnerState struct {
	state  *partner.State
	broken error
}

// New returns an empty directory over store; call Sync (and Run) to fill it.
func New(store EventSource, cfg Config) (*Directory, error) {
	cfg.setDefaults()
	problems := []error{cfg.Validate()}
	if store == nil {
		problems = append(problems, errors.New("no event store"))
	}
	if err := errors.Join(problems...); err != nil {
		return nil, fmt.Errorf("partner directory config: %w", err)
	}
	d := &Directory{
		store:  store,
		cfg:    cfg,
		filter: eventstore.Filter{StreamPrefix: partner.StreamPrefix, Types: partner.EventTypes()},
		states: map[string]*partnerState{},
	}
	d.snap.Store(build(nil, map[string]*entry{}, nil))
	return d, nil
}

// Position is the global position of the last partner event the directory has applied.
func (d *Directory) Position() eventstore.Position {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.pos
}

// Sync reads every partner event committed after the directory's position and applies it before
// returning: after a command that changed a partner, Sync makes the change visible to the next lookup.
func (d *Directory) Sync(ctx context.Context) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	for {
		batch, err := d.store.ReadAll(ctx, d.pos, d.cfg.PageSize, d.filter)
		if err != nil {
			return fmt.Errorf("partner directory: read after %s: %w", d.pos, err)
		}
		d.applyLocked(ctx, batch)
		if len(batch) < d.cfg.PageSize {
			return nil
		}
	}
}

// Run syncs, then follows the partner events as they commit until ctx is done, when it returns nil. A
// read error is logged and the subscription resumed from the last applied event after RetryDelay; a
// closed store ends Run with the error.
func (d *Directory) Run(ctx context.Context) error {
	if err := d.Sync(ctx); err != nil {
		if ctx.Err() != nil {
			return nil
		}
		d.cfg.Logger.ErrorContext(ctx, "partner directory sync failed, following anyway", "error", err)
	}
	for ctx.Err() == nil {
		from := d.Position()
		for batch, err := range d.store.Subscribe(ctx, from, d.filter) {
			if ctx.Err() != nil {
				return nil
			}
			if errors.Is(err, eventstore.ErrClosed) {
				return fmt.Errorf("partner directory: %w", err)
			}
			if err != nil {
				d.cfg.Logger.ErrorContext(ctx, "partner directory subscription failed, retrying", "from", from,
					"retry_in", d.cfg.RetryDelay, "error", err)
				break
			}
			d.mu.Lock()
			d.applyLocked(ctx, batch)
			d.mu.Unlock()
		}
		select {
		case <-ctx.Done():
		case <-time.After(d.cfg.RetryDelay):
		}
	}
	return nil
}

// applyLocked folds a batch into the partners' states and publishes a new snapshot. Events at or before
// the position were applied already (by Sync while Run's subscription caught up, or the other way round)
// and are skipped. A partner whose event does not apply is marked broken: its lookups fail closed, and
// the other partners carry on.
func (d *Directory) applyLocked(ctx context.Context, batch []eventstore.Event) {
	changed := map[string]bool{}
	for _, ev := range batch {
		if !d.pos.Less(ev.Position) {
			continue
		}
		d.pos = ev.Position
		id, ok := partner.IDFromStream(ev.StreamID)
		if !ok {
			continue
		}
		ps := d.states[id]
		if ps == nil {
			ps = &partnerState{state: partner.NewState()}
			d.states[id] = ps
		}
		changed[id] = true
		if ps.broken != nil {
			continue
		}
		if err := ps.state.Apply(ev.Type, ev.Data); err != nil {
			ps.broken = fmt.Errorf("stream %s at position %s: %w", ev.StreamID, ev.Position, err)
			d.cfg.Logger.ErrorContext(ctx, "partner stream unreadable, partner disabled", "partner", id,
				"position", ev.Position.String(), "error", err)
		}
	}
	if len(changed) == 0 {
		return
	}
	old := d.snap.Load()
	entries := make(map[string]*entry, len(d.states))
	for id, ps := range d.states {
		if changed[id] || old.partners[id] == nil {
			entries[id] = newEntry(ps)
		} else {
			entries[id] = old.partners[id]
		}
	}
	d.snap.Store(build(d.cfg.Logger, entries, old))
}
