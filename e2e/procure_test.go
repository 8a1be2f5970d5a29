package e2e

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crossdock-hub/crossdock/adapters/edi/x12"
	"github.com/crossdock-hub/crossdock/adapters/edi/x12doc"
	"github.com/crossdock-hub/crossdock/domain/order"
)

// x12Interchange wraps one transaction set's segments (from ST's successor to SE's predecessor) in an
// interchange from sender to CROSSDOCK, counting SE01 itself.
func x12Interchange(sender, functionalID, control, set string, body ...string) []byte {
	segs := []string{
		fmt.Sprintf("ISA*00*          *00*          *ZZ*%-15s*ZZ*CROSSDOCK      *261127*0900*U*00401*%09s*0*P*>", sender, control),
		fmt.Sprintf("GS*%s*%s*CROSSDOCK*20261127*0900*%s*X*004010", functionalID, sender, control),
		"ST*" + set + "*0001",
	}
	segs = append(segs, body...)
	segs = append(segs, fmt.Sprintf("SE*%d*0001", len(body)+2), "GE*1*"+control, fmt.Sprintf("IEA*1*%09s", control))
	return []byte(strings.Join(segs, "~\n") + "~\n")
}

// partnersWith is the scenario's partners file with line added after the line after (an outbox
// channel after a partner's inbound one, a setting after its name).
func partnersWith(t *testing.T, after, line string) string {
	t.Helper()
	yaml := string(readTestdata(t, "partners.yaml"))
	require.Contains(t, yaml, after)
	yaml = strings.Replace(yaml, after, after+line, 1)
	path := filepath.Join(t.TempDir(), "partners.yaml")
	require.NoError(t, os.WriteFile(path, []byte(yaml), 0o600))
	return path
}

