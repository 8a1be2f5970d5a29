package queries_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crossdock-hub/crossdock/projections/timeline"
	"github.com/crossdock-hub/crossdock/queries"
)

// fakeReader answers with a fixed page or error and records the queries it was asked.
type fakeReader struct {
	page timeline.Page
	err  error

	mu   sync.Mutex
	seen []timeline.Query
}

func (f *fakeReader) Timeline(_ context.Context, q timeline.Query) (timeline.Page, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.seen = append(f.seen, q)
	return f.page, f.err
}

func (f *fakeReader) queries() []timeline.Query {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]timeline.Query(nil), f.seen...)
}

// testLogger writes to t.Log, so a failing test shows what the service logged.
func testLogger(t *testing.T) *slog.Logger {
	return slog.New(slog.NewTextHandler(tWriter{t}, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

type tWriter struct{ t *testing.T }

func (w tWriter) Write(p []byte) (int, error) {
	w.t.Helper()
	w.t.Log(strings.TrimRight(string(p), "\n"))
	return len(p), nil
}

func newService(t *testing.T, cfg queries.Config) *queries.Service {
	t.Helper()
	if cfg.Logger == nil {
		cfg.Logger = testLogger(t)
	}
	svc, err := queries.NewService(cfg)
	require.NoError(t, err)
	return svc
}

// decode round-trips a result through JSON, as a client sees it.
func decode(t *testing.T, res queries.Result) map[string]any {
	t.Helper()
	b, err := json.Marshal(res)
	require.NoError(t, err)
	var out map[string]any
	require.NoError(t, json.Unmarshal(b, &out))
	return out
}

func samplePage() timeline.Page {
	cet := time.FixedZone("CET", 3600)
	return timeline.Page{
		Entries: []timeline.Entry{
			{
				Cursor:        "c-41",
				Position:      "41/41",
				EventID:       "0b7e7a7e-0000-5000-8000-000000000041",
				StreamID:      "order-po:P00042",
				StreamVersion: 1,
				Type:          "order.placed.v1",
				OccurredAt:    time.Date(2025, 3, 1, 10, 0, 0, 0, cet),
				RecordedAt:    time.Date(2025, 3, 1, 9, 0, 1, 500_000_000, time.UTC),
				CorrelationID: "corr-1",
				CausationID:   "cause-1",
				MessageID:     "msg-1",
				PartnerID:     "acme",
				Source:        "odoo",
				References:    []timeline.Reference{{Kind: "po_number", Value: "P00042"}},
				Data:          json.RawMessage(`{"lines":[{"sku":"SKU-42","qty":"12.5"}]}`),
			},
			{
				Cursor:        "c-57",
				Position:      "57/57",
				EventID:       "0b7e7a7e-0000-5000-8000-000000000057",
				StreamID:      "shipment-ups:1Z999",
				StreamVersion: 3,
				Type:          "shipment.asn_received.v1",
				RecordedAt:    time.Date(2025, 3, 2, 8, 0, 0, 0, time.UTC),
			},
		},
		EndCursor:   "c-57",
		HasNextPage: true,
	}
}

const timelineQuery = `query Timeline($ref: String, $first: Int, $after: String) {
  timeline(reference: $ref, correlationId: "corr-1", streamId: "order-po:P00042", first: $first, after: $after) {
    edges {
      cursor
      node {
        position eventId streamId streamVersion type occurredAt recordedAt
        correlationId causationId messageId partnerId source
        references { kind value }
        data
      }
    }
    pageInfo { endCursor hasNextPage }
  }
}`

func TestTimelineQuery(t *testing.T) {
	t.Parallel()
	reader := &fakeReader{page: samplePage()}
	svc := newService(t, queries.Config{Timeline: reader})

	res := svc.Execute(t.Context(), queries.Request{
		Query:         timelineQuery,
		Variables:     map[string]any{"ref": "P00042", "first": 2, "after": "c-40"},
		OperationName: "Timeline",
	})
	require.Empty(t, res.Errors)
	require.True(t, res.Executed)

	assert.Equal(t, []timeline.Query{{
		CorrelationID: "corr-1", Reference: "P00042", StreamID: "order-po:P00042", First: 2, After: "c-40",
	}}, reader.queries(), "arguments reach the reader unchanged")

	got := decode(t, res)
	conn := got["data"].(map[string]any)["timeline"].(map[string]any)
	assert.Equal(t, map[string]any{"endCursor": "c-57", "hasNextPage": true}, conn["pageInfo"])
	edges := conn["edges"].([]any)
	require.Len(t, edges, 2)

	first := edges[0].(map[string]any)
	assert.Equal(t, "c-41", first["cursor"])
	assert.Equal(t, map[string]any{
		"position":      "41/41",
		"eventId":       "0b7e7a7e-0000-5000-8000-000000000041",
		"streamId":      "order-po:P00042",
		"streamVersion": float64(1),
		"type":          "order.placed.v1",
		"occurredAt":    "2025-03-01T09:00:00Z", // converted to UTC
		"recordedAt":    "2025-03-01T09:00:01.5Z",
		"correlationId": "corr-1",
		"causationId":   "cause-1",
		"messageId":     "msg-1",
		"partnerId":     "acme",
		"source":        "odoo",
		"references":    []any{map[string]any{"kind": "po_number", "value": "P00042"}},
		"data":          `{"lines":[{"sku":"SKU-42","qty":"12.5"}]}`,
	}, first["node"])

	second := edges[1].(map[string]any)["node"].(map[string]any)
	assert.Equal(t, float64(3), second["streamVersion"])
	for _, k := range []string{"occurredAt", "correlationId", "causationId", "messageId", "partnerId", "source", "data"} {
		assert.Nil(t, second[k], "%s unset is null", k)
	}
	assert.Equal(t, []any{}, second["references"])
}

func TestTimelineWithoutArgumentsListsEverything(t *testing.T) {
	t.Parallel()
	reader := &fakeReader{}
	svc := newService(t, queries.Config{Timeline: reader})

	res := svc.Execute(t.Context(), queries.Request{Query: `{ timeline { edges { cursor } pageInfo { endCursor hasNextPage } } }`})
	require.Empty(t, res.Errors)
	assert.Equal(t, []timeline.Query{{}}, reader.queries(), "no arguments is the zero query; the reader applies its defaults")
	assert.Equal(t, map[string]any{"timeline": map[string]any{
		"edges":    []any{},
		"pageInfo": map[string]any{"endCursor": nil, "hasNextPage": false},
	}}, decode(t, res)["data"])
}

func TestTimelineFirstOutOfRange(t *testing.T) {
	t.Parallel()
	for _, first := range []int{0, -1, queries.MaxTimelinePage + 1} {
		t.Run(fmt.Sprint(first), func(t *testing.T) {
			t.Parallel()
			reader := &fakeReader{}
			svc := newService(t, queries.Config{Timeline: reader})
			res := svc.Execute(t.Context(), queries.Request{
				Query:     `query($n: Int) { timeline(first: $n) { edges { cursor } } }`,
				Variables: map[string]any{"n": first},
			})
			require.Len(t, res.Errors, 1)
			assert.Contains(t, res.Errors[0].Message, "first must be between 1 and 500")
			assert.Empty(t, reader.queries(), "the reader is not asked")
		})
	}
}

func TestTimelineReaderErrors(t *testing.T) {
	t.Parallel()
	errBadCursor := errors.New("timeline: bad cursor")
	tests := []struct {
		name string
		err  error
		want string
	}{
		{"internal errors are hidden", fmt.Errorf("read timeline: %w", errors.New("dial tcp 10.0.0.7:5432: refused")), "internal error"},
		{"public errors are shown", fmt.Errorf("cursor %q: %w", "zz", errBadCursor), `cursor "zz": timeline: bad cursor`},
		{"timeouts say so", fmt.Errorf("query: %w", context.DeadlineExceeded), "timed out"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			svc := newService(t, queries.Config{
				Timeline:    &fakeReader{err: tt.err},
				PublicError: func(err error) bool { return errors.Is(err, errBadCursor) },
			})
			res := svc.Execute(t.Context(), queries.Request{Query: `{ timeline { edges { cursor } } }`})
			require.Len(t, res.Errors, 1)
			assert.Contains(t, res.Errors[0].Message, tt.want)
			assert.NotContains(t, res.Errors[0].Message, "10.0.0.7")
			assert.Equal(t, []any{"timeline"}, res.Errors[0].Path)
			assert.True(t, res.Executed)
			got := decode(t, res)
			assert.Contains(t, got, "data", "an execution error keeps the data entry")
			assert.Nil(t, got["data"], "timeline is non-null, so its error nulls data")
		})
	}
}

func TestIntrospection(t *testing.T) {
	t.Parallel()
	svc := newService(t, queries.Config{Timeline: &fakeReader{}})
	res := svc.Execute(t.Context(), queries.Request{Query: introspectionQuery})
	require.Empty(t, res.Errors, "the full introspection query passes the default depth limit")

	schema := decode(t, res)["data"].(map[string]any)["__schema"].(map[string]any)
	assert.Equal(t, "Query", schema["queryType"].(map[string]any)["name"])
	types := map[string]bool{}
	for _, ty := range schema["types"].([]any) {
		types[ty.(map[string]any)["name"].(string)] = true
	}
	for _, want := range []string{"TimelineConnection", "TimelineEdge", "TimelineEntry", "PageInfo", "Reference"} {
		assert.True(t, types[want], "schema has type %s", want)
	}
}

func TestDepthLimit(t *testing.T) {
	t.Parallel()
	// nest returns a query whose deepest field is at depth n (n >= 3): __schema types fields type fields ...
	nest := func(n int) string {
		var b strings.Builder
		b.WriteString("{ __schema { types { ")
		for i := 3; i < n; i++ {
			if i%2 == 1 {
				b.WriteString("fields { ")
			} else {
				b.WriteString("type { ")
			}
		}
		b.WriteString("name" + strings.Repeat(" }", n))
		return b.String()
	}
	// ofTypes nests ofType n times under a depth-3 field.
	ofTypes := func(n int) string {
		return `{ __type(name: "TimelineConnection") { fields { type { ` + strings.Repeat("ofType { ", n) +
			"name" + strings.Repeat(" }", n+4)
	}
	tests := []struct {
		name     string
		maxDepth int
		query    string
		reject   bool
	}{
		{"at the default limit", 0, nest(12), false},
		{"past the default limit", 0, nest(13), true},
		{"past a configured limit", 4, `{ timeline { edges { node { references { kind } } } } }`, true},
		{"at a configured limit", 5, `{ timeline { edges { node { references { kind } } } } }`, false},
		{"through fragments", 4, `{ timeline { ...C } } fragment C on TimelineConnection { edges { ...E } }
			fragment E on TimelineEdge { node { references { kind } } }`, true},
		{"through inline fragments", 4, `{ timeline { ... on TimelineConnection { edges { node { references { kind } } } } } }`, true},
		{"ofType is not counted", 4, ofTypes(30), false},
		{"fields below ofType are", 3, ofTypes(30), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			reader := &fakeReader{}
			svc := newService(t, queries.Config{Timeline: reader, MaxDepth: tt.maxDepth})
			res := svc.Execute(t.Context(), queries.Request{Query: tt.query})
			if !tt.reject {
				assert.Empty(t, res.Errors)
				return
			}
			require.Len(t, res.Errors, 1)
			e := res.Errors[0]
			assert.Contains(t, e.Message, "exceeds the limit of")
			assert.Equal(t, "QUERY_TOO_DEEP", e.Extensions["code"])
			assert.NotEmpty(t, e.Locations, "the error points at the deepest field")
			assert.False(t, res.Executed)
			assert.NotContains(t, decode(t, res), "data", "a rejected request has no data entry")
			assert.Empty(t, reader.queries(), "nothing ran")
		})
	}
}

func TestFragmentCyclesAndBombsTerminate(t *testing.T) {
	t.Parallel()
	svc := newService(t, queries.Config{Timeline: &fakeReader{}})

	cycle := svc.Execute(t.Context(), queries.Request{Query: `{ timeline { ...A } }
		fragment A on TimelineConnection { ...B } fragment B on TimelineConnection { ...A }`})
	require.Len(t, cycle.Errors, 1, "graphql-go's own validation would overflow the stack on this")
	assert.Contains(t, cycle.Errors[0].Message, "spreads itself")

	// Each fragment spreads the next twice: 2^40 paths unless fragment depths are memoised.
	var b strings.Builder
	b.WriteString("{ timeline { ...F0 } }\n")
	for i := range 40 {
		fmt.Fprintf(&b, "fragment F%d on TimelineConnection { ...F%d ...F%d }\n", i, i+1, i+1)
	}
	b.WriteString("fragment F40 on TimelineConnection { pageInfo { hasNextPage } }\n")
	done := make(chan queries.Result, 1)
	go func() { done <- svc.Execute(t.Context(), queries.Request{Query: b.String()}) }()
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		t.Fatal("a fragment bomb was walked path by path")
	}
}

