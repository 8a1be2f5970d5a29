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
    PRIMARY KEY (warehouse, product)
);
CREATE INDEX {{div_position}}_status ON {{div_position}} (status, warehouse, product);

-- name: upsert_fact
-- A snapshot (id: location@as_of), an adjustment, a receipt or shipment (the last revision of the
-- document stands), or Odoo's quantity in a reading (id: as_of).
INSERT INTO {{div_fact}} (warehouse, product, kind, id, at, event_id, data) VALUES ($1, $2, $3, $4, $5, $6, $7)
ON CONFLICT (warehouse, product, kind, id) DO UPDATE SET at = excluded.at, event_id = excluded.event_id, data = excluded.data;

-- name: upsert_tied_fact
-- A snapshot or Odoo's quantity in a reading, keyed by its instant: of two at one instant the greater
-- event ID stands, whatever order they arrived in (the rule Compute applies).
INSERT INTO {{div_fact}} (warehouse, product, kind, id, at, event_id, data) VALUES ($1, $2, $3, $4, $5, $6, $7)
ON CONFLICT (warehouse, product, kind, id) DO UPDATE SET at = excluded.at, event_id = excluded.event_id, data = excluded.data
WHERE excluded.event_id > {{div_fact}}.event_id;

-- name: upsert_reading
INSERT INTO {{div_reading}} (warehouse, as_of, event_id) VALUES ($1, $2, $3)
ON CONFLICT (warehouse, as_of) DO UPDATE SET event_id = excluded.event_id
WHERE excluded.event_id > {{div_reading}}.event_id;

-- name: upsert_validation
INSERT INTO {{div_validation}} (kind, reference, validated_at, event_id) VALUES ($1, $2, $3, $4)
ON CONFLICT (kind, reference) DO NOTHING;

-- name: warehouse_products
SELECT DISTINCT product FROM {{div_fact}} WHERE warehouse = $1;

-- name: referenced
SELECT warehouse, product FROM {{div_fact}} WHERE kind = $1 AND id = $2;

-- name: select_facts
SELECT kind, id, event_id, data FROM {{div_fact}} WHERE warehouse = $1 AND product = $2;

-- name: select_readings
SELECT as_of, event_id FROM {{div_reading}} WHERE warehouse = $1;

-- name: select_validations
-- The validations of a position's receipts and shipments, by the movement's kind and reference.
SELECT f.kind, f.id, v.validated_at, v.event_id
FROM {{div_fact}} f JOIN {{div_validation}} v ON v.kind = f.kind AND v.reference = f.id
WHERE f.warehouse = $1 AND f.product = $2;

-- name: upsert_position
INSERT INTO {{div_position}} (warehouse, product, status, divergence, data) VALUES ($1, $2, $3, $4, $5)
ON CONFLICT (warehouse, product) DO UPDATE SET status = excluded.status, divergence = excluded.divergence, data = excluded.data;

-- name: select_positions
SELECT data FROM {{div_position}}
WHERE ($1 = '' OR warehouse = $1) AND ($2 = '' OR product = $2) AND ($3 = '' OR status = $3)
    AND (warehouse, product) > ($4, $5)
ORDER BY warehouse, product
LIMIT $6;
