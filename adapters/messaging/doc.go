// Package messaging gives the hub a Watermill publisher and subscriber for projection change feeds, on
// the broker chosen by configuration.
//
// Each projection publishes its row changes to its own topic, Topic(name) = "crossdock.views." + name;
// downstream consumers (analytics, other services, GraphQL subscriptions on another process) subscribe
// to it. Open picks the backend from Config.URL:
//
//   - memory (GoChannel, the default: "" or "memory:"): inside one process, nothing to run and nothing
//     kept. A subscriber receives what is published after it subscribed, every subscriber receives
//     every message (no consumer groups), in order: Publish returns once every subscriber has acked
//     it, so subscribers must ack promptly. For `crossdock serve` on one machine and for tests.
//   - postgres ("postgres://…"): watermill-sql on the PostgreSQL the hub already uses in production, so
//     scaling out needs no broker. A table per topic in the URL's schema (search_path), created on first
//     use; a consumer group starts at the oldest message and resumes from its stored offset. Ordered.
//     Polls, so latency is about a second; rows are never deleted by the bus.
//   - nats ("nats://…"): NATS JetStream, for many hub processes and high rates. A stream per topic
//     (stream names replace '.' with '_'), a durable consumer per group that starts at the oldest
//     message and survives restarts. Ordered. Retention is the stream's default (keep everything):
//     set limits on the server for production.
//   - amqp ("amqp://…"): RabbitMQ, for a company that runs it already. A durable fanout exchange per
//     topic and a durable queue per topic and group; a group receives what is published after its
//     first Subscribe. Ordered while the group has one subscriber.
//
// Processes that share a Config.ConsumerGroup share its messages: each is handled by one of them. A
// consumer that must see every message (each hub's GraphQL subscriptions, an analytics loader) uses a
// group of its own; `crossdock serve` names its group after its host (--bus-group).
//
// Delivery is at least once on every backend. A message is delivered again when it is nacked, when it
// is not acked in time, and when a process stops between receiving and acking it (or, on the
// durable backends, between acking and the broker recording the ack). Consumers must therefore be
// idempotent: dedupe by the message UUID, or make applying a change twice harmless. Publishers keep
// the UUID of a message when they retry it for the same reason (NATS also drops such a retry itself
// within its two-minute duplicate window).
package messaging
