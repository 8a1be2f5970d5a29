-- The three-way match: the facts of each purchase order (the order as last placed, the latest revision
-- of each receipt and invoice naming it, its supplier's tolerances) and the rows derived from them. The
-- derived rows of an order are computed again from its facts whenever one changes, so they do not depend
-- on the order the facts arrived in. Decimals are kept as text, exactly as the events carry them.

-- name: schema
CREATE TABLE {{match_order}} (
    po_number text   PRIMARY KEY,
    supplier  text   NOT NULL,
    version   integer NOT NULL,
    event_id  text   NOT NULL,
    data      text   NOT NULL
);
CREATE INDEX {{match_order}}_supplier ON {{match_order}} (supplier);
CREATE TABLE {{match_document}} (
    kind      text   NOT NULL,
    partner   text   NOT NULL,
    number    text   NOT NULL,
    po_number text   NOT NULL,
    version   integer NOT NULL,
    event_id  text   NOT NULL,
    data      text   NOT NULL,
    PRIMARY KEY (kind, partner, number)
);
CREATE INDEX {{match_document}}_po ON {{match_document}} (po_number);
CREATE TABLE {{match_tolerance}} (
    partner text PRIMARY KEY,
    data    text NOT NULL
);
CREATE TABLE {{match_line}} (
    po_number       text NOT NULL,
    line_number     text NOT NULL,
    supplier        text NOT NULL,
    product         text NOT NULL,
    unit            text NOT NULL,
    currency        text NOT NULL,
    ordered         text NOT NULL,
    po_price        text,
    received        text NOT NULL,
    invoiced        text NOT NULL,
    invoiced_amount text NOT NULL,
    invoice_price   text,
    status          text NOT NULL,
    issues          text NOT NULL,
    at_risk         text NOT NULL,
    evidence        text NOT NULL,
    PRIMARY KEY (po_number, line_number)
);
CREATE INDEX {{match_line}}_status ON {{match_line}} (status, po_number, line_number);
CREATE INDEX {{match_line}}_supplier ON {{match_line}} (supplier, po_number, line_number);
CREATE TABLE {{match_invoice}} (
    partner        text NOT NULL,
    invoice_number text NOT NULL,
    po_number      text NOT NULL,
    type           text NOT NULL,
    currency       text NOT NULL,
    status         text NOT NULL,
    reasons        text NOT NULL,
    at_risk        text NOT NULL,
    lines          text NOT NULL,
    evidence       text NOT NULL,
    PRIMARY KEY (partner, invoice_number)
);
CREATE INDEX {{match_invoice}}_po ON {{match_invoice}} (po_number);
CREATE INDEX {{match_invoice}}_status ON {{match_invoice}} (status, partner, invoice_number);

-- Every statement below takes a batch's rows, or keys, as one JSON array (?1). (WHERE true: SQLite's
-- upsert after a SELECT needs it to parse ON CONFLICT.)

-- name: upsert_orders
-- The order as last placed: the highest stream version stands (the batch holds each PO once).
INSERT INTO {{match_order}} (po_number, supplier, version, event_id, data)
SELECT value ->> 'po_number', value ->> 'supplier', value ->> 'version', value ->> 'event_id', value ->> 'data'
FROM json_each(?1) WHERE true
ON CONFLICT (po_number) DO UPDATE SET supplier = excluded.supplier, version = excluded.version,
    event_id = excluded.event_id, data = excluded.data
WHERE excluded.version > {{match_order}}.version;

-- name: documents_po
-- The purchase orders the batch's documents named before it (a revision may name another).
SELECT d.po_number FROM json_each(?1) k CROSS JOIN {{match_document}} d ON d.kind = k.value ->> 'kind' AND d.partner = k.value ->> 'partner' AND d.number = k.value ->> 'number';

-- name: upsert_documents
-- Each document's latest revision: the highest stream version stands.
INSERT INTO {{match_document}} (kind, partner, number, po_number, version, event_id, data)
SELECT value ->> 'kind', value ->> 'partner', value ->> 'number', value ->> 'po_number', value ->> 'version',
    value ->> 'event_id', value ->> 'data'
