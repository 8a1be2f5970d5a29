package e2e

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"os/exec"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// odooSim is `crossdock odoo simulate` running as its own process.
type odooSim struct {
	t   *testing.T
	url string
	key string
}

func startOdooSim(t *testing.T, version string) *odooSim {
	t.Helper()
	addr := freeAddr(t)
	cmd := exec.Command(binary(t), "odoo", "simulate", "--listen", addr, "--version", version, "--faults-endpoint")
	cmd.Env = cleanEnv()
	logs := &lockedBuffer{}
	cmd.Stdout, cmd.Stderr = logs, logs
	require.NoError(t, cmd.Start())
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		<-done
	})
	require.Eventually(t, func() bool { return strings.Contains(logs.String(), "API key ") }, 30*time.Second, 20*time.Millisecond)
	line := logs.String()
	key := strings.TrimSpace(line[strings.Index(line, "API key ")+len("API key "):])
	return &odooSim{t: t, url: "http://" + addr, key: key}
}

// faults sets the simulator's faults, e.g. `{"Down":true}`, `{}` to clear.
func (s *odooSim) faults(f string) {
	s.t.Helper()
	resp, err := http.Post(s.url+"/__sim/faults", "application/json", strings.NewReader(f))
	require.NoError(s.t, err)
	resp.Body.Close()
	require.Equal(s.t, http.StatusNoContent, resp.StatusCode)
}

// call is execute_kw over JSON-RPC, as Odoo's own clients send it.
func (s *odooSim) call(model, method string, args []any, kwargs map[string]any) json.RawMessage {
	s.t.Helper()
	if kwargs == nil {
		kwargs = map[string]any{}
	}
	body, _ := json.Marshal(map[string]any{"jsonrpc": "2.0", "method": "call", "id": 1, "params": map[string]any{
		"service": "object", "method": "execute_kw", "args": []any{"odoo", 2, s.key, model, method, args, kwargs}}})
	resp, err := http.Post(s.url+"/jsonrpc", "application/json", bytes.NewReader(body))
	require.NoError(s.t, err)
	defer resp.Body.Close()
	var answer struct {
		Result json.RawMessage `json:"result"`
		Error  any             `json:"error"`
	}
	require.NoError(s.t, json.NewDecoder(resp.Body).Decode(&answer))
	require.Nil(s.t, answer.Error, "%s.%s", model, method)
	return answer.Result
}

func (s *odooSim) create(model string, vals map[string]any) int64 {
	var id int64
	require.NoError(s.t, json.Unmarshal(s.call(model, "create", []any{vals}, nil), &id))
	return id
}

