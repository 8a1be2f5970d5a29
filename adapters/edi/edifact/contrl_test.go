package edifact

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

var controlOpts = ControlOptions{Reference: "CTL0001", Prepared: time.Date(2024, 5, 2, 8, 0, 0, 0, time.UTC)}

// answer builds the CONTRL for ic and reads it back.
func answer(t *testing.T, ic *Interchange, problems map[string][]*Error) (*Interchange, *ControlReport) {
	t.Helper()
	data, err := Control(ic, problems, controlOpts)
	require.NoError(t, err)
	f, err := Parse(data)
	require.NoError(t, err)
	require.NoError(t, f.Err(), "the CONTRL itself is well-formed:\n%s", data)
	require.Len(t, f.Interchanges, 1)
	back := &f.Interchanges[0]
	require.Len(t, back.Messages, 1)
	report, err := ReadControl(back.Messages[0])
	require.NoError(t, err)
	return back, report
}

func parseFixture(t *testing.T, name string) *Interchange {
	t.Helper()
	f, err := Parse(fixture(t, name))
	require.NoError(t, err)
	return &f.Interchanges[0]
}

func TestControlRejectsTheMessageWithACharsetError(t *testing.T) {
	t.Parallel()
	ic := parseFixture(t, "INVOIC_D97B_staedi.edi")
	back, r := answer(t, ic, nil)

	require.Equal(t, "006415160", back.Sender, "sender and recipient swapped")
	require.Equal(t, "1", back.SenderQualifier)
	require.Equal(t, "005435656", back.Recipient)
	require.Equal(t, "UNOA", back.Syntax)
	require.Equal(t, 3, back.SyntaxVersion)
	require.Equal(t, "CTL0001", back.Reference)
	m := back.Messages[0]
	require.Equal(t, []string{"CONTRL", "D", "3", "UN"}, []string{m.Type, m.Version, m.Release, m.Agency})

	require.Equal(t, "00000000000778", r.Reference)
	require.Equal(t, "005435656", r.Sender)
	require.Equal(t, "006415160", r.Recipient)
	require.Equal(t, ActionAcknowledged, r.Action, "the envelope is fine; the message is rejected")
	require.Nil(t, r.Problem)
	require.Equal(t, []ControlMessage{{Reference: "00000000000117", Type: "INVOIC", Version: "D", Release: "97B", Agency: "UN",
		Action:   ActionRejected,
		Segments: []ControlSegment{{Position: 6, Elements: []ControlElement{{Code: CodeInvalidCharacter, Element: 4, Component: 1}}}},
	}}, r.Messages)
}

func TestControlRejectsTheMessageWithALyingUNT(t *testing.T) {
	t.Parallel()
	ic := parseFixture(t, "ORDERS_D96B_EAN008_staedi_UNG-group.edi")
	back, r := answer(t, ic, nil)
	require.True(t, back.TestIndicator, "the test indicator is echoed")
	require.Equal(t, ActionAcknowledged, r.Action)
	require.Equal(t, []ControlGroup{{Reference: "1", Action: ActionAcknowledged}}, r.Groups)
	require.Len(t, r.Messages, 1)
	cm := r.Messages[0]
	require.Equal(t, "1", cm.Group)
	require.Equal(t, "1", cm.Reference)
	require.Equal(t, "EAN008B", cm.Association)
	require.Equal(t, ActionRejected, cm.Action)
	require.Equal(t, &ControlProblem{Code: CodeCountMismatch, Tag: "UNT", Element: 1}, cm.Problem)
	require.Empty(t, cm.Segments)
}

func TestControlAcknowledgesACleanInterchange(t *testing.T) {
	t.Parallel()
	ic := parseFixture(t, "INVOIC_D93A_staedi_una_decimal-comma.edi")
	back, r := answer(t, ic, nil)
	require.Equal(t, byte(','), back.Delimiters.Decimal, "the CONTRL uses the inbound delimiters")
	require.Equal(t, 2, back.SyntaxVersion)
	require.Equal(t, ActionAcknowledged, r.Action)
	require.Len(t, r.Messages, 1)
	require.Equal(t, ActionAcknowledged, r.Messages[0].Action)
	require.Nil(t, r.Messages[0].Problem)
	require.Equal(t, "INVOIC0001", r.Messages[0].Reference)
}

