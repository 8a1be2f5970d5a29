package edifact

import (
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

func TestFixtureINVOICD93ADecimalCommaUNOAVersion2(t *testing.T) {
	t.Parallel()
	f, err := Parse(fixture(t, "INVOIC_D93A_staedi_una_decimal-comma.edi"))
	require.NoError(t, err)
	require.NoError(t, f.Err(), "syntax version 2 tolerates mixed case under UNOA")
	require.Len(t, f.Interchanges, 1)
	ic := f.Interchanges[0]

	require.Equal(t, Delimiters{Component: ':', Element: '+', Decimal: ',', Release: '?', Segment: '\''}, ic.Delimiters)
	require.Equal(t, "UNOA", ic.Syntax)
	require.Equal(t, 2, ic.SyntaxVersion)
	require.Equal(t, "FHPEDAL", ic.Sender)
	require.Equal(t, "HUBERGMBH", ic.Recipient)
	require.Equal(t, time.Date(1999, 8, 2, 15, 57, 0, 0, time.UTC), ic.Prepared)
	require.Equal(t, "9908021557", ic.Reference)
	require.Empty(t, ic.Groups)
	require.Len(t, ic.Messages, 1)

	m := ic.Messages[0]
	require.Equal(t, "INVOIC0001", m.Reference)
	require.Equal(t, []string{"INVOIC", "D", "93A", "UN", ""}, []string{m.Type, m.Version, m.Release, m.Agency, m.Association})
	require.Len(t, m.Segments, 28, "UNH to UNT inclusive, as UNT01 says")
	require.Equal(t, 2, m.Segments[0].Number, "UNA is not counted, UNB is 1")
	require.Equal(t, "UNT", m.Segments[27].Tag)

	// Line 2 (a pump) costs 19,9 under the UNA decimal comma; the invoice totals 777,4 before tax.
	var lineAmounts []decimal.Decimal
	var total decimal.Decimal
	for _, s := range m.Segments {
		if s.Tag != "MOA" {
			continue
		}
		v, err := ic.Delimiters.ParseDecimal(s.Component(1, 2))
		require.NoError(t, err)
		switch s.Component(1, 1) {
		case "66":
			lineAmounts = append(lineAmounts, v)
		case "79":
			total = v
		}
	}
	require.Len(t, lineAmounts, 3)
	require.True(t, lineAmounts[1].Equal(decimal.RequireFromString("19.9")), lineAmounts[1].String())
	require.True(t, total.Equal(decimal.RequireFromString("777.4")), total.String())
	require.True(t, lineAmounts[0].Add(lineAmounts[1]).Add(lineAmounts[2]).Equal(total))

	seller := m.Segments[5]
	require.Equal(t, "NAD", seller.Tag)
	require.Equal(t, "SE", seller.Element(1))
	require.Equal(t, "Fahrradhandel Pedal", seller.Element(3))
	require.Equal(t, "München", seller.Element(6), "UTF-8 bytes stay UTF-8")
	require.Equal(t, "Fahrrad, Damen", m.Segments[8].Component(3, 4))

	// Every lower-case or accented value is a warning naming segment, tag, element and character.
	require.NotEmpty(t, ic.Warnings)
	require.Contains(t, ic.Warnings, "segment 7 (NAD) element 6 component 1: character 'ü' (U+00FC) is not in the UNOA repertoire (accepted: syntax version 2)")
	require.Contains(t, ic.Warnings, "segment 10 (IMD) element 3 component 4: character 'a' is not in the UNOA repertoire (accepted: syntax version 2)")
}

func TestFixtureINVOICD97BRejectedForCharacterOutsideUNOA(t *testing.T) {
	t.Parallel()
	data := fixture(t, "INVOIC_D97B_staedi.edi")
	f, err := Parse(data)
	require.NoError(t, err)
	require.Len(t, f.Interchanges, 1)
	ic := f.Interchanges[0]
	require.Equal(t, "UNOA", ic.Syntax)
	require.Equal(t, 3, ic.SyntaxVersion)
	require.Equal(t, "005435656", ic.Sender)
	require.Equal(t, "1", ic.SenderQualifier)
	require.Equal(t, "006415160", ic.Recipient)
	require.Equal(t, time.Date(2006, 5, 15, 14, 34, 0, 0, time.UTC), ic.Prepared)
	require.Equal(t, "00000000000778", ic.Reference)
	require.Equal(t, DefaultDelimiters, ic.Delimiters)
	require.Empty(t, ic.Warnings)

	require.Len(t, ic.Errors, 1)
	e := ic.Errors[0]
	require.Equal(t, Error{Segment: 7, Tag: "NAD", Element: 4, Component: 1, Offset: e.Offset, Code: CodeInvalidCharacter,
		Reason: "character 'Ü' (U+00DC) is not in the UNOA repertoire"}, *e)
	require.Equal(t, "Ü", string(data[e.Offset:e.Offset+2]), "the offset points at the character")
	require.EqualError(t, f.Err(), "segment 7 (NAD) element 4 component 1: character 'Ü' (U+00DC) is not in the UNOA repertoire")

	require.Len(t, ic.Messages, 1)
	m := ic.Messages[0]
	require.Equal(t, []*Error{e}, m.Errors, "the message carries the same error")
	require.Equal(t, "INVOIC", m.Type)
	require.Equal(t, "97B", m.Release)
	require.Len(t, m.Segments, 24)
	require.Equal(t, "BÜTTNER WIDGET COMPANY", m.Segments[5].Element(4))

	price, err := ic.Delimiters.ParseDecimal(body(t, m, "PRI").Component(1, 2))
	require.NoError(t, err)
	require.True(t, price.Equal(decimal.RequireFromString("1.179")))
}

func TestFixtureORDERSGroupWithLyingUNT(t *testing.T) {
	t.Parallel()
	f, err := Parse(fixture(t, "ORDERS_D96B_EAN008_staedi_UNG-group.edi"))
	require.NoError(t, err)
	require.Len(t, f.Interchanges, 1)
	ic := f.Interchanges[0]
	require.Equal(t, "UNOA", ic.Syntax)
	require.Equal(t, 3, ic.SyntaxVersion)
	require.Equal(t, "5400110000009", ic.Sender)
	require.Equal(t, "14", ic.SenderQualifier)
	require.Equal(t, "5013546107732", ic.Recipient)
	require.Equal(t, time.Date(2001, 5, 2, 12, 37, 0, 0, time.UTC), ic.Prepared)
	require.Equal(t, "2722166169492", ic.Reference)
	require.False(t, ic.AckRequested, "UNB09 is 0")
	require.True(t, ic.TestIndicator, "UNB11 is 1")
	require.Empty(t, ic.Errors, "UNZ counts one group, which is right")
	require.Empty(t, ic.Messages)

	require.Len(t, ic.Groups, 1)
	g := ic.Groups[0]
	require.Equal(t, "ORDERS", g.ID)
	require.Equal(t, "5400110000009", g.Sender)
	require.Equal(t, "5013546107732", g.Recipient)
	require.Equal(t, "1", g.Reference)
	require.Empty(t, g.Errors)
	require.Equal(t, "UNE", g.Trailer.Tag)
	require.Len(t, g.Messages, 1)

	m := g.Messages[0]
	require.Equal(t, []string{"1", "ORDERS", "D", "96B", "UN", "EAN008B"},
		[]string{m.Reference, m.Type, m.Version, m.Release, m.Agency, m.Association})
	require.Len(t, m.Segments, 18)
	unt := m.Segments[17]
	require.Equal(t, "UNT", unt.Tag)
	require.Len(t, m.Errors, 1)
	e := m.Errors[0]
	require.Equal(t, unt.Number, e.Segment, "positioned on the UNT")
	require.Equal(t, 20, e.Segment)
	require.Equal(t, "UNT", e.Tag)
	require.Equal(t, 1, e.Element)
	require.Equal(t, CodeCountMismatch, e.Code)
	require.Contains(t, e.Reason, "UNT says 21 segments, there are 18")
	require.Equal(t, "segment 20 (UNT) element 1: UNT says 21 segments, there are 18 from UNH to UNT", e.Error())
	require.ErrorContains(t, f.Err(), "UNT says 21 segments, there are 18")

	qty := body(t, m, "QTY")
	require.Equal(t, "21", qty.Component(1, 1))
	require.Equal(t, "288", qty.Component(1, 2))
	pri := body(t, m, "PRI")
	price, err := ic.Delimiters.ParseDecimal(pri.Component(1, 2))
	require.NoError(t, err)
	require.True(t, price.Equal(decimal.RequireFromString("12.80")))
	require.Equal(t, "THIS IS AN EXAMPLE OF EDIFACT FILE.", body(t, m, "FTX").Element(4))
	require.Equal(t, "UNH", m.Segments[0].Tag)
}
