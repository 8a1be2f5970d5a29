package domain_test

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crossdock-hub/crossdock/domain"
)

func TestParseQuantity(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, amount, unit string
		want               string // canonical "amount UNIT"
		wantErr            error
	}{
		{name: "integer", amount: "12", unit: "EA", want: "12 EA"},
		{name: "trailing zeros dropped", amount: "12.50", unit: "kgm", want: "12.5 KGM"},
		{name: "negative parses", amount: "-3", unit: "CS", want: "-3 CS"},
		{name: "letters", amount: "abc", unit: "EA", wantErr: domain.ErrInvalidQuantity},
		{name: "exponent refused", amount: "1e3", unit: "EA", wantErr: domain.ErrInvalidQuantity},
		{name: "empty amount", amount: "", unit: "EA", wantErr: domain.ErrInvalidQuantity},
		{name: "empty unit", amount: "1", unit: "", wantErr: domain.ErrInvalidUnit},
		{name: "unit too long", amount: "1", unit: "EACH", wantErr: domain.ErrInvalidUnit},
		{name: "unit punctuation", amount: "1", unit: "E.", wantErr: domain.ErrInvalidUnit},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			q, err := domain.ParseQuantity(tt.amount, tt.unit)
			if tt.wantErr != nil {
				require.Error(t, err)
				assert.True(t, errors.Is(err, tt.wantErr), "error %v is not %v", err, tt.wantErr)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, q.String())
		})
	}
}

func TestQuantityEqualComparesByValue(t *testing.T) {
	t.Parallel()
	a, err := domain.ParseQuantity("12", "EA")
	require.NoError(t, err)
	b, err := domain.ParseQuantity("12.000", "ea")
	require.NoError(t, err)
	c, err := domain.ParseQuantity("12", "CS")
	require.NoError(t, err)

	assert.True(t, a.Equal(b), "12 EA and 12.000 ea are the same quantity")
	assert.False(t, a.Equal(c), "12 EA and 12 CS differ by unit")
	assert.Equal(t, "12", b.AmountString())
	assert.True(t, a.IsPositive())
}
