package edifactdoc

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/crossdock-hub/crossdock/adapters/edi/edifact"
	"github.com/crossdock-hub/crossdock/domain/order"
)

func TestMapUnsupportedMessage(t *testing.T) {
	r := mapOne(t, interchange("PRICAT", "BGM+9+CAT-1"), Options{})
	e := errorAt(t, r, 2, "UNH")
	require.Equal(t, 2, e.Element)
	require.Equal(t, edifact.CodeNotSupportedValue, e.Code)
	require.Contains(t, e.Reason, `"PRICAT"`)
}

func TestMapEnvelopeErrorsReject(t *testing.T) {
	// A valid ORDRSP in an interchange whose UNZ count lies: the interchange's error rejects it.
	data := strings.Replace(string(interchange("ORDRSP", "BGM+231+R-1+27+RE", "RFF+ON:PO-1")), "UNZ+1+", "UNZ+3+", 1)
	r := mapOne(t, []byte(data), Options{})
	require.Nil(t, r.Document)
	require.Len(t, r.Errors, 1)
	require.Equal(t, edifact.CodeCountMismatch, r.Errors[0].Code)
	require.Same(t, r.Interchange.Errors[0], r.Errors[0], "the parser's own error")
	require.Equal(t, "UNZ", r.Errors[0].Tag)
}

func TestMapOrderAndGroups(t *testing.T) {
	body := []string{"BGM+231+R-1+27+RE", "RFF+ON:PO-1"}
	two := "UNB+UNOC:3+S:14+R:14+240301:1200+REF1'" +
		"UNG+ORDRSP+S:14+R:14+240301:1200+G1+UN+D:96A'" +
		"UNH+1+ORDRSP:D:96A:UN'" + strings.Join(body, "'") + "'UNT+4+1'" +
		"UNH+2+ORDRSP:D:96A:UN'" + strings.Join(replace(body, 1, "RFF+ON:PO-2"), "'") + "'UNT+4+2'" +
		"UNE+2+G1'UNZ+1+REF1'"
	rs := mapAll(t, []byte(two), Options{})
	require.Len(t, rs, 2)
	for i, po := range []string{"PO-1", "PO-2"} {
		require.NotNil(t, rs[i].Group)
		require.Equal(t, "G1", rs[i].Group.Reference)
		require.Equal(t, po, accepted(t, rs[i]).(order.Acknowledgment).PONumber)
	}
	require.Nil(t, Map(nil, Options{}))
}
