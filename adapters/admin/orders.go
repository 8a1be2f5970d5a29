package admin

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"

	"github.com/crossdock-hub/crossdock/adapters/problem"
	"github.com/crossdock-hub/crossdock/commands"
	"github.com/crossdock-hub/crossdock/domain"
	"github.com/crossdock-hub/crossdock/domain/order"
)

// OrderResult answers POST /orders: what the order did to its stream.
type OrderResult struct {
	Kind    string         `json:"kind"`
	Streams []StreamResult `json:"streams"`
}

// StreamResult is what a command did to one stream.
type StreamResult struct {
	StreamID      string `json:"stream_id"`
	StreamVersion int64  `json:"stream_version"`
	// Outcome is placed, changed or unchanged (commands.Outcome*).
	Outcome  string   `json:"outcome"`
	EventIDs []string `json:"event_ids"`
	// Duplicate is true when nothing was appended: the same order was placed before.
	Duplicate bool `json:"duplicate"`
}

// placeOrder records a purchase order as Crossdock placed it with a supplier (canonical JSON, the
// shape of order.PurchaseOrder; a "kind" member, when present, must be purchase_order). It is how an
// order is put in place before the supplier's acknowledgment, ASN, receipt and invoice arrive. The
// supplier is the partner the order concerns. Placing the same body again records nothing (200);
// placing the same PO number with other content records the change (201).
func (a *Admin) placeOrder(c echo.Context) error {
	who, p := actor(c)
	if p != nil {
		return p
	}
	mt, p := mediaType(c)
	if p != nil {
		return p
	}
	if mt != "" && mt != echo.MIMEApplicationJSON {
		return unsupported(mt, "the order as application/json")
	}
	body, p := a.readBody(c)
	if p != nil {
		return p
	}
	po, p := decodeOrder(body)
	if p != nil {
		return p
	}
	sum := sha256.Sum256(body)
	res, err := a.orders.Handle(c.Request().Context(), commands.PlaceOrder{
		Message: commands.Message{
			Key:           "admin-order:" + po.PONumber + ":" + hex.EncodeToString(sum[:]),
			CorrelationID: uuid.NewString(),
			PartnerID:     po.Supplier,
			Source:        SourceAPI,
			Actor:         who,
			ReceivedAt:    a.now().UTC(),
		},
		Order: po,
	})
	if ve, ok := errors.AsType[*domain.ValidationError](err); ok {
		fields := make([]problem.FieldError, len(ve.Violations))
		for i, v := range ve.Violations {
			fields[i] = problem.FieldError{Pointer: v.Field, Detail: v.Reason}
		}
		return invalid("the purchase order breaks the order rules", fields...)
	}
	if err != nil {
		return err
	}
	out := OrderResult{Kind: res.Kind, Streams: make([]StreamResult, len(res.Streams))}
	status := http.StatusOK
	for i, s := range res.Streams {
		ids := make([]string, len(s.EventIDs))
		for j, id := range s.EventIDs {
			ids[j] = id.String()
		}
		out.Streams[i] = StreamResult{StreamID: s.StreamID, StreamVersion: s.StreamVersion, Outcome: s.Outcome,
			EventIDs: ids, Duplicate: s.Duplicate}
		if !s.Duplicate {
			status = http.StatusCreated
		}
	}
	return c.JSON(status, out)
}

// decodeOrder reads a canonical purchase order, refusing unknown members, and checks what the command
// needs to be addressed: the PO number and the supplier.
func decodeOrder(body []byte) (order.PurchaseOrder, *problem.Problem) {
	var head map[string]json.RawMessage
	if err := json.Unmarshal(body, &head); err != nil {
		return order.PurchaseOrder{}, invalid("the body is not a JSON object", jsonFieldError(body, err))
	}
	if raw, ok := head["kind"]; ok {
		var kind string
		if err := json.Unmarshal(raw, &kind); err != nil || kind != domain.KindPurchaseOrder {
			return order.PurchaseOrder{}, invalid("the body is not a purchase order", problem.FieldError{
				Pointer: "/kind", Detail: fmt.Sprintf("must be %q", domain.KindPurchaseOrder)})
		}
		delete(head, "kind")
	}
	rest, err := json.Marshal(head)
	if err != nil {
		return order.PurchaseOrder{}, invalid("the body cannot be read", problem.FieldError{Detail: err.Error()})
	}
	var po order.PurchaseOrder
	dec := json.NewDecoder(bytes.NewReader(rest))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&po); err != nil && !errors.Is(err, io.EOF) {
		// rest is re-encoded, so offsets would mislead: only the field is named.
		fe := jsonFieldError(nil, err)
		fe.Where = ""
		return order.PurchaseOrder{}, invalid("the purchase order cannot be read", fe)
	}
	var missing []problem.FieldError
	if strings.TrimSpace(po.PONumber) == "" {
		missing = append(missing, problem.FieldError{Pointer: "/po_number", Detail: "is required"})
	}
	if strings.TrimSpace(po.Supplier) == "" {
		missing = append(missing, problem.FieldError{Pointer: "/supplier", Detail: "is required: the partner ID of the supplier the order is placed with"})
	}
	if len(missing) > 0 {
		return order.PurchaseOrder{}, invalid("the purchase order cannot be placed", missing...)
	}
	return po, nil
}
