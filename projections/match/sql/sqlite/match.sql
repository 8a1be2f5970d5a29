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

-- name: upsert_order
INSERT INTO {{match_order}} (po_number, supplier, version, event_id, data) VALUES (?1, ?2, ?3, ?4, ?5)
ON CONFLICT (po_number) DO UPDATE SET supplier = excluded.supplier, version = excluded.version,
    event_id = excluded.event_id, data = excluded.data
WHERE excluded.version > {{match_order}}.version;

-- name: document_po
SELECT po_number FROM {{match_document}} WHERE kind = ?1 AND partner = ?2 AND number = ?3;

-- name: upsert_document
INSERT INTO {{match_document}} (kind, partner, number, po_number, version, event_id, data)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
ON CONFLICT (kind, partner, number) DO UPDATE SET po_number = excluded.po_number,
    version = excluded.version, event_id = excluded.event_id, data = excluded.data
WHERE excluded.version > {{match_document}}.version;

-- name: upsert_tolerance
INSERT INTO {{match_tolerance}} (partner, data) VALUES (?1, ?2)
ON CONFLICT (partner) DO UPDATE SET data = excluded.data;

-- name: supplier_orders
SELECT po_number FROM {{match_order}} WHERE supplier = ?1;

-- name: select_order
SELECT event_id, data FROM {{match_order}} WHERE po_number = ?1;

-- name: select_documents
SELECT kind, event_id, data FROM {{match_document}} WHERE po_number = ?1;

-- name: select_tolerance
SELECT data FROM {{match_tolerance}} WHERE partner = ?1;

-- name: delete_lines
DELETE FROM {{match_line}} WHERE po_number = ?1;

-- name: insert_line
INSERT INTO {{match_line}} (po_number, line_number, supplier, product, unit, currency, ordered, po_price,
    received, invoiced, invoiced_amount, invoice_price, status, issues, at_risk, evidence)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16);

-- name: delete_invoices
DELETE FROM {{match_invoice}} WHERE po_number = ?1;

-- name: insert_invoice
-- An upsert: a revision that moved the invoice to another purchase order may be derived before the order
-- it left, whose delete_invoices then no longer finds it.
INSERT INTO {{match_invoice}} (partner, invoice_number, po_number, type, currency, status, reasons, at_risk,
    lines, evidence)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)
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
