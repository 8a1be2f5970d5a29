package queries

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/graphql-go/graphql"

	"github.com/crossdock-hub/crossdock/projections/timeline"
)

// TimelineReader reads the document timeline projection.
type TimelineReader interface {
	Timeline(ctx context.Context, q timeline.Query) (timeline.Page, error)
}

// MaxTimelinePage is the largest page the timeline field serves; larger requests are rejected rather
// than silently shortened, so a client paging with first: 1000 learns why it got fewer.
const MaxTimelinePage = 500

// timelineResolver resolves the timeline field.
type timelineResolver struct {
	reader      TimelineReader
	logger      *slog.Logger
	publicError func(error) bool
}

func (r timelineResolver) resolve(p graphql.ResolveParams) (any, error) {
	q := timeline.Query{}
	q.CorrelationID, _ = p.Args["correlationId"].(string)
	q.Reference, _ = p.Args["reference"].(string)
	q.StreamID, _ = p.Args["streamId"].(string)
	q.After, _ = p.Args["after"].(string)
	if first, ok := p.Args["first"].(int); ok {
		if first < 1 || first > MaxTimelinePage {
			return nil, fmt.Errorf("first must be between 1 and %d, got %d", MaxTimelinePage, first)
		}
		q.First = first
	}
	page, err := r.reader.Timeline(p.Context, q)
	if err != nil {
		return nil, r.clientError(p.Context, err, q)
	}
	return page, nil
}

// clientError decides what the client learns about a reader error, and logs what it does not.
func (r timelineResolver) clientError(ctx context.Context, err error, q timeline.Query) error {
	return errorPolicy{logger: r.logger, publicError: r.publicError}.clientError(ctx, err, "timeline",
		"correlation_id", q.CorrelationID, "reference", q.Reference, "stream_id", q.StreamID)
}

