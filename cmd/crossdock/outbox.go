package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/spf13/pflag"

	"github.com/crossdock-hub/crossdock/adapters/outbox"
	"github.com/crossdock-hub/crossdock/commands"
	"github.com/crossdock-hub/crossdock/commands/workflows"
	"github.com/crossdock-hub/crossdock/domain/order"
	"github.com/crossdock-hub/crossdock/domain/partner"
)

// identityOptions say how Crossdock names itself in the EDI it sends.
type identityOptions struct {
	x12, edifact string
	test         bool
}

func (o *identityOptions) register(f *pflag.FlagSet) {
	d := outbox.DefaultIdentity
	f.StringVar(&o.x12, "x12-sender", d.X12Qualifier+":"+d.X12ID,
		"Crossdock's interchange ID in the X12 it sends partners (ISA05:ISA06, also GS02), e.g. 01:123456789 or ZZ:ACMEDIST")
	f.StringVar(&o.edifact, "edifact-sender", d.EDIFACTID+":"+d.EDIFACTQualifier,
		"Crossdock's identification in the EDIFACT it sends (UNB02 as ID:QUALIFIER), e.g. 5412345000013:14 for a GLN")
	f.BoolVar(&o.test, "edi-test", false, "mark every interchange sent as a test one (X12 ISA15 T, EDIFACT UNB11 1)")
}

func (o identityOptions) parse() (outbox.Identity, error) {
	id := outbox.Identity{Test: o.test}
	qual, x12ID, ok := strings.Cut(o.x12, ":")
	id.X12Qualifier, id.X12ID = strings.ToUpper(strings.TrimSpace(qual)), strings.TrimSpace(x12ID)
	if !ok || len(id.X12Qualifier) != 2 || id.X12ID == "" || len(id.X12ID) > 15 {
		return id, fmt.Errorf("--x12-sender %q: want QUALIFIER:ID, a 2-character qualifier and an ID of 1 to 15 characters (e.g. ZZ:ACMEDIST)", o.x12)
	}
	edi, edq, _ := strings.Cut(o.edifact, ":")
	id.EDIFACTID, id.EDIFACTQualifier = strings.TrimSpace(edi), strings.TrimSpace(edq)
	if id.EDIFACTID == "" || len(id.EDIFACTID) > 35 {
		return id, fmt.Errorf("--edifact-sender %q: want ID[:QUALIFIER], an ID of 1 to 35 characters (e.g. 5412345000013:14)", o.edifact)
	}
	return id, nil
}

// newOrdersWorkflow returns the workflow that sends purchase orders to suppliers with an outbox channel.
func newOrdersWorkflow(b *backend, partners workflows.Partners, id outbox.Identity, logger *slog.Logger) (*workflows.OrdersToPartners, error) {
	sender, err := outbox.New(id)
	if err != nil {
		return nil, err
	}
	sent, err := commands.NewOrderSentHandler(b.store, logger.With("component", "commands"))
	if err != nil {
		return nil, err
	}
	return workflows.NewOrdersToPartners(workflows.OrdersConfig{Partners: partners, Sender: orderSender{sender}, Sent: sent,
		Logger: logger.With("component", "workflows")})
}

// orderSender writes orders through the outbox for the workflow, marking write failures as worth
// retrying.
type orderSender struct{ s *outbox.Sender }

func (o orderSender) SendPurchaseOrder(_ context.Context, p partner.Profile, ch partner.Channel, revision int, control uint64, at time.Time, po order.PurchaseOrder) (workflows.Dispatch, error) {
	return dispatched(o.s.Send(outbox.Outgoing{Partner: p, Channel: ch, Revision: revision, Control: control, At: at, PurchaseOrder: &po}))
}

func (o orderSender) SendWarehouseOrder(_ context.Context, p partner.Profile, ch partner.Channel, revision int, control uint64, at time.Time, wo order.WarehouseOrder) (workflows.Dispatch, error) {
	return dispatched(o.s.Send(outbox.Outgoing{Partner: p, Channel: ch, Revision: revision, Control: control, At: at, WarehouseOrder: &wo}))
}

// dispatched gives what the outbox wrote in the workflow's terms, marking a write failure as worth
// retrying.
func dispatched(w outbox.Written, err error) (workflows.Dispatch, error) {
	if errors.Is(err, outbox.ErrWrite) {
		return workflows.Dispatch{}, fmt.Errorf("%w: %w", workflows.ErrLater, err)
	}
	if err != nil {
		return workflows.Dispatch{}, err
	}
	return workflows.Dispatch{Format: w.Format, Transaction: w.Transaction, Interchange: w.Interchange, Group: w.Group, File: w.File, Bytes: w.Bytes}, nil
}
