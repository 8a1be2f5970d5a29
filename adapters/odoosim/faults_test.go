package odoosim

import (
	"bytes"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// get fetches a path and returns status, content type and body.
func get(t *testing.T, url string) (int, string, string) {
	t.Helper()
	resp, err := http.Get(url)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, resp.Header.Get("Content-Type"), string(b)
}

// postRPC posts a raw JSON-RPC body and returns the status and content type.
func postRPC(t *testing.T, url, body string) (int, string) {
	t.Helper()
	resp, err := http.Post(url+"/jsonrpc", "application/json", bytes.NewReader([]byte(body)))
	require.NoError(t, err)
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, resp.Body)
	return resp.StatusCode, resp.Header.Get("Content-Type")
}

func TestLatency(t *testing.T) {
	t.Parallel()
	sim, url := start(t, Config{})
	sim.SetFaults(Faults{Latency: 60 * time.Millisecond})
	began := time.Now()
	status, _, _ := get(t, url+"/web/version")
	assert.Equal(t, http.StatusOK, status)
	assert.GreaterOrEqual(t, time.Since(began), 60*time.Millisecond)
}

// 502s answered in front of Odoo, then success; the counter counts down.
func TestServerErrors(t *testing.T) {
	t.Parallel()
	sim, url := start(t, Config{})
	c := newRPC(t, url)
	sim.SetFaults(Faults{ServerErrors: 2})
	const version = `{"jsonrpc":"2.0","method":"call","params":{"service":"common","method":"version","args":[]},"id":1}`
	for range 2 {
		status, ct := postRPC(t, url, version)
		assert.Equal(t, http.StatusBadGateway, status)
		assert.Equal(t, "text/html; charset=utf-8", ct)
	}
	assert.Equal(t, 0, sim.Faults().ServerErrors)
	assert.Equal(t, "17.0", c.ok(c.post("common", "version")).(map[string]any)["server_version"])
	calls := sim.Calls()
	require.Len(t, calls, 3)
	for i, want := range []int{502, 502, 200} {
		assert.Equal(t, CallRecord{Protocol: "jsonrpc", Method: "common.version", At: calls[i].At, HTTPStatus: want}, calls[i])
	}
}

// Serialization failures: the call fails as Odoo's exhausted retries do, changes nothing, then works.
func TestSerializationFailures(t *testing.T) {
	t.Parallel()
	for _, json2 := range []bool{false, true} {
		sim, url := start(t, Config{Version: 19})
		var c client = newRPC(t, url)
		if json2 {
			c = newJSON2(t, url)
		}
		p := create(t, c, "res.partner", map[string]any{"name": "A"})
		before, _ := sim.Read("res.partner", p)
		sim.SetFaults(Faults{SerializationFailures: 2})
		for range 2 {
			e := c.fail("res.partner", "write", []int64{p}, map[string]any{"vals": map[string]any{"name": "B"}})
			assert.Equal(t, nameSerialization, e.Name)
			assert.Equal(t, "could not serialize access due to concurrent update", e.Message)
			if json2 {
				assert.Equal(t, http.StatusInternalServerError, e.HTTPStatus)
			} else {
				assert.Equal(t, 0.0, e.Code)
			}
			after, _ := sim.Read("res.partner", p)
			assert.Equal(t, before, after, "nothing changed")
		}
		assert.Equal(t, true, c.call("res.partner", "write", []int64{p}, map[string]any{"vals": map[string]any{"name": "B"}}))
		after, _ := sim.Read("res.partner", p)
		assert.Equal(t, "B", after["name"])
		calls := sim.Calls()
		assert.Equal(t, nameSerialization, calls[len(calls)-2].Error)
		assert.Equal(t, "", calls[len(calls)-1].Error)
		assert.Equal(t, "write", calls[len(calls)-1].Method)
		assert.Equal(t, "res.partner", calls[len(calls)-1].Model)
	}
}

// Down answers 503 to everything until cleared.
func TestDown(t *testing.T) {
	t.Parallel()
	sim, url := start(t, Config{Version: 19})
	sim.SetFaults(Faults{Down: true})
	status, ct, body := get(t, url+"/web/version")
	assert.Equal(t, http.StatusServiceUnavailable, status)
	assert.Equal(t, "text/html; charset=utf-8", ct)
	assert.True(t, strings.Contains(body, "503 Service Unavailable"))
	status, _ = postRPC(t, url, `{}`)
	assert.Equal(t, http.StatusServiceUnavailable, status)
	status, hdr, _ := newJSON2(t, url).do("res.partner", "search", []byte(`{}`), nil)
	assert.Equal(t, http.StatusServiceUnavailable, status)
	assert.Equal(t, "text/html; charset=utf-8", hdr.Get("Content-Type"))
	assert.True(t, sim.Faults().Down)

	sim.SetFaults(Faults{})
	status, _, _ = get(t, url+"/web/version")
	assert.Equal(t, http.StatusOK, status)
	last := sim.Calls()[len(sim.Calls())-1]
	assert.Equal(t, CallRecord{Protocol: "json2", Model: "res.partner", Method: "search", At: last.At, HTTPStatus: 503}, last)
}
