package odoo_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/crossdock-hub/crossdock/adapters/odoo"
	"github.com/crossdock-hub/crossdock/adapters/odoosim"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// server is a simulated Odoo behind a counting front: requests seen, and the most in flight at once.
type server struct {
	sim                *odoosim.Server
	srv                *httptest.Server
	requests, inFlight atomic.Int64
	mu                 sync.Mutex
	maxInFlight        int64
	arrivals           []time.Time
}

func newServer(t *testing.T, version int) *server {
	t.Helper()
	sim, err := odoosim.New(odoosim.Config{Version: version})
	require.NoError(t, err)
	s := &server{sim: sim}
	s.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.requests.Add(1)
		n := s.inFlight.Add(1)
		defer s.inFlight.Add(-1)
		s.mu.Lock()
		s.maxInFlight = max(s.maxInFlight, n)
		s.arrivals = append(s.arrivals, time.Now())
		s.mu.Unlock()
		sim.ServeHTTP(w, r)
	}))
	t.Cleanup(s.srv.Close)
	return s
}

func (s *server) client(t *testing.T, mod ...func(*odoo.Config)) *odoo.Client {
	t.Helper()
	cfg := odoo.Config{URL: s.srv.URL, Database: "odoo", Login: "integration@example.com", APIKey: odoosim.DefaultAPIKey,
		InitialBackoff: time.Millisecond, MaxBackoff: 5 * time.Millisecond, RatePerSecond: 10000, HTTPClient: s.srv.Client()}
	for _, m := range mod {
		m(&cfg)
	}
	c, err := odoo.New(cfg)
	require.NoError(t, err)
	return c
}

// calls counts the simulator's answered calls of model.method.
func (s *server) calls(model, method string) int {
	n := 0
	for _, c := range s.sim.Calls() {
		if c.Model == model && c.Method == method {
			n++
		}
	}
	return n
}

