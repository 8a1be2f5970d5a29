package workflows

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/shopspring/decimal"

	"github.com/crossdock-hub/crossdock/commands"
	"github.com/crossdock-hub/crossdock/domain/shipment"
	"github.com/crossdock-hub/crossdock/eventstore"
)

// Announcement is a supplier's ASN to announce on Odoo's incoming receipt.
type Announcement struct {
	Partner, Number, PONumber string
	Lines                     []BookingLine
	// TrackingRef is the carrier's tracking number, else the bill of lading.
	TrackingRef string
}

// AnnounceResult is what the announcer did: Outcome shipment.AnnouncedUpdated or
// shipment.AnnouncedAlreadyReceived; Expected the quantities written per product.
type AnnounceResult struct {
	Outcome, Picking string
	Expected         map[string]decimal.Decimal
}

// Announcer announces ASNs on Odoo's receipts (adapters/odoodriver, adapted in cmd/crossdock); its
// errors are ErrLater when a later try may pass.
type Announcer interface {
	AnnounceASN(ctx context.Context, a Announcement) (AnnounceResult, error)
}

// AnnouncementRecorder records Odoo's answer on the shipment's stream: *commands.OdooBookingHandler.
type AnnouncementRecorder interface {
	RecordAnnouncement(ctx context.Context, cmd commands.RecordASNAnnouncement) (commands.StreamResult, error)
}

// ASNsConfig configures ASNsToOdoo.
type ASNsConfig struct {
	Announcer Announcer
	Recorder  AnnouncementRecorder
	Source    string
	Now       func() time.Time
	Logger    *slog.Logger
}

// ASNsToOdoo announces every supplier ASN (shipment.asn_received.v1, _revised.v1) on the incoming
// receipt of its purchase order in Odoo — the quantities coming and the carrier's tracking reference —
// and records shipment.announced_in_odoo.v1 on the shipment's stream, or shipment.odoo_announce_failed.v1
// (a dead letter) with Odoo's reason, or, while Odoo is down, shipment.odoo_announce_deferred.v1 once.
// A cancelled ASN is not announced.
//
// It is not a workflow of its own: ReceiptsToOdoo runs it (ReceiptsConfig.ASNs), so that an ASN and the
// warehouse's receipt of the same goods reach Odoo one after the other, in log order — never an ASN's
// expected quantities written between a receipt's done quantities and its validation.
type ASNsToOdoo struct {
	cfg ASNsConfig
}

// NewASNsToOdoo returns the announcer.
func NewASNsToOdoo(cfg ASNsConfig) (*ASNsToOdoo, error) {
	if cfg.Announcer == nil || cfg.Recorder == nil {
		return nil, errors.New("asns to odoo: the announcer and the recorder are required")
	}
	if cfg.Source == "" {
		cfg.Source = "odoo"
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	return &ASNsToOdoo{cfg: cfg}, nil
}

// asnTypes are the events ASNsToOdoo takes.
var asnTypes = []string{shipment.EventASNReceived, shipment.EventASNRevised}

// React announces each ASN in turn; other events are left alone.
func (w *ASNsToOdoo) React(ctx context.Context, events []eventstore.Event) error {
	for _, ev := range events {
		if err := w.one(ctx, ev); err != nil {
			return fmt.Errorf("asn event %s: %w", ev.ID, err)
		}
	}
	return nil
}

func (w *ASNsToOdoo) one(ctx context.Context, ev eventstore.Event) error {
	var d shipment.ASNData
	revision := 1
	switch ev.Type {
	case shipment.EventASNReceived:
		if err := json.Unmarshal(ev.Data, &d); err != nil {
			return err
		}
	case shipment.EventASNRevised:
		var r shipment.ASNRevised
		if err := json.Unmarshal(ev.Data, &r); err != nil {
			return err
		}
		d, revision = r.ASNData, r.Revision
	default:
		return nil
	}
	if d.Purpose == "cancel" || d.PONumber == "" {
		return nil
	}
	record := func(outcome string, cmd commands.RecordASNAnnouncement) error {
		cmd.Message = commands.Message{Key: "odoo-asn:" + ev.ID.String() + ":" + outcome, CorrelationID: ev.Metadata.CorrelationID,
			CausationID: ev.ID.String(), PartnerID: d.Supplier, Source: w.cfg.Source, Actor: "workflow:" + ReceiptsName, ReceivedAt: w.cfg.Now().UTC()}
		cmd.Supplier, cmd.ASNNumber = d.Supplier, d.ASNNumber
		_, err := w.cfg.Recorder.RecordAnnouncement(ctx, cmd)
		return err
	}
	a := Announcement{Partner: d.Supplier, Number: d.ASNNumber, PONumber: d.PONumber, TrackingRef: d.TrackingNumber}
	if a.TrackingRef == "" {
		a.TrackingRef = d.BillOfLading
	}
	for _, l := range d.Lines {
		q, err := decimal.NewFromString(l.Quantity)
		if err != nil {
			return fmt.Errorf("asn %s line %d: quantity %q: %w", d.ASNNumber, l.LineNumber, l.Quantity, err)
		}
		a.Lines = append(a.Lines, BookingLine{Product: l.Item, Quantity: q})
	}
	res, err := w.cfg.Announcer.AnnounceASN(ctx, a)
	failure := &shipment.AnnounceFailedData{ASNNumber: d.ASNNumber, Supplier: d.Supplier, PONumber: d.PONumber, Revision: revision}
	switch {
	case errors.Is(err, ErrLater):
		failure.Reason = err.Error()
		if rerr := record("deferred", commands.RecordASNAnnouncement{Deferred: failure}); rerr != nil {
			return errors.Join(err, rerr)
		}
		return err
	case err != nil:
		failure.Reason = err.Error()
		w.cfg.Logger.WarnContext(ctx, "asn not announced in odoo", "asn", d.ASNNumber, "supplier", d.Supplier, "reason", err)
		return record("failed", commands.RecordASNAnnouncement{Failed: failure})
	}
	announced := &shipment.AnnouncedData{ASNNumber: d.ASNNumber, Supplier: d.Supplier, PONumber: d.PONumber, Revision: revision,
		Outcome: res.Outcome, Picking: res.Picking, TrackingRef: a.TrackingRef}
	if len(res.Expected) > 0 {
		announced.Expected = map[string]string{}
		for p, q := range res.Expected {
			announced.Expected[p] = q.String()
		}
	}
	return record(res.Outcome, commands.RecordASNAnnouncement{Announced: announced})
}
