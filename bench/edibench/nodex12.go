package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
)

// errNodeMissing is returned when node, or npm to install node-x12, is not on the PATH: the baseline
// is skipped rather than failed.
var errNodeMissing = errors.New("node or npm not found on the PATH")

// nodeConfig says where tokenize.js is and what it times.
type nodeConfig struct {
	dir  string // folder of tokenize.js, package.json and package-lock.json
	file string // the X12 file
	runs int
}

// nodeResult is the JSON line tokenize.js prints.
type nodeResult struct {
	API       string  `json:"api"`
	Runs      int     `json:"runs"`
	Segments  int     `json:"segments"`
	MedianMS  float64 `json:"median_ms"`
	MinMS     float64 `json:"min_ms"`
	MaxMS     float64 `json:"max_ms"`
	MaxRSSMiB float64 `json:"max_rss_mib"`
	Error     string  `json:"error"`
}

// measureNode installs node-x12 when missing and runs tokenize.js on cfg.file.
func measureNode(ctx context.Context, cfg nodeConfig, logger *slog.Logger) (nodeResult, error) {
	node, err := exec.LookPath("node")
	if err != nil {
		return nodeResult{}, fmt.Errorf("%w: %w", errNodeMissing, err)
	}
	script := filepath.Join(cfg.dir, "tokenize.js")
	if _, err := os.Stat(script); err != nil {
		return nodeResult{}, fmt.Errorf("node-x12 driver (set -nodex12-dir): %w", err)
	}
	if err := installNodeX12(ctx, cfg.dir, logger); err != nil {
		return nodeResult{}, err
	}

	logger.Info("timing node-x12", "script", script, "runs", cfg.runs)
	cmd := exec.CommandContext(ctx, node, script, cfg.file, strconv.Itoa(cfg.runs))
	var stdout bytes.Buffer
	cmd.Stdout = &stdout
	cmd.Stderr = os.Stderr
	runErr := cmd.Run()
	res, parseErr := lastJSONLine(stdout.Bytes())
	switch {
	case parseErr == nil && res.Error != "":
		return nodeResult{}, fmt.Errorf("node-x12 refused %s: %s", cfg.file, res.Error)
	case runErr != nil:
		return nodeResult{}, fmt.Errorf("%s: %w", script, runErr)
	case parseErr != nil:
		return nodeResult{}, fmt.Errorf("%s printed no result: %w", script, parseErr)
	}
	logger.Info("node-x12 measured", "api", res.API, "runs", res.Runs, "median_ms", res.MedianMS,
		"min_ms", res.MinMS, "max_ms", res.MaxMS, "max_rss_mib", res.MaxRSSMiB)
	return res, nil
}

// installNodeX12 runs `npm ci` in dir unless node-x12 is already installed there; npm's output goes to
// stderr.
func installNodeX12(ctx context.Context, dir string, logger *slog.Logger) error {
	_, err := os.Stat(filepath.Join(dir, "node_modules", "node-x12", "package.json"))
	if err == nil {
		return nil
	}
	if !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("look for node-x12: %w", err)
	}
	npm, err := exec.LookPath("npm")
	if err != nil {
		return fmt.Errorf("%w: node-x12 is not installed in %s and %w", errNodeMissing, dir, err)
	}
	logger.Info("installing node-x12", "dir", dir, "command", "npm ci --no-audit --no-fund")
	cmd := exec.CommandContext(ctx, npm, "ci", "--no-audit", "--no-fund")
	cmd.Dir = dir
	cmd.Stdout = os.Stderr
	cmd.Stderr = os.Stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("npm ci in %s: %w", dir, err)
	}
	return nil
}

// lastJSONLine decodes the last non-empty line of out.
func lastJSONLine(out []byte) (nodeResult, error) {
	lines := bytes.Split(bytes.TrimSpace(out), []byte("\n"))
	last := lines[len(lines)-1]
	if len(last) == 0 {
		return nodeResult{}, errors.New("empty output")
	}
	var res nodeResult
	if err := json.Unmarshal(last, &res); err != nil {
		return nodeResult{}, fmt.Errorf("decode %q: %w", last, err)
	}
	return res, nil
}
