package postgres

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/crossdock-hub/crossdock/eventstore"
)

// Reading is most of what a catch-up costs, so rows are decoded from PostgreSQL's binary wire format by
// hand: fixed offsets, no reflection, no JSON parsing (metadata has its own columns, data is handed on as
// raw JSON). The columns are those of eventColumns, in that order.

const numEventColumns = 15

// textColumns are the indexes of the text columns: stream_id, type, then the six metadata columns.
var textColumns = [...]int{3, 5, 7, 8, 9, 10, 11, 12}

// pgEpochMicros is PostgreSQL's timestamp origin: binary timestamptz values count microseconds from it.
var pgEpochMicros = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC).UnixMicro()

// scanEvents reads every row of rows as an event.
func scanEvents(rows pgx.Rows, sizeHint int) ([]eventstore.Event, error) {
	defer rows.Close()
	fields := rows.FieldDescriptions()
	if len(fields) != numEventColumns {
		return nil, fmt.Errorf("decode events: got %d columns, want %d", len(fields), numEventColumns)
	}
	binaryFormat := true
	for _, f := range fields {
		binaryFormat = binaryFormat && f.Format == pgtype.BinaryFormatCode
	}

	events := make([]eventstore.Event, 0, min(sizeHint, 1<<16))
	for rows.Next() {
		var ev eventstore.Event
		var err error
		if binaryFormat {
			err = decodeEvent(rows.RawValues(), &ev)
		} else {
			// A pool configured for the simple protocol gets text results; decode those the slow way.
			err = scanText(rows, &ev)
		}
		if err != nil {
			return nil, fmt.Errorf("decode event: %w", err)
		}
		events = append(events, ev)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return events, nil
}

// decodeEvent fills ev from the binary values of one row.
func decodeEvent(raw [][]byte, ev *eventstore.Event) error {
	global, err := decodeUint64(raw[0])
	if err != nil {
		return fmt.Errorf("position: %w", err)
	}
	if ev.Position.Commit, err = decodeUint64(raw[1]); err != nil {
		return fmt.Errorf("tx_id: %w", err)
	}
	ev.Position.Global = global
	if len(raw[2]) != 16 {
		return fmt.Errorf("id: %d bytes, want 16", len(raw[2]))
	}
	copy(ev.ID[:], raw[2])
	version, err := decodeUint64(raw[4])
	if err != nil {
		return fmt.Errorf("stream_version: %w", err)
	}
	ev.StreamVersion = int64(version)

	// The eight text columns become substrings of one string: one allocation per event instead of eight.
	var sb strings.Builder
	sb.Grow(len(raw[3]) + len(raw[5]) + len(raw[7]) + len(raw[8]) + len(raw[9]) + len(raw[10]) + len(raw[11]) + len(raw[12]))
	for _, i := range textColumns {
		sb.Write(raw[i])
	}
	all := sb.String()
	var field [len(textColumns)]string
	off := 0
	for k, i := range textColumns {
		field[k] = all[off : off+len(raw[i])]
		off += len(raw[i])
	}
	ev.StreamID, ev.Type = field[0], field[1]
	if d := raw[6]; d != nil {
		// Binary jsonb is a version byte (1) and then the JSON text.
		if len(d) == 0 || d[0] != 1 {
			return errors.New("data: unknown jsonb binary version")
		}
		ev.Data = json.RawMessage(append([]byte(nil), d[1:]...))
	}
	m := &ev.Metadata
	m.CorrelationID, m.CausationID, m.MessageID = field[2], field[3], field[4]
	m.PartnerID, m.Source, m.Actor = field[5], field[6], field[7]
	if raw[13] != nil {
		if m.OccurredAt, err = decodeTimestamptz(raw[13]); err != nil {
			return fmt.Errorf("occurred_at: %w", err)
		}
	}
	if ev.RecordedAt, err = decodeTimestamptz(raw[14]); err != nil {
		return fmt.Errorf("recorded_at: %w", err)
	}
	return nil
}

func decodeUint64(b []byte) (uint64, error) {
	if len(b) != 8 {
		return 0, fmt.Errorf("%d bytes, want 8", len(b))
	}
	return binary.BigEndian.Uint64(b), nil
}

func decodeTimestamptz(b []byte) (time.Time, error) {
	us, err := decodeUint64(b)
	if err != nil {
		return time.Time{}, err
	}
	return time.UnixMicro(int64(us) + pgEpochMicros).UTC(), nil
}

// scanText decodes one text-format row through pgx's generic scanning.
func scanText(rows pgx.Rows, ev *eventstore.Event) error {
	var (
		global                        int64
		id                            pgtype.UUID
		corr, caus, msg, part, src, a *string
		occurred                      *time.Time
		data                          []byte
	)
	if err := rows.Scan(&global, &ev.Position.Commit, &id, &ev.StreamID, &ev.StreamVersion, &ev.Type, &data,
		&corr, &caus, &msg, &part, &src, &a, &occurred, &ev.RecordedAt); err != nil {
		return err
	}
	ev.Position.Global = uint64(global)
	ev.ID = id.Bytes
	if data != nil {
		ev.Data = json.RawMessage(data)
	}
	deref := func(p *string) string {
		if p == nil {
			return ""
		}
		return *p
	}
	ev.Metadata = eventstore.Metadata{
		CorrelationID: deref(corr), CausationID: deref(caus), MessageID: deref(msg),
		PartnerID: deref(part), Source: deref(src), Actor: deref(a),
	}
	if occurred != nil {
		ev.Metadata.OccurredAt = occurred.UTC()
	}
	ev.RecordedAt = ev.RecordedAt.UTC()
	return nil
}
