package edifactdoc

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/crossdock-hub/crossdock/adapters/edi/edifact"
)

func TestDTM(t *testing.T) {
	tests := []struct {
		value, format string
		at            string // RFC 3339; "" when the value is refused
		wall          string
		zoned         bool
		code          string // error code when refused
		warn          bool   // a warning about a guessed format
	}{
		{"20240301", "102", "2024-03-01T00:00:00Z", "2024-03-01", false, "", false},
		{"202403011230", "203", "2024-03-01T12:30:00Z", "2024-03-01 12:30", false, "", false},
		{"20240301123045", "204", "2024-03-01T12:30:45Z", "2024-03-01 12:30:45", false, "", false},
		{"240301", "101", "2024-03-01T00:00:00Z", "2024-03-01", false, "", false},
		{"9903011230", "201", "1999-03-01T12:30:00Z", "1999-03-01 12:30", false, "", false},
		{"202403011230UTC", "303", "2024-03-01T12:30:00Z", "2024-03-01 12:30 UTC", true, "", false},
		{"202403011230+02", "303", "2024-03-01T10:30:00Z", "2024-03-01 12:30 +02", true, "", false},
		{"202403011230-0530", "303", "2024-03-01T18:00:00Z", "2024-03-01 12:30 -0530", true, "", false},
		{"20240301123000Z", "304", "2024-03-01T12:30:00Z", "2024-03-01 12:30:00 Z", true, "", false},
		{"202403011230", "", "2024-03-01T12:30:00Z", "2024-03-01 12:30", false, "", true},
		{"2024030112", "", "", "", false, edifact.CodeMissing, false},
		{"20240301-20240305", "718", "", "", false, edifact.CodeNotSupportedValue, false},
		{"20240230", "102", "", "", false, edifact.CodeInvalidValue, false},
		{"2024030A", "102", "", "", false, edifact.CodeInvalidValue, false},
		{"202403011230", "303", "", "", false, edifact.CodeInvalidValue, false},
		{"202403011230CET", "303", "", "", false, edifact.CodeInvalidValue, false},
		{"202403011230+15", "303", "", "", false, edifact.CodeInvalidValue, false},
	}
	for _, tt := range tests {
		t.Run(tt.value+"/"+tt.format, func(t *testing.T) {
			s := &edifact.Segment{Tag: "DTM", Number: 4, Elements: [][]string{{"137", tt.value, tt.format}}}
			m := &mapper{msg: &edifact.Message{Type: "INVOIC"}}
			st, ok := m.dtm(s)
			if tt.at == "" {
				require.False(t, ok)
				require.Len(t, m.errs, 1)
				require.Equal(t, tt.code, m.errs[0].Code)
				require.Equal(t, 4, m.errs[0].Segment)
				return
			}
			require.True(t, ok, "%v", m.errs)
			require.Equal(t, utc(tt.at), st.at)
			require.Equal(t, tt.wall, st.wall)
			require.Equal(t, tt.zoned, st.zoned)
			require.Equal(t, tt.warn, len(m.warns) == 1)
		})
	}
}

func TestNormalizeSSCC(t *testing.T) {
	tests := []struct{ in, want, err string }{
		{"354123450000000014", "354123450000000014", ""},
		{"00354123450000000014", "354123450000000014", ""},
		{"354123450000000015", "", "check digit 5, want 4"},
		{"35412345000000001", "", "not 18 digits"},
		{"3541234500000000AB", "", "not 18 digits"},
	}
	for _, tt := range tests {
		got, err := normalizeSSCC(tt.in)
		if tt.err != "" {
			require.ErrorContains(t, err, tt.err)
			continue
		}
		require.NoError(t, err)
		require.Equal(t, tt.want, got)
	}
}
