package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/crossdock-hub/crossdock/internal/fixtures"
)

func runInspect(t *testing.T, args ...string) (inspectReport, string, error) {
	t.Helper()
	root := newRootCmd()
	var out, errOut bytes.Buffer
	root.SetOut(&out)
	root.SetErr(&errOut)
	root.SetArgs(append([]string{"inspect"}, args...))
	err := root.ExecuteContext(t.Context())
	var rep inspectReport
	require.NoError(t, json.Unmarshal(out.Bytes(), &rep), out.String())
	return rep, errOut.String(), err
}

func TestInspectPrintsDocumentsWithWarnings(t *testing.T) {
	rep, stderr, err := runInspect(t, fixtures.Path(t, "x12/810_staedi_simple810_2tx.x12"))
	require.NoError(t, err)
	require.Empty(t, stderr)
	require.Equal(t, "x12", rep.Format)
	require.Len(t, rep.Documents, 2)
	require.Equal(t, "invoice", rep.Documents[0].Kind)
	require.Equal(t, "000000001", rep.Documents[0].Source.Control)
	require.Empty(t, rep.Documents[0].Warnings, "invoice 1 reconciles")
	require.NotEmpty(t, rep.Documents[1].Warnings, "invoice 2 does not reconcile")
	require.Contains(t, rep.Documents[1].Warnings[0], "does not reconcile")
	doc, err := json.Marshal(rep.Documents[0].Document)
	require.NoError(t, err)
	require.Contains(t, string(doc), `"total":"2554.38"`)
}

func TestInspectNamesTheProblemAndExitsOne(t *testing.T) {
	rep, stderr, err := runInspect(t, fixtures.Path(t, "edifact/ORDERS_D96B_EAN008_staedi_UNG-group.edi"))
	var exit exitError
	require.True(t, errors.As(err, &exit), "got %v", err)
	require.Equal(t, 1, exit.code)
	require.Equal(t, "edifact", rep.Format)
	require.Empty(t, rep.Documents)
	require.Len(t, rep.Problems, 1)
	require.Equal(t, "segment 20 (UNT) element 1", rep.Problems[0].Where)
	require.Contains(t, rep.Problems[0].Reason, "UNT says 21 segments, there are 18")
	require.Contains(t, stderr, "segment 20 (UNT) element 1")
}

func TestInspectWebhookAndJSONPointer(t *testing.T) {
	rep, _, err := runInspect(t, fixtures.Path(t, "webhooks/shiphero_inventory-update_docs-example.json"))
	require.NoError(t, err)
	require.Equal(t, "shiphero", rep.Format)
	require.Equal(t, "inventory_snapshot", rep.Documents[0].Kind)

	bad := t.TempDir() + "/receipt.json"
	require.NoError(t, writeFile(bad, `{"kind":"receipt","receipt_number":"R1","received_at":"yesterday"}`))
	rep, _, err = runInspect(t, bad)
	require.Error(t, err)
	require.Len(t, rep.Problems, 1)
	require.Equal(t, "json", rep.Format)
	require.Equal(t, "/received_at", rep.Problems[0].Pointer, rep.Problems[0].Reason)
}

func writeFile(path, body string) error { return os.WriteFile(path, []byte(body), 0o600) }
