// Package odoodriver writes to Odoo what partners did (Crossdock → Odoo), each write idempotent: before
// anything is created or changed, it looks for what an earlier run did (an external ID in
// ir.model.data, module "crossdock") and checks the record's state, so that a retry, a duplicate or a
// re-drive never writes twice.
//
// So far it books a warehouse's receipt on Odoo's incoming picking (ValidateReceipt). The process
// managers that call it on each event (commands/workflows) come next (issue 5).
package odoodriver
