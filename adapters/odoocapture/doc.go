// Package odoocapture turns what Odoo holds into Crossdock's events (Odoo → Crossdock).
//
// LevelsPoller reads, at each mapped warehouse, the quants of its stock location and the locations under
// it, sums them per product, and records the reading as inventory.odoo_levels_read.v1
// (commands.RecordOdooLevels), which the divergence view compares with the warehouse's own figures.
//
// OrderCapture polls purchase.order on write_date and records confirmed orders as order.placed.v1,
// their changes as order.changed.v1 and their cancellation (commands.PlaceOrderHandler); Notify fetches
// one at once, for a webhook.
//
// Whatever is read is archived first, with the records as Odoo answered them, like every inbound
// message; what cannot be named in Crossdock's terms is parked there with the reason.
//
// Still to come (issue 5): the endpoint for Odoo 17+'s "Send Webhook Notification" action, and the
// capture of sales orders, pickings, bills and products.
package odoocapture
