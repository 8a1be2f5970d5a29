-- Inventory divergence: the facts of each product at each warehouse with their history (the warehouse's
-- snapshots, adjustments, the receipts and shipments it confirmed, Odoo's readings of the product), Odoo's
-- readings of each warehouse and its validations, and the positions derived from them. Instants are kept as fixed-width
-- UTC text, so that text order is time order on both dialects; decimals as text.

-- name: schema
CREATE TABLE {{div_fact}} (
    warehouse text NOT NULL,
    product   text NOT NULL,
    kind      text NOT NULL,
    id        text NOT NULL,
    at        text NOT NULL,
    event_id  text NOT NULL,
    data      text NOT NULL,
    PRIMARY KEY (warehouse, product, kind, id)
);
CREATE INDEX {{div_fact}}_reference ON {{div_fact}} (kind, id);
-- A position's facts after its sweep.
CREATE INDEX {{div_fact}}_time ON {{div_fact}} (warehouse, product, at);
-- Every reading of a warehouse: a product it does not list (no odoo fact at that as_of) had none.
CREATE TABLE {{div_reading}} (
    warehouse text NOT NULL,
    as_of     text NOT NULL,
    event_id  text NOT NULL,
    PRIMARY KEY (warehouse, as_of)
);
CREATE TABLE {{div_validation}} (
    kind         text NOT NULL,
    reference    text NOT NULL,
    validated_at text NOT NULL,
    event_id     text NOT NULL,
    PRIMARY KEY (kind, reference)
);
CREATE TABLE {{div_position}} (
    warehouse      text NOT NULL,
    product        text NOT NULL,
    status         text NOT NULL,
    divergence     text NOT NULL,
    data           text NOT NULL,
    -- The position's facts swept so far (Sweep, JSON): a derive goes on from it with the later facts.
    sweep          text NOT NULL,
    PRIMARY KEY (warehouse, product)
);
CREATE INDEX {{div_position}}_status ON {{div_position}} (status, warehouse, product);

-- Every statement below takes a batch's rows as one JSON array ($1): one round trip per table per batch.

-- name: stored_facts
-- The stored versions of the batch's receipts and shipments (before they are replaced).
SELECT f.warehouse, f.product, f.at FROM {{div_fact}} f
JOIN jsonb_to_recordset($1::jsonb) AS b(warehouse text, product text, kind text, id text)
    ON f.warehouse = b.warehouse AND f.product = b.product AND f.kind = b.kind AND f.id = b.id;

-- name: upsert_facts
-- Snapshots (id: location@as_of), adjustments, receipts and shipments (the last revision of the document
-- stands), Odoo's quantity in a reading (id: as_of). Of two snapshots, or two readings, at one instant
-- the greater event ID stands, whatever order they arrived in (the rule Compute applies). The batch holds
-- each key once (the caller applies the same rules first).
INSERT INTO {{div_fact}} (warehouse, product, kind, id, at, event_id, data)
SELECT warehouse, product, kind, id, at, event_id, data
FROM jsonb_to_recordset($1::jsonb) AS x(warehouse text, product text, kind text, id text, at text, event_id text, data text)
ON CONFLICT (warehouse, product, kind, id) DO UPDATE SET at = excluded.at, event_id = excluded.event_id, data = excluded.data
WHERE {{div_fact}}.kind NOT IN ('snapshot', 'odoo') OR excluded.event_id > {{div_fact}}.event_id;

-- name: upsert_readings
INSERT INTO {{div_reading}} (warehouse, as_of, event_id)
SELECT warehouse, as_of, event_id FROM jsonb_to_recordset($1::jsonb) AS x(warehouse text, as_of text, event_id text)
ON CONFLICT (warehouse, as_of) DO UPDATE SET event_id = excluded.event_id
WHERE excluded.event_id > {{div_reading}}.event_id;

-- name: insert_validations
INSERT INTO {{div_validation}} (kind, reference, validated_at, event_id)
SELECT kind, reference, validated_at, event_id
FROM jsonb_to_recordset($1::jsonb) AS x(kind text, reference text, validated_at text, event_id text)
ON CONFLICT (kind, reference) DO NOTHING;

-- name: warehouse_products
-- The positions of the warehouses (a product whose first fact is in the batch is touched by it).
SELECT p.warehouse, p.product FROM {{div_position}} p
JOIN jsonb_array_elements_text($1::jsonb) AS w(warehouse) ON p.warehouse = w.warehouse;

-- name: referenced
SELECT DISTINCT f.warehouse, f.product, f.kind, f.id FROM {{div_fact}} f
JOIN jsonb_to_recordset($1::jsonb) AS r(kind text, id text) ON f.kind = r.kind AND f.id = r.id;

-- name: select_facts
-- The positions' facts after each one's sweep (after '': all of them), and every breach (kept apart so
-- that the first part is a range of the time index); a receipt or shipment with Odoo's validation of it.
WITH k AS (SELECT * FROM jsonb_to_recordset($1::jsonb) AS k(warehouse text, product text, after text)),
f AS (
    SELECT f.* FROM k JOIN {{div_fact}} f ON f.warehouse = k.warehouse AND f.product = k.product AND f.at > k.after
    UNION ALL
    SELECT f.* FROM k JOIN {{div_fact}} f ON f.warehouse = k.warehouse AND f.product = k.product AND f.kind = 'breach'
        AND f.at <= k.after
)
SELECT f.warehouse, f.product, f.kind, f.id, f.event_id, f.data, coalesce(v.validated_at, ''), coalesce(v.event_id, '')
FROM f LEFT JOIN {{div_validation}} v ON v.kind = f.kind AND v.reference = f.id;

-- name: select_sweeps
SELECT p.warehouse, p.product, p.sweep FROM {{div_position}} p
JOIN jsonb_to_recordset($1::jsonb) AS k(warehouse text, product text) ON p.warehouse = k.warehouse AND p.product = k.product;

-- name: select_readings
-- The warehouses' readings after each one's bound (the earliest of its positions' sweeps; '': all).
SELECT r.warehouse, r.as_of, r.event_id FROM {{div_reading}} r
JOIN jsonb_to_recordset($1::jsonb) AS w(warehouse text, after text) ON r.warehouse = w.warehouse AND r.as_of > w.after
ORDER BY r.warehouse, r.as_of;

-- name: upsert_positions
INSERT INTO {{div_position}} (warehouse, product, status, divergence, data, sweep)
SELECT warehouse, product, status, divergence, data, sweep
FROM jsonb_to_recordset($1::jsonb) AS x(warehouse text, product text, status text, divergence text, data text, sweep text)
ON CONFLICT (warehouse, product) DO UPDATE SET status = excluded.status, divergence = excluded.divergence, data = excluded.data,
    sweep = excluded.sweep;

-- name: select_positions
SELECT data FROM {{div_position}}
WHERE ($1 = '' OR warehouse = $1) AND ($2 = '' OR product = $2) AND ($3 = '' OR status = $3)
    AND (warehouse, product) > ($4, $5)
ORDER BY warehouse, product
LIMIT $6;

-- name: analyze
-- The planner's statistics, refreshed as a generation grows (Projection.analyze).
ANALYZE {{div_fact}}, {{div_validation}}, {{div_position}}, {{div_reading}};
