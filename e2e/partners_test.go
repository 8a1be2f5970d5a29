package e2e

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/crossdock-hub/crossdock/internal/testdb"
)

// Tokens of the scenario's partners, handed to the hub through the variables partners.yaml names.
const (
	acmeToken      = "acme-e2e-token-0123456789abcdef0123456789"
	northwindToken = "northwind-e2e-token-0123456789abcdef012345"
	swiftlineToken = "swiftline-e2e-token-0123456789abcdef012345"
	adminToken     = "admin-e2e-token-0123456789abcdef0123456789"
)

var scenarioEnv = []string{
	"CROSSDOCK_TOKEN_ACME=" + acmeToken,
	"CROSSDOCK_TOKEN_NORTHWIND=" + northwindToken,
	"CROSSDOCK_TOKEN_SWIFTLINE=" + swiftlineToken,
	"CROSSDOCK_ADMIN_TOKEN=" + adminToken,
}

type answer struct {
	MessageID string `json:"message_id"`
	Status    string `json:"status"`
	Documents []struct {
		Kind    string `json:"kind"`
		Streams []struct {
			StreamID string   `json:"stream_id"`
			Events   []string `json:"events"`
		} `json:"streams"`
	} `json:"documents"`
	Acknowledgment string `json:"acknowledgment"`
}

func readTestdata(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	require.NoError(t, err)
	return b
}

