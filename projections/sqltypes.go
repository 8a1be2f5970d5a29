package projections

import (
	"fmt"
	"time"
)

// TimeArg returns t as a bind argument for the dialect: NULL for the zero time, a time on PostgreSQL
// (timestamptz), and on SQLite RFC 3339 text in UTC with nanoseconds, which sorts as it reads and
// survives the round trip exactly.
func (d Dialect) TimeArg(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	if d == Postgres {
		return t.UTC()
	}
	return t.UTC().Format(time.RFC3339Nano)
}

// NullTime scans a time written with Dialect.TimeArg from either dialect; NULL is the zero time.
type NullTime struct{ Time time.Time }

// Scan implements sql.Scanner.
func (n *NullTime) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		n.Time = time.Time{}
	case time.Time:
		n.Time = v.UTC()
	case string:
		return n.parse(v)
	case []byte:
		return n.parse(string(v))
	default:
		return fmt.Errorf("scan time: unsupported type %T", src)
	}
	return nil
}

func (n *NullTime) parse(s string) error {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return fmt.Errorf("scan time %q: %w", s, err)
	}
	n.Time = t.UTC()
	return nil
}
