package x12_test

import (
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"

	"github.com/crossdock-hub/crossdock/adapters/edi/x12"
)

// TestFixtures parses every shared X12 fixture: delimiters, segment counts, sets, no envelope errors,
// and a few business values read through Element and Component.
func TestFixtures(t *testing.T) {
	type set struct {
		code, control, version string
		segments               int
	}
	tests := []struct {
		file       string
		delims     x12.Delimiters
		segments   int // in the whole file
		sender     string
		control    string // ISA13
		groupID    string
		sets       []set
		firstStart int // byte offset of the ISA
		check      func(t *testing.T, ic x12.Interchange)
	}{
		{
			file:     "214_scala-x12_honeywell-airfreight_tilde-caret.x12",
			delims:   x12.Delimiters{Element: '~', Component: '|', Segment: '^'},
			segments: 37, sender: "071695233T", control: "000000120", groupID: "QM",
			sets: []set{{"214", "1200001", "004010", 33}},
			check: func(t *testing.T, ic x12.Interchange) {
				tx := ic.Groups[0].Transactions[0]
				b10 := find(tx, "B10")[0]
				require.Equal(t, "5ZJ3896", b10.Element(2))
				require.Equal(t, "DNZA", b10.Element(3))
				at7 := find(tx, "AT7")
				require.Len(t, at7, 1)
				require.Equal(t, "AF", at7[0].Element(1))
				require.Equal(t, "NS", at7[0].Element(2))
				require.Equal(t, "", at7[0].Element(3))
				require.Equal(t, "LT", at7[0].Element(7))
				day, err := x12.ParseDate(at7[0].Element(5))
				require.NoError(t, err)
				require.Equal(t, time.Date(2015, 3, 27, 0, 0, 0, 0, time.UTC), day)
				h, m, s, err := x12.ParseTime(at7[0].Element(6))
				require.NoError(t, err)
				require.Equal(t, []int{9, 31, 0}, []int{h, m, s})
				weight, err := x12.ParseDecimal(find(tx, "AT8")[0].Element(3))
				require.NoError(t, err)
				require.Equal(t, "92.9", weight.String())
				require.Len(t, find(tx, "L11"), 15)
			},
		},
		{
			file:     "810_staedi_simple810_2tx.x12",
			delims:   x12.Delimiters{Element: '*', Component: '>', Segment: '~'},
			segments: 58, sender: "SENDERISA", control: "000000020", groupID: "IN",
			sets: []set{{"810", "000000001", "004010", 32}, {"810", "000000002", "004010", 22}},
			check: func(t *testing.T, ic x12.Interchange) {
				// invoice 1 reconciles: 207 cases at 12.34 = 2554.38 = TDS 255438 (N2)
				for i, want := range []struct{ qty, lines int64 }{{207, 7}, {150, 2}} {
					tx := ic.Groups[0].Transactions[i]
					sum, qty := decimal.Zero, int64(0)
					lines := find(tx, "IT1")
					require.Len(t, lines, int(want.lines))
					for _, it1 := range lines {
						q, err := x12.ParseDecimal(it1.Element(2))
						require.NoError(t, err)
						price, err := x12.ParseDecimal(it1.Element(4))
						require.NoError(t, err)
						require.Equal(t, "CA", it1.Element(3))
						sum = sum.Add(q.Mul(price))
						qty += q.IntPart()
					}
					require.Equal(t, want.qty, qty)
					tds, err := x12.ParseImpliedDecimal(find(tx, "TDS")[0].Element(1), 2)
					require.NoError(t, err)
					require.Equal(t, "2554.38", tds.StringFixed(2))
					require.Equal(t, i == 0, sum.Equal(tds), "invoice %d: lines sum to %s, TDS says %s", i+1, sum, tds)
				}
			},
		},
		{
			file:     "850_node-x12_xyzretail_vics.x12",
			delims:   x12.Delimiters{Element: '*', Component: '>', Segment: '~'},
			segments: 37, sender: "4405197800", control: "000003438", groupID: "PO",
			sets: []set{{"850", "000000010", "004010VICS", 33}},
			check: func(t *testing.T, ic x12.Interchange) {
				tx := ic.Groups[0].Transactions[0]
				require.Equal(t, "08292233294", find(tx, "BEG")[0].Element(3))
				po1 := find(tx, "PO1")
				require.Len(t, po1, 6)
				require.Equal(t, "696", po1[5].Element(2))
				require.Equal(t, "DX1875", po1[5].Element(11))
				amt, err := x12.ParseDecimal(find(tx, "AMT")[0].Element(2))
				require.NoError(t, err)
				require.Equal(t, "13045.94", amt.String())
			},
		},
		{
			file:     "855_node-x12_bookseller_ACK-lines.x12",
			delims:   x12.Delimiters{Element: '*', Component: '>', Segment: '~'},
			segments: 30, sender: "1556150", control: "000000005", groupID: "PR",
			sets: []set{{"855", "0005", "004010", 26}},
			check: func(t *testing.T, ic x12.Interchange) {
				tx := ic.Groups[0].Transactions[0]
				var status []string
				for _, ack := range find(tx, "ACK") {
					status = append(status, ack.Element(1)+"/"+ack.Element(2))
				}
				require.Equal(t, []string{"IA/3", "IR/0", "IR/0", "IA/2"}, status)
				require.Equal(t, "POTEST1112", find(tx, "BAK")[0].Element(3))
			},
		},
		{
			file:     "856_oopfactory_1edisource_SOI_v4060.x12",
			delims:   x12.Delimiters{Element: '*', Component: '>', Segment: '~', Repetition: '-'},
			segments: 35, sender: "4405197800", control: "000000049", groupID: "SH", firstStart: 3,
			sets: []set{{"856", "0008", "004060", 31}},
			check: func(t *testing.T, ic x12.Interchange) {
				tx := ic.Groups[0].Transactions[0]
				require.Equal(t, "0002", find(tx, "BSN")[0].Element(5))
				require.Equal(t, "99999817", find(tx, "PRF")[0].Element(1))
				var levels string
				for _, hl := range find(tx, "HL") {
					levels += hl.Element(3)
				}
				require.Equal(t, "SOII", levels)
				lin := find(tx, "LIN")[1]
				require.Equal(t, []string{"VP", "99887D", "UP", "999999311746"}, lin.Elements[1:5])
				require.Equal(t, "6", find(tx, "SN1")[1].Element(2))
				// ISA11 '-' is a repetition separator in 4060: the ZIP+4 is two repeats
				n4 := find(tx, "N4")[1]
				require.Equal(t, "31139-0020", n4.Element(3))
				require.Equal(t, []string{"31139", "0020"}, n4.Repetitions(3))
				// indentation is not part of the segment
				require.Equal(t, "HL", find(tx, "HL")[2].ID)
			},
		},
		{
			file:     "856_oopfactory_gregarican_SOPI_MAN-GM.x12",
			delims:   x12.Delimiters{Element: '*', Component: '>', Segment: '~'},
			segments: 29, sender: "2125931122", control: "000000005", groupID: "SH", firstStart: 3,
			sets: []set{{"856", "0001", "004010VICS", 25}},
			check: func(t *testing.T, ic x12.Interchange) {
				tx := ic.Groups[0].Transactions[0]
				require.Equal(t, "00007121610006156802", find(tx, "MAN")[0].Element(2))
				require.Equal(t, "SO/VINCE1", find(tx, "PRF")[0].Element(1))
				lin := find(tx, "LIN")[0]
				require.Equal(t, "883932284904", lin.Element(3))
				sn1 := find(tx, "SN1")[0]
				require.Equal(t, []string{"1", "EA"}, []string{sn1.Element(2), sn1.Element(3)})
				ship, err := x12.ParseDate(find(tx, "DTM")[0].Element(2))
				require.NoError(t, err)
				require.Equal(t, time.Date(2012, 5, 10, 0, 0, 0, 0, time.UTC), ship)
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			t.Parallel()
			f := parseClean(t, fixture(t, tc.file))
			require.Len(t, f.Interchanges, 1)
			ic := f.Interchanges[0]
			require.Equal(t, tc.delims, ic.Delimiters)
			require.Equal(t, tc.segments, countSegments(f))
			require.Equal(t, tc.segments, ic.Trailer.Number, "IEA is the last segment")
			require.Equal(t, 1, ic.Header.Number)
			require.Equal(t, tc.firstStart, ic.Header.Offset)
			require.Equal(t, tc.sender, ic.SenderID)
			require.Equal(t, tc.control, ic.Control)
			require.Len(t, ic.Groups, 1)
			require.Equal(t, tc.groupID, ic.Groups[0].FunctionalID)
			var sets []set
			for _, tx := range ic.Groups[0].Transactions {
				sets = append(sets, set{tx.Code, tx.Control, tx.Version, len(tx.Segments)})
				require.Equal(t, "ST", tx.Header().ID)
				require.Equal(t, "SE", tx.Trailer().ID)
				require.Equal(t, tx.Segments[0].Number+len(tx.Segments)-1, tx.Trailer().Number)
			}
			require.Equal(t, tc.sets, sets)
			tc.check(t, ic)
		})
	}
}

// TestEllipsisTerminator: the staedi 214 ends its segments with U+2026, three bytes of UTF-8. X12
// delimiters are single bytes, so the file is rejected, and the error says so.
func TestEllipsisTerminator(t *testing.T) {
	f, err := x12.Parse(fixture(t, "214_staedi_ltl_utf8-ellipsis-term.x12"))
	require.Nil(t, f)
	var xe *x12.Error
	require.ErrorAs(t, err, &xe)
	require.Equal(t, 105, xe.Offset)
	require.Equal(t, "ISA", xe.SegmentID)
	require.Equal(t, x12.KindInterchange, xe.Kind)
	require.Equal(t, x12.ICSegmentTerm, xe.Code)
	require.Contains(t, err.Error(), "ISA16")
	require.Contains(t, err.Error(), "U+2026 '…'")
	require.Contains(t, err.Error(), "X12 delimiters are single bytes")
}
