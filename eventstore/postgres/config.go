package postgres

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"time"
)

// Config tunes a Store. The zero Config is valid: New fills in the defaults.
type Config struct {
	// Logger receives the store's few log lines (migrations applied). Default: discard.
	Logger *slog.Logger
	// BatchSize is how many events one catch-up read of Subscribe fetches (and so at most how many one
	// yielded batch holds). Each read costs a round trip and an index descent; with bench/storebench over
	// 1M events of ~250 bytes, catch-up ran at 333k events/s with 1000, 404k with 5000, 447k with 10000,
	// and no faster with 20000 or 50000. 10000 such events are about 7 MB in memory. Default: 10000.
	BatchSize int
	// PollInterval is how often a caught-up Subscribe looks for events appended by other processes.
	// Appends through the same Store wake subscribers at once. Default: 100ms.
	PollInterval time.Duration
}

// Defaults applied by setDefaults.
const (
	DefaultBatchSize    = 10000
	DefaultPollInterval = 100 * time.Millisecond
)

func (c *Config) setDefaults() {
	if c.Logger == nil {
		c.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if c.BatchSize == 0 {
		c.BatchSize = DefaultBatchSize
	}
	if c.PollInterval == 0 {
		c.PollInterval = DefaultPollInterval
	}
}

// Validate reports every problem with the configuration at once.
func (c Config) Validate() error {
	var problems []error
	if c.BatchSize < 0 {
		problems = append(problems, fmt.Errorf("BatchSize %d: must not be negative", c.BatchSize))
	}
	if c.PollInterval < 0 {
		problems = append(problems, fmt.Errorf("PollInterval %s: must not be negative", c.PollInterval))
	}
	return errors.Join(problems...)
}
