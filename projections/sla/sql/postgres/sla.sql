-- Partner SLA, ASN timeliness and accuracy: each supplier's ASNs (when Crossdock first learned of each,
-- what its latest revision announces), the warehouses' receipts naming an ASN, the suppliers' promised
-- lead, and one row per ASN measured against its receipts. Instants are fixed-width UTC text.

-- name: schema
CREATE TABLE {{sla_asn}} (
    supplier    text NOT NULL,
    asn_number  text NOT NULL,
    tracking    text NOT NULL,
    recorded_at text NOT NULL,
    event_id    text NOT NULL,
    data        text NOT NULL,
    PRIMARY KEY (supplier, asn_number)
);
CREATE INDEX {{sla_asn}}_number ON {{sla_asn}} (asn_number);
CREATE INDEX {{sla_asn}}_tracking ON {{sla_asn}} (tracking);
-- Carriers' milestones, by tracking number.
CREATE TABLE {{sla_milestone}} (
    tracking text NOT NULL,
    event_id text NOT NULL,
    data     text NOT NULL,
    PRIMARY KEY (tracking, event_id)
);
CREATE TABLE {{sla_delivery}} (
    tracking     text PRIMARY KEY,
    carrier      text NOT NULL,
    delivered_at text NOT NULL,
    due          integer NOT NULL DEFAULT 0,
    data         text NOT NULL
);
CREATE INDEX {{sla_delivery}}_due ON {{sla_delivery}} (due);
CREATE INDEX {{sla_delivery}}_time ON {{sla_delivery}} (carrier, delivered_at);
CREATE TABLE {{sla_receipt}} (
    asn_number     text NOT NULL,
    receipt_number text NOT NULL,
    warehouse      text NOT NULL,
    data           text NOT NULL,
    PRIMARY KEY (asn_number, warehouse, receipt_number)
);
CREATE TABLE {{sla_promise}} (
    partner    text PRIMARY KEY,
    lead_hours integer NOT NULL
);
CREATE TABLE {{sla_shipment}} (
    supplier    text NOT NULL,
    asn_number  text NOT NULL,
    recorded_at text NOT NULL,
    -- late and not yet breached (1): what the SLA watch raises a breach for.
    due         integer NOT NULL DEFAULT 0,
    data        text NOT NULL,
    PRIMARY KEY (supplier, asn_number)
);
CREATE INDEX {{sla_shipment}}_due ON {{sla_shipment}} (due);
-- Breaches raised (sla.breached.v1), by metric and document.
CREATE TABLE {{sla_breach}} (
    metric    text NOT NULL,
    reference text NOT NULL,
    partner   text NOT NULL,
    raised_at text NOT NULL,
    event_id  text NOT NULL,
    PRIMARY KEY (metric, reference, partner)
);
CREATE INDEX {{sla_shipment}}_time ON {{sla_shipment}} (supplier, recorded_at);
-- Orders sent to partners and their first answers (acknowledgement, ship confirmation), and the
-- partners' promises for them. An instant is '' until known.
CREATE TABLE {{sla_order}} (
    partner     text NOT NULL,
    document    text NOT NULL,
    number      text NOT NULL,
    sent_at     text NOT NULL,
    answered_at text NOT NULL,
    PRIMARY KEY (partner, document, number)
);
CREATE INDEX {{sla_order}}_time ON {{sla_order}} (partner, document, sent_at);
CREATE TABLE {{sla_order_promise}} (
    partner    text PRIMARY KEY,
    ack_hours  integer NOT NULL,
    ship_hours integer NOT NULL
);
-- Receipts that name no ASN, the suppliers of purchase orders, and the ASNs each order was announced by:
-- goods that arrived with no ASN of their order recorded before them are no_asn.
CREATE TABLE {{sla_unannounced}} (
    warehouse      text NOT NULL,
    receipt_number text NOT NULL,
    po_number      text NOT NULL,
    received_at    text NOT NULL,
    event_id       text NOT NULL,
    PRIMARY KEY (warehouse, receipt_number)
);
CREATE INDEX {{sla_unannounced}}_po ON {{sla_unannounced}} (po_number);
CREATE TABLE {{sla_po}} (
    po_number text PRIMARY KEY,
    supplier  text NOT NULL
);
CREATE TABLE {{sla_asn_po}} (
    po_number   text NOT NULL,
    supplier    text NOT NULL,
    asn_number  text NOT NULL,
    recorded_at text NOT NULL,
    PRIMARY KEY (po_number, supplier, asn_number)
);

