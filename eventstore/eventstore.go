// Package eventstore defines the event log every part of Crossdock stands on: the event envelope, the
// Store port that each backend implements, and the sentinel errors callers match with errors.Is.
//
// The contract every backend must honour is exercised by eventstore/eventstoretest.
package eventstore

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
)

// Sentinel errors. Backends translate their native errors into these in one place.
var (
	// ErrConcurrency means the stream was not at the expected version.
	ErrConcurrency = errors.New("eventstore: wrong expected version")
	// ErrStreamNotFound means the stream has no events.
	ErrStreamNotFound = errors.New("eventstore: stream not found")
	// ErrDuplicateEvent means an event ID is already stored with other content (another stream, type or
	// data). Re-appending identical events is not an error.
	ErrDuplicateEvent = errors.New("eventstore: event ID already stored with other content")
	// ErrInvalidEvent means an event to append is malformed (no ID, no type, data that is not JSON).
	ErrInvalidEvent = errors.New("eventstore: invalid event")
	// ErrClosed means the store has been closed.
	ErrClosed = errors.New("eventstore: store closed")
)

// ExpectedVersion is the optimistic-concurrency condition of an append: Any, NoStream, or the exact
// version (1-based, per stream) the stream must be at. Exact(0) means the same as NoStream.
type ExpectedVersion int64

const (
	// Any appends whatever the stream's version.
	Any ExpectedVersion = -1
	// NoStream appends only if the stream has no events yet.
	NoStream ExpectedVersion = 0
)

// Exact returns the condition "the stream is at version v".
func Exact(v int64) ExpectedVersion { return ExpectedVersion(v) }

func (e ExpectedVersion) String() string {
	switch {
	case e == Any:
		return "any"
	case e == NoStream:
		return "no-stream"
	default:
		return strconv.FormatInt(int64(e), 10)
	}
}

// Position is an event's place in the global log. Events are totally ordered by (Commit, Global):
// Global is the store-assigned sequence number, Commit the commit group it was written in (on PostgreSQL
// the writing transaction's xid8, on SQLite equal to Global). Readers that resume from a Position never
// skip an event committed after it (see ARCHITECTURE.md, "No subscriber ever skips a committed event").
type Position struct {
	Commit uint64
	Global uint64
}

// Start is the position before the first event.
var Start = Position{}

// Less reports whether p comes before q in the global log.
func (p Position) Less(q Position) bool {
	if p.Commit != q.Commit {
		return p.Commit < q.Commit
	}
	return p.Global < q.Global
}

// IsZero reports whether p is Start.
func (p Position) IsZero() bool { return p == Start }

// String formats p as "commit/global", the form ParsePosition reads (used for cursors and checkpoints).
func (p Position) String() string {
	return strconv.FormatUint(p.Commit, 10) + "/" + strconv.FormatUint(p.Global, 10)
}

// ParsePosition reads the form written by Position.String. The empty string is Start.
func ParsePosition(s string) (Position, error) {
	if s == "" {
		return Start, nil
	}
	c, g, ok := strings.Cut(s, "/")
	if !ok {
		return Position{}, fmt.Errorf("position %q: want commit/global", s)
	}
	commit, err := strconv.ParseUint(c, 10, 64)
	if err != nil {
		return Position{}, fmt.Errorf("position %q: commit: %w", s, err)
	}
	global, err := strconv.ParseUint(g, 10, 64)
	if err != nil {
		return Position{}, fmt.Errorf("position %q: global: %w", s, err)
	}
	return Position{Commit: commit, Global: global}, nil
}

// Metadata travels with every event. RecordedAt is set by the store; the rest by the writer.
type Metadata struct {
	CorrelationID string    `json:"correlation_id,omitempty"`
	CausationID   string    `json:"causation_id,omitempty"`
	MessageID     string    `json:"message_id,omitempty"` // the raw inbound message the event came from
	PartnerID     string    `json:"partner_id,omitempty"`
	Source        string    `json:"source,omitempty"` // e.g. "wms:acme-3pl", "odoo", "api"
	Actor         string    `json:"actor,omitempty"`
	OccurredAt    time.Time `json:"occurred_at,omitzero"` // business time
}

// EventData is an event to append.
type EventData struct {
	// ID identifies the event. Derive it deterministically from the message it came from (DeriveID) so
	// that a retried message re-appends the same IDs and the store recognises the duplicate.
	ID uuid.UUID
	// Type names the event and its schema version, e.g. "shipment.asn_received.v1".
	Type string
	// Data is the event's JSON payload; quantities and money are decimal strings, never floats.
	Data     json.RawMessage
	Metadata Metadata
}

// Event is a recorded event.
type Event struct {
	ID            uuid.UUID
	StreamID      string
	StreamVersion int64
	Position      Position
	Type          string
	Data          json.RawMessage
	Metadata      Metadata
	RecordedAt    time.Time // store time, UTC
}

// AppendResult says where an append left the stream.
type AppendResult struct {
	// StreamVersion is the version of the stream's last appended (or already stored) event.
	StreamVersion int64
	// Position is the global position of the last appended (or already stored) event.
	Position Position
	// Duplicate is true when every event was already stored with the same content, so nothing was written.
	Duplicate bool
}

