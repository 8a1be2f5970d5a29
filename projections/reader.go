package projections

import (
	"context"
	"encoding/base64"
	"errors"
	"strings"
)

// TableResolver names the active generation of a projection's tables: a *Runner in the process that runs
// projections, a *Catalog elsewhere. Read models' readers take one.
type TableResolver interface {
	ActiveTables(ctx context.Context, name string) (Tables, error)
}

// OnActive runs read against the active generation of projection name's tables. A rebuild may switch
// generations and drop the old tables between the resolution and the read: when read fails and the
// active generation has changed meanwhile, it runs once more against the new one.
func OnActive(ctx context.Context, tables TableResolver, name string, read func(Tables) error) error {
	t, err := tables.ActiveTables(ctx, name)
	if err != nil {
		return err
	}
	err = read(t)
	if err == nil {
		return nil
	}
	if now, rerr := tables.ActiveTables(ctx, name); rerr == nil && now.Generation != t.Generation {
		return read(now)
	}
	return err
}

// CheckReader reports what a read model's reader is missing: a dialect, a Read pool, a table resolver.
func CheckReader(db Database, tables TableResolver) error {
	var problems []error
	if err := db.Dialect.Validate(); err != nil {
		problems = append(problems, err)
	}
	if db.Read == nil {
		problems = append(problems, errors.New("no Read database"))
	}
	if tables == nil {
		problems = append(problems, errors.New("no table resolver"))
	}
	return errors.Join(problems...)
}

// KeyCursor is the opaque cursor after a row whose key has two parts (a purchase order and a line, a
// warehouse and a product); ParseKeyCursor reads it back.
func KeyCursor(k1, k2 string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(k1 + "\x00" + k2))
}

// ParseKeyCursor reads a KeyCursor; ok is false for anything else.
func ParseKeyCursor(cursor string) (k1, k2 string, ok bool) {
	b, err := base64.RawURLEncoding.DecodeString(cursor)
	if err != nil {
		return "", "", false
	}
	return strings.Cut(string(b), "\x00")
}

// PageSize is the size of a page asked for with first: def when it is 0, at most max; ok is false when
// it is negative.
func PageSize(first, def, max int) (size int, ok bool) {
	switch {
	case first < 0:
		return 0, false
	case first == 0:
		return def, true
	default:
		return min(first, max), true
	}
}
