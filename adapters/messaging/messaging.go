package messaging

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/ThreeDotsLabs/watermill"
	"github.com/ThreeDotsLabs/watermill/message"
)

// Backend kinds, as reported by Bus.Kind.
const (
	KindMemory   = "memory"
	KindPostgres = "postgres"
	KindNATS     = "nats"
	KindAMQP     = "amqp"
)

// TopicPrefix starts every projection change-feed topic.
const TopicPrefix = "crossdock.views."

// supportedSchemes is quoted in every "unknown scheme" error, so that a typo in the configuration
// is answered with the list to choose from.
const supportedSchemes = `"" or memory: (embedded), postgres:// or postgresql://, nats://, amqp://`

// DefaultConsumerGroup names the hub's durable subscription when Config.ConsumerGroup is empty.
const DefaultConsumerGroup = "crossdock"

// maxConsumerGroupLen keeps derived names (NATS durable, AMQP queue "<topic>_<group>") well inside
// every broker's limits.
const maxConsumerGroupLen = 64

// consumerGroupPattern is the charset every backend accepts as is: NATS durable names forbid '.', ' ',
// '*' and '>'; the name is also part of an AMQP queue name and a PostgreSQL column value.
var consumerGroupPattern = regexp.MustCompile(`^[A-Za-z0-9_-]+$`)

// Config chooses and configures the message broker.
type Config struct {
	// URL selects the backend by its scheme:
	//   - "" or "memory:": Watermill GoChannel inside this process (the default);
	//   - "postgres://..." or "postgresql://...": watermill-sql on PostgreSQL through pgx; tables are
	//     created on first use in the schema of the connection (set search_path in the URL to choose one);
	//   - "nats://host:port": NATS JetStream;
	//   - "amqp://user:pass@host:port/vhost": RabbitMQ.
	URL string
	// ConsumerGroup names this hub's durable subscription: the NATS durable consumer, the AMQP queue
	// suffix and the SQL consumer group. Every hub process of one deployment uses the same name, so each
	// message is handled by one of them. Letters, digits, '_' and '-'. Default "crossdock". Ignored by
	// the memory backend, where every subscriber receives every message.
	ConsumerGroup string
	// Logger receives Watermill's logs (its info level is logged at debug). Default: discard.
	Logger *slog.Logger
}

func (c *Config) setDefaults() {
	if c.ConsumerGroup == "" {
		c.ConsumerGroup = DefaultConsumerGroup
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
}

// Validate reports every problem of the configuration at once. Empty fields are valid: they take their
// defaults.
func (c Config) Validate() error {
	c.setDefaults()
	var errs []error
	if _, _, err := parseURL(c.URL); err != nil {
		errs = append(errs, err)
	}
	if len(c.ConsumerGroup) > maxConsumerGroupLen {
		errs = append(errs, fmt.Errorf("ConsumerGroup %q: longer than %d characters", c.ConsumerGroup, maxConsumerGroupLen))
	}
	if !consumerGroupPattern.MatchString(c.ConsumerGroup) {
		errs = append(errs, fmt.Errorf("ConsumerGroup %q: only letters, digits, '_' and '-' are allowed", c.ConsumerGroup))
	}
	return errors.Join(errs...)
}

// parseURL returns the backend kind and the parsed URL (nil for memory).
func parseURL(raw string) (string, *url.URL, error) {
	if raw == "" {
		return KindMemory, nil, nil
	}
	u, err := url.Parse(raw)
	if err != nil {
		// url.Error repeats the whole URL, password included: report only its cause.
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return "", nil, fmt.Errorf("URL %s: not a valid URL: %w", redactRaw(raw), err)
	}
	var kind string
	switch strings.ToLower(u.Scheme) {
	case "memory":
		return KindMemory, nil, nil
	case "postgres", "postgresql":
		kind = KindPostgres
	case "nats":
		kind = KindNATS
	case "amqp":
		kind = KindAMQP
	case "":
		return "", nil, fmt.Errorf("URL %s: no scheme; supported: %s", redact(u), supportedSchemes)
	default:
		return "", nil, fmt.Errorf("URL %s: unknown scheme %q; supported: %s", redact(u), u.Scheme, supportedSchemes)
	}
	if u.Host == "" && kind != KindPostgres { // libpq URLs may name the server in the query instead
		return "", nil, fmt.Errorf("URL %s: no host", redact(u))
	}
	return kind, u, nil
}

// Bus is a Watermill publisher and subscriber on one backend.
type Bus struct {
	// Publisher publishes to a topic (see Topic). Publish returns once the backend has stored the
	// messages (memory: once they are handed to the subscribers' goroutines).
	Publisher message.Publisher
	// Subscriber subscribes to a topic as the configured consumer group. Every message must be acked or
	// nacked; a nacked message is delivered again.
	Subscriber message.Subscriber
	// Kind is the backend: KindMemory, KindPostgres, KindNATS or KindAMQP.
	Kind string

	closers   []func() error // run in order by Close, after the subscriber and the publisher
	closeOnce sync.Once
	closeErr  error
}

// Open connects to the backend named by cfg.URL.
func Open(ctx context.Context, cfg Config) (*Bus, error) {
	cfg.setDefaults()
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("messaging config: %w", err)
	}
	kind, u, err := parseURL(cfg.URL)
	if err != nil { // already reported by Validate
		return nil, err
	}
	logger := watermill.NewSlogLoggerWithLevelMapping(cfg.Logger, map[slog.Level]slog.Level{
		// Watermill logs routine events (subscriber started, no subscriber for a message) at info.
		slog.LevelInfo: slog.LevelDebug,
	})

	var bus *Bus
	switch kind {
	case KindMemory:
		bus = openMemory(logger)
	case KindPostgres:
		bus, err = openPostgres(ctx, u, cfg.ConsumerGroup, logger)
	case KindNATS:
		bus, err = openNATS(ctx, u, cfg.ConsumerGroup, logger)
	case KindAMQP:
		bus, err = openAMQP(ctx, u, cfg.ConsumerGroup, logger)
	}
	where := "memory:"
	if u != nil {
		where = redact(u)
	}
	if err != nil {
		return nil, fmt.Errorf("open %s messaging at %s: %w", kind, where, err)
	}
	bus.Kind = kind
	cfg.Logger.InfoContext(ctx, "messaging opened", "kind", kind, "url", where, "consumer_group", cfg.ConsumerGroup)
	return bus, nil
}

