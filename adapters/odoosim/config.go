package odoosim

import (
	"errors"
	"fmt"
	"log/slog"
	"regexp"
	"slices"
	"strings"
	"time"
)

// DefaultAPIKey is the API key (and password) the simulator accepts when Config.APIKey is empty: 40
// lowercase hex characters, shaped like the keys Odoo issues.
const DefaultAPIKey = "5f0d0e6c3b8a4d29a1c7e2f4b6d8a0c2e4f6a8b0"

// Defaults applied by setDefaults.
const (
	DefaultVersion  = 17
	DefaultDatabase = "odoo"
	DefaultLogin    = "integration@example.com"
)

// userID is the uid authenticate answers for Config.Login; superuserID is the uid of direct calls
// (Server.Call and friends), which bypass Config.Deny as Odoo's superuser bypasses access rights.
const (
	userID      int64 = 2
	superuserID int64 = 1
)

// Access operations, as check_access_rights names them.
const (
	opRead   = "read"
	opWrite  = "write"
	opCreate = "create"
	opUnlink = "unlink"
)

var accessOps = []string{opRead, opWrite, opCreate, opUnlink}

// dbNamePattern is the database name pattern Odoo's database manager enforces.
var dbNamePattern = regexp.MustCompile(`^[a-zA-Z0-9][a-zA-Z0-9_.-]+$`)

// Config shapes the simulated server. The zero Config is valid: New fills in the defaults.
type Config struct {
	// Version is the Odoo major version simulated: 16, 17 or 19. It picks the field names, the state
	// machines that differ and whether JSON-2 is served. Default: 17.
	Version int
	// Database is the only database the server knows. Default: "odoo".
	Database string
	// Login is the login of the integration user (uid 2). Default: "integration@example.com".
	Login string
	// APIKey is the user's API key, also accepted as the password. Default: DefaultAPIKey.
	APIKey string
	// Now is the clock behind create_date, write_date, date_done and the other stamps. Default: time.Now.
	Now func() time.Time
	// Deny lists, per model, the access operations ("read", "write", "create", "unlink") the integration
	// user lacks: check_access_rights answers false (or AccessError), and those operations fail with
	// AccessError. Business methods (button_confirm, action_post, ...) need "write" on their model.
	// Default: none denied.
	Deny map[string][]string
	// FaultsEndpoint serves POST /__sim/faults, which sets the Faults from a JSON body (Go field names,
	// Latency in nanoseconds), so that a test can take a simulator running in another process down and
	// up. It answers even while the server is Down. Default: off.
	FaultsEndpoint bool
	// Logger receives a debug line per call answered. Default: discard.
	Logger *slog.Logger
}

func (c *Config) setDefaults() {
	if c.Version == 0 {
		c.Version = DefaultVersion
	}
	if c.Database == "" {
		c.Database = DefaultDatabase
	}
	if c.Login == "" {
		c.Login = DefaultLogin
	}
	if c.APIKey == "" {
		c.APIKey = DefaultAPIKey
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
}

// Validate reports every problem with the configuration at once. Zero values are valid: they stand for
// the defaults.
func (c Config) Validate() error {
	var errs []error
	version := c.Version
	switch version {
	case 0:
		version = DefaultVersion
	case 16, 17, 19:
	default:
		errs = append(errs, fmt.Errorf("version %d: the simulator knows 16, 17 and 19", c.Version))
		version = DefaultVersion
	}
	if c.Database != "" && !dbNamePattern.MatchString(c.Database) {
		errs = append(errs, fmt.Errorf("database %q: does not match %s", c.Database, dbNamePattern))
	}
	if strings.TrimSpace(c.Login) != c.Login {
		errs = append(errs, fmt.Errorf("login %q starts or ends with white space", c.Login))
	}
	if strings.TrimSpace(c.APIKey) != c.APIKey {
		errs = append(errs, errors.New("API key starts or ends with white space"))
	}
	models := buildSchema(version)
	for model, ops := range c.Deny {
		if _, ok := models[model]; !ok {
			errs = append(errs, fmt.Errorf("deny %q: no such model in Odoo %d", model, version))
		}
		for _, op := range ops {
			if !slices.Contains(accessOps, op) {
				errs = append(errs, fmt.Errorf("deny %q: operation %q is not one of %s", model, op, strings.Join(accessOps, ", ")))
			}
		}
	}
	return errors.Join(errs...)
}

// denied reports whether the integration user lacks op on model.
func (c *Config) denied(model, op string) bool {
	return slices.Contains(c.Deny[model], op)
}
