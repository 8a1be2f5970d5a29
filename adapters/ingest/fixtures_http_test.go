package ingest_test

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crossdock-hub/crossdock/adapters/archive"
	"github.com/crossdock-hub/crossdock/adapters/edi/edifact"
	"github.com/crossdock-hub/crossdock/adapters/edi/x12"
	"github.com/crossdock-hub/crossdock/adapters/inbound"
	"github.com/crossdock-hub/crossdock/adapters/ingest"
	"github.com/crossdock-hub/crossdock/adapters/webhooks"
	"github.com/crossdock-hub/crossdock/domain"
	"github.com/crossdock-hub/crossdock/domain/inventory"
	"github.com/crossdock-hub/crossdock/domain/invoice"
	"github.com/crossdock-hub/crossdock/domain/order"
	"github.com/crossdock-hub/crossdock/domain/shipment"
	"github.com/crossdock-hub/crossdock/eventstore"
	"github.com/crossdock-hub/crossdock/internal/fixtures"
)

// The partner every fixture is posted as, with its bearer token; EasyPost webhooks are signed with the
// test vector's secret instead.
const (
	fixturePartner = "partner"
	fixtureToken   = "tok-partner"
)

// posted is what became of one fixture posted over HTTP.
type posted struct {
	body   []byte
	rec    *httptest.ResponseRecorder
	events []eventstore.Event
	hub    *hub
}

// accepted checks a 200 answer taking every document of the fixture and returns it.
func (p posted) accepted(t *testing.T) ingest.Result {
	t.Helper()
	require.Equal(t, http.StatusOK, p.rec.Code, p.rec.Body.String())
	res := httpResult(t, p.rec)
	assert.Equal(t, "accepted", res.Status)
	assert.Empty(t, res.Rejected)
	assert.Equal(t, archive.Accepted, p.hub.message(t, res.MessageID).Status)
	return res
}

// rejected checks a 422 answer naming where and why, archived in quarantine with nothing recorded, and
// returns its acknowledgment.
func (p posted) rejected(t *testing.T, where, reason string) string {
	t.Helper()
	require.Equal(t, http.StatusUnprocessableEntity, p.rec.Code, p.rec.Body.String())
	pr := httpProblem(t, p.rec)
	require.NotEmpty(t, pr.Errors, pr.Detail)
	assert.Equal(t, where, pr.Errors[0].Where)
	assert.Contains(t, pr.Errors[0].Detail, reason)
	m := p.hub.message(t, strings.TrimPrefix(pr.Instance, "urn:uuid:"))
	assert.Equal(t, archive.Rejected, m.Status)
	assert.Contains(t, m.Reason, reason)
	assert.Equal(t, p.body, m.Body)
	assert.Empty(t, p.events, "nothing of a rejected message is recorded")
	return pr.Acknowledgment
}

// ofType returns the events of one type, in order.
func (p posted) ofType(typ string) []eventstore.Event {
	var out []eventstore.Event
	for _, ev := range p.events {
		if ev.Type == typ {
			out = append(out, ev)
		}
	}
	return out
}

// only returns the one event of a type.
func (p posted) only(t *testing.T, typ string) eventstore.Event {
	t.Helper()
	evs := p.ofType(typ)
	require.Len(t, evs, 1, "%s events among %v", typ, eventTypes(p.events))
	return evs[0]
}

func dec(t *testing.T, s string) decimal.Decimal {
	t.Helper()
	d, err := decimal.NewFromString(s)
	require.NoError(t, err)
	return d
}

func decEqual(t *testing.T, want string, got decimal.Decimal, msgAndArgs ...any) {
	t.Helper()
	assert.True(t, dec(t, want).Equal(got), append([]any{"want %s, got %s", want, got.String()}, msgAndArgs...)...)
}

