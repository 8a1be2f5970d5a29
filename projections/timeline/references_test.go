package timeline

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestExtractReferences(t *testing.T) {
	tests := []struct {
		name string
		data string
		want []Reference
	}{
		{"named fields", `{"po_number":"P1","asn_number":"ASN-1","bill_of_lading":"BOL-9","carrier":"ups"}`,
			[]Reference{{"asn_number", "ASN-1"}, {"bill_of_lading", "BOL-9"}, {"po_number", "P1"}}},
		{"any _number field", `{"container_number":"MSKU1234","sku":"A"}`, []Reference{{"container_number", "MSKU1234"}}},
		{"arrays", `{"tracking_numbers":["1Z2","1Z1",7,""],"po_numbers":["P2"]}`,
			[]Reference{{"po_number", "P2"}, {"tracking_number", "1Z1"}, {"tracking_number", "1Z2"}}},
		{"lines, once each", `{"po_number":"P1","lines":[{"po_number":"P1"},{"po_number":"P3","sku":"A"},{"sku":"B"}]}`,
			[]Reference{{"po_number", "P1"}, {"po_number", "P3"}}},
		{"not strings, nested, empty", `{"po_number":42,"invoice_number":"  ","header":{"po_number":"P9"}}`, nil},
		{"not an object", `["P1"]`, nil},
		{"too long to index", `{"po_number":"` + strings.Repeat("9", MaxReferenceBytes+1) + `","asn_number":"` +
			strings.Repeat("A", MaxReferenceBytes) + `"}`, []Reference{{"asn_number", strings.Repeat("A", MaxReferenceBytes)}}},
		{"no data", ``, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			require.Equal(t, tt.want, ExtractReferences(json.RawMessage(tt.data)))
		})
	}
}

func TestExtractReferencesOfLines(t *testing.T) {
	tests := []struct {
		name string
		data string
		want []Reference
	}{
		{"lines without a PO", `{"asn_number":"A1","lines":[{"item":"X","po_line":"1"},{"item":"Y"}]}`,
			[]Reference{{"asn_number", "A1"}}},
		{"an escaped key", `{"lines":[{"po\u005fnumber":"P7"},{"item":"po_number"}]}`, []Reference{{"po_number", "P7"}}},
		{"a line that is not an object", `{"lines":["po_number",{"po_number":"P2"}]}`, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			require.Equal(t, tt.want, ExtractReferences(json.RawMessage(tt.data)))
		})
	}
}

func BenchmarkExtractReferencesASN(b *testing.B) {
	var sb strings.Builder
	sb.WriteString(`{"asn_number":"ASN1","po_number":"PO1","supplier":"s","ship_date":"2026-11-26T12:00:00Z","lines":[`)
	for i := range 20 {
		if i > 0 {
			sb.WriteByte(',')
		}
		sb.WriteString(`{"line_number":1,"item":"BENCH-01","item_ref":{"upc":"012345600017"},"quantity":{"value":"12","unit":"EA"},"partner_quantity":{"value":"1","unit":"CS"}}`)
	}
	sb.WriteString(`]}`)
	data := json.RawMessage(sb.String())
	b.ReportAllocs()
	for b.Loop() {
		ExtractReferences(data)
	}
}
