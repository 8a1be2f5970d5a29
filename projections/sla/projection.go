// Package sla is the partner SLA read model, for now its supplier metrics that Crossdock's events carry
// today: ASN timeliness (how long before the goods arrived the ASN reached us, against the supplier's
// promised lead) and ASN accuracy (how well it announced what was received), per ASN and summarised per
// supplier and day or week with exact percentiles (../shared/VIEWS.md, partner SLA).
//
// An ASN is paired with the receipts that name its number. Every row is derived again from its facts
// when one changes, so late and out-of-order documents give the rows the same documents in order do.
package sla

import (
	"context"
	"database/sql"
	"embed"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/crossdock-hub/crossdock/domain/order"
	"github.com/crossdock-hub/crossdock/domain/partner"
	"github.com/crossdock-hub/crossdock/domain/receipt"
	"github.com/crossdock-hub/crossdock/domain/shipment"
	"github.com/crossdock-hub/crossdock/eventstore"
	"github.com/crossdock-hub/crossdock/projections"
)

// Name is the projection's name.
const Name = "sla"

const version = 3

// Kinds of the feed's rows: ASN measures keyed "supplier/asn", deliveries keyed by tracking number.
const (
	ChangeShipment = "asn_shipment"
	ChangeDelivery = "carrier_delivery"
)

//go:embed sql
var sqlFiles embed.FS

var queries = projections.MustLoadQueries(sqlFiles, "sql", "sla.sql")

const timeText = "2006-01-02T15:04:05.000000000Z"

// Projection writes the SLA tables.
type Projection struct{}

// NewProjection returns the partner SLA projection.
func NewProjection() *Projection { return &Projection{} }

// Name implements projections.Projection.
func (*Projection) Name() string { return Name }

// Version implements projections.Projection.
func (*Projection) Version() int { return version }

// Filter implements projections.Projection.
func (*Projection) Filter() eventstore.Filter {
	return eventstore.Filter{Types: []string{shipment.EventASNReceived, shipment.EventASNRevised, receipt.EventReceived,
		receipt.EventRevised, partner.EventSLASet, shipment.EventStatusReported, partner.EventSLABreached,
		order.EventSent, order.EventAcknowledged, order.EventShipped, order.EventPlaced, order.EventChanged}}
}

// Tables implements projections.Projection.
func (*Projection) Tables() []string {
	return []string{"sla_asn", "sla_receipt", "sla_promise", "sla_shipment", "sla_milestone", "sla_delivery", "sla_breach",
		"sla_order", "sla_order_promise", "sla_unannounced", "sla_po", "sla_asn_po"}
}

// Schema implements projections.Projection.
func (*Projection) Schema(t projections.Tables) ([]string, error) {
	return projections.SchemaFor(queries, t)
}

func queriesFor(t projections.Tables) (projections.Queries, error) {
	q, ok := queries[t.Dialect]
	if !ok {
		return nil, fmt.Errorf("sla: unsupported dialect %q", t.Dialect)
	}
	return q, nil
}

// Apply implements projections.Projection.
func (p *Projection) Apply(ctx context.Context, tx *sql.Tx, t projections.Tables, events []eventstore.Event) error {
	_, err := p.ApplyChanges(ctx, tx, t, events)
	return err
}