// A hub given an Odoo takes a confirmed purchase order as soon as Odoo's webhook names it, and reads a
// mapped warehouse's stock levels on its own clock: the three-way match shows the order's lines, the
// divergence view Odoo's figure, and a changed level shows at the next reading. `odoo check` passes
// against the same Odoo.
func TestOdooCaptureFeedsTheViews(t *testing.T) {
	const hookSecret = "e2e-odoo-webhook-secret-0123456789abcdef"
	sim := startOdooSim(t, "19")
	out := crossdock(t, "odoo", "check", "--url", sim.url, "--db", "odoo", "--user", "integration@example.com", "--key", sim.key)
	require.Contains(t, string(out), "Everything the connector needs is there.")

	var whs []struct {
		Stock []any `json:"lot_stock_id"`
	}
	require.NoError(t, json.Unmarshal(sim.call("stock.warehouse", "search_read", []any{[]any{[]any{"code", "=", "WH"}}},
		map[string]any{"fields": []string{"lot_stock_id"}}), &whs))
	require.Len(t, whs, 1)
	stock := whs[0].Stock[0]
	blue := sim.create("product.product", map[string]any{"name": "Blue widget", "default_code": "WIDGET-BLUE"})
	quant := sim.create("stock.quant", map[string]any{"product_id": blue, "location_id": stock, "quantity": 120})
	supplier := sim.create("res.partner", map[string]any{"name": "Acme Supply", "ref": "acme"})
	po := sim.create("purchase.order", map[string]any{"partner_id": supplier, "order_line": []any{
		[]any{0, 0, map[string]any{"product_id": blue, "product_qty": 60, "price_unit": 4.25}}}})

	h := startHub(t, "--odoo-url", sim.url, "--odoo-db", "odoo", "--odoo-user", "integration@example.com",
		"--odoo-key", sim.key, "--odoo-warehouse", "acme=WH", "--odoo-levels-interval", "200ms", "--odoo-poll-interval", "1h",
		"--odoo-webhook-secret", hookSecret)
	assert.Contains(t, h.logs.String(), "orders, pickings, bills and products every 1h0m0s, stock levels of acme every 200ms")
	assert.Contains(t, h.logs.String(), "/api/v1/odoo/webhook?secret=...")
	assert.NotContains(t, h.logs.String(), hookSecret)

	// The draft is not an order yet. Confirmed in Odoo, whose automation rule notifies the hub, it
	// reaches the three-way match without waiting for the hourly poll.
	time.Sleep(300 * time.Millisecond)
	assert.Empty(t, h.match("P00001").Data.Lines.Edges)
	sim.call("purchase.order", "button_confirm", []any{[]any{po}}, nil)
	r := h.do(http.MethodPost, "/api/v1/odoo/webhook?secret="+hookSecret, "application/json",
		[]byte(fmt.Sprintf(`{"_action":"Notify Crossdock(#4)","_id":%d,"_model":"purchase.order","id":%d,"state":"purchase"}`, po, po)), nil)
	require.Equal(t, http.StatusAccepted, r.status, string(r.body))
	require.Eventually(t, func() bool { return len(h.match("P00001").Data.Lines.Edges) == 1 }, 30*time.Second, 100*time.Millisecond)
	line := h.match("P00001").Data.Lines.Edges[0].Node
	assert.Equal(t, "WIDGET-BLUE", line.Product)
	assert.Equal(t, "60", line.Ordered)
	assert.Equal(t, "EA", line.Unit)
	assert.Equal(t, "4.25", line.POPrice)
	assert.Equal(t, "awaiting_receipt", line.Status)

	odooOnHand := func() any {
		body, _ := json.Marshal(map[string]any{"query": `{ inventoryPositions(warehouse: "acme") { edges { node { product odooOnHand status } } } }`})
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
			if e.Node["product"] == "WIDGET-BLUE" {
				return e.Node["odooOnHand"]
			}
		}
		return nil
	}
	require.Eventually(t, func() bool { return odooOnHand() == "120" }, 30*time.Second, 100*time.Millisecond)
	sim.call("stock.quant", "write", []any{[]any{quant}, map[string]any{"quantity": 96}}, nil)
	require.Eventually(t, func() bool { return odooOnHand() == "96" }, 30*time.Second, 100*time.Millisecond)
}