// Procure-to-pay on the simulated Odoo: a purchase order confirmed in Odoo goes to ACME as an 850 in its
// outbox, with ACME's item numbers; ACME acknowledges it (855) and ships (856); Northwind receives it short
// (944) while Odoo is down, and the receipt is booked in Odoo once it is back, with a backorder for the
// rest. Odoo then holds one validated receipt and one backorder, and the order's timeline shows every
// document and what Odoo answered.
func TestProcureToPay(t *testing.T) {
	sim := startOdooSim(t, "17")
	supplier := sim.create("res.partner", map[string]any{"name": "ACME Supply Co.", "ref": "acme"})
	blue := sim.create("product.product", map[string]any{"name": "Blue widget", "default_code": "WIDGET-BLUE"})
	red := sim.create("product.product", map[string]any{"name": "Red widget", "default_code": "WIDGET-RED"})
	po := sim.create("purchase.order", map[string]any{"partner_id": supplier, "order_line": []any{
		[]any{0, 0, map[string]any{"product_id": blue, "product_qty": 120, "price_unit": 8.5}},
		[]any{0, 0, map[string]any{"product_id": red, "product_qty": 72, "price_unit": 7}}}})
	sim.call("purchase.order", "button_confirm", []any{[]any{po}}, nil)

	outboxDir, dataDir := t.TempDir(), t.TempDir()
	h := startHubWith(t, scenarioEnv, "--data-dir", dataDir, "--partners", partnersWith(t, "      - {kind: http, format: x12, documents: [asn, invoice, order_ack]}\n",
		"      - {kind: outbox, format: x12, documents: [purchase_order], dir: "+outboxDir+"}\n"), "--odoo-url", sim.url, "--odoo-db", "odoo",
		"--odoo-user", "integration@example.com", "--odoo-key", sim.key, "--odoo-poll-interval", "200ms", "--odoo-breaker-cooldown", "1s",
		"--x12-sender", "ZZ:CROSSDOCK")

	// The confirmed order reaches ACME's outbox as an 850, once.
	var files []os.DirEntry
	require.Eventually(t, func() bool {
		files = visibleFiles(t, outboxDir)
		return len(files) > 0
	}, 30*time.Second, 100*time.Millisecond, "no 850 in the outbox")
	require.Len(t, files, 1)
	assert.True(t, strings.HasPrefix(files[0].Name(), "purchase_order_P00001_r1_"), files[0].Name())
	data, err := os.ReadFile(filepath.Join(outboxDir, files[0].Name()))
	require.NoError(t, err)
	f, err := x12.Parse(data)
	require.NoError(t, err)
	require.NoError(t, f.Err())
	assert.Equal(t, "ACMESUPPLY", f.Interchanges[0].ReceiverID)
	results := x12doc.Map(f, x12doc.Options{})
	require.Len(t, results, 1)
	require.Empty(t, results[0].Errors)
	sent := results[0].Document.(order.PurchaseOrder)
	assert.Equal(t, "P00001", sent.PONumber)
	require.Len(t, sent.Lines, 2)
	lines := map[string]string{}
	for _, l := range sent.Lines {
		lines[l.Item.PartnerItem] = l.Quantity.Amount.String() + " " + l.Quantity.Unit + " @ " + l.UnitPrice.Amount.String()
	}
	assert.Equal(t, map[string]string{"A-BLUE": "120 EA @ 8.5", "A-RED": "72 EA @ 7"}, lines)

	post := func(doc []byte, token string) {
		t.Helper()
		r := h.do(http.MethodPost, "/api/v1/documents", "application/edi-x12", doc, map[string]string{"Authorization": "Bearer " + token})
		require.Equal(t, http.StatusOK, r.status, string(r.body))
		require.Contains(t, string(r.body), `"status":"accepted"`, string(r.body))
	}
	// ACME acknowledges the order as sent, and ships it: 10 cases of blue and 6 of red.
	post(x12Interchange("ACMESUPPLY", "PR", "501", "855",
		"BAK*00*AC*P00001*20261126",
		"PO1*1*120*EA*8.50**VP*A-BLUE", "ACK*IA*120*EA",
		"PO1*2*72*EA*7.00**VP*A-RED", "ACK*IA*72*EA",
		"CTT*2"), acmeToken)
	asn := strings.Replace(string(readTestdata(t, "856_asn.x12")), "PRF*PO-7001~", "PRF*P00001~", 1)
	post([]byte(asn), acmeToken)

	// The partner SLA view measures ACME's acknowledgement from the 850 sent to the 855 recorded.
	require.Eventually(t, func() bool {
		body, _ := json.Marshal(map[string]any{"query": `{ orderLatency(partner: "acme", document: PURCHASE_ORDER) { sent answered late latencyHoursP50 } }`})
		r := h.do(http.MethodPost, "/graphql", "application/json", body, nil)
		require.Equal(t, http.StatusOK, r.status, string(r.body))
		var res struct {
			Data struct {
				W []struct {
					Sent, Answered, Late int
					P50                  *string `json:"latencyHoursP50"`
				} `json:"orderLatency"`
			} `json:"data"`
		}
		require.NoError(t, json.Unmarshal(r.body, &res), string(r.body))
		return len(res.Data.W) == 1 && res.Data.W[0].Sent == 1 && res.Data.W[0].Answered == 1 && res.Data.W[0].Late == 0 && res.Data.W[0].P50 != nil
	}, 30*time.Second, 100*time.Millisecond, "ACME's acknowledgement is not measured")

	// The ASN is announced on Odoo's receipt: the quantities coming, and the carrier's reference.
	announced := waitFor(t, h, "ASN-9001", "shipment.announced_in_odoo.v1")
	assert.Equal(t, "updated", announced["outcome"])
	assert.Equal(t, "WH/IN/00001", announced["picking"])
	assert.Equal(t, map[string]any{"WIDGET-BLUE": "120", "WIDGET-RED": "72"}, announced["expected"])
	var incoming []struct {
		Tracking any `json:"carrier_tracking_ref"`
	}
	require.NoError(t, json.Unmarshal(sim.call("stock.picking", "search_read", []any{[]any{[]any{"name", "=", "WH/IN/00001"}}},
		map[string]any{"fields": []string{"carrier_tracking_ref"}}), &incoming))
	require.Len(t, incoming, 1)
	assert.Equal(t, announced["tracking_ref"], incoming[0].Tracking)
	assert.NotEmpty(t, incoming[0].Tracking)

	// Northwind receives 120 blue and 70 red while Odoo is down: the booking waits for Odoo.
	sim.faults(`{"Down":true}`)
	receipt := strings.Replace(string(readTestdata(t, "944_receipt.x12")), "*PO-7001~", "*P00001~", 1)
	post([]byte(receipt), northwindToken)
	waitFor(t, h, "RCV-5001", "receipt.odoo_booking_deferred.v1")
	sim.faults(`{}`)

	var booked map[string]any
	require.Eventually(t, func() bool {
		for _, e := range h.timeline("RCV-5001").Data.Timeline.Edges {
			if e.Node.Type == "receipt.booked_in_odoo.v1" {
				require.NoError(t, json.Unmarshal([]byte(e.Node.Data), &booked))
				return true
			}
		}
		return false
	}, 60*time.Second, 100*time.Millisecond, "the receipt was not booked")
	assert.Equal(t, "validated", booked["outcome"])
	assert.Equal(t, "WH/IN/00001", booked["picking"])
	assert.Equal(t, "WH/IN/00002", booked["backorder"])
	// The receipt's timeline shows the wait for Odoo, then the booking.
	var receiptTypes []string
	for _, e := range h.timeline("RCV-5001").Data.Timeline.Edges {
		receiptTypes = append(receiptTypes, e.Node.Type)
	}
	assert.Equal(t, []string{"receipt.received.v1", "receipt.odoo_booking_deferred.v1", "receipt.booked_in_odoo.v1"},
		filterTypes(receiptTypes, "receipt."), "%v", receiptTypes)

	// Odoo holds one validated receipt and one backorder for the 2 red widgets short.
	var pickings []struct {
		Name  string `json:"name"`
		State string `json:"state"`
	}
	require.NoError(t, json.Unmarshal(sim.call("stock.picking", "search_read", []any{[]any{[]any{"picking_type_code", "=", "incoming"}}},
		map[string]any{"fields": []string{"name", "state"}, "order": "id asc"}), &pickings))
	require.Len(t, pickings, 2)
	assert.Equal(t, "done", pickings[0].State)
	assert.Equal(t, "assigned", pickings[1].State)
	var lines2 []struct {
		Product  []any   `json:"product_id"`
		Received float64 `json:"qty_received"`
	}
	require.NoError(t, json.Unmarshal(sim.call("purchase.order.line", "search_read", []any{[]any{[]any{"order_id", "=", po}}},
		map[string]any{"fields": []string{"product_id", "qty_received"}}), &lines2))
	got := map[string]float64{}
	for _, l := range lines2 {
		got[l.Product[1].(string)] = l.Received
	}
	assert.Equal(t, map[string]float64{"[WIDGET-BLUE] Blue widget": 120, "[WIDGET-RED] Red widget": 70}, got)

	// ACME invoices all it shipped: 72 red, of which Northwind received 70. The three-way match holds the
	// invoice (over-invoiced), so Odoo gets no bill, and the invoice's timeline says why.
	invoiceDoc := strings.Replace(string(readTestdata(t, "810_invoice.x12")), "**PO-7001~", "**P00001~", 1)
	post([]byte(invoiceDoc), acmeToken)
	held := waitFor(t, h, "INV-3001", "invoice.bill_held.v1")
	assert.Contains(t, fmt.Sprint(held["reasons"]), "over_invoiced")
	assert.Empty(t, bills(t, sim))

	// The 2 red widgets short arrive on the backorder: booked in Odoo, the invoice is matched, and its
	// draft bill is made from the order.
	rest := x12Interchange("NORTHWIND", "RE", "202", "944",
		"W17*F*20261130*RCV-5002*P00001", "N1*WH*NORTHWIND DALLAS*9*WH1", "W07*2*EA**VN*NW-RED", "W14*2")
	post(rest, northwindToken)
	billed := waitFor(t, h, "INV-3001", "invoice.billed_in_odoo.v1")
	assert.Equal(t, "created", billed["outcome"])
	assert.Equal(t, "draft", billed["state"])
	got2 := bills(t, sim)
	require.Len(t, got2, 1, "one bill")
	assert.Equal(t, "INV-3001", got2[0].Ref)
	assert.Equal(t, "P00001", got2[0].Origin)
	assert.Equal(t, "2026-11-29", got2[0].Date)
	assert.InDelta(t, 1524, got2[0].Total, 0.001, "120 × 8.50 + 72 × 7.00")

	// What Odoo did on its side comes back: the receipt validated there is on the order's timeline.
	done := waitFor(t, h, "P00001", "order.odoo_picking_done.v1")
	assert.Equal(t, "receipt", done["kind"])

	// The order's timeline: placed (from Odoo), sent to ACME, acknowledged.
	var types []string
	for _, e := range h.timeline("P00001").Data.Timeline.Edges {
		types = append(types, e.Node.Type)
	}
	assert.Contains(t, types, "order.placed.v1")
	assert.Contains(t, types, "order.sent.v1")
	assert.Contains(t, types, "order.acknowledged.v1")
	assert.Len(t, visibleFiles(t, outboxDir), 1, "the order was sent once")

	h.stop()
	out := redriveWritesNothing(t, sim, dataDir, 3)
	assert.Contains(t, out, "receipt RCV-5001 of northwind: already in Odoo, on WH/IN/00001 (the rest on WH/IN/00002)")
	assert.Contains(t, out, "receipt RCV-5002 of northwind: already in Odoo, on WH/IN/00002")
	assert.Contains(t, out, "invoice INV-3001 of acme for order P00001: already in Odoo, on account.move ")
}