// Filter narrows ReadAll and Subscribe. The zero Filter matches every event.
type Filter struct {
	// StreamPrefix keeps events whose stream ID starts with it, e.g. "shipment-".
	StreamPrefix string
	// Types keeps events whose Type is one of these.
	Types []string
}

// Match reports whether ev passes the filter.
func (f Filter) Match(ev Event) bool {
	if f.StreamPrefix != "" && !strings.HasPrefix(ev.StreamID, f.StreamPrefix) {
		return false
	}
	if len(f.Types) == 0 {
		return true
	}
	for _, t := range f.Types {
		if t == ev.Type {
			return true
		}
	}
	return false
}

// Store is the event store port.
type Store interface {
	// Append writes events to one stream atomically if the stream is at the expected version; otherwise
	// it returns an error matching ErrConcurrency. Re-appending events whose IDs are stored with the same
	// stream, type and data is a no-op that succeeds with AppendResult.Duplicate set; the same ID with
	// other content is ErrDuplicateEvent.
	Append(ctx context.Context, stream string, expected ExpectedVersion, events ...EventData) (AppendResult, error)
	// ReadStream returns up to limit events of one stream from version from (inclusive, 1-based), in
	// version order. A stream with no events is ErrStreamNotFound.
	ReadStream(ctx context.Context, stream string, from int64, limit int) ([]Event, error)
	// ReadAll returns up to limit events after position from, in global order, that pass the filter.
	ReadAll(ctx context.Context, from Position, limit int, filter Filter) ([]Event, error)
	// Subscribe yields the events after from that pass the filter, in global order, in batches: first
	// those already stored (catch-up), then new ones as they commit (live). It ends after yielding the
	// context's error when ctx is done, or the first read error. Resume by passing the Position of the
	// last event handled.
	Subscribe(ctx context.Context, from Position, filter Filter) iter.Seq2[[]Event, error]
	// Head returns the position of the last committed event visible to readers (Start if none).
	Head(ctx context.Context) (Position, error)
}

// namespace roots deterministic event IDs: it is hashed ahead of every input, so Crossdock's IDs cannot
// coincide with hashes other software takes of the same strings.
var namespace = uuid.MustParse("6f1c2a4e-8d1b-5c3e-9a7f-0b2d4e6f8a1c")

// DeriveID returns the deterministic ID of the index-th event produced from a message: an RFC 9562
// UUIDv8 whose high 64 bits come from SHA-256 of the message key alone and whose low 64 bits from
// SHA-256 of key + "#" + index, less the version and variant bits (122 hashed bits in all). The same
// message key and index always give the same ID.
//
// The split is for the store's ID index. A fully hashed ID (as UUIDv5 was) sends the events of one
// message to as many random leaf pages of the B-tree as there are events; with a shared high half they
// sort next to each other, so a batch append touches about one leaf page. Uniqueness is unchanged in
// practice: IDs of different messages differ unless 122 hashed bits collide, and the events of one
// message still differ by 62 hashed bits (about 1 in 10^13 for a thousand-event message to have a
// collision anywhere, and the store would refuse it as a duplicate, not overwrite).
func DeriveID(messageKey string, index int) uuid.UUID {
	high := hashID('m', messageKey)
	low := hashID('e', messageKey+"#"+strconv.Itoa(index))
	var id uuid.UUID
	copy(id[:8], high[:8])
	copy(id[8:], low[:8])
	id[6] = id[6]&0x0f | 0x80 // version 8
	id[8] = id[8]&0x3f | 0x80 // variant 10 (RFC 9562)
	return id
}

// hashID hashes one input of DeriveID. The tag keeps the two halves' inputs apart, so the low half is
// never the high half of some other key.
func hashID(tag byte, s string) [sha256.Size]byte {
	b := make([]byte, 0, len(namespace)+1+len(s))
	b = append(b, namespace[:]...)
	b = append(b, tag)
	b = append(b, s...)
	return sha256.Sum256(b)
}

// Validate checks an event before it is appended.
func (e EventData) Validate() error {
	var problems []error
	if e.ID == uuid.Nil {
		problems = append(problems, errors.New("no ID"))
	}
	if e.Type == "" {
		problems = append(problems, errors.New("no type"))
	}
	if len(e.Data) > 0 && !json.Valid(e.Data) {
		problems = append(problems, errors.New("data is not valid JSON"))
	}
	if len(problems) > 0 {
		return fmt.Errorf("%w %s: %w", ErrInvalidEvent, e.ID, errors.Join(problems...))
	}
	return nil
}

// ValidateStream checks a stream ID ("<aggregate>-<business id>").
func ValidateStream(stream string) error {
	if stream == "" {
		return fmt.Errorf("%w: empty stream ID", ErrInvalidEvent)
	}
	return nil
}

// SameContent reports whether a stored event carries the content of e appended to stream: the rule for
// telling an idempotent re-append from an ID collision. Data is compared as JSON values, since a backend
// may normalise whitespace and key order.
func SameContent(stored Event, stream string, e EventData) bool {
	if stored.ID != e.ID || stored.StreamID != stream || stored.Type != e.Type {
		return false
	}
	return JSONEqual(stored.Data, e.Data)
}