// x12SetStatuses returns the AK5 of each set a 997 acknowledges, by ST02.
func x12SetStatuses(t *testing.T, ack string) map[string]x12.SetAck {
	t.Helper()
	_, acks := functionalAcks(t, ack)
	out := map[string]x12.SetAck{}
	for _, a := range acks {
		for _, s := range a.Sets {
			out[s.Control] = s
		}
	}
	return out
}

// controlActions returns the action of each message a CONTRL answers, by UNH01.
func controlActions(t *testing.T, ack string) map[string]string {
	t.Helper()
	_, r := controlReport(t, ack)
	out := map[string]string{}
	for _, m := range r.Messages {
		out[m.Reference] = m.Action
	}
	return out
}

// statusEvent is the one milestone a status fixture reports.
func statusEvent(t *testing.T, p posted, tracking string) shipment.StatusReported {
	t.Helper()
	p.accepted(t)
	ev := p.only(t, shipment.EventStatusReported)
	assert.Equal(t, shipment.StreamID(fixturePartner, tracking), ev.StreamID)
	st := decodeEvent[shipment.StatusReported](t, ev)
	assert.Equal(t, tracking, st.TrackingNumber)
	assert.Equal(t, fixturePartner, st.Partner)
	assert.True(t, st.At.Location() == time.UTC, "instants are UTC")
	return st
}

