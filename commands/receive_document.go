package commands

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"

	"github.com/google/uuid"

	"github.com/crossdock-hub/crossdock/domain"
	"github.com/crossdock-hub/crossdock/domain/inventory"
	"github.com/crossdock-hub/crossdock/domain/invoice"
	"github.com/crossdock-hub/crossdock/domain/order"
	"github.com/crossdock-hub/crossdock/domain/receipt"
	"github.com/crossdock-hub/crossdock/domain/shipment"
)

// ReceiveDocument asks to record a canonical document sent by Message.PartnerID, in the partner's terms.
type ReceiveDocument struct {
	Message  Message
	Document domain.Document
}

// Outcomes of a document on one stream (StreamResult.Outcome).
const (
	// OutcomeReceived: the first document with its number (ASN, receipt, invoice) was recorded.
	OutcomeReceived = "received"
	// OutcomeRevised: a document changed an earlier one with the same number.
	OutcomeRevised = "revised"
	// OutcomeRecorded: a fact that does not revise anything was recorded (milestones, an
	// acknowledgment, a ship confirmation, a snapshot, an adjustment).
	OutcomeRecorded = "recorded"
	// OutcomePlaced and OutcomeChanged: a purchase order was placed, or placed again with other content.
	OutcomePlaced  = "placed"
	OutcomeChanged = "changed"
	// OutcomeUnchanged: the document carried what was already recorded; nothing was appended.
	OutcomeUnchanged = "unchanged"
	// OutcomeStale: an inventory snapshot older than the position's latest; nothing was appended.
	OutcomeStale = "stale"
)

// outcomes maps the first event a document appends to a stream to the outcome it means.
var outcomes = map[string]string{
	shipment.EventASNReceived: OutcomeReceived, receipt.EventReceived: OutcomeReceived, invoice.EventReceived: OutcomeReceived,
	shipment.EventASNRevised: OutcomeRevised, receipt.EventRevised: OutcomeRevised, invoice.EventRevised: OutcomeRevised,
	order.EventPlaced: OutcomePlaced, order.EventChanged: OutcomeChanged,
}

func outcomeOf(firstEventType string) string {
	if o, ok := outcomes[firstEventType]; ok {
		return o
	}
	return OutcomeRecorded
}

// DocumentResult says what a document did, stream by stream.
type DocumentResult struct {
	Kind string
	// Streams lists every stream the document concerns, in the order they were written; an inventory
	// snapshot concerns one per position.
	Streams []StreamResult
}

// StreamResult is what a document did to one stream.
type StreamResult struct {
	StreamID string
	// StreamVersion is the stream's version after the command.
	StreamVersion int64
	// Outcome is one of the Outcome* constants.
	Outcome string
	// EventIDs are the IDs of the events the document produced on the stream: appended now, or by an
	// earlier handling of the same message. Empty when it changed nothing.
	EventIDs []uuid.UUID
	// Duplicate is true when nothing was appended: the message was handled before, or its content was
	// already recorded.
	Duplicate bool
}

// DocumentConfig configures DocumentHandler.
type DocumentConfig struct {
	// Logger receives the handler's logs. Default: discarded.
	Logger *slog.Logger
	// PageSize is how many events are read per ReadStream call when loading a stream. Default: 500.
	PageSize int
	// Orders answers the rules that look at a purchase order (over-ship, unknown PO and PO line, price
	// variance). Default: StreamOrders over the handler's store.
	Orders OrderReader
}

