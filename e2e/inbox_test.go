package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// TestInboxTakesCompleteFilesOnly drops files in a running hub's inbox: a file still being written (its
// temporary name) is left alone; once renamed complete it is archived, answered in out/ with its 997, and
// only then removed; the same interchange dropped again records nothing new.
func TestInboxTakesCompleteFilesOnly(t *testing.T) {
	inbox := t.TempDir()
	h := startHubWith(t, scenarioEnv, "--partners", "testdata/partners.yaml", "--inbox", inbox, "--inbox-interval", "100ms")
	dir := filepath.Join(inbox, "acme")
	require.NoError(t, os.MkdirAll(dir, 0o750))

	body := readTestdata(t, "856_asn.x12")
	partial := filepath.Join(dir, "asn.x12.part")
	require.NoError(t, os.WriteFile(partial, body[:len(body)/2], 0o640))
	time.Sleep(1500 * time.Millisecond)
	_, err := os.Stat(partial)
	require.NoError(t, err, "a .part file is never taken")
	require.NoFileExists(t, filepath.Join(dir, "out", "asn.x12.part.json"))

	// The writer finishes and renames: the complete file is taken.
	require.NoError(t, os.WriteFile(partial, body, 0o640))
	final := filepath.Join(dir, "asn.x12")
	require.NoError(t, os.Rename(partial, final))
	answer := filepath.Join(dir, "out", "asn.x12.json")
	require.Eventually(t, func() bool {
		_, err := os.Stat(final)
		return os.IsNotExist(err)
	}, 15*time.Second, 50*time.Millisecond, "the complete file is taken and removed")
	got, err := os.ReadFile(answer)
	require.NoError(t, err, "the answer is written before the file is removed")
	require.Contains(t, string(got), `"status":"accepted"`)
	ack, err := os.ReadFile(filepath.Join(dir, "out", "asn.x12.997"))
	require.NoError(t, err)
	require.Contains(t, string(ack), "AK5*A")

	// The same interchange again, under another name: recognised, nothing recorded twice.
	require.NoError(t, os.WriteFile(filepath.Join(dir, "asn-again.x12"), body, 0o640))
	again := filepath.Join(dir, "out", "asn-again.x12.json")
	require.Eventually(t, func() bool {
		_, err := os.Stat(again)
		return err == nil
	}, 15*time.Second, 50*time.Millisecond)
	require.Eventually(t, func() bool {
		return len(h.timeline("ASN-9001").Data.Timeline.Edges) >= 1
	}, 15*time.Second, 100*time.Millisecond)
	var asnEvents int
	for _, e := range h.timeline("ASN-9001").Data.Timeline.Edges {
		if strings.HasPrefix(e.Node.Type, "shipment.asn_") {
			asnEvents++
		}
	}
	require.Equal(t, 1, asnEvents)
}
