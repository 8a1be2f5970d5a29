package edifact

import (
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestReleaseCharacter(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		segment string
		want    []string // components of element 4
	}{
		{"released terminator inside a value", "FTX+AAI+++IT?'S FINE'", []string{"IT'S FINE"}},
		{"released release character", "FTX+AAI+++A??B'", []string{"A?B"}},
		{"released element and component separators", "FTX+AAI+++1?+1?:2:NEXT'", []string{"1+1:2", "NEXT"}},
		{"released release just before the terminator", "FTX+AAI+++END??'", []string{"END?"}},
		{"release then terminator then release", "FTX+AAI+++?'??'", []string{"'?"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ic := parseOne(t, wrap(tt.segment))
			require.NoError(t, ic.Err())
			require.Len(t, ic.Messages, 1)
			m := ic.Messages[0]
			require.Len(t, m.Segments, 3, "the released terminator does not end the segment")
			ftx := m.Segments[1]
			require.Equal(t, "FTX", ftx.Tag)
			require.Equal(t, tt.want, ftx.Elements[3])
		})
	}
}

func TestTrailingReleaseAtEndOfInputIsAnError(t *testing.T) {
	t.Parallel()
	data := "UNB+UNOA:3+S+R+240501:0930+IC1'UNH+1+INVOIC:D:96A:UN'BGM+380+X'UNT+3+1'UNZ+1+IC1?"
	ic := parseOne(t, data)
	require.Equal(t, "UNZ", ic.Trailer.Tag, "the unterminated UNZ still closes the interchange")
	require.Len(t, ic.Errors, 1)
	e := ic.Errors[0]
	require.Equal(t, CodeMissing, e.Code)
	require.Equal(t, "UNZ", e.Tag)
	require.Equal(t, 5, e.Segment)
	require.Equal(t, len(data)-1, e.Offset, "points at the release character")
	require.Contains(t, e.Reason, "release character")
	require.Equal(t, "IC1", ic.Trailer.Element(2))
}

func TestUnterminatedLastSegment(t *testing.T) {
	t.Parallel()
	ic := parseOne(t, "UNB+UNOA:3+S+R+240501:0930+IC1'UNH+1+INVOIC:D:96A:UN'BGM+380+X'UNT+3+1'UNZ+1+IC1")
	require.Len(t, ic.Errors, 1)
	require.Equal(t, CodeMissing, ic.Errors[0].Code)
	require.Contains(t, ic.Errors[0].Reason, "no terminator")
	require.Equal(t, "IC1", ic.Trailer.Element(2))
}

func TestSyntax4RepetitionSeparator(t *testing.T) {
	t.Parallel()
	data, err := os.ReadFile("testdata/syntax4_repetition.edi")
	require.NoError(t, err)
	ic := parseOne(t, string(data))
	require.NoError(t, ic.Err())
	require.Equal(t, 4, ic.SyntaxVersion)
	require.Equal(t, byte('*'), ic.Delimiters.Repetition, "syntax 4 default without UNA")
	require.Equal(t, time.Date(2024, 5, 1, 9, 30, 0, 0, time.UTC), ic.Prepared, "CCYYMMDD in syntax 4")
	require.True(t, ic.AckRequested)

	m := ic.Messages[0]
	rff := body(t, m, "RFF")
	require.Equal(t, []string{"ON", "PO-1001"}, rff.Elements[0])
	require.Equal(t, [][]string{{"ON", "PO-1001"}, {"CR", "REF-7"}, {"AAN", "DEL-9"}}, rff.Occurrences(1))
	require.Len(t, rff.Elements, 1, "repetitions do not shift element positions")
	require.Equal(t, "50*50 CM BOX", body(t, m, "IMD").Component(3, 4), "a released '*' is data")
}

func TestRepetitionCharacterIsDataBeforeSyntax4(t *testing.T) {
	t.Parallel()
	ic := parseOne(t, wrap("FTX+AAI+++5*5 CM'"))
	require.NoError(t, ic.Err())
	require.Zero(t, ic.Delimiters.Repetition)
	require.Equal(t, "5*5 CM", body(t, ic.Messages[0], "FTX").Element(4))
}

