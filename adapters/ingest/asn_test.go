package ingest_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/labstack/echo/v4"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crossdock-hub/crossdock/adapters/archive"
	"github.com/crossdock-hub/crossdock/adapters/ingest"
	"github.com/crossdock-hub/crossdock/adapters/problem"
	"github.com/crossdock-hub/crossdock/commands"
	"github.com/crossdock-hub/crossdock/eventstore"
	"github.com/crossdock-hub/crossdock/eventstore/postgres"
	"github.com/crossdock-hub/crossdock/eventstore/sqlite"
	"github.com/crossdock-hub/crossdock/internal/testdb"
)

const (
	acmeToken = "s3cret-acme"
	stream    = "shipment-acme:ASN-1001"
)

var receivedAt = time.Date(2026, 3, 2, 16, 30, 0, 0, time.UTC)

type env struct {
	echo    *echo.Echo
	store   eventstore.Store
	archive *archive.Archive
}

type backend func(t *testing.T) (eventstore.Store, *archive.Archive)

var backends = map[string]backend{
	"sqlite": func(t *testing.T) (eventstore.Store, *archive.Archive) {
		s, err := sqlite.Open(t.Context(), testdb.SQLitePath(t), sqlite.Config{})
		require.NoError(t, err)
		t.Cleanup(func() { _ = s.Close() })
		a, err := archive.New(archive.SQLite, s.WriteDB(), s.ReadDB(), archive.Config{})
		require.NoError(t, err)
		require.NoError(t, a.Migrate(t.Context()))
		return s, a
	},
	"postgres": func(t *testing.T) (eventstore.Store, *archive.Archive) {
		pool := testdb.Postgres(t)
		s, err := postgres.New(pool, postgres.Config{})
		require.NoError(t, err)
		require.NoError(t, s.Migrate(t.Context()))
		db := stdlib.OpenDBFromPool(pool)
		t.Cleanup(func() { _ = db.Close() })
		a, err := archive.New(archive.Postgres, db, db, archive.Config{})
		require.NoError(t, err)
		require.NoError(t, a.Migrate(t.Context()))
		return s, a
	},
}

// wrapArchive lets a test stand between the handler and the real archive.
type wrapArchive func(*archive.Archive) ingest.Archive

func newEnv(t *testing.T, open backend, wrap wrapArchive) env {
	t.Helper()
	store, arch := open(t)
	logger := slog.New(slog.NewTextHandler(t.Output(), nil))
	receiver, err := commands.NewReceiveASNHandler(store, commands.ReceiveASNConfig{Logger: logger})
	require.NoError(t, err)
	var a ingest.Archive = arch
	if wrap != nil {
		a = wrap(arch)
	}
	h, err := ingest.New(a, receiver, ingest.Config{
		Tokens: []string{"acme:" + acmeToken, "globex:g10bex:with:colons"},
		Logger: logger,
		Now:    func() time.Time { return receivedAt },
	})
	require.NoError(t, err)

	e := echo.New()
	// The server's real error handler lives in adapters/httpapi; this one writes problems the same way.
	e.HTTPErrorHandler = func(err error, c echo.Context) {
		var p *problem.Problem
		if !errors.As(err, &p) {
			p = problem.New(http.StatusInternalServerError, err.Error())
		}
		body, _ := json.Marshal(p)
		_ = c.Blob(p.Status, problem.ContentType, body)
	}
	h.Register(e.Group("/api/v1"))
	return env{echo: e, store: store, archive: arch}
}

func forEachBackend(t *testing.T, wrap wrapArchive, test func(t *testing.T, e env)) {
	for name, open := range backends {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			test(t, newEnv(t, open, wrap))
		})
	}
}

func sampleASN(t *testing.T) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/asn.json")
	require.NoError(t, err)
	return b
}

// edit returns the sample with changes applied to its decoded form.
func edit(t *testing.T, change func(doc map[string]any)) []byte {
	t.Helper()
	var doc map[string]any
	require.NoError(t, json.Unmarshal(sampleASN(t), &doc))
	change(doc)
	b, err := json.Marshal(doc)
	require.NoError(t, err)
	return b
}

func line(doc map[string]any, i int) map[string]any {
	return doc["lines"].([]any)[i].(map[string]any)
}

