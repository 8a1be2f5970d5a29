package product_test

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crossdock-hub/crossdock/domain/product"
)

// A product is recorded when first read and when it changes, with what it was.
func TestRead(t *testing.T) {
	t.Parallel()
	p := product.New()
	blue := product.Data{ID: 7, DefaultCode: "WID-BLUE", Name: "Blue widget", Unit: "Units", Active: true}
	events, err := p.Read(blue)
	require.NoError(t, err)
	require.Len(t, events, 1)
	data, _ := json.Marshal(events[0])
	require.NoError(t, p.Apply(product.EventChanged, data))
	events, err = p.Read(blue)
	require.NoError(t, err)
	assert.Empty(t, events, "read again, unchanged")

	recoded := blue
	recoded.DefaultCode = "WIDGET-BLUE"
	events, err = p.Read(recoded)
	require.NoError(t, err)
	require.Len(t, events, 1)
	c := events[0].(product.Changed)
	assert.Equal(t, "WIDGET-BLUE", c.DefaultCode)
	require.NotNil(t, c.Previous)
	assert.Equal(t, "WID-BLUE", c.Previous.DefaultCode)
	_, err = p.Read(product.Data{})
	require.Error(t, err)
}
