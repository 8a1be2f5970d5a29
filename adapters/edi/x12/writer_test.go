package x12_test

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/crossdock-hub/crossdock/adapters/edi/x12"
)

var testEnvelope = x12.Envelope{
	SenderQualifier: "ZZ", SenderID: "CROSSDOCK", ReceiverQualifier: "12", ReceiverID: "6143364545",
	Version: "00401", Control: "42", Date: time.Date(2024, 3, 15, 9, 5, 0, 0, time.UTC), Usage: "T", AckRequested: true,
}

func TestWriterRoundTrip(t *testing.T) {
	w := x12.NewWriter(x12.DefaultDelimiters())
	ic := w.Interchange(testEnvelope)
	g := ic.Group("SH", "CROSSDOCK", "ACME", "7", "004010")
	t1 := g.Transaction("856", "0001")
	t1.Segment("BSN", "00", "ASN-1", "20240315", "0905", "0001")
	t1.Segment("HL", "1", "", "S", "1")
	t1.Segment("TD1", "CTN25", "2", "", "", "", "", "", "") // trailing empties are left out
	t1.Segment("REF", "ZZ", w.Composite("A", "B", ""))
	t2 := g.Transaction("856", "0002")
	t2.Segment("BSN", "00", "ASN-2", "20240315", "0905", "0001")
	ic.Group("IN", "CROSSDOCK", "ACME", "8", "004010").Transaction("810", "0003").Segment("BIG", "20240315", "INV-1")
	data, err := w.Bytes()
	require.NoError(t, err)

	require.Equal(t, "ISA*00*          *00*          *ZZ*CROSSDOCK      *12*6143364545     *240315*0905*U*00401*000000042*1*T*>~", string(data[:106]))
	require.Contains(t, string(data), "~GS*SH*CROSSDOCK*ACME*20240315*0905*7*X*004010~ST*856*0001~BSN*00*ASN-1*20240315*0905*0001~HL*1**S*1~TD1*CTN25*2~REF*ZZ*A>B~SE*6*0001~")
	require.True(t, strings.HasSuffix(string(data), "~GE*1*8~IEA*2*000000042~"))

	f := parseClean(t, data)
	got := f.Interchanges[0]
	require.Equal(t, "CROSSDOCK", got.SenderID)
	require.Equal(t, "6143364545", got.ReceiverID)
	require.Equal(t, "000000042", got.Control)
	require.Equal(t, "1", got.AckRequested)
	require.Equal(t, "T", got.Usage)
	require.Len(t, got.Groups, 2)
	require.Equal(t, "20240315", got.Groups[0].Date)
	sets := got.Groups[0].Transactions
	require.Len(t, sets, 2)
	require.Equal(t, "6", sets[0].Trailer().Element(1))
	require.Equal(t, "B", find(sets[0], "REF")[0].Component(2, 2))
	require.Equal(t, "3", sets[1].Trailer().Element(1))
	require.Equal(t, "INV-1", find(got.Groups[1].Transactions[0], "BIG")[0].Element(2))
}

func TestWriterRepetitionSeparator(t *testing.T) {
	d := x12.Delimiters{Element: '|', Component: ':', Segment: '\n', Repetition: '^'}
	w := x12.NewWriter(d)
	env := testEnvelope
	env.Version = "00501"
	w.Interchange(env).Group("SH", "A", "B", "1", "005010").Transaction("856", "0001").Segment("BSN", "00", "1")
	data, err := w.Bytes()
	require.NoError(t, err)
	f := parseClean(t, data)
	require.Equal(t, d, f.Interchanges[0].Delimiters)
}

func TestWriterRefuses(t *testing.T) {
	tests := []struct {
		name  string
		build func(w *x12.Writer)
		err   string
	}{
		{"element holds the element separator", func(w *x12.Writer) {
			w.Interchange(testEnvelope).Group("SH", "A", "B", "1", "004010").Transaction("856", "0001").Segment("BSN", "00", "A*B")
		}, `x12 writer: interchange 42 group 1 set 856 0001 segment 2 (BSN) element 02: "A*B" contains the element separator '*'`},
		{"element holds the terminator", func(w *x12.Writer) {
			tx := w.Interchange(testEnvelope).Group("SH", "A", "B", "1", "004010").Transaction("856", "0001")
			tx.Segment("BSN", "00", "1")
			tx.Segment("PID", "F", "", "", "", "50% off~now")
		}, `x12 writer: interchange 42 group 1 set 856 0001 segment 3 (PID) element 05: "50% off~now" contains the segment terminator '~'`},
		{"envelope segment", func(w *x12.Writer) {
			w.Interchange(testEnvelope).Group("SH", "A", "B", "1", "004010").Transaction("856", "0001").Segment("SE", "2", "0001")
		}, "x12 writer: interchange 42 group 1 set 856 0001 segment 2: SE is an envelope segment; the Writer writes it"},
		{"sender too long", func(w *x12.Writer) {
			env := testEnvelope
			env.SenderID = "A-SENDER-ID-OF-20-CH"
			w.Interchange(env)
		}, `x12 writer: interchange 42: ISA06 "A-SENDER-ID-OF-20-CH" must be 1 to 15 characters`},
		{"control not digits", func(w *x12.Writer) {
			env := testEnvelope
			env.Control = "A1"
			w.Interchange(env)
		}, `x12 writer: interchange A1: ISA13 "A1" must be digits`},
		{"usage", func(w *x12.Writer) {
			env := testEnvelope
			env.Usage = "X"
			w.Interchange(env)
		}, `x12 writer: interchange 42: ISA15 usage "X" must be P or T`},
		{"group control", func(w *x12.Writer) {
			w.Interchange(testEnvelope).Group("SH", "A", "B", "G1", "004010")
		}, `x12 writer: interchange 42 group G1: GS06 "G1" must be 1 to 9 digits`},
		{"set code", func(w *x12.Writer) {
			w.Interchange(testEnvelope).Group("SH", "A", "B", "1", "004010").Transaction("ASN", "0001")
		}, `x12 writer: interchange 42 group 1 set ASN 0001: ST01 "ASN" must be 3 digits`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			w := x12.NewWriter(x12.DefaultDelimiters())
			tc.build(w)
			data, err := w.Bytes()
			require.Nil(t, data)
			require.EqualError(t, err, tc.err)
		})
	}
	t.Run("clashing delimiters", func(t *testing.T) {
		_, err := x12.NewWriter(x12.Delimiters{Element: '*', Component: '*', Segment: '~'}).Bytes()
		require.EqualError(t, err, "x12 writer: the component separator (ISA16) is '*', the same as the element separator (ISA byte 3): delimiters must be distinct")
	})
}
