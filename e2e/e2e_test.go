// Package e2e drives the built crossdock binary from the outside, as a partner and an analyst would.
package e2e

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/crossdock-hub/crossdock/internal/testdb"
)

var (
	buildOnce sync.Once
	binPath   string
	buildErr  error
)

// binary builds cmd/crossdock once per test run.
func binary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "crossdock-e2e-")
		if err != nil {
			buildErr = err
			return
		}
		binPath = filepath.Join(dir, "crossdock")
		args := []string{"build", "-o", binPath}
		if os.Getenv("CROSSDOCK_E2E_RACE") == "1" {
			args = append(args, "-race")
		}
		cmd := exec.Command("go", append(args, "../cmd/crossdock")...)
		out, err := cmd.CombinedOutput()
		if err != nil {
			buildErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	require.NoError(t, buildErr)
	return binPath
}

// hub is a running crossdock serve process.
type hub struct {
	t    *testing.T
	url  string
	cmd  *exec.Cmd
	logs *lockedBuffer
	done chan error
}

func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := l.Addr().String()
	require.NoError(t, l.Close())
	return addr
}

func startHub(t *testing.T, extraArgs ...string) *hub {
	t.Helper()
	return startHubWith(t, nil, extraArgs...)
}

// startHubWith starts a hub with extra CROSSDOCK_* variables in its environment. Without a --data-dir
// the hub gets a temporary one (it keeps its seal key there, even on PostgreSQL).
func startHubWith(t *testing.T, env []string, extraArgs ...string) *hub {
	t.Helper()
	addr := freeAddr(t)
	args := append([]string{"serve", "--addr", addr, "--partner-token", "acme:e2e-secret", "--log-format", "json"}, extraArgs...)
	if !slices.Contains(extraArgs, "--data-dir") {
		args = append(args, "--data-dir", t.TempDir())
	}
	cmd := exec.Command(binary(t), args...)
	cmd.Env = append(cleanEnv(), env...)
	logs := &lockedBuffer{}
	cmd.Stdout, cmd.Stderr = logs, logs
	require.NoError(t, cmd.Start())
	h := &hub{t: t, url: "http://" + addr, cmd: cmd, logs: logs, done: make(chan error, 1)}
	go func() { h.done <- cmd.Wait() }()
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		<-h.done
		if t.Failed() {
			t.Logf("hub output:\n%s", logs.String())
		}
	})
	h.waitReady()
	return h
}

// cleanEnv keeps the test's CROSSDOCK_* settings from leaking into the hub under test.
func cleanEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "CROSSDOCK_") {
			env = append(env, kv)
		}
	}
	return env
}

func (h *hub) waitReady() {
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case err := <-h.done:
			h.t.Fatalf("hub exited before ready: %v\n%s", err, h.logs.String())
		default:
		}
		resp, err := http.Get(h.url + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	h.t.Fatalf("hub not ready within 60 s\n%s", h.logs.String())
}

// stop sends SIGTERM and waits for a clean exit.
func (h *hub) stop() {
	require.NoError(h.t, h.cmd.Process.Signal(syscall.SIGTERM))
	select {
	case err := <-h.done:
		require.NoError(h.t, err, "hub must exit 0 on SIGTERM")
		h.done <- err // for the cleanup's receive
	case <-time.After(20 * time.Second):
		h.t.Fatalf("hub did not stop within 20 s of SIGTERM")
	}
}

type response struct {
	status int
	header http.Header
	body   []byte
}