func TestRequestErrors(t *testing.T) {
	t.Parallel()
	svc := newService(t, queries.Config{Timeline: &fakeReader{}})
	tests := []struct {
		name, query, want string
	}{
		{"empty", "  ", "no query"},
		{"syntax", "{ timeline { ", "Syntax Error"},
		{"unknown field", "{ nope }", `Cannot query field "nope"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			res := svc.Execute(t.Context(), queries.Request{Query: tt.query})
			require.NotEmpty(t, res.Errors)
			assert.Contains(t, res.Errors[0].Message, tt.want)
			assert.False(t, res.Executed)
		})
	}
}

func TestConfigValidate(t *testing.T) {
	t.Parallel()
	_, err := queries.NewService(queries.Config{MaxDepth: -1})
	require.Error(t, err)
	assert.ErrorContains(t, err, "Timeline reader is required")
	assert.ErrorContains(t, err, "MaxDepth -1 is negative")
}

func TestComplexityLimit(t *testing.T) {
	t.Parallel()
	page := `query($n: Int) { timeline(first: $n) { edges { cursor node { eventId type data references { kind value } } } } }`
	tests := []struct {
		name      string
		limit     int
		query     string
		variables map[string]any
		reject    bool
		cost      int
	}{
		// timeline 1 + n × (edges 1 + cursor 1 + node 1 + eventId, type, data 3 + references 1 + kind, value 2) = 1 + 9n
		{"a page of 500 under the default", 0, page, map[string]any{"n": float64(500)}, false, 0},
		{"a page of 10 over a limit of 50", 50, page, map[string]any{"n": float64(10)}, true, 91},
		{"the default page counts 50", 400, `{ timeline { edges { node { eventId } } } }`, nil, false, 0},
		{"the default page counts 50 over a limit", 100, `{ timeline { edges { node { eventId } } } }`, nil, true, 151},
		// 1 + 3 × (edges 1 + node 1 + eventId, type 2)
		{"a literal first", 10, `{ timeline(first: 3) { edges { node { eventId type } } } }`, nil, true, 13},
		{"through fragments", 10, `{ timeline(first: 3) { ...C } } fragment C on TimelineConnection { edges { node { eventId type } } }`, nil, true, 13},
		{"a connection's edges in a fragment count the default page", 100, `{ timeline { ...C } } fragment C on TimelineConnection { edges { node { eventId } } }`, nil, true, 151},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			svc := newService(t, queries.Config{Timeline: &fakeReader{}, MaxComplexity: tt.limit})
			res := svc.Execute(t.Context(), queries.Request{Query: tt.query, Variables: tt.variables})
			if !tt.reject {
				require.Empty(t, res.Errors)
				require.True(t, res.Executed)
				return
			}
			require.False(t, res.Executed)
			require.Len(t, res.Errors, 1)
			assert.Equal(t, "QUERY_TOO_COMPLEX", res.Errors[0].Extensions["code"])
			assert.Equal(t, tt.cost, res.Errors[0].Extensions["complexity"])
			assert.Contains(t, res.Errors[0].Message, fmt.Sprintf("query complexity %d exceeds the limit of %d", tt.cost, tt.limit))
		})
	}
	// GraphiQL's introspection query fits the default.
	svc := newService(t, queries.Config{Timeline: &fakeReader{}})
	res := svc.Execute(t.Context(), queries.Request{Query: introspectionQuery})
	require.Empty(t, res.Errors)
}
