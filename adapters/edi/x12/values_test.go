package x12_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/crossdock-hub/crossdock/adapters/edi/x12"
)

func TestParseImpliedDecimal(t *testing.T) {
	tests := []struct {
		in     string
		places int
		want   string // StringFixed(places); "" = error
	}{
		{"255438", 2, "2554.38"},
		{"-150", 2, "-1.50"},
		{"5", 2, "0.05"},
		{"0", 2, "0.00"},
		{"000123", 2, "1.23"},
		{"1234", 0, "1234"},
		{"1234", 3, "1.234"},
		{"99999999999999999999", 2, "999999999999999999.99"},
		{"", 2, ""},
		{"-", 2, ""},
		{"12.34", 2, ""},
		{"+12", 2, ""},
		{" 12", 2, ""},
		{"1e3", 2, ""},
		{"12", -1, ""},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			got, err := x12.ParseImpliedDecimal(tc.in, tc.places)
			if tc.want == "" {
				require.Error(t, err)
				return
			}
			require.NoError(t, err)
			require.Equal(t, tc.want, got.StringFixed(int32(tc.places)))
		})
	}
}

func TestParseDecimal(t *testing.T) {
	tests := []struct{ in, want string }{
		{"12.34", "12.34"},
		{".5", "0.5"},
		{"-3", "-3"},
		{"-0.25", "-0.25"},
		{"7.", "7"},
		{"0012.500", "12.5"},
		{"", ""},
		{".", ""},
		{"-", ""},
		{"1.2.3", ""},
		{"1,5", ""},
		{"+1", ""},
		{"1e2", ""},
		{"12 ", ""},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			got, err := x12.ParseDecimal(tc.in)
			if tc.want == "" {
				require.Error(t, err)
				return
			}
			require.NoError(t, err)
			require.Equal(t, tc.want, got.String())
		})
	}
}

func TestParseDate(t *testing.T) {
	tests := []struct {
		in   string
		want time.Time
		ok   bool
	}{
		{"20240229", time.Date(2024, 2, 29, 0, 0, 0, 0, time.UTC), true},
		{"19971211", time.Date(1997, 12, 11, 0, 0, 0, 0, time.UTC), true},
		{"960807", time.Date(1996, 8, 7, 0, 0, 0, 0, time.UTC), true},  // YY 70..99: 19YY
		{"150327", time.Date(2015, 3, 27, 0, 0, 0, 0, time.UTC), true}, // YY 00..69: 20YY
		{"691231", time.Date(2069, 12, 31, 0, 0, 0, 0, time.UTC), true},
		{"700101", time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC), true},
		{"20230229", time.Time{}, false},
		{"20241301", time.Time{}, false},
		{"20240100", time.Time{}, false},
		{"2024031", time.Time{}, false},
		{"2024-03-15", time.Time{}, false},
		{"", time.Time{}, false},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			got, err := x12.ParseDate(tc.in)
			if !tc.ok {
				require.Error(t, err)
				return
			}
			require.NoError(t, err)
			require.Equal(t, tc.want, got)
			require.Equal(t, time.UTC, got.Location())
		})
	}
}

func TestParseTime(t *testing.T) {
	tests := []struct {
		in             string
		hour, min, sec int
		ok             bool
	}{
		{"0931", 9, 31, 0, true},
		{"142428", 14, 24, 28, true},
		{"2359591", 23, 59, 59, true},
		{"00000099", 0, 0, 0, true},
		{"2400", 0, 0, 0, false},
		{"1260", 0, 0, 0, false},
		{"120060", 0, 0, 0, false},
		{"930", 0, 0, 0, false},
		{"12345", 0, 0, 0, false},
		{"123456789", 0, 0, 0, false},
		{"12:30", 0, 0, 0, false},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			h, m, s, err := x12.ParseTime(tc.in)
			if !tc.ok {
				require.Error(t, err)
				return
			}
			require.NoError(t, err)
			require.Equal(t, []int{tc.hour, tc.min, tc.sec}, []int{h, m, s})
		})
	}
}

func TestSegmentAccess(t *testing.T) {
	s := x12.Segment{ID: "AK4", Elements: []string{"3>1", "", "7", "A>B>>D"}}
	require.Equal(t, "3>1", s.Element(1))
	require.Equal(t, "", s.Element(2))
	require.Equal(t, "", s.Element(0))
	require.Equal(t, "", s.Element(5))
	require.Equal(t, "3", s.Component(1, 1))
	require.Equal(t, "1", s.Component(1, 2))
	require.Equal(t, "", s.Component(1, 3))
	require.Equal(t, "7", s.Component(3, 1), "a simple element is its own first component")
	require.Equal(t, "", s.Component(3, 2))
	require.Equal(t, "", s.Component(4, 3))
	require.Equal(t, "D", s.Component(4, 4))
	require.Equal(t, "", s.Component(4, 0))
	require.Equal(t, []string{"7"}, s.Repetitions(3))
	require.Nil(t, s.Repetitions(2))

	s.ComponentSeparator, s.RepetitionSeparator = ':', '^'
	s.Elements = []string{"A:B^C:D"}
	require.Equal(t, "B^C", s.Component(1, 2))
	require.Equal(t, []string{"A:B", "C:D"}, s.Repetitions(1))
}