func TestUNAFifthCharacterIsReservedBeforeSyntax4(t *testing.T) {
	t.Parallel()
	ic := parseOne(t, "UNA:+.?*'"+wrap("FTX+AAI+++5*5 CM'"))
	require.NoError(t, ic.Err())
	require.Zero(t, ic.Delimiters.Repetition)
	require.Equal(t, "5*5 CM", body(t, ic.Messages[0], "FTX").Element(4))
	require.Len(t, ic.Warnings, 1)
	require.Contains(t, ic.Warnings[0], "syntax version 3 reserves it")

	ic = parseOne(t, "UNA:+.?^'"+wrapSyntax("UNOA:4", "FTX+AAI+++5*5 CM^TWO'"))
	require.NoError(t, ic.Err())
	require.Equal(t, byte('^'), ic.Delimiters.Repetition, "syntax 4 takes the UNA repetition separator")
	require.Equal(t, [][]string{{"5*5 CM"}, {"TWO"}}, body(t, ic.Messages[0], "FTX").Occurrences(4))
}

func TestTwoInterchangesWithTheirOwnUNA(t *testing.T) {
	t.Parallel()
	data, err := os.ReadFile("testdata/two_interchanges.edi")
	require.NoError(t, err)
	f, err := Parse(data)
	require.NoError(t, err)
	require.NoError(t, f.Err())
	require.Len(t, f.Interchanges, 2)

	first := f.Interchanges[0]
	require.Equal(t, Delimiters{Component: '|', Element: '^', Decimal: ',', Release: '!', Segment: '~'}, first.Delimiters)
	require.Equal(t, "SENDER ONE", first.Sender)
	require.Equal(t, "IC1", first.Reference)
	m := first.Messages[0]
	require.Equal(t, "INVOIC", m.Type)
	amount, err := first.Delimiters.ParseDecimal(body(t, m, "MOA").Component(1, 2))
	require.NoError(t, err)
	require.Equal(t, "1250.5", amount.String())
	require.Equal(t, "Price^2|tax~incl.!", body(t, m, "FTX").Element(4))

	second := f.Interchanges[1]
	require.Equal(t, DefaultDelimiters, second.Delimiters, "the second interchange has no UNA: defaults again")
	require.Equal(t, "IC2", second.Reference)
	require.Equal(t, "DESADV", second.Messages[0].Type)
	require.Equal(t, 7, second.Header.Number, "numbering continues across interchanges")
	require.Equal(t, "ASN1", second.Messages[0].Segments[1].Element(2))
}

func TestCountAndReferenceMismatches(t *testing.T) {
	t.Parallel()
	data, err := os.ReadFile("testdata/group_counts_wrong.edi")
	require.NoError(t, err)
	ic := parseOne(t, string(data))

	require.Len(t, ic.Groups, 1)
	g := ic.Groups[0]
	require.Len(t, g.Messages, 2)
	for _, m := range g.Messages {
		require.Empty(t, m.Errors)
	}
	require.Equal(t, []string{CodeCountMismatch, CodeReferencesDoNotMatch}, codes(g.Errors))
	require.Equal(t, "segment 9 (UNE) element 1: UNE says 3 messages, there are 2 in group G1", g.Errors[0].Error())
	require.Equal(t, `segment 9 (UNE) element 2: UNE reference "G9" does not match UNG reference "G1"`, g.Errors[1].Error())

	require.Equal(t, []string{CodeCountMismatch, CodeReferencesDoNotMatch}, codes(ic.Errors))
	require.Equal(t, "segment 10 (UNZ) element 1: UNZ says 2 groups, there are 1", ic.Errors[0].Error())
	require.Equal(t, `segment 10 (UNZ) element 2: UNZ reference "REF2" does not match UNB reference "REF1"`, ic.Errors[1].Error())
	require.Equal(t, strings.Index(string(data), "REF2"), ic.Errors[1].Offset, "the offset points at the element")
}

