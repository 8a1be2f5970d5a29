package queries

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/graphql-go/graphql"

	"github.com/crossdock-hub/crossdock/projections/sla"
)

// SLAReader reads the partner SLA projection.
type SLAReader interface {
	Windows(ctx context.Context, supplier string, from, to time.Time, week bool) ([]sla.Window, error)
	Shipment(ctx context.Context, supplier, asnNumber string) (sla.Shipment, error)
	CarrierWindows(ctx context.Context, carrier string, from, to time.Time, week bool) ([]sla.CarrierWindow, error)
	Delivery(ctx context.Context, tracking string) (sla.Delivery, error)
	OrderWindows(ctx context.Context, partner, document string, from, to, now time.Time, week bool) ([]sla.OrderWindow, error)
	Unannounced(ctx context.Context, supplier string, from, to time.Time) ([]sla.Unannounced, error)
}

func newShipmentType() *graphql.Object {
	str := graphql.NewNonNull(graphql.String)
	return graphql.NewObject(graphql.ObjectConfig{
		Name:        "AsnShipment",
		Description: "One ASN measured against the receipts that name it: timeliness and accuracy.",
		Fields: graphql.Fields{
			"supplier":   field[sla.Shipment](str, "", func(s sla.Shipment) any { return s.Supplier }),
			"asnNumber":  field[sla.Shipment](str, "", func(s sla.Shipment) any { return s.ASNNumber }),
			"recordedAt": field[sla.Shipment](str, "When the ASN first reached Crossdock.", func(s sla.Shipment) any { return timestamp(s.RecordedAt) }),
			"arrivedAt":  field[sla.Shipment](graphql.String, "The first receipt's business time; null while nothing is received.", func(s sla.Shipment) any { return timestamp(s.ArrivedAt) }),
			"leadHours": field[sla.Shipment](graphql.String, "arrivedAt − recordedAt, in hours; negative when the ASN came after the goods.",
				func(s sla.Shipment) any { return optionalDecimal(s.LeadHours) }),
			"promisedLeadHours": field[sla.Shipment](graphql.NewNonNull(graphql.Int), "The supplier's promise; 0 for none.", func(s sla.Shipment) any { return s.PromisedLeadHours }),
			"late":              field[sla.Shipment](graphql.NewNonNull(graphql.Boolean), "The ASN came less than the promised lead before the goods.", func(s sla.Shipment) any { return s.Late }),
			"accuracy": field[sla.Shipment](graphql.String, "1 − Σ|announced − received| / Σ announced.",
				func(s sla.Shipment) any { return optionalDecimal(s.Accuracy) }),
			"evidence": field[sla.Shipment](graphql.NewNonNull(graphql.NewList(graphql.NewNonNull(graphql.String))), "The ASN's, the receipts' and the breach's event IDs.",
				func(s sla.Shipment) any { return stringList(s.Evidence) }),
			"breachedAt": field[sla.Shipment](graphql.String, "When the lateness was raised as a breach (sla.breached.v1).",
				func(s sla.Shipment) any { return timestamp(s.BreachedAt) }),
		},
	})
}

