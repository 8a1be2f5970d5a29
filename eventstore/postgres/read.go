package postgres

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"math"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/crossdock-hub/crossdock/eventstore"
)

// eventColumns are the columns every read selects, in the order decodeEvent reads them.
const eventColumns = `position, tx_id, id, stream_id, stream_version, type, data, correlation_id, causation_id,
	message_id, partner_id, source, actor, occurred_at, recorded_at`

// ReadStream implements eventstore.Store. It reads what is committed, without the snapshot rule of the
// global readers: a stream's committed versions have no gaps, since an append only writes right behind
// a committed event and events_stream refuses a version taken twice (append.go).
func (s *Store) ReadStream(ctx context.Context, stream string, from int64, limit int) ([]eventstore.Event, error) {
	if from < 1 {
		from = 1
	}
	rows, err := s.pool.Query(ctx, `SELECT `+eventColumns+` FROM events
		WHERE stream_id = $1 AND stream_version >= $2 ORDER BY stream_version LIMIT $3`,
		stream, from, sqlLimit(limit))
	if err != nil {
		return nil, fmt.Errorf("read stream %s from %d: %w", stream, from, translate(err))
	}
	// A stream is usually short: a page of 500 asked for a stream of 2 should not zero 500 events.
	events, err := scanEvents(rows, min(max(limit, 0), 64))
	if err != nil {
		return nil, fmt.Errorf("read stream %s from %d: %w", stream, from, translate(err))
	}
	if len(events) > 0 {
		return events, nil
	}
	if from == 1 {
		// Every stream has a version 1: read from the start and found empty, it does not exist.
		return nil, fmt.Errorf("read stream %s: %w", stream, eventstore.ErrStreamNotFound)
	}
	var exists bool
	if err := s.pool.QueryRow(ctx, `SELECT EXISTS (SELECT FROM events WHERE stream_id = $1)`, stream).Scan(&exists); err != nil {
		return nil, fmt.Errorf("read stream %s: check it exists: %w", stream, translate(err))
	}
	if !exists {
		return nil, fmt.Errorf("read stream %s: %w", stream, eventstore.ErrStreamNotFound)
	}
	return events, nil
}

// sqlLimit maps "no limit" (limit <= 0) to SQL's LIMIT NULL.
func sqlLimit(limit int) *int64 {
	if limit <= 0 {
		return nil
	}
	l := int64(limit)
	return &l
}

// ReadAll implements eventstore.Store.
func (s *Store) ReadAll(ctx context.Context, from eventstore.Position, limit int, filter eventstore.Filter) ([]eventstore.Event, error) {
	events, _, err := s.readAfter(ctx, from, limit, filter, 0)
	if err != nil {
		return nil, fmt.Errorf("read all after %s: %w", from, err)
	}
	return events, nil
}

// readAfter reads up to limit events after from that pass filter, in global order, and returns the
// horizon it read under: every event with a smaller tx_id that will ever commit was visible to the read.
// A horizon h from an earlier call may be passed in (0 computes a new one): it stays correct, only
// conservative, and saves a round trip per batch of a long catch-up.
func (s *Store) readAfter(ctx context.Context, from eventstore.Position, limit int, filter eventstore.Filter, h uint64) ([]eventstore.Event, uint64, error) {
	if h == 0 {
		var err error
		if h, err = s.horizon(ctx); err != nil {
			return nil, 0, err
		}
	}
	var sb strings.Builder
	sb.WriteString(`SELECT ` + eventColumns + ` FROM events
		WHERE (tx_id, position) > ($1::xid8, $2::bigint) AND tx_id < $3::xid8`)
	args := []any{from.Commit, int64(min(from.Global, math.MaxInt64)), h, sqlLimit(limit)}
	if filter.StreamPrefix != "" {
		args = append(args, filter.StreamPrefix)
		fmt.Fprintf(&sb, ` AND starts_with(stream_id, $%d)`, len(args))
	}
	if len(filter.Types) > 0 {
		args = append(args, filter.Types)
		fmt.Fprintf(&sb, ` AND type = ANY($%d::text[])`, len(args))
	}
	sb.WriteString(` ORDER BY tx_id, position LIMIT $4`)

	rows, err := s.pool.Query(ctx, sb.String(), args...)
	if err != nil {
		return nil, 0, translate(err)
	}
	events, err := scanEvents(rows, max(limit, 0))
	if err != nil {
		return nil, 0, translate(err)
	}
	return events, h, nil
}

// Head implements eventstore.Store: the last event readers can see, under the same horizon rule.
func (s *Store) Head(ctx context.Context) (eventstore.Position, error) {
	h, err := s.horizon(ctx)
	if err != nil {
		return eventstore.Start, fmt.Errorf("read head: %w", err)
	}
	var p eventstore.Position
	var global int64
	err = s.pool.QueryRow(ctx, `SELECT tx_id, position FROM events WHERE tx_id < $1::xid8
		ORDER BY tx_id DESC, position DESC LIMIT 1`, h).Scan(&p.Commit, &global)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		return eventstore.Start, nil
	case err != nil:
		return eventstore.Start, fmt.Errorf("read head: %w", translate(err))
	}
	p.Global = uint64(global)
	return p, nil
}

// Subscribe implements eventstore.Store. It reads batches of Config.BatchSize until a batch comes back
// short, then waits for an Append through this Store or the next poll.
func (s *Store) Subscribe(ctx context.Context, from eventstore.Position, filter eventstore.Filter) iter.Seq2[[]eventstore.Event, error] {
	return func(yield func([]eventstore.Event, error) bool) {
		cursor := from
		var ticker *time.Ticker
		defer func() {
			if ticker != nil {
				ticker.Stop()
			}
		}()
		// kept is the horizon reused while batches come back full; 0 makes the next read compute a fresh
		// one, as it must before the subscriber decides it has caught up.
		var kept uint64
		for {
			// Taken before the read: an append committing during the read closes this channel. Only appends
			// to streams the filter's prefix admits wake it; an event of those streams that the horizon held
			// back behind a writer of another stream is read at the next poll at the latest.
			woken := s.wake.WaitPrefix(filter.StreamPrefix)
			batch, h, err := s.readAfter(ctx, cursor, s.cfg.BatchSize, filter, kept)
			if err != nil {
				if ctx.Err() != nil {
					err = ctx.Err()
				}
				yield(nil, fmt.Errorf("subscribe after %s: %w", cursor, err))
				return
			}
			if len(batch) > 0 {
				cursor = batch[len(batch)-1].Position
				if !yield(batch, nil) {
					return
				}
			}
			if len(batch) == s.cfg.BatchSize {
				kept = h
				continue
			}
			if kept != 0 {
				// Short under a kept horizon: read once more under a fresh one before waiting.
				kept = 0
				continue
			}
			// A short batch saw every event below the horizon, matching the filter or not, so the next read
			// can start there: a filter that matches little does not rescan the same rows on every poll.
			if floor := (eventstore.Position{Commit: h - 1, Global: math.MaxInt64}); h > 0 && cursor.Less(floor) {
				cursor = floor
			}
			if ticker == nil {
				ticker = time.NewTicker(s.cfg.PollInterval)
			}
			select {
			case <-ctx.Done():
				yield(nil, ctx.Err())
				return
			case <-woken:
			case <-ticker.C:
			}
		}
	}
}