// redriveWritesNothing re-drives the whole log of the stopped hub in dataDir against sim, dry first:
// both must find every one of docs documents in Odoo, and Odoo must hold the same records after. It
// answers the dry run's output.
func redriveWritesNothing(t *testing.T, sim *odooSim, dataDir string, docs int) string {
	t.Helper()
	records := func() string {
		var out []string
		for _, model := range []string{"purchase.order", "sale.order", "stock.picking", "stock.move", "account.move", "account.move.line", "ir.model.data"} {
			out = append(out, model+"="+string(sim.call(model, "search_count", []any{[]any{}}, nil)))
		}
		return strings.Join(out, " ")
	}
	before := records()
	redrive := []string{"odoo", "redrive", "--data-dir", dataDir, "--url", sim.url, "--db", "odoo", "--user", "integration@example.com",
		"--key", sim.key, "--since", "1970-01-01"}
	dry := string(crossdock(t, append(redrive, "--dry-run")...))
	assert.Contains(t, dry, fmt.Sprintf("%d document(s), %d already in Odoo: a re-drive would write nothing.", docs, docs), dry)
	real := string(crossdock(t, redrive...))
	assert.Contains(t, real, fmt.Sprintf("%d document(s): %d already in Odoo, 0 written, 0 refused", docs, docs), real)
	assert.Equal(t, before, records(), "the re-drive created nothing in Odoo")
	return dry
}

