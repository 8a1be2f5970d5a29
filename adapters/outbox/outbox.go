// Package outbox writes the documents Crossdock sends partners — purchase orders (X12 850, EDIFACT
// ORDERS) and warehouse orders (X12 940) — as files in each partner's outbox directory, where the
// partner's SFTP server or a transfer agent picks them up.
//
// A file appears whole or not at all: it is written under a dot-name in the same directory, synced, and
// renamed into place. Its control numbers are the one the caller gives (the workflow gives the global
// log position of the event that asked for the sending: unique, so no two interchanges to a partner
// share one until the log passes a billion events), and its name derives from what it carries (order,
// revision, control number): sending the same revision again — a retry — writes the same bytes under the
// same name rather than a second order.
package outbox

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/crossdock-hub/crossdock/adapters/edi/edifactdoc"
	"github.com/crossdock-hub/crossdock/adapters/edi/x12"
	"github.com/crossdock-hub/crossdock/adapters/edi/x12doc"
	"github.com/crossdock-hub/crossdock/domain/order"
	"github.com/crossdock-hub/crossdock/domain/partner"
)

// ErrWrite marks a failure to write the file (the directory missing or full, a permission): worth
// retrying once the operator fixes it. Any other error of Send is the document's: it cannot be written
// in the partner's format as it is.
var ErrWrite = errors.New("outbox write failed")

// Identity is how Crossdock names itself in the envelopes it writes.
type Identity struct {
	// X12Qualifier and X12ID are ISA05/ISA06 (and GS02): e.g. ZZ and CROSSDOCK.
	X12Qualifier, X12ID string
	// EDIFACTID and EDIFACTQualifier are UNB02: e.g. a GLN with qualifier 14.
	EDIFACTID, EDIFACTQualifier string
	// Test marks every interchange as a test one (ISA15 T, UNB11 1).
	Test bool
}

// DefaultIdentity is the identity written when none is configured.
var DefaultIdentity = Identity{X12Qualifier: "ZZ", X12ID: "CROSSDOCK", EDIFACTID: "CROSSDOCK", EDIFACTQualifier: "ZZZ"}

// Outgoing is one document to send.
type Outgoing struct {
	// Partner is the partner's profile; Channel its outbox channel for the document's kind.
	Partner partner.Profile
	Channel partner.Channel
	// Revision is the order's revision: part of the file name.
	Revision int
	// Control is the interchange's control number: at most 9 digits for X12 (ISA13, GS06 without the
	// zeros), 14 for EDIFACT (UNB05); 0 is not one.
	Control uint64
	// At dates the envelope: the instant the order was recorded, so that a resend writes the same bytes.
	At time.Time
	// Exactly one of PurchaseOrder and WarehouseOrder.
	PurchaseOrder  *order.PurchaseOrder
	WarehouseOrder *order.WarehouseOrder
}

// Written is what Send wrote.
type Written struct {
	Format, Transaction string
	// Interchange and Group are the control numbers written.
	Interchange, Group string
	File               string
	Bytes              int
}

// Sender writes outgoing documents.
type Sender struct {
	id Identity
}

// New returns a sender writing envelopes under id.
func New(id Identity) (*Sender, error) {
	if id.X12ID == "" || id.X12Qualifier == "" || id.EDIFACTID == "" {
		return nil, errors.New("outbox: Crossdock's X12 qualifier and ID and its EDIFACT ID are required")
	}
	return &Sender{id: id}, nil
}