// ApplyChanges implements projections.ChangeReporter. Each step is one statement per table for the whole
// batch (rows travel as one JSON array).
func (p *Projection) ApplyChanges(ctx context.Context, tx *sql.Tx, t projections.Tables, events []eventstore.Event) ([]projections.Change, error) {
	q, err := queriesFor(t)
	if err != nil {
		return nil, err
	}
	x := &executor{JSONBatch: projections.JSONBatch{Ctx: ctx, Tx: tx, Tables: t, Queries: q}, asns: map[[2]string]asnRow{}, receipts: map[[3]string]receiptRow{},
		promises: map[string]int{}, numbers: map[string]bool{}, trackings: map[string]bool{}, orders: map[[3]string]orderRow{},
		orderPromises: map[string]orderPromiseRow{}, unannounced: map[[2]string]unannouncedRow{}, pos: map[string]string{},
		asnPOs: map[[3]string]string{}}
	for _, ev := range events {
		if err := x.record(ev); err != nil {
			return nil, fmt.Errorf("sla: event %s (%s): %w", ev.ID, ev.Type, err)
		}
	}
	if err := x.flush(); err != nil {
		return nil, fmt.Errorf("sla: record facts: %w", err)
	}
	shipments, err := x.deriveShipments()
	if err != nil {
		return nil, fmt.Errorf("sla: derive ASN measures: %w", err)
	}
	deliveries, err := x.deriveDeliveries()
	if err != nil {
		return nil, fmt.Errorf("sla: derive deliveries: %w", err)
	}
	var changes []projections.Change
	for _, s := range shipments {
		b, _ := json.Marshal(s) // plain data: always encodes
		changes = append(changes, projections.Change{Kind: ChangeShipment, Key: s.Supplier + "/" + s.ASNNumber, Row: b})
	}
	for _, d := range deliveries {
		b, _ := json.Marshal(d)
		changes = append(changes, projections.Change{Kind: ChangeDelivery, Key: d.TrackingNumber, Row: b})
	}
	return changes, nil
}

type asnRow struct {
	Supplier   string `json:"supplier"`
	ASNNumber  string `json:"asn_number"`
	RecordedAt string `json:"recorded_at"`
	EventID    string `json:"event_id"`
	Data       string `json:"data"`
	Tracking   string `json:"tracking"`
	version    int64
}

type receiptRow struct {
	ASNNumber     string `json:"asn_number"`
	ReceiptNumber string `json:"receipt_number"`
	Warehouse     string `json:"warehouse"`
	Data          string `json:"data"`
}

type breachRow struct {
	Metric    string `json:"metric"`
	Reference string `json:"reference"`
	Partner   string `json:"partner"`
	RaisedAt  string `json:"raised_at"`
	EventID   string `json:"event_id"`
}

type milestoneRow struct {
	Tracking string `json:"tracking"`
	EventID  string `json:"event_id"`
	Data     string `json:"data"`
}

// executor applies one batch: record buffers its facts, flush writes them, derive computes and writes
// the rows they touched.
type executor struct {
	projections.JSONBatch

	asns       map[[2]string]asnRow
	receipts   map[[3]string]receiptRow
	promises   map[string]int
	milestones []milestoneRow
	breaches   []breachRow
	numbers    map[string]bool // the ASN numbers whose measures may change
	trackings  map[string]bool // the tracking numbers whose deliveries may change
	// orders are the batch's order sendings and first answers, by partner, document and number; the
	// earliest instant of each stands.
	orders        map[[3]string]orderRow
	orderPromises map[string]orderPromiseRow
	// unannounced are receipts that name no ASN, by warehouse and number; pos the suppliers of purchase
	// orders; asnPOs the first instant of each ASN, by order, supplier and ASN number.
	unannounced map[[2]string]unannouncedRow
	pos         map[string]string
	asnPOs      map[[3]string]string
}

type unannouncedRow struct {
	Warehouse     string `json:"warehouse"`
	ReceiptNumber string `json:"receipt_number"`
	PONumber      string `json:"po_number"`
	ReceivedAt    string `json:"received_at"`
	EventID       string `json:"event_id"`
}

type orderRow struct {
	Partner    string `json:"partner"`
	Document   string `json:"document"`
	Number     string `json:"number"`
	SentAt     string `json:"sent_at"`
	AnsweredAt string `json:"answered_at"`
}

type orderPromiseRow struct {
	Partner   string `json:"partner"`
	AckHours  int    `json:"ack_hours"`
	ShipHours int    `json:"ship_hours"`
}

// order notes a sending (sent) or a first answer (answered) of a partner's order.
func (x *executor) order(partner, document, number string, sent, answered time.Time) {
	k := [3]string{partner, document, number}
	row, ok := x.orders[k]
	if !ok {
		row = orderRow{Partner: partner, Document: document, Number: number}
	}
	earliest := func(cur string, t time.Time) string {
		if t.IsZero() {
			return cur
		}
		v := t.UTC().Format(timeText)
		if cur == "" || v < cur {
			return v
		}
		return cur
	}
	row.SentAt, row.AnsweredAt = earliest(row.SentAt, sent), earliest(row.AnsweredAt, answered)
	x.orders[k] = row
}

