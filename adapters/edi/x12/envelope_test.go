package x12_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/crossdock-hub/crossdock/adapters/edi/x12"
)

// isa builds a 106-byte ISA with the given delimiters (rep 'U' for none) and control number.
func isa(e, c, term, rep byte, control string) string {
	fields := []string{"ISA", "00", "          ", "00", "          ", "ZZ", "SENDER         ", "ZZ", "RECEIVER       ",
		"240315", "1405", string([]byte{rep}), "00401", control, "0", "T", string([]byte{c})}
	return strings.Join(fields, string([]byte{e})) + string([]byte{term})
}

// x12doc joins '*'-separated segments into a document with '*' and '~' after a default ISA 000000001.
func x12doc(segs ...string) []byte {
	return []byte(isa('*', '>', '~', 'U', "000000001") + strings.Join(segs, "~") + "~")
}

const gs = "GS*SH*SENDER*RECEIVER*20240315*1405*1*X*004010"

func TestEnvelopeErrors(t *testing.T) {
	tests := []struct {
		name string
		data []byte
		// expected Kind:Code per level
		ic, group, tx []string
		message       string // Error() of the first error (File.Err)
		check         func(t *testing.T, f *x12.File)
	}{
		{
			name: "SE01 wrong count", data: testdata(t, "se01_wrong_count.x12"),
			tx:      []string{"AK502:4"},
			message: "segment 15 (SE) element 01: SE01 says 15 segments, the transaction set has 13",
		},
		{
			name: "SE02 does not match ST02", data: testdata(t, "se02_mismatch.x12"),
			tx:      []string{"AK502:3"},
			message: `segment 15 (SE) element 02: SE02 "0002" does not match ST02 "0001"`,
		},
		{
			name: "GE01 and GE02 wrong", data: testdata(t, "ge_mismatch.x12"),
			group:   []string{"AK905:5", "AK905:4"},
			message: "segment 29 (GE) element 01: GE01 says 3 transaction sets, the group has 2",
		},
		{
			name: "IEA01 and IEA02 wrong", data: testdata(t, "iea_mismatch.x12"),
			ic:      []string{"TA105:021", "TA105:001"},
			message: "segment 17 (IEA) element 01: IEA01 says 2 functional groups, the interchange has 1",
		},
		{
			name: "SE missing: GE ends the set", data: x12doc(gs, "ST*856*0001", "BSN*00*1", "GE*1*1", "IEA*1*000000001"),
			tx:      []string{"AK502:2"},
			message: "segment 5 (GE): transaction set 856 0001 has no SE: GE (segment 5) ends it",
			check: func(t *testing.T, f *x12.File) {
				tx := f.Interchanges[0].Groups[0].Transactions[0]
				require.Equal(t, []string{"ST", "BSN"}, []string{tx.Segments[0].ID, tx.Segments[1].ID})
				require.Len(t, tx.Segments, 2)
				require.Equal(t, "", tx.Trailer().ID)
				require.Len(t, tx.Body(), 1)
			},
		},
		{
			name: "SE missing: the next ST ends the set",
			data: x12doc(gs, "ST*856*0001", "BSN*00*1", "ST*856*0002", "BSN*00*2", "SE*3*0002", "GE*2*1", "IEA*1*000000001"),
			tx:   []string{"AK502:2"},
			check: func(t *testing.T, f *x12.File) {
				sets := f.Interchanges[0].Groups[0].Transactions
				require.Len(t, sets, 2)
				require.Empty(t, sets[1].Errors)
				require.Equal(t, "2", sets[1].Body()[0].Element(2))
			},
		},
		{
			name: "GE missing", data: x12doc(gs, "ST*856*0001", "SE*2*0001", "IEA*1*000000001"),
			group:   []string{"AK905:3"},
			message: "segment 5 (IEA): functional group 1 has no GE: IEA (segment 5) ends it",
		},
		{
			name: "IEA missing at the end", data: x12doc(gs, "ST*856*0001", "SE*2*0001", "GE*1*1"),
			ic: []string{"TA105:023"}, message: "byte 182: interchange 000000001 has no IEA: the end of the input ends it",
		},
		{
			name: "IEA missing before the next ISA",
			data: append(x12doc(gs, "ST*856*0001", "SE*2*0001", "GE*1*1"), x12doc("IEA*0*000000001")...),
			ic:   []string{"TA105:023"}, message: "segment 6 (ISA): interchange 000000001 has no IEA: the next ISA (segment 6) ends it",
			check: func(t *testing.T, f *x12.File) {
				require.Len(t, f.Interchanges, 2)
				require.Empty(t, f.Interchanges[1].Errors)
				require.Equal(t, 6, f.Interchanges[1].Header.Number)
			},
		},
		{
			name: "segment between sets", data: x12doc(gs, "REF*ZZ*1", "ST*856*0001", "SE*2*0001", "GE*1*1", "IEA*1*000000001"),
			group: []string{"AK304:2"}, message: "segment 3 (REF): REF is between transaction sets (outside ST/SE)",
		},
		{
			name: "segment outside a group", data: x12doc("REF*ZZ*1", gs, "ST*856*0001", "SE*2*0001", "GE*1*1", "IEA*1*000000001"),
			ic: []string{"TA105:024"}, message: "segment 2 (REF): REF is outside a functional group (outside GS/GE)",
		},
		{
			name: "set outside a group is skipped", data: x12doc("ST*856*0001", "BSN*00*1", "SE*3*0001", "IEA*0*000000001"),
			ic: []string{"TA105:024"},
			check: func(t *testing.T, f *x12.File) {
				require.Empty(t, f.Interchanges[0].Groups)
				require.Len(t, f.Interchanges[0].Errors, 1, "one error for the whole stray set")
			},
		},
		{
			name: "bad segment IDs and an empty segment",
			data: x12doc(gs, "ST*856*0001", "bsn*00*1", "", "TOOLONG*1", "SE*5*0001", "GE*1*1", "IEA*1*000000001"),
			tx:   []string{"AK304:1", "AK304:1", "AK304:1"},
			check: func(t *testing.T, f *x12.File) {
				errs := f.Interchanges[0].Groups[0].Transactions[0].Errors
				require.Equal(t, `segment 4 (bsn): "bsn" is not a segment ID (2 or 3 upper-case letters and digits)`, errs[0].Error())
				require.Equal(t, "segment 5: empty segment", errs[1].Error())
				require.Equal(t, 6, errs[2].Segment)
			},
		},
		{
			name: "duplicate ST02 in a group",
			data: x12doc(gs, "ST*856*0001", "SE*2*0001", "ST*856*0001", "SE*2*0001", "GE*2*1", "IEA*1*000000001"),
			tx:   []string{"AK502:23"}, message: `segment 5 (ST) element 02: ST02 "0001" is already the control number of the set at segment 3 in this group`,
		},
		{
			name: "bad ISA values",
			data: []byte(strings.Replace(string(x12doc(gs, "GE*0*1", "IEA*1*000000001")), "*240315*1405*U*00401*000000001*0*T*", "*241315*2505*U*0040A*00000000A*2*X*", 1)),
			ic:   []string{"TA105:018", "TA105:014", "TA105:015", "TA105:017", "TA105:019", "TA105:020", "TA105:001"},
		},
		{
			name: "last segment without terminator", data: bytes.TrimSuffix(x12doc(gs, "GE*0*1", "IEA*1*000000001"), []byte("~")),
			check: func(t *testing.T, f *x12.File) {
				require.Equal(t, "000000001", f.Interchanges[0].Trailer.Element(2))
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f, err := x12.Parse(tc.data)
			require.NoError(t, err)
			var ic, group, tx []string
			for _, i := range f.Interchanges {
				ic = append(ic, codes(i.Errors)...)
				for _, g := range i.Groups {
					group = append(group, codes(g.Errors)...)
					for _, s := range g.Transactions {
						tx = append(tx, codes(s.Errors)...)
					}
				}
			}
			require.Equal(t, tc.ic, ic, "interchange errors")
			require.Equal(t, tc.group, group, "group errors")
			require.Equal(t, tc.tx, tx, "set errors")
			if tc.ic == nil && tc.group == nil && tc.tx == nil {
				require.NoError(t, f.Err())
			} else {
				require.Error(t, f.Err())
				require.Len(t, f.Errors(), len(tc.ic)+len(tc.group)+len(tc.tx))
			}
			if tc.message != "" {
				require.EqualError(t, f.Err(), tc.message)
			}
			if tc.check != nil {
				tc.check(t, f)
			}
		})
	}
}

