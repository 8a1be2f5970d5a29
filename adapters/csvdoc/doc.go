// Package csvdoc reads partner CSV files (a 3PL's stock file, receipts, ship confirmations) into
// canonical documents, through a per-partner Map naming which column holds which canonical field.
//
// An inventory snapshot file is one inventory.Snapshot, a row per position. Receipt and ship confirmation
// files hold any number of documents: rows are grouped by receipt_number / order_number into one
// receipt.Receipt or order.ShipConfirmation each, in the order first seen, a line per row. Values that
// belong to the whole document (po_number, ship_date, warehouse...) may be repeated on every row but
// must agree.
//
// The reader takes files as spreadsheets and WMS exports write them: a UTF-8 byte order mark, CRLF line
// ends, quoted fields with commas and line breaks, blank lines anywhere (skipped). A row whose number of
// fields differs from the header's is an error, not padded: a shifted column would put quantities under
// the wrong field. Every problem is an *Error with its 1-based line and column and the field concerned;
// Read stops at the first one.
//
// Items are kept as the partner named them: sku is the partner's item number (ItemRef.PartnerItem),
// product is Odoo's code when the partner uses it, upc and gtin as sent. Quantities are decimals in the
// unit of the row's unit column, or the Map's DefaultUnit.
package csvdoc