// A warehouse's 944 books the receipt on Odoo's incoming picking: the moves get the quantities received,
// the picking is validated with a backorder for the rest, and the receipt's timeline shows what Odoo was
// told and answered. Odoo is down when the 944 arrives: the receipt waits, and is booked once, when
// Odoo is back.
func TestOdooReceiptWorkflow(t *testing.T) {
	sim := startOdooSim(t, "17")
	supplier := sim.create("res.partner", map[string]any{"name": "Acme Supply", "ref": "acme"})
	blue := sim.create("product.product", map[string]any{"name": "Blue widget", "default_code": "WIDGET-BLUE"})
	red := sim.create("product.product", map[string]any{"name": "Red widget", "default_code": "WIDGET-RED"})
	po := sim.create("purchase.order", map[string]any{"partner_id": supplier, "order_line": []any{
		[]any{0, 0, map[string]any{"product_id": blue, "product_qty": 200, "price_unit": 4.25}},
		[]any{0, 0, map[string]any{"product_id": red, "product_qty": 100, "price_unit": 3}}}})
	sim.call("purchase.order", "button_confirm", []any{[]any{po}}, nil)

	dataDir := t.TempDir()
	hubArgs := []string{"--data-dir", dataDir, "--partners", "testdata/partners.yaml", "--odoo-url", sim.url, "--odoo-db", "odoo",
		"--odoo-user", "integration@example.com", "--odoo-key", sim.key, "--odoo-poll-interval", "200ms", "--odoo-breaker-cooldown", "1s"}
	h := startHubWith(t, scenarioEnv, hubArgs...)

	received := func() map[string]float64 {
		var lines []struct {
			Product  []any   `json:"product_id"`
			Received float64 `json:"qty_received"`
		}
		require.NoError(t, json.Unmarshal(sim.call("purchase.order.line", "search_read", []any{[]any{[]any{"order_id", "=", po}}},
			map[string]any{"fields": []string{"product_id", "qty_received"}}), &lines))
		out := map[string]float64{}
		for _, l := range lines {
			out[l.Product[1].(string)] = l.Received
		}
		return out
	}

	booked := func() []map[string]any {
		var out []map[string]any
		for _, e := range h.timeline("RCV-5001").Data.Timeline.Edges {
			if e.Node.Type == "receipt.booked_in_odoo.v1" {
				var d map[string]any
				require.NoError(t, json.Unmarshal([]byte(e.Node.Data), &d))
				out = append(out, d)
			}
		}
		return out
	}
	// The 944 names Odoo's purchase order P00001. Odoo is down when it arrives: the hub takes it all the
	// same, and the booking waits.
	sim.faults(`{"Down":true}`)
	edi := strings.Replace(string(readTestdata(t, "944_receipt.x12")), "*PO-7001~", "*P00001~", 1)
	r := h.do(http.MethodPost, "/api/v1/documents", "application/edi-x12", []byte(edi),
		map[string]string{"Authorization": "Bearer " + northwindToken})
	require.Equal(t, http.StatusOK, r.status, string(r.body))
	waitFor(t, h, "RCV-5001", "receipt.odoo_booking_deferred.v1") // the workflow waits for Odoo
	assert.Empty(t, booked(), "nothing is booked while Odoo is down")
	ready := h.do(http.MethodGet, "/readyz", "", nil, nil)
	assert.Equal(t, http.StatusOK, ready.status, "a workflow waiting for Odoo leaves the hub ready: %s", ready.body)
	sim.faults(`{}`)

	require.Eventually(t, func() bool { return len(booked()) >= 1 }, 60*time.Second, 100*time.Millisecond, "the receipt was not booked")
	time.Sleep(500 * time.Millisecond)
	require.Len(t, booked(), 1, "booked once")
	b := booked()[0]
	assert.Equal(t, "validated", b["outcome"])
	assert.Equal(t, "WH/IN/00001", b["picking"])
	assert.Equal(t, "WH/IN/00002", b["backorder"])
	assert.Equal(t, "P00001", b["po_number"])
	got := received()
	assert.InDelta(t, 120, got["[WIDGET-BLUE] Blue widget"], 0.001, "%v", got)
	assert.InDelta(t, 70, got["[WIDGET-RED] Red widget"], 0.001, "%v", got)

	// A re-drive of the whole history against the same Odoo writes nothing new, to Odoo or to the log,
	// and its dry run says so first.
	timelineBefore := len(h.timeline("RCV-5001").Data.Timeline.Edges)
	odooRecords := func() string {
		var out []string
		for _, model := range []string{"stock.picking", "stock.move", "ir.model.data", "purchase.order"} {
			out = append(out, model+"="+string(sim.call(model, "search_count", []any{[]any{}}, nil)))
		}
		return strings.Join(out, " ")
	}
	recordsBefore := odooRecords()
	h.stop()
	redrive := []string{"odoo", "redrive", "--data-dir", dataDir, "--url", sim.url, "--db", "odoo", "--user", "integration@example.com",
		"--key", sim.key, "--since", "1970-01-01"}
	dry := string(crossdock(t, append(redrive, "--dry-run")...))
	assert.Contains(t, dry, "receipt RCV-5001 of northwind: already in Odoo, on WH/IN/00001 (the rest on WH/IN/00002)")
	assert.Contains(t, dry, "1 document(s), 1 already in Odoo: a re-drive would write nothing.")
	real := string(crossdock(t, redrive...))
	assert.Contains(t, real, "1 document(s): 1 already in Odoo, 0 written, 0 refused")
	assert.Equal(t, recordsBefore, odooRecords(), "the re-drive created nothing in Odoo")
	h = startHubWith(t, scenarioEnv, hubArgs...)
	assert.Len(t, h.timeline("RCV-5001").Data.Timeline.Edges, timelineBefore, "the re-drive recorded nothing new")
	assert.Len(t, booked(), 1)
}

