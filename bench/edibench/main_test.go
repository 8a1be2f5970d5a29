package main

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/crossdock-hub/crossdock/adapters/edi/x12/x12test"
)

func TestSizeLabel(t *testing.T) {
	for _, tc := range []struct {
		items int
		want  string
	}{
		{10000, "10k"},
		{1000, "1k"},
		{2500, "2500"},
		{7, "7"},
	} {
		require.Equal(t, tc.want, sizeLabel(tc.items), "items %d", tc.items)
	}
}

func TestMedian(t *testing.T) {
	for _, tc := range []struct {
		name   string
		sorted []time.Duration
		want   time.Duration
	}{
		{"one", []time.Duration{5}, 5},
		{"odd", []time.Duration{1, 4, 9}, 4},
		{"even takes the mean of the middle two", []time.Duration{1, 4, 6, 9}, 5},
	} {
		t.Run(tc.name, func(t *testing.T) {
			require.Equal(t, tc.want, median(tc.sorted))
		})
	}
}

func TestLastJSONLine(t *testing.T) {
	for _, tc := range []struct {
		name    string
		out     string
		want    nodeResult
		wantErr string
	}{
		{
			name: "result after other output",
			out: "warming up\n" + `{"api":"new X12Parser(true).parse(edi)","runs":20,"segments":43035,` +
				`"median_ms":101.5,"min_ms":98.25,"max_ms":140,"max_rss_mib":216.4}` + "\n\n",
			want: nodeResult{API: "new X12Parser(true).parse(edi)", Runs: 20, Segments: 43035,
				MedianMS: 101.5, MinMS: 98.25, MaxMS: 140, MaxRSSMiB: 216.4},
		},
		{
			name: "refusal",
			out:  `{"file":"a.x12","error":"ParserError: X12 Standard: The ISA segment is not the correct length"}`,
			want: nodeResult{Error: "ParserError: X12 Standard: The ISA segment is not the correct length"},
		},
		{name: "empty", out: "\n", wantErr: "empty output"},
		{name: "not JSON", out: "Segmentation fault\n", wantErr: "decode"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := lastJSONLine([]byte(tc.out))
			if tc.wantErr != "" {
				require.ErrorContains(t, err, tc.wantErr)
				return
			}
			require.NoError(t, err)
			require.Equal(t, tc.want, got)
		})
	}
}

// TestCheckASN makes sure the driver refuses to time a mapping that lost lines or quantities.
func TestCheckASN(t *testing.T) {
	asn := x12test.Build856(40, 4)
	results, err := parseAndMap(asn.Data)
	require.NoError(t, err)
	require.NoError(t, checkASN(results, asn))

	for _, tc := range []struct {
		name    string
		edit    func(*x12test.ASN)
		wantErr string
	}{
		{"lines", func(a *x12test.ASN) { a.Lines = 41 }, "40 lines mapped, want 41"},
		{"quantity", func(a *x12test.ASN) { a.TotalQuantity++ }, "total quantity"},
		{"ASN number", func(a *x12test.ASN) { a.ASNNumber = "OTHER" }, `want "OTHER"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			want := asn
			tc.edit(&want)
			require.ErrorContains(t, checkASN(results, want), tc.wantErr)
		})
	}
	require.ErrorContains(t, checkASN(nil, asn), "mapped 0 transaction sets")
}
