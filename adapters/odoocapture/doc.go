// Package odoocapture turns what Odoo holds into Crossdock's events (Odoo → Crossdock).
//
// So far it reads Odoo's stock levels: LevelsPoller reads, at each mapped warehouse, the quants of its
// stock location and the locations under it, sums them per product, and records the reading as
// inventory.odoo_levels_read.v1 (commands.RecordOdooLevels), which the divergence view compares with the
// warehouse's own figures. Each reading is archived first, with its raw rows, like every inbound message.
//
// Still to come (issue 5): the endpoint for Odoo 17+'s "Send Webhook Notification" action and the
// poller on write_date that catches what the webhook misses, for purchase and sales orders, pickings,
// bills and products.
package odoocapture