// The purchase-to-bill flow of ODOO.md on each version, through the client: the protocol and the field
// names follow the version the server reports.
func TestPurchaseToBillOnEachVersion(t *testing.T) {
	for _, tc := range []struct {
		version  int
		protocol string
		moveQty  string
	}{
		{16, odoo.ProtocolJSONRPC, "quantity_done"},
		{17, odoo.ProtocolJSONRPC, "quantity"},
		{19, odoo.ProtocolJSON2, "quantity"},
	} {
		t.Run(fmt.Sprintf("%d_%s", tc.version, tc.protocol), func(t *testing.T) {
			ctx := t.Context()
			s := newServer(t, tc.version)
			c := s.client(t)
			v, err := c.Version(ctx)
			require.NoError(t, err)
			assert.Equal(t, tc.version, v.Major)
			protocol, err := c.Protocol(ctx)
			require.NoError(t, err)
			assert.Equal(t, tc.protocol, protocol)
			schema, err := c.Schema(ctx)
			require.NoError(t, err)
			assert.Equal(t, tc.moveQty, schema.MoveQuantity)

			supplier, err := c.Create(ctx, "res.partner", map[string]any{"name": "Acme Supply", "supplier_rank": 1})
			require.NoError(t, err)
			product, err := c.Create(ctx, "product.product", map[string]any{"name": "Blue widget", "default_code": "WID-BLUE"})
			require.NoError(t, err)
			po, err := c.Create(ctx, "purchase.order", map[string]any{"partner_id": supplier, "partner_ref": "ACME-SO-1",
				"order_line": []any{[]any{0, 0, map[string]any{"product_id": product, "product_qty": 10, "price_unit": 2.5}}}})
			require.NoError(t, err)
			answer, err := c.Execute(ctx, "purchase.order", "button_confirm", []int64{po}, nil)
			require.NoError(t, err)
			assert.True(t, answer.True())

			pickings, err := c.SearchRead(ctx, "stock.picking", odoo.Domain{odoo.Where("origin", "=", "P00001")},
				[]string{"name", "state", "move_ids"}, odoo.Page{})
			require.NoError(t, err)
			require.Len(t, pickings, 1)
			pf := pickings[0].Fields()
			assert.Equal(t, "WH/IN/00001", pf.String("name"))
			assert.Equal(t, "assigned", pf.String("state"))
			moves, err := c.Read(ctx, "stock.move", pf.IDs("move_ids"), schema.MoveFields())
			require.NoError(t, err)
			require.NoError(t, pf.Err())
			require.Len(t, moves, 1)
			mf := moves[0].Fields()
			assert.Equal(t, "10", mf.Decimal("product_uom_qty").String())
			assert.Equal(t, product, mf.Many2One("product_id").ID)
			assert.Contains(t, mf.Many2One("product_id").Name, "Blue widget")
			require.NoError(t, mf.Err())

			// Six of ten arrive: Odoo asks what to do with the rest.
			require.NoError(t, c.Write(ctx, "stock.move", []int64{moves[0].ID()}, schema.MoveDone(decimal.NewFromInt(6))))
			answer, err = c.Execute(ctx, "stock.picking", "button_validate", []int64{pickings[0].ID()}, nil)
			require.NoError(t, err)
			wizard, ok := answer.Action()
			require.True(t, ok, "answer %s", answer)
			assert.Equal(t, "stock.backorder.confirmation", wizard.ResModel)
			answer, err = c.Execute(ctx, "stock.picking", "button_validate", []int64{pickings[0].ID()},
				map[string]any{"skip_backorder": true})
			require.NoError(t, err)
			assert.True(t, answer.True(), "answer %s", answer)

			lines, err := c.SearchRead(ctx, "purchase.order.line", odoo.Domain{odoo.Where("order_id", "=", po)},
				[]string{"qty_received", "product_qty", schema.LineUoM}, odoo.Page{})
			require.NoError(t, err)
			require.Len(t, lines, 1)
			assert.Equal(t, "6", lines[0].Fields().Decimal("qty_received").String())
			backorders, err := c.SearchRead(ctx, "stock.picking", odoo.Domain{odoo.Where("backorder_id", "=", pickings[0].ID())},
				[]string{"name", "state"}, odoo.Page{})
			require.NoError(t, err)
			require.Len(t, backorders, 1)
			assert.Equal(t, "WH/IN/00002", backorders[0].Fields().String("name"))

			answer, err = c.Execute(ctx, "purchase.order", "action_create_invoice", []int64{po}, nil)
			require.NoError(t, err)
			act, ok := answer.Action()
			require.True(t, ok, "answer %s", answer)
			require.NotZero(t, act.ResID)
			bills, err := c.Read(ctx, "account.move", []int64{act.ResID}, []string{"move_type", "state", "ref", "invoice_origin", "invoice_line_ids"})
			require.NoError(t, err)
			require.Len(t, bills, 1)
			bf := bills[0].Fields()
			assert.Equal(t, "in_invoice", bf.String("move_type"))
			assert.Equal(t, "draft", bf.String("state"))
			assert.Equal(t, "ACME-SO-1", bf.String("ref"))
			assert.Equal(t, "P00001", bf.String("invoice_origin"))
			billLines, err := c.Read(ctx, "account.move.line", bf.IDs("invoice_line_ids"), []string{"quantity", "purchase_line_id"})
			require.NoError(t, err)
			require.Len(t, billLines, 1)
			assert.Equal(t, "6", billLines[0].Fields().Decimal("quantity").String())
			assert.Equal(t, lines[0].ID(), billLines[0].Fields().Many2One("purchase_line_id").ID)

			// Posting needs a bill date: a user error, not retried.
			_, err = c.Execute(ctx, "account.move", "action_post", []int64{act.ResID}, nil)
			require.ErrorIs(t, err, odoo.ErrUser)
			assert.False(t, odoo.Retryable(err))
			assert.Equal(t, 1, s.calls("account.move", "action_post"))
		})
	}
}

// Odoo's refusals come back typed and are not retried; a field of another version is an invalid request.
func TestPermanentErrors(t *testing.T) {
	for _, version := range []int{17, 19} {
		s := newServer(t, version)
		c := s.client(t)
		ctx := t.Context()
		_, err := c.Create(ctx, "product.product", map[string]any{"name": "A", "barcode": "0001"})
		require.NoError(t, err)
		_, err = c.Create(ctx, "product.product", map[string]any{"name": "B", "barcode": "0001"})
		require.ErrorIs(t, err, odoo.ErrValidation, "version %d", version)
		var oe *odoo.Error
		require.ErrorAs(t, err, &oe)
		assert.Contains(t, oe.Message, "Barcode")
		assert.Equal(t, 2, s.calls("product.product", "create"), "the refused create is sent once")

		_, err = c.SearchRead(ctx, "stock.move", nil, []string{"quantity_done"}, odoo.Page{})
		require.ErrorIs(t, err, odoo.ErrInvalid, "version %d", version)
		err = c.Write(ctx, "purchase.order", []int64{99}, map[string]any{"partner_ref": "X"})
		require.ErrorIs(t, err, odoo.ErrMissing, "version %d", version)
		_, err = c.SearchRead(ctx, "no.such.model", nil, nil, odoo.Page{})
		assert.True(t, errors.Is(err, odoo.ErrUser) || errors.Is(err, odoo.ErrNotFound), "version %d: %v", version, err)
	}
}