func TestUNZCountsMessagesWithoutGroups(t *testing.T) {
	t.Parallel()
	data := strings.Replace(wrap("BGM+380+X'"), "UNZ+1+IC1'", "UNZ+3+IC1'", 1)
	ic := parseOne(t, data)
	require.Len(t, ic.Errors, 1)
	require.Equal(t, "UNZ says 3 messages, there are 1", ic.Errors[0].Reason)
}

func TestMissingTrailers(t *testing.T) {
	t.Parallel()
	t.Run("UNT missing before the next UNH", func(t *testing.T) {
		ic := parseOne(t, "UNB+UNOA:3+S+R+240501:0930+IC1'UNH+1+INVOIC:D:96A:UN'BGM+380+X'UNH+2+INVOIC:D:96A:UN'BGM+380+Y'UNT+3+2'UNZ+2+IC1'")
		require.NoError(t, errOf(ic.Errors))
		require.Len(t, ic.Messages, 2)
		require.Len(t, ic.Messages[0].Errors, 1)
		e := ic.Messages[0].Errors[0]
		require.Equal(t, Error{Tag: "UNT", Offset: strings.Index("UNB+UNOA:3+S+R+240501:0930+IC1'UNH+1+INVOIC:D:96A:UN'BGM+380+X'", "") + len("UNB+UNOA:3+S+R+240501:0930+IC1'UNH+1+INVOIC:D:96A:UN'BGM+380+X'"),
			Code: CodeMissing, Reason: "message 1 (UNH at segment 2) has no UNT: found UNH at segment 4"}, *e)
		require.Len(t, ic.Messages[0].Segments, 2)
		require.Empty(t, ic.Messages[1].Errors)
	})
	t.Run("UNE and UNZ missing at end of input", func(t *testing.T) {
		data := "UNB+UNOA:3+S+R+240501:0930+IC1'UNG+INVOIC+S+R+240501:0930+G1'UNH+1+INVOIC:D:96A:UN'UNT+2+1'"
		ic := parseOne(t, data)
		require.Len(t, ic.Groups, 1)
		require.Equal(t, []string{CodeMissing}, codes(ic.Groups[0].Errors))
		require.Equal(t, fmt.Sprintf("UNE at offset %d: group G1 (UNG at segment 2) has no UNE: the input ends", len(data)),
			ic.Groups[0].Errors[0].Error())
		require.Equal(t, []string{CodeMissing}, codes(ic.Errors))
		require.Equal(t, len(data), ic.Errors[0].Offset)
		require.Contains(t, ic.Errors[0].Reason, "interchange IC1 (UNB at segment 1) has no UNZ")
	})
	t.Run("UNZ missing before the next UNB", func(t *testing.T) {
		f, err := Parse([]byte(wrap("BGM+1'")[:strings.Index(wrap("BGM+1'"), "UNZ")] + wrap("BGM+2'")))
		require.NoError(t, err)
		require.Len(t, f.Interchanges, 2)
		require.Equal(t, []string{CodeMissing}, codes(f.Interchanges[0].Errors))
		require.Contains(t, f.Interchanges[0].Errors[0].Reason, "found UNB at segment 5")
		require.Empty(t, f.Interchanges[1].Errors)
	})
}

func errOf(errs []*Error) error { return joinErrors(errs) }

func TestEnvelopeStructureErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		data   string
		codes  []string
		reason string
	}{
		{"segment between messages", "UNB+UNOA:3+S+R+240501:0930+IC1'BGM+380'UNH+1+INVOIC:D:96A:UN'UNT+2+1'UNZ+1+IC1'",
			[]string{CodeOutsideMessage}, "segment BGM is outside any message"},
		{"groups and messages mixed", "UNB+UNOA:3+S+R+240501:0930+IC1'UNH+1+INVOIC:D:96A:UN'UNT+2+1'UNG+INVOIC+S+R+240501:0930+G1'UNH+2+INVOIC:D:96A:UN'UNT+2+2'UNE+1+G1'UNZ+1+IC1'",
			[]string{CodeGroupsMessagesMixed}, "UNG follows messages outside groups in the same interchange"},
		{"empty interchange", "UNB+UNOA:3+S+R+240501:0930+IC1'UNZ+0+IC1'",
			[]string{CodeLowerLevelEmpty}, "interchange IC1 holds no message"},
		{"syntax version 5", "UNB+UNOA:5+S+R+240501:0930+IC1'UNH+1+INVOIC:D:96A:UN'UNT+2+1'UNZ+1+IC1'",
			[]string{CodeSyntaxVersion}, `syntax version "5" is not 1, 2, 3 or 4`},
		{"unknown syntax identifier", "UNB+KECA:3+S+R+240501:0930+IC1'UNH+1+INVOIC:D:96A:UN'UNT+2+1'UNZ+1+IC1'",
			[]string{CodeCharsetNotSupported}, `syntax identifier "KECA" names a character repertoire this parser does not support`},
		{"bad date", "UNB+UNOA:3+S+R+241301:0930+IC1'UNH+1+INVOIC:D:96A:UN'UNT+2+1'UNZ+1+IC1'",
			[]string{CodeInvalidValue}, `UNB04 date "241301" is not a calendar date`},
		{"missing sender", "UNB+UNOA:3++R+240501:0930+IC1'UNH+1+INVOIC:D:96A:UN'UNT+2+1'UNZ+1+IC1'",
			[]string{CodeMissing}, "UNB02-1 (interchange sender) is missing"},
		{"non-numeric UNZ count", "UNB+UNOA:3+S+R+240501:0930+IC1'UNH+1+INVOIC:D:96A:UN'UNT+2+1'UNZ+X+IC1'",
			[]string{CodeInvalidValue}, `UNZ01 "X" is not a count of messages`},
		// With two separators the same nothing after UNA can be trusted: only the first error is checked.
		{"duplicate UNA delimiters", "UNA++.? '" + "UNB+UNOA:3+S+R+240501:0930+IC1'UNH+1+INVOIC:D:96A:UN'UNT+2+1'UNZ+1+IC1'",
			nil, `UNA component separator and data element separator are both "+"`},
		{"UNA decimal mark", "UNA:+;? '" + "UNB+UNOA:3+S+R+240501:0930+IC1'UNH+1+INVOIC:D:96A:UN'UNT+2+1'UNZ+1+IC1'",
			[]string{CodeInvalidDecimal}, `UNA decimal mark ";" is neither "." nor ","`},
		{"segment after UNZ", "UNB+UNOA:3+S+R+240501:0930+IC1'UNH+1+INVOIC:D:96A:UN'UNT+2+1'UNZ+1+IC1'BGM+1'",
			[]string{CodeOutsideMessage}, "segment BGM follows the UNZ of interchange IC1"},
		{"UNA cut short after an interchange", "UNB+UNOA:3+S+R+240501:0930+IC1'UNH+1+INVOIC:D:96A:UN'UNT+2+1'UNZ+1+IC1'UNA:+",
			[]string{CodeMissing}, "UNA must be followed by six service characters, found 2"},
		{"junk before UNB", "XX'UNB+UNOA:3+S+R+240501:0930+IC1'UNH+1+INVOIC:D:96A:UN'UNT+2+1'UNZ+1+IC1'",
			[]string{CodeOutsideMessage}, "segment XX is outside any interchange"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ic := parseOne(t, tt.data)
			if tt.codes != nil {
				require.Equal(t, tt.codes, codes(ic.Errors), "%v", ic.Err())
			}
			require.NotEmpty(t, ic.Errors)
			require.Equal(t, tt.reason, ic.Errors[0].Reason)
		})
	}
}

func TestMalformedTagInsideMessage(t *testing.T) {
	t.Parallel()
	ic := parseOne(t, wrapSyntax("UNOB:3", "bgm+380'")) // UNOB: only the tag shape is wrong
	m := ic.Messages[0]
	require.Equal(t, []string{CodeInvalidValue}, codes(m.Errors))
	require.Equal(t, `segment 3 (bgm): segment tag "bgm" is not three upper-case letters or digits`, m.Errors[0].Error())
}