// waitFor waits for an event of type on the timeline of reference, and answers its data.
func waitFor(t *testing.T, h *hub, reference, eventType string) map[string]any {
	t.Helper()
	var data map[string]any
	require.Eventually(t, func() bool {
		for _, e := range h.timeline(reference).Data.Timeline.Edges {
			if e.Node.Type == eventType {
				require.NoError(t, json.Unmarshal([]byte(e.Node.Data), &data))
				return true
			}
		}
		return false
	}, 60*time.Second, 100*time.Millisecond, "no %s on the timeline of %s", eventType, reference)
	return data
}

type odooBill struct {
	Ref    any     `json:"ref"`
	Origin any     `json:"invoice_origin"`
	Date   any     `json:"invoice_date"`
	State  string  `json:"state"`
	Total  float64 `json:"amount_total"`
}

// bills are the vendor bills in the simulated Odoo.
func bills(t *testing.T, sim *odooSim) []odooBill {
	t.Helper()
	var out []odooBill
	require.NoError(t, json.Unmarshal(sim.call("account.move", "search_read", []any{[]any{[]any{"move_type", "=", "in_invoice"}}},
		map[string]any{"fields": []string{"ref", "invoice_origin", "invoice_date", "state", "amount_total"}}), &out))
	return out
}

// filterTypes keeps the event types with prefix, in order.
func filterTypes(types []string, prefix string) []string {
	var out []string
	for _, t := range types {
		if strings.HasPrefix(t, prefix) {
			out = append(out, t)
		}
	}
	return out
}

