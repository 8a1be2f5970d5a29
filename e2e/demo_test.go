package e2e

import (
	"encoding/json"
	"net/http"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// crossdock demo fills the views on its own: within two cycles of simulated traffic the three-way match
// holds matched invoices whose bills Odoo has, the divergence view compares Northwind's stock with
// Odoo's, and the order's timeline shows the 850 sent and the receipt booked. It stops cleanly on
// SIGTERM and leaves no data behind.
func TestDemo(t *testing.T) {
	addr := freeAddr(t)
	cmd := exec.Command(binary(t), "demo", "--addr", addr, "--interval", "300ms")
	cmd.Env = cleanEnv()
	logs := &lockedBuffer{}
	cmd.Stdout, cmd.Stderr = logs, logs
	require.NoError(t, cmd.Start())
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		<-done
		if t.Failed() {
			t.Logf("demo output:\n%s", logs.String())
		}
	})
	require.Eventually(t, func() bool { return strings.Contains(logs.String(), "cycle 3: Northwind reported its stock (846)") },
		90*time.Second, 100*time.Millisecond, "the demo did not reach its third cycle")
	h := &hub{t: t, url: "http://" + addr, logs: logs}

	graphql := func(query string, into any) {
		t.Helper()
		body, _ := json.Marshal(map[string]any{"query": query})
		r := h.do(http.MethodPost, "/graphql", "application/json", body, nil)
		require.Equal(t, http.StatusOK, r.status, string(r.body))
		require.NoError(t, json.Unmarshal(r.body, into), string(r.body))
	}
	var invoices struct {
		Data struct {
			M struct {
				Edges []struct {
					Node struct {
						InvoiceNumber, Status string
					} `json:"node"`
				} `json:"edges"`
			} `json:"invoiceMatches"`
		} `json:"data"`
	}
	require.Eventually(t, func() bool {
		graphql(`{ invoiceMatches(first: 50) { edges { node { invoiceNumber status } } } }`, &invoices)
		status := map[string]string{}
		for _, e := range invoices.Data.M.Edges {
			status[e.Node.InvoiceNumber] = e.Node.Status
		}
		return status["INV-1"] == "matched" && status["INV-2"] == "matched"
	}, 30*time.Second, 200*time.Millisecond, "INV-1 and INV-2 are not matched: %+v", &invoices)
	billed := waitFor(t, h, "INV-1", "invoice.billed_in_odoo.v1")
	assert.Equal(t, "created", billed["outcome"])

	var positions struct {
		Data struct {
			P struct {
				Edges []struct {
					Node map[string]any `json:"node"`
				} `json:"edges"`
			} `json:"inventoryPositions"`
		} `json:"data"`
	}
	require.Eventually(t, func() bool {
		graphql(`{ inventoryPositions(warehouse: "northwind") { edges { node { product wmsOnHand odooOnHand status } } } }`, &positions)
		for _, e := range positions.Data.P.Edges {
			if e.Node["product"] == "WIDGET-BLUE" && e.Node["wmsOnHand"] != nil && e.Node["odooOnHand"] != nil {
				return true
			}
		}
		return false
	}, 30*time.Second, 200*time.Millisecond, "no WIDGET-BLUE position with both sides")

	for _, typ := range []string{"order.placed.v1", "order.sent.v1", "order.acknowledged.v1"} {
		waitFor(t, h, "P00001", typ)
	}
	waitFor(t, h, "RCV-1", "receipt.booked_in_odoo.v1")

	require.NoError(t, cmd.Process.Signal(syscall.SIGTERM))
	select {
	case err := <-done:
		require.NoError(t, err, "the demo exits 0 on SIGTERM")
		done <- err
	case <-time.After(30 * time.Second):
		t.Fatal("the demo did not stop within 30 s of SIGTERM")
	}
	out := logs.String()
	i := strings.Index(out, "data in ")
	require.Positive(t, i)
	dir := strings.TrimSpace(strings.SplitN(out[i+len("data in "):], "\n", 2)[0])
	_, err := exec.Command("test", "-e", dir).CombinedOutput()
	assert.Error(t, err, "the demo's data directory %s is removed", dir)
}