func TestFatal(t *testing.T) {
	good := isa('*', '>', '~', 'U', "000000001")
	tests := []struct {
		name   string
		data   string
		offset int
		code   string
		reason string
	}{
		{"empty", "", 0, x12.ICPrematureEnd, "no X12 data: the input is empty"},
		{"not ISA", "\xEF\xBB\xBF  GS*SH*X~", 5, x12.ICStructure, `X12 data must start with an ISA segment, found "GS*SH*X~"`},
		{"short ISA", good[:90], 0, x12.ICPrematureEnd, "the ISA is 90 bytes long; an ISA is fixed-width, 106 bytes with its segment terminator"},
		{"not fixed width", strings.Replace(good, "SENDER         ", "SENDER", 1) + "GS*SH*A*B*C*D*1*X*004010~GE*0*1~IEA*1*000000001~", 50, x12.ICStructure,
			`the ISA is not fixed-width: ISA06 must be 15 characters, found "SENDER" (no element separator '*' at byte 50 of the ISA)`},
		{"component is the element separator", isa('*', '*', '~', 'U', "000000001"), 104, x12.ICStructure,
			"the component separator (ISA16) is '*', the same as the element separator (ISA byte 3): delimiters must be distinct"},
		{"terminator is the repetition separator", isa('*', '>', '^', '^', "000000001"), 105, x12.ICStructure,
			"the segment terminator (ISA byte 105) is '^', the same as the repetition separator (ISA11): delimiters must be distinct"},
		{"letter as terminator", isa('*', '>', 'X', 'U', "000000001"), 105, x12.ICSegmentTerm,
			"the segment terminator after ISA16 is 'X', a letter or digit"},
		{"garbage after IEA", good + "IEA*0*000000001~\r\nhello", 124, x12.ICContent,
			`after IEA (segment 2) only another ISA may follow, found "hello"`},
		{"multi-byte component", good[:104] + "é~", 104, x12.ICComponentSep,
			"ISA16 (the component separator) is U+00E9 'é', a 2-byte UTF-8 character; X12 delimiters are single bytes"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f, err := x12.Parse([]byte(tc.data))
			require.Nil(t, f)
			var xe *x12.Error
			require.ErrorAs(t, err, &xe)
			require.Equal(t, tc.offset, xe.Offset)
			require.Equal(t, tc.code, xe.Code)
			require.Equal(t, x12.KindInterchange, xe.Kind)
			require.Equal(t, tc.reason, xe.Reason)
		})
	}
}

