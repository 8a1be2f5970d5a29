package main

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/crossdock-hub/crossdock/eventstore"
	"github.com/crossdock-hub/crossdock/eventstore/postgres"
)

// rawTableDDL is the floor's table: the event's columns, no position, no transaction ID, no index.
const rawTableDDL = `CREATE TABLE raw_events (
	id             uuid        NOT NULL,
	stream_id      text        NOT NULL,
	stream_version bigint      NOT NULL,
	type           text        NOT NULL,
	data           jsonb,
	correlation_id text,
	causation_id   text,
	message_id     text,
	partner_id     text,
	source         text,
	actor          text,
	occurred_at    timestamptz,
	recorded_at    timestamptz NOT NULL DEFAULT now()
)`

// rowColumns are the columns the floor writes and the fill helper copies, in row() order.
var rowColumns = []string{"id", "stream_id", "stream_version", "type", "data", "correlation_id",
	"causation_id", "message_id", "partner_id", "source", "actor", "occurred_at"}

const eventType = "receipt.line_received.v1"

// occurredAt is every benchmark event's business time.
var occurredAt = time.Date(2025, 6, 1, 8, 0, 0, 0, time.UTC)

// payloads are the ~250 bytes of receipt JSON the events carry, built once so that making events costs
// the client (which shares the machine with the server) next to nothing, the same for every contender.
var payloads = func() [][]byte {
	out := make([][]byte, 256)
	for i := range out {
		out[i] = fmt.Appendf(nil, `{"receipt":"RCV-%06d","line":%d,"sku":"SKU-%06d","qty":"%d.500","uom":"EA",`+
			`"lot":{"id":"L-%07d","expires":"2027-01-31"},"warehouse":"wh1","location":"A-%02d-%02d",`+
			`"po":"P%05d","po_line":%d,"received_by":"edi-856","condition":"good","pallet":"PAL-%08d"}`,
			100000+i, i%40+1, i*37%1000000, i%90+1, i*13, i%50, i%20, 40000+i, i%12+1, 7000000+i)
	}
	return out
}()

type bench struct {
	cfg    config
	logger *slog.Logger
	pool   *pgxpool.Pool
	store  *postgres.Store
	run    uint64

	seq      atomic.Uint64 // numbers every event ID's low half
	prefixes atomic.Uint64 // numbers the appends, for their IDs' high half
	round    int           // numbers the measurements, so each has streams of its own
}

// writer is one concurrent writer's state: its stream and how far it got.
type writer struct {
	stream  string
	version int64
	meta    eventstore.Metadata
	metaRaw []byte // meta as JSON, for Message DB's metadata column
	events  []eventstore.EventData
	rows    [][]any
}

// id returns a new event ID for an append whose events share prefix (see newPrefix). Real IDs
// (eventstore.DeriveID) share their high half among one message's events and are hashes otherwise, so
// one append's events land together at a random place of the ID index; these do the same (a random
// prefix per append, a counter mixed with the run's seed below it), so the index pays what it pays in
// production: neither a fully random ID per event nor a sequential ID that only ever touches the
// rightmost page.
func (b *bench) id(prefix uint64) [16]byte {
	n := b.seq.Add(1)
	var id [16]byte
	binary.BigEndian.PutUint64(id[:8], prefix)
	binary.BigEndian.PutUint64(id[8:], mix(b.run^n))
	id[6] = id[6]&0x0f | 0x80 // UUIDv8, as DeriveID's
	id[8] = id[8]&0x3f | 0x80
	return id
}

// newPrefix returns the high half of one append's event IDs.
func (b *bench) newPrefix() uint64 {
	return mix(b.run ^ (b.prefixes.Add(1) << 32))
}

// mix is splitmix64's finaliser: a bijection, so distinct counters give distinct IDs.
func mix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// fillEvents makes w's next n events, in w.events.
func (b *bench) fillEvents(w *writer, n int) []eventstore.EventData {
	w.events = w.events[:0]
	prefix := b.newPrefix()
	for i := range n {
		w.events = append(w.events, eventstore.EventData{
			ID:       b.id(prefix),
			Type:     eventType,
			Data:     payloads[(int(w.version)+i)%len(payloads)],
			Metadata: w.meta,
		})
	}
	return w.events
}

// row is one event as the floor's column values.
func row(stream string, version int64, e eventstore.EventData) []any {
	m := e.Metadata
	return []any{[16]byte(e.ID), stream, version, e.Type, []byte(e.Data), m.CorrelationID, m.CausationID,
		m.MessageID, m.PartnerID, m.Source, m.Actor, m.OccurredAt}
}

// contender is one way of writing, measured by compare.
type contender struct {
	name string
	op   func(context.Context, *writer) (int, error)
}

