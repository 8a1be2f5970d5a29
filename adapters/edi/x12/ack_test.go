package x12_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/crossdock-hub/crossdock/adapters/edi/x12"
)

var ackEnv = x12.AckEnvelope{Control: "900", GroupControl: 31, Date: time.Date(2024, 3, 16, 8, 30, 0, 0, time.UTC)}

// acknowledge builds the 997 for ic, parses it back and reads each 997.
func acknowledge(t *testing.T, ic *x12.Interchange, problems map[x12.TxKey][]*x12.Error) (x12.Interchange, []x12.Ack) {
	t.Helper()
	data, err := x12.Acknowledge(ic, ackEnv, problems)
	require.NoError(t, err)
	f := parseClean(t, data)
	require.Len(t, f.Interchanges, 1)
	out := f.Interchanges[0]
	var acks []x12.Ack
	for _, g := range out.Groups {
		require.Equal(t, "FA", g.FunctionalID)
		for _, tx := range g.Transactions {
			require.Equal(t, "997", tx.Code)
			a, err := x12.ReadAck(tx)
			require.NoError(t, err)
			acks = append(acks, a)
		}
	}
	require.Equal(t, x12.Review(ic, problems), acks, "the 997 says what Review decided")
	return out, acks
}

func TestAcknowledgeMapperProblem(t *testing.T) {
	f := parseClean(t, fixture(t, "810_staedi_simple810_2tx.x12"))
	ic := &f.Interchanges[0]
	second := ic.Groups[0].Transactions[1]
	tds := find(second, "TDS")[0]
	it1 := find(second, "IT1")[1]
	problems := map[x12.TxKey][]*x12.Error{
		{Group: "1", Set: "000000002"}: {
			{Segment: tds.Number, SegmentID: "TDS", Element: 1, Code: x12.ElemInvalidCode, Reason: "TDS 2554.38 does not match the lines (1851.00)"},
			{Segment: it1.Number, SegmentID: "IT1", Element: 6, Code: x12.ElemInvalidCode, Reason: "unknown qualifier"},
			{Segment: it1.Number, SegmentID: "IT1", Element: 7, Code: x12.ElemMandatory, Reason: "no item"},
		},
	}
	out, acks := acknowledge(t, ic, problems)

	require.Equal(t, "RECEIVERISA", out.SenderID, "sender and receiver are swapped")
	require.Equal(t, "SENDERISA", out.ReceiverID)
	require.Equal(t, "000000900", out.Control)
	require.Equal(t, "T", out.Usage, "usage copied from the inbound ISA15")
	require.Empty(t, out.InterchangeAcks, "no TA1: the interchange is clean and asked for none")
	g := out.Groups[0]
	require.Equal(t, []string{"007326879", "SENDERDEPT", "31", "004010"}, []string{g.Sender, g.Receiver, g.Control, g.Version})

	require.Len(t, acks, 1)
	a := acks[0]
	require.Equal(t, "IN", a.FunctionalID)
	require.Equal(t, "1", a.GroupControl)
	require.Equal(t, x12.AckPartial, a.Status)
	require.Equal(t, []int{2, 2, 1}, []int{a.Included, a.Received, a.Accepted})
	require.Equal(t, x12.SetAck{Code: "810", Control: "000000001", Status: x12.AckAccepted}, a.Sets[0])
	require.Equal(t, x12.SetAck{
		Code: "810", Control: "000000002", Status: x12.AckRejected, Errors: []string{"5"},
		Segments: []x12.SegmentNote{
			{ID: "IT1", Position: 16, Code: "8", Elements: []x12.ElementNote{
				{Position: 6, Code: "7", Value: "UA"}, {Position: 7, Code: "1", Value: "002840066666"},
			}},
			{ID: "TDS", Position: 18, Code: "8", Elements: []x12.ElementNote{{Position: 1, Code: "7", Value: "255438"}}},
		},
	}, a.Sets[1])
}

