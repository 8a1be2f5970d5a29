package ingest_test

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crossdock-hub/crossdock/adapters/archive"
	"github.com/crossdock-hub/crossdock/adapters/edi/edifact"
	"github.com/crossdock-hub/crossdock/adapters/edi/x12"
	"github.com/crossdock-hub/crossdock/adapters/edi/x12doc"
	"github.com/crossdock-hub/crossdock/adapters/inbound"
	"github.com/crossdock-hub/crossdock/adapters/ingest"
	"github.com/crossdock-hub/crossdock/adapters/problem"
	"github.com/crossdock-hub/crossdock/commands"
	"github.com/crossdock-hub/crossdock/domain"
	"github.com/crossdock-hub/crossdock/domain/shipment"
	"github.com/crossdock-hub/crossdock/eventstore"
	"github.com/crossdock-hub/crossdock/internal/fixtures"
)

// hubNow is the processor's and the acknowledger's clock.
var hubNow = time.Date(2026, 3, 9, 14, 0, 0, 0, time.UTC)

const fixture856 = "x12/856_oopfactory_1edisource_SOI_v4060.x12"

// crosswalk is the tests' partner crosswalk. Entries are keyed "partner|identifier" (any of the buyer's
// item, the partner's item, GTIN or UPC) and "partner|unit"; units convert one for one. A permissive
// crosswalk resolves any item to its Key() and converts any unit to itself. It can be changed while the
// hub runs, as an operator fixes a mapping.
type crosswalk struct {
	mu         sync.Mutex
	permissive bool
	items      map[string]string
	units      map[string]string
}

func newCrosswalk() *crosswalk {
	return &crosswalk{items: map[string]string{}, units: map[string]string{}}
}

func permissiveCrosswalk() *crosswalk {
	c := newCrosswalk()
	c.permissive = true
	return c
}

// mapItem makes every identifier in ids name product for partner.
func (c *crosswalk) mapItem(partner, product string, ids ...string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, id := range ids {
		c.items[partner+"|"+id] = product
	}
}

func (c *crosswalk) mapUnit(partner, unit, canonical string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.units[partner+"|"+unit] = canonical
}

func (c *crosswalk) ResolveItem(partner string, ref domain.ItemRef) (string, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.permissive {
		return ref.Key(), ref.Key() != ""
	}
	if ref.Product != "" {
		return ref.Product, true
	}
	for _, id := range []string{ref.BuyerItem, ref.PartnerItem, ref.GTIN, ref.UPC} {
		if p, ok := c.items[partner+"|"+id]; ok && id != "" {
			return p, true
		}
	}
	return "", false
}

func (c *crosswalk) ConvertUnit(partner string, q domain.Quantity) (domain.Quantity, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.permissive {
		return q, true
	}
	u, ok := c.units[partner+"|"+q.Unit]
	if !ok {
		return domain.Quantity{}, false
	}
	return domain.Quantity{Amount: q.Amount, Unit: u}, true
}

func (c *crosswalk) Tolerances(string) (decimal.Decimal, decimal.Decimal) {
	return decimal.NewFromInt(5), decimal.NewFromInt(2)
}

// profiles is the tests' partner directory: the read options of each registered partner.
type profiles struct {
	mu   sync.Mutex
	opts map[string]inbound.Options
}

func (p *profiles) ReadOptions(partnerID string) (inbound.Options, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	o, ok := p.opts[partnerID]
	return o, ok
}

func (p *profiles) register(partnerID string, o inbound.Options) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.opts == nil {
		p.opts = map[string]inbound.Options{}
	}
	p.opts[partnerID] = o
}

// hub is a processor over a real event store and archive, a real document handler and acknowledger.
type hub struct {
	store     eventstore.Store
	archive   *archive.Archive
	crosswalk *crosswalk
	profiles  *profiles
	proc      *ingest.Processor
}

func newHub(t *testing.T, open backend, cw *crosswalk) *hub {
	t.Helper()
	store, arch := open(t)
	logger := slog.New(slog.NewTextHandler(t.Output(), nil))
	docs, err := commands.NewDocumentHandler(store, cw, commands.DocumentConfig{Logger: logger})
	require.NoError(t, err)
	prof := &profiles{}
	clock := func() time.Time { return hubNow }
	proc, err := ingest.NewProcessor(arch, docs, prof, ingest.EDIAcknowledger{Now: clock},
		ingest.ProcessorConfig{Logger: logger, Now: clock})
	require.NoError(t, err)
	return &hub{store: store, archive: arch, crosswalk: cw, profiles: prof, proc: proc}
}

