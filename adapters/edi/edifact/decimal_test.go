package edifact

import (
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

func TestParseDecimalAcceptsBothMarks(t *testing.T) {
	t.Parallel()
	comma := Delimiters{Component: ':', Element: '+', Decimal: ',', Release: '?', Segment: '\''}
	tests := []struct {
		d    Delimiters
		in   string
		want string
	}{
		{comma, "19,9", "19.9"},
		{comma, "19.9", "19.9"},
		{DefaultDelimiters, "19,9", "19.9"},
		{DefaultDelimiters, "1202.58", "1202.58"},
		{DefaultDelimiters, "-0.5", "-0.5"},
		{DefaultDelimiters, "750", "750"},
		{DefaultDelimiters, "007", "7"},
		{Delimiters{}, "12.80", "12.8"},
		{comma, "123456789012345678901234567890,123", "123456789012345678901234567890.123"},
	}
	for _, tt := range tests {
		got, err := tt.d.ParseDecimal(tt.in)
		require.NoError(t, err, tt.in)
		require.True(t, got.Equal(decimal.RequireFromString(tt.want)), "%s: got %s", tt.in, got)
	}
}

func TestParseDecimalRejects(t *testing.T) {
	t.Parallel()
	for _, in := range []string{"", "-", ",5", ".5", "5.", "1.234,5", "1,2,3", "+5", "1e3", " 5", "5 ", "12a", "--1", "NaN"} {
		_, err := DefaultDelimiters.ParseDecimal(in)
		require.ErrorIs(t, err, ErrInvalidDecimal, "%q", in)
	}
}

func TestFormatDecimalUsesTheInterchangeMark(t *testing.T) {
	t.Parallel()
	v := decimal.RequireFromString("-1250.50")
	require.Equal(t, "-1250,5", Delimiters{Decimal: ','}.FormatDecimal(v))
	require.Equal(t, "-1250.5", DefaultDelimiters.FormatDecimal(v))
}

func mustDecimal(t *testing.T, s string) decimal.Decimal {
	t.Helper()
	v, err := decimal.NewFromString(s)
	require.NoError(t, err)
	return v
}
