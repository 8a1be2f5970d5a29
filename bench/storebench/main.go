// Command storebench measures the PostgreSQL event store (eventstore/postgres) beside the floor of the
// same database and beside Message DB, in one run:
//
//	go run ./bench/storebench -database-url postgres://postgres@127.0.0.1:5432/test?sslmode=disable
//
// Every write measurement runs the same number of concurrent writers (-writers), each on a stream of its
// own, for a fixed time (-duration), with identical rows: the same columns and the same ~250 bytes of
// receipt JSON. The floor is a bare table of the same columns with no index, written by pgx CopyFrom
// (batches) or one INSERT per transaction (single events), and for catch-up one plain SELECT of the same
// rows scanned by pgx. Message DB (@eventide/message-db, installed by bench/messagedb/install.sh into a
// database of its own) is called through message_store.write_message once per event.
//
// Everything the run creates lives in a fresh schema that is dropped at the end. Progress goes to stderr;
// stdout gets only name=value lines.
package main

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"os/signal"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/crossdock-hub/crossdock/eventstore/postgres"
)

// config is the driver's flags.
type config struct {
	databaseURL   string
	duration      time.Duration
	writers       int
	batch         int
	catchUpEvents int
	batchSize     int
	skipMessageDB bool
	messageDBName string
	// messageDBPipelined also measures Message DB's batch sent as one pipeline (logged only).
	messageDBPipelined bool
}

func main() {
	var cfg config
	flag.StringVar(&cfg.databaseURL, "database-url", "postgres://postgres@127.0.0.1:5432/test?sslmode=disable",
		"PostgreSQL server and database to measure in (a fresh schema is created and dropped)")
	flag.DurationVar(&cfg.duration, "duration", 5*time.Second,
		"how long each write measurement runs in all (in four turns, alternating with what it is compared to)")
	flag.IntVar(&cfg.writers, "writers", 16, "concurrent writers, each on a stream of its own")
	flag.IntVar(&cfg.batch, "batch", 100, "events per transaction in the batch measurements")
	flag.IntVar(&cfg.catchUpEvents, "catchup-events", 1_000_000, "events in the log before the catch-up measurement")
	flag.IntVar(&cfg.batchSize, "catchup-batch-size", 0, "the store's Config.BatchSize (0: its default)")
	flag.BoolVar(&cfg.skipMessageDB, "skip-messagedb", false, "do not measure Message DB")
	flag.StringVar(&cfg.messageDBName, "messagedb-database", "crossdock_bench_messagedb",
		"database holding Message DB; installed with bench/messagedb/install.sh when missing")
	flag.BoolVar(&cfg.messageDBPipelined, "messagedb-pipelined", true,
		"also measure (and log to stderr) Message DB's batch sent as one pipeline, its best case")
	flag.Parse()

	logger := slog.New(slog.NewTextHandler(os.Stderr, nil))
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, cfg, logger); err != nil {
		logger.Error("storebench failed", "error", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, cfg config, logger *slog.Logger) (err error) {
	schema := "storebench_" + randomHex(4)
	admin, err := pgx.Connect(ctx, cfg.databaseURL)
	if err != nil {
		return fmt.Errorf("connect to %s: %w", redact(cfg.databaseURL), err)
	}
	defer admin.Close(context.Background())
	if _, err := admin.Exec(ctx, "CREATE SCHEMA "+schema); err != nil {
		return fmt.Errorf("create schema %s: %w", schema, err)
	}
	defer func() {
		dropCtx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		if _, dropErr := admin.Exec(dropCtx, "DROP SCHEMA "+schema+" CASCADE"); dropErr != nil {
			err = errors.Join(err, fmt.Errorf("drop schema %s: %w", schema, dropErr))
		}
		logger.Info("dropped schema", "schema", schema)
	}()
	logger.Info("created schema", "schema", schema)

	pool, err := openPool(ctx, cfg.databaseURL, "search_path", schema, cfg.writers+2)
	if err != nil {
		return err
	}
	defer pool.Close()
	store, err := postgres.New(pool, postgres.Config{Logger: logger, BatchSize: cfg.batchSize})
	if err != nil {
		return err
	}
	if err := store.Migrate(ctx); err != nil {
		return err
	}
	if _, err := pool.Exec(ctx, rawTableDDL); err != nil {
		return fmt.Errorf("create raw table: %w", err)
	}

	b := &bench{cfg: cfg, logger: logger, pool: pool, store: store, run: runID()}
	results := []result{}
	report := func(name string, value float64, format string) {
		results = append(results, result{name, value, format})
		logger.Info("result", "name", name, "value", fmt.Sprintf(format, value))
	}

	batch, err := b.compare(ctx, contender{"append batch", b.appendBatch}, contender{"raw copy batch", b.rawCopyBatch})
	if err != nil {
		return err
	}
	report("append_batch_events_per_s", batch[0], "%.0f")
	report("append_batch_ratio_vs_raw_copy", batch[0]/batch[1], "%.2f")

	single, err := b.compare(ctx, contender{"append single", b.appendSingle}, contender{"raw insert single", b.rawInsertSingle})
	if err != nil {
		return err
	}
	report("append_single_events_per_s", single[0], "%.0f")
	report("append_single_ratio_vs_raw_insert", single[0]/single[1], "%.2f")

	ourCatchUp, rawScan, err := b.catchUp(ctx)
	if err != nil {
		return err
	}
	report("catchup_events_per_s", ourCatchUp, "%.0f")
	report("catchup_ratio_vs_raw_scan", ourCatchUp/rawScan, "%.2f")

	if cfg.skipMessageDB {
		logger.Warn("Message DB not measured: -skip-messagedb is set; append_*_vs_messagedb lines are left out")
	} else {
		mdbSingle, mdbBatch, err := b.messageDB(ctx)
		if err != nil {
			return err
		}
		report("append_single_vs_messagedb", single[0]/mdbSingle, "%.2f")
		report("append_batch_vs_messagedb", batch[0]/mdbBatch, "%.2f")
	}

	for _, r := range results {
		fmt.Printf("%s="+r.format+"\n", r.name, r.value)
	}
	return nil
}

type result struct {
	name   string
	value  float64
	format string
}

// openPool opens a pool on databaseURL with one extra connection parameter (such as search_path).
func openPool(ctx context.Context, databaseURL, param, value string, maxConns int) (*pgxpool.Pool, error) {
	u, err := url.Parse(databaseURL)
	if err != nil {
		return nil, fmt.Errorf("parse database URL: %w", err)
	}
	q := u.Query()
	q.Set(param, value)
	u.RawQuery = q.Encode()
	pc, err := pgxpool.ParseConfig(u.String())
	if err != nil {
		return nil, fmt.Errorf("parse database URL: %w", err)
	}
	pc.MaxConns = int32(maxConns)
	pool, err := pgxpool.NewWithConfig(ctx, pc)
	if err != nil {
		return nil, fmt.Errorf("open pool on %s: %w", redact(u.String()), err)
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("ping %s: %w", redact(u.String()), err)
	}
	return pool, nil
}

// redact hides a password in a URL for error messages.
func redact(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		return "(unparsable URL)"
	}
	return u.Redacted()
}

func randomHex(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return fmt.Sprintf("%x", b)
}

// runID makes this run's event IDs unique: its 8 random bytes seed both halves of every ID (see bench.id).
func runID() uint64 {
	var b [8]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err)
	}
	return binary.BigEndian.Uint64(b[:])
}