// fixtureCases says, for every shared fixture, how it is posted and what SOURCES.md asks of it.
var fixtureCases = map[string]struct {
	// name says what the fixture must do, as the subtest's name.
	name string
	// contentType is sent to /documents; webhooks go to their route instead.
	contentType string
	check       func(t *testing.T, p posted)
}{
	"x12/850_node-x12_xyzretail_vics.x12": {
		name:        "850 purchase order is refused: the hub sends purchase orders, never takes one",
		contentType: "application/edi-x12",
		check: func(t *testing.T, p posted) {
			ack := p.rejected(t, "x12 850 (control 000000010)", "a "+domain.KindPurchaseOrder+" is sent to partners, not received from them")
			set := x12SetStatuses(t, ack)["000000010"]
			assert.Equal(t, x12.AckRejected, set.Status)
			assert.Equal(t, []string{x12.SetNotSupported}, set.Errors, "AK502 1: transaction set not supported")
		},
	},
	"x12/855_node-x12_bookseller_ACK-lines.x12": {
		name:        "855 acknowledgment with accepted and rejected lines",
		contentType: "application/edi-x12",
		check: func(t *testing.T, p posted) {
			p.accepted(t)
			ev := p.only(t, order.EventAcknowledged)
			assert.Equal(t, order.POStreamID("POTEST1112"), ev.StreamID)
			ack := decodeEvent[order.AckData](t, ev)
			assert.Equal(t, "POTEST1112", ack.PONumber)
			assert.Equal(t, "AD", ack.AckType)
			assert.Equal(t, time.Date(2020, 10, 15, 0, 0, 0, 0, time.UTC), ack.Date)
			require.Len(t, ack.Lines, 4)
			for i, want := range []struct{ status, partner, qty, gtin string }{
				{order.LineAccepted, "IA", "3", "9780446360265"},
				{order.LineRejected, "IR", "0", "9780767928427"},
				{order.LineRejected, "IR", "0", "9780099599531"},
				{order.LineAccepted, "IA", "2", "9780446360272"},
			} {
				l := ack.Lines[i]
				assert.Equal(t, want.status, l.Status, "line %d", i+1)
				assert.Equal(t, want.partner, l.PartnerStatus, "line %d", i+1)
				decEqual(t, want.qty, l.Quantity, "line %d", i+1)
				assert.Equal(t, "UN", l.Unit, "line %d", i+1)
				assert.Equal(t, want.gtin, l.ItemRef.GTIN, "line %d", i+1)
			}
			exc := decodeEvent[order.ExceptionRaised](t, p.only(t, order.EventExceptionRaised))
			assert.Equal(t, order.ExceptionUnknownPO, exc.Kind, "no such purchase order was placed")
		},
	},
	"x12/810_staedi_simple810_2tx.x12": {
		name:        "810 with two invoices: the second, not reconciling, is flagged",
		contentType: "application/edi-x12",
		check: func(t *testing.T, p posted) {
			res := p.accepted(t)
			require.Len(t, res.Documents, 2)
			stream := invoice.StreamID(fixturePartner, "00001")
			first := decodeEvent[invoice.InvoiceData](t, p.only(t, invoice.EventReceived))
			assert.Equal(t, "00001", first.InvoiceNumber)
			assert.Equal(t, "A99999-01", first.PONumber)
			assert.True(t, first.Reconciles)
			require.NotNil(t, first.Total)
			decEqual(t, "2554.38", *first.Total, "TDS 255438, two implied decimals")
			require.Len(t, first.Lines, 7)
			decEqual(t, "16", first.Lines[0].Quantity)
			assert.Equal(t, "CA", first.Lines[0].Unit)
			decEqual(t, "12.34", first.Lines[0].UnitPrice)

			// Invoice 2 has the same number, so it revises the first; it is recorded all the same.
			second := p.only(t, invoice.EventRevised)
			assert.Equal(t, stream, second.StreamID)
			inv := decodeEvent[invoice.InvoiceData](t, second)
			assert.Equal(t, "A99999-04", inv.PONumber)
			assert.False(t, inv.Reconciles)
			decEqual(t, "1851", inv.Computed, "50 + 100 cases at 12.34")
			require.NotNil(t, inv.Total)
			decEqual(t, "2554.38", *inv.Total)
			var mismatch []invoice.ExceptionRaised
			for _, ev := range p.ofType(invoice.EventExceptionRaised) {
				if e := decodeEvent[invoice.ExceptionRaised](t, ev); e.Kind == invoice.ExceptionTotalMismatch {
					mismatch = append(mismatch, e)
				}
			}
			require.Len(t, mismatch, 1, "only the second invoice does not add up")
			assert.Equal(t, "A99999-04", mismatch[0].PONumber)
			assert.Equal(t, 2, mismatch[0].Revision)
			require.NotNil(t, mismatch[0].Stated)
			require.NotNil(t, mismatch[0].Computed)
			decEqual(t, "2554.38", *mismatch[0].Stated)
			decEqual(t, "1851", *mismatch[0].Computed)

			for _, s := range x12SetStatuses(t, res.Acknowledgment) {
				assert.Equal(t, x12.AckAccepted, s.Status, "a total that does not add up is flagged, not refused")
			}
		},
	},
	"x12/214_scala-x12_honeywell-airfreight_tilde-caret.x12": {
		name:        "214 with ~ ^ | delimiters: picked up at Kansas City, local time",
		contentType: "application/edi-x12",
		check: func(t *testing.T, p posted) {
			st := statusEvent(t, p, "5ZJ3896")
			assert.Equal(t, shipment.StatusPickedUp, st.Status)
			assert.Equal(t, "AF", st.PartnerStatus)
			assert.Equal(t, time.Date(2015, 3, 27, 14, 31, 0, 0, time.UTC), st.At, "09:31 CDT")
			assert.Equal(t, "KANSAS CITY", st.Location.City)
			assert.Contains(t, st.PONumbers, "5043705_00010_0001")
			// The 997 is written with the interchange's own delimiters.
			res := httpResult(t, p.rec)
			assert.True(t, strings.HasPrefix(res.Acknowledgment, "ISA~"), res.Acknowledgment)
			assert.Equal(t, x12.AckAccepted, x12SetStatuses(t, res.Acknowledgment)["1200001"].Status)
		},
	},
	"x12/214_staedi_ltl_utf8-ellipsis-term.x12": {
		name:        "214 with a U+2026 segment terminator is refused",
		contentType: "application/edi-x12",
		check: func(t *testing.T, p posted) {
			ack := p.rejected(t, "segment 1 (ISA)", "U+2026")
			assert.Empty(t, ack, "an interchange that cannot be framed names no one to acknowledge to")
		},
	},
	"x12/856_oopfactory_gregarican_SOPI_MAN-GM.x12": {
		name:        "856 with BOM and CRLF, SSCC on the pack",
		contentType: "application/edi-x12",
		check: func(t *testing.T, p posted) {
			p.accepted(t)
			ev := p.only(t, shipment.EventASNReceived)
			assert.Equal(t, shipment.StreamID(fixturePartner, "521649209219"), ev.StreamID)
			asn := decodeEvent[shipment.ASNData](t, ev)
			assert.Equal(t, "SO/VINCE1", asn.PONumber)
			assert.Equal(t, "004", asn.ShipTo, "N1*ST")
			assert.Equal(t, time.Date(2012, 5, 10, 0, 0, 0, 0, time.UTC), asn.ShipDate)
			require.Len(t, asn.Lines, 1)
			l := asn.Lines[0]
			assert.Equal(t, "007121610006156802", l.SSCC)
			assert.Equal(t, "883932284904", l.Item, "the permissive crosswalk resolves the UPC to itself")
			assert.Equal(t, "1", l.Quantity)
			assert.Equal(t, "EA", l.Unit)
			assert.Equal(t, "1", l.PartnerQuantity)
			assert.Equal(t, "EA", l.PartnerUnit)
		},
	},
	"x12/856_oopfactory_1edisource_SOI_v4060.x12": {
		name:        "856 4060 without a ship-to takes the partner's default",
		contentType: "application/edi-x12",
		check: func(t *testing.T, p posted) {
			p.accepted(t)
			asn := decodeEvent[shipment.ASNData](t, p.only(t, shipment.EventASNReceived))
			assert.Equal(t, "829716", asn.ASNNumber)
			assert.Equal(t, "99999817", asn.PONumber)
			assert.Empty(t, asn.ShipTo, "the 856 names no ship-to")
			require.Len(t, asn.Lines, 2)
			assert.Equal(t, []string{"87787D", "24", "EA"}, []string{asn.Lines[0].Item, asn.Lines[0].Quantity, asn.Lines[0].Unit})
			assert.Equal(t, []string{"99887D", "6", "EA"}, []string{asn.Lines[1].Item, asn.Lines[1].Quantity, asn.Lines[1].Unit})
		},
	},
	"edifact/INVOIC_D93A_staedi_una_decimal-comma.edi": {
		name:        "INVOIC D93A with a decimal comma",
		contentType: "application/edifact",
		check: func(t *testing.T, p posted) {
			res := p.accepted(t)
			ev := p.only(t, invoice.EventReceived)
			assert.Equal(t, invoice.StreamID(fixturePartner, "9908001"), ev.StreamID)
			inv := decodeEvent[invoice.InvoiceData](t, ev)
			assert.Equal(t, "O0010001", inv.PONumber)
			require.Len(t, inv.Lines, 3)
			decEqual(t, "19.9", inv.Lines[1].UnitPrice, "19,9")
			decEqual(t, "3", inv.Lines[2].Quantity)
			assert.Equal(t, "PCE", inv.Lines[2].Unit)
			require.NotNil(t, inv.Total)
			decEqual(t, "901.78", *inv.Total)
			assert.True(t, inv.Reconciles)
			assert.Equal(t, edifact.ActionAcknowledged, controlActions(t, res.Acknowledgment)["INVOIC0001"])
		},
	},
	"edifact/INVOIC_D97B_staedi.edi": {
		name:        "INVOIC D97B with Ü under UNOA is refused",
		contentType: "application/edifact",
		check: func(t *testing.T, p posted) {
			ack := p.rejected(t, "edifact INVOIC (control 00000000000117), segment 7 (NAD) element 4 component 1", "UNOA")
			assert.Equal(t, edifact.ActionRejected, controlActions(t, ack)["00000000000117"])
		},
	},
	"edifact/ORDERS_D96B_EAN008_staedi_UNG-group.edi": {
		name:        "ORDERS whose UNT count lies is refused",
		contentType: "application/edifact",
		check: func(t *testing.T, p posted) {
			ack := p.rejected(t, "edifact ORDERS (control 1), segment 20 (UNT) element 1", "UNT says 21 segments, there are 18")
			assert.Equal(t, edifact.ActionRejected, controlActions(t, ack)["1"])
		},
	},
	"webhooks/easypost_tracker.updated_event-body.json": {
		name: "EasyPost tracker.updated, signed",
		check: func(t *testing.T, p posted) {
			p.accepted(t)
			code, details := easyPostDetails(t, bytes.TrimSuffix(p.body, []byte("\n")))
			events := p.ofType(shipment.EventStatusReported)
			require.Len(t, events, len(details))
			for i, ev := range events {
				st := decodeEvent[shipment.StatusReported](t, ev)
				assert.Equal(t, code, st.TrackingNumber)
				assert.Equal(t, details[i].Status, st.PartnerStatus, "milestone %d", i)
				assert.True(t, details[i].Datetime.Equal(st.At), "milestone %d", i)
			}
		},
	},
	"webhooks/aftership_tracking_update_docs-example-trimmed.json": {
		name: "AfterShip tracking_update, local checkpoint time",
		check: func(t *testing.T, p posted) {
			st := statusEvent(t, p, "0000000000000000")
			assert.Equal(t, shipment.StatusInTransit, st.Status)
			assert.Equal(t, "InTransit", st.PartnerStatus)
			assert.Equal(t, time.Date(2021, 1, 14, 0, 52, 0, 0, time.UTC), st.At, "no offset: read as UTC")
			assert.Equal(t, "2021-01-14T00:52:00", st.LocalTime)
		},
	},
	"webhooks/shippo_track_updated_docs-example.json": {
		name: "Shippo track_updated, delivered",
		check: func(t *testing.T, p posted) {
			st := statusEvent(t, p, "9205590164917312751089")
			assert.Equal(t, shipment.StatusDelivered, st.Status)
			assert.Equal(t, "DELIVERED", st.PartnerStatus)
			assert.Equal(t, time.Date(2016, 7, 23, 0, 0, 0, 0, time.UTC), st.At)
		},
	},
	"webhooks/shipbob_order.shipment.tracking_received_docs-example.json": {
		name: "ShipBob tracking received",
		check: func(t *testing.T, p posted) {
			st := statusEvent(t, p, "9261290306529427911297")
			assert.Equal(t, shipment.StatusInfoReceived, st.Status)
			assert.Equal(t, "LabelCreated", st.PartnerStatus)
			assert.Equal(t, time.Date(2025, 10, 23, 15, 55, 9, 361476700, time.UTC), st.At)
		},
	},
	"webhooks/shiphero_inventory-update_docs-example.json": {
		name: "ShipHero inventory update, dated when received",
		check: func(t *testing.T, p posted) {
			p.accepted(t)
			ev := p.only(t, inventory.EventSnapshotReported)
			key := inventory.PositionKey{Partner: fixturePartner, Warehouse: "12345", Product: "string"}
			assert.Equal(t, inventory.StreamID(key), ev.StreamID)
			snap := decodeEvent[inventory.SnapshotData](t, ev)
			assert.Equal(t, key, snap.PositionKey)
			assert.True(t, hubNow.Equal(snap.AsOf), "the update states no instant: the receipt time applies")
			require.Contains(t, snap.Quantities, inventory.OnHand)
			require.Contains(t, snap.Quantities, inventory.Available)
			decEqual(t, "48", snap.Quantities[inventory.OnHand].Quantity, "the warehouse's on_hand")
			decEqual(t, "13", snap.Quantities[inventory.Available].Quantity, "the warehouse's inventory")
			assert.Equal(t, "EA", snap.Quantities[inventory.OnHand].Unit)
		},
	},
	"webhooks/shiphero_inventory-change_docs-example.json": {
		name: "ShipHero inventory change with its reason",
		check: func(t *testing.T, p posted) {
			p.accepted(t)
			adj := decodeEvent[inventory.AdjustmentData](t, p.only(t, inventory.EventAdjusted))
			assert.Equal(t, inventory.PositionKey{Partner: fixturePartner, Warehouse: "76733", Product: "LOT01", Location: "AA-05-01-01"}, adj.PositionKey)
			decEqual(t, "10", adj.Quantity)
			assert.Equal(t, "EA", adj.Unit)
			require.NotNil(t, adj.PreviousQuantity)
			decEqual(t, "110", *adj.PreviousQuantity)
			assert.Equal(t, time.Date(2025, 2, 3, 13, 19, 30, 0, time.UTC), adj.At)
			assert.Equal(t, "Change from the product page via the ShipHero Web Dashboard.", adj.Reason)
		},
	},
}

