package inbox_test

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crossdock-hub/crossdock/adapters/archive"
	"github.com/crossdock-hub/crossdock/adapters/edi/edifact"
	"github.com/crossdock-hub/crossdock/adapters/edi/x12"
	"github.com/crossdock-hub/crossdock/adapters/inbound"
	"github.com/crossdock-hub/crossdock/adapters/inbox"
	"github.com/crossdock-hub/crossdock/adapters/ingest"
	"github.com/crossdock-hub/crossdock/commands"
	"github.com/crossdock-hub/crossdock/domain"
	"github.com/crossdock-hub/crossdock/domain/shipment"
	"github.com/crossdock-hub/crossdock/eventstore"
	"github.com/crossdock-hub/crossdock/eventstore/sqlite"
	"github.com/crossdock-hub/crossdock/internal/fixtures"
	"github.com/crossdock-hub/crossdock/internal/testdb"
)

// t0 is the fake clock's start; files are dated relative to it.
var t0 = time.Date(2026, 3, 9, 8, 0, 0, 0, time.UTC)

const minAge = 5 * time.Second

type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// submitter records what it is given and answers with a fixed outcome, or fails.
type submitter struct {
	mu     sync.Mutex
	got    []ingest.Submission
	err    error
	answer ingest.Outcome
}

func (s *submitter) Submit(_ context.Context, sub ingest.Submission) (ingest.Outcome, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.err != nil {
		return ingest.Outcome{}, s.err
	}
	s.got = append(s.got, sub)
	return s.answer, nil
}

func (s *submitter) submissions() []ingest.Submission {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]ingest.Submission(nil), s.got...)
}

func (s *submitter) fail(err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.err = err
}

func newWatcher(t *testing.T, sub inbox.Submitter, c *clock) (*inbox.Watcher, string) {
	t.Helper()
	dir := t.TempDir()
	w, err := inbox.New(sub, inbox.Config{Dir: dir, MinAge: minAge, Now: c.Now})
	require.NoError(t, err)
	return w, dir
}

// drop writes a partner's file dated at mtime.
func drop(t *testing.T, dir, partner, name string, body []byte, mtime time.Time) string {
	t.Helper()
	require.NoError(t, os.MkdirAll(filepath.Join(dir, partner), 0o750))
	path := filepath.Join(dir, partner, name)
	require.NoError(t, os.WriteFile(path, body, 0o640))
	require.NoError(t, os.Chtimes(path, mtime, mtime))
	return path
}

func scan(t *testing.T, w *inbox.Watcher) int {
	t.Helper()
	n, err := w.Scan(t.Context())
	require.NoError(t, err)
	return n
}

func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

// acceptedAnswer is an outcome whose JSON answer carries a 997.
func acceptedAnswer(ack string) ingest.Outcome {
	body, _ := json.Marshal(map[string]any{"message_id": "m-1", "status": "accepted", "acknowledgment": ack})
	return ingest.Outcome{MessageID: "m-1", Status: archive.Accepted,
		Answer: archive.Answer{Status: 200, ContentType: "application/json", Body: body}}
}

func TestNewValidates(t *testing.T) {
	t.Parallel()
	_, err := inbox.New(&submitter{}, inbox.Config{Interval: -time.Second})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "inbox directory is required")
	assert.Contains(t, err.Error(), "must not be negative")
	_, err = inbox.New(nil, inbox.Config{Dir: t.TempDir()})
	require.ErrorContains(t, err, "nil submitter")
}

func TestScanTakesACompleteFileOnceAndAnswersBesideIt(t *testing.T) {
	t.Parallel()
	c := &clock{now: t0}
	sub := &submitter{answer: acceptedAnswer("ISA*00*...~")}
	w, dir := newWatcher(t, sub, c)
	body := []byte("ISA*00*complete~")
	path := drop(t, dir, "acme", "asn-1001.x12", body, t0.Add(-time.Minute))

	assert.Equal(t, 0, scan(t, w), "a file is first only sighted")
	assert.True(t, exists(path))
	assert.Empty(t, sub.submissions())

	assert.Equal(t, 1, scan(t, w), "unchanged since the last scan and old enough: taken")
	assert.False(t, exists(path), "removed once archived")
	assert.Equal(t, []ingest.Submission{{
		PartnerID: "acme", Channel: "inbox", ContentType: "application/edi-x12", Body: body, Actor: "inbox:acme",
	}}, sub.submissions())

	out := filepath.Join(dir, "acme", inbox.OutDir)
	answer, err := os.ReadFile(filepath.Join(out, "asn-1001.x12.json"))
	require.NoError(t, err)
	assert.Equal(t, sub.answer.Answer.Body, answer)
	ack, err := os.ReadFile(filepath.Join(out, "asn-1001.x12.997"))
	require.NoError(t, err)
	assert.Equal(t, "ISA*00*...~", string(ack))
	entries, err := os.ReadDir(out)
	require.NoError(t, err)
	assert.Len(t, entries, 2, "nothing half-written is left in the out directory")

	assert.Equal(t, 0, scan(t, w), "the answers are not taken as messages")
	assert.Len(t, sub.submissions(), 1)
}