func TestAcknowledgeEnvelopeErrors(t *testing.T) {
	tests := []struct {
		name     string
		data     []byte
		group    x12.AckStatus
		counts   []int // included, received, accepted
		codes    []string
		sets     []x12.AckStatus
		setCodes [][]string
		ta1      string // TA104 and TA105, "" = no TA1
		problems map[x12.TxKey][]*x12.Error
	}{
		{name: "SE01 wrong", data: testdata(t, "se01_wrong_count.x12"), group: x12.AckRejected, counts: []int{1, 1, 0},
			sets: []x12.AckStatus{x12.AckRejected}, setCodes: [][]string{{"4"}}},
		{name: "SE02 mismatch", data: testdata(t, "se02_mismatch.x12"), group: x12.AckRejected, counts: []int{1, 1, 0},
			sets: []x12.AckStatus{x12.AckRejected}, setCodes: [][]string{{"3"}}},
		{name: "GE01 and GE02 wrong", data: testdata(t, "ge_mismatch.x12"), group: x12.AckRejected, counts: []int{3, 2, 0},
			codes: []string{"5", "4"}, sets: []x12.AckStatus{x12.AckAccepted, x12.AckAccepted}, setCodes: [][]string{nil, nil}},
		{name: "IEA wrong: TA1", data: testdata(t, "iea_mismatch.x12"), group: x12.AckAccepted, counts: []int{1, 1, 1},
			sets: []x12.AckStatus{x12.AckAccepted}, setCodes: [][]string{nil}, ta1: "R 021"},
		{name: "a warning is accepted with errors noted", data: testdata(t, "brace_element.x12"),
			group: x12.AckErrorsNoted, counts: []int{1, 1, 1}, sets: []x12.AckStatus{x12.AckErrorsNoted}, setCodes: [][]string{{"5"}},
			problems: map[x12.TxKey][]*x12.Error{{Group: "101", Set: "0001"}: {
				{Segment: 14, Kind: x12.KindSegment, Code: x12.SegElementErrors, Warning: true, Reason: "CTT01 says 4 HL, partners differ"},
			}}},
		{name: "a set-level problem from the mapper", data: testdata(t, "brace_element.x12"),
			group: x12.AckRejected, counts: []int{1, 1, 0}, sets: []x12.AckStatus{x12.AckRejected}, setCodes: [][]string{{"1"}},
			problems: map[x12.TxKey][]*x12.Error{{Group: "101", Set: "0001"}: {
				{Kind: x12.KindTransaction, Code: x12.SetNotSupported, Reason: "no 856 agreement with this partner"},
			}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f, err := x12.Parse(tc.data)
			require.NoError(t, err)
			out, acks := acknowledge(t, &f.Interchanges[0], tc.problems)
			require.Len(t, acks, 1)
			a := acks[0]
			require.Equal(t, tc.group, a.Status)
			require.Equal(t, tc.counts, []int{a.Included, a.Received, a.Accepted})
			require.Equal(t, tc.codes, a.Errors)
			var sets []x12.AckStatus
			var setCodes [][]string
			for _, s := range a.Sets {
				sets = append(sets, s.Status)
				setCodes = append(setCodes, s.Errors)
			}
			require.Equal(t, tc.sets, sets)
			require.Equal(t, tc.setCodes, setCodes)
			if tc.ta1 == "" {
				require.Empty(t, out.InterchangeAcks)
				return
			}
			require.Len(t, out.InterchangeAcks, 1)
			ta1 := out.InterchangeAcks[0]
			require.Equal(t, f.Interchanges[0].Control, ta1.Element(1))
			require.Equal(t, tc.ta1, ta1.Element(4)+" "+ta1.Element(5))
		})
	}
}

func TestAcknowledgeTwoGroups(t *testing.T) {
	f := parseClean(t, testdata(t, "two_interchanges.x12"))
	// The second interchange is 5010 with a repetition separator; its 997 keeps both and says AK103.
	ic := &f.Interchanges[1]
	out, acks := acknowledge(t, ic, nil)
	require.Equal(t, byte('!'), out.Delimiters.Repetition)
	require.Equal(t, "00501", out.Version)
	require.Len(t, acks, 1)
	require.Equal(t, "005010", acks[0].Version)
	require.Equal(t, x12.AckAccepted, acks[0].Status)
	require.Equal(t, []int{2, 2, 2}, []int{acks[0].Included, acks[0].Received, acks[0].Accepted})

	// two inbound groups with the same parties share one FA group, one 997 each
	data := x12doc(gs, "ST*856*0001", "SE*2*0001", "GE*1*1",
		"GS*SH*SENDER*RECEIVER*20240315*1405*2*X*004010", "ST*856*0001", "BSN*00*1", "SE*3*0001", "GE*1*2", "IEA*2*000000001")
	two := parseClean(t, data)
	out, acks = acknowledge(t, &two.Interchanges[0], nil)
	require.Len(t, out.Groups, 1)
	require.Len(t, out.Groups[0].Transactions, 2)
	require.Equal(t, []string{"1", "2"}, []string{acks[0].GroupControl, acks[1].GroupControl})
	require.Equal(t, []string{"0001", "0002"}, []string{out.Groups[0].Transactions[0].Control, out.Groups[0].Transactions[1].Control})
}