// sharedFixtures lists every shared fixture a partner could send: EDI files and webhook bodies.
func sharedFixtures(t *testing.T) []string {
	t.Helper()
	dir := fixtures.Dir()
	if dir == "" {
		t.Skipf("shared fixtures not found (set %s)", fixtures.EnvDir)
	}
	var out []string
	for _, pattern := range []string{"x12/*", "edifact/*", "webhooks/*.json"} {
		files, err := filepath.Glob(filepath.Join(dir, filepath.FromSlash(pattern)))
		require.NoError(t, err)
		for _, f := range files {
			rel, err := filepath.Rel(dir, f)
			require.NoError(t, err)
			out = append(out, filepath.ToSlash(rel))
		}
	}
	slices.Sort(out)
	return out
}

// TestEveryFixtureOverHTTP posts every shared fixture as a partner would and checks what SOURCES.md
// asks of it: the canonical fields of what is taken, the reason of what is refused.
func TestEveryFixtureOverHTTP(t *testing.T) {
	t.Parallel()
	files := sharedFixtures(t)
	for name := range fixtureCases {
		assert.Contains(t, files, name, "a case for a fixture that is not there")
	}
	secret, signature := easyPostVector(t)
	for _, rel := range files {
		tc, ok := fixtureCases[rel]
		if !assert.True(t, ok, "no expectation for fixture %s", rel) {
			continue
		}
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			h := newHub(t, backends["sqlite"], permissiveCrosswalk())
			h.profiles.register(fixturePartner, inbound.Options{})
			tokens, err := ingest.ParseTokens([]string{fixturePartner + ":" + fixtureToken})
			require.NoError(t, err)
			srv := newServer(t, h, tokens, webhookSecrets{fixturePartner + "|" + webhooks.FormatEasyPost: secret})

			body := fixtures.Read(t, rel)
			var rec *httptest.ResponseRecorder
			switch format, _, _ := strings.Cut(filepath.Base(rel), "_"); {
			case strings.HasPrefix(rel, "webhooks/") && format == webhooks.FormatEasyPost:
				rec = send(srv, "/api/v1/webhooks/easypost/"+fixturePartner, bytes.TrimSuffix(body, []byte("\n")),
					"Content-Type", "application/json", webhooks.HeaderEasyPost, signature)
			case strings.HasPrefix(rel, "webhooks/"):
				rec = send(srv, "/api/v1/webhooks/"+format+"/"+fixturePartner, body,
					"Content-Type", "application/json", "Authorization", bearer(fixtureToken))
			default:
				rec = send(srv, "/api/v1/documents", body, "Content-Type", tc.contentType, "Authorization", bearer(fixtureToken))
			}
			tc.check(t, posted{body: body, rec: rec, events: h.events(t), hub: h})
			for _, ev := range h.events(t) {
				assert.Equal(t, fixturePartner, ev.Metadata.PartnerID)
				assert.NotEmpty(t, ev.Metadata.MessageID)
			}
		})
	}
}
