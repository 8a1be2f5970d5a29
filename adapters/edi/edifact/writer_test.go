package edifact

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

var prepared = time.Date(2024, 5, 1, 9, 30, 0, 0, time.UTC)

func header(syntax string, version int) InterchangeHeader {
	return InterchangeHeader{Syntax: syntax, SyntaxVersion: version, Sender: "5400110000009", SenderQualifier: "14",
		Recipient: "5013546107732", RecipientQualifier: "14", Prepared: prepared, Reference: "ORD0001", AckRequested: true}
}

func TestWriterDefaultDelimitersExactBytes(t *testing.T) {
	t.Parallel()
	w := NewWriter(DefaultDelimiters)
	m := w.Interchange(header("UNOA", 3)).Message("1", "ORDERS", "D", "96A", "UN", "EAN008")
	m.Segment("BGM", E("220"), E("PO-42"), E("9"))
	m.Segment("DTM", E("137", "20240501", "102"))
	m.Segment("FTX", E("AAI"), nil, nil, E("IT'S 50% + 2:1 ?", "", ""), nil)
	got, err := w.Bytes()
	require.NoError(t, err)
	require.Equal(t, "UNB+UNOA:3+5400110000009:14+5013546107732:14+240501:0930+ORD0001++++1'"+
		"UNH+1+ORDERS:D:96A:UN:EAN008'BGM+220+PO-42+9'DTM+137:20240501:102'FTX+AAI+++IT?'S 50% ?+ 2?:1 ??'"+
		"UNT+5+1'UNZ+1+ORD0001'", string(got))
}

func TestWriterRoundTripsThroughParse(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		d       Delimiters
		syntax  string
		version int
		una     string // expected prefix, "" when no UNA
	}{
		{"defaults syntax 3", DefaultDelimiters, "UNOC", 3, ""},
		{"defaults syntax 4", DefaultDelimiters, "UNOW", 4, ""},
		{"decimal comma", Delimiters{Component: ':', Element: '+', Decimal: ',', Release: '?', Segment: '\''}, "UNOC", 3, "UNA:+,? '"},
		{"odd separators", Delimiters{Component: '|', Element: '^', Decimal: '.', Release: '!', Segment: '~'}, "UNOC", 3, "UNA|^.! ~"},
		{"syntax 4 own repetition", Delimiters{Component: ':', Element: '+', Decimal: '.', Release: '?', Repetition: '#', Segment: '\''}, "UNOC", 4, "UNA:+.?#'"},
		{"repetition ignored in syntax 3", Delimiters{Component: ':', Element: '+', Decimal: '.', Release: '?', Repetition: '*', Segment: '\''}, "UNOC", 3, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			w := NewWriter(tt.d)
			w.LineBreaks = true
			ic := w.Interchange(header(tt.syntax, tt.version))
			g := ic.Group(GroupHeader{ID: "ORDERS", Sender: "5400110000009", Recipient: "5013546107732", Reference: "G1",
				Agency: "UN", Version: "D", Release: "96A"})
			for _, ref := range []string{"1", "2"} {
				m := g.Message(ref, "ORDERS", "D", "96A", "UN", "")
				m.Segment("BGM", E("220"), E("PO-"+ref), E("9"))
				m.Segment("NAD", E("SU"), E("5013546107732", "", "9"), nil, E("Müller + Söhne: 5*5 'Box' ^|~!#?"))
				m.Segment("QTY", E("21", tt.d.FormatDecimal(mustDecimal(t, "12.5")), "PCE"))
			}
			data, err := w.Bytes()
			require.NoError(t, err)
			if tt.una != "" {
				require.Equal(t, tt.una+"\n", string(data[:10]))
			} else {
				require.Equal(t, "UNB", string(data[:3]))
			}

			f, err := Parse(data)
			require.NoError(t, err)
			require.NoError(t, f.Err())
			require.Len(t, f.Interchanges, 1)
			got := f.Interchanges[0]
			require.Empty(t, got.Warnings)
			require.Equal(t, tt.version, got.SyntaxVersion)
			require.Equal(t, prepared, got.Prepared)
			require.Equal(t, "ORD0001", got.Reference)
			require.True(t, got.AckRequested)
			require.Len(t, got.Groups, 1)
			require.Equal(t, "G1", got.Groups[0].Reference)
			require.Len(t, got.Groups[0].Messages, 2)
			m := got.Groups[0].Messages[1]
			require.Equal(t, "2", m.Reference)
			require.Len(t, m.Segments, 5)
			require.Equal(t, "Müller + Söhne: 5*5 'Box' ^|~!#?", body(t, m, "NAD").Element(4))
			require.Equal(t, "9", body(t, m, "NAD").Component(2, 3))
			q, err := got.Delimiters.ParseDecimal(body(t, m, "QTY").Component(1, 2))
			require.NoError(t, err)
			require.Equal(t, "12.5", q.String())
		})
	}
}