// record buffers an event's fact and notes the ASN and tracking numbers whose rows it may change.
func (x *executor) record(ev eventstore.Event) error {
	switch ev.Type {
	case shipment.EventASNReceived, shipment.EventASNRevised:
		var d shipment.ASNData
		if err := json.Unmarshal(ev.Data, &d); err != nil {
			return err
		}
		a := ASN{EventID: ev.ID.String(), Supplier: d.Supplier, Number: d.ASNNumber, RecordedAt: ev.RecordedAt.UTC(),
			Quantities: map[string]decimal.Decimal{}, TrackingNumber: d.TrackingNumber, ExpectedArrival: d.ExpectedArrival.UTC()}
		for _, l := range d.Lines {
			q, err := decimal.NewFromString(l.Quantity)
			if err != nil {
				return fmt.Errorf("line %d quantity %q: %w", l.LineNumber, l.Quantity, err)
			}
			a.Quantities[l.Item] = a.Quantities[l.Item].Add(q)
		}
		b, _ := json.Marshal(a)
		k := [2]string{d.Supplier, d.ASNNumber}
		row := asnRow{Supplier: d.Supplier, ASNNumber: d.ASNNumber, RecordedAt: a.RecordedAt.Format(timeText), EventID: a.EventID,
			Data: string(b), Tracking: d.TrackingNumber, version: ev.StreamVersion}
		if cur, ok := x.asns[k]; ok {
			// The first instant stands, the latest revision's content.
			row.RecordedAt = min(row.RecordedAt, cur.RecordedAt)
			if cur.version > row.version {
				row.EventID, row.Data, row.Tracking, row.version = cur.EventID, cur.Data, cur.Tracking, cur.version
			}
		}
		x.asns[k] = row
		x.numbers[d.ASNNumber] = true
		if d.PONumber != "" {
			k := [3]string{d.PONumber, d.Supplier, d.ASNNumber}
			if cur, ok := x.asnPOs[k]; !ok || row.RecordedAt < cur {
				x.asnPOs[k] = row.RecordedAt
			}
		}
		if d.TrackingNumber != "" {
			x.trackings[d.TrackingNumber] = true
		}
	case receipt.EventReceived, receipt.EventRevised:
		var d receipt.ReceiptData
		if err := json.Unmarshal(ev.Data, &d); err != nil {
			return err
		}
		if d.ASNNumber == "" {
			// A receipt that names no ASN measures none; one of an order may be goods with no ASN.
			if d.PONumber != "" {
				x.unannounced[[2]string{d.Partner, d.ReceiptNumber}] = unannouncedRow{Warehouse: d.Partner, ReceiptNumber: d.ReceiptNumber,
					PONumber: d.PONumber, ReceivedAt: d.ReceivedAt.UTC().Format(timeText), EventID: ev.ID.String()}
			}
			return nil
		}
		r := Receipt{EventID: ev.ID.String(), Number: d.ReceiptNumber, ReceivedAt: d.ReceivedAt.UTC(), Quantities: map[string]decimal.Decimal{}}
		for _, l := range d.Lines {
			r.Quantities[l.Product] = r.Quantities[l.Product].Add(l.Quantity)
		}
		b, _ := json.Marshal(r)
		// A receipt's stream is in order: its last revision in the batch stands.
		x.receipts[[3]string{d.ASNNumber, d.Partner, d.ReceiptNumber}] = receiptRow{ASNNumber: d.ASNNumber,
			ReceiptNumber: d.ReceiptNumber, Warehouse: d.Partner, Data: string(b)}
		x.numbers[d.ASNNumber] = true
	case partner.EventSLASet:
		var d partner.SLASet
		if err := json.Unmarshal(ev.Data, &d); err != nil {
			return err
		}
		id, ok := strings.CutPrefix(ev.StreamID, partner.StreamPrefix)
		if !ok {
			return fmt.Errorf("SLA on stream %s, not a partner's", ev.StreamID)
		}
		x.promises[id] = d.ASNLeadHours
		x.orderPromises[id] = orderPromiseRow{Partner: id, AckHours: d.AckWithinHours, ShipHours: d.ShipConfirmWithinHours}
	case partner.EventSLABreached:
		var d partner.SLABreachedData
		if err := json.Unmarshal(ev.Data, &d); err != nil {
			return err
		}
		x.breaches = append(x.breaches, breachRow{Metric: d.Metric, Reference: d.Reference, Partner: d.Partner,
			RaisedAt: d.RaisedAt.UTC().Format(timeText), EventID: ev.ID.String()})
		switch d.Metric {
		case partner.MetricASNTimeliness:
			x.numbers[d.Reference] = true
		case partner.MetricCarrierOnTime:
			x.trackings[d.Reference] = true
		}
	case order.EventPlaced, order.EventChanged:
		var d order.OrderData
		if err := json.Unmarshal(ev.Data, &d); err != nil {
			return err
		}
		x.pos[d.PONumber] = d.Supplier
	case order.EventSent:
		var d order.SentData
		if err := json.Unmarshal(ev.Data, &d); err != nil {
			return err
		}
		x.order(d.Partner, d.Document, d.OrderNumber, d.SentAt, time.Time{})
	case order.EventAcknowledged:
		var d order.AckData
		if err := json.Unmarshal(ev.Data, &d); err != nil {
			return err
		}
		x.order(d.Partner, DocumentPurchaseOrder, d.PONumber, time.Time{}, ev.RecordedAt)
	case order.EventShipped:
		var d order.ShippedData
		if err := json.Unmarshal(ev.Data, &d); err != nil {
			return err
		}
		if d.OrderNumber != "" { // a warehouse order's ship confirmation
			x.order(d.Partner, DocumentWarehouseOrder, d.OrderNumber, time.Time{}, ev.RecordedAt)
		}
	case shipment.EventStatusReported:
		var d shipment.StatusReported
		if err := json.Unmarshal(ev.Data, &d); err != nil {
			return err
		}
		m := Milestone{EventID: ev.ID.String(), Carrier: d.Partner, Status: d.Status, At: d.At.UTC(), EstimatedDelivery: d.EstimatedDelivery.UTC()}
		b, _ := json.Marshal(m)
		x.milestones = append(x.milestones, milestoneRow{Tracking: d.TrackingNumber, EventID: m.EventID, Data: string(b)})
		x.trackings[d.TrackingNumber] = true
	}
	return nil
}