func TestScanWaitsForAFileToSettle(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		// age is how old the file is at the first scan.
		age time.Duration
		// between changes the file (or the clock) after each of the first scans; the file is taken at
		// the scan named by takenAt (1-based).
		between func(t *testing.T, path string, c *clock, scan int)
		takenAt int
	}{
		{
			name: "still growing", age: time.Hour,
			between: func(t *testing.T, path string, c *clock, scan int) {
				if scan > 2 {
					return
				}
				f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
				require.NoError(t, err)
				_, err = f.WriteString("SEG*more~")
				require.NoError(t, err)
				require.NoError(t, f.Close())
				old := t0.Add(-time.Hour) // the size alone tells it is being written
				require.NoError(t, os.Chtimes(path, old, old))
			},
			takenAt: 4,
		},
		{
			name: "rewritten in place, same size", age: time.Hour,
			between: func(t *testing.T, path string, c *clock, scan int) {
				if scan > 1 {
					return
				}
				require.NoError(t, os.WriteFile(path, []byte("ISA*00*WRITTEN~"), 0o640))
				mtime := t0.Add(-30 * time.Minute)
				require.NoError(t, os.Chtimes(path, mtime, mtime))
			},
			takenAt: 3,
		},
		{
			name: "modified too recently", age: time.Second,
			between: func(t *testing.T, path string, c *clock, scan int) {
				c.advance(2 * time.Second) // 1s old at the first scan, 5s old at the third
			},
			takenAt: 3,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := &clock{now: t0}
			sub := &submitter{answer: acceptedAnswer("")}
			w, dir := newWatcher(t, sub, c)
			path := drop(t, dir, "acme", "asn.x12", []byte("ISA*00*written~"), t0.Add(-tt.age))
			for i := 1; i < tt.takenAt; i++ {
				require.Equal(t, 0, scan(t, w), "scan %d", i)
				require.True(t, exists(path), "scan %d", i)
				require.Empty(t, sub.submissions(), "scan %d", i)
				tt.between(t, path, c, i)
			}
			final, err := os.ReadFile(path)
			require.NoError(t, err)
			require.Equal(t, 1, scan(t, w), "scan %d", tt.takenAt)
			assert.False(t, exists(path))
			got := sub.submissions()
			require.Len(t, got, 1)
			assert.Equal(t, final, got[0].Body, "the file as it was once it settled")
			assert.True(t, exists(filepath.Join(dir, "acme", inbox.OutDir, "asn.x12.json")))
		})
	}
}

func TestScanNeverTakesPartialOrHiddenFiles(t *testing.T) {
	t.Parallel()
	c := &clock{now: t0}
	sub := &submitter{answer: acceptedAnswer("")}
	w, dir := newWatcher(t, sub, c)
	old := t0.Add(-time.Hour)
	var paths []string
	for _, name := range []string{"asn.x12.part", "ASN.X12.PART", "asn.tmp", "asn.partial", "asn.filepart", ".asn.x12", "~asn.x12"} {
		paths = append(paths, drop(t, dir, "acme", name, []byte("ISA*00*half~"), old))
	}
	paths = append(paths, drop(t, dir, ".hidden-partner", "asn.x12", []byte("ISA~"), old))
	paths = append(paths, drop(t, dir, filepath.Join("acme", "archive"), "asn.x12", []byte("ISA~"), old))
	for i := range 3 {
		assert.Equal(t, 0, scan(t, w), "scan %d", i+1)
		c.advance(time.Minute)
	}
	assert.Empty(t, sub.submissions())
	for _, p := range paths {
		assert.True(t, exists(p), p)
	}

	// The upload completes: renamed to its final name, it is taken like any file.
	final := filepath.Join(dir, "acme", "asn.x12")
	require.NoError(t, os.Rename(paths[0], final))
	assert.Equal(t, 0, scan(t, w))
	assert.Equal(t, 1, scan(t, w))
	assert.False(t, exists(final))
}