func (h *hub) submit(t *testing.T, s ingest.Submission) ingest.Outcome {
	t.Helper()
	if s.Channel == "" {
		s.Channel = "http"
	}
	out, err := h.proc.Submit(t.Context(), s)
	require.NoError(t, err)
	return out
}

// events reads the whole log.
func (h *hub) events(t *testing.T) []eventstore.Event {
	t.Helper()
	events, err := h.store.ReadAll(t.Context(), eventstore.Start, 10000, eventstore.Filter{})
	require.NoError(t, err)
	return events
}

func (h *hub) message(t *testing.T, id string) archive.Message {
	t.Helper()
	m, err := h.archive.Get(t.Context(), id)
	require.NoError(t, err)
	return m
}

func eachBackend(t *testing.T, test func(t *testing.T, open backend)) {
	for _, name := range []string{"sqlite", "postgres"} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			test(t, backends[name])
		})
	}
}

func decodeResult(t *testing.T, a archive.Answer) ingest.Result {
	t.Helper()
	require.Equal(t, "application/json", a.ContentType, string(a.Body))
	var r ingest.Result
	require.NoError(t, json.Unmarshal(a.Body, &r), string(a.Body))
	return r
}

func decodeProblemAnswer(t *testing.T, a archive.Answer) problem.Problem {
	t.Helper()
	require.Equal(t, problem.ContentType, a.ContentType, string(a.Body))
	var p problem.Problem
	require.NoError(t, json.Unmarshal(a.Body, &p), string(a.Body))
	require.Equal(t, a.Status, p.Status)
	return p
}

func eventIDs(events []eventstore.Event) []string {
	ids := make([]string, len(events))
	for i, ev := range events {
		ids[i] = ev.ID.String()
	}
	return ids
}

func eventTypes(events []eventstore.Event) []string {
	out := make([]string, len(events))
	for i, ev := range events {
		out[i] = ev.Type
	}
	return out
}

func decodeEvent[T any](t *testing.T, ev eventstore.Event) T {
	t.Helper()
	var v T
	require.NoError(t, json.Unmarshal(ev.Data, &v), "decode %s", ev.Type)
	return v
}

// functionalAcks parses a 997 interchange and reads each of its acknowledgments.
func functionalAcks(t *testing.T, ack string) (*x12.Interchange, []x12.Ack) {
	t.Helper()
	require.NotEmpty(t, ack, "no 997 in the answer")
	f, err := x12.Parse([]byte(ack))
	require.NoError(t, err, ack)
	require.NoError(t, f.Err(), "the 997 is well-formed:\n%s", ack)
	require.Len(t, f.Interchanges, 1)
	ic := &f.Interchanges[0]
	var acks []x12.Ack
	for _, g := range ic.Groups {
		require.Equal(t, "FA", g.FunctionalID)
		for _, tx := range g.Transactions {
			a, err := x12.ReadAck(tx)
			require.NoError(t, err, ack)
			acks = append(acks, a)
		}
	}
	return ic, acks
}

// controlReport parses a CONTRL interchange and reads its one message.
func controlReport(t *testing.T, ack string) (*edifact.Interchange, *edifact.ControlReport) {
	t.Helper()
	require.NotEmpty(t, ack, "no CONTRL in the answer")
	f, err := edifact.Parse([]byte(ack))
	require.NoError(t, err, ack)
	require.Len(t, f.Interchanges, 1)
	ic := &f.Interchanges[0]
	require.Empty(t, ic.Errors, "the CONTRL is well-formed:\n%s", ack)
	msgs := ic.AllMessages()
	require.Len(t, msgs, 1)
	r, err := edifact.ReadControl(msgs[0])
	require.NoError(t, err, ack)
	return ic, r
}

func readTestdata(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	require.NoError(t, err)
	return b
}

