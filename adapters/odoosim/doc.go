// Package odoosim is an in-process Odoo server for tests and for `crossdock demo`: an http.Handler that
// answers as the Odoo 16, 17 and 19 community servers described in ODOO.md do, over an in-memory
// database with Odoo's state machines, error objects and field names.
//
// Protocols:
//
//   - JSON-RPC (POST /jsonrpc, every version): common.version, common.login, common.authenticate
//     (uid 2, or false for a wrong key), object.execute_kw and object.execute. Errors answer HTTP 200
//     with error.code 200 (0 on 19), message "Odoo Server Error" and data {name, message, arguments,
//     context, debug}.
//   - JSON-2 (POST /json/2/<model>/<method>, 19 only; 404 text/html before): bearer API key, optional
//     X-Odoo-Database, a flat body of named parameters plus ids and context; errors as a JSON body with
//     the statuses of ODOO.md's table.
//   - GET /web/version.
//
// Models, seeded as a new database with stock, purchase, sale and account (company, user 2, Units and
// Dozens, warehouse WH with WH/Stock, Partners/Vendors and Partners/Customers, Receipts and Delivery
// Orders): res.partner, res.company, res.users, uom.uom (and uom.category on 16 and 17),
// product.product, purchase.order(.line), sale.order(.line), stock.picking, stock.move, stock.quant,
// stock.location, stock.warehouse, stock.picking.type, stock.lot, account.move(.line),
// ir.model.data and the wizards stock.backorder.confirmation and (16) stock.immediate.transfer. Every
// model has create, write, read, search, search_read, search_count, unlink, fields_get and
// check_access_rights; the business methods are button_confirm, button_cancel and
// action_create_invoice on purchase orders, action_confirm on sale orders, button_validate on
// pickings, process on the wizards and action_post on bills.
//
// Per version:
//
//   - 16: stock.move.quantity_done; button_validate with nothing done answers the Immediate Transfer
//     wizard; product detailed_type; line UoM product_uom; uom categories; purchase state done.
//   - 17: stock.move.quantity (pre-filled with the demand) and picked; validating nothing is a
//     UserError; otherwise as 16.
//   - 19: as 17 for moves; product type (consu/service/combo) and is_storable; line UoM
//     product_uom_id; uom relative_factor/relative_uom_id and no categories; purchase.order.locked and
//     no done state; JSON-2.
//
// Domains take Odoo's prefix operators and the comparison, in, like and =? operators, and child_of on
// stock locations (by their parent location_id).
//
// Reading, writing or searching a field of another version fails with builtins.ValueError ("Invalid
// field 'quantity_done' on model 'stock.move'"), as on a live server.
//
// Each call runs in its own transaction: a call that fails changes nothing, sequences and ids
// included. Calls are serialized. write_date is stamped on every write and state change, and on the
// orders and lines whose received, delivered or billed quantities a receipt, delivery or bill changes,
// so polling on write_date sees them as it would on Odoo. Faults (latency, proxy 502s, serialization
// failures, a 503 outage) can be injected with SetFaults.
//
// Not simulated: access groups and record rules (only Config.Deny), multi-company, currencies, taxes
// and journals (amounts are quantity × price), payments, product.template and variants, UoM
// conversions (quantities are taken as they are written), lots and serial numbers (stock.lot exists,
// quants carry no lot), stock.move.line, reservation against available stock (deliveries are always
// ready), returns, routes and multi-step receptions, the two-step purchase approval, sessions and
// /web/dataset/call_kw, XML-RPC, webhooks, and Odoo's default orders beyond the main fields.
package odoosim
