package e2e

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"net"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/coder/websocket/wsjson"
	"github.com/nats-io/nats.go"
	"github.com/stretchr/testify/require"

	"github.com/crossdock-hub/crossdock/internal/testdb"
)

type wsMsg struct {
	Type    string          `json:"type"`
	ID      string          `json:"id,omitempty"`
	Payload json.RawMessage `json:"payload,omitempty"`
}

// A GraphQL client subscribed over a real WebSocket (graphql-transport-ws) sees the three-way match of
// PO-7001 change as the receipt and the invoice arrive, on the embedded store and bus, and on PostgreSQL
// with NATS JetStream carrying the changes; the evidence of a line leads to the events in the timeline.
func TestThreeWayMatchSubscription(t *testing.T) {
	backends := map[string]func(t *testing.T) []string{
		"sqlite+memory": func(t *testing.T) []string { return []string{"--data-dir", t.TempDir()} },
		"postgres+nats": func(t *testing.T) []string {
			conn, err := net.DialTimeout("tcp", "127.0.0.1:4222", 2*time.Second)
			if err != nil {
				testdb.Unavailable(t, "NATS", err)
			}
			conn.Close()
			group := "e2e-" + rand.Text()[:12]
			t.Cleanup(func() { deleteNATSConsumer(t, "crossdock_views_match", group) }) // after the hub stops
			return []string{"--database-url", testdb.PostgresSchemaURL(t), "--data-dir", t.TempDir(),
				"--bus", "nats://127.0.0.1:4222", "--bus-group", group}
		},
	}
	for name, args := range backends {
		t.Run(name, func(t *testing.T) {
			h := startHubWith(t, scenarioEnv, append(args(t), "--partners", "testdata/partners.yaml")...)

			ctx, cancel := context.WithTimeout(t.Context(), 60*time.Second)
			defer cancel()
			conn, resp, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(h.url, "http")+"/graphql",
				&websocket.DialOptions{Subprotocols: []string{"graphql-transport-ws"}})
			require.NoError(t, err)
			if resp.Body != nil {
				resp.Body.Close()
			}
			defer conn.CloseNow()
			require.NoError(t, wsjson.Write(ctx, conn, wsMsg{Type: "connection_init"}))
			var ack wsMsg
			require.NoError(t, wsjson.Read(ctx, conn, &ack))
			require.Equal(t, "connection_ack", ack.Type)
			subscribe := func(id, query string) {
				payload, _ := json.Marshal(map[string]any{"query": query})
				require.NoError(t, wsjson.Write(ctx, conn, wsMsg{Type: "subscribe", ID: id, Payload: payload}))
			}
			subscribe("lines", `subscription { purchaseOrderLineChanged(poNumber: "PO-7001") { lineNumber status received invoiced atRisk } }`)
			subscribe("invoices", `subscription { invoiceMatchChanged(poNumber: "PO-7001") { invoiceNumber status atRisk reasons } }`)
			// Subscriptions start asynchronously: a query sent after them is answered once they are set up.
			subscribe("sync", `{ timeline(first: 1) { pageInfo { hasNextPage } } }`)
			for done := false; !done; {
				var m wsMsg
				require.NoError(t, wsjson.Read(ctx, conn, &m))
				done = m.Type == "complete" && m.ID == "sync"
			}

			placed := h.do(http.MethodPost, "/api/v1/admin/orders", "application/json", readTestdata(t, "order.json"),
				map[string]string{"Authorization": "Bearer " + adminToken})
			require.Equal(t, http.StatusCreated, placed.status, string(placed.body))
			for _, doc := range []struct{ file, token string }{{"944_receipt.x12", northwindToken}, {"810_invoice.x12", acmeToken}} {
				r := h.do(http.MethodPost, "/api/v1/documents", "application/edi-x12", readTestdata(t, doc.file),
					map[string]string{"Authorization": "Bearer " + doc.token})
				require.Equal(t, http.StatusOK, r.status, "%s: %s", doc.file, r.body)
			}

			type line struct {
				LineNumber, Status, Received, Invoiced, AtRisk string
			}
			type invoice struct {
				InvoiceNumber, Status, AtRisk string
				Reasons                       []string
			}
			var lines = map[string]line{}
			var inv invoice
			for lines["2"].AtRisk != "14" || inv.Status != "held" {
				var m wsMsg
				require.NoError(t, wsjson.Read(ctx, conn, &m), "lines so far %v, invoice %v", lines, inv)
				require.Equal(t, "next", m.Type, string(m.Payload))
				var body struct {
					Data struct {
						Line    *line    `json:"purchaseOrderLineChanged"`
						Invoice *invoice `json:"invoiceMatchChanged"`
					} `json:"data"`
					Errors []json.RawMessage `json:"errors"`
				}
				require.NoError(t, json.Unmarshal(m.Payload, &body), string(m.Payload))
				require.Empty(t, body.Errors, string(m.Payload))
				switch m.ID {
				case "lines":
					lines[body.Data.Line.LineNumber] = *body.Data.Line
				case "invoices":
					inv = *body.Data.Invoice
				}
			}
			require.Equal(t, line{LineNumber: "1", Status: "matched", Received: "120", Invoiced: "120", AtRisk: "0"}, lines["1"])
			require.Equal(t, line{LineNumber: "2", Status: "over_received", Received: "70", Invoiced: "72", AtRisk: "14"}, lines["2"])
			require.Equal(t, invoice{InvoiceNumber: "INV-3001", Status: "held", AtRisk: "14",
				Reasons: []string{"PO line 2: over_received, over_invoiced"}}, inv)
			require.NoError(t, wsjson.Write(ctx, conn, wsMsg{Type: "complete", ID: "lines"}))
			require.NoError(t, conn.Close(websocket.StatusNormalClosure, ""))

			// The line's evidence, looked up in the timeline: the order, the receipt and the invoice. (The
			// timeline is a view of its own: it may reach the invoice a moment after the match does.)
			m := h.match("PO-7001")
			evidence := m.Data.Lines.Edges[1].Node.Evidence
			want := []string{"order.placed.v1", "receipt.received.v1", "invoice.received.v1"}
			var got []string
			require.Eventually(t, func() bool {
				types := map[string]string{}
				for _, e := range h.timeline("PO-7001").Data.Timeline.Edges {
					types[e.Node.EventID] = e.Node.Type
				}
				got = nil
				for _, id := range evidence {
					got = append(got, types[id])
				}
				return slices.Equal(want, got)
			}, 30*time.Second, 100*time.Millisecond, "evidence in the timeline: %v", &got)

			// An engineer rebuilds the view over GraphQL while it serves: generation 2 answers the same rows.
			gql := func(query string) map[string]any {
				body, _ := json.Marshal(map[string]any{"query": query})
				r := h.do(http.MethodPost, "/graphql", "application/json", body, nil)
				require.Equal(t, http.StatusOK, r.status, string(r.body))
				var out struct {
					Data   map[string]any    `json:"data"`
					Errors []json.RawMessage `json:"errors"`
				}
				require.NoError(t, json.Unmarshal(r.body, &out), string(r.body))
				require.Empty(t, out.Errors, string(r.body))
				return out.Data
			}
			require.Equal(t, true, gql(`mutation { rebuildProjection(name: "match") }`)["rebuildProjection"])
			require.Eventually(t, func() bool {
				for _, p := range gql(`{ projections { name generation rebuild { generation } } }`)["projections"].([]any) {
					p := p.(map[string]any)
					if p["name"] == "match" {
						return p["generation"] == float64(2) && p["rebuild"] == nil
					}
				}
				return false
			}, 30*time.Second, 100*time.Millisecond, "the rebuild did not switch")
			require.Equal(t, m.Data, h.match("PO-7001").Data, "the rebuilt view answers as the old one did")
		})
	}
}

// deleteNATSConsumer removes the durable consumer a test hub created on the server.
func deleteNATSConsumer(t *testing.T, stream, consumer string) {
	nc, err := nats.Connect("nats://127.0.0.1:4222")
	if err != nil {
		t.Logf("delete NATS consumer %s: %v", consumer, err)
		return
	}
	defer nc.Close()
	js, err := nc.JetStream()
	if err == nil {
		err = js.DeleteConsumer(stream, consumer)
	}
	if err != nil {
		t.Logf("delete NATS consumer %s: %v", consumer, err)
	}
}