func post(e env, body []byte, headers ...string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodPost, "/api/v1/asn", bytes.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+acmeToken)
	req.Header.Set("Content-Type", "application/json")
	for i := 0; i+1 < len(headers); i += 2 {
		if headers[i+1] == "" {
			req.Header.Del(headers[i])
			continue
		}
		req.Header.Set(headers[i], headers[i+1])
	}
	rec := httptest.NewRecorder()
	e.echo.ServeHTTP(rec, req)
	return rec
}

type receipt struct {
	MessageID     string   `json:"message_id"`
	StreamID      string   `json:"stream_id"`
	StreamVersion int64    `json:"stream_version"`
	Events        []string `json:"events"`
	Duplicate     bool     `json:"duplicate"`
	Outcome       string   `json:"outcome"`
}

func decodeReceipt(t *testing.T, rec *httptest.ResponseRecorder) receipt {
	t.Helper()
	require.Equal(t, "application/json", rec.Header().Get("Content-Type"))
	var r receipt
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &r), rec.Body.String())
	return r
}

func decodeProblem(t *testing.T, rec *httptest.ResponseRecorder) problem.Problem {
	t.Helper()
	require.Equal(t, problem.ContentType, rec.Header().Get("Content-Type"))
	var p problem.Problem
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &p), rec.Body.String())
	return p
}

func streamEvents(t *testing.T, e env) []eventstore.Event {
	t.Helper()
	events, err := e.store.ReadStream(t.Context(), stream, 1, 100)
	if errors.Is(err, eventstore.ErrStreamNotFound) {
		return nil
	}
	require.NoError(t, err)
	return events
}

type lineData struct {
	LineNumber int    `json:"line_number"`
	Item       string `json:"item"`
	Quantity   string `json:"quantity"`
	Unit       string `json:"unit"`
	POLine     string `json:"po_line"`
	Lot        string `json:"lot"`
}

type asnData struct {
	ASNNumber       string     `json:"asn_number"`
	PONumber        string     `json:"po_number"`
	TrackingNumber  string     `json:"tracking_number"`
	Supplier        string     `json:"supplier"`
	ShipDate        time.Time  `json:"ship_date"`
	ExpectedArrival time.Time  `json:"expected_arrival"`
	CarrierSCAC     string     `json:"carrier_scac"`
	ShipTo          string     `json:"ship_to"`
	Lines           []lineData `json:"lines"`
	Revision        int        `json:"revision"`
}