// Close closes the subscriber (its subscriptions' channels are closed), then the publisher, then the
// connections. It is safe to call more than once; later calls return the first call's result.
func (b *Bus) Close() error {
	b.closeOnce.Do(func() {
		var errs []error
		if err := b.Subscriber.Close(); err != nil {
			errs = append(errs, fmt.Errorf("close %s subscriber: %w", b.Kind, err))
		}
		// memory: the same GoChannel again, whose Close is idempotent.
		if err := b.Publisher.Close(); err != nil {
			errs = append(errs, fmt.Errorf("close %s publisher: %w", b.Kind, err))
		}
		for _, c := range b.closers {
			if err := c(); err != nil {
				errs = append(errs, fmt.Errorf("close %s: %w", b.Kind, err))
			}
		}
		b.closeErr = errors.Join(errs...)
	})
	return b.closeErr
}

// Topic is the topic of a projection's change feed: "crossdock.views." + projection. Characters other
// than ASCII letters, digits, '_' and '-' become '_', so the topic is a valid NATS subject, AMQP exchange
// name and watermill-sql topic; backends that need still other names derive them inside this package.
func Topic(projection string) string {
	return TopicPrefix + sanitize(projection, isNameByte)
}

func isNameByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-'
}

// sanitize replaces every byte that ok rejects with '_' (a multi-byte rune becomes one '_' per byte,
// which keeps the mapping simple and the result ASCII).
func sanitize(s string, ok func(byte) bool) string {
	b := []byte(s)
	for i, c := range b {
		if !ok(c) {
			b[i] = '_'
		}
	}
	if len(b) == 0 {
		return "_"
	}
	return string(b)
}

// redact prints u without its password, also when given as a libpq "password" query parameter.
func redact(u *url.URL) string {
	c := *u
	if q := c.Query(); q.Has("password") {
		q.Set("password", "xxxxx")
		c.RawQuery = q.Encode()
	}
	return c.Redacted()
}

// redactRaw hides the password of a string that did not parse as a URL.
func redactRaw(raw string) string {
	rest := raw
	prefix := ""
	if i := strings.Index(raw, "://"); i >= 0 {
		prefix, rest = raw[:i+3], raw[i+3:]
	}
	if at := strings.LastIndex(rest, "@"); at >= 0 {
		if user, _, hasPassword := strings.Cut(rest[:at], ":"); hasPassword {
			rest = user + ":xxxxx" + rest[at:]
		}
	}
	if strings.Contains(rest, "password=") {
		return prefix + "(URL hidden: it holds a password)"
	}
	return prefix + rest
}

// connectTimeout bounds a connection attempt by ctx's deadline, or by fallback without one.
func connectTimeout(ctx context.Context, fallback time.Duration) time.Duration {
	if d, ok := ctx.Deadline(); ok {
		if left := time.Until(d); left > 0 {
			return left
		}
		return time.Millisecond
	}
	return fallback
}