// A warehouse's 945 for a sales order validates the order's delivery in Odoo with the carrier's
// tracking number and a backorder for what was not shipped; the order's timeline shows it.
func TestOdooShipmentWorkflow(t *testing.T) {
	sim := startOdooSim(t, "19")
	customer := sim.create("res.partner", map[string]any{"name": "Bolt Retail"})
	blue := sim.create("product.product", map[string]any{"name": "Blue widget", "default_code": "WIDGET-BLUE"})
	red := sim.create("product.product", map[string]any{"name": "Red widget", "default_code": "WIDGET-RED"})
	so := sim.create("sale.order", map[string]any{"partner_id": customer, "order_line": []any{
		[]any{0, 0, map[string]any{"product_id": blue, "product_uom_qty": 8, "price_unit": 9}},
		[]any{0, 0, map[string]any{"product_id": red, "product_uom_qty": 3, "price_unit": 7}}}})
	sim.call("sale.order", "action_confirm", []any{[]any{so}}, nil)

	h := startHubWith(t, scenarioEnv, "--partners", "testdata/partners.yaml", "--odoo-url", sim.url, "--odoo-db", "odoo",
		"--odoo-user", "integration@example.com", "--odoo-key", sim.key, "--odoo-poll-interval", "1h")

	// Northwind shipped all the blue and 2 of the 3 red for warehouse order S00001 (Odoo's sales order).
	edi := strings.Join([]string{
		"ISA*00*          *00*          *ZZ*NORTHWIND      *ZZ*CROSSDOCK      *261128*1600*U*00401*000000301*0*P*>",
		"GS*SW*NORTHWIND*CROSSDOCK*20261128*1600*301*X*004010",
		"ST*945*0001",
		"W06*N*S00001*20261128*SHP-77",
		"N1*WH*NORTHWIND DALLAS*9*WH1",
		"N9*CN*1Z999AA10123456784",
		"G62*11*20261128*8*1530",
		"LX*1",
		"W12*CC*8*8*0*EA**VN*NW-BLUE",
		"LX*2",
		"W12*PR*3*2*1*EA**VN*NW-RED",
		"W03*10",
		"SE*11*0001",
		"GE*1*301",
		"IEA*1*000000301",
	}, "~\n") + "~\n"
	r := h.do(http.MethodPost, "/api/v1/documents", "application/edi-x12", []byte(edi),
		map[string]string{"Authorization": "Bearer " + northwindToken})
	require.Equal(t, http.StatusOK, r.status, string(r.body))
	require.Contains(t, string(r.body), `"status":"accepted"`)

	var booked map[string]any
	require.Eventually(t, func() bool {
		for _, e := range h.timeline("S00001").Data.Timeline.Edges {
			if e.Node.Type == "order.delivery_booked_in_odoo.v1" {
				require.NoError(t, json.Unmarshal([]byte(e.Node.Data), &booked))
				return true
			}
		}
		return false
	}, 30*time.Second, 100*time.Millisecond, "the shipment was not booked")
	assert.Equal(t, "validated", booked["outcome"])
	assert.Equal(t, "WH/OUT/00001", booked["picking"])
	assert.Equal(t, "WH/OUT/00002", booked["backorder"])
	assert.Equal(t, "1Z999AA10123456784", booked["tracking_number"])

	var pickings []struct {
		Name     string `json:"name"`
		State    string `json:"state"`
		Tracking any    `json:"carrier_tracking_ref"`
	}
	require.NoError(t, json.Unmarshal(sim.call("stock.picking", "search_read", []any{[]any{[]any{"name", "=", "WH/OUT/00001"}}},
		map[string]any{"fields": []string{"name", "state", "carrier_tracking_ref"}}), &pickings))
	require.Len(t, pickings, 1)
	assert.Equal(t, "done", pickings[0].State)
	assert.Equal(t, "1Z999AA10123456784", pickings[0].Tracking)
	var lines []struct {
		Product   []any   `json:"product_id"`
		Delivered float64 `json:"qty_delivered"`
	}
	require.NoError(t, json.Unmarshal(sim.call("sale.order.line", "search_read", []any{[]any{[]any{"order_id", "=", so}}},
		map[string]any{"fields": []string{"product_id", "qty_delivered"}}), &lines))
	got := map[string]float64{}
	for _, l := range lines {
		got[l.Product[1].(string)] = l.Delivered
	}
	assert.InDelta(t, 8, got["[WIDGET-BLUE] Blue widget"], 0.001, "%v", got)
	assert.InDelta(t, 2, got["[WIDGET-RED] Red widget"], 0.001, "%v", got)
}