// Order-to-ship on the simulated Odoo: a sales order confirmed in Odoo goes to Northwind, the 3PL that
// ships from Odoo's warehouse WH, as a 940 in its outbox; Northwind ships all the blue and 2 of the 3 red
// (945) while Odoo is down; once Odoo is back the delivery is validated with the carrier's tracking
// number and a backorder for the rest; the carrier reports it delivered (214). Odoo holds one validated
// delivery, and the order's timeline shows the 940 sent, the 945, the wait for Odoo and the booking.
func TestOrderToShip(t *testing.T) {
	sim := startOdooSim(t, "19")
	customer := sim.create("res.partner", map[string]any{"name": "Bolt Retail", "ref": "BOLT"})
	blue := sim.create("product.product", map[string]any{"name": "Blue widget", "default_code": "WIDGET-BLUE"})
	red := sim.create("product.product", map[string]any{"name": "Red widget", "default_code": "WIDGET-RED"})
	so := sim.create("sale.order", map[string]any{"partner_id": customer, "client_order_ref": "BOLT-PO-9", "order_line": []any{
		[]any{0, 0, map[string]any{"product_id": blue, "product_uom_qty": 8, "price_unit": 9}},
		[]any{0, 0, map[string]any{"product_id": red, "product_uom_qty": 3, "price_unit": 7}}}})
	sim.call("sale.order", "action_confirm", []any{[]any{so}}, nil)

	outboxDir, dataDir := t.TempDir(), t.TempDir()
	h := startHubWith(t, scenarioEnv, "--data-dir", dataDir, "--partners",
		partnersWith(t, "      - {kind: http, format: x12, documents: [receipt, inventory_snapshot, ship_confirmation]}\n",
			"      - {kind: outbox, format: x12, documents: [warehouse_order], dir: "+outboxDir+"}\n"), "--odoo-url", sim.url, "--odoo-db", "odoo",
		"--odoo-user", "integration@example.com", "--odoo-key", sim.key, "--odoo-poll-interval", "200ms", "--odoo-breaker-cooldown", "1s",
		"--odoo-warehouse", "northwind=WH", "--odoo-levels-interval", "1h")

	// The confirmed sales order reaches Northwind's outbox as a 940, once, with Northwind's SKUs.
	var files []os.DirEntry
	require.Eventually(t, func() bool {
		files = visibleFiles(t, outboxDir)
		return len(files) > 0
	}, 30*time.Second, 100*time.Millisecond, "no 940 in the outbox")
	require.Len(t, files, 1)
	assert.True(t, strings.HasPrefix(files[0].Name(), "warehouse_order_S00001_r1_"), files[0].Name())
	data, err := os.ReadFile(filepath.Join(outboxDir, files[0].Name()))
	require.NoError(t, err)
	f, err := x12.Parse(data)
	require.NoError(t, err)
	require.NoError(t, f.Err())
	assert.Equal(t, "NORTHWIND", f.Interchanges[0].ReceiverID)
	tx := f.Interchanges[0].Groups[0].Transactions[0]
	assert.Equal(t, "940", tx.Code)
	doc := string(data)
	assert.Contains(t, doc, "W05*N*S00001*BOLT-PO-9~")
	assert.Contains(t, doc, "N1*ST*Bolt Retail*92*BOLT~")
	assert.Regexp(t, `W01\*8\*EA\*[^~]*VN\*NW-BLUE`, doc)
	assert.Regexp(t, `W01\*3\*EA\*[^~]*VN\*NW-RED`, doc)

	// The order is on record as sent before Northwind answers it; Northwind ships while Odoo is down.
	waitFor(t, h, "S00001", "order.sent.v1")
	sim.faults(`{"Down":true}`)
	shipped := x12Interchange("NORTHWIND", "SW", "301", "945",
		"W06*N*S00001*20261128*SHP-77", "N1*WH*NORTHWIND DALLAS*9*WH1", "N9*CN*1Z999AA10123456784", "G62*11*20261128*8*1530",
		"LX*1", "W12*CC*8*8*0*EA**VN*NW-BLUE", "LX*2", "W12*PR*3*2*1*EA**VN*NW-RED", "W03*10")
	r := h.do(http.MethodPost, "/api/v1/documents", "application/edi-x12", shipped, map[string]string{"Authorization": "Bearer " + northwindToken})
	require.Equal(t, http.StatusOK, r.status, string(r.body))
	waitFor(t, h, "S00001", "order.odoo_delivery_deferred.v1")
	sim.faults(`{}`)
	booked := waitFor(t, h, "S00001", "order.delivery_booked_in_odoo.v1")
	assert.Equal(t, "validated", booked["outcome"])
	assert.Equal(t, "WH/OUT/00001", booked["picking"])
	assert.Equal(t, "WH/OUT/00002", booked["backorder"])
	assert.Equal(t, "1Z999AA10123456784", booked["tracking_number"])

	var pickings []struct {
		Name     string `json:"name"`
		State    string `json:"state"`
		Tracking any    `json:"carrier_tracking_ref"`
	}
	require.NoError(t, json.Unmarshal(sim.call("stock.picking", "search_read", []any{[]any{[]any{"picking_type_code", "=", "outgoing"}}},
		map[string]any{"fields": []string{"name", "state", "carrier_tracking_ref"}, "order": "id asc"}), &pickings))
	require.Len(t, pickings, 2, "one delivery validated, one backorder")
	assert.Equal(t, "done", pickings[0].State)
	assert.Equal(t, "1Z999AA10123456784", pickings[0].Tracking)
	assert.NotEqual(t, "done", pickings[1].State)

	// The carrier delivers it.
	delivered := x12Interchange("SWIFTLINE", "QM", "401", "214",
		"B10*1Z999AA10123456784*SHP-77*SWFT", "L11*S00001*CO", "LX*1", "AT7*D1*NS***20261129*1015*CT", "MS1*AUSTIN*TX*US")
	r = h.do(http.MethodPost, "/api/v1/documents", "application/edi-x12", delivered, map[string]string{"Authorization": "Bearer " + swiftlineToken})
	require.Equal(t, http.StatusOK, r.status, string(r.body))
	require.Contains(t, string(r.body), `"status":"accepted"`, string(r.body))
	status := waitFor(t, h, "1Z999AA10123456784", "shipment.status_reported.v1")
	assert.Contains(t, fmt.Sprint(status), "delivered")

	// Odoo's side comes back too: the delivery validated there.
	done := waitFor(t, h, "S00001", "order.odoo_picking_done.v1")
	assert.Equal(t, "delivery", done["kind"])
	assert.Equal(t, "WH/OUT/00001", done["picking"])
	var types []string
	for _, e := range h.timeline("S00001").Data.Timeline.Edges {
		if e.Node.Type != "order.odoo_picking_done.v1" {
			types = append(types, e.Node.Type)
		}
	}
	assert.Equal(t, []string{"order.warehouse_order_placed.v1", "order.sent.v1", "order.shipped.v1", "order.odoo_delivery_deferred.v1",
		"order.delivery_booked_in_odoo.v1"}, filterTypes(types, "order."), "%v", types)
	assert.Len(t, visibleFiles(t, outboxDir), 1, "the order was sent once")

	h.stop()
	out := redriveWritesNothing(t, sim, dataDir, 1)
	assert.Contains(t, out, "shipment SHP-77 of northwind for order S00001: already in Odoo, on WH/OUT/00001 (the rest on WH/OUT/00002)")
}