func TestDelimiters(t *testing.T) {
	t.Run("two interchanges with their own delimiters", func(t *testing.T) {
		f := parseClean(t, testdata(t, "two_interchanges.x12"))
		require.Len(t, f.Interchanges, 2)
		first, second := f.Interchanges[0], f.Interchanges[1]
		require.Equal(t, x12.Delimiters{Element: '*', Component: '>', Segment: '~'}, first.Delimiters)
		require.Equal(t, x12.Delimiters{Element: '|', Component: '^', Segment: 0x1E, Repetition: '!'}, second.Delimiters)
		require.Equal(t, "000000201", first.Control)
		require.Equal(t, "000000202", second.Control)
		require.Equal(t, "00501", second.Version)
		require.Equal(t, 17, first.Trailer.Number)
		require.Equal(t, 18, second.Header.Number, "numbering goes on across interchanges")
		require.Equal(t, first.Trailer.Offset+len("IEA*1*000000201~")+2, second.Header.Offset, "CRLF between them is skipped")
		sets := second.Groups[0].Transactions
		require.Equal(t, []string{"1001", "1002"}, []string{sets[0].Control, sets[1].Control})
		require.Equal(t, "005010", sets[0].Version)
		it1 := find(sets[0], "IT1")[0]
		require.Equal(t, "061414100007", it1.Element(7))
		price, err := x12.ParseDecimal(it1.Element(4))
		require.NoError(t, err)
		require.Equal(t, "2.5", price.String())
		total, err := x12.ParseImpliedDecimal(find(sets[1], "TDS")[0].Element(1), 2)
		require.NoError(t, err)
		require.Equal(t, "-1.50", total.StringFixed(2))
	})
	t.Run("newline terminator", func(t *testing.T) {
		f := parseClean(t, testdata(t, "newline_terminator.x12"))
		ic := f.Interchanges[0]
		require.Equal(t, x12.Delimiters{Element: '*', Component: ':', Segment: '\n'}, ic.Delimiters)
		tx := ic.Groups[0].Transactions[0]
		ref := find(tx, "REF")[0]
		require.Equal(t, "A:B:C", ref.Element(2))
		require.Equal(t, "B", ref.Component(2, 2))
		require.Equal(t, "C", ref.Component(2, 3))
		require.Equal(t, "", ref.Component(2, 4))
		require.Equal(t, "O", find(tx, "HL")[1].Element(3))
	})
	t.Run("brace element separator, tab indentation", func(t *testing.T) {
		f := parseClean(t, testdata(t, "brace_element.x12"))
		ic := f.Interchanges[0]
		require.Equal(t, x12.Delimiters{Element: '}', Component: '{', Segment: '~'}, ic.Delimiters)
		tx := ic.Groups[0].Transactions[0]
		require.Len(t, tx.Segments, 13)
		require.Equal(t, "006141410001000004", find(tx, "MAN")[0].Element(2))
		require.Equal(t, "12", find(tx, "SN1")[0].Element(2))
	})
	t.Run("a newline terminator is not skipped as pretty-printing", func(t *testing.T) {
		data := isa('*', '>', '\n', 'U', "000000001") + gs + "\n\nST*856*0001\nSE*2*0001\nGE*1*1\nIEA*1*000000001\n"
		f, err := x12.Parse([]byte(data))
		require.NoError(t, err)
		require.EqualError(t, f.Err(), "segment 3: empty segment")
	})
	t.Run("a tab element separator is not skipped as indentation", func(t *testing.T) {
		data := isa('\t', '>', '~', 'U', "000000001") + "\r\n" + strings.ReplaceAll(gs, "*", "\t") + "~\r\n  ST\t856\t0001~SE\t2\t0001~GE\t1\t1~IEA\t1\t000000001~"
		f := parseClean(t, []byte(data))
		require.Equal(t, "856", f.Interchanges[0].Groups[0].Transactions[0].Code)
		require.Equal(t, byte('\t'), f.Interchanges[0].Delimiters.Element)
	})
}