// A wrong key is refused at log-in (JSON-RPC answers false) or at the first call (JSON-2 answers 401).
func TestWrongKey(t *testing.T) {
	for _, version := range []int{16, 19} {
		s := newServer(t, version)
		c := s.client(t, func(c *odoo.Config) { c.APIKey = "0000000000000000000000000000000000000000" })
		_, err := c.SearchRead(t.Context(), "res.partner", nil, []string{"name"}, odoo.Page{})
		require.ErrorIs(t, err, odoo.ErrAuthentication, "version %d", version)
		assert.False(t, odoo.Retryable(err))
	}
}

// Serialization failures and 5xx are retried until the call passes; a create is repeated after a
// serialization failure (Odoo rolled it back) but not after a 502 (it may have been made).
func TestRetries(t *testing.T) {
	ctx := t.Context()
	s := newServer(t, 17)
	c := s.client(t)
	partner, err := c.Create(ctx, "res.partner", map[string]any{"name": "Acme"})
	require.NoError(t, err)

	s.sim.SetFaults(odoosim.Faults{SerializationFailures: 2})
	require.NoError(t, c.Write(ctx, "res.partner", []int64{partner}, map[string]any{"ref": "ACME"}))
	assert.Equal(t, 3, s.calls("res.partner", "write"), "two failures, then the write")

	s.sim.SetFaults(odoosim.Faults{ServerErrors: 2})
	recs, err := c.Read(ctx, "res.partner", []int64{partner}, []string{"ref"})
	require.NoError(t, err)
	assert.Equal(t, "ACME", recs[0].Fields().String("ref"))

	s.sim.SetFaults(odoosim.Faults{SerializationFailures: 1})
	_, err = c.Create(ctx, "res.partner", map[string]any{"name": "Beta"})
	require.NoError(t, err)
	assert.Len(t, s.sim.Search("res.partner", []any{[]any{"name", "=", "Beta"}}), 1, "created once")

	before := s.requests.Load()
	s.sim.SetFaults(odoosim.Faults{ServerErrors: 1})
	_, err = c.Create(ctx, "res.partner", map[string]any{"name": "Gamma"})
	require.ErrorIs(t, err, odoo.ErrUnavailable)
	assert.True(t, odoo.Retryable(err), "the caller may try later, after looking the record up")
	assert.Equal(t, int64(1), s.requests.Load()-before, "a create is not sent again after a 502")

	s.sim.SetFaults(odoosim.Faults{SerializationFailures: 10})
	err = c.Write(ctx, "res.partner", []int64{partner}, map[string]any{"ref": "X"})
	require.ErrorIs(t, err, odoo.ErrConcurrency, "attempts run out")
	s.sim.SetFaults(odoosim.Faults{})
}

// A request that outlives the timeout is retried, then reported as unavailable.
func TestTimeout(t *testing.T) {
	s := newServer(t, 17)
	c := s.client(t, func(c *odoo.Config) { c.Timeout = 20 * time.Millisecond; c.MaxAttempts = 2 })
	_, err := c.Version(t.Context())
	require.NoError(t, err)
	s.sim.SetFaults(odoosim.Faults{Latency: 200 * time.Millisecond})
	before := s.requests.Load()
	_, err = c.SearchRead(t.Context(), "res.partner", nil, []string{"name"}, odoo.Page{})
	require.ErrorIs(t, err, odoo.ErrUnavailable)
	assert.Contains(t, err.Error(), "no answer within 20ms")
	assert.Equal(t, int64(2), s.requests.Load()-before)
	s.sim.SetFaults(odoosim.Faults{})
}