func TestScanLeavesTheFileWhenItCannotBeArchived(t *testing.T) {
	t.Parallel()
	c := &clock{now: t0}
	sub := &submitter{answer: acceptedAnswer("")}
	sub.fail(errors.New("archive unavailable"))
	w, dir := newWatcher(t, sub, c)
	path := drop(t, dir, "acme", "asn.x12", []byte("ISA*00*x~"), t0.Add(-time.Hour))

	assert.Equal(t, 0, scan(t, w))
	n, err := w.Scan(t.Context())
	assert.Equal(t, 0, n)
	require.Error(t, err)
	assert.Contains(t, err.Error(), path)
	assert.Contains(t, err.Error(), "archive unavailable")
	assert.True(t, exists(path), "a file leaves the inbox only once archived")
	assert.False(t, exists(filepath.Join(dir, "acme", inbox.OutDir, "asn.x12.json")))

	// Once the archive is back, the next scan takes it.
	sub.fail(nil)
	assert.Equal(t, 1, scan(t, w))
	assert.False(t, exists(path))
	assert.Len(t, sub.submissions(), 1)
}

func TestRunScansUntilCancelled(t *testing.T) {
	t.Parallel()
	sub := &submitter{answer: acceptedAnswer("")}
	dir := t.TempDir()
	w, err := inbox.New(sub, inbox.Config{Dir: dir, Interval: time.Millisecond, MinAge: time.Nanosecond})
	require.NoError(t, err)
	path := drop(t, dir, "acme", "asn.x12", []byte("ISA*00*x~"), time.Now().Add(-time.Hour))
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- w.Run(ctx) }()
	require.Eventually(t, func() bool { return !exists(path) }, 10*time.Second, time.Millisecond)
	cancel()
	require.NoError(t, <-done)
	assert.Len(t, sub.submissions(), 1)
}

// permissive is a crosswalk that resolves any item to its key and keeps every unit.
type permissive struct{}

func (permissive) ResolveItem(_ string, ref domain.ItemRef) (string, bool) {
	return ref.Key(), ref.Key() != ""
}

func (permissive) ConvertUnit(_ string, q domain.Quantity) (domain.Quantity, bool) { return q, true }

func (permissive) Tolerances(string) (decimal.Decimal, decimal.Decimal) {
	return decimal.Zero, decimal.Zero
}

// profiles registers every partner with a default ship-to.
type profiles struct{}

func (profiles) ReadOptions(string) (inbound.Options, bool) {
	return inbound.Options{}, true
}