// A receipt Odoo cannot take (its order is not in Odoo yet) is a dead letter an engineer sees over
// GraphQL with Odoo's reason; once the order is in Odoo, retrying it books the receipt and clears it.
func TestOdooDeadLetterRetried(t *testing.T) {
	sim := startOdooSim(t, "17")
	h := startHubWith(t, scenarioEnv, "--partners", "testdata/partners.yaml", "--odoo-url", sim.url, "--odoo-db", "odoo",
		"--odoo-user", "integration@example.com", "--odoo-key", sim.key, "--odoo-poll-interval", "1h")
	gql := func(query string, vars map[string]any) map[string]any {
		body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
		r := h.do(http.MethodPost, "/graphql", "application/json", body, nil)
		require.Equal(t, http.StatusOK, r.status, string(r.body))
		var out map[string]any
		require.NoError(t, json.Unmarshal(r.body, &out))
		require.Nil(t, out["errors"], string(r.body))
		return out["data"].(map[string]any)
	}
	failures := func() []any {
		f, _ := gql(`{ odooFailures { eventId kind document partner reason } }`, nil)["odooFailures"].([]any)
		return f
	}

	edi := strings.Replace(string(readTestdata(t, "944_receipt.x12")), "*PO-7001~", "*P00001~", 1)
	r := h.do(http.MethodPost, "/api/v1/documents", "application/edi-x12", []byte(edi),
		map[string]string{"Authorization": "Bearer " + northwindToken})
	require.Equal(t, http.StatusOK, r.status, string(r.body))
	require.Eventually(t, func() bool { return len(failures()) == 1 }, 30*time.Second, 100*time.Millisecond, "no dead letter")
	f := failures()[0].(map[string]any)
	assert.Equal(t, "receipt", f["kind"])
	assert.Equal(t, "RCV-5001", f["document"])
	assert.Equal(t, "northwind", f["partner"])
	assert.Contains(t, f["reason"], "no purchase.order P00001 in Odoo")

	// The buyer confirms the order in Odoo; the engineer retries.
	supplier := sim.create("res.partner", map[string]any{"name": "Acme Supply", "ref": "acme"})
	blue := sim.create("product.product", map[string]any{"name": "Blue widget", "default_code": "WIDGET-BLUE"})
	red := sim.create("product.product", map[string]any{"name": "Red widget", "default_code": "WIDGET-RED"})
	po := sim.create("purchase.order", map[string]any{"partner_id": supplier, "order_line": []any{
		[]any{0, 0, map[string]any{"product_id": blue, "product_qty": 120, "price_unit": 4.25}},
		[]any{0, 0, map[string]any{"product_id": red, "product_qty": 70, "price_unit": 3}}}})
	sim.call("purchase.order", "button_confirm", []any{[]any{po}}, nil)
	out := gql(`mutation($id: String!) { retryOdooFailure(eventId: $id) }`, map[string]any{"id": f["eventId"]})
	assert.Equal(t, true, out["retryOdooFailure"])
	require.Eventually(t, func() bool { return len(failures()) == 0 }, 30*time.Second, 100*time.Millisecond, "the dead letter stays")

	// (Crossdock had not seen P00001 placed either: the receipt's exception says so.) The timeline is a
	// view of its own, which may reach the booking a moment after the dead letters do.
	want := []string{"receipt.received.v1", "receipt.exception_raised.v1", "receipt.odoo_booking_failed.v1", "receipt.booked_in_odoo.v1"}
	var types []string
	require.Eventually(t, func() bool {
		types = nil
		for _, e := range h.timeline("RCV-5001").Data.Timeline.Edges {
			types = append(types, e.Node.Type)
		}
		return slices.Equal(want, types)
	}, 30*time.Second, 100*time.Millisecond, "timeline %v", &types)
}
