// Package inbox watches a directory where partners (or the SFTP server in front of them) drop files: one
// sub-directory per partner, "<dir>/<partner>/". A file is read only once it is complete — not hidden,
// not named *.tmp / *.part / *.partial / *.filepart, and unchanged in size and modification time between
// two scans at least MinAge apart — then archived through the same path as every other message, and only
// then removed. The answer (and, for EDI, the functional acknowledgment) is written beside it in
// "<dir>/<partner>/out/".
package inbox

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/crossdock-hub/crossdock/adapters/archive"
	"github.com/crossdock-hub/crossdock/adapters/ingest"
)

// Submitter processes a message: *ingest.Processor.
type Submitter interface {
	Submit(ctx context.Context, s ingest.Submission) (ingest.Outcome, error)
}

// OutDir is the name of each partner's answer directory.
const OutDir = "out"

// Config configures a Watcher.
type Config struct {
	// Dir is the inbox root, holding one directory per partner. Required.
	Dir string
	// Interval is the time between scans. Default: 2s.
	Interval time.Duration
	// MinAge is how long a file must have been left unchanged before it is read. Default: 1s.
	MinAge time.Duration
	// Logger receives the watcher's logs. Default: discarded.
	Logger *slog.Logger
	// Now is the clock. Default: time.Now.
	Now func() time.Time
}

func (c *Config) setDefaults() {
	if c.Interval == 0 {
		c.Interval = 2 * time.Second
	}
	if c.MinAge == 0 {
		c.MinAge = time.Second
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if c.Now == nil {
		c.Now = time.Now
	}
}

// Validate reports every invalid field.
func (c Config) Validate() error {
	var errs []error
	if c.Dir == "" {
		errs = append(errs, errors.New("inbox directory is required"))
	}
	if c.Interval < 0 || c.MinAge < 0 {
		errs = append(errs, errors.New("interval and minimum age must not be negative"))
	}
	return errors.Join(errs...)
}

// Watcher scans the inbox.
type Watcher struct {
	submit Submitter
	cfg    Config
	mu     sync.Mutex
	seen   map[string]sighting
}

type sighting struct {
	size  int64
	mtime time.Time
}

// New returns a watcher submitting files to submit.
func New(submit Submitter, cfg Config) (*Watcher, error) {
	cfg.setDefaults()
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("inbox: %w", err)
	}
	if submit == nil {
		return nil, errors.New("inbox: nil submitter")
	}
	if err := os.MkdirAll(cfg.Dir, 0o750); err != nil {
		return nil, fmt.Errorf("inbox %s: %w", cfg.Dir, err)
	}
	return &Watcher{submit: submit, cfg: cfg, seen: map[string]sighting{}}, nil
}

// Run scans every Interval until ctx ends. A scan that fails is logged and tried again next time: a file
// stays in the inbox until it has been archived.
func (w *Watcher) Run(ctx context.Context) error {
	t := time.NewTicker(w.cfg.Interval)
	defer t.Stop()
	for {
		if _, err := w.Scan(ctx); err != nil && ctx.Err() == nil {
			w.cfg.Logger.ErrorContext(ctx, "inbox scan", "dir", w.cfg.Dir, "error", err)
		}
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
	}
}