// edisourceHub is a hub where partner edisource, which ships to WH1 only, has its two items of the
// 856 fixture mapped, or only the first when complete is false.
func edisourceHub(t *testing.T, open backend, complete bool) *hub {
	cw := newCrosswalk()
	cw.mapItem("edisource", "BLUE-WIDGET", "87787D", "999999310145")
	if complete {
		cw.mapItem("edisource", "RED-WIDGET", "99887D", "999999311746")
	}
	cw.mapUnit("edisource", "EA", "EA")
	h := newHub(t, open, cw)
	h.profiles.register("edisource", inbound.Options{})
	return h
}

func TestProcessorTakesX12ASN(t *testing.T) {
	t.Parallel()
	eachBackend(t, func(t *testing.T, open backend) {
		h := edisourceHub(t, open, true)
		body := fixtures.Read(t, fixture856)

		out := h.submit(t, ingest.Submission{PartnerID: "edisource", ContentType: "application/edi-x12", Body: body})
		assert.Equal(t, archive.Accepted, out.Status)
		assert.False(t, out.Duplicate)
		require.Equal(t, 200, out.Answer.Status, string(out.Answer.Body))
		res := decodeResult(t, out.Answer)
		assert.Equal(t, out.MessageID, res.MessageID)
		assert.Equal(t, "accepted", res.Status)
		assert.Equal(t, "x12", res.Format)
		assert.Empty(t, res.Rejected)
		require.Len(t, res.Documents, 1)
		doc := res.Documents[0]
		assert.Equal(t, domain.KindASN, doc.Kind)
		assert.Equal(t, inbound.Source{Standard: "x12", Interchange: "000000049", Group: "49", Control: "0008", Code: "856"}, doc.Source)

		events := h.events(t)
		require.Len(t, events, 1)
		require.Len(t, doc.Streams, 1)
		assert.Equal(t, ingest.StreamResult{
			StreamID: shipment.StreamID("edisource", "829716"), Outcome: commands.OutcomeReceived,
			Events: eventIDs(events),
		}, doc.Streams[0])

		ev := events[0]
		assert.Equal(t, shipment.EventASNReceived, ev.Type)
		assert.Equal(t, shipment.StreamID("edisource", "829716"), ev.StreamID)
		assert.Equal(t, out.MessageID, ev.Metadata.MessageID)
		assert.Equal(t, "edisource", ev.Metadata.PartnerID)
		assert.Equal(t, "http:edisource", ev.Metadata.Source)
		assert.Equal(t, "partner:edisource", ev.Metadata.Actor)
		asn := decodeEvent[shipment.ASNData](t, ev)
		assert.Equal(t, "829716", asn.ASNNumber)
		assert.Equal(t, "99999817", asn.PONumber)
		assert.Equal(t, "5787970539", asn.TrackingNumber)
		assert.Equal(t, "999999-001", asn.BillOfLading)
		assert.Equal(t, "edisource", asn.Supplier)
		assert.Empty(t, asn.ShipTo, "the 856 names no ship-to")
		assert.Equal(t, time.Date(2011, 12, 6, 0, 0, 0, 0, time.UTC), asn.ShipDate, "DTM*011*20111206")
		require.Len(t, asn.Lines, 2)
		for i, want := range []struct {
			product, item, upc, qty string
		}{
			{"BLUE-WIDGET", "87787D", "999999310145", "24"},
			{"RED-WIDGET", "99887D", "999999311746", "6"},
		} {
			l := asn.Lines[i]
			assert.Equal(t, i+1, l.LineNumber)
			assert.Equal(t, want.product, l.Item, "line %d", i+1)
			assert.Equal(t, want.qty, l.Quantity, "line %d", i+1)
			assert.Equal(t, "EA", l.Unit, "line %d", i+1)
			assert.Equal(t, want.qty, l.PartnerQuantity, "line %d", i+1)
			assert.Equal(t, "EA", l.PartnerUnit, "line %d", i+1)
			require.NotNil(t, l.ItemRef, "line %d", i+1)
			assert.Equal(t, want.item, l.ItemRef.PartnerItem, "line %d", i+1)
			assert.Equal(t, want.upc, l.ItemRef.UPC, "line %d", i+1)
		}

		// The 997 goes back from the interchange's receiver to its sender and accepts the set.
		assert.Equal(t, res.Acknowledgment, ingest.AcknowledgmentOf(out.Answer))
		ic, acks := functionalAcks(t, res.Acknowledgment)
		assert.Equal(t, "999999999", ic.SenderID)
		assert.Equal(t, "4405197800", ic.ReceiverID)
		require.Len(t, acks, 1)
		assert.Equal(t, "SH", acks[0].FunctionalID)
		assert.Equal(t, "49", acks[0].GroupControl)
		assert.Equal(t, x12.AckAccepted, acks[0].Status)
		assert.Equal(t, []x12.SetAck{{Code: "856", Control: "0008", Status: x12.AckAccepted}}, acks[0].Sets)

		archived := h.message(t, out.MessageID)
		assert.Equal(t, archive.Accepted, archived.Status)
		assert.Equal(t, body, archived.Body)
		assert.Equal(t, "x12:12/4405197800:000000049", archived.PartnerMessageID, "ISA05/ISA06:ISA13")
		assert.True(t, hubNow.Equal(archived.ReceivedAt))

		// The same file again: the first answer, byte for byte, and nothing appended.
		again := h.submit(t, ingest.Submission{PartnerID: "edisource", ContentType: "application/edi-x12", Body: body})
		assert.True(t, again.Duplicate)
		assert.Equal(t, out.MessageID, again.MessageID)
		assert.Equal(t, archive.Accepted, again.Status)
		assert.Equal(t, out.Answer, again.Answer)
		assert.Len(t, h.events(t), 1)

		// The same interchange (sender and ISA13) with other bytes: the partner reused a control number.
		// It is refused as a conflict and kept apart; the first message stands.
		changed := append(append([]byte{}, body...), '\r', '\n')
		conflict := h.submit(t, ingest.Submission{PartnerID: "edisource", ContentType: "application/edi-x12", Body: changed})
		assert.False(t, conflict.Duplicate)
		assert.NotEqual(t, out.MessageID, conflict.MessageID)
		assert.Equal(t, archive.Rejected, conflict.Status)
		p := decodeProblemAnswer(t, conflict.Answer)
		assert.Equal(t, 409, p.Status)
		assert.Equal(t, `message ID "x12:12/4405197800:000000049" was already used for another body (message `+out.MessageID+`)`, p.Detail)
		assert.Equal(t, "urn:uuid:"+conflict.MessageID, p.Instance)
		quarantined := h.message(t, conflict.MessageID)
		assert.Equal(t, archive.Rejected, quarantined.Status)
		assert.Equal(t, changed, quarantined.Body)
		assert.Equal(t, p.Detail, quarantined.Reason)
		assert.Equal(t, archive.Accepted, h.message(t, out.MessageID).Status)
		assert.Len(t, h.events(t), 1)
	})
}