-- The statements that write and derive take a batch's rows, or keys, as one JSON array ($1).

-- name: upsert_asns
-- The first ASN's instant stands; the latest revision brings its quantities, tracking and promise.
INSERT INTO {{sla_asn}} (supplier, asn_number, recorded_at, event_id, data, tracking)
SELECT supplier, asn_number, recorded_at, event_id, data, tracking
FROM jsonb_to_recordset($1::jsonb) AS x(supplier text, asn_number text, recorded_at text, event_id text, data text, tracking text)
ON CONFLICT (supplier, asn_number) DO UPDATE SET recorded_at = least({{sla_asn}}.recorded_at, excluded.recorded_at),
    event_id = excluded.event_id, data = excluded.data, tracking = excluded.tracking;

-- name: upsert_receipts
INSERT INTO {{sla_receipt}} (asn_number, receipt_number, warehouse, data)
SELECT asn_number, receipt_number, warehouse, data
FROM jsonb_to_recordset($1::jsonb) AS x(asn_number text, receipt_number text, warehouse text, data text)
ON CONFLICT (asn_number, warehouse, receipt_number) DO UPDATE SET data = excluded.data;

-- name: upsert_promises
INSERT INTO {{sla_promise}} (partner, lead_hours)
SELECT partner, lead_hours FROM jsonb_to_recordset($1::jsonb) AS x(partner text, lead_hours integer)
ON CONFLICT (partner) DO UPDATE SET lead_hours = excluded.lead_hours;

-- name: insert_milestones
INSERT INTO {{sla_milestone}} (tracking, event_id, data)
SELECT tracking, event_id, data FROM jsonb_to_recordset($1::jsonb) AS x(tracking text, event_id text, data text)
ON CONFLICT (tracking, event_id) DO NOTHING;

-- name: supplier_asns
SELECT a.asn_number FROM {{sla_asn}} a JOIN jsonb_array_elements_text($1::jsonb) AS s(supplier) ON a.supplier = s.supplier;

-- name: select_asns
SELECT a.asn_number, a.recorded_at, a.data FROM {{sla_asn}} a
JOIN jsonb_array_elements_text($1::jsonb) AS n(number) ON a.asn_number = n.number;

-- name: select_receipts
SELECT r.asn_number, r.data FROM {{sla_receipt}} r
JOIN jsonb_array_elements_text($1::jsonb) AS n(number) ON r.asn_number = n.number;

-- name: select_promises
SELECT p.partner, p.lead_hours FROM {{sla_promise}} p
JOIN jsonb_array_elements_text($1::jsonb) AS s(supplier) ON p.partner = s.supplier;

-- name: upsert_shipments
INSERT INTO {{sla_shipment}} (supplier, asn_number, recorded_at, due, data)
SELECT supplier, asn_number, recorded_at, due, data
FROM jsonb_to_recordset($1::jsonb) AS x(supplier text, asn_number text, recorded_at text, due integer, data text)
ON CONFLICT (supplier, asn_number) DO UPDATE SET recorded_at = excluded.recorded_at, due = excluded.due, data = excluded.data;

-- name: select_milestones
SELECT m.tracking, m.data FROM {{sla_milestone}} m
JOIN jsonb_array_elements_text($1::jsonb) AS t(tracking) ON m.tracking = t.tracking;

