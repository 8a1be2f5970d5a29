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
    data         text NOT NULL
);
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
    data        text NOT NULL,
    PRIMARY KEY (supplier, asn_number)
);
CREATE INDEX {{sla_shipment}}_time ON {{sla_shipment}} (supplier, recorded_at);

-- name: upsert_asn
-- The first ASN's instant stands; a revision brings its quantities.
INSERT INTO {{sla_asn}} (supplier, asn_number, recorded_at, event_id, data, tracking) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
ON CONFLICT (supplier, asn_number) DO UPDATE SET recorded_at = min({{sla_asn}}.recorded_at, excluded.recorded_at),
    event_id = excluded.event_id, data = excluded.data, tracking = excluded.tracking;

-- name: upsert_receipt
INSERT INTO {{sla_receipt}} (asn_number, receipt_number, warehouse, data) VALUES (?1, ?2, ?3, ?4)
ON CONFLICT (asn_number, warehouse, receipt_number) DO UPDATE SET data = excluded.data;

-- name: upsert_promise
INSERT INTO {{sla_promise}} (partner, lead_hours) VALUES (?1, ?2)
ON CONFLICT (partner) DO UPDATE SET lead_hours = excluded.lead_hours;

-- name: supplier_asns
SELECT asn_number FROM {{sla_asn}} WHERE supplier = ?1;

-- name: select_asns
SELECT recorded_at, data FROM {{sla_asn}} WHERE asn_number = ?1;

-- name: select_receipts
SELECT data FROM {{sla_receipt}} WHERE asn_number = ?1;

-- name: select_promise
SELECT lead_hours FROM {{sla_promise}} WHERE partner = ?1;

-- name: upsert_shipment
INSERT INTO {{sla_shipment}} (supplier, asn_number, recorded_at, data) VALUES (?1, ?2, ?3, ?4)
ON CONFLICT (supplier, asn_number) DO UPDATE SET recorded_at = excluded.recorded_at, data = excluded.data;

-- name: select_shipments
SELECT data FROM {{sla_shipment}}
WHERE (?1 = '' OR supplier = ?1) AND recorded_at >= ?2 AND recorded_at < ?3
ORDER BY supplier, recorded_at, asn_number;

-- name: select_shipment
SELECT data FROM {{sla_shipment}} WHERE supplier = ?1 AND asn_number = ?2;

-- name: insert_milestone
INSERT INTO {{sla_milestone}} (tracking, event_id, data) VALUES (?1, ?2, ?3)
ON CONFLICT (tracking, event_id) DO NOTHING;

-- name: select_milestones
SELECT data FROM {{sla_milestone}} WHERE tracking = ?1;

-- name: tracking_promises
SELECT event_id, data FROM {{sla_asn}} WHERE tracking = ?1;

-- name: upsert_delivery
INSERT INTO {{sla_delivery}} (tracking, carrier, delivered_at, data) VALUES (?1, ?2, ?3, ?4)
ON CONFLICT (tracking) DO UPDATE SET carrier = excluded.carrier, delivered_at = excluded.delivered_at, data = excluded.data;

-- name: select_deliveries
-- Measured deliveries (delivered_at set) in [?2, ?3), of one carrier or all.
SELECT data FROM {{sla_delivery}}
WHERE (?1 = '' OR carrier = ?1) AND delivered_at >= ?2 AND delivered_at < ?3
ORDER BY carrier, delivered_at, tracking;

-- name: select_delivery
SELECT data FROM {{sla_delivery}} WHERE tracking = ?1;