func TestPostASN(t *testing.T) {
	t.Parallel()
	forEachBackend(t, nil, func(t *testing.T, e env) {
		rec := post(e, sampleASN(t), "X-Correlation-ID", "corr-42")
		require.Equal(t, http.StatusCreated, rec.Code, rec.Body.String())
		assert.Equal(t, "corr-42", rec.Header().Get("X-Correlation-ID"))
		assert.Empty(t, rec.Header().Get("Crossdock-Duplicate"))
		first := rec.Body.String()
		r := decodeReceipt(t, rec)
		assert.Equal(t, stream, r.StreamID)
		assert.Equal(t, int64(1), r.StreamVersion)
		assert.False(t, r.Duplicate)
		assert.Equal(t, "received", r.Outcome)
		require.Len(t, r.Events, 1)

		events := streamEvents(t, e)
		require.Len(t, events, 1)
		ev := events[0]
		assert.Equal(t, r.Events[0], ev.ID.String())
		assert.Equal(t, "shipment.asn_received.v1", ev.Type)
		var data asnData
		require.NoError(t, json.Unmarshal(ev.Data, &data))
		assert.Equal(t, asnData{
			ASNNumber: "ASN-1001", PONumber: "P00042", TrackingNumber: "1Z999AA10123456784", Supplier: "acme",
			ShipDate:        time.Date(2026, 3, 2, 14, 0, 0, 0, time.UTC),
			ExpectedArrival: time.Date(2026, 3, 5, 0, 0, 0, 0, time.UTC),
			CarrierSCAC:     "UPSN", ShipTo: "WH1",
			Lines: []lineData{
				{LineNumber: 1, Item: "SKU-42", Quantity: "24", Unit: "EA", POLine: "1", Lot: "L2026-03"},
				{LineNumber: 2, Item: "SKU-77", Quantity: "12.5", Unit: "KGM", POLine: "2"},
			},
		}, data)
		assert.Equal(t, "corr-42", ev.Metadata.CorrelationID)
		assert.Equal(t, r.MessageID, ev.Metadata.MessageID)
		assert.Equal(t, "acme", ev.Metadata.PartnerID)
		assert.Equal(t, "api:acme", ev.Metadata.Source)
		assert.True(t, time.Date(2026, 3, 2, 14, 0, 0, 0, time.UTC).Equal(ev.Metadata.OccurredAt),
			"occurred_at is the ship date, got %s", ev.Metadata.OccurredAt)

		archived, err := e.archive.Get(t.Context(), r.MessageID)
		require.NoError(t, err)
		assert.Equal(t, archive.Accepted, archived.Status)
		assert.Equal(t, sampleASN(t), archived.Body)
		assert.True(t, receivedAt.Equal(archived.ReceivedAt))

		// The identical message again: the original answer, flagged, and nothing appended.
		rec = post(e, sampleASN(t), "X-Correlation-ID", "corr-43")
		require.Equal(t, http.StatusCreated, rec.Code)
		assert.Equal(t, "true", rec.Header().Get("Crossdock-Duplicate"))
		assert.Equal(t, "corr-43", rec.Header().Get("X-Correlation-ID"))
		assert.Equal(t, first, rec.Body.String())
		require.Len(t, streamEvents(t, e), 1)

		// Same ASN number, changed quantity: a revision.
		rec = post(e, edit(t, func(doc map[string]any) { line(doc, 0)["quantity"] = "20" }))
		require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
		r = decodeReceipt(t, rec)
		assert.Equal(t, "revised", r.Outcome)
		assert.Equal(t, int64(2), r.StreamVersion)
		assert.False(t, r.Duplicate)
		events = streamEvents(t, e)
		require.Len(t, events, 2)
		assert.Equal(t, "shipment.asn_revised.v1", events[1].Type)
		assert.Equal(t, r.Events[0], events[1].ID.String())
		data = asnData{}
		require.NoError(t, json.Unmarshal(events[1].Data, &data))
		assert.Equal(t, "20", data.Lines[0].Quantity)
		assert.Equal(t, "EA", data.Lines[0].Unit)
		assert.Equal(t, "12.5", data.Lines[1].Quantity)
		assert.Equal(t, 2, data.Revision)

		// Same content as recorded, formatted otherwise (quantity as a number, no message ID): no event.
		rec = post(e, edit(t, func(doc map[string]any) {
			line(doc, 0)["quantity"] = json.Number("20.0")
		}))
		require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
		r = decodeReceipt(t, rec)
		assert.Equal(t, "unchanged", r.Outcome)
		assert.True(t, r.Duplicate)
		assert.Equal(t, []string{}, r.Events)
		require.Len(t, streamEvents(t, e), 2)
	})
}