func slaFields(reader SLAReader, errs errorPolicy, shipment *graphql.Object, now func() time.Time) graphql.Fields {
	str := graphql.NewNonNull(graphql.String)
	integer := graphql.NewNonNull(graphql.Int)
	orderDocument := graphql.NewEnum(graphql.EnumConfig{
		Name:        "OrderDocument",
		Description: "An order Crossdock sends a partner.",
		Values: graphql.EnumValueConfigMap{
			"PURCHASE_ORDER":  {Value: sla.DocumentPurchaseOrder, Description: "850 / ORDERS to a supplier, answered by its 855 / ORDRSP."},
			"WAREHOUSE_ORDER": {Value: sla.DocumentWarehouseOrder, Description: "940 to a warehouse, answered by its 945."},
		},
	})
	unannounced := graphql.NewObject(graphql.ObjectConfig{
		Name:        "UnannouncedReceipt",
		Description: "A warehouse's receipt of a supplier's purchase order that came with no ASN.",
		Fields: graphql.Fields{
			"supplier":      field[sla.Unannounced](str, "", func(u sla.Unannounced) any { return u.Supplier }),
			"poNumber":      field[sla.Unannounced](str, "", func(u sla.Unannounced) any { return u.PONumber }),
			"warehouse":     field[sla.Unannounced](str, "", func(u sla.Unannounced) any { return u.Warehouse }),
			"receiptNumber": field[sla.Unannounced](str, "", func(u sla.Unannounced) any { return u.ReceiptNumber }),
			"receivedAt":    field[sla.Unannounced](str, "The receipt's business time.", func(u sla.Unannounced) any { return timestamp(u.ReceivedAt) }),
		},
	})
	orderWindow := graphql.NewObject(graphql.ObjectConfig{
		Name:        "OrderLatencyWindow",
		Description: "A partner's orders of one kind sent over a day or a week: how many, how many answered, how many late against the promise (answered late, or unanswered past it), and the answer's exact p50/p90/p99 latency in hours.",
		Fields: graphql.Fields{
			"partner":         field[sla.OrderWindow](str, "", func(w sla.OrderWindow) any { return w.Partner }),
			"document":        field[sla.OrderWindow](graphql.NewNonNull(orderDocument), "", func(w sla.OrderWindow) any { return w.Document }),
			"start":           field[sla.OrderWindow](str, "Midnight UTC; a week starts on Monday.", func(w sla.OrderWindow) any { return timestamp(w.Start) }),
			"sent":            field[sla.OrderWindow](integer, "", func(w sla.OrderWindow) any { return w.Sent }),
			"answered":        field[sla.OrderWindow](integer, "", func(w sla.OrderWindow) any { return w.Answered }),
			"late":            field[sla.OrderWindow](integer, "", func(w sla.OrderWindow) any { return w.Late }),
			"latencyHoursP50": field[sla.OrderWindow](graphql.String, "", func(w sla.OrderWindow) any { return optionalDecimal(w.P50) }),
			"latencyHoursP90": field[sla.OrderWindow](graphql.String, "", func(w sla.OrderWindow) any { return optionalDecimal(w.P90) }),
			"latencyHoursP99": field[sla.OrderWindow](graphql.String, "", func(w sla.OrderWindow) any { return optionalDecimal(w.P99) }),
		},
	})
	window := graphql.NewObject(graphql.ObjectConfig{
		Name:        "SlaWindow",
		Description: "A supplier's ASNs over a day or a week (by when they reached us): how many, how many late, the lead's exact p50/p90/p99 in hours, the mean accuracy.",
		Fields: graphql.Fields{
			"supplier":     field[sla.Window](str, "", func(w sla.Window) any { return w.Supplier }),
			"start":        field[sla.Window](str, "Midnight UTC; a week starts on Monday.", func(w sla.Window) any { return timestamp(w.Start) }),
			"asns":         field[sla.Window](integer, "", func(w sla.Window) any { return w.Shipments }),
			"received":     field[sla.Window](integer, "ASNs whose goods arrived.", func(w sla.Window) any { return w.Received }),
			"late":         field[sla.Window](integer, "Breaches of the lead promise.", func(w sla.Window) any { return w.Late }),
			"leadHoursP50": field[sla.Window](graphql.String, "", func(w sla.Window) any { return optionalDecimal(w.LeadP50) }),
			"leadHoursP90": field[sla.Window](graphql.String, "", func(w sla.Window) any { return optionalDecimal(w.LeadP90) }),
			"leadHoursP99": field[sla.Window](graphql.String, "", func(w sla.Window) any { return optionalDecimal(w.LeadP99) }),
			"meanAccuracy": field[sla.Window](graphql.String, "", func(w sla.Window) any { return optionalDecimal(w.MeanAccuracy) }),
		},
	})
	instant := func(p graphql.ResolveParams, name string, def time.Time) (time.Time, error) {
		s, _ := p.Args[name].(string)
		if s == "" {
			return def, nil
		}
		t, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			return time.Time{}, fmt.Errorf("%s %q is not an RFC 3339 instant", name, s)
		}
		return t, nil
	}
	carrierWindow := graphql.NewObject(graphql.ObjectConfig{
		Name:        "CarrierSlaWindow",
		Description: "A carrier's deliveries over a day or a week (by delivery date): how many, how many on time, exact p50/p90/p99 of the lateness in hours (negative: early).",
		Fields: graphql.Fields{
			"carrier":      field[sla.CarrierWindow](str, "", func(w sla.CarrierWindow) any { return w.Carrier }),
			"start":        field[sla.CarrierWindow](str, "", func(w sla.CarrierWindow) any { return timestamp(w.Start) }),
			"deliveries":   field[sla.CarrierWindow](integer, "", func(w sla.CarrierWindow) any { return w.Deliveries }),
			"onTime":       field[sla.CarrierWindow](integer, "", func(w sla.CarrierWindow) any { return w.OnTime }),
			"lateHoursP50": field[sla.CarrierWindow](graphql.String, "", func(w sla.CarrierWindow) any { return optionalDecimal(w.LateP50) }),
			"lateHoursP90": field[sla.CarrierWindow](graphql.String, "", func(w sla.CarrierWindow) any { return optionalDecimal(w.LateP90) }),
			"lateHoursP99": field[sla.CarrierWindow](graphql.String, "", func(w sla.CarrierWindow) any { return optionalDecimal(w.LateP99) }),
		},
	})
	delivery := graphql.NewObject(graphql.ObjectConfig{
		Name:        "CarrierDelivery",
		Description: "One tracking number's delivery against its promise: the ASN's expected arrival, else the carrier's first estimate.",
		Fields: graphql.Fields{
			"carrier":        field[sla.Delivery](graphql.String, "", func(d sla.Delivery) any { return optional(d.Carrier) }),
			"trackingNumber": field[sla.Delivery](str, "", func(d sla.Delivery) any { return d.TrackingNumber }),
			"promised":       field[sla.Delivery](graphql.String, "", func(d sla.Delivery) any { return timestamp(d.Promised) }),
			"promiseSource":  field[sla.Delivery](graphql.String, "asn or carrier_estimate.", func(d sla.Delivery) any { return optional(d.PromiseSource) }),
			"deliveredAt":    field[sla.Delivery](graphql.String, "The delivered milestone's instant.", func(d sla.Delivery) any { return timestamp(d.DeliveredAt) }),
			"lateHours":      field[sla.Delivery](graphql.String, "", func(d sla.Delivery) any { return optionalDecimal(d.LateHours) }),
			"onTime": field[sla.Delivery](graphql.Boolean, "Null until both the promise and the delivery are known.", func(d sla.Delivery) any {
				if d.OnTime == nil {
					return nil
				}
				return *d.OnTime
			}),
			"evidence": field[sla.Delivery](graphql.NewNonNull(graphql.NewList(graphql.NewNonNull(graphql.String))), "", func(d sla.Delivery) any { return stringList(d.Evidence) }),
			"breachedAt": field[sla.Delivery](graphql.String, "When the lateness was raised as a breach (sla.breached.v1).",
				func(d sla.Delivery) any { return timestamp(d.BreachedAt) }),
		},
	})
	return graphql.Fields{
		"carrierSla": {
			Type:        graphql.NewNonNull(graphql.NewList(graphql.NewNonNull(carrierWindow))),
			Description: "Carriers' on-time delivery per day (or week) of delivery in [from, to): the last 7 days when absent.",
			Args: graphql.FieldConfigArgument{
				"carrier": {Type: graphql.String},
				"from":    {Type: graphql.String},
				"to":      {Type: graphql.String},
				"week":    {Type: graphql.Boolean},
			},
			Resolve: func(p graphql.ResolveParams) (any, error) {
				to, err := instant(p, "to", now())
				if err != nil {
					return nil, err
				}
				from, err := instant(p, "from", to.AddDate(0, 0, -7))
				if err != nil {
					return nil, err
				}
				carrier, _ := p.Args["carrier"].(string)
				week, _ := p.Args["week"].(bool)
				w, err := reader.CarrierWindows(p.Context, carrier, from, to, week)
				if err != nil {
					return nil, errs.clientError(p.Context, err, "carrierSla", "carrier", carrier)
				}
				return nonNilSlice(w), nil
			},
		},
		"carrierDelivery": {
			Type:        delivery,
			Description: "One tracking number's delivery against its promise; null when unknown.",
			Args:        graphql.FieldConfigArgument{"trackingNumber": {Type: str}},
			Resolve: func(p graphql.ResolveParams) (any, error) {
				tracking, _ := p.Args["trackingNumber"].(string)
				d, err := reader.Delivery(p.Context, tracking)
				if errors.Is(err, sla.ErrNotFound) {
					return nil, nil
				}
				if err != nil {
					return nil, errs.clientError(p.Context, err, "carrierDelivery")
				}
				return d, nil
			},
		},
		"orderLatency": {
			Type: graphql.NewNonNull(graphql.NewList(graphql.NewNonNull(orderWindow))),
			Description: "How fast partners answer the orders Crossdock sends them, per day (or week) of sending in [from, to) — the last 7 days when absent: " +
				"suppliers' acknowledgements of purchase orders (850 → 855) and warehouses' ship confirmations of warehouse orders (940 → 945), against their promises.",
			Args: graphql.FieldConfigArgument{
				"partner":  {Type: graphql.String},
				"document": {Type: orderDocument, Description: "One of the two; both when absent."},
				"from":     {Type: graphql.String},
				"to":       {Type: graphql.String},
				"week":     {Type: graphql.Boolean, Description: "Windows of a week (from Monday) instead of a day."},
			},
			Resolve: func(p graphql.ResolveParams) (any, error) {
				at := now()
				to, err := instant(p, "to", at)
				if err != nil {
					return nil, err
				}
				from, err := instant(p, "from", to.AddDate(0, 0, -7))
				if err != nil {
					return nil, err
				}
				partner, _ := p.Args["partner"].(string)
				document, _ := p.Args["document"].(string)
				week, _ := p.Args["week"].(bool)
				w, err := reader.OrderWindows(p.Context, partner, document, from, to, at, week)
				if err != nil {
					return nil, errs.clientError(p.Context, err, "orderLatency", "partner", partner)
				}
				return nonNilSlice(w), nil
			},
		},
		"unannouncedReceipts": {
			Type: graphql.NewNonNull(graphql.NewList(graphql.NewNonNull(unannounced))),
			Description: "Receipts in [from, to) — the last 7 days when absent — of suppliers' purchase orders whose goods arrived with no ASN of the order " +
				"recorded before them (no_asn).",
			Args: graphql.FieldConfigArgument{"supplier": {Type: graphql.String}, "from": {Type: graphql.String}, "to": {Type: graphql.String}},
			Resolve: func(p graphql.ResolveParams) (any, error) {
				to, err := instant(p, "to", now())
				if err != nil {
					return nil, err
				}
				from, err := instant(p, "from", to.AddDate(0, 0, -7))
				if err != nil {
					return nil, err
				}
				supplier, _ := p.Args["supplier"].(string)
				u, err := reader.Unannounced(p.Context, supplier, from, to)
				if err != nil {
					return nil, errs.clientError(p.Context, err, "unannouncedReceipts", "supplier", supplier)
				}
				return nonNilSlice(u), nil
			},
		},
		"partnerSla": {
			Type:        graphql.NewNonNull(graphql.NewList(graphql.NewNonNull(window))),
			Description: "Suppliers' ASN timeliness and accuracy per day (or week) in [from, to): the last 7 days when absent.",
			Args: graphql.FieldConfigArgument{
				"supplier": {Type: graphql.String},
				"from":     {Type: graphql.String},
				"to":       {Type: graphql.String},
				"week":     {Type: graphql.Boolean, Description: "Windows of a week (from Monday) instead of a day."},
			},
			Resolve: func(p graphql.ResolveParams) (any, error) {
				to, err := instant(p, "to", now())
				if err != nil {
					return nil, err
				}
				from, err := instant(p, "from", to.AddDate(0, 0, -7))
				if err != nil {
					return nil, err
				}
				supplier, _ := p.Args["supplier"].(string)
				week, _ := p.Args["week"].(bool)
				w, err := reader.Windows(p.Context, supplier, from, to, week)
				if err != nil {
					return nil, errs.clientError(p.Context, err, "partnerSla", "supplier", supplier)
				}
				return nonNilSlice(w), nil
			},
		},
		"asnShipment": {
			Type:        shipment,
			Description: "One ASN's timeliness and accuracy with its evidence; null when unknown.",
			Args:        graphql.FieldConfigArgument{"supplier": {Type: str}, "asnNumber": {Type: str}},
			Resolve: func(p graphql.ResolveParams) (any, error) {
				supplier, _ := p.Args["supplier"].(string)
				number, _ := p.Args["asnNumber"].(string)
				s, err := reader.Shipment(p.Context, supplier, number)
				if errors.Is(err, sla.ErrNotFound) {
					return nil, nil
				}
				if err != nil {
					return nil, errs.clientError(p.Context, err, "asnShipment", "supplier", supplier)
				}
				return s, nil
			},
		},
	}
}

// slaSubscription sends each ASN's measures as they change (its receipts arrive, the promise changes).
func slaSubscription(src ChangeSource, shipment *graphql.Object) *graphql.Field {
	return &graphql.Field{
		Type:        graphql.NewNonNull(shipment),
		Description: "Each ASN's timeliness and accuracy as they change.",
		Args:        graphql.FieldConfigArgument{"supplier": {Type: graphql.String}},
		Subscribe: func(p graphql.ResolveParams) (any, error) {
			supplier, _ := p.Args["supplier"].(string)
			return follow(p.Context, src, sla.Name, sla.ChangeShipment, func(s sla.Shipment) bool {
				return supplier == "" || s.Supplier == supplier
			}), nil
		},
		Resolve: func(p graphql.ResolveParams) (any, error) { return p.Source, nil },
	}
}
