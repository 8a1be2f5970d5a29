package e2e

import (
	"encoding/json"
	"net/http"
	"os/exec"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// crossdock runs an operator command of the built binary and returns its standard output.
func crossdock(t *testing.T, args ...string) []byte {
	t.Helper()
	cmd := exec.Command(binary(t), args...)
	cmd.Env = cleanEnv()
	var stderr lockedBuffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	require.NoError(t, err, "crossdock %v\nstderr:\n%s", args, stderr.String())
	return out
}

type projectionStatus struct {
	Name       string
	State      string
	Generation int
	Lag        uint64
}

func projectionStatuses(t *testing.T, args ...string) map[string]projectionStatus {
	t.Helper()
	var list []projectionStatus
	out := crossdock(t, append([]string{"projections", "status", "--json"}, args...)...)
	require.NoError(t, json.Unmarshal(out, &list), string(out))
	byName := map[string]projectionStatus{}
	for _, s := range list {
		byName[s.Name] = s
	}
	return byName
}

// TestRebuildBesideARunningHub rebuilds the timeline with the CLI while a hub serves the same data: the
// hub keeps answering, switches to the new generation, and shows the same events afterwards.
func TestRebuildBesideARunningHub(t *testing.T) {
	dataDir := t.TempDir()
	h := startHub(t, "--data-dir", dataDir)
	raw, asn := sampleASN(t)
	r := h.do(http.MethodPost, "/api/v1/asn", "application/json", raw, map[string]string{"Authorization": "Bearer e2e-secret"})
	require.Equal(t, http.StatusCreated, r.status, string(r.body))
	require.Eventually(t, func() bool { return len(h.timeline(asn.ASNNumber).Data.Timeline.Edges) == 1 },
		15*time.Second, 100*time.Millisecond)

	before := projectionStatuses(t, "--data-dir", dataDir)
	require.Equal(t, 1, before["timeline"].Generation)
	require.Equal(t, "live", before["timeline"].State)

	out := crossdock(t, "projections", "rebuild", "timeline", "--data-dir", dataDir)
	require.Contains(t, string(out), "projection timeline rebuilt")

	after := projectionStatuses(t, "--data-dir", dataDir)
	require.Equal(t, 2, after["timeline"].Generation, "the rebuilt generation serves")
	require.Zero(t, after["timeline"].Lag)

	// The running hub serves the new generation: the same single event, found by every reference.
	for _, ref := range []string{asn.ASNNumber, asn.PONumber, asn.TrackingNumber} {
		require.Len(t, h.timeline(ref).Data.Timeline.Edges, 1, "reference %s", ref)
	}
	// And keeps projecting into it: a revision of the ASN shows up beside the first event.
	var doc map[string]any
	require.NoError(t, json.Unmarshal(raw, &doc))
	doc["lines"].([]any)[0].(map[string]any)["quantity"] = "30"
	revised, err := json.Marshal(doc)
	require.NoError(t, err)
	r = h.do(http.MethodPost, "/api/v1/asn", "application/json", revised, map[string]string{"Authorization": "Bearer e2e-secret"})
	require.Equal(t, http.StatusOK, r.status, string(r.body))
	require.Eventually(t, func() bool { return len(h.timeline(asn.ASNNumber).Data.Timeline.Edges) == 2 },
		15*time.Second, 100*time.Millisecond)
	edges := h.timeline(asn.ASNNumber).Data.Timeline.Edges
	require.Equal(t, "shipment.asn_revised.v1", edges[1].Node.Type)
	require.Contains(t, edges[1].Node.Data, `"quantity":"30"`)
	h.stop()
}

// TestMigrateIsRepeatable: migrate prepares a fresh database and is a no-op the second time.
func TestMigrateIsRepeatable(t *testing.T) {
	dataDir := t.TempDir()
	first := crossdock(t, "migrate", "--data-dir", dataDir)
	require.Contains(t, string(first), "is up to date")
	crossdock(t, "migrate", "--data-dir", dataDir)
	st := projectionStatuses(t, "--data-dir", dataDir)
	require.Equal(t, 1, st["timeline"].Generation)
	require.Zero(t, st["timeline"].Lag)
}
