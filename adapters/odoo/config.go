package odoo

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"time"
)

// Protocols a Client can speak.
const (
	ProtocolAuto    = "auto"    // JSON-2 on 19 and later, JSON-RPC before
	ProtocolJSONRPC = "jsonrpc" // POST /jsonrpc, execute_kw (16–21)
	ProtocolJSON2   = "json2"   // POST /json/2/<model>/<method> (19+)
)

// Config configures a Client for one Odoo database.
type Config struct {
	// URL is the server's base URL, e.g. https://acme.odoo.com. Required.
	URL string
	// Database is the database name. Required.
	Database string
	// Login is the integration user's login, used by JSON-RPC to find its uid. Required for JSON-RPC.
	Login string
	// APIKey is the user's API key (or password). Required.
	APIKey string
	// Protocol is ProtocolAuto (default), ProtocolJSONRPC or ProtocolJSON2.
	Protocol string
	// Context is sent with every call. JSON-2 replaces the whole server-side context with it, so it
	// should name the language and time zone. Default {"lang": "en_US", "tz": "UTC"}.
	Context map[string]any

	// Timeout bounds one HTTP request. Default 30 s (Odoo itself stops a request after 120 s).
	Timeout time.Duration
	// MaxAttempts is how many times a call is tried when its failure is retryable. Default 5.
	MaxAttempts int
	// InitialBackoff is the wait before the first retry; each next wait is Multiplier times longer,
	// randomized by ±50 %, up to MaxBackoff. Defaults 250 ms and 10 s.
	InitialBackoff, MaxBackoff time.Duration
	// Concurrency is how many calls may be in flight to this Odoo at once. Default 4.
	Concurrency int
	// RatePerSecond limits the calls started per second (Burst at once). Defaults 20 and Concurrency.
	RatePerSecond float64
	Burst         int
	// BreakerFailures is how many consecutive retryable failures open the circuit; while it is open
	// calls fail at once with ErrCircuitOpen, and after BreakerCooldown one call is let through to try.
	// Defaults 5 and 30 s.
	BreakerFailures int
	BreakerCooldown time.Duration

	// HTTPClient sends the requests. Default: a client with Timeout.
	HTTPClient *http.Client
	// Logger logs retries and circuit changes. Default: discards.
	Logger *slog.Logger
}

func (c *Config) setDefaults() {
	if c.Protocol == "" {
		c.Protocol = ProtocolAuto
	}
	if c.Context == nil {
		c.Context = map[string]any{"lang": "en_US", "tz": "UTC"}
	}
	if c.Timeout == 0 {
		c.Timeout = 30 * time.Second
	}
	if c.MaxAttempts == 0 {
		c.MaxAttempts = 5
	}
	if c.InitialBackoff == 0 {
		c.InitialBackoff = 250 * time.Millisecond
	}
	if c.MaxBackoff == 0 {
		c.MaxBackoff = 10 * time.Second
	}
	if c.Concurrency == 0 {
		c.Concurrency = 4
	}
	if c.RatePerSecond == 0 {
		c.RatePerSecond = 20
	}
	if c.Burst == 0 {
		c.Burst = c.Concurrency
	}
	if c.BreakerFailures == 0 {
		c.BreakerFailures = 5
	}
	if c.BreakerCooldown == 0 {
		c.BreakerCooldown = 30 * time.Second
	}
	if c.HTTPClient == nil {
		c.HTTPClient = &http.Client{Timeout: c.Timeout}
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
}

// Validate reports every problem of the configuration at once.
func (c *Config) Validate() error {
	var errs []error
	if c.URL == "" {
		errs = append(errs, errors.New("odoo: URL is required"))
	} else if u, err := url.Parse(c.URL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		errs = append(errs, fmt.Errorf("odoo: URL %q is not an http(s) address", c.URL))
	}
	if c.Database == "" {
		errs = append(errs, errors.New("odoo: database is required"))
	}
	if c.APIKey == "" {
		errs = append(errs, errors.New("odoo: API key is required"))
	}
	switch c.Protocol {
	case ProtocolAuto, ProtocolJSON2:
	case ProtocolJSONRPC:
		if c.Login == "" {
			errs = append(errs, errors.New("odoo: login is required for JSON-RPC"))
		}
	default:
		errs = append(errs, fmt.Errorf("odoo: protocol %q is not one of auto, jsonrpc, json2", c.Protocol))
	}
	if c.Protocol == ProtocolAuto && c.Login == "" {
		errs = append(errs, errors.New("odoo: login is required (JSON-RPC, for Odoo before 19)"))
	}
	for name, v := range map[string]int{"max attempts": c.MaxAttempts, "concurrency": c.Concurrency, "burst": c.Burst,
		"breaker failures": c.BreakerFailures} {
		if v < 1 {
			errs = append(errs, fmt.Errorf("odoo: %s must be at least 1, not %d", name, v))
		}
	}
	if c.RatePerSecond <= 0 {
		errs = append(errs, fmt.Errorf("odoo: rate per second must be positive, not %g", c.RatePerSecond))
	}
	return errors.Join(errs...)
}