// Scan takes every complete file once and returns how many it took.
func (w *Watcher) Scan(ctx context.Context) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	partners, err := os.ReadDir(w.cfg.Dir)
	if err != nil {
		return 0, fmt.Errorf("read inbox %s: %w", w.cfg.Dir, err)
	}
	now := w.cfg.Now()
	present := map[string]bool{}
	taken := 0
	var errs []error
	for _, p := range partners {
		if !p.IsDir() || hidden(p.Name()) {
			continue
		}
		dir := filepath.Join(w.cfg.Dir, p.Name())
		files, err := os.ReadDir(dir)
		if err != nil {
			errs = append(errs, fmt.Errorf("read %s: %w", dir, err))
			continue
		}
		sort.Slice(files, func(i, j int) bool { return files[i].Name() < files[j].Name() })
		for _, f := range files {
			if ctx.Err() != nil {
				return taken, ctx.Err()
			}
			if f.IsDir() || partial(f.Name()) {
				continue
			}
			path := filepath.Join(dir, f.Name())
			present[path] = true
			info, err := f.Info()
			if err != nil {
				continue // removed meanwhile
			}
			cur := sighting{size: info.Size(), mtime: info.ModTime()}
			prev, ok := w.seen[path]
			w.seen[path] = cur
			if !ok || prev != cur || now.Sub(cur.mtime) < w.cfg.MinAge {
				continue // first sighting, still changing, or too fresh: look again next scan
			}
			if err := w.take(ctx, p.Name(), path); err != nil {
				errs = append(errs, err)
				continue
			}
			delete(w.seen, path)
			taken++
		}
	}
	for path := range w.seen {
		if !present[path] {
			delete(w.seen, path)
		}
	}
	return taken, errors.Join(errs...)
}

// take archives one file through the processor, writes its answer, and removes it. The file is removed
// only once the archive holds it: a crash in between leaves it to be taken again, and the archive then
// recognises the repeat.
func (w *Watcher) take(ctx context.Context, partner, path string) error {
	body, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("read %s: %w", path, err)
	}
	name := filepath.Base(path)
	out, err := w.submit.Submit(ctx, ingest.Submission{
		PartnerID: partner, Channel: "inbox", ContentType: contentTypeOf(name), Body: body,
		Actor: "inbox:" + partner,
	})
	if err != nil {
		return fmt.Errorf("archive %s: %w", path, err)
	}
	if out.Status == archive.Failed {
		// Crossdock could not finish it: the file stays and is taken again at the next scan (the archive
		// recognises it and handles it again).
		return fmt.Errorf("process %s (message %s): Crossdock failed; it stays for the next scan", path, out.MessageID)
	}
	if err := writeAnswer(filepath.Join(filepath.Dir(path), OutDir), name, out); err != nil {
		w.cfg.Logger.ErrorContext(ctx, "write inbox answer", "file", path, "error", err)
	}
	if err := os.Remove(path); err != nil {
		return fmt.Errorf("remove %s after archiving it as message %s: %w", path, out.MessageID, err)
	}
	w.cfg.Logger.InfoContext(ctx, "inbox file taken", "file", path, "message_id", out.MessageID,
		"status", string(out.Status), "duplicate", out.Duplicate)
	return nil
}

func writeAnswer(dir, name string, out ingest.Outcome) error {
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return err
	}
	ext := ".json"
	if out.Answer.ContentType == "application/problem+json" {
		ext = ".problem.json"
	}
	if err := writeAtomic(filepath.Join(dir, name+ext), out.Answer.Body); err != nil {
		return err
	}
	if ack := ingest.AcknowledgmentOf(out.Answer); ack != "" {
		suffix := ".997"
		if strings.HasPrefix(ack, "UN") {
			suffix = ".contrl"
		}
		return writeAtomic(filepath.Join(dir, name+suffix), []byte(ack))
	}
	return nil
}

// writeAtomic writes through a temporary name, so a partner polling its out directory never reads half.
func writeAtomic(path string, data []byte) error {
	tmp := path + ".part"
	if err := os.WriteFile(tmp, data, 0o640); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

func hidden(name string) bool { return strings.HasPrefix(name, ".") || name == OutDir }

func partial(name string) bool {
	if hidden(name) || strings.HasPrefix(name, "~") {
		return true
	}
	for _, s := range []string{".tmp", ".part", ".partial", ".filepart", ".crdownload", ".swp"} {
		if strings.HasSuffix(strings.ToLower(name), s) {
			return true
		}
	}
	return false
}

// contentTypeOf names a file's type from its extension; the processor detects the format from the bytes
// when the extension says nothing.
func contentTypeOf(name string) string {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".x12", ".edi_x12":
		return "application/edi-x12"
	case ".edifact", ".edi_edifact":
		return "application/edifact"
	case ".csv":
		return "text/csv"
	case ".json":
		return "application/json"
	}
	return ""
}
