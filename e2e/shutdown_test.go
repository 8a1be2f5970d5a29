package e2e

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// TestShutdownLosesNoAcknowledgedMessage sends SIGTERM while partners are posting ASNs: every ASN the hub
// answered 201 must be in the log when it starts again, and the hub must exit cleanly.
func TestShutdownLosesNoAcknowledgedMessage(t *testing.T) {
	dataDir := t.TempDir()
	h := startHub(t, "--data-dir", dataDir)
	raw, _ := sampleASN(t)
	var doc map[string]any
	require.NoError(t, json.Unmarshal(raw, &doc))

	type ack struct {
		asn    string
		events []string
	}
	var (
		mu    sync.Mutex
		acked []ack
		wg    sync.WaitGroup
		stop  = make(chan struct{})
	)
	client := &http.Client{Timeout: 10 * time.Second}
	for w := range 6 {
		wg.Go(func() {
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				asn := fmt.Sprintf("ASN-SHUT-%d-%d", w, i)
				mu.Lock() // doc is shared: marshal under the lock
				doc["asn_number"] = asn
				body, err := json.Marshal(doc)
				mu.Unlock()
				if err != nil {
					t.Error(err)
					return
				}
				req, err := http.NewRequest(http.MethodPost, h.url+"/api/v1/asn", bytes.NewReader(body))
				if err != nil {
					t.Error(err)
					return
				}
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set("Authorization", "Bearer e2e-secret")
				resp, err := client.Do(req)
				if err != nil {
					return // the hub stopped accepting: this one was never acknowledged
				}
				var answer struct {
					Events []string `json:"events"`
				}
				decodeErr := json.NewDecoder(resp.Body).Decode(&answer)
				resp.Body.Close()
				if resp.StatusCode == http.StatusCreated && decodeErr == nil {
					mu.Lock()
					acked = append(acked, ack{asn: asn, events: answer.Events})
					mu.Unlock()
				}
			}
		})
	}
	time.Sleep(700 * time.Millisecond)
	require.NoError(t, h.cmd.Process.Signal(syscall.SIGTERM))
	select {
	case err := <-h.done:
		require.NoError(t, err, "the hub exits 0 on SIGTERM")
		h.done <- err
	case <-time.After(30 * time.Second):
		t.Fatal("the hub did not stop within 30 s of SIGTERM")
	}
	close(stop)
	wg.Wait()
	require.NotEmpty(t, acked, "some ASNs were acknowledged before the signal")
	t.Logf("%d ASNs acknowledged before shutdown", len(acked))

	again := startHub(t, "--data-dir", dataDir)
	for _, a := range acked {
		var got timelineResult
		require.Eventually(t, func() bool {
			got = again.timeline(a.asn)
			return len(got.Data.Timeline.Edges) == len(a.events)
		}, 15*time.Second, 50*time.Millisecond, "acknowledged ASN %s is in the log", a.asn)
		require.Equal(t, a.events[0], got.Data.Timeline.Edges[0].Node.EventID)
	}
	again.stop()
}
