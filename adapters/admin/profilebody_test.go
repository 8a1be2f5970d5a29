package admin

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/crossdock-hub/crossdock/domain/partner"
)

func TestReadProfileJSONAndYAMLAgree(t *testing.T) {
	for _, tc := range []struct {
		name   string
		body   string
		isJSON bool
	}{
		{"JSON", `{"id": "acme", "name": "ACME", "roles": ["supplier"], "effective_from": "2026-01-01T00:00:00Z",
			"identifiers": {"isa": [{"qualifier": "12", "id": "4405197800"}]},
			"channels": [{"kind": "inbox", "format": "csv", "documents": ["receipt"],
			  "csv": {"kind": "receipt", "header": false, "columns": {"receipt_number": "1", "po_number": "2", "received_at": "3", "sku": "4", "quantity": "5"}}}],
			"units": [{"partner_unit": "CS", "factor": "12.5", "unit": "EA"}],
			"inventory_qualifiers": {"17": "on_hand"},
			"tolerances": {"over_ship_percent": 5}, "sla": {"asn_lead_hours": 12}}`, true},
		{"JSON indented with tabs", "{\n\t\"id\": \"acme\",\n\t\"name\": \"ACME\",\n\t\"roles\": [\"supplier\"],\n\t\"effective_from\": \"2026-01-01\",\n" +
			"\t\"identifiers\": {\"isa\": [{\"qualifier\": \"12\", \"id\": \"4405197800\"}]},\n" +
			"\t\"channels\": [{\"kind\": \"inbox\", \"format\": \"csv\", \"documents\": [\"receipt\"], \"csv\": {\"kind\": \"receipt\", \"header\": false, \"columns\": {\"receipt_number\": \"1\", \"po_number\": \"2\", \"received_at\": \"3\", \"sku\": \"4\", \"quantity\": \"5\"}}}],\n" +
			"\t\"units\": [{\"partner_unit\": \"CS\", \"factor\": 12.5, \"unit\": \"EA\"}],\n\t\"inventory_qualifiers\": {\"17\": \"on_hand\"},\n" +
			"\t\"tolerances\": {\"over_ship_percent\": \"5\"},\n\t\"sla\": {\"asn_lead_hours\": 12}\n}", true},
		{"YAML", `
id: acme
name: ACME
roles: [supplier]
effective_from: 2026-01-01
identifiers:
  isa: [{qualifier: "12", id: "4405197800"}]
channels:
  - kind: inbox
    format: csv
    documents: [receipt]
    csv: {kind: receipt, header: false, columns: {receipt_number: "1", po_number: "2", received_at: "3", sku: "4", quantity: "5"}}
units: [{partner_unit: CS, factor: 12.5, unit: EA}]
inventory_qualifiers: {17: on_hand}
tolerances: {over_ship_percent: 5}
sla: {asn_lead_hours: 12}
`, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			pb, p := readProfile([]byte(tc.body), tc.isJSON)
			require.Nil(t, p, "%v", p)
			got := pb.profile
			require.Equal(t, "acme", got.ID)
			require.Equal(t, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), got.EffectiveFrom)
			require.Equal(t, []partner.ISAID{{Qualifier: "12", ID: "4405197800"}}, got.Identifiers.ISA)
			require.Equal(t, map[string]string{"receipt_number": "1", "po_number": "2", "received_at": "3", "sku": "4", "quantity": "5"}, got.Channels[0].CSV.Columns)
			require.False(t, got.Channels[0].CSV.Header)
			require.Equal(t, "12.5", got.Units[0].Factor.String())
			require.Equal(t, map[string]string{"17": "on_hand"}, got.InventoryQualifiers)
			require.Equal(t, "5", got.Tolerances.OverShipPercent.String())
			require.Equal(t, 12, got.SLA.ASNLeadHours)
			require.NoError(t, got.Validate())
		})
	}
}

func TestReadProfilePlacesProblems(t *testing.T) {
	for _, tc := range []struct {
		name, body       string
		isJSON           bool
		pointer, where   string
		detailContaining string
	}{
		{"a field given twice", "name: A\nname: B\n", false, "/name", "line 2, column 1", "twice"},
		{"an alias", "name: &n ACME\nroles: [*n]\n", false, "/name", "line 1, column 7", "anchors"},
		{"a fraction of an hour", `{"sla": {"ack_within_hours": 1.5}}`, true, "/sla/ack_within_hours", "line 1, column 30", "whole number"},
		{"a boolean spelled yes", "channels: [{kind: inbox, format: csv, csv: {header: yes}}]\n", false, "/channels/0/csv/header", "line 1, column 53", "true or false"},
		{"a list for an object", "identifiers: [gln]\n", false, "/identifiers", "line 1, column 14", "must be an object"},
		{"a bad date", "effective_to: 31.12.2026\n", false, "/effective_to", "line 1, column 15", "RFC 3339"},
		{"two documents", "name: A\n---\nname: B\n", false, "", "", ""},
		{"not an object", `["acme"]`, true, "", "line 1, column 1", "not an object"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, p := readProfile([]byte(tc.body), tc.isJSON)
			require.NotNil(t, p)
			require.Equal(t, 422, p.Status)
			if tc.where == "" {
				require.Contains(t, p.Detail, "more than one")
				return
			}
			require.NotEmpty(t, p.Errors)
			require.Equal(t, tc.pointer, p.Errors[0].Pointer)
			require.Equal(t, tc.where, p.Errors[0].Where)
			require.Contains(t, p.Errors[0].Detail, tc.detailContaining)
		})
	}
}

// FuzzReadProfile checks that no body makes the reader panic, and that a profile it accepts is one the
// JSON form of a profile holds.
func FuzzReadProfile(f *testing.F) {
	for _, seed := range []string{
		`{"id": "acme", "name": "ACME", "roles": ["supplier"], "units": [{"partner_unit": "CS", "factor": 12, "unit": "EA"}]}`,
		"id: acme\nname: ACME\nroles: [supplier]\nitems: [{upc: \"044051978000\", product: FURN_0100, effective_from: 2026-06-01}]\n",
		"tolerances: {over_ship_percent: 1e3}\n",
		"name: &a x\nroles: *a\n",
		"{\"sla\": {\"ack_within_hours\": 99999999999999999999}}",
	} {
		f.Add([]byte(seed), true)
		f.Add([]byte(seed), false)
	}
	f.Fuzz(func(t *testing.T, body []byte, isJSON bool) {
		pb, p := readProfile(body, isJSON)
		if p != nil {
			require.Equal(t, 422, p.Status)
			return
		}
		raw, err := json.Marshal(pb.profile)
		require.NoError(t, err)
		var again partner.Profile
		require.NoError(t, json.Unmarshal(raw, &again))
	})
}