func TestProcessorParksUnmappedItemsUntilReplayed(t *testing.T) {
	t.Parallel()
	eachBackend(t, func(t *testing.T, open backend) {
		h := edisourceHub(t, open, false)
		body := fixtures.Read(t, fixture856)
		sub := ingest.Submission{PartnerID: "edisource", ContentType: "application/edi-x12", Body: body}

		out := h.submit(t, sub)
		assert.Equal(t, archive.Parked, out.Status)
		require.Equal(t, 202, out.Answer.Status, string(out.Answer.Body))
		res := decodeResult(t, out.Answer)
		assert.Equal(t, "parked", res.Status)
		assert.Empty(t, res.Documents)
		require.Len(t, res.Unmapped, 1)
		assert.Contains(t, res.Unmapped[0], "x12 856 (control 0008)")
		assert.Contains(t, res.Unmapped[0], "/lines/1/item_ref: item partner item 99887D, UPC 999999311746")
		assert.NotContains(t, res.Unmapped[0], "87787D", "the mapped item is not listed")
		assert.Empty(t, h.events(t), "a document is resolved all or nothing")
		_, acks := functionalAcks(t, res.Acknowledgment)
		require.Len(t, acks, 1)
		assert.Equal(t, x12.AckAccepted, acks[0].Sets[0].Status, "the partner's set is good: the gap is Crossdock's")
		parked := h.message(t, out.MessageID)
		assert.Equal(t, archive.Parked, parked.Status)
		assert.True(t, strings.HasPrefix(parked.Reason, "unmapped: "), parked.Reason)

		// A parked message sent again is handled again (it has no final answer): still parked.
		again := h.submit(t, sub)
		assert.False(t, again.Duplicate)
		assert.Equal(t, out.MessageID, again.MessageID)
		assert.Equal(t, archive.Parked, again.Status)
		assert.Empty(t, h.events(t))

		// The operator maps the item and replays the message.
		h.crosswalk.mapItem("edisource", "RED-WIDGET", "99887D")
		replayed, err := h.proc.Replay(t.Context(), out.MessageID, "ops:dana")
		require.NoError(t, err)
		assert.Equal(t, archive.Accepted, replayed.Status)
		require.Equal(t, 200, replayed.Answer.Status, string(replayed.Answer.Body))
		res = decodeResult(t, replayed.Answer)
		assert.Equal(t, "accepted", res.Status)
		assert.Empty(t, res.Unmapped)
		events := h.events(t)
		require.Len(t, events, 1)
		assert.Equal(t, shipment.EventASNReceived, events[0].Type)
		assert.Equal(t, "ops:dana", events[0].Metadata.Actor)
		assert.Equal(t, out.MessageID, events[0].Metadata.MessageID)
		asn := decodeEvent[shipment.ASNData](t, events[0])
		assert.Equal(t, "RED-WIDGET", asn.Lines[1].Item)
		assert.Equal(t, "6", asn.Lines[1].Quantity)
		require.Len(t, res.Documents, 1)
		assert.Equal(t, eventIDs(events), res.Documents[0].Streams[0].Events)
		assert.False(t, res.Documents[0].Streams[0].Duplicate)
		assert.Equal(t, archive.Accepted, h.message(t, out.MessageID).Status)

		// Replayed again: the same events are recognised, nothing is appended.
		second, err := h.proc.Replay(t.Context(), out.MessageID, "ops:dana")
		require.NoError(t, err)
		assert.Equal(t, archive.Accepted, second.Status)
		res = decodeResult(t, second.Answer)
		assert.Equal(t, eventIDs(events), res.Documents[0].Streams[0].Events)
		assert.True(t, res.Documents[0].Streams[0].Duplicate)
		assert.Len(t, h.events(t), 1)

		// Sent once more by the partner: now answered, with the latest answer.
		resent := h.submit(t, sub)
		assert.True(t, resent.Duplicate)
		assert.Equal(t, second.Answer, resent.Answer)
		assert.Len(t, h.events(t), 1)
	})
}