func (h *hub) do(method, path, contentType string, body []byte, header map[string]string) response {
	h.t.Helper()
	req, err := http.NewRequest(method, h.url+path, bytes.NewReader(body))
	require.NoError(h.t, err)
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(h.t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(h.t, err)
	return response{status: resp.StatusCode, header: resp.Header, body: b}
}

type timelineResult struct {
	Data struct {
		Timeline struct {
			Edges []struct {
				Node struct {
					EventID    string `json:"eventId"`
					StreamID   string `json:"streamId"`
					Type       string `json:"type"`
					MessageID  string `json:"messageId"`
					PartnerID  string `json:"partnerId"`
					OccurredAt string `json:"occurredAt"`
					Data       string `json:"data"`
					References []struct {
						Kind  string `json:"kind"`
						Value string `json:"value"`
					} `json:"references"`
				} `json:"node"`
			} `json:"edges"`
		} `json:"timeline"`
	} `json:"data"`
	Errors []json.RawMessage `json:"errors"`
}

func (h *hub) timeline(reference string) timelineResult {
	h.t.Helper()
	q := map[string]any{
		"query": `query($ref: String) { timeline(reference: $ref, first: 100) { edges { node {
			eventId streamId type messageId partnerId occurredAt data references { kind value } } } } }`,
		"variables": map[string]any{"ref": reference},
	}
	body, err := json.Marshal(q)
	require.NoError(h.t, err)
	r := h.do(http.MethodPost, "/graphql", "application/json", body, nil)
	require.Equal(h.t, http.StatusOK, r.status, string(r.body))
	var out timelineResult
	require.NoError(h.t, json.Unmarshal(r.body, &out), string(r.body))
	require.Empty(h.t, out.Errors, string(r.body))
	return out
}

type matchLine struct {
	LineNumber   string   `json:"lineNumber"`
	Product      string   `json:"product"`
	Unit         string   `json:"unit"`
	Ordered      string   `json:"ordered"`
	POPrice      string   `json:"poPrice"`
	Received     string   `json:"received"`
	Invoiced     string   `json:"invoiced"`
	InvoicePrice string   `json:"invoicePrice"`
	Status       string   `json:"status"`
	Issues       []string `json:"issues"`
	AtRisk       string   `json:"atRisk"`
}

type matchResult struct {
	Data struct {
		Lines struct {
			Edges []struct {
				Node struct {
					matchLine
					Evidence []string `json:"evidence"`
				} `json:"node"`
			} `json:"edges"`
		} `json:"purchaseOrderLines"`
		Invoices struct {
			Edges []struct {
				Node struct {
					InvoiceNumber string   `json:"invoiceNumber"`
					Status        string   `json:"status"`
					AtRisk        string   `json:"atRisk"`
					Reasons       []string `json:"reasons"`
				} `json:"node"`
			} `json:"edges"`
		} `json:"invoiceMatches"`
	} `json:"data"`
	Errors []json.RawMessage `json:"errors"`
}

// match reads a purchase order's three-way match over GraphQL.
func (h *hub) match(po string) matchResult {
	h.t.Helper()
	q := map[string]any{
		"query": `query($po: String) {
			purchaseOrderLines(poNumber: $po) { edges { node { lineNumber product unit ordered poPrice received invoiced
				invoicePrice status issues atRisk evidence } } }
			invoiceMatches(poNumber: $po) { edges { node { invoiceNumber status atRisk reasons } } } }`,
		"variables": map[string]any{"po": po},
	}
	body, err := json.Marshal(q)
	require.NoError(h.t, err)
	r := h.do(http.MethodPost, "/graphql", "application/json", body, nil)
	require.Equal(h.t, http.StatusOK, r.status, string(r.body))
	var out matchResult
	require.NoError(h.t, json.Unmarshal(r.body, &out), string(r.body))
	require.Empty(h.t, out.Errors, string(r.body))
	return out
}

type asnSample struct {
	ASNNumber      string `json:"asn_number"`
	PONumber       string `json:"po_number"`
	TrackingNumber string `json:"tracking_number"`
}

func sampleASN(t *testing.T) ([]byte, asnSample) {
	t.Helper()
	raw, err := os.ReadFile("../adapters/ingest/testdata/asn.json")
	require.NoError(t, err)
	var s asnSample
	require.NoError(t, json.Unmarshal(raw, &s))
	require.NotEmpty(t, s.ASNNumber)
	return raw, s
}

// TestASNTwiceOneSetOfEvents is the walking skeleton: a partner posts the same ASN twice over HTTP and
// the GraphQL timeline shows exactly one set of events, on the embedded store and on PostgreSQL.
func TestASNTwiceOneSetOfEvents(t *testing.T) {
	backends := map[string]func(t *testing.T) []string{
		"sqlite": func(t *testing.T) []string { return []string{"--data-dir", t.TempDir()} },
		"postgres": func(t *testing.T) []string {
			return []string{"--database-url", testdb.PostgresSchemaURL(t)}
		},
	}
	for name, args := range backends {
		t.Run(name, func(t *testing.T) {
			h := startHub(t, args(t)...)
			raw, asn := sampleASN(t)
			auth := map[string]string{"Authorization": "Bearer e2e-secret"}

			first := h.do(http.MethodPost, "/api/v1/asn", "application/json", raw, auth)
			require.Equal(t, http.StatusCreated, first.status, string(first.body))
			second := h.do(http.MethodPost, "/api/v1/asn", "application/json", raw, auth)
			require.Equal(t, first.status, second.status)
			require.JSONEq(t, string(first.body), string(second.body), "a repeat gets the original answer")
			require.Equal(t, "true", second.header.Get("Crossdock-Duplicate"))

			var answer struct {
				StreamID string   `json:"stream_id"`
				Events   []string `json:"events"`
			}
			require.NoError(t, json.Unmarshal(first.body, &answer))
			require.NotEmpty(t, answer.Events)

			// The timeline is a projection: wait until it has caught up with the ASN's events.
			var tl timelineResult
			require.Eventually(t, func() bool {
				tl = h.timeline(asn.ASNNumber)
				return len(tl.Data.Timeline.Edges) >= len(answer.Events)
			}, 15*time.Second, 100*time.Millisecond)

			got := map[string]int{}
			for _, e := range tl.Data.Timeline.Edges {
				got[e.Node.EventID]++
				require.Equal(t, answer.StreamID, e.Node.StreamID)
				require.Equal(t, "acme", e.Node.PartnerID)
				require.Equal(t, "shipment.asn_received.v1", e.Node.Type)
				require.Contains(t, e.Node.Data, asn.ASNNumber)
			}
			require.Len(t, tl.Data.Timeline.Edges, len(answer.Events), "exactly one set of events")
			for _, id := range answer.Events {
				require.Equal(t, 1, got[id], "event %s once", id)
			}
			// The same events are found by PO number and by tracking number.
			require.Len(t, h.timeline(asn.PONumber).Data.Timeline.Edges, len(answer.Events))
			if asn.TrackingNumber != "" {
				require.Len(t, h.timeline(asn.TrackingNumber).Data.Timeline.Edges, len(answer.Events))
			}

			// Bad input: a problem+json naming the field.
			bad := h.do(http.MethodPost, "/api/v1/asn", "application/json",
				[]byte(`{"asn_number":"","lines":[]}`), auth)
			require.Equal(t, http.StatusUnprocessableEntity, bad.status, string(bad.body))
			require.Equal(t, "application/problem+json", strings.Split(bad.header.Get("Content-Type"), ";")[0])
			require.Contains(t, string(bad.body), "/asn_number")

			h.stop()
		})
	}
}

var absoluteURL = regexp.MustCompile(`(?i)(src|href)\s*=\s*["']?(https?:)?//`)

// TestGraphiQLOffline checks that the GraphiQL page and everything it loads come from the hub itself.
func TestGraphiQLOffline(t *testing.T) {
	h := startHub(t, "--data-dir", t.TempDir())
	page := h.do(http.MethodGet, "/graphql", "", nil, map[string]string{"Accept": "text/html"})
	require.Equal(t, http.StatusOK, page.status)
	require.Contains(t, page.header.Get("Content-Type"), "text/html")
	require.NotRegexp(t, absoluteURL, string(page.body), "the page must load nothing from another host")

	refs := regexp.MustCompile(`(?:src|href)="([^"]+)"`).FindAllStringSubmatch(string(page.body), -1)
	if _, err := os.Stat("../adapters/httpapi/graphiql/dist/graphiql.min.js"); err != nil {
		t.Skip("GraphiQL bundle not built (make assets): only the fallback page was checked")
	}
	require.NotEmpty(t, refs, "the GraphiQL page loads its scripts")
	for _, m := range refs {
		base, err := url.Parse(h.url + "/graphql")
		require.NoError(t, err)
		ref, err := base.Parse(m[1])
		require.NoError(t, err)
		require.Equal(t, base.Host, ref.Host, "asset %s is served by the hub", m[1])
		r := h.do(http.MethodGet, ref.RequestURI(), "", nil, nil)
		require.Equal(t, http.StatusOK, r.status, "asset %s", ref)
		require.NotEmpty(t, r.body, "asset %s", ref)
	}
}

type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
