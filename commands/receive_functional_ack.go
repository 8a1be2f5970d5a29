package commands

import (
	"context"

	"github.com/crossdock-hub/crossdock/domain"
	"github.com/crossdock-hub/crossdock/domain/order"
)

// receiveFunctionalAck records a partner's 997 / CONTRL as edi.functional_ack_received.v1 on the stream
// of the group it acknowledges, "edi-ack-<partner>:<group control>". Correlating the group to the orders
// it carried is left to the outbound side, which knows which control numbers it sent.
func (h *DocumentHandler) receiveFunctionalAck(ctx context.Context, msg Message, fa order.FunctionalAck) (DocumentResult, error) {
	r := newResolver(h.crosswalk, msg.PartnerID, domain.KindFunctionalAck)
	r.identifier("/group_control", fa.GroupControl, true)
	if err := r.err(); err != nil {
		return DocumentResult{}, err
	}
	d := order.FunctionalAckData{
		Partner: msg.PartnerID, Standard: fa.Standard, GroupControlNumber: fa.GroupControl,
		GroupStatus: fa.GroupStatus, Sets: make([]order.AckedSetData, len(fa.Sets)),
	}
	for i, s := range fa.Sets {
		d.Sets[i] = order.AckedSetData(s)
	}
	res, err := record(ctx, &h.rec, write[*order.FunctionalAcks]{
		stream: order.FunctionalAckStreamID(msg.PartnerID, fa.GroupControl),
		key:    msg.Key,
		msg:    msg,
		fresh:  order.NewFunctionalAcks,
		decide: func(a *order.FunctionalAcks) ([]event, string, error) {
			events, err := asEvents(a.Receive(d))
			return events, OutcomeUnchanged, err
		},
	})
	return one(domain.KindFunctionalAck, res, err)
}