func TestProcessorParksMessagesOfUnregisteredPartners(t *testing.T) {
	t.Parallel()
	h := edisourceHub(t, backends["sqlite"], true)
	body := fixtures.Read(t, fixture856)
	out := h.submit(t, ingest.Submission{PartnerID: "newco", Body: body})
	assert.Equal(t, archive.Parked, out.Status)
	p := decodeProblemAnswer(t, out.Answer)
	assert.Equal(t, 403, p.Status)
	assert.Equal(t, `partner "newco" is not registered or not in effect`, p.Detail)
	assert.Empty(t, h.events(t))

	h.profiles.register("newco", inbound.Options{})
	h.crosswalk.mapItem("newco", "BLUE-WIDGET", "87787D")
	h.crosswalk.mapItem("newco", "RED-WIDGET", "99887D")
	h.crosswalk.mapUnit("newco", "EA", "EA")
	replayed, err := h.proc.Replay(t.Context(), out.MessageID, "ops:dana")
	require.NoError(t, err)
	assert.Equal(t, archive.Accepted, replayed.Status)
	events := h.events(t)
	require.Len(t, events, 1)
	asn := decodeEvent[shipment.ASNData](t, events[0])
	assert.Equal(t, "newco", asn.Supplier)
	assert.Empty(t, asn.ShipTo)
	assert.Equal(t, shipment.StreamID("newco", "829716"), events[0].StreamID)
}