// flush writes the batch's facts; a changed promise concerns every ASN of its supplier.
func (x *executor) flush() error {
	if len(x.asns) > 0 {
		rows := make([]asnRow, 0, len(x.asns))
		for _, r := range x.asns {
			rows = append(rows, r)
		}
		if err := x.Exec("upsert_asns", rows); err != nil {
			return err
		}
	}
	if len(x.receipts) > 0 {
		rows := make([]receiptRow, 0, len(x.receipts))
		for _, r := range x.receipts {
			rows = append(rows, r)
		}
		if err := x.Exec("upsert_receipts", rows); err != nil {
			return err
		}
	}
	if len(x.milestones) > 0 {
		if err := x.Exec("insert_milestones", x.milestones); err != nil {
			return err
		}
	}
	if len(x.breaches) > 0 {
		if err := x.Exec("insert_breaches", x.breaches); err != nil {
			return err
		}
	}
	if len(x.orders) > 0 {
		rows := make([]orderRow, 0, len(x.orders))
		for _, r := range x.orders {
			rows = append(rows, r)
		}
		if err := x.Exec("upsert_orders", rows); err != nil {
			return err
		}
	}
	if len(x.unannounced) > 0 {
		rows := make([]unannouncedRow, 0, len(x.unannounced))
		for _, r := range x.unannounced {
			rows = append(rows, r)
		}
		if err := x.Exec("upsert_unannounced", rows); err != nil {
			return err
		}
	}
	if len(x.pos) > 0 {
		type row struct {
			PONumber string `json:"po_number"`
			Supplier string `json:"supplier"`
		}
		rows := make([]row, 0, len(x.pos))
		for po, supplier := range x.pos {
			rows = append(rows, row{po, supplier})
		}
		if err := x.Exec("upsert_pos", rows); err != nil {
			return err
		}
	}
	if len(x.asnPOs) > 0 {
		type row struct {
			PONumber   string `json:"po_number"`
			Supplier   string `json:"supplier"`
			ASNNumber  string `json:"asn_number"`
			RecordedAt string `json:"recorded_at"`
		}
		rows := make([]row, 0, len(x.asnPOs))
		for k, at := range x.asnPOs {
			rows = append(rows, row{k[0], k[1], k[2], at})
		}
		if err := x.Exec("upsert_asn_pos", rows); err != nil {
			return err
		}
	}
	if len(x.orderPromises) > 0 {
		rows := make([]orderPromiseRow, 0, len(x.orderPromises))
		for _, r := range x.orderPromises {
			rows = append(rows, r)
		}
		if err := x.Exec("upsert_order_promises", rows); err != nil {
			return err
		}
	}
	if len(x.promises) > 0 {
		type row struct {
			Partner   string `json:"partner"`
			LeadHours int    `json:"lead_hours"`
		}
		rows := make([]row, 0, len(x.promises))
		suppliers := make([]string, 0, len(x.promises))
		for p, h := range x.promises {
			rows = append(rows, row{p, h})
			suppliers = append(suppliers, p)
		}
		if err := x.Exec("upsert_promises", rows); err != nil {
			return err
		}
		return x.Query("supplier_asns", suppliers, func(r *sql.Rows) error {
			var n string
			err := r.Scan(&n)
			x.numbers[n] = true
			return err
		})
	}
	return nil
}