func TestControlAddsMapperProblems(t *testing.T) {
	t.Parallel()
	ic := parseFixture(t, "INVOIC_D93A_staedi_una_decimal-comma.edi")
	m := ic.Messages[0]
	qty := m.Segments[9] // QTY+47:1:PCE, file segment 11
	require.Equal(t, "QTY", qty.Tag)
	problems := map[string][]*Error{"INVOIC0001": {
		{Segment: qty.Number, Tag: "QTY", Element: 1, Component: 3, Code: CodeNotSupportedValue, Reason: "unit PCE not agreed"},
		{Segment: qty.Number, Tag: "QTY", Code: CodeUnspecified, Reason: "line rejected"},
		{Segment: m.Segments[4].Number, Tag: "DTM", Element: 1, Component: 2, Code: CodeInvalidValue, Reason: "19999715 is no date"},
	}}
	_, r := answer(t, ic, problems)
	require.Equal(t, ActionAcknowledged, r.Action)
	require.Len(t, r.Messages, 1)
	cm := r.Messages[0]
	require.Equal(t, ActionRejected, cm.Action)
	require.Nil(t, cm.Problem)
	require.Equal(t, []ControlSegment{
		{Position: 5, Elements: []ControlElement{{Code: CodeInvalidValue, Element: 1, Component: 2}}},
		{Position: 10, Code: CodeUnspecified, Elements: []ControlElement{{Code: CodeNotSupportedValue, Element: 1, Component: 3}}},
	}, cm.Segments)
}

func TestControlRejectsABrokenInterchange(t *testing.T) {
	t.Parallel()
	data := strings.Replace(wrap("BGM+380+X'"), "UNZ+1+IC1'", "UNZ+2+IC1'", 1)
	ic := parseOne(t, data)
	_, r := answer(t, ic, nil)
	require.Equal(t, ActionRejected, r.Action)
	require.Equal(t, &ControlProblem{Code: CodeCountMismatch, Tag: "UNZ", Element: 1}, r.Problem)
	require.Len(t, r.Messages, 1)
	require.Equal(t, ActionRejected, r.Messages[0].Action, "everything under a rejected interchange is rejected")
	require.Nil(t, r.Messages[0].Problem)
}

func TestControlSyntax4AndMissingUNT(t *testing.T) {
	t.Parallel()
	ic := parseOne(t, "UNB+UNOC:4+S+R+20240501:0930+IC1'UNH+1+ORDERS:D:01B:UN'BGM+220+X'UNZ+1+IC1'")
	back, r := answer(t, ic, nil)
	m := back.Messages[0]
	require.Equal(t, []string{"CONTRL", "4", "1"}, []string{m.Type, m.Version, m.Release})
	require.Equal(t, 4, back.SyntaxVersion)
	require.Equal(t, ActionAcknowledged, r.Action)
	require.Equal(t, &ControlProblem{Code: CodeMissing, Tag: "UNT"}, r.Messages[0].Problem)
	require.Equal(t, ActionRejected, r.Messages[0].Action)
}

func TestControlRefusals(t *testing.T) {
	t.Parallel()
	ic := parseFixture(t, "INVOIC_D93A_staedi_una_decimal-comma.edi")

	_, err := Control(ic, map[string][]*Error{"NOPE": {{Code: CodeInvalidValue}}}, controlOpts)
	require.ErrorContains(t, err, `problems for message "NOPE", which is not in interchange 9908021557`)

	_, err = Control(ic, nil, ControlOptions{})
	require.ErrorContains(t, err, "Reference is required")

	data, err := Control(ic, nil, controlOpts)
	require.NoError(t, err)
	f, err := Parse(data)
	require.NoError(t, err)
	_, err = Control(&f.Interchanges[0], nil, controlOpts)
	require.ErrorIs(t, err, ErrControlForControl)
}

func TestReadControlRefusals(t *testing.T) {
	t.Parallel()
	_, err := ReadControl(Message{Reference: "1", Type: "INVOIC"})
	require.ErrorContains(t, err, "is INVOIC, not CONTRL")

	ic := parseOne(t, strings.Replace(wrap("UCD+12+1:2'"), "INVOIC:D:96A:UN", "CONTRL:D:3:UN", 1))
	_, err = ReadControl(ic.Messages[0])
	require.ErrorContains(t, err, "UCD without UCS")

	ic = parseOne(t, strings.Replace(wrap("UCM+1+INVOIC:D:96A:UN+7'"), "INVOIC:D:96A:UN'", "CONTRL:D:3:UN'", 1))
	_, err = ReadControl(ic.Messages[0])
	require.ErrorContains(t, err, "has no UCI")
}