func (c *DocumentConfig) setDefaults() {
	if c.Logger == nil {
		c.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if c.PageSize == 0 {
		c.PageSize = 500
	}
}

// Validate reports every invalid field.
func (c DocumentConfig) Validate() error {
	var errs []error
	if c.PageSize < 0 {
		errs = append(errs, fmt.Errorf("page size %d is negative", c.PageSize))
	}
	return errors.Join(errs...)
}

// DocumentHandler records any canonical document a partner sends as events on the stream of the order,
// receipt, shipment, inventory position, invoice or EDI group it concerns. Every item and unit is
// resolved through the partner's crosswalk first, all or nothing; the events keep the partner's item
// reference, quantity and unit beside the canonical ones.
type DocumentHandler struct {
	rec       recorder
	crosswalk Crosswalk
	orders    OrderReader
	asn       *ReceiveASNHandler
}

// NewDocumentHandler returns a handler appending to store and resolving through crosswalk.
func NewDocumentHandler(store StreamStore, crosswalk Crosswalk, cfg DocumentConfig) (*DocumentHandler, error) {
	cfg.setDefaults()
	errs := []error{cfg.Validate()}
	if store == nil {
		errs = append(errs, errors.New("nil store"))
	}
	if crosswalk == nil {
		errs = append(errs, errors.New("nil crosswalk"))
	}
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("document handler: %w", err)
	}
	if cfg.Orders == nil {
		cfg.Orders = NewStreamOrders(store, cfg.PageSize)
	}
	asn, err := NewReceiveASNHandler(store, ReceiveASNConfig{Logger: cfg.Logger, PageSize: cfg.PageSize})
	if err != nil {
		return nil, fmt.Errorf("document handler: %w", err)
	}
	return &DocumentHandler{
		rec:       recorder{store: store, logger: cfg.Logger, page: cfg.PageSize},
		crosswalk: crosswalk,
		orders:    cfg.Orders,
		asn:       asn,
	}, nil
}

// Handle resolves the document and records it. Errors the caller answers the partner with:
//
//   - *domain.ValidationError (*shipment.ValidationError for an ASN): the document breaks a rule and is
//     rejected; nothing was recorded;
//   - *UnmappedError: the partner's crosswalk lacks entries; nothing was recorded, the message waits
//     for the mapping to be fixed;
//
// any other error is Crossdock's own (storage) and the message may be retried as is: its events have
// deterministic IDs, so nothing is recorded twice.
func (h *DocumentHandler) Handle(ctx context.Context, cmd ReceiveDocument) (DocumentResult, error) {
	if err := cmd.Message.Validate(); err != nil {
		return DocumentResult{}, fmt.Errorf("receive document: %w", err)
	}
	if cmd.Document == nil {
		return DocumentResult{}, errors.New("receive document: no document")
	}
	msg := cmd.Message
	doc := domain.DocumentValue(cmd.Document)
	if doc == nil {
		return DocumentResult{}, errors.New("receive document: nil document")
	}
	switch d := doc.(type) {
	case shipment.ASN:
		return h.receiveASN(ctx, msg, d)
	case shipment.StatusReport:
		return h.receiveStatus(ctx, msg, d)
	case receipt.Receipt:
		return h.receiveReceipt(ctx, msg, d)
	case order.ShipConfirmation:
		return h.receiveShipConfirmation(ctx, msg, d)
	case inventory.Snapshot:
		return h.receiveSnapshot(ctx, msg, d)
	case inventory.Adjustment:
		return h.receiveAdjustment(ctx, msg, d)
	case invoice.Invoice:
		return h.receiveInvoice(ctx, msg, d)
	case order.Acknowledgment:
		return h.receiveOrderAck(ctx, msg, d)
	case order.FunctionalAck:
		return h.receiveFunctionalAck(ctx, msg, d)
	case order.PurchaseOrder, order.WarehouseOrder:
		// Orders are Crossdock's to send (PlaceOrder), never a partner's to record.
		return DocumentResult{}, &domain.ValidationError{Document: d.Kind(), Violations: []domain.Violation{{
			Field: "", Reason: fmt.Sprintf("a %s is sent to partners, not received from them", d.Kind()),
		}}}
	default:
		return DocumentResult{}, fmt.Errorf("receive document: no handler for %T (kind %q)", cmd.Document, cmd.Document.Kind())
	}
}

// OrderLines answers the named query the rules use to see purchase order po (see OrderReader).
func (h *DocumentHandler) OrderLines(ctx context.Context, po string) ([]order.OrderedLine, bool, error) {
	return h.orders.OrderLines(ctx, po)
}

// orderView looks purchase order po up for a rule; an empty po is an order never placed.
func (h *DocumentHandler) orderView(ctx context.Context, po string) (order.View, error) {
	if po == "" {
		return order.View{}, nil
	}
	lines, found, err := h.orders.OrderLines(ctx, po)
	if err != nil {
		return order.View{}, fmt.Errorf("look up purchase order %s: %w", po, err)
	}
	return order.View{PONumber: po, Found: found, Lines: lines}, nil
}

// one is the result of a document that concerns one stream.
func one(kind string, res StreamResult, err error) (DocumentResult, error) {
	if err != nil {
		return DocumentResult{}, err
	}
	return DocumentResult{Kind: kind, Streams: []StreamResult{res}}, nil
}
