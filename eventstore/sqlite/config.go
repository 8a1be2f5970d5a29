package sqlite

import (
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"
)

// Config tunes a Store. The zero Config is valid: every field has a default.
type Config struct {
	// Logger receives the store's few log lines (open, migrations). Default: discard.
	Logger *slog.Logger
	// PollInterval is how often a live subscriber looks at the file for events appended by another
	// process; appends through this Store wake subscribers at once. Default: 100ms.
	PollInterval time.Duration
	// BatchSize is the most events a subscriber reads (and yields) at a time. Default: 1000.
	BatchSize int
	// BusyTimeout is how long a connection waits for a lock held by another process before failing with
	// SQLITE_BUSY. Default: 5s.
	BusyTimeout time.Duration
	// ReadConns is the size of the reader pool. Default: 4.
	ReadConns int
	// Synchronous is SQLite's synchronous pragma for the writer: FULL makes every acknowledged append
	// survive a power loss; NORMAL is faster in WAL mode but may lose the last appends on power loss
	// (never on a process crash). Default: FULL.
	Synchronous string
}

func (c *Config) setDefaults() {
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	if c.PollInterval == 0 {
		c.PollInterval = 100 * time.Millisecond
	}
	if c.BatchSize == 0 {
		c.BatchSize = 1000
	}
	if c.BusyTimeout == 0 {
		c.BusyTimeout = 5 * time.Second
	}
	if c.ReadConns == 0 {
		c.ReadConns = 4
	}
	if c.Synchronous == "" {
		c.Synchronous = "FULL"
	}
}

// Validate reports every problem of c at once.
func (c Config) Validate() error {
	var problems []error
	if c.PollInterval < 0 {
		problems = append(problems, fmt.Errorf("poll interval %s is negative", c.PollInterval))
	}
	if c.BatchSize < 0 || c.BatchSize > 100_000 {
		problems = append(problems, fmt.Errorf("batch size %d is not within 1..100000", c.BatchSize))
	}
	if c.BusyTimeout < 0 {
		problems = append(problems, fmt.Errorf("busy timeout %s is negative", c.BusyTimeout))
	}
	if c.ReadConns < 0 {
		problems = append(problems, fmt.Errorf("read connections %d is negative", c.ReadConns))
	}
	switch strings.ToUpper(c.Synchronous) {
	case "", "NORMAL", "FULL", "EXTRA":
	default:
		problems = append(problems, fmt.Errorf("synchronous %q is not NORMAL, FULL or EXTRA", c.Synchronous))
	}
	if err := errors.Join(problems...); err != nil {
		return fmt.Errorf("sqlite event store config: %w", err)
	}
	return nil
}