// A warehouse whose policy is no backorders (backorders: close) has its short receipt close Odoo's
// picking short: no backorder is made.
func TestOdooBackorderPolicy(t *testing.T) {
	sim := startOdooSim(t, "16")
	supplier := sim.create("res.partner", map[string]any{"name": "ACME Supply Co.", "ref": "acme"})
	blue := sim.create("product.product", map[string]any{"name": "Blue widget", "default_code": "WIDGET-BLUE"})
	red := sim.create("product.product", map[string]any{"name": "Red widget", "default_code": "WIDGET-RED"})
	po := sim.create("purchase.order", map[string]any{"partner_id": supplier, "order_line": []any{
		[]any{0, 0, map[string]any{"product_id": blue, "product_qty": 120, "price_unit": 8.5}},
		[]any{0, 0, map[string]any{"product_id": red, "product_qty": 72, "price_unit": 7}}}})
	sim.call("purchase.order", "button_confirm", []any{[]any{po}}, nil)

	partners := partnersWith(t, "    name: Northwind Logistics\n", "    backorders: close\n")
	h := startHubWith(t, scenarioEnv, "--partners", partners, "--odoo-url", sim.url, "--odoo-db", "odoo",
		"--odoo-user", "integration@example.com", "--odoo-key", sim.key, "--odoo-poll-interval", "200ms")

	receipt := strings.Replace(string(readTestdata(t, "944_receipt.x12")), "*PO-7001~", "*P00001~", 1)
	r := h.do(http.MethodPost, "/api/v1/documents", "application/edi-x12", []byte(receipt), map[string]string{"Authorization": "Bearer " + northwindToken})
	require.Equal(t, http.StatusOK, r.status, string(r.body))
	booked := waitFor(t, h, "RCV-5001", "receipt.booked_in_odoo.v1")
	assert.Equal(t, "validated", booked["outcome"])
	assert.Equal(t, "WH/IN/00001", booked["picking"])
	assert.Nil(t, booked["backorder"], "no backorder")
	var pickings []struct {
		State string `json:"state"`
	}
	require.NoError(t, json.Unmarshal(sim.call("stock.picking", "search_read", []any{[]any{[]any{"picking_type_code", "=", "incoming"}}},
		map[string]any{"fields": []string{"state"}}), &pickings))
	require.Len(t, pickings, 1, "the receipt closed short")
	assert.Equal(t, "done", pickings[0].State)
}

// visibleFiles are the files of dir a partner's pick-up sees: not the outbox's dot-files being written.
func visibleFiles(t *testing.T, dir string) []os.DirEntry {
	t.Helper()
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	var out []os.DirEntry
	for _, e := range entries {
		if !strings.HasPrefix(e.Name(), ".") {
			out = append(out, e)
		}
	}
	return out
}
