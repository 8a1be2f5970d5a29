package csvdoc

import (
	"bytes"
	"encoding/csv"
	"slices"
	"strings"
	"unicode"
)

// sniffCommas are the separators Sniff tries, most common first.
var sniffCommas = []rune{',', ';', '\t', '|'}

// Sniff guesses the map of a file written in Crossdock's own terms, for `crossdock inspect` with no
// partner: a header row whose names are canonical field names (in any case; other columns are ignored)
// decides the kind, and each field maps to its own column. It reports false unless exactly one kind fits
// and the map is valid (a file without a unit column does not sniff: no unit is guessed).
func Sniff(data []byte) (Map, bool) {
	data = bytes.TrimPrefix(data, bom)
	for _, comma := range sniffCommas {
		cr := csv.NewReader(bytes.NewReader(data))
		cr.Comma = comma
		cr.FieldsPerRecord = -1
		cr.TrimLeadingSpace = !unicode.IsSpace(comma)
		header, err := cr.Read()
		if err != nil || len(header) < 2 {
			continue
		}
		var found []Map
		for _, kind := range kindOrder {
			m := Map{Kind: kind, Comma: comma, Header: true, Columns: map[string]string{}}
			for _, name := range header {
				name = strings.TrimSpace(name)
				field := strings.ToLower(name)
				if slices.Contains(kinds[kind].fields, field) {
					m.Columns[field] = name
				}
			}
			if m.Validate() == nil {
				found = append(found, m)
			}
		}
		if len(found) == 1 {
			return found[0], true
		}
	}
	return Map{}, false
}
