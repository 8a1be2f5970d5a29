package queries_test

import (
	"context"
	"encoding/json"
	"sync"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crossdock-hub/crossdock/eventstore"
	"github.com/crossdock-hub/crossdock/projections"
	"github.com/crossdock-hub/crossdock/projections/match"
	"github.com/crossdock-hub/crossdock/queries"
)

// matchPage answers every match query with one line and one invoice.
type matchPage struct{}

func (matchPage) Lines(context.Context, match.Query) (match.LinePage, error) {
	price := decimal.RequireFromString("2.5")
	return match.LinePage{Lines: []match.Line{{PONumber: "P1", LineNumber: "1", Product: "WID-A", Unit: "Units",
		Ordered: decimal.NewFromInt(10), POPrice: &price, Received: decimal.NewFromInt(6), Invoiced: decimal.NewFromInt(10),
		InvoicedAmount: decimal.RequireFromString("26"), Status: match.StatusOverInvoiced, AtRisk: decimal.RequireFromString("11")}},
		Cursors: []string{"c1"}}, nil
}

func (matchPage) Invoices(context.Context, match.Query) (match.InvoicePage, error) {
	return match.InvoicePage{Invoices: []match.InvoiceResult{{Partner: "acme", InvoiceNumber: "INV-1", Status: match.InvoiceHeld,
		AtRisk: decimal.RequireFromString("11")}}, Cursors: []string{"c1"}}, nil
}

// admin is the projections as the engineer fields see them.
type admin struct {
	mu       sync.Mutex
	rebuilds []string
}

func (a *admin) Status(context.Context) ([]projections.Status, error) {
	return []projections.Status{{Name: "match", State: projections.Rebuilding, Generation: 1, Version: 1,
		Checkpoint: eventstore.Position{Commit: 9, Global: 9}, Lag: 3,
		Rebuild: &projections.RebuildProgress{Generation: 2, Lag: 120}}}, nil
}

func (a *admin) StartRebuild(_ context.Context, name string) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	if name == "nope" {
		return projections.ErrUnknownProjection
	}
	a.rebuilds = append(a.rebuilds, name)
	return nil
}

func TestRolesDecideWhatIsShown(t *testing.T) {
	adm := &admin{}
	svc := newService(t, queries.Config{Timeline: &fakeReader{}, Match: matchPage{}, Projections: adm})
	run := func(ctx context.Context, q string) (map[string]any, []string) {
		res := svc.Execute(ctx, queries.Request{Query: q})
		require.True(t, res.Executed)
		b, err := json.Marshal(res.Data)
		require.NoError(t, err)
		var data map[string]any
		require.NoError(t, json.Unmarshal(b, &data))
		var errs []string
		for _, e := range res.Errors {
			errs = append(errs, e.Message)
		}
		return data, errs
	}
	const lines = `{ purchaseOrderLines { edges { node { poNumber received poPrice invoicedAmount atRisk } } } invoiceMatches { edges { node { invoiceNumber atRisk } } } }`
	analyst := queries.WithRoles(t.Context(), queries.RoleAnalyst)
	data, errs := run(analyst, lines)
	node := data["purchaseOrderLines"].(map[string]any)["edges"].([]any)[0].(map[string]any)["node"].(map[string]any)
	assert.Equal(t, map[string]any{"poNumber": "P1", "received": "6", "poPrice": nil, "invoicedAmount": nil, "atRisk": nil}, node)
	assert.ElementsMatch(t, []string{"poPrice is shown to the finance role only", "invoicedAmount is shown to the finance role only",
		"atRisk is shown to the finance role only", "atRisk is shown to the finance role only"}, errs)

	finance := queries.WithRoles(t.Context(), queries.RoleFinance)
	data, errs = run(finance, lines)
	assert.Empty(t, errs)
	node = data["purchaseOrderLines"].(map[string]any)["edges"].([]any)[0].(map[string]any)["node"].(map[string]any)
	assert.Equal(t, map[string]any{"poNumber": "P1", "received": "6", "poPrice": "2.5", "invoicedAmount": "26", "atRisk": "11"}, node)

	// Engineers see the projections and may rebuild; finance may not.
	const status = `{ projections { name state generation lag rebuild { generation lag } } }`
	_, errs = run(finance, status)
	assert.Equal(t, []string{"projections is shown to the engineer role only"}, errs)
	engineer := queries.WithRoles(t.Context(), queries.RoleEngineer)
	data, errs = run(engineer, status)
	assert.Empty(t, errs)
	assert.Equal(t, []any{map[string]any{"name": "match", "state": "rebuilding", "generation": float64(1), "lag": float64(3),
		"rebuild": map[string]any{"generation": float64(2), "lag": float64(120)}}}, data["projections"])

	_, errs = run(finance, `mutation { rebuildProjection(name: "match") }`)
	assert.Equal(t, []string{"rebuildProjection is shown to the engineer role only"}, errs)
	data, errs = run(engineer, `mutation { rebuildProjection(name: "match") }`)
	assert.Empty(t, errs)
	assert.Equal(t, true, data["rebuildProjection"])
	_, errs = run(engineer, `mutation { rebuildProjection(name: "nope") }`)
	require.Len(t, errs, 1)
	assert.Contains(t, errs[0], "rebuild nope")
	assert.Equal(t, []string{"match"}, adm.rebuilds)
}