-- name: tracking_promises
SELECT a.tracking, a.event_id, a.data FROM {{sla_asn}} a
JOIN jsonb_array_elements_text($1::jsonb) AS t(tracking) ON a.tracking = t.tracking;

-- name: upsert_deliveries
INSERT INTO {{sla_delivery}} (tracking, carrier, delivered_at, due, data)
SELECT tracking, carrier, delivered_at, due, data
FROM jsonb_to_recordset($1::jsonb) AS x(tracking text, carrier text, delivered_at text, due integer, data text)
ON CONFLICT (tracking) DO UPDATE SET carrier = excluded.carrier, delivered_at = excluded.delivered_at, due = excluded.due,
    data = excluded.data;

-- name: select_shipments
SELECT data FROM {{sla_shipment}}
WHERE ($1 = '' OR supplier = $1) AND recorded_at >= $2 AND recorded_at < $3
ORDER BY supplier, recorded_at, asn_number;

-- name: select_shipment
SELECT data FROM {{sla_shipment}} WHERE supplier = $1 AND asn_number = $2;

-- name: select_deliveries
-- Measured deliveries (delivered_at set) in [$2, $3), of one carrier or all.
SELECT data FROM {{sla_delivery}}
WHERE ($1 = '' OR carrier = $1) AND delivered_at >= $2 AND delivered_at < $3
ORDER BY carrier, delivered_at, tracking;

-- name: select_delivery
SELECT data FROM {{sla_delivery}} WHERE tracking = $1;

-- name: insert_breaches
INSERT INTO {{sla_breach}} (metric, reference, partner, raised_at, event_id)
SELECT metric, reference, partner, raised_at, event_id
FROM jsonb_to_recordset($1::jsonb) AS x(metric text, reference text, partner text, raised_at text, event_id text)
ON CONFLICT (metric, reference, partner) DO NOTHING;

-- name: select_breaches
SELECT b.metric, b.reference, b.partner, b.raised_at, b.event_id FROM {{sla_breach}} b
JOIN jsonb_to_recordset($1::jsonb) AS k(metric text, reference text) ON b.metric = k.metric AND b.reference = k.reference;

-- name: due_shipments
SELECT data FROM {{sla_shipment}} WHERE due = 1 ORDER BY supplier, asn_number;

-- name: due_deliveries
SELECT data FROM {{sla_delivery}} WHERE due = 1 ORDER BY tracking;

-- name: upsert_orders
-- The earliest sending and the earliest answer stand.
INSERT INTO {{sla_order}} (partner, document, number, sent_at, answered_at)
SELECT partner, document, number, sent_at, answered_at
FROM jsonb_to_recordset($1::jsonb) AS x(partner text, document text, number text, sent_at text, answered_at text)
ON CONFLICT (partner, document, number) DO UPDATE SET
    sent_at = CASE WHEN {{sla_order}}.sent_at = '' THEN excluded.sent_at WHEN excluded.sent_at = '' THEN {{sla_order}}.sent_at
        ELSE least({{sla_order}}.sent_at, excluded.sent_at) END,
    answered_at = CASE WHEN {{sla_order}}.answered_at = '' THEN excluded.answered_at WHEN excluded.answered_at = '' THEN {{sla_order}}.answered_at
        ELSE least({{sla_order}}.answered_at, excluded.answered_at) END;

-- name: upsert_order_promises
INSERT INTO {{sla_order_promise}} (partner, ack_hours, ship_hours)
SELECT partner, ack_hours, ship_hours FROM jsonb_to_recordset($1::jsonb) AS x(partner text, ack_hours integer, ship_hours integer)
ON CONFLICT (partner) DO UPDATE SET ack_hours = excluded.ack_hours, ship_hours = excluded.ship_hours;

