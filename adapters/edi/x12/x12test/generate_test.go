package x12test_test

import (
	"strconv"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/crossdock-hub/crossdock/adapters/edi/x12"
	"github.com/crossdock-hub/crossdock/adapters/edi/x12/x12test"
)

func TestBuild856(t *testing.T) {
	tests := []struct {
		items, cartons int
		levels         map[string]int
		structure      string
	}{
		{items: 10000, cartons: 500, levels: map[string]int{"S": 1, "O": 10, "P": 500, "I": 10000}, structure: "0001"},
		{items: 7, cartons: 3, levels: map[string]int{"S": 1, "O": 1, "P": 3, "I": 7}, structure: "0001"},
		{items: 5, cartons: 0, levels: map[string]int{"S": 1, "O": 1, "I": 5}, structure: "0004"},
	}
	for _, tc := range tests {
		t.Run(strconv.Itoa(tc.items)+"x"+strconv.Itoa(tc.cartons), func(t *testing.T) {
			asn := x12test.Build856(tc.items, tc.cartons)
			require.Equal(t, asn.Data, x12test.Generate856(tc.items, tc.cartons), "deterministic")
			f, err := x12.Parse(asn.Data)
			require.NoError(t, err)
			require.NoError(t, f.Err())
			tx := f.Interchanges[0].Groups[0].Transactions[0]
			require.Equal(t, "856", tx.Code)
			require.Len(t, tx.Segments, asn.Segments)

			levels := map[string]int{}
			parents := map[string]string{} // HL01 -> level code
			qty, lines := 0, 0
			var sscc, pos []string
			for _, s := range tx.Segments {
				switch s.ID {
				case "BSN":
					require.Equal(t, asn.ASNNumber, s.Element(2))
					require.Equal(t, tc.structure, s.Element(5))
				case "HL":
					levels[s.Element(3)]++
					parents[s.Element(1)] = s.Element(3)
					want := map[string]string{"S": "", "O": "S", "P": "O", "I": "P"}[s.Element(3)]
					if tc.cartons == 0 && s.Element(3) == "I" {
						want = "O"
					}
					require.Equal(t, want, parents[s.Element(2)], "HL %s's parent", s.Element(1))
				case "MAN":
					require.Equal(t, "GM", s.Element(1))
					require.Len(t, s.Element(2), 18)
					require.Equal(t, x12test.CheckDigit(s.Element(2)[:17]), s.Element(2)[17:])
					sscc = append(sscc, s.Element(2))
				case "LIN":
					require.Equal(t, "UP", s.Element(2))
					require.Equal(t, x12test.CheckDigit(s.Element(3)[:11]), s.Element(3)[11:])
					require.Equal(t, "VP", s.Element(4))
				case "SN1":
					n, err := strconv.Atoi(s.Element(2))
					require.NoError(t, err)
					require.Equal(t, "EA", s.Element(3))
					qty += n
					lines++
				case "PRF":
					pos = append(pos, s.Element(1))
				case "CTT":
					require.Equal(t, strconv.Itoa(asn.HLCount), s.Element(1))
				}
			}
			require.Equal(t, tc.levels, levels)
			require.Equal(t, asn.TotalQuantity, qty)
			require.Equal(t, tc.items, lines)
			require.Equal(t, asn.Lines, lines)
			require.Equal(t, asn.SSCCs, sscc)
			require.Equal(t, asn.POs, pos)
		})
	}
}

func TestCheckDigit(t *testing.T) {
	// UPC-A 036000291452 is the usual textbook example; the SSCC digit was worked out by hand
	require.Equal(t, "2", x12test.CheckDigit("03600029145"))
	require.Equal(t, "7", x12test.CheckDigit("10614141123456789"))
}
