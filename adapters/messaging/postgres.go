package messaging

import (
	"context"
	"fmt"
	"hash/fnv"
	"net/url"

	"github.com/ThreeDotsLabs/watermill"
	wmsql "github.com/ThreeDotsLabs/watermill-sql/v4/pkg/sql"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
)

// maxIdentifierLen is PostgreSQL's NAMEDATALEN-1: a longer name is silently truncated, so two long
// topics could share a table.
const maxIdentifierLen = 63

// openPostgres stores each topic in a table of its own ("watermill_<topic>", offsets per consumer group
// in "watermill_offsets_<topic>"), created on first publish or subscribe in the connection's schema:
// unqualified names follow the search_path given in the URL.
func openPostgres(ctx context.Context, u *url.URL, group string, logger watermill.LoggerAdapter) (*Bus, error) {
	connCfg, err := pgx.ParseConfig(u.String())
	if err != nil {
		return nil, fmt.Errorf("parse URL: %w", err)
	}
	db := stdlib.OpenDB(*connCfg)
	if err := db.PingContext(ctx); err != nil {
		_ = db.Close()
		return nil, fmt.Errorf("connect: %w", err)
	}

	schema := wmsql.DefaultPostgreSQLSchema{
		GenerateMessagesTableName: func(topic string) string { return tableName("watermill_", topic) },
		// Payloads are opaque bytes to the bus; the default JSON column would reject anything else.
		GeneratePayloadType: func(string) string { return "BYTEA" },
	}
	offsets := wmsql.DefaultPostgreSQLOffsetsAdapter{
		GenerateMessagesOffsetsTableName: func(topic string) string { return tableName("watermill_offsets_", topic) },
	}
	beginner := wmsql.BeginnerFromStdSQL(db)

	pub, err := wmsql.NewPublisher(beginner, wmsql.PublisherConfig{
		SchemaAdapter:        schema,
		AutoInitializeSchema: true,
	}, logger)
	if err != nil {
		_ = db.Close()
		return nil, fmt.Errorf("publisher: %w", err)
	}
	sub, err := wmsql.NewSubscriber(beginner, wmsql.SubscriberConfig{
		ConsumerGroup:    group,
		SchemaAdapter:    schema,
		OffsetsAdapter:   offsets,
		InitializeSchema: true,
	}, logger)
	if err != nil {
		_ = pub.Close()
		_ = db.Close()
		return nil, fmt.Errorf("subscriber: %w", err)
	}
	return &Bus{Publisher: pub, Subscriber: sub, closers: []func() error{db.Close}}, nil
}

// tableName quotes prefix+topic, shortened with a hash of the topic when it would exceed PostgreSQL's
// identifier length. watermill-sql has already rejected topics with characters other than
// [A-Za-z0-9-$:._], so no quote can appear inside.
func tableName(prefix, topic string) string {
	name := prefix + topic
	if len(name) > maxIdentifierLen {
		h := fnv.New32a()
		_, _ = h.Write([]byte(topic))
		suffix := fmt.Sprintf("_%08x", h.Sum32())
		name = name[:maxIdentifierLen-len(suffix)] + suffix
	}
	return `"` + name + `"`
}