func TestNothingToFrame(t *testing.T) {
	t.Parallel()
	for name, data := range map[string]string{
		"empty":          "",
		"blank lines":    "\r\n\n",
		"no UNB":         "UNH+1+INVOIC:D:96A:UN'UNT+2+1'",
		"truncated UNA":  "UNA:+.",
		"not EDIFACT":    "ISA*00*          *00*",
		"only a release": "?",
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			f, err := Parse([]byte(data))
			require.ErrorIs(t, err, ErrNoInterchange)
			require.Nil(t, f)
		})
	}
}

func TestLineBreaksBetweenSegmentsAreSkipped(t *testing.T) {
	t.Parallel()
	crlf := strings.ReplaceAll(wrap("BGM+380+X'"), "'", "'\r\n")
	ic := parseOne(t, crlf)
	require.NoError(t, ic.Err())
	require.Equal(t, "X", body(t, ic.Messages[0], "BGM").Element(2))

	// A line break inside a segment is data, and not in UNOA.
	ic = parseOne(t, wrap("BGM+380+X\nY'"))
	require.Equal(t, []string{CodeInvalidCharacter}, codes(ic.Errors))
	require.Equal(t, "control byte 0x0A is not in the UNOA repertoire", ic.Errors[0].Reason)
}

func TestCharacterRepertoires(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		syntax  string
		value   string
		want    string // decoded value
		code    string // "" when valid
		reason  string
		warning string
	}{
		{"UNOA upper case", "UNOA:3", "ACME (EU) / 50% & MORE", "ACME (EU) / 50% & MORE", "", "", ""},
		{"UNOA lower case in syntax 3", "UNOA:3", "Acme", "Acme", CodeInvalidCharacter, "character 'c' is not in the UNOA repertoire", ""},
		{"UNOA invalid byte", "UNOA:4", "M\xfcLLER", "MüLLER", CodeInvalidCharacter, "byte 0xFC (not UTF-8 either) is not in the UNOA repertoire", ""},
		{"UNOA lower case in syntax 1 warns", "UNOA:1", "Acme", "Acme", "", "",
			"segment 3 (FTX) element 4 component 1: character 'c' is not in the UNOA repertoire (accepted: syntax version 1)"},
		{"UNOB lower case", "UNOB:3", "acme_eu", "acme_eu", "", "", ""},
		{"UNOB at sign", "UNOB:3", "a@b", "a@b", CodeInvalidCharacter, "character '@' is not in the UNOB repertoire", ""},
		{"UNOC Latin-1 byte", "UNOC:3", "M\xfcller", "Müller", "", "", ""},
		{"UNOC C1 control", "UNOC:3", "A\x85B", "A\u0085B", CodeInvalidCharacter, "byte 0x85 (a C1 control code in ISO 8859-1) is not in the UNOC repertoire", ""},
		{"UNOW UTF-8", "UNOW:4", "Łódź 東京", "Łódź 東京", "", "", ""},
		{"UNOW invalid UTF-8", "UNOW:4", "A\xffB", "AÿB", CodeInvalidCharacter, "byte 0xFF (not valid UTF-8) is not in the UNOW repertoire", ""},
		{"UNOY as UTF-8", "UNOY:4", "Ünïcode", "Ünïcode", "", "", ""},
		{"UNOD ASCII part", "UNOD:3", "Lodz", "Lodz", "", "", ""},
		{"UNOD beyond ASCII", "UNOD:3", "\xa3odz", "£odz", CodeCharsetNotSupported, "byte 0xA3 (ISO 8859-2 is supported for its ASCII part only) is not in the UNOD repertoire", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			data := wrapSyntax(tt.syntax, "FTX+AAI+++"+tt.value+"'")
			ic := parseOne(t, data)
			require.Equal(t, tt.want, body(t, ic.Messages[0], "FTX").Element(4))
			if tt.code == "" {
				require.NoError(t, ic.Err())
			} else {
				require.Len(t, ic.Errors, 1, "%v", ic.Err())
				e := ic.Errors[0]
				require.Equal(t, tt.code, e.Code)
				require.Equal(t, tt.reason, e.Reason)
				require.Equal(t, []any{3, "FTX", 4, 1}, []any{e.Segment, e.Tag, e.Element, e.Component})
				require.Equal(t, []*Error{e}, ic.Messages[0].Errors)
				require.Less(t, e.Offset, len(data))
			}
			if tt.warning != "" {
				require.Equal(t, []string{tt.warning}, ic.Warnings)
			} else {
				require.Empty(t, ic.Warnings)
			}
		})
	}
}

