package postgres

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"math"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/crossdock-hub/crossdock/eventstore"
)

// The one-round-trip batch append, for Exact and NoStream. Their events' stream versions are known
// before anything is read (expected + 1 ...), so the whole append can be sent before any answer
// comes back: one simple query, "SELECT crossdock_append_check(...); COPY events ... FROM STDIN", and the
// COPY data right behind it. A simple query of several statements is one implicit transaction that
// commits after its last statement, and an error aborts the statements after it. The check only reads:
// at Exact(v) it refuses a stream whose event v is not committed; a version another writer
// took fails the COPY itself on events_stream (as the append statement does). When the check raises
// (version mismatch) the COPY never starts and the server drops the CopyData and CopyDone that follow,
// as the protocol says it must after a failed COPY; pgconn stops sending at the first ErrorResponse.
// Any keeps appendCopy: its versions depend on the stream's last event, which only the server knows.
//
// The COPY's result is the row count only, so where the events landed (the commit and global position
// the AppendResult names) is read afterwards with one indexed query: two round trips against
// appendCopy's four.

// copyOnceSQL is the query after the stream literal and the expected version.
var copyOnceSQL = `); COPY events (` + strings.Join(copyColumns, ", ") + `) FROM STDIN (FORMAT binary)`

// lastEventSQL reads where the append's last event landed, by the (stream_id, stream_version) index.
const lastEventSQL = `SELECT tx_id, position FROM events WHERE stream_id = $1 AND stream_version = $2`

// copyBuffers recycles the encoded COPY data of appends; buffers grown past maxPooledCopyBuffer by a
// large payload are left to the collector instead of pinning their memory in the pool.
var copyBuffers = sync.Pool{New: func() any { b := make([]byte, 0, 64<<10); return &b }}

const maxPooledCopyBuffer = 1 << 20

// appendCopyOnce appends a batch at an expected version other than Any in one simple query. A version
// mismatch comes back as an error that translate turns into errVersionMismatch.
func (s *Store) appendCopyOnce(ctx context.Context, stream string, events []eventstore.EventData, expected int64) (n, version, global int64, commit uint64, err error) {
	bufp := copyBuffers.Get().(*[]byte)
	defer func() {
		if cap(*bufp) <= maxPooledCopyBuffer {
			copyBuffers.Put(bufp)
		}
	}()
	*bufp, err = encodeCopy((*bufp)[:0], stream, expected, events)
	if err != nil {
		return 0, 0, 0, 0, err
	}

	conn, err := s.pool.Acquire(ctx)
	if err != nil {
		return 0, 0, 0, 0, err
	}
	defer conn.Release()
	pc := conn.Conn().PgConn()
	// EscapeString refuses to work unless standard_conforming_strings is on and the client encoding is
	// UTF8; then doubling the quotes is the whole escape, as backslashes are ordinary characters. The
	// caller has ruled out NUL, which no text value may hold.
	lit, err := pc.EscapeString(stream)
	if err != nil {
		return 0, 0, 0, 0, err
	}
	last := expected + int64(len(events))
	sql := "SELECT crossdock_append_check('" + lit + "', " + strconv.FormatInt(expected, 10) + copyOnceSQL
	tag, err := pc.CopyFrom(ctx, bytes.NewReader(*bufp), sql)
	if err != nil {
		return 0, 0, 0, 0, err
	}
	if tag.RowsAffected() != int64(len(events)) {
		return 0, 0, 0, 0, fmt.Errorf("copy wrote %d of %d events", tag.RowsAffected(), len(events))
	}
	// The append has committed: a caller giving up now would see an error for a write that happened, so
	// the read runs to its own deadline.
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), rollbackTimeout)
	defer cancel()
	if err := conn.QueryRow(rctx, lastEventSQL, stream, last).Scan(&commit, &global); err != nil {
		return 0, 0, 0, 0, fmt.Errorf("read appended position: %w", err)
	}
	return int64(len(events)), last, global, commit, nil
}

// copySignature opens binary COPY data: the signature, no flags, no header extension.
var copySignature = []byte("PGCOPY\n\xff\r\n\x00" + "\x00\x00\x00\x00" + "\x00\x00\x00\x00")

// encodeCopy appends the events as binary COPY rows of copyColumns to buf, with stream versions
// expected+1 onwards. Empty text and data are NULL, as on the other paths, and so is a zero OccurredAt.
func encodeCopy(buf []byte, stream string, expected int64, events []eventstore.EventData) ([]byte, error) {
	buf = append(buf, copySignature...)
	for i := range events {
		e := &events[i]
		m := &e.Metadata
		if len(e.Data) >= math.MaxInt32 {
			return nil, fmt.Errorf("%w %s: data of %d bytes", eventstore.ErrInvalidEvent, e.ID, len(e.Data))
		}
		buf = binary.BigEndian.AppendUint16(buf, uint16(len(copyColumns)))
		buf = binary.BigEndian.AppendUint32(buf, 16)
		buf = append(buf, e.ID[:]...)
		buf = appendText(buf, stream)
		buf = binary.BigEndian.AppendUint32(buf, 8)
		buf = binary.BigEndian.AppendUint64(buf, uint64(expected+int64(i)+1))
		buf = appendText(buf, e.Type)
		if len(e.Data) == 0 {
			buf = appendNull(buf)
		} else {
			// jsonb's binary form is a version byte, 1, and the JSON text, which the server parses.
			buf = binary.BigEndian.AppendUint32(buf, uint32(len(e.Data)+1))
			buf = append(buf, 1)
			buf = append(buf, e.Data...)
		}
		for _, t := range [...]string{m.CorrelationID, m.CausationID, m.MessageID, m.PartnerID, m.Source, m.Actor} {
			buf = appendText(buf, t)
		}
		if m.OccurredAt.IsZero() {
			buf = appendNull(buf)
		} else {
			buf = binary.BigEndian.AppendUint32(buf, 8)
			buf = binary.BigEndian.AppendUint64(buf, uint64(pgMicros(m.OccurredAt)))
		}
	}
	return binary.BigEndian.AppendUint16(buf, 0xffff), nil
}

// pgMicros is t as microseconds since PostgreSQL's epoch, truncating nanoseconds as pgx does, so both
// COPY paths store the same value.
func pgMicros(t time.Time) int64 {
	return t.Unix()*1_000_000 + int64(t.Nanosecond()/1000) - pgEpochMicros // see decode.go
}

// appendText appends a text field; the empty string is NULL.
func appendText(buf []byte, s string) []byte {
	if s == "" {
		return appendNull(buf)
	}
	buf = binary.BigEndian.AppendUint32(buf, uint32(len(s)))
	return append(buf, s...)
}

func appendNull(buf []byte) []byte { return binary.BigEndian.AppendUint32(buf, 0xffffffff) }