// A canonical JSON body that does not name its kind is read with the kind the request gave (?kind=);
// that kind is archived with it, so a replay reads the body the same way.
func TestProcessorReplaysJSONWithTheRequestKind(t *testing.T) {
	t.Parallel()
	h := newHub(t, backends["sqlite"], newCrosswalk())
	h.profiles.register("acme", inbound.Options{})
	h.crosswalk.mapUnit("acme", "CS", "CS")
	body := []byte(`{"asn_number":"A-77","po_number":"P-9","ship_date":"2026-03-02T14:00:00Z","ship_to":"WH1",
		"lines":[{"line_number":1,"item_ref":{"partner_item":"A-42"},"quantity":{"amount":"3","unit":"CS"}}]}`)
	out := h.submit(t, ingest.Submission{PartnerID: "acme", ContentType: "application/json; charset=utf-8", Kind: domain.KindASN, Body: body})
	require.Equal(t, archive.Parked, out.Status, string(out.Answer.Body))
	assert.Equal(t, "application/json; charset=utf-8; kind=asn", h.message(t, out.MessageID).ContentType)

	h.crosswalk.mapItem("acme", "SKU-42", "A-42")
	replayed, err := h.proc.Replay(t.Context(), out.MessageID, "ops:dana")
	require.NoError(t, err)
	require.Equal(t, archive.Accepted, replayed.Status, string(replayed.Answer.Body))
	events := h.events(t)
	require.Len(t, events, 1)
	asn := decodeEvent[shipment.ASNData](t, events[0])
	assert.Equal(t, "A-77", asn.ASNNumber)
	assert.Equal(t, "SKU-42", asn.Lines[0].Item)
	assert.Equal(t, "3", asn.Lines[0].Quantity)
	assert.Equal(t, "CS", asn.Lines[0].Unit)
}

func TestProcessorRejections(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		partner string
		body    func(t *testing.T) []byte
		// where and detail are the first listed error's position and (part of) its reason.
		where, detail string
		// ack checks the functional acknowledgment carried in the problem.
		ack func(t *testing.T, ack string)
	}{
		{
			name: "x12 856 whose SE01 miscounts", partner: "northwind",
			body:  func(t *testing.T) []byte { return readTestdata(t, "856_se_count.x12") },
			where: "x12 856 (control 0001), segment 16 (SE) element SE01", detail: "SE01",
			ack: func(t *testing.T, ack string) {
				_, acks := functionalAcks(t, ack)
				require.Len(t, acks, 1)
				assert.Equal(t, x12.AckRejected, acks[0].Status)
				require.Len(t, acks[0].Sets, 1)
				assert.Equal(t, "0001", acks[0].Sets[0].Control)
				assert.Equal(t, x12.AckRejected, acks[0].Sets[0].Status)
				assert.Equal(t, []string{x12.SetCountMismatch}, acks[0].Sets[0].Errors)
			},
		},
		{
			name: "edifact ORDERS whose UNT count lies", partner: "eanbuyer",
			body:  func(t *testing.T) []byte { return fixtures.Read(t, "edifact/ORDERS_D96B_EAN008_staedi_UNG-group.edi") },
			where: "edifact ORDERS (control 1), segment 20 (UNT) element 1", detail: "UNT says 21 segments, there are 18",
			ack: func(t *testing.T, ack string) {
				ic, r := controlReport(t, ack)
				assert.Equal(t, "5400110000009", ic.Recipient, "the CONTRL goes back to the sender")
				assert.Equal(t, "2722166169492", r.Reference)
				require.Len(t, r.Messages, 1)
				assert.Equal(t, "1", r.Messages[0].Reference)
				assert.Equal(t, "ORDERS", r.Messages[0].Type)
				assert.Equal(t, edifact.ActionRejected, r.Messages[0].Action)
				require.NotNil(t, r.Messages[0].Problem)
				assert.Equal(t, edifact.CodeCountMismatch, r.Messages[0].Problem.Code)
			},
		},
		{
			// A purchase order is Crossdock's to send: one received is read, then refused, and the CONTRL
			// says so (code 14, value not supported, on UNH's message type).
			name: "edifact ORDERS sent to the hub", partner: "eanbuyer",
			body:  func(t *testing.T) []byte { return readTestdata(t, "orders_d96a.edi") },
			where: "edifact ORDERS (control 1)", detail: "a purchase_order is sent to partners, not received from them",
			ack: func(t *testing.T, ack string) {
				_, r := controlReport(t, ack)
				assert.Equal(t, "ORD0042", r.Reference)
				assert.Equal(t, edifact.ActionAcknowledged, r.Action, "the interchange itself is sound")
				require.Len(t, r.Messages, 1)
				assert.Equal(t, edifact.ActionRejected, r.Messages[0].Action)
				assert.Equal(t, &edifact.ControlProblem{Code: edifact.CodeNotSupportedValue, Tag: "UNH", Element: 2}, r.Messages[0].Problem)
			},
		},
		{
			name: "x12 214 with a U+2026 segment terminator", partner: "ltl",
			body:  func(t *testing.T) []byte { return fixtures.Read(t, "x12/214_staedi_ltl_utf8-ellipsis-term.x12") },
			where: "segment 1 (ISA)", detail: "U+2026",
			ack: func(t *testing.T, ack string) {
				assert.Empty(t, ack, "an interchange that cannot be framed names no one to acknowledge to")
			},
		},
	}
	h := newHub(t, backends["sqlite"], permissiveCrosswalk())
	for _, tt := range tests {
		h.profiles.register(tt.partner, inbound.Options{})
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body := tt.body(t)
			out := h.submit(t, ingest.Submission{PartnerID: tt.partner, Body: body})
			assert.Equal(t, archive.Rejected, out.Status)
			p := decodeProblemAnswer(t, out.Answer)
			assert.Equal(t, 422, p.Status)
			assert.Equal(t, "urn:uuid:"+out.MessageID, p.Instance)
			require.NotEmpty(t, p.Errors, p.Detail)
			assert.Equal(t, tt.where, p.Errors[0].Where)
			assert.Contains(t, p.Errors[0].Detail, tt.detail)
			tt.ack(t, p.Acknowledgment)
			assert.Equal(t, p.Acknowledgment, ingest.AcknowledgmentOf(out.Answer))

			m := h.message(t, out.MessageID)
			assert.Equal(t, archive.Rejected, m.Status)
			assert.Equal(t, body, m.Body)
			assert.Contains(t, m.Reason, tt.where+": ")
			assert.Contains(t, m.Reason, tt.detail)
		})
	}
	assert.Empty(t, h.events(t), "nothing of a rejected message is recorded")
}