-- name: select_orders
-- Orders sent in [$3, $4), of one partner (or all) and one document (or both), with the promises.
SELECT o.partner, o.document, o.number, o.sent_at, o.answered_at, coalesce(p.ack_hours, 0), coalesce(p.ship_hours, 0)
FROM {{sla_order}} o LEFT JOIN {{sla_order_promise}} p ON p.partner = o.partner
WHERE ($1 = '' OR o.partner = $1) AND ($2 = '' OR o.document = $2) AND o.sent_at <> '' AND o.sent_at >= $3 AND o.sent_at < $4
ORDER BY o.partner, o.document, o.sent_at, o.number;

-- name: due_orders
-- Orders sent since $1 with no breach raised yet, with the promises: the late ones are due.
SELECT o.partner, o.document, o.number, o.sent_at, o.answered_at, coalesce(p.ack_hours, 0), coalesce(p.ship_hours, 0)
FROM {{sla_order}} o LEFT JOIN {{sla_order_promise}} p ON p.partner = o.partner
LEFT JOIN {{sla_breach}} b ON b.partner = o.partner AND b.reference = o.number
    AND b.metric = CASE o.document WHEN 'purchase_order' THEN 'ack_latency' ELSE 'ship_confirm_latency' END
WHERE b.reference IS NULL AND o.sent_at <> '' AND o.sent_at >= $1
ORDER BY o.partner, o.document, o.number;

-- name: upsert_unannounced
INSERT INTO {{sla_unannounced}} (warehouse, receipt_number, po_number, received_at, event_id)
SELECT warehouse, receipt_number, po_number, received_at, event_id
FROM jsonb_to_recordset($1::jsonb) AS x(warehouse text, receipt_number text, po_number text, received_at text, event_id text)
ON CONFLICT (warehouse, receipt_number) DO UPDATE SET po_number = excluded.po_number, received_at = excluded.received_at,
    event_id = excluded.event_id;

-- name: upsert_pos
INSERT INTO {{sla_po}} (po_number, supplier)
SELECT po_number, supplier FROM jsonb_to_recordset($1::jsonb) AS x(po_number text, supplier text)
ON CONFLICT (po_number) DO UPDATE SET supplier = excluded.supplier;

-- name: upsert_asn_pos
-- The ASN's first instant stands.
INSERT INTO {{sla_asn_po}} (po_number, supplier, asn_number, recorded_at)
SELECT po_number, supplier, asn_number, recorded_at
FROM jsonb_to_recordset($1::jsonb) AS x(po_number text, supplier text, asn_number text, recorded_at text)
ON CONFLICT (po_number, supplier, asn_number) DO UPDATE SET recorded_at = least({{sla_asn_po}}.recorded_at, excluded.recorded_at);

-- name: select_unannounced
-- Receipts in [$2, $3) of a supplier's orders (one supplier, or all) with no ASN of the order recorded
-- before the goods arrived.
SELECT p.supplier, u.po_number, u.warehouse, u.receipt_number, u.received_at, u.event_id
FROM {{sla_unannounced}} u JOIN {{sla_po}} p ON p.po_number = u.po_number
WHERE ($1 = '' OR p.supplier = $1) AND u.received_at >= $2 AND u.received_at < $3
    AND NOT EXISTS (SELECT 1 FROM {{sla_asn_po}} a WHERE a.po_number = u.po_number AND a.supplier = p.supplier AND a.recorded_at <= u.received_at)
ORDER BY p.supplier, u.received_at, u.receipt_number;

-- name: due_unannounced
-- The same, since $1, with no no_asn breach raised yet.
SELECT p.supplier, u.po_number, u.warehouse, u.receipt_number, u.received_at, u.event_id
FROM {{sla_unannounced}} u JOIN {{sla_po}} p ON p.po_number = u.po_number
LEFT JOIN {{sla_breach}} b ON b.metric = 'no_asn' AND b.reference = u.receipt_number AND b.partner = p.supplier
WHERE b.reference IS NULL AND u.received_at >= $1
    AND NOT EXISTS (SELECT 1 FROM {{sla_asn_po}} a WHERE a.po_number = u.po_number AND a.supplier = p.supplier AND a.recorded_at <= u.received_at)
ORDER BY p.supplier, u.received_at, u.receipt_number;