FROM json_each(?1) WHERE true
ON CONFLICT (kind, partner, number) DO UPDATE SET po_number = excluded.po_number,
    version = excluded.version, event_id = excluded.event_id, data = excluded.data
WHERE excluded.version > {{match_document}}.version;

-- name: upsert_tolerances
INSERT INTO {{match_tolerance}} (partner, data)
SELECT value ->> 'partner', value ->> 'data' FROM json_each(?1) WHERE true
ON CONFLICT (partner) DO UPDATE SET data = excluded.data;

-- name: supplier_orders
SELECT o.po_number FROM json_each(?1) s CROSS JOIN {{match_order}} o ON o.supplier = s.value;

-- name: select_orders
SELECT o.po_number, o.event_id, o.data FROM json_each(?1) p CROSS JOIN {{match_order}} o ON o.po_number = p.value;

-- name: select_documents
SELECT d.po_number, d.kind, d.event_id, d.data FROM json_each(?1) p CROSS JOIN {{match_document}} d ON d.po_number = p.value;

-- name: select_tolerances
SELECT t.partner, t.data FROM json_each(?1) s CROSS JOIN {{match_tolerance}} t ON t.partner = s.value;

-- name: delete_lines
DELETE FROM {{match_line}} WHERE po_number IN (SELECT value FROM json_each(?1));

-- name: insert_lines
INSERT INTO {{match_line}} (po_number, line_number, supplier, product, unit, currency, ordered, po_price,
    received, invoiced, invoiced_amount, invoice_price, status, issues, at_risk, evidence)
SELECT value ->> 'po_number', value ->> 'line_number', value ->> 'supplier', value ->> 'product', value ->> 'unit',
    value ->> 'currency', value ->> 'ordered', value ->> 'po_price', value ->> 'received', value ->> 'invoiced',
    value ->> 'invoiced_amount', value ->> 'invoice_price', value ->> 'status', value ->> 'issues',
    value ->> 'at_risk', value ->> 'evidence'
FROM json_each(?1);

-- name: delete_invoices
DELETE FROM {{match_invoice}} WHERE po_number IN (SELECT value FROM json_each(?1));

-- name: insert_invoices
INSERT INTO {{match_invoice}} (partner, invoice_number, po_number, type, currency, status, reasons, at_risk,
    lines, evidence)
SELECT value ->> 'partner', value ->> 'invoice_number', value ->> 'po_number', value ->> 'type', value ->> 'currency',
    value ->> 'status', value ->> 'reasons', value ->> 'at_risk', value ->> 'lines', value ->> 'evidence'
FROM json_each(?1) WHERE true
ON CONFLICT (partner, invoice_number) DO UPDATE SET po_number = excluded.po_number, type = excluded.type,
    currency = excluded.currency, status = excluded.status, reasons = excluded.reasons,
    at_risk = excluded.at_risk, lines = excluded.lines, evidence = excluded.evidence;

-- name: select_lines
SELECT po_number, line_number, supplier, product, unit, currency, ordered, po_price, received, invoiced,
    invoiced_amount, invoice_price, status, issues, at_risk, evidence
FROM {{match_line}}
WHERE (?1 = '' OR po_number = ?1) AND (?2 = '' OR status = ?2) AND (?3 = '' OR supplier = ?3)
    AND (po_number, line_number) > (?4, ?5)
ORDER BY po_number, line_number
LIMIT ?6;

-- name: select_invoices
SELECT partner, invoice_number, po_number, type, currency, status, reasons, at_risk, lines, evidence
FROM {{match_invoice}}
WHERE (?1 = '' OR po_number = ?1) AND (?2 = '' OR status = ?2) AND (?3 = '' OR partner = ?3)
    AND (partner, invoice_number) > (?4, ?5)
ORDER BY partner, invoice_number
LIMIT ?6;