func TestPostASNInvalid(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		change func(doc map[string]any)
		want   []problem.FieldError
	}{
		{
			name:   "missing asn_number",
			change: func(doc map[string]any) { delete(doc, "asn_number") },
			want:   []problem.FieldError{{Pointer: "/asn_number", Detail: "is required"}},
		},
		{
			name:   "quantity abc",
			change: func(doc map[string]any) { line(doc, 1)["quantity"] = "abc" },
			want:   []problem.FieldError{{Pointer: "/lines/1/quantity", Detail: `"abc" is not a decimal number`}},
		},
		{
			name:   "empty lines",
			change: func(doc map[string]any) { doc["lines"] = []any{} },
			want:   []problem.FieldError{{Pointer: "/lines", Detail: "must have at least one line"}},
		},
		{
			name: "every problem listed",
			change: func(doc map[string]any) {
				doc["po_number"] = 42
				doc["expected_arrival"] = "2026-03-01"
				line(doc, 0)["quantity"] = "-2"
				line(doc, 1)["line_number"] = 1
				line(doc, 1)["unit"] = "BOXES"
				doc["ship_date"] = "yesterday"
			},
			want: []problem.FieldError{
				{Pointer: "/po_number", Detail: "must be a string"},
				{Pointer: "/ship_date", Detail: `"yesterday" is not a date (2026-03-02) or an RFC 3339 timestamp`},
				{Pointer: "/lines/0/quantity", Detail: "must be greater than zero"},
				{Pointer: "/lines/1/line_number", Detail: "duplicates line 1 (/lines/0)"},
				{Pointer: "/lines/1/unit", Detail: "must be a unit code of 1 to 3 letters or digits"},
			},
		},
		{
			name:   "arrival before ship date",
			change: func(doc map[string]any) { doc["expected_arrival"] = "2026-03-01T23:59:59Z" },
			want:   []problem.FieldError{{Pointer: "/expected_arrival", Detail: "is before ship_date"}},
		},
		{
			name:   "posting for another supplier",
			change: func(doc map[string]any) { doc["supplier"] = "globex" },
			want:   []problem.FieldError{{Pointer: "/supplier", Detail: "must be the sending partner (acme) or left out"}},
		},
	}
	forEachBackend(t, nil, func(t *testing.T, e env) {
		for _, tt := range tests {
			body := edit(t, tt.change)
			rec := post(e, body)
			require.Equal(t, http.StatusUnprocessableEntity, rec.Code, "%s: %s", tt.name, rec.Body.String())
			p := decodeProblem(t, rec)
			assert.Equal(t, tt.want, p.Errors, tt.name)
			require.True(t, strings.HasPrefix(p.Instance, "urn:uuid:"), tt.name)

			m, err := e.archive.Get(t.Context(), strings.TrimPrefix(p.Instance, "urn:uuid:"))
			require.NoError(t, err, tt.name)
			assert.Equal(t, archive.Rejected, m.Status, tt.name)
			assert.Equal(t, body, m.Body, tt.name)
			assert.Equal(t, tt.want[0].Pointer+": "+tt.want[0].Detail, strings.Split(m.Reason, "; ")[0], tt.name)
		}
		q, err := e.archive.Quarantine(t.Context(), archive.QuarantineQuery{PartnerID: "acme"})
		require.NoError(t, err)
		assert.Len(t, q, len(tests), "every rejected body is in quarantine")
		assert.Empty(t, streamEvents(t, e), "no rejected ASN is recorded")

		// A rejected message sent again gets the same problem, and stays rejected.
		body := edit(t, tests[0].change)
		first := post(e, body).Body.String()
		again := post(e, body)
		assert.Equal(t, http.StatusUnprocessableEntity, again.Code)
		assert.Equal(t, "true", again.Header().Get("Crossdock-Duplicate"))
		assert.Equal(t, first, again.Body.String())
	})
}

func TestPostASNRefusals(t *testing.T) {
	t.Parallel()
	forEachBackend(t, nil, func(t *testing.T, e env) {
		for _, auth := range []string{"Bearer wrong", "Basic YWNtZTpzM2NyZXQtYWNtZQ==", ""} {
			rec := post(e, sampleASN(t), "Authorization", auth)
			require.Equal(t, http.StatusUnauthorized, rec.Code, auth)
			assert.Equal(t, `Bearer realm="crossdock"`, rec.Header().Get("WWW-Authenticate"))
			assert.Equal(t, http.StatusUnauthorized, decodeProblem(t, rec).Status)
		}

		huge := append(sampleASN(t), bytes.Repeat([]byte(" "), 1<<20)...)
		rec := post(e, huge)
		require.Equal(t, http.StatusRequestEntityTooLarge, rec.Code)
		assert.Equal(t, http.StatusRequestEntityTooLarge, decodeProblem(t, rec).Status)

		rec = post(e, sampleASN(t), "Content-Type", "text/plain")
		require.Equal(t, http.StatusUnsupportedMediaType, rec.Code)
		assert.Equal(t, http.StatusUnsupportedMediaType, decodeProblem(t, rec).Status)

		rec = post(e, []byte(`{"asn_number": `), "Content-Type", "application/json; charset=utf-8")
		require.Equal(t, http.StatusBadRequest, rec.Code)
		p := decodeProblem(t, rec)
		m, err := e.archive.Get(t.Context(), strings.TrimPrefix(p.Instance, "urn:uuid:"))
		require.NoError(t, err)
		assert.Equal(t, archive.Rejected, m.Status, "a body that is not JSON is kept in quarantine")
		assert.Equal(t, `{"asn_number": `, string(m.Body))
		assert.Equal(t, "body is not valid JSON: unexpected EOF", m.Reason)

		assert.Empty(t, streamEvents(t, e))
		rec = post(e, sampleASN(t), "X-Correlation-ID", "")
		require.Equal(t, http.StatusCreated, rec.Code, "the sample, accepted after all the refusals")
		_, err = uuid.Parse(rec.Header().Get("X-Correlation-ID"))
		assert.NoError(t, err, "a correlation ID is generated when none is sent")
	})
}

