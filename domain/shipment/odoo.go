package shipment

import (
	"encoding/json"
	"errors"
)

// What Odoo was told of a supplier's ASN, and what it answered: recorded on the shipment's stream.
const (
	// EventAnnouncedInOdoo: the incoming receipt of the ASN's order now expects what the ASN ships.
	EventAnnouncedInOdoo = "shipment.announced_in_odoo.v1"
	// EventOdooAnnounceFailed: Odoo could not take the ASN (no such order, a product not on its receipt).
	EventOdooAnnounceFailed = "shipment.odoo_announce_failed.v1"
	// EventOdooAnnounceDeferred: Odoo could not be reached; the workflow waits and tries again.
	EventOdooAnnounceDeferred = "shipment.odoo_announce_deferred.v1"
)

// Announcement outcomes.
const (
	// AnnouncedUpdated: the receipt was updated now.
	AnnouncedUpdated = "updated"
	// AnnouncedAlreadyReceived: the receipt is done in Odoo already; there was nothing to announce.
	AnnouncedAlreadyReceived = "already_received"
)

// AnnouncedData is the payload of shipment.announced_in_odoo.v1.
type AnnouncedData struct {
	ASNNumber string `json:"asn_number"`
	Supplier  string `json:"supplier"`
	PONumber  string `json:"po_number"`
	Revision  int    `json:"revision"`
	// Outcome is AnnouncedUpdated or AnnouncedAlreadyReceived.
	Outcome string `json:"outcome"`
	// Picking is Odoo's incoming receipt; TrackingRef what was written as its carrier_tracking_ref.
	Picking     string `json:"picking"`
	TrackingRef string `json:"tracking_ref,omitempty"`
	// Expected are the quantities written as each move's expected quantity, by product (17 and later;
	// empty on 16, which has no such field besides the ordered demand).
	Expected map[string]string `json:"expected,omitempty"`
}

// AnnouncedInOdoo records an ASN announced on Odoo's receipt.
type AnnouncedInOdoo struct {
	AnnouncedData
}

// EventType implements Event.
func (AnnouncedInOdoo) EventType() string { return EventAnnouncedInOdoo }

// AnnounceFailedData is the payload of shipment.odoo_announce_failed.v1 and, with Deferred, of
// shipment.odoo_announce_deferred.v1.
type AnnounceFailedData struct {
	ASNNumber string `json:"asn_number"`
	Supplier  string `json:"supplier"`
	PONumber  string `json:"po_number"`
	Revision  int    `json:"revision"`
	Reason    string `json:"reason"`
}

// OdooAnnounceFailed records an ASN Odoo did not take: a dead letter.
type OdooAnnounceFailed struct {
	AnnounceFailedData
}

// EventType implements Event.
func (OdooAnnounceFailed) EventType() string { return EventOdooAnnounceFailed }

// OdooAnnounceDeferred records an announcement put off until Odoo answers.
type OdooAnnounceDeferred struct {
	AnnounceFailedData
}

// EventType implements Event.
func (OdooAnnounceDeferred) EventType() string { return EventOdooAnnounceDeferred }

// RecordOdooAnnouncement decides what Odoo's answer about the ASN means; exactly one of announced, failed
// and deferred is given. Once a revision is recorded announced, nothing more is recorded for it (a
// retry, a re-drive).
func (s *Shipment) RecordOdooAnnouncement(announced *AnnouncedData, failed, deferred *AnnounceFailedData) ([]Event, error) {
	n := 0
	for _, given := range []bool{announced != nil, failed != nil, deferred != nil} {
		if given {
			n++
		}
	}
	if n != 1 {
		return nil, errors.New("record odoo announcement: give exactly one of the announcement, the failure and the deferral")
	}
	if s.current == nil {
		return nil, errors.New("record odoo announcement: no ASN was received")
	}
	revision := 0
	switch {
	case announced != nil:
		revision = announced.Revision
	case failed != nil:
		revision = failed.Revision
	default:
		revision = deferred.Revision
	}
	if s.announced[revision] {
		return nil, nil
	}
	switch {
	case announced != nil:
		return []Event{AnnouncedInOdoo{AnnouncedData: *announced}}, nil
	case failed != nil:
		return []Event{OdooAnnounceFailed{AnnounceFailedData: *failed}}, nil
	default:
		return []Event{OdooAnnounceDeferred{AnnounceFailedData: *deferred}}, nil
	}
}

func (s *Shipment) applyAnnounced(data []byte) error {
	var d AnnouncedData
	if err := json.Unmarshal(data, &d); err != nil {
		return err
	}
	s.announced[d.Revision] = true
	return nil
}