func TestReadAck(t *testing.T) {
	// a partner's 997 for our group 4711: set 0001 accepted, 0002 rejected with an AK3/AK4 on a composite
	data := x12doc("GS*FA*ACME*CROSSDOCK*20240316*0830*55*X*004010", "ST*997*0101", "AK1*SH*4711",
		"AK2*856*0001", "AK5*A",
		"AK2*856*0002", "AK3*MAN*12*0200*8", "AK4*2>1*87*6*ABC", "AK4*3**1", "AK3*ZZZ*40**1", "AK5*R*5",
		"AK9*P*2*2*1", "SE*12*0101", "GE*1*55", "IEA*1*000000001")
	f := parseClean(t, data)
	a, err := x12.ReadAck(f.Interchanges[0].Groups[0].Transactions[0])
	require.NoError(t, err)
	require.Equal(t, x12.Ack{
		FunctionalID: "SH", GroupControl: "4711", Status: x12.AckPartial, Included: 2, Received: 2, Accepted: 1,
		Sets: []x12.SetAck{
			{Code: "856", Control: "0001", Status: x12.AckAccepted},
			{Code: "856", Control: "0002", Status: x12.AckRejected, Errors: []string{"5"}, Segments: []x12.SegmentNote{
				{ID: "MAN", Position: 12, Loop: "0200", Code: "8", Elements: []x12.ElementNote{
					{Position: 2, Component: 1, Reference: "87", Code: "6", Value: "ABC"},
					{Position: 3, Code: "1"},
				}},
				{ID: "ZZZ", Position: 40, Code: "1"},
			}},
		},
	}, a)
	require.False(t, a.Status.Accepted())
	require.True(t, a.Sets[0].Status.Accepted())
}

func TestReadAckRejects(t *testing.T) {
	tests := []struct {
		name string
		segs []string
		err  string
	}{
		{"not a 997", []string{"ST*856*0001", "SE*2*0001"}, "segment 3 (ST) element 01: transaction set 856 0001 is not a 997 or 999 acknowledgment"},
		{"no AK9", []string{"ST*997*0001", "AK1*SH*1", "AK2*856*0001", "AK5*A", "SE*5*0001"}, "segment 7 (SE): acknowledgment 0001 has no AK9"},
		{"AK2 without AK5", []string{"ST*997*0001", "AK1*SH*1", "AK2*856*0001", "AK9*A*1*1*1", "SE*5*0001"},
			"segment 6 (AK9): AK2 for set 856 0001 has no AK5 before AK9"},
		{"unknown AK501", []string{"ST*997*0001", "AK1*SH*1", "AK2*856*0001", "AK5*Q", "AK9*A*1*1*1", "SE*6*0001"},
			`segment 6 (AK5) element 01: AK501 "Q" is not an acknowledgment code (A, E, R, M, W, X)`},
		{"count not a number", []string{"ST*997*0001", "AK1*SH*1", "AK9*A*1*one*1", "SE*4*0001"},
			`segment 5 (AK9) element 03: AK903 "one" is not a count`},
		{"AK4 outside AK3", []string{"ST*997*0001", "AK1*SH*1", "AK2*856*0001", "AK4*1**1", "AK5*R", "AK9*R*1*1*0", "SE*7*0001"},
			"segment 6 (AK4): AK4 without an AK3"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			segs := append(append([]string{gs}, tc.segs...), "GE*1*1", "IEA*1*000000001")
			f, err := x12.Parse(x12doc(segs...))
			require.NoError(t, err)
			_, err = x12.ReadAck(f.Interchanges[0].Groups[0].Transactions[0])
			var xe *x12.Error
			require.ErrorAs(t, err, &xe)
			require.EqualError(t, err, tc.err)
		})
	}
}