func TestWriterEncodesUNOCAsLatin1(t *testing.T) {
	t.Parallel()
	w := NewWriter(Delimiters{})
	w.Interchange(header("UNOC", 3)).Message("1", "ORDERS", "D", "96A", "UN", "").Segment("NAD", E("SU"), nil, E("Straße"))
	data, err := w.Bytes()
	require.NoError(t, err)
	require.Contains(t, string(data), "NAD+SU++Stra\xdfe'")
}

func TestWriterSyntax4DateAndEscapedRepetition(t *testing.T) {
	t.Parallel()
	w := NewWriter(DefaultDelimiters)
	w.Interchange(header("UNOA", 4)).Message("1", "ORDERS", "D", "01B", "UN", "").Segment("IMD", E("F"), nil, E("", "", "", "5*5 CM"))
	data, err := w.Bytes()
	require.NoError(t, err)
	require.Contains(t, string(data), "+20240501:0930+")
	require.Contains(t, string(data), "IMD+F++:::5?*5 CM'")
}

func TestWriterRefusesWhatItCannotWrite(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		build func(w *Writer)
		want  string
	}{
		{"lower case in UNOA", func(w *Writer) {
			w.Interchange(header("UNOA", 3)).Message("1", "ORDERS", "D", "96A", "UN", "").Segment("NAD", E("SU"), nil, E("Acme"))
		}, "edifact: write interchange ORD0001 message 1: segment 2 (NAD) element 3 component 1: character 'c' (U+0063) is not in the UNOA repertoire"},
		{"beyond Latin-1 in UNOC", func(w *Writer) {
			w.Interchange(header("UNOC", 3)).Message("1", "ORDERS", "D", "96A", "UN", "").Segment("NAD", E("SU"), nil, E("Łódź"))
		}, "character 'Ł' (U+0141) is not in the UNOC repertoire"},
		{"invalid UTF-8 input", func(w *Writer) {
			w.Interchange(header("UNOW", 4)).Message("1", "ORDERS", "D", "96A", "UN", "").Segment("NAD", E("\xff"))
		}, "byte 0xFF is not UTF-8"},
		{"service segment in a body", func(w *Writer) {
			w.Interchange(header("UNOA", 3)).Message("1", "ORDERS", "D", "96A", "UN", "").Segment("UNT", E("1"))
		}, "UNT is a service segment the writer adds itself"},
		{"bad tag", func(w *Writer) {
			w.Interchange(header("UNOA", 3)).Message("1", "ORDERS", "D", "96A", "UN", "").Segment("BG", E("1"))
		}, `tag "BG" is not three upper-case letters or digits`},
		{"no reference", func(w *Writer) {
			h := header("UNOA", 3)
			h.Reference = ""
			w.Interchange(h).Message("1", "ORDERS", "D", "96A", "UN", "")
		}, "UNB: Reference is required"},
		{"no message reference", func(w *Writer) {
			w.Interchange(header("UNOA", 3)).Message("", "ORDERS", "D", "96A", "UN", "")
		}, "UNH: reference is required"},
		{"empty interchange", func(w *Writer) { w.Interchange(header("UNOA", 3)) }, "holds no message"},
		{"mixed groups and messages", func(w *Writer) {
			ic := w.Interchange(header("UNOA", 3))
			ic.Group(GroupHeader{ID: "ORDERS", Reference: "1"}).Message("1", "ORDERS", "D", "96A", "UN", "")
			ic.Message("2", "ORDERS", "D", "96A", "UN", "")
		}, "holds both groups and messages outside groups"},
		{"unknown syntax", func(w *Writer) {
			w.Interchange(header("UNOX", 3)).Message("1", "ORDERS", "D", "96A", "UN", "")
		}, `syntax identifier "UNOX" is not one this writer can encode`},
		{"no prepared time", func(w *Writer) {
			h := header("UNOA", 3)
			h.Prepared = time.Time{}
			w.Interchange(h).Message("1", "ORDERS", "D", "96A", "UN", "")
		}, "UNB: Prepared is required"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			w := NewWriter(DefaultDelimiters)
			tt.build(w)
			data, err := w.Bytes()
			require.ErrorContains(t, err, tt.want)
			require.Nil(t, data)
		})
	}
}

func TestWriterRefusesDelimitersThatCannotFrame(t *testing.T) {
	t.Parallel()
	w := NewWriter(Delimiters{Component: '+', Element: '+', Decimal: '.', Release: '?', Segment: '\''})
	w.Interchange(header("UNOA", 3)).Message("1", "ORDERS", "D", "96A", "UN", "").Segment("BGM", E("220"))
	_, err := w.Bytes()
	require.ErrorContains(t, err, `delimiters: component separator and data element separator are both "+"`)

	w = NewWriter(Delimiters{Component: ':', Element: '+', Decimal: '.', Segment: '\''})
	w.Interchange(header("UNOA", 3)).Message("1", "ORDERS", "D", "96A", "UN", "").Segment("FTX", E("A+B"))
	_, err = w.Bytes()
	require.ErrorContains(t, err, `"+" is a service character and there is no release character`)
}