func timelineField(r timelineResolver, pageInfo *graphql.Object) *graphql.Field {
	reference := graphql.NewObject(graphql.ObjectConfig{
		Name:        "Reference",
		Description: "A business reference an event carries.",
		Fields: graphql.Fields{
			"kind": field[timeline.Reference](graphql.NewNonNull(graphql.String),
				"po_number, asn_number, tracking_number, invoice_number, ...",
				func(ref timeline.Reference) any { return ref.Kind }),
			"value": field[timeline.Reference](graphql.NewNonNull(graphql.String), "",
				func(ref timeline.Reference) any { return ref.Value }),
		},
	})
	nonNullString := graphql.NewNonNull(graphql.String)
	entry := graphql.NewObject(graphql.ObjectConfig{
		Name:        "TimelineEntry",
		Description: "One event as the timeline shows it.",
		Fields: graphql.Fields{
			"position": field[timeline.Entry](nonNullString, "The event's place in the global log.",
				func(e timeline.Entry) any { return e.Position }),
			"eventId": field[timeline.Entry](graphql.NewNonNull(graphql.ID), "",
				func(e timeline.Entry) any { return e.EventID }),
			"streamId": field[timeline.Entry](nonNullString, `"<aggregate>-<business id>", e.g. "order-po:P00042".`,
				func(e timeline.Entry) any { return e.StreamID }),
			"streamVersion": field[timeline.Entry](graphql.NewNonNull(graphql.Int), "1-based, per stream.",
				func(e timeline.Entry) any { return e.StreamVersion }),
			"type": field[timeline.Entry](nonNullString, `Event type and schema version, e.g. "receipt.line_received.v1".`,
				func(e timeline.Entry) any { return e.Type }),
			"occurredAt": field[timeline.Entry](graphql.String, "Business time, RFC 3339 in UTC; null when the source gave none.",
				func(e timeline.Entry) any { return timestamp(e.OccurredAt) }),
			"recordedAt": field[timeline.Entry](graphql.String, "Store time, RFC 3339 in UTC.",
				func(e timeline.Entry) any { return timestamp(e.RecordedAt) }),
			"correlationId": field[timeline.Entry](graphql.String, "",
				func(e timeline.Entry) any { return optional(e.CorrelationID) }),
			"causationId": field[timeline.Entry](graphql.String, "",
				func(e timeline.Entry) any { return optional(e.CausationID) }),
			"messageId": field[timeline.Entry](graphql.String, "The raw inbound message the event came from.",
				func(e timeline.Entry) any { return optional(e.MessageID) }),
			"partnerId": field[timeline.Entry](graphql.String, "",
				func(e timeline.Entry) any { return optional(e.PartnerID) }),
			"source": field[timeline.Entry](graphql.String, `e.g. "wms:acme-3pl", "odoo".`,
				func(e timeline.Entry) any { return optional(e.Source) }),
			"references": field[timeline.Entry](graphql.NewNonNull(graphql.NewList(graphql.NewNonNull(reference))), "",
				func(e timeline.Entry) any {
					if e.References == nil {
						return []timeline.Reference{}
					}
					return e.References
				}),
			"data": field[timeline.Entry](graphql.String, "The event's payload as a JSON text; null when it has none.",
				func(e timeline.Entry) any {
					if len(e.Data) == 0 {
						return nil
					}
					return string(e.Data)
				}),
		},
	})
	edge := graphql.NewObject(graphql.ObjectConfig{
		Name: "TimelineEdge",
		Fields: graphql.Fields{
			"cursor": field[timeline.Entry](nonNullString, "Pass as after to read the entries after this one.",
				func(e timeline.Entry) any { return e.Cursor }),
			"node": field[timeline.Entry](graphql.NewNonNull(entry), "",
				func(e timeline.Entry) any { return e }),
		},
	})
	connection := graphql.NewObject(graphql.ObjectConfig{
		Name: "TimelineConnection",
		Fields: graphql.Fields{
			"edges": field[timeline.Page](graphql.NewNonNull(graphql.NewList(graphql.NewNonNull(edge))), "",
				func(p timeline.Page) any {
					if p.Entries == nil {
						return []timeline.Entry{}
					}
					return p.Entries
				}),
			"pageInfo": field[timeline.Page](graphql.NewNonNull(pageInfo), "",
				func(p timeline.Page) any { return pageInfoValue{EndCursor: p.EndCursor, HasNextPage: p.HasNextPage} }),
		},
	})
	return &graphql.Field{
		Type: graphql.NewNonNull(connection),
		Description: "What happened to a business document across all systems, in global order. " +
			"Select by correlation ID, business reference (PO, ASN, tracking or invoice number) or stream; " +
			"with none, the whole log is listed.",
		Args: graphql.FieldConfigArgument{
			"correlationId": {Type: graphql.String},
			"reference":     {Type: graphql.String, Description: "Matches any kind of reference with this value."},
			"streamId":      {Type: graphql.String},
			"first":         {Type: graphql.Int, Description: fmt.Sprintf("Page size: 1 to %d; the reader's default when absent.", MaxTimelinePage)},
			"after":         {Type: graphql.String, Description: "The endCursor of the previous page."},
		},
		Resolve: r.resolve,
	}
}

// field builds a field read from a parent of type T. The resolver's source is always a T because
// this package builds every value it returns; anything else is a programming error worth failing on.
func field[T any](typ graphql.Output, description string, get func(T) any) *graphql.Field {
	return &graphql.Field{
		Type:        typ,
		Description: description,
		Resolve: func(p graphql.ResolveParams) (any, error) {
			v, ok := p.Source.(T)
			if !ok {
				var want T
				return nil, fmt.Errorf("resolve %s: source is %T, want %T", p.Info.FieldName, p.Source, want)
			}
			return get(v), nil
		},
	}
}

// timestamp formats t as RFC 3339 in UTC, or null for the zero time.
func timestamp(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UTC().Format(time.RFC3339Nano)
}

// optional turns the empty string into null, which says "not set" in GraphQL.
func optional(s string) any {
	if s == "" {
		return nil
	}
	return s
}