func TestInboxThroughTheProcessor(t *testing.T) {
	t.Parallel()
	store, err := sqlite.Open(t.Context(), testdb.SQLitePath(t), sqlite.Config{})
	require.NoError(t, err)
	t.Cleanup(func() { _ = store.Close() })
	arch, err := archive.New(archive.SQLite, store.WriteDB(), store.ReadDB(), archive.Config{})
	require.NoError(t, err)
	require.NoError(t, arch.Migrate(t.Context()))
	docs, err := commands.NewDocumentHandler(store, permissive{}, commands.DocumentConfig{})
	require.NoError(t, err)
	c := &clock{now: t0}
	proc, err := ingest.NewProcessor(arch, docs, profiles{}, ingest.EDIAcknowledger{Now: c.Now}, ingest.ProcessorConfig{Now: c.Now})
	require.NoError(t, err)
	w, dir := newWatcher(t, proc, c)

	asn := fixtures.Read(t, "x12/856_oopfactory_1edisource_SOI_v4060.x12")
	orders := fixtures.Read(t, "edifact/ORDERS_D96B_EAN008_staedi_UNG-group.edi")
	old := t0.Add(-time.Hour)
	drop(t, dir, "edisource", "ship-829716.edi", asn, old) // no telling extension: the bytes say X12
	drop(t, dir, "eanbuyer", "orders.edifact", orders, old)
	assert.Equal(t, 0, scan(t, w))
	assert.Equal(t, 2, scan(t, w))

	// The ASN was taken: its answer and its 997 are in the partner's out directory.
	out := filepath.Join(dir, "edisource", inbox.OutDir)
	var res ingest.Result
	answer, err := os.ReadFile(filepath.Join(out, "ship-829716.edi.json"))
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(answer, &res))
	assert.Equal(t, "accepted", res.Status)
	ack, err := os.ReadFile(filepath.Join(out, "ship-829716.edi.997"))
	require.NoError(t, err)
	assert.Equal(t, res.Acknowledgment, string(ack))
	f, err := x12.Parse(ack)
	require.NoError(t, err)
	a, err := x12.ReadAck(f.Interchanges[0].Groups[0].Transactions[0])
	require.NoError(t, err)
	assert.Equal(t, x12.AckAccepted, a.Sets[0].Status)

	m, err := arch.Get(t.Context(), res.MessageID)
	require.NoError(t, err)
	assert.Equal(t, archive.Accepted, m.Status)
	assert.Equal(t, "inbox", m.Channel)
	assert.Equal(t, asn, m.Body)
	events := readAll(t, store)
	require.Len(t, events, 1)
	assert.Equal(t, shipment.EventASNReceived, events[0].Type)
	assert.Equal(t, "inbox:edisource", events[0].Metadata.Source)
	assert.Equal(t, "inbox:edisource", events[0].Metadata.Actor)
	var data shipment.ASNData
	require.NoError(t, json.Unmarshal(events[0].Data, &data))
	assert.Equal(t, "829716", data.ASNNumber)
	assert.Equal(t, "24", data.Lines[0].Quantity)

	// The ORDERS was refused: a problem and a CONTRL rejecting the message.
	out = filepath.Join(dir, "eanbuyer", inbox.OutDir)
	problemBody, err := os.ReadFile(filepath.Join(out, "orders.edifact.problem.json"))
	require.NoError(t, err)
	assert.Contains(t, string(problemBody), "UNT says 21 segments, there are 18")
	contrl, err := os.ReadFile(filepath.Join(out, "orders.edifact.contrl"))
	require.NoError(t, err)
	ef, err := edifact.Parse(contrl)
	require.NoError(t, err)
	report, err := edifact.ReadControl(ef.Interchanges[0].AllMessages()[0])
	require.NoError(t, err)
	assert.Equal(t, edifact.ActionRejected, report.Messages[0].Action)

	// The partner uploads the ASN again: the archive knows it, nothing is recorded twice, and the
	// first answer is given again.
	drop(t, dir, "edisource", "ship-829716-again.edi", asn, old)
	assert.Equal(t, 0, scan(t, w))
	assert.Equal(t, 1, scan(t, w))
	again, err := os.ReadFile(filepath.Join(dir, "edisource", inbox.OutDir, "ship-829716-again.edi.json"))
	require.NoError(t, err)
	assert.Equal(t, answer, again)
	assert.Len(t, readAll(t, store), 1)
	assert.True(t, strings.HasPrefix(string(ack), "ISA"))
}

func readAll(t *testing.T, store eventstore.Store) []eventstore.Event {
	t.Helper()
	events, err := store.ReadAll(t.Context(), eventstore.Start, 1000, eventstore.Filter{})
	require.NoError(t, err)
	return events
}

// A message Crossdock failed to finish (its answer could not be archived) stays in the inbox, with no
// answer written, and is taken again at the next scan.
func TestScanLeavesTheFileWhenCrossdockFailed(t *testing.T) {
	t.Parallel()
	c := &clock{now: t0}
	sub := &submitter{answer: ingest.Outcome{MessageID: "m-9", Status: archive.Failed,
		Answer: archive.Answer{Status: 500, ContentType: "application/problem+json", Body: []byte(`{"status":500}`)}}}
	w, dir := newWatcher(t, sub, c)
	path := drop(t, dir, "acme", "asn.x12", []byte("ISA"), t0.Add(-time.Minute))
	scan(t, w) // first sighting
	_, err := w.Scan(t.Context())
	require.ErrorContains(t, err, "Crossdock failed")
	require.True(t, exists(path), "the file stays")
	require.False(t, exists(filepath.Join(dir, "acme", inbox.OutDir, "asn.x12.problem.json")), "no answer is written")
	require.Len(t, sub.submissions(), 1)

	sub.mu.Lock()
	sub.answer = acceptedAnswer("")
	sub.mu.Unlock()
	scan(t, w) // seen again, unchanged
	require.Eventually(t, func() bool { scan(t, w); return !exists(path) }, 5*time.Second, 10*time.Millisecond)
	require.Len(t, sub.submissions(), 2, "taken again, once")
}