func TestProcessorTakesTheGoodSetsOfAnInterchange(t *testing.T) {
	t.Parallel()
	cw := newCrosswalk()
	cw.mapItem("northwind", "SKU-100", "NW-100")
	cw.mapItem("northwind", "SKU-200", "NW-200")
	cw.mapUnit("northwind", "EA", "EA")
	h := newHub(t, backends["sqlite"], cw)
	h.profiles.register("northwind", inbound.Options{})

	out := h.submit(t, ingest.Submission{PartnerID: "northwind", Body: readTestdata(t, "856_two_sets.x12")})
	require.Equal(t, 200, out.Answer.Status, string(out.Answer.Body))
	res := decodeResult(t, out.Answer)
	assert.Equal(t, "partly_accepted", res.Status)
	require.Len(t, res.Documents, 1)
	assert.Equal(t, "0001", res.Documents[0].Source.Control)
	require.Len(t, res.Rejected, 1)
	assert.Equal(t, "x12 856 (control 0002), segment 30 (SE) element SE01", res.Rejected[0].Where)

	events := h.events(t)
	require.Len(t, events, 1)
	assert.Equal(t, shipment.StreamID("northwind", "NW-ASN-5511"), events[0].StreamID)
	asn := decodeEvent[shipment.ASNData](t, events[0])
	assert.Equal(t, "PO-7791", asn.PONumber)
	assert.Equal(t, "DC7", asn.ShipTo)
	assert.Equal(t, "SKU-100", asn.Lines[0].Item)
	assert.Equal(t, "12", asn.Lines[0].Quantity)
	assert.Equal(t, eventIDs(events), res.Documents[0].Streams[0].Events)

	_, acks := functionalAcks(t, res.Acknowledgment)
	require.Len(t, acks, 1)
	assert.Equal(t, x12.AckPartial, acks[0].Status)
	assert.Equal(t, 2, acks[0].Received)
	assert.Equal(t, 1, acks[0].Accepted)
	require.Len(t, acks[0].Sets, 2)
	assert.Equal(t, x12.SetAck{Code: "856", Control: "0001", Status: x12.AckAccepted}, acks[0].Sets[0])
	assert.Equal(t, "0002", acks[0].Sets[1].Control)
	assert.Equal(t, x12.AckRejected, acks[0].Sets[1].Status)

	// The message stays in quarantine for the set that was not taken.
	assert.Equal(t, archive.Rejected, out.Status)
	m := h.message(t, out.MessageID)
	assert.Equal(t, archive.Rejected, m.Status)
	assert.Contains(t, m.Reason, "partly rejected: x12 856 (control 0002), segment 30 (SE) element SE01")
}

