package main

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/crossdock-hub/crossdock/eventstore"
)

// fillChunk is how many events one COPY transaction of fill writes, fillStreamLen how many events
// each filled stream gets, and appendLen how many share an ID prefix, as the events of one append do.
const (
	fillChunk     = 100_000
	fillStreamLen = 1000
	appendLen     = 100
)

// fill tops the store's log up to total events by COPY straight into its events table, bypassing Append:
// a million appends would take longer than the rest of the run together, and the catch-up reads what is
// stored, not how it got there. The rows are what Append writes (the table's defaults give tx_id,
// position and recorded_at; each COPY is one transaction), and each filled stream's versions run from 1
// without a gap, so the store stays consistent for appends (a stream's version is its last event's).
func (b *bench) fill(ctx context.Context, total int) error {
	var have int
	if err := b.pool.QueryRow(ctx, `SELECT count(*) FROM events`).Scan(&have); err != nil {
		return fmt.Errorf("count events: %w", err)
	}
	b.logger.Info("filling the log", "have", have, "want", total)
	meta := eventstore.Metadata{CorrelationID: "corr-fill", MessageID: "msg-fill", PartnerID: "acme-3pl",
		Source: "wms:acme-3pl", Actor: "edi-gateway", OccurredAt: occurredAt}
	for have < total {
		n := min(fillChunk, total-have)
		rows := make([][]any, n)
		var prefix uint64
		for i := range rows {
			k := have + i
			if i == 0 || k%appendLen == 0 {
				prefix = b.newPrefix()
			}
			stream := fmt.Sprintf("receipt-fill:%x-%d", b.run, k/fillStreamLen)
			e := eventstore.EventData{ID: uuid.UUID(b.id(prefix)), Type: eventType, Data: payloads[k%len(payloads)], Metadata: meta}
			rows[i] = row(stream, int64(k%fillStreamLen)+1, e)
		}
		if _, err := b.pool.CopyFrom(ctx, pgx.Identifier{"events"}, rowColumns, pgx.CopyFromRows(rows)); err != nil {
			return fmt.Errorf("copy into events: %w", err)
		}
		have += n
	}
	// Set hint bits and the visibility map now, so neither reader pays for that on the other's behalf.
	if _, err := b.pool.Exec(ctx, `VACUUM (ANALYZE) events`); err != nil {
		return fmt.Errorf("vacuum events: %w", err)
	}
	return nil
}

// catchUp fills the log and then times a Subscribe from Start over all of it against one plain SELECT of
// the same rows, alternating, best of two each (the machine is shared, the best run is the least
// disturbed one).
func (b *bench) catchUp(ctx context.Context) (ours, raw float64, err error) {
	if err := b.fill(ctx, b.cfg.catchUpEvents); err != nil {
		return 0, 0, err
	}
	var total int
	if err := b.pool.QueryRow(ctx, `SELECT count(*) FROM events`).Scan(&total); err != nil {
		return 0, 0, fmt.Errorf("count events: %w", err)
	}
	for range 2 {
		r, err := b.timeRead(ctx, "raw scan", total, b.rawScan)
		if err != nil {
			return 0, 0, err
		}
		raw = max(raw, r)
		o, err := b.timeRead(ctx, "catch-up", total, b.subscribeAll)
		if err != nil {
			return 0, 0, err
		}
		ours = max(ours, o)
	}
	return ours, raw, nil
}

func (b *bench) timeRead(ctx context.Context, name string, total int, read func(context.Context, int) (int, error)) (float64, error) {
	start := time.Now()
	n, err := read(ctx, total)
	if err != nil {
		return 0, fmt.Errorf("%s: %w", name, err)
	}
	if n != total {
		return 0, fmt.Errorf("%s read %d events, want %d", name, n, total)
	}
	elapsed := time.Since(start)
	rate := float64(n) / elapsed.Seconds()
	b.logger.Info("measured", "what", name, "events", n, "seconds", elapsed.Seconds(), "events_per_s", int(rate))
	return rate, nil
}

// subscribeAll reads total events through Subscribe from Start.
func (b *bench) subscribeAll(ctx context.Context, total int) (int, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	n := 0
	for events, err := range b.store.Subscribe(ctx, eventstore.Start, eventstore.Filter{}) {
		if err != nil {
			return n, err
		}
		if n += len(events); n >= total {
			break
		}
	}
	return n, nil
}

// rawScan reads the same rows with one SELECT, scanned by pgx into the Go values an Event holds.
func (b *bench) rawScan(ctx context.Context, _ int) (int, error) {
	rows, err := b.pool.Query(ctx, `SELECT position, tx_id, id, stream_id, stream_version, type, data,
		correlation_id, causation_id, message_id, partner_id, source, actor, occurred_at, recorded_at FROM events`)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	var (
		position, version             int64
		txID                          uint64
		id                            uuid.UUID
		stream, typ                   string
		data                          []byte
		corr, caus, msg, part, src, a *string
		occurred                      *time.Time
		recorded                      time.Time
	)
	n := 0
	for rows.Next() {
		if err := rows.Scan(&position, &txID, &id, &stream, &version, &typ, &data,
			&corr, &caus, &msg, &part, &src, &a, &occurred, &recorded); err != nil {
			return n, err
		}
		n++
	}
	return n, rows.Err()
}
