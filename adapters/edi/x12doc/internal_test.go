package x12doc

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crossdock-hub/crossdock/adapters/edi/x12"
	"github.com/crossdock-hub/crossdock/domain"
)

// Every zone the tables name exists in the embedded zone database (loadZone panics otherwise).
func TestZoneTablesLoad(t *testing.T) {
	for code, name := range namedZones {
		assert.NotNil(t, loadZone(name), code)
	}
	for _, table := range []map[string]region{usStates, caProvinces} {
		for state, r := range table {
			assert.NotNil(t, loadZone(r.zone), state)
		}
	}
	assert.Len(t, usStates, 51+5, "50 states, DC and five territories")
}

func TestRegionOf(t *testing.T) {
	tests := []struct {
		loc  domain.Location
		zone string
	}{
		{domain.Location{State: "MO", Country: "US"}, "America/Chicago"},
		{domain.Location{State: "MO", Country: "USA"}, "America/Chicago"},
		{domain.Location{State: "AZ"}, "America/Phoenix"},
		{domain.Location{State: "BC", Country: "CA"}, "America/Vancouver"},
		{domain.Location{State: "BC"}, "America/Vancouver"},
		{domain.Location{State: "MO", Country: "CA"}, ""},
		{domain.Location{State: "BY", Country: "DE"}, ""},
		{domain.Location{City: "PARIS"}, ""},
	}
	for _, tt := range tests {
		r, ok := regionOf(tt.loc)
		assert.Equal(t, tt.zone != "", ok, "%+v", tt.loc)
		assert.Equal(t, tt.zone, r.zone, "%+v", tt.loc)
	}
}

func TestTimeCodeZone(t *testing.T) {
	for _, code := range []string{"LT", "", "XX", "00", "25", "99", "T"} {
		_, ok := timeCodeZone(code)
		assert.False(t, ok, code)
	}
	z, ok := timeCodeZone("12")
	require.True(t, ok)
	assert.Equal(t, "12", z.String())
}

// The integer fast path reads what x12.ParseDecimal reads, and the shared small decimals stay intact
// whatever is done with them.
func TestParseDecimal(t *testing.T) {
	for _, s := range []string{"0", "7", "0012", "4095", "4096", "-3", "123456789012345678", "1234567890123456789", "1.5", ".5", "-0.25"} {
		want, err := x12.ParseDecimal(s)
		require.NoError(t, err, s)
		got, err := parseDecimal(s)
		require.NoError(t, err, s)
		assert.True(t, want.Equal(got), "%s: %s != %s", s, got, want)
	}
	for _, s := range []string{"", "-", "1e3", "+1", "1,5", " 1", "--1"} {
		_, err := parseDecimal(s)
		assert.Error(t, err, "%q", s)
	}
	five, _ := parseDecimal("5")
	_ = five.Add(five).Mul(five).Neg().Round(2).Shift(3)
	again, _ := parseDecimal("5")
	assert.Equal(t, "5", again.String())
	assert.Equal(t, "5", smallInts()[5].String())
}

func TestGS1CheckDigit(t *testing.T) {
	assert.True(t, gs1CheckDigitOK("007121610006156802"))
	assert.False(t, gs1CheckDigitOK("007121610006156803"))
	assert.True(t, gs1CheckDigitOK("061414100014"))
}
