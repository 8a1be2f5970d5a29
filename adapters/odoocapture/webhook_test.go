package odoocapture_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crossdock-hub/crossdock/adapters/archive"
	"github.com/crossdock-hub/crossdock/adapters/httpapi"
	"github.com/crossdock-hub/crossdock/adapters/odoocapture"
	"github.com/crossdock-hub/crossdock/domain/order"
	"github.com/crossdock-hub/crossdock/queries"
)

const secret = "0123456789abcdef0123456789abcdef-odoo"

// noGraphQL stands in for the GraphQL executor the HTTP server requires; these tests do not query.
type noGraphQL struct{}

func (noGraphQL) Execute(context.Context, queries.Request) queries.Result { return queries.Result{} }

// Odoo's notification of a confirmed purchase order has the capture fetch it at once: the order is
// recorded without waiting for the next poll. A wrong secret is refused, a notification that names no
// record is kept and refused with where, and one for a model not captured is kept and accepted.
func TestWebhook(t *testing.T) {
	e := newOrdersEnv(t, 17)
	wh, err := odoocapture.NewWebhook(odoocapture.WebhookConfig{Secret: secret, Archive: e.archive,
		Models: map[string]odoocapture.Notifier{"purchase.order": e.capture}})
	require.NoError(t, err)
	srv, err := httpapi.New(httpapi.Config{GraphQL: noGraphQL{}, Mount: func(ec *echo.Echo) { wh.Register(ec.Group("/api/v1")) }})
	require.NoError(t, err)
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan struct{})
	go func() { _ = e.capture.Run(ctx); close(done) }() // one poll now, the next in a minute
	t.Cleanup(func() { cancel(); <-done })

	supplier, err := e.sim.Create("res.partner", map[string]any{"name": "Acme Supply", "ref": "acme"})
	require.NoError(t, err)
	blue, err := e.sim.Create("product.product", map[string]any{"name": "Blue widget", "default_code": "WID-BLUE"})
	require.NoError(t, err)
	po, err := e.sim.Create("purchase.order", map[string]any{"partner_id": supplier, "order_line": []any{
		[]any{0, 0, map[string]any{"product_id": blue, "product_qty": 10, "price_unit": 2.5}}}})
	require.NoError(t, err)
	e.call(t, "purchase.order", "button_confirm", []any{po})

	post := func(query, body string) (int, map[string]any) {
		resp, err := http.Post(ts.URL+"/api/v1/odoo/webhook"+query, "application/json", bytes.NewReader([]byte(body)))
		require.NoError(t, err)
		defer resp.Body.Close()
		var out map[string]any
		_ = json.NewDecoder(resp.Body).Decode(&out)
		return resp.StatusCode, out
	}
	status, p := post("?secret=wrong", `{"_model":"purchase.order","_id":1}`)
	assert.Equal(t, http.StatusUnauthorized, status)
	assert.Contains(t, p["detail"], "secret is missing or wrong")

	status, out := post("?secret="+secret, `{"_action":"Notify Crossdock(#3)","_model":"purchase.order","_id":1,"id":1,"name":"P00001","state":"purchase"}`)
	require.Equal(t, http.StatusAccepted, status, "%v", out)
	assert.Equal(t, "fetching", out["status"])
	require.Eventually(t, func() bool { return len(e.events(t, "P00001")) == 1 }, 10*time.Second, 10*time.Millisecond)
	assert.Equal(t, order.EventPlaced, e.events(t, "P00001")[0].Type)

	status, p = post("?secret="+secret, `{"_model":"purchase.order"}`)
	assert.Equal(t, http.StatusUnprocessableEntity, status)
	errs, _ := json.Marshal(p["errors"])
	assert.Contains(t, string(errs), `"pointer":"/_id"`)
	parked, err := e.archive.Quarantine(t.Context(), archive.QuarantineQuery{Status: archive.Parked})
	require.NoError(t, err)
	require.Len(t, parked, 1)
	assert.Equal(t, odoocapture.WebhookChannel, parked[0].Channel)

	status, out = post("?secret="+secret, `{"_model":"res.partner","_id":7}`)
	assert.Equal(t, http.StatusAccepted, status)
	assert.Equal(t, "not captured", out["status"])
	assert.NotEmpty(t, out["message"], "the archived message's ID")
}