// compare measures the contenders in turns (a, b, a, b, ...), each getting the configured duration in
// all, and returns each one's events per second. Taking turns spreads what the shared machine does
// meanwhile (checkpoints, other processes) evenly over the contenders.
func (b *bench) compare(ctx context.Context, contenders ...contender) ([]float64, error) {
	const turns = 4
	writers := make([][]*writer, len(contenders))
	events := make([]int64, len(contenders))
	elapsed := make([]time.Duration, len(contenders))
	for c := range contenders {
		ws, err := b.newWriters()
		if err != nil {
			return nil, err
		}
		writers[c] = ws
	}
	for turn := range turns {
		for c, ct := range contenders {
			n, d, err := b.runFor(ctx, ct, writers[c], b.cfg.duration/turns)
			if err != nil {
				return nil, err
			}
			events[c] += n
			elapsed[c] += d
			b.logger.Info("measured", "what", ct.name, "turn", turn+1, "events", n, "events_per_s", int(float64(n)/d.Seconds()))
		}
	}
	rates := make([]float64, len(contenders))
	for c, ct := range contenders {
		rates[c] = float64(events[c]) / elapsed[c].Seconds()
		b.logger.Info("measured", "what", ct.name, "events", events[c], "seconds", elapsed[c].Seconds(), "events_per_s", int(rates[c]))
	}
	return rates, nil
}

// newWriters makes the writers of one contender, each with a stream of its own.
func (b *bench) newWriters() ([]*writer, error) {
	b.round++
	writers := make([]*writer, b.cfg.writers)
	for i := range writers {
		meta := eventstore.Metadata{
			CorrelationID: fmt.Sprintf("corr-%x-%d", b.run, i),
			MessageID:     fmt.Sprintf("msg-edi-856-%x-%d", b.run, i),
			PartnerID:     "acme-3pl",
			Source:        "wms:acme-3pl",
			Actor:         "edi-gateway",
			OccurredAt:    occurredAt,
		}
		metaRaw, err := json.Marshal(meta)
		if err != nil {
			return nil, fmt.Errorf("encode metadata: %w", err)
		}
		writers[i] = &writer{
			stream:  fmt.Sprintf("receipt-bench:%x-%d-w%02d", b.run, b.round, i),
			meta:    meta,
			metaRaw: metaRaw,
		}
	}
	return writers, nil
}

// runFor runs c's op on every writer concurrently until d is up and returns the events written and the
// time taken (until the last writer's last operation ended).
func (b *bench) runFor(ctx context.Context, c contender, writers []*writer, d time.Duration) (int64, time.Duration, error) {
	var total atomic.Int64
	errs := make([]error, len(writers))
	deadline := time.Now().Add(d)
	start := time.Now()
	var wg sync.WaitGroup
	for i, w := range writers {
		wg.Go(func() {
			for time.Now().Before(deadline) && ctx.Err() == nil {
				n, err := c.op(ctx, w)
				if err != nil {
					errs[i] = fmt.Errorf("%s, writer %d: %w", c.name, i, err)
					return
				}
				total.Add(int64(n))
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	if err := errors.Join(errs...); err != nil {
		return 0, 0, err
	}
	if err := ctx.Err(); err != nil {
		return 0, 0, err
	}
	return total.Load(), elapsed, nil
}

func (b *bench) appendBatch(ctx context.Context, w *writer) (int, error) {
	return b.appendN(ctx, w, b.cfg.batch)
}

func (b *bench) appendSingle(ctx context.Context, w *writer) (int, error) {
	return b.appendN(ctx, w, 1)
}

func (b *bench) appendN(ctx context.Context, w *writer, n int) (int, error) {
	res, err := b.store.Append(ctx, w.stream, eventstore.Exact(w.version), b.fillEvents(w, n)...)
	if err != nil {
		return 0, err
	}
	w.version = res.StreamVersion
	return n, nil
}

func (b *bench) rawCopyBatch(ctx context.Context, w *writer) (int, error) {
	events := b.fillEvents(w, b.cfg.batch)
	w.rows = w.rows[:0]
	for i, e := range events {
		w.rows = append(w.rows, row(w.stream, w.version+int64(i)+1, e))
	}
	n, err := b.pool.CopyFrom(ctx, pgx.Identifier{"raw_events"}, rowColumns, pgx.CopyFromRows(w.rows))
	if err != nil {
		return 0, fmt.Errorf("copy into raw_events: %w", err)
	}
	w.version += n
	return int(n), nil
}

const rawInsert = `INSERT INTO raw_events (id, stream_id, stream_version, type, data, correlation_id, causation_id,
	message_id, partner_id, source, actor, occurred_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`

func (b *bench) rawInsertSingle(ctx context.Context, w *writer) (int, error) {
	e := b.fillEvents(w, 1)[0]
	if _, err := b.pool.Exec(ctx, rawInsert, row(w.stream, w.version+1, e)...); err != nil {
		return 0, fmt.Errorf("insert into raw_events: %w", err)
	}
	w.version++
	return 1, nil
}