// breachesOf returns the breaches raised for the metric on the references, by reference and partner.
func (x *executor) breachesOf(metric string, references []string) (map[[2]string]breachRow, error) {
	type key struct {
		Metric    string `json:"metric"`
		Reference string `json:"reference"`
	}
	keys := make([]key, len(references))
	for i, r := range references {
		keys[i] = key{metric, r}
	}
	out := map[[2]string]breachRow{}
	err := x.Query("select_breaches", keys, func(r *sql.Rows) error {
		var b breachRow
		if err := r.Scan(&b.Metric, &b.Reference, &b.Partner, &b.RaisedAt, &b.EventID); err != nil {
			return err
		}
		out[[2]string{b.Reference, b.Partner}] = b
		return nil
	})
	return out, err
}

// breach marks a row breached with the breach raised for it, if any.
func breach(b breachRow, ok bool, breachedAt *time.Time, evidence *[]string) error {
	if !ok {
		return nil
	}
	t, err := time.Parse(timeText, b.RaisedAt)
	*breachedAt = t
	*evidence = append(*evidence, b.EventID)
	return err
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// deriveShipments measures every supplier's ASN of the touched numbers against the receipts naming them,
// and stores the rows.
func (x *executor) deriveShipments() ([]Shipment, error) {
	numbers := sortedKeys(x.numbers)
	if len(numbers) == 0 {
		return nil, nil
	}
	var asns []ASN
	suppliers := map[string]bool{}
	err := x.Query("select_asns", numbers, func(r *sql.Rows) error {
		var number, recordedAt, data string
		if err := r.Scan(&number, &recordedAt, &data); err != nil {
			return err
		}
		var a ASN
		if err := json.Unmarshal([]byte(data), &a); err != nil {
			return err
		}
		t, err := time.Parse(timeText, recordedAt)
		a.RecordedAt = t // the first ASN's instant, which a revision keeps
		asns = append(asns, a)
		suppliers[a.Supplier] = true
		return err
	})
	if err != nil {
		return nil, err
	}
	receipts := map[string][]Receipt{}
	err = x.Query("select_receipts", numbers, func(r *sql.Rows) error {
		var number, data string
		if err := r.Scan(&number, &data); err != nil {
			return err
		}
		var rc Receipt
		err := json.Unmarshal([]byte(data), &rc)
		receipts[number] = append(receipts[number], rc)
		return err
	})
	if err != nil {
		return nil, err
	}
	promised := map[string]int{}
	if len(suppliers) > 0 {
		err = x.Query("select_promises", sortedKeys(suppliers), func(r *sql.Rows) error {
			var p string
			var h int
			err := r.Scan(&p, &h)
			promised[p] = h
			return err
		})
		if err != nil {
			return nil, err
		}
	}
	slices.SortFunc(asns, func(a, b ASN) int {
		if c := strings.Compare(a.Supplier, b.Supplier); c != 0 {
			return c
		}
		return strings.Compare(a.Number, b.Number)
	})
	breaches, err := x.breachesOf(partner.MetricASNTimeliness, numbers)
	if err != nil {
		return nil, err
	}
	type row struct {
		Supplier   string `json:"supplier"`
		ASNNumber  string `json:"asn_number"`
		RecordedAt string `json:"recorded_at"`
		Due        int    `json:"due"`
		Data       string `json:"data"`
	}
	out := make([]Shipment, len(asns))
	rows := make([]row, len(asns))
	for i, a := range asns {
		s := Compute(a, receipts[a.Number], promised[a.Supplier])
		b, ok := breaches[[2]string{a.Number, a.Supplier}]
		if err := breach(b, ok, &s.BreachedAt, &s.Evidence); err != nil {
			return nil, err
		}
		data, err := json.Marshal(s)
		if err != nil {
			return nil, err
		}
		out[i] = s
		rows[i] = row{s.Supplier, s.ASNNumber, s.RecordedAt.Format(timeText), due(s.Late, s.BreachedAt), string(data)}
	}
	if len(rows) == 0 {
		return nil, nil
	}
	return out, x.Exec("upsert_shipments", rows)
}

// deriveDeliveries measures the touched tracking numbers' deliveries and stores them.
func (x *executor) deriveDeliveries() ([]Delivery, error) {
	trackings := sortedKeys(x.trackings)
	if len(trackings) == 0 {
		return nil, nil
	}
	milestones := map[string][]Milestone{}
	err := x.Query("select_milestones", trackings, func(r *sql.Rows) error {
		var tracking, data string
		if err := r.Scan(&tracking, &data); err != nil {
			return err
		}
		var m Milestone
		err := json.Unmarshal([]byte(data), &m)
		milestones[tracking] = append(milestones[tracking], m)
		return err
	})
	if err != nil {
		return nil, err
	}
	promises := map[string][]Promise{}
	err = x.Query("tracking_promises", trackings, func(r *sql.Rows) error {
		var tracking, eventID, data string
		if err := r.Scan(&tracking, &eventID, &data); err != nil {
			return err
		}
		var a ASN
		err := json.Unmarshal([]byte(data), &a)
		promises[tracking] = append(promises[tracking], Promise{EventID: eventID, Arrival: a.ExpectedArrival, Supplier: a.Supplier})
		return err
	})
	if err != nil {
		return nil, err
	}
	breaches, err := x.breachesOf(partner.MetricCarrierOnTime, trackings)
	if err != nil {
		return nil, err
	}
	type row struct {
		Tracking    string `json:"tracking"`
		Carrier     string `json:"carrier"`
		DeliveredAt string `json:"delivered_at"`
		Due         int    `json:"due"`
		Data        string `json:"data"`
	}
	var out []Delivery
	var rows []row
	for _, tr := range trackings {
		if len(milestones[tr]) == 0 {
			continue // an ASN's promise alone measures nothing until the carrier reports
		}
		d := ComputeDelivery(tr, milestones[tr], promises[tr])
		b, ok := breaches[[2]string{tr, d.Carrier}]
		if err := breach(b, ok, &d.BreachedAt, &d.Evidence); err != nil {
			return nil, err
		}
		data, err := json.Marshal(d)
		if err != nil {
			return nil, err
		}
		delivered := ""
		if !d.DeliveredAt.IsZero() {
			delivered = d.DeliveredAt.UTC().Format(timeText)
		}
		out = append(out, d)
		rows = append(rows, row{tr, d.Carrier, delivered, due(d.OnTime != nil && !*d.OnTime, d.BreachedAt), string(data)})
	}
	if len(rows) == 0 {
		return nil, nil
	}
	return out, x.Exec("upsert_deliveries", rows)
}

// due is 1 for a row that is late and has no breach yet: what the SLA watch raises one for.
func due(late bool, breachedAt time.Time) int {
	if late && breachedAt.IsZero() {
		return 1
	}
	return 0
}
