package main

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"os/exec"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// messageDBInstall is Message DB's installer, relative to the module root (where go run is started).
const messageDBInstall = "bench/messagedb/install.sh"

// writeMessage is Message DB's one way to write: a function call per message. It takes the category
// lock, reads the stream version, checks the expected version (0-based, -1 for a new stream) and inserts.
const writeMessage = `SELECT message_store.write_message($1::varchar, $2::varchar, $3::varchar, $4::jsonb, $5::jsonb, $6::bigint)`

// messageDB measures Message DB's single and batch writes with the same writers, streams and rows as ours.
// Message DB locks a stream's category (the name up to the first '-') for the rest of the transaction,
// so writers on streams of one category, as here, take turns: that is its answer to the gap of
// uncommitted positions, the one tx_id ordering answers without a lock.
func (b *bench) messageDB(ctx context.Context) (single, batch float64, err error) {
	pool, err := b.openMessageDB(ctx)
	if err != nil {
		return 0, 0, err
	}
	defer pool.Close()

	writeSingle := func(ctx context.Context, w *writer) (int, error) {
		e := b.fillEvents(w, 1)[0]
		if _, err := pool.Exec(ctx, writeMessage, uuid.UUID(e.ID).String(), w.stream, e.Type, []byte(e.Data),
			w.metaRaw, w.version-1); err != nil {
			return 0, fmt.Errorf("write_message: %w", err)
		}
		w.version++
		return 1, nil
	}
	// A batch as Message DB's clients write one: a transaction, write_message per event, commit.
	writeBatch := func(ctx context.Context, w *writer) (int, error) {
		err := pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
			for i, e := range b.fillEvents(w, b.cfg.batch) {
				if _, err := tx.Exec(ctx, writeMessage, uuid.UUID(e.ID).String(), w.stream, e.Type, []byte(e.Data),
					w.metaRaw, w.version+int64(i)-1); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return 0, fmt.Errorf("write_message batch: %w", err)
		}
		w.version += int64(b.cfg.batch)
		return b.cfg.batch, nil
	}
	// The same batch pipelined (one round trip, one implicit transaction, as our Append), Message DB's
	// best case: logged for comparison, not part of the result lines.
	writePipelined := func(ctx context.Context, w *writer) (int, error) {
		var pb pgx.Batch
		for i, e := range b.fillEvents(w, b.cfg.batch) {
			pb.Queue(writeMessage, uuid.UUID(e.ID).String(), w.stream, e.Type, []byte(e.Data), w.metaRaw,
				w.version+int64(i)-1)
		}
		if err := pool.SendBatch(ctx, &pb).Close(); err != nil {
			return 0, fmt.Errorf("write_message pipeline: %w", err)
		}
		w.version += int64(b.cfg.batch)
		return b.cfg.batch, nil
	}
	rates, err := b.compare(ctx, contender{"Message DB single", writeSingle}, contender{"Message DB batch", writeBatch})
	if err != nil {
		return 0, 0, err
	}
	if b.cfg.messageDBPipelined {
		if _, err := b.compare(ctx, contender{"Message DB batch, pipelined", writePipelined}); err != nil {
			return 0, 0, err
		}
	}
	single, batch = rates[0], rates[1]
	return single, batch, nil
}

// openMessageDB connects to Message DB's database, installing it first when it is missing.
func (b *bench) openMessageDB(ctx context.Context) (*pgxpool.Pool, error) {
	var exists bool
	if err := b.pool.QueryRow(ctx, `SELECT EXISTS (SELECT FROM pg_database WHERE datname = $1)`,
		b.cfg.messageDBName).Scan(&exists); err != nil {
		return nil, fmt.Errorf("look for database %s: %w", b.cfg.messageDBName, err)
	}
	u, err := url.Parse(b.cfg.databaseURL)
	if err != nil {
		return nil, fmt.Errorf("parse database URL: %w", err)
	}
	if !exists {
		if err := b.installMessageDB(ctx, u); err != nil {
			return nil, err
		}
	}
	u.Path = "/" + b.cfg.messageDBName
	// write_message names its table and helpers without a schema.
	return openPool(ctx, u.String(), "search_path", "message_store,public", b.cfg.writers+2)
}

// installMessageDB runs bench/messagedb/install.sh with the server and role of the database URL.
func (b *bench) installMessageDB(ctx context.Context, u *url.URL) error {
	b.logger.Info("installing Message DB", "database", b.cfg.messageDBName, "script", messageDBInstall)
	cmd := exec.CommandContext(ctx, "bash", messageDBInstall)
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	cmd.Env = append(os.Environ(), "DATABASE_NAME="+b.cfg.messageDBName, "PGHOST="+u.Hostname())
	if p := u.Port(); p != "" {
		cmd.Env = append(cmd.Env, "PGPORT="+p)
	}
	if user := u.User.Username(); user != "" {
		cmd.Env = append(cmd.Env, "PGUSER="+user)
	}
	if pw, ok := u.User.Password(); ok {
		cmd.Env = append(cmd.Env, "PGPASSWORD="+pw)
	}
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("install Message DB with %s (run it by hand, or pass -skip-messagedb): %w", messageDBInstall, err)
	}
	return nil
}