// TestPartnersOnboardedFromYAML onboards a supplier, a 3PL and a carrier from YAML, places a purchase
// order, has each partner post its X12 (856, 944, 846, 214, 810), replays one message with the CLI, and
// finds each event exactly once, with its business figures, on the embedded store and on PostgreSQL.
func TestPartnersOnboardedFromYAML(t *testing.T) {
	backends := map[string]func(t *testing.T) []string{
		"sqlite": func(t *testing.T) []string { return []string{"--data-dir", t.TempDir()} },
		"postgres": func(t *testing.T) []string {
			return []string{"--database-url", testdb.PostgresSchemaURL(t), "--data-dir", t.TempDir()}
		},
	}
	for name, store := range backends {
		t.Run(name, func(t *testing.T) {
			storeArgs := store(t)
			h := startHubWith(t, scenarioEnv, append(storeArgs, "--partners", "testdata/partners.yaml", "--watch-interval", "200ms")...)

			// Odoo's purchase order, put in place through the admin API (issue 5 brings it from Odoo).
			placed := h.do(http.MethodPost, "/api/v1/admin/orders", "application/json", readTestdata(t, "order.json"),
				map[string]string{"Authorization": "Bearer " + adminToken})
			require.Equal(t, http.StatusCreated, placed.status, string(placed.body))

			post := func(file, token string) (response, answer) {
				t.Helper()
				r := h.do(http.MethodPost, "/api/v1/documents", "application/edi-x12", readTestdata(t, file),
					map[string]string{"Authorization": "Bearer " + token})
				var a answer
				require.NoError(t, json.Unmarshal(r.body, &a), string(r.body))
				return r, a
			}
			messages := map[string]string{}
			for _, doc := range []struct{ file, token, kind string }{
				{"856_asn.x12", acmeToken, "asn"},
				{"944_receipt.x12", northwindToken, "receipt"},
				{"846_inventory.x12", northwindToken, "inventory_snapshot"},
				{"214_status.x12", swiftlineToken, "shipment_status"},
				{"810_invoice.x12", acmeToken, "invoice"},
			} {
				r, a := post(doc.file, doc.token)
				require.Equal(t, http.StatusOK, r.status, "%s: %s", doc.file, r.body)
				require.Equal(t, "accepted", a.Status, doc.file)
				require.Len(t, a.Documents, 1, doc.file)
				require.Equal(t, doc.kind, a.Documents[0].Kind, doc.file)
				require.Contains(t, a.Acknowledgment, "AK5*A", "%s: every interchange gets its 997", doc.file)
				messages[doc.file] = a.MessageID
			}

			// The same interchange again: the first answer, marked, and nothing new.
			again, _ := post("856_asn.x12", acmeToken)
			require.Equal(t, "true", again.header.Get("Crossdock-Duplicate"))

			// Replay the receipt with the CLI beside the running hub: the same events, not new ones.
			out := crossdock(t, append([]string{"replay", "message", messages["944_receipt.x12"]}, storeArgs...)...)
			require.Contains(t, string(out), "accepted")

			// Each document's events, found by its own reference, exactly once.
			wantTypes := map[string][]string{
				"ASN-9001":     {"shipment.asn_received.v1", "shipment.overship_flagged.v1"},
				"RCV-5001":     {"receipt.received.v1"},
				"INV-3001":     {"invoice.received.v1"},
				"PRO-777":      {"shipment.status_reported.v1", "shipment.status_reported.v1"},
				"INV-20261128": {"inventory.snapshot_reported.v1", "inventory.snapshot_reported.v1"},
				"PO-7001":      {"order.placed.v1"},
			}
			var tl map[string]timelineResult
			require.Eventually(t, func() bool {
				tl = map[string]timelineResult{}
				for ref, want := range wantTypes {
					tl[ref] = h.timeline(ref)
					if len(tl[ref].Data.Timeline.Edges) < len(want) {
						return false
					}
				}
				return true
			}, 30*time.Second, 100*time.Millisecond, "the timeline did not catch up")
			time.Sleep(500 * time.Millisecond) // anything recorded twice would show up by now
			for ref, want := range wantTypes {
				tl[ref] = h.timeline(ref)
				var got []string
				// A reference also finds the other documents that quote it (the ASN quotes the PRO
				// number, the receipt the PO): count the types this reference is about.
				for _, e := range tl[ref].Data.Timeline.Edges {
					if slices.Contains(want, e.Node.Type) {
						got = append(got, e.Node.Type)
					}
				}
				require.ElementsMatch(t, want, got, "events of %s", ref)
			}

			data := func(ref, typ string) []map[string]any {
				var out []map[string]any
				for _, e := range tl[ref].Data.Timeline.Edges {
					if e.Node.Type == typ {
						var m map[string]any
						require.NoError(t, json.Unmarshal([]byte(e.Node.Data), &m))
						out = append(out, m)
					}
				}
				return out
			}
			// The ASN: 10 cases of the blue widget are 120 units; the red one shipped 72 against 60 ordered.
			asn := data("ASN-9001", "shipment.asn_received.v1")[0]
			lines := asn["lines"].([]any)
			blue := lines[0].(map[string]any)
			require.Equal(t, "WIDGET-BLUE", blue["item"])
			require.Equal(t, "120", blue["quantity"])
			require.Equal(t, "EA", blue["unit"])
			require.Equal(t, "10", blue["partner_quantity"])
			require.Equal(t, "CS", blue["partner_unit"])
			require.Equal(t, "006141410000000012", blue["sscc"])
			flag := data("ASN-9001", "shipment.overship_flagged.v1")[0]
			require.Equal(t, "WIDGET-RED", flag["product"])
			require.Equal(t, "60", flag["ordered"])
			require.Equal(t, "72", flag["shipped"])

			// The carrier: delivered at 09:15 Central Standard Time, which is 15:15 UTC.
			var delivered map[string]any
			for _, m := range data("PRO-777", "shipment.status_reported.v1") {
				if m["status"] == "delivered" {
					delivered = m
				}
			}
			require.NotNil(t, delivered, "a delivered milestone")
			require.Equal(t, "2026-11-28T15:15:00Z", delivered["at"])
			require.Equal(t, "D1", delivered["partner_status"])

			// The invoice reconciles: 10 CS × 102.00 + 6 CS × 84.00 = 1524.00.
			inv := data("INV-3001", "invoice.received.v1")[0]
			require.Equal(t, true, inv["reconciles"])
			require.Equal(t, "1524", fmt.Sprint(inv["total"]))

			// The three-way match of PO-7001, read over GraphQL. Blue: 120 ordered, received and invoiced
			// (10 CS) at 8.50. Red: 60 ordered, 70 received, 72 invoiced (6 CS at 84.00 = 7.00 each) with
			// ACME's quantity tolerance 0 %: over received and over invoiced; 72 × 7 − 70 × 7 = 14 at risk.
			var m matchResult
			require.Eventually(t, func() bool {
				m = h.match("PO-7001")
				return len(m.Data.Lines.Edges) == 2 && len(m.Data.Invoices.Edges) == 1
			}, 30*time.Second, 100*time.Millisecond, "the three-way match did not catch up")
			blueLine, redLine := m.Data.Lines.Edges[0].Node, m.Data.Lines.Edges[1].Node
			require.Equal(t, matchLine{LineNumber: "1", Product: "WIDGET-BLUE", Unit: "EA", Ordered: "120", POPrice: "8.5",
				Received: "120", Invoiced: "120", InvoicePrice: "8.5", Status: "matched", Issues: []string{}, AtRisk: "0"}, blueLine.matchLine)
			require.Equal(t, matchLine{LineNumber: "2", Product: "WIDGET-RED", Unit: "EA", Ordered: "60", POPrice: "7",
				Received: "70", Invoiced: "72", InvoicePrice: "7", Status: "over_received",
				Issues: []string{"over_received", "over_invoiced"}, AtRisk: "14"}, redLine.matchLine)
			require.Len(t, redLine.Evidence, 3, "the order, the receipt and the invoice")
			held := m.Data.Invoices.Edges[0].Node
			require.Equal(t, "INV-3001", held.InvoiceNumber)
			require.Equal(t, "held", held.Status)
			require.Equal(t, "14", held.AtRisk)
			require.Equal(t, []string{"PO line 2: over_received, over_invoiced"}, held.Reasons)

			// Inventory divergence at Northwind's WH1: its 846 says 120 blue and 68 red (70 received, 2
			// damaged). Odoo (through the admin stand-in for its connector) first reads nothing there: the
			// receipt RCV-5001 is in flight and explains blue, not red's 2. Once Odoo has validated the
			// receipt and reads 120 and 70, blue is in sync and red stays 2 apart since the first reading.
			odooPost := func(path, body string) {
				r := h.do(http.MethodPost, "/api/v1/admin/odoo/"+path, "application/json", []byte(body),
					map[string]string{"Authorization": "Bearer " + adminToken})
				require.Equal(t, http.StatusCreated, r.status, string(r.body))
			}
			odooPost("levels", `{"warehouse":"northwind/WH1","as_of":"2026-11-29T06:00:00Z","levels":[]}`)
			positions := func() map[string]map[string]any {
				out := map[string]map[string]any{}
				body, _ := json.Marshal(map[string]any{"query": `{ inventoryPositions(warehouse: "northwind/WH1") { edges { node {
					product wmsOnHand odooOnHand inFlight divergence status divergedSince evidence } } } }`})
				r := h.do(http.MethodPost, "/graphql", "application/json", body, nil)
				require.Equal(t, http.StatusOK, r.status, string(r.body))
				var res struct {
					Data struct {
						Positions struct {
							Edges []struct {
								Node map[string]any `json:"node"`
							} `json:"edges"`
						} `json:"inventoryPositions"`
					} `json:"data"`
				}
				require.NoError(t, json.Unmarshal(r.body, &res), string(r.body))
				for _, e := range res.Data.Positions.Edges {
					out[e.Node["product"].(string)] = e.Node
				}
				return out
			}
			var pos map[string]map[string]any
			require.Eventually(t, func() bool {
				pos = positions()
				return pos["WIDGET-RED"]["odooOnHand"] == "0"
			}, 30*time.Second, 100*time.Millisecond, "the divergence view did not catch up")
			require.Equal(t, "explained", pos["WIDGET-BLUE"]["status"])
			require.Equal(t, "120", pos["WIDGET-BLUE"]["inFlight"])
			require.Equal(t, "diverged", pos["WIDGET-RED"]["status"])
			require.Equal(t, "68", pos["WIDGET-RED"]["wmsOnHand"])
			require.Equal(t, "70", pos["WIDGET-RED"]["inFlight"])
			require.Equal(t, "-2", pos["WIDGET-RED"]["divergence"])

			odooPost("validations", `{"warehouse":"northwind/WH1","kind":"receipt","reference":"RCV-5001","validated_at":"2026-11-29T07:00:00Z"}`)
			odooPost("levels", `{"warehouse":"northwind/WH1","as_of":"2026-11-29T08:00:00Z","levels":[
				{"product":"WIDGET-BLUE","quantity":"120","unit":"EA"},{"product":"WIDGET-RED","quantity":"70","unit":"EA"}]}`)
			require.Eventually(t, func() bool {
				pos = positions()
				return pos["WIDGET-RED"]["odooOnHand"] == "70"
			}, 30*time.Second, 100*time.Millisecond, "the divergence view did not catch up")
			require.Equal(t, "in_sync", pos["WIDGET-BLUE"]["status"])
			require.Equal(t, "0", pos["WIDGET-BLUE"]["inFlight"])
			require.Equal(t, "diverged", pos["WIDGET-RED"]["status"])
			require.Equal(t, "-2", pos["WIDGET-RED"]["divergence"])
			require.Equal(t, "2026-11-29T06:00:00Z", pos["WIDGET-RED"]["divergedSince"])
			require.Len(t, pos["WIDGET-RED"]["evidence"], 2, "the 846 and Odoo's reading")

			// Integration health: each partner's messages by channel and outcome (the repeated 856 is one
			// message), and every view's lag.
			body, _ := json.Marshal(map[string]any{"query": `{ integrationHealth(since: "2000-01-01T00:00:00Z") {
				messages { partner channel outcome count } views { name state lag } } }`})
			r := h.do(http.MethodPost, "/graphql", "application/json", body, nil)
			require.Equal(t, http.StatusOK, r.status, string(r.body))
			var health struct {
				Data struct {
					Health struct {
						Messages []struct {
							Partner, Channel, Outcome string
							Count                     int
						} `json:"messages"`
						Views []struct {
							Name, State string
						} `json:"views"`
					} `json:"integrationHealth"`
				} `json:"data"`
			}
			require.NoError(t, json.Unmarshal(r.body, &health), string(r.body))
			counts := map[string]int{}
			for _, m := range health.Data.Health.Messages {
				counts[m.Partner+"/"+m.Channel+"/"+m.Outcome] = m.Count
			}
			require.Equal(t, map[string]int{"acme/http/accepted": 2, "northwind/http/accepted": 2, "swiftline/http/accepted": 1}, counts)
			var views []string
			for _, v := range health.Data.Health.Views {
				views = append(views, v.Name)
			}
			require.Equal(t, []string{"timeline", "match", "divergence", "sla", "odoo_failures", "workflow_orders_to_partners"}, views)

			// ASN-9001 against the receipt that names it: announced 120 blue and 72 red, received 120 and
			// 70: accuracy 1 − 2/192 = 0.9896; the goods came on the 28th, well after ACME's 12 h lead.
			body, _ = json.Marshal(map[string]any{"query": `{ asnShipment(supplier: "acme", asnNumber: "ASN-9001") {
				arrivedAt promisedLeadHours late accuracy evidence } }`})
			var asnSLA struct {
				Data struct {
					Shipment struct {
						ArrivedAt         string   `json:"arrivedAt"`
						PromisedLeadHours int      `json:"promisedLeadHours"`
						Late              bool     `json:"late"`
						Accuracy          string   `json:"accuracy"`
						Evidence          []string `json:"evidence"`
					} `json:"asnShipment"`
				} `json:"data"`
			}
			require.Eventually(t, func() bool {
				r = h.do(http.MethodPost, "/graphql", "application/json", body, nil)
				require.NoError(t, json.Unmarshal(r.body, &asnSLA), string(r.body))
				return asnSLA.Data.Shipment.Accuracy != ""
			}, 30*time.Second, 100*time.Millisecond, "the SLA view did not catch up: %s", r.body)
			require.Equal(t, "0.9896", asnSLA.Data.Shipment.Accuracy)
			require.Equal(t, 12, asnSLA.Data.Shipment.PromisedLeadHours)
			require.False(t, asnSLA.Data.Shipment.Late)
			require.True(t, strings.HasPrefix(asnSLA.Data.Shipment.ArrivedAt, "2026-11-28"), asnSLA.Data.Shipment.ArrivedAt)
			require.Len(t, asnSLA.Data.Shipment.Evidence, 2, "the ASN and the receipt")

			// The carrier: PRO-777 delivered 2026-11-28 09:15 CT (15:15 UTC) against the ASN's expected
			// arrival (DTM*017, the 28th, recorded as its first instant, 00:00 UTC).
			body, _ = json.Marshal(map[string]any{"query": `{ carrierDelivery(trackingNumber: "PRO-777") {
				carrier promised promiseSource deliveredAt lateHours onTime } }`})
			r = h.do(http.MethodPost, "/graphql", "application/json", body, nil)
			var delivery struct {
				Data struct {
					Delivery map[string]any `json:"carrierDelivery"`
				} `json:"data"`
			}
			require.NoError(t, json.Unmarshal(r.body, &delivery), string(r.body))
			require.Equal(t, map[string]any{"carrier": "swiftline", "promised": "2026-11-28T00:00:00Z", "promiseSource": "asn",
				"deliveredAt": "2026-11-28T15:15:00Z", "lateHours": "15.25", "onTime": false}, delivery.Data.Delivery)

			// The hub's SLA watch raises the lateness as a breach, once, and the view shows it.
			body, _ = json.Marshal(map[string]any{"query": `{ carrierDelivery(trackingNumber: "PRO-777") { breachedAt evidence } }`})
			require.Eventually(t, func() bool {
				r = h.do(http.MethodPost, "/graphql", "application/json", body, nil)
				require.NoError(t, json.Unmarshal(r.body, &delivery), string(r.body))
				return delivery.Data.Delivery["breachedAt"] != nil
			}, 30*time.Second, 100*time.Millisecond, "no breach raised: %s", r.body)
			require.Len(t, delivery.Data.Delivery["evidence"], 3, "the ASN's promise, the delivered milestone and the breach")
			breaches := h.timeline("PRO-777")
			var raised int
			for _, e := range breaches.Data.Timeline.Edges {
				if e.Node.Type == "sla.breached.v1" {
					raised++
				}
			}
			require.Equal(t, 1, raised, "one breach in the timeline")
		})
	}
}
