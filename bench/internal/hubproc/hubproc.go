// Package hubproc starts the crossdock binary under measurement for the benchmark drivers, on a free
// address with its own data directory, and stops it when they are done.
package hubproc

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"time"

	"github.com/jackc/pgx/v5"
)

// Hub is a running `crossdock serve`.
type Hub struct {
	// URL is the hub's base URL, e.g. http://127.0.0.1:41234.
	URL string
	// Dir is a temporary directory for the run: the hub's data directory is in it, and files a driver
	// hands the hub (a partners file) can go there too. It is removed by Stop.
	Dir string
	cmd *exec.Cmd
}

// NewDir makes the run's temporary directory before the hub starts, for files its arguments name.
func NewDir(prefix string) (string, error) { return os.MkdirTemp("", prefix) }

// Start runs `bin serve --addr <free> --data-dir <dir>/data --log-level error args...` with env added to
// the environment, and waits until it is ready.
func Start(ctx context.Context, bin, dir string, args, env []string) (*Hub, error) {
	addr, err := freeAddr()
	if err != nil {
		return nil, err
	}
	all := append([]string{"serve", "--addr", addr, "--data-dir", filepath.Join(dir, "data"), "--log-level", "error"}, args...)
	cmd := exec.CommandContext(ctx, bin, all...)
	cmd.Env = append(os.Environ(), env...)
	cmd.Stdout, cmd.Stderr = io.Discard, os.Stderr
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start %s: %w", bin, err)
	}
	h := &Hub{URL: "http://" + addr, Dir: dir, cmd: cmd}
	if err := waitReady(ctx, h.URL); err != nil {
		h.Stop()
		return nil, err
	}
	return h, nil
}

// Stop interrupts the hub, waits for it and removes its directory.
func (h *Hub) Stop() {
	_ = h.cmd.Process.Signal(os.Interrupt)
	_ = h.cmd.Wait()
	_ = os.RemoveAll(h.Dir)
}

func waitReady(ctx context.Context, base string) error {
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		resp, err := http.Get(base + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
	return errors.New("the hub did not become ready within 60s")
}

// FreshSchema creates a schema on the PostgreSQL of databaseURL and returns a URL whose search_path is
// it, and a function that drops it.
func FreshSchema(ctx context.Context, databaseURL, prefix string) (string, func(), error) {
	conn, err := pgx.Connect(ctx, databaseURL)
	if err != nil {
		return "", nil, fmt.Errorf("connect to PostgreSQL: %w", err)
	}
	schema := prefix + "_" + RandomHex(4)
	if _, err := conn.Exec(ctx, "CREATE SCHEMA "+schema); err != nil {
		conn.Close(ctx)
		return "", nil, err
	}
	u, err := url.Parse(databaseURL)
	if err != nil {
		conn.Close(ctx)
		return "", nil, err
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String(), func() {
		_, _ = conn.Exec(context.Background(), "DROP SCHEMA "+schema+" CASCADE")
		conn.Close(context.Background())
	}, nil
}

func freeAddr() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer l.Close()
	return l.Addr().String(), nil
}

// RandomHex returns n random bytes as hex.
func RandomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