// A replay that takes a set refused the first time keeps every other set's events where they were: the
// event IDs follow a document's place among all the sets of the message, not among those taken.
func TestProcessorReplayKeepsEachSetsEventsApart(t *testing.T) {
	eachBackend(t, func(t *testing.T, open backend) {
		h := newHub(t, open, permissiveCrosswalk())
		h.profiles.register("wh", inbound.Options{})
		// Two 846s of the same position: the first (the later report) has a quantity qualifier the
		// partner has not declared yet (ZZ), the second reports 100 on hand a day earlier.
		body := []byte("ISA*00*          *00*          *ZZ*WH             *ZZ*CROSSDOCK      *261126*1800*U*00401*000000777*0*P*>~" +
			"GS*IB*WH*CROSSDOCK*20261126*1800*777*X*004010~" +
			"ST*846*0001~BIA*00*MM*INV-A*20261128*1800~LIN*1*VN*SKU-1~QTY*ZZ*120*EA~SE*5*0001~" +
			"ST*846*0002~BIA*00*MM*INV-B*20261127*1800~LIN*1*VN*SKU-1~QTY*17*100*EA~SE*5*0002~" +
			"GE*2*777~IEA*1*000000777~")
		first := h.submit(t, ingest.Submission{PartnerID: "wh", Channel: "http", Body: body})
		require.Equal(t, "partly_accepted", decodeResult(t, first.Answer).Status)
		require.Len(t, h.events(t), 1)
		kept := h.events(t)[0]

		// The partner's qualifier is declared; the message is processed again.
		h.profiles.register("wh", inbound.Options{X12: x12doc.Options{InventoryQualifiers: map[string]string{"ZZ": "on_hand", "17": "on_hand"}}})
		replayed, err := h.proc.Replay(t.Context(), first.MessageID, "ops")
		require.NoError(t, err)
		require.Equal(t, archive.Accepted, replayed.Status, string(replayed.Answer.Body))
		events := h.events(t)
		require.Len(t, events, 2, "the first set is recorded now, the second is not recorded again")
		require.Equal(t, kept.ID, events[0].ID)
		var reports []string
		for _, ev := range events {
			var d struct {
				ReportNumber string `json:"report_number"`
			}
			require.NoError(t, json.Unmarshal(ev.Data, &d))
			reports = append(reports, d.ReportNumber)
		}
		require.ElementsMatch(t, []string{"INV-A", "INV-B"}, reports)
	})
}

// failingAnswers is the archive with a disk that fails when the answer is written.
type failingAnswers struct{ *archive.Archive }

func (failingAnswers) Accept(context.Context, string, archive.Answer) error {
	return errors.New("disk I/O error")
}

// An answer that could not be archived is not given: the partner is told to send again, and the
// resend is handled again without recording anything twice.
func TestProcessorDoesNotAnswerWhatItCouldNotArchive(t *testing.T) {
	h := edisourceHub(t, backends["sqlite"], true)
	logger := slog.New(slog.NewTextHandler(t.Output(), nil))
	docs, err := commands.NewDocumentHandler(h.store, h.crosswalk, commands.DocumentConfig{Logger: logger})
	require.NoError(t, err)
	broken, err := ingest.NewProcessor(failingAnswers{h.archive}, docs, h.profiles, ingest.EDIAcknowledger{}, ingest.ProcessorConfig{Logger: logger})
	require.NoError(t, err)
	body := fixtures.Read(t, "x12/856_oopfactory_1edisource_SOI_v4060.x12")

	out, err := broken.Submit(t.Context(), ingest.Submission{PartnerID: "edisource", Channel: "http", Body: body})
	require.NoError(t, err)
	assert.Equal(t, archive.Failed, out.Status)
	assert.Equal(t, 500, out.Answer.Status)
	assert.Equal(t, "the message could not be stored; send it again", decodeProblemAnswer(t, out.Answer).Detail)
	recorded := h.events(t)
	require.Len(t, recorded, 1, "the ASN's event is in the log")
	msg := h.message(t, out.MessageID)
	assert.Equal(t, archive.Received, msg.Status, "not answered in the archive")

	again := h.submit(t, ingest.Submission{PartnerID: "edisource", Body: body})
	assert.Equal(t, archive.Accepted, again.Status)
	assert.False(t, again.Duplicate, "an unanswered message is handled again")
	assert.Equal(t, eventIDs(recorded), eventIDs(h.events(t)), "and records nothing twice")
}