func TestLatin1FileDecodesIntoUTF8(t *testing.T) {
	t.Parallel()
	data, err := os.ReadFile("testdata/unoc_latin1.edi")
	require.NoError(t, err)
	ic := parseOne(t, string(data))
	require.NoError(t, ic.Err())
	m := ic.Messages[0]
	nad := body(t, m, "NAD")
	require.Equal(t, "Müller GmbH + Co. KG", nad.Element(3))
	require.Equal(t, "Straße 1", nad.Element(5))
	require.Equal(t, "Preis : 5 ¤", body(t, m, "FTX").Element(4))
}

func TestCharsetViolationsAreCapped(t *testing.T) {
	t.Parallel()
	var segs []string
	for range maxCharsetReports + 5 {
		segs = append(segs, "FTX+AAI+++lower'")
	}
	ic := parseOne(t, wrap(segs...))
	require.Len(t, ic.Errors, maxCharsetReports)
	require.Contains(t, ic.Warnings, "5 further character-set violations not reported")
}

func TestTrailingSeparatorsWarnOnce(t *testing.T) {
	t.Parallel()
	ic := parseOne(t, wrap("BGM+380+X+'", "DTM+137:20240501:'"))
	require.NoError(t, ic.Err())
	require.Equal(t, []string{"2 segment(s) end with a separator before the terminator (first: segment 3 (BGM)); ISO 9735 says trailing separators are omitted"}, ic.Warnings)
	require.Equal(t, [][]string{{"380"}, {"X"}, {""}}, body(t, ic.Messages[0], "BGM").Elements)
}

func TestSegmentAccessors(t *testing.T) {
	t.Parallel()
	s := Segment{Tag: "NAD", Elements: [][]string{{"BY"}, {"5400110000009", "", "9"}}}
	require.Equal(t, "BY", s.Element(1))
	require.Equal(t, "5400110000009", s.Element(2))
	require.Equal(t, "9", s.Component(2, 3))
	require.Equal(t, "", s.Component(2, 4))
	require.Equal(t, "", s.Element(3))
	require.Equal(t, "", s.Element(0))
	require.Equal(t, "", s.Component(1, 0))
	require.Nil(t, s.Occurrences(3))
	require.Equal(t, [][]string{{"BY"}}, s.Occurrences(1))
}

func TestErrorRendering(t *testing.T) {
	t.Parallel()
	require.Equal(t, "segment 7 (NAD) element 4 component 1: bad",
		(&Error{Segment: 7, Tag: "NAD", Element: 4, Component: 1, Reason: "bad"}).Error())
	require.Equal(t, "segment 7 (NAD): bad", (&Error{Segment: 7, Tag: "NAD", Reason: "bad"}).Error())
	require.Equal(t, "UNZ at offset 90: bad", (&Error{Tag: "UNZ", Offset: 90, Reason: "bad"}).Error())
	require.Equal(t, "offset 3: bad", (&Error{Offset: 3, Reason: "bad"}).Error())
}

func TestLeadingByteOrderMarkIsSkipped(t *testing.T) {
	t.Parallel()
	ic := parseOne(t, "\xef\xbb\xbf"+wrap("BGM+380+X'"))
	require.NoError(t, ic.Err())
	require.Equal(t, 1, ic.Header.Number)
	require.Equal(t, 3, ic.Header.Offset)
	require.Equal(t, []string{"the input starts with a UTF-8 byte order mark, which was skipped"}, ic.Warnings)
}

func TestUNARepetitionSeparatorCheckedInSyntax4(t *testing.T) {
	t.Parallel()
	ic := parseOne(t, "UNA:+.?+'"+wrapSyntax("UNOA:4", "BGM+380'"))
	require.NotEmpty(t, ic.Errors)
	require.Equal(t, CodeInvalidServiceChar, ic.Errors[0].Code)
	require.Equal(t, `UNA data element separator and repetition separator are both "+"`, ic.Errors[0].Reason)
}