func TestPostASNIdempotencyKey(t *testing.T) {
	t.Parallel()
	forEachBackend(t, nil, func(t *testing.T, e env) {
		rec := post(e, sampleASN(t), "Idempotency-Key", "ACME-856-1")
		require.Equal(t, http.StatusCreated, rec.Code, rec.Body.String())
		first := rec.Body.String()

		// Body-level message_id is the same partner message ID as the header.
		withID := edit(t, func(doc map[string]any) { doc["message_id"] = "ACME-856-1" })
		rec = post(e, withID)
		require.Equal(t, http.StatusConflict, rec.Code, "the message ID names another body")
		assert.Contains(t, decodeProblem(t, rec).Detail, `message ID "ACME-856-1" was already used`)

		rec = post(e, sampleASN(t), "Idempotency-Key", "ACME-856-1")
		require.Equal(t, http.StatusCreated, rec.Code)
		assert.Equal(t, "true", rec.Header().Get("Crossdock-Duplicate"))
		assert.Equal(t, first, rec.Body.String())
		require.Len(t, streamEvents(t, e), 1)
	})
}

// crashingArchive loses the first Accept, as a crash between the append and the answer would.
type crashingArchive struct {
	*archive.Archive
	crashed atomic.Bool
}

func (c *crashingArchive) Accept(ctx context.Context, id string, a archive.Answer) error {
	if c.crashed.CompareAndSwap(false, true) {
		return errors.New("process died before recording the answer")
	}
	return c.Archive.Accept(ctx, id, a)
}

func TestPostASNAfterCrashIsHandledAgain(t *testing.T) {
	t.Parallel()
	wrap := func(a *archive.Archive) ingest.Archive { return &crashingArchive{Archive: a} }
	forEachBackend(t, wrap, func(t *testing.T, e env) {
		rec := post(e, sampleASN(t))
		require.Equal(t, http.StatusCreated, rec.Code)
		r := decodeReceipt(t, rec)
		m, err := e.archive.Get(t.Context(), r.MessageID)
		require.NoError(t, err)
		require.Equal(t, archive.Received, m.Status, "the answer was never recorded")

		rec = post(e, sampleASN(t))
		require.Equal(t, http.StatusCreated, rec.Code, rec.Body.String())
		assert.Empty(t, rec.Header().Get("Crossdock-Duplicate"), "not a replay: the message was handled again")
		again := decodeReceipt(t, rec)
		assert.Equal(t, r.Events, again.Events, "the same events, recognised by their derived IDs")
		assert.True(t, again.Duplicate)
		assert.Equal(t, "received", again.Outcome)
		require.Len(t, streamEvents(t, e), 1)

		m, err = e.archive.Get(t.Context(), r.MessageID)
		require.NoError(t, err)
		assert.Equal(t, archive.Accepted, m.Status)
	})
}

func TestNewValidates(t *testing.T) {
	t.Parallel()
	_, err := ingest.New(nil, nil, ingest.Config{MaxBodyBytes: -1})
	require.Error(t, err)
	for _, want := range []string{"no partner tokens", "max body bytes -1 is negative", "nil archive", "nil ASN receiver"} {
		assert.Contains(t, err.Error(), want)
	}
}

func TestParseTokens(t *testing.T) {
	t.Parallel()
	set, err := ingest.ParseTokens([]string{"acme:a1", "globex:g:2"})
	require.NoError(t, err)
	for token, want := range map[string]string{"a1": "acme", "g:2": "globex", "g": "", "": "", "a1 ": ""} {
		got, ok := set.Authenticate(token)
		assert.Equal(t, want != "", ok, "token %q", token)
		assert.Equal(t, want, got.PartnerID, "token %q", token)
	}

	_, err = ingest.ParseTokens([]string{"nocolon", ":t", "p:", "a:x", "b:x"})
	require.Error(t, err)
	msg := err.Error()
	for _, want := range []string{"token 1: want partner:token", "token 2: empty partner", "token 3 (partner p): empty token", "token 5 (partner b): token already given"} {
		assert.Contains(t, msg, want)
	}
	assert.NotContains(t, msg, "nocolon", "a malformed pair may hold a secret")
}
