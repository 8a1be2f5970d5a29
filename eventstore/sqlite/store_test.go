package sqlite

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/crossdock-hub/crossdock/eventstore"
	"github.com/crossdock-hub/crossdock/eventstore/eventstoretest"
	"github.com/crossdock-hub/crossdock/internal/testdb"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

// holds lets appendHeld stop one append of a stream inside its transaction.
type holds struct {
	mu sync.Mutex
	by map[string]*hold
}

type hold struct {
	reached chan struct{}
	release chan struct{}
}

func (h *holds) hook(stream string) {
	h.mu.Lock()
	hd := h.by[stream]
	delete(h.by, stream)
	h.mu.Unlock()
	if hd == nil {
		return
	}
	close(hd.reached)
	<-hd.release
}

// open opens a store on path and closes it when the test ends.
func open(t testing.TB, path string, cfg Config) *Store {
	t.Helper()
	if cfg.Logger == nil {
		cfg.Logger = testLogger(t)
	}
	s, err := Open(context.Background(), path, cfg)
	require.NoError(t, err)
	t.Cleanup(func() { require.NoError(t, s.Close()) })
	return s
}

// newHeldStore opens a fresh file with a small batch size, so the suite's catch-ups span several batches,
// and a short poll interval.
func newHeldStore(t *testing.T) eventstore.Store {
	s := open(t, testdb.SQLitePath(t), Config{BatchSize: 16, PollInterval: 20 * time.Millisecond})
	h := &holds{by: map[string]*hold{}}
	s.appendHook = h.hook
	storeHolds.Store(s, h)
	return s
}

// storeHolds maps each store the suite opened to its holds; the hook is set before the store is shared.
var storeHolds sync.Map

func appendHeld(t *testing.T, es eventstore.Store, stream string, events []eventstore.EventData) func() error {
	t.Helper()
	v, ok := storeHolds.Load(es)
	require.True(t, ok, "store was not made by newHeldStore")
	h := v.(*holds)
	hd := &hold{reached: make(chan struct{}), release: make(chan struct{})}
	h.mu.Lock()
	h.by[stream] = hd
	h.mu.Unlock()

	done := make(chan error, 1)
	go func() {
		_, err := es.Append(t.Context(), stream, eventstore.Any, events...)
		done <- err
	}()
	select {
	case <-hd.reached:
	case err := <-done:
		t.Fatalf("held append to %s returned before reaching its hold: %v", stream, err)
	case <-time.After(10 * time.Second):
		t.Fatalf("held append to %s did not reach its hold", stream)
	}
	var once sync.Once
	return func() error {
		once.Do(func() { close(hd.release) })
		return <-done
	}
}

func TestStoreContract(t *testing.T) {
	eventstoretest.Run(t, eventstoretest.Backend{New: newHeldStore, AppendHeld: appendHeld})
}

func testLogger(t testing.TB) *slog.Logger {
	return slog.New(slog.NewTextHandler(tWriter{t}, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

type tWriter struct{ t testing.TB }

func (w tWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimSuffix(string(p), "\n"))
	return len(p), nil
}

// Benchmarks keep the default configuration (FULL synchronous: each commit is fsynced).

func BenchmarkAppendSingle(b *testing.B) {
	s := open(b, testdb.SQLitePath(b), Config{Logger: slog.New(slog.DiscardHandler)})
	events := eventstoretest.Events(b.Name(), b.N)
	b.ResetTimer()
	for i := range b.N {
		if _, err := s.Append(b.Context(), fmt.Sprintf("inventory-wh1:SKU-%d", i%100), eventstore.Any, events[i]); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "events/s")
}

func BenchmarkAppendBatch100(b *testing.B) {
	s := open(b, testdb.SQLitePath(b), Config{Logger: slog.New(slog.DiscardHandler)})
	events := eventstoretest.Events(b.Name(), b.N*100)
	b.ResetTimer()
	for i := range b.N {
		if _, err := s.Append(b.Context(), fmt.Sprintf("receipt-acme3pl:RCV-%d", i), eventstore.NoStream, events[i*100:(i+1)*100]...); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N*100)/b.Elapsed().Seconds(), "events/s")
}

// BenchmarkCatchUp measures a subscriber reading a stored log of 20 000 events from the start.
func BenchmarkCatchUp(b *testing.B) {
	const total = 20_000
	s := open(b, testdb.SQLitePath(b), Config{Logger: slog.New(slog.DiscardHandler), Synchronous: "NORMAL"})
	events := eventstoretest.Events(b.Name(), total)
	for i := 0; i < total; i += 500 {
		if _, err := s.Append(b.Context(), fmt.Sprintf("inventory-wh1:SKU-%d", i), eventstore.NoStream, events[i:i+500]...); err != nil {
			b.Fatal(err)
		}
	}
	b.ResetTimer()
	for range b.N {
		ctx, cancel := context.WithCancel(b.Context())
		n := 0
		for batch, err := range s.Subscribe(ctx, eventstore.Start, eventstore.Filter{}) {
			if err != nil {
				b.Fatal(err)
			}
			n += len(batch)
			if n >= total {
				break
			}
		}
		cancel()
		if n != total {
			b.Fatalf("caught up %d of %d events", n, total)
		}
	}
	b.ReportMetric(float64(b.N*total)/b.Elapsed().Seconds(), "events/s")
}