// Send encodes the document in the channel's format and writes it to the channel's directory.
func (s *Sender) Send(out Outgoing) (Written, error) {
	kind, number := partner.KindPurchaseOrder, ""
	switch {
	case out.PurchaseOrder != nil && out.WarehouseOrder == nil:
		number = out.PurchaseOrder.PONumber
	case out.WarehouseOrder != nil && out.PurchaseOrder == nil:
		kind, number = partner.KindWarehouseOrder, out.WarehouseOrder.OrderNumber
	default:
		return Written{}, errors.New("outbox: give a purchase order or a warehouse order")
	}
	if out.Control == 0 {
		return Written{}, errors.New("outbox: no control number")
	}
	w := Written{Format: out.Channel.Format}
	var (
		data []byte
		err  error
	)
	switch out.Channel.Format {
	case partner.FormatX12:
		data, err = s.x12(out, &w)
	case partner.FormatEDIFACT:
		data, err = s.edifact(out, &w)
	default:
		err = fmt.Errorf("outbox: %s cannot be written as %q", kind, out.Channel.Format)
	}
	if err != nil {
		return Written{}, err
	}
	ext := map[string]string{partner.FormatX12: "x12", partner.FormatEDIFACT: "edi"}[w.Format]
	name := fmt.Sprintf("%s_%s_r%d_%s.%s", kind, fileSafe(number), out.Revision, w.Interchange, ext)
	w.File = filepath.Join(out.Channel.Dir, name)
	w.Bytes = len(data)
	if err := writeWhole(w.File, data); err != nil {
		return Written{}, err
	}
	return w, nil
}

func (s *Sender) x12(out Outgoing, w *Written) ([]byte, error) {
	if len(out.Partner.Identifiers.ISA) == 0 {
		return nil, fmt.Errorf("partner %s has no ISA ID to address the interchange to", out.Partner.ID)
	}
	to := out.Partner.Identifiers.ISA[0]
	control := out.Control % 1e9
	if control == 0 {
		control = 1e9 - 1
	}
	usage := "P"
	if s.id.Test {
		usage = "T"
	}
	env := x12doc.Envelope{Interchange: x12.Envelope{SenderQualifier: s.id.X12Qualifier, SenderID: s.id.X12ID,
		ReceiverQualifier: to.Qualifier, ReceiverID: strings.TrimSpace(to.ID), Control: fmt.Sprintf("%09d", control),
		Date: out.At.UTC(), Usage: usage}}
	if len(out.Partner.Identifiers.GS) > 0 {
		env.GroupReceiver = out.Partner.Identifiers.GS[0]
	}
	w.Interchange, w.Group = env.Interchange.Control, strconv.FormatUint(control, 10)
	if out.PurchaseOrder != nil {
		w.Transaction = "850"
		return x12doc.Encode850(*out.PurchaseOrder, env)
	}
	w.Transaction = "940"
	return x12doc.Encode940(*out.WarehouseOrder, env)
}

func (s *Sender) edifact(out Outgoing, w *Written) ([]byte, error) {
	if out.PurchaseOrder == nil {
		return nil, errors.New("outbox: only purchase orders are written as EDIFACT (ORDERS)")
	}
	if len(out.Partner.Identifiers.GLN) == 0 {
		return nil, fmt.Errorf("partner %s has no GLN to address the interchange to", out.Partner.ID)
	}
	ref := strconv.FormatUint(out.Control%1e14, 10)
	env := edifactdoc.Envelope{Sender: s.id.EDIFACTID, SenderQualifier: s.id.EDIFACTQualifier,
		Recipient: out.Partner.Identifiers.GLN[0], RecipientQualifier: "14", Reference: ref, Prepared: out.At.UTC(),
		AckRequested: true, Test: s.id.Test}
	w.Transaction, w.Interchange, w.Group = "ORDERS", ref, ref
	return edifactdoc.EncodeORDERS(*out.PurchaseOrder, env)
}

func fileSafe(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' {
			return r
		}
		return '_'
	}, s)
}

// writeWhole writes data to path through a dot-file renamed into place, so that a reader of the
// directory never sees part of it.
func writeWhole(path string, data []byte) error {
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*")
	if err != nil {
		return fmt.Errorf("%w: %w", ErrWrite, err)
	}
	defer os.Remove(tmp.Name()) // once renamed, there is nothing left to remove
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("%w: %s: %w", ErrWrite, tmp.Name(), err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("%w: %s: %w", ErrWrite, tmp.Name(), err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("%w: %s: %w", ErrWrite, tmp.Name(), err)
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return fmt.Errorf("%w: %s: %w", ErrWrite, tmp.Name(), err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("%w: %w", ErrWrite, err)
	}
	// The rename itself is made durable before the sending is recorded.
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrWrite, err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("%w: sync %s: %w", ErrWrite, dir, err)
	}
	return nil
}
