package postgres

import (
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/crossdock-hub/crossdock/eventstore"
)

// errIDTaken is internal to the append path: an event ID of the batch is already stored. Append turns it
// into a duplicate no-op, ErrDuplicateEvent or ErrConcurrency after reading the stored events.
var errIDTaken = errors.New("event ID already stored")

// errVersionMismatch is internal to the append path: the stream was not at the expected version (or, at
// Any, a concurrent append took the versions read as free), and nothing was written. Append reads the stored events, as for errIDTaken, since a retried append finds
// its own earlier write there.
var errVersionMismatch = errors.New("stream not at the expected version")

// versionMismatchCode is the SQLSTATE crossdock_append_check (migration/001_events.sql) raises. Class CD
// is not one PostgreSQL uses.
const versionMismatchCode = "CDV01"

// translate is the one place PostgreSQL's errors become the store's: every database error passes
// through it before it is wrapped and returned.
func translate(err error) error {
	var pgErr *pgconn.PgError
	if !errors.As(err, &pgErr) {
		return err
	}
	switch pgErr.Code {
	case "23505": // unique_violation
		switch pgErr.ConstraintName {
		case "events_pkey":
			return fmt.Errorf("%w: %w", errIDTaken, err)
		case "events_stream":
			// The append's versions are taken: the stream is past the expected version, or another writer
			// got in first. Append still reads the stored events, since a retried append meets its own
			// earlier write here, and at Any it tries again.
			return fmt.Errorf("%w: %w", errVersionMismatch, err)
		}
	case versionMismatchCode:
		return fmt.Errorf("%w: %w", errVersionMismatch, err)
	case "22P02", "22032": // invalid_text_representation (jsonb input), invalid_json_text
		return fmt.Errorf("%w: data is not valid JSON: %w", eventstore.ErrInvalidEvent, err)
	case "40001", "40P01": // serialization_failure, deadlock_detected: the caller may retry the append
		return fmt.Errorf("%w: %w", eventstore.ErrConcurrency, err)
	}
	return err
}