// While Odoo is down the circuit opens after the configured failures and later calls are not sent;
// after the cool-down one call goes through, and when Odoo is back the circuit closes.
func TestCircuitBreaker(t *testing.T) {
	ctx := t.Context()
	s := newServer(t, 17)
	c := s.client(t, func(c *odoo.Config) {
		c.MaxAttempts, c.BreakerFailures, c.BreakerCooldown = 1, 3, 50*time.Millisecond
	})
	_, err := c.Version(ctx)
	require.NoError(t, err)
	s.sim.SetFaults(odoosim.Faults{Down: true})
	for range 3 {
		_, err := c.SearchCount(ctx, "res.partner", nil)
		require.ErrorIs(t, err, odoo.ErrUnavailable)
	}
	before := s.requests.Load()
	_, err = c.SearchCount(ctx, "res.partner", nil)
	require.ErrorIs(t, err, odoo.ErrCircuitOpen)
	assert.True(t, odoo.Retryable(err))
	assert.Equal(t, before, s.requests.Load(), "nothing sent while the circuit is open")

	s.sim.SetFaults(odoosim.Faults{})
	require.Eventually(t, func() bool {
		_, err := c.SearchCount(ctx, "res.partner", nil)
		return err == nil
	}, 5*time.Second, 10*time.Millisecond)
	n, err := c.SearchCount(ctx, "res.partner", nil)
	require.NoError(t, err)
	assert.Equal(t, 1, n, "My Company")
}

// Calls to one Odoo keep within the concurrency limit and the rate limit.
func TestLimits(t *testing.T) {
	ctx := t.Context()
	s := newServer(t, 17)
	c := s.client(t, func(c *odoo.Config) { c.Concurrency = 2; c.RatePerSecond = 40; c.Burst = 1 })
	_, err := c.Version(ctx)
	require.NoError(t, err)
	s.sim.SetFaults(odoosim.Faults{Latency: 20 * time.Millisecond})
	s.mu.Lock()
	s.maxInFlight, s.arrivals = 0, nil
	s.mu.Unlock()
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			_, err := c.SearchCount(ctx, "res.partner", nil)
			assert.NoError(t, err)
		})
	}
	wg.Wait()
	s.sim.SetFaults(odoosim.Faults{})
	s.mu.Lock()
	defer s.mu.Unlock()
	assert.LessOrEqual(t, s.maxInFlight, int64(2))
	require.Len(t, s.arrivals, 8)
	slices.SortFunc(s.arrivals, func(a, b time.Time) int { return a.Compare(b) })
	// 40 per second, one at a time: at least 7 × 25 ms from the first to the last (a lower bound only).
	assert.GreaterOrEqual(t, s.arrivals[7].Sub(s.arrivals[0]), 7*25*time.Millisecond-5*time.Millisecond)
}

// A cancelled context stops the retries and is reported as such.
func TestCancelled(t *testing.T) {
	s := newServer(t, 17)
	c := s.client(t, func(c *odoo.Config) { c.InitialBackoff = time.Second })
	_, err := c.Version(t.Context())
	require.NoError(t, err)
	s.sim.SetFaults(odoosim.Faults{SerializationFailures: 100})
	ctx, cancel := context.WithTimeout(t.Context(), 50*time.Millisecond)
	defer cancel()
	_, err = c.SearchCount(ctx, "res.partner", nil)
	require.ErrorIs(t, err, context.DeadlineExceeded)
	s.sim.SetFaults(odoosim.Faults{})
}

// Check reports a complete Odoo as such, and names a missing right with what to do.
func TestCheck(t *testing.T) {
	for _, version := range []int{16, 17, 19} {
		s := newServer(t, version)
		r, err := odoo.Check(t.Context(), s.client(t))
		require.NoError(t, err)
		assert.Equal(t, version, r.Version.Major)
		assert.True(t, r.OK(), "version %d: %v", version, r.Problems())
	}
	sim, err := odoosim.New(odoosim.Config{Version: 17, Deny: map[string][]string{"stock.picking": {"write"}}})
	require.NoError(t, err)
	srv := httptest.NewServer(sim)
	defer srv.Close()
	c, err := odoo.New(odoo.Config{URL: srv.URL, Database: "odoo", Login: "integration@example.com", APIKey: odoosim.DefaultAPIKey,
		HTTPClient: srv.Client()})
	require.NoError(t, err)
	r, err := odoo.Check(t.Context(), c)
	require.NoError(t, err)
	assert.False(t, r.OK())
	assert.Equal(t, []string{"the user may not write stock.picking: grant it in the user's access groups"}, r.Problems())
}
