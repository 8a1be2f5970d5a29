// Command fanoutbench measures how fast a view's change reaches many GraphQL subscribers, end to end:
//
//	go build -o bin/crossdock ./cmd/crossdock && go run ./bench/fanoutbench -bin bin/crossdock
//
// It starts `crossdock serve` (embedded store and bus), opens -subscribers WebSocket connections speaking
// graphql-transport-ws, each subscribed to purchaseOrderLineChanged, then places -changes purchase
// orders one after another over the admin API. For each order it times, per subscriber, from the moment
// the request is sent to the moment that subscriber receives the order's line: the document's whole way
// through ingest, the log, the three-way match projection, the change feed and the fan-out. It prints
// (progress on stderr):
//
//	subscription_fanout_ms=12.3       (p99 over every subscriber and change)
//	subscription_fanout_p50_ms=4.5
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/coder/websocket"
	"github.com/coder/websocket/wsjson"

	"github.com/crossdock-hub/crossdock/bench/internal/hubproc"
)

type config struct {
	bin         string
	subscribers int
	changes     int
}

func main() {
	var cfg config
	flag.StringVar(&cfg.bin, "bin", "bin/crossdock", "the crossdock binary to measure")
	flag.IntVar(&cfg.subscribers, "subscribers", 100, "WebSocket subscribers")
	flag.IntVar(&cfg.changes, "changes", 50, "changes measured (purchase orders placed one after another)")
	flag.Parse()
	logger := slog.New(slog.NewTextHandler(os.Stderr, nil))
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	p50, p99, err := run(ctx, cfg, logger)
	if err != nil {
		logger.Error("fanoutbench failed", "error", err)
		os.Exit(1)
	}
	fmt.Printf("subscription_fanout_ms=%.1f\nsubscription_fanout_p50_ms=%.1f\n", p99, p50)
}

const partnersYAML = `partners:
  - id: bench-supplier
    name: Bench Supplier
    roles: [supplier]
`

type wsMsg struct {
	Type    string          `json:"type"`
	ID      string          `json:"id,omitempty"`
	Payload json.RawMessage `json:"payload,omitempty"`
}

func run(ctx context.Context, cfg config, logger *slog.Logger) (p50, p99 float64, err error) {
	dir, err := hubproc.NewDir("fanoutbench-")
	if err != nil {
		return 0, 0, err
	}
	partners := filepath.Join(dir, "partners.yaml")
	if err := os.WriteFile(partners, []byte(partnersYAML), 0o600); err != nil {
		return 0, 0, err
	}
	admin := "bench-admin-" + hubproc.RandomHex(16)
	hub, err := hubproc.Start(ctx, cfg.bin, dir, []string{"--partners", partners}, []string{"CROSSDOCK_ADMIN_TOKEN=" + admin})
	if err != nil {
		return 0, 0, err
	}
	defer hub.Stop()

	// Every subscriber reports the instant it received each PO number.
	type arrival struct {
		po string
		at time.Time
	}
	arrivals := make(chan arrival, cfg.subscribers*cfg.changes)
	subCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	var wg sync.WaitGroup
	ready := make(chan error, cfg.subscribers)
	for range cfg.subscribers {
		wg.Go(func() {
			conn, err := subscribe(subCtx, hub.URL)
			ready <- err
			if err != nil {
				return
			}
			defer conn.CloseNow()
			for {
				var m wsMsg
				if err := wsjson.Read(subCtx, conn, &m); err != nil {
					return
				}
				at := time.Now()
				var body struct {
					Data struct {
						Line struct {
							PONumber string `json:"poNumber"`
						} `json:"purchaseOrderLineChanged"`
					} `json:"data"`
				}
				if m.Type == "next" && m.ID == "lines" && json.Unmarshal(m.Payload, &body) == nil {
					arrivals <- arrival{po: body.Data.Line.PONumber, at: at}
				}
			}
		})
	}
	for range cfg.subscribers {
		if err := <-ready; err != nil {
			return 0, 0, err
		}
	}
	logger.Info("subscribers ready, placing orders", "subscribers", cfg.subscribers, "changes", cfg.changes)

	var latencies []float64
	for i := range cfg.changes {
		po := fmt.Sprintf("FAN-%05d", i)
		sent := time.Now()
		if err := placeOrder(ctx, hub.URL, admin, po); err != nil {
			return 0, 0, err
		}
		got := 0
		timeout := time.After(30 * time.Second)
		for got < cfg.subscribers {
			select {
			case a := <-arrivals:
				if a.po == po {
					latencies = append(latencies, float64(a.at.Sub(sent).Microseconds())/1000)
					got++
				}
			case <-timeout:
				return 0, 0, fmt.Errorf("%s: %d of %d subscribers received it within 30s", po, got, cfg.subscribers)
			}
		}
	}
	cancel()
	wg.Wait()
	slices.Sort(latencies)
	return percentile(latencies, 0.50), percentile(latencies, 0.99), nil
}

// subscribe opens a WebSocket, acknowledges the connection and subscribes to every line change; it
// returns once the subscription is in place (a query sent after it is answered).
func subscribe(ctx context.Context, base string) (*websocket.Conn, error) {
	conn, resp, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(base, "http")+"/graphql",
		&websocket.DialOptions{Subprotocols: []string{"graphql-transport-ws"}})
	if err != nil {
		return nil, fmt.Errorf("dial: %w", err)
	}
	if resp.Body != nil {
		resp.Body.Close()
	}
	send := func(m wsMsg) error { return wsjson.Write(ctx, conn, m) }
	payload := func(q string) json.RawMessage { b, _ := json.Marshal(map[string]string{"query": q}); return b }
	if err := send(wsMsg{Type: "connection_init"}); err != nil {
		return nil, err
	}
	if err := send(wsMsg{Type: "subscribe", ID: "lines", Payload: payload(`subscription { purchaseOrderLineChanged { poNumber status } }`)}); err != nil {
		return nil, err
	}
	if err := send(wsMsg{Type: "subscribe", ID: "sync", Payload: payload(`{ timeline(first: 1) { pageInfo { hasNextPage } } }`)}); err != nil {
		return nil, err
	}
	for {
		var m wsMsg
		if err := wsjson.Read(ctx, conn, &m); err != nil {
			return nil, fmt.Errorf("subscribe: %w", err)
		}
		if m.Type == "complete" && m.ID == "sync" {
			return conn, nil
		}
	}
}

func placeOrder(ctx context.Context, base, token, po string) error {
	body, _ := json.Marshal(map[string]any{
		"po_number": po, "order_date": "2026-11-26T00:00:00Z", "supplier": "bench-supplier", "currency": "USD",
		"lines": []map[string]any{{"line_number": "1", "item": map[string]string{"product": "WIDGET"},
			"quantity": map[string]string{"amount": "10", "unit": "EA"}, "unit_price": map[string]string{"amount": "2.50", "currency": "USD"}}},
	})
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, base+"/api/v1/admin/orders", bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusCreated {
		msg, _ := io.ReadAll(resp.Body)
		return errors.New("place " + po + ": " + resp.Status + ": " + string(msg))
	}
	return nil
}

// percentile is the nearest-rank percentile of sorted values.
func percentile(sorted []float64, p float64) float64 {
	if len(sorted) == 0 {
		return 0
	}
	i := int(float64(len(sorted))*p+0.5) - 1
	return sorted[min(max(i, 0), len(sorted)-1)]
}
