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

-- Every statement below takes a batch's rows as one JSON array (?1): one statement per table per batch.
-- (WHERE true: SQLite's upsert after a SELECT needs it to parse ON CONFLICT.)

-- name: stored_facts
-- The stored versions of the batch's receipts and shipments (before they are replaced).
SELECT f.warehouse, f.product, f.at FROM json_each(?1) b
CROSS JOIN {{div_fact}} f ON f.warehouse = b.value ->> 'warehouse' AND f.product = b.value ->> 'product'
    AND f.kind = b.value ->> 'kind' AND f.id = b.value ->> 'id';

-- name: upsert_facts
-- Snapshots (id: location@as_of), adjustments, receipts and shipments (the last revision of the document
-- stands), Odoo's quantity in a reading (id: as_of). Of two snapshots, or two readings, at one instant
-- the greater event ID stands, whatever order they arrived in (the rule Compute applies). The batch holds
-- each key once (the caller applies the same rules first).
INSERT INTO {{div_fact}} (warehouse, product, kind, id, at, event_id, data)
SELECT value ->> 'warehouse', value ->> 'product', value ->> 'kind', value ->> 'id', value ->> 'at',
    value ->> 'event_id', value ->> 'data'
FROM json_each(?1) WHERE true
ON CONFLICT (warehouse, product, kind, id) DO UPDATE SET at = excluded.at, event_id = excluded.event_id, data = excluded.data
WHERE {{div_fact}}.kind NOT IN ('snapshot', 'odoo') OR excluded.event_id > {{div_fact}}.event_id;

-- name: upsert_readings
INSERT INTO {{div_reading}} (warehouse, as_of, event_id)
SELECT value ->> 'warehouse', value ->> 'as_of', value ->> 'event_id' FROM json_each(?1) WHERE true
ON CONFLICT (warehouse, as_of) DO UPDATE SET event_id = excluded.event_id
WHERE excluded.event_id > {{div_reading}}.event_id;

-- name: insert_validations
INSERT INTO {{div_validation}} (kind, reference, validated_at, event_id)
SELECT value ->> 'kind', value ->> 'reference', value ->> 'validated_at', value ->> 'event_id' FROM json_each(?1) WHERE true
ON CONFLICT (kind, reference) DO NOTHING;

-- name: warehouse_products
-- The positions of the warehouses (a product whose first fact is in the batch is touched by it).
SELECT p.warehouse, p.product FROM json_each(?1) w
CROSS JOIN {{div_position}} p ON p.warehouse = w.value;

-- name: referenced
SELECT DISTINCT f.warehouse, f.product, f.kind, f.id FROM json_each(?1) r
CROSS JOIN {{div_fact}} f ON f.kind = r.value ->> 'kind' AND f.id = r.value ->> 'id';

-- name: select_facts
-- The positions' facts after each one's sweep (after '': all of them), and every breach (kept apart so
-- that the first part is a range of the time index); a receipt or shipment with Odoo's validation of it.
WITH k AS (SELECT value ->> 'warehouse' AS warehouse, value ->> 'product' AS product, value ->> 'after' AS after FROM json_each(?1)),
f AS (
    SELECT f.* FROM k CROSS JOIN {{div_fact}} f ON f.warehouse = k.warehouse AND f.product = k.product AND f.at > k.after
    UNION ALL
    SELECT f.* FROM k CROSS JOIN {{div_fact}} f ON f.warehouse = k.warehouse AND f.product = k.product AND f.kind = 'breach'
        AND f.at <= k.after
)
SELECT f.warehouse, f.product, f.kind, f.id, f.event_id, f.data, coalesce(v.validated_at, ''), coalesce(v.event_id, '')
FROM f LEFT JOIN {{div_validation}} v ON v.kind = f.kind AND v.reference = f.id;

-- name: select_sweeps
SELECT p.warehouse, p.product, p.sweep FROM json_each(?1) k
CROSS JOIN {{div_position}} p ON p.warehouse = k.value ->> 'warehouse' AND p.product = k.value ->> 'product';

-- name: select_readings
-- The warehouses' readings after each one's bound (the earliest of its positions' sweeps; '': all).
SELECT r.warehouse, r.as_of, r.event_id FROM json_each(?1) w
CROSS JOIN {{div_reading}} r ON r.warehouse = w.value ->> 'warehouse' AND r.as_of > w.value ->> 'after'
ORDER BY r.warehouse, r.as_of;

-- name: upsert_positions
INSERT INTO {{div_position}} (warehouse, product, status, divergence, data, sweep)
SELECT value ->> 'warehouse', value ->> 'product', value ->> 'status', value ->> 'divergence', value ->> 'data', value ->> 'sweep'
FROM json_each(?1) WHERE true
ON CONFLICT (warehouse, product) DO UPDATE SET status = excluded.status, divergence = excluded.divergence, data = excluded.data,
    sweep = excluded.sweep;

-- name: select_positions
SELECT data FROM {{div_position}}
WHERE (?1 = '' OR warehouse = ?1) AND (?2 = '' OR product = ?2) AND (?3 = '' OR status = ?3)
    AND (warehouse, product) > (?4, ?5)
ORDER BY warehouse, product
LIMIT ?6;

-- name: analyze
-- The planner's statistics, refreshed as a generation grows (Projection.analyze).
ANALYZE {{div_fact}};
