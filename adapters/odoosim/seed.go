package odoosim

// seed fills a fresh database with what a new Odoo with stock, purchase, sale and account has: the
// company, the integration user, units, the warehouse WH with its stock location, the partner
// locations, and the Receipts and Delivery Orders operation types.
func (s *Server) seed() error {
	t := s.begin(superuserID)
	t.ctx = map[string]any{}
	var first *Error
	mk := func(model string, vals map[string]any) {
		if first != nil {
			return
		}
		if _, err := t.create(t.model(model), vals, nil); err != nil {
			first = err
		}
	}
	mk("res.partner", map[string]any{"name": "My Company", "is_company": true})
	mk("res.company", map[string]any{"name": "My Company", "partner_id": 1})
	mk("res.users", map[string]any{"name": "OdooBot", "login": "__system__", "active": false})
	mk("res.users", map[string]any{"name": "Administrator", "login": s.cfg.Login})
	if s.cfg.Version < 19 {
		mk("uom.category", map[string]any{"name": "Unit"})
		mk("uom.uom", map[string]any{"name": "Units", "category_id": 1, "factor": 1.0, "factor_inv": 1.0, "uom_type": "reference"})
		mk("uom.uom", map[string]any{"name": "Dozens", "category_id": 1, "factor": 1.0 / 12, "factor_inv": 12.0, "uom_type": "bigger"})
	} else {
		mk("uom.uom", map[string]any{"name": "Units", "factor": 1.0, "relative_factor": 1.0})
		mk("uom.uom", map[string]any{"name": "Dozens", "factor": 12.0, "relative_factor": 12.0, "relative_uom_id": 1})
	}
	mk("stock.location", map[string]any{"name": "Partners", "usage": "view"})
	mk("stock.location", map[string]any{"name": "Vendors", "usage": "supplier", "location_id": locPartners})
	mk("stock.location", map[string]any{"name": "Customers", "usage": "customer", "location_id": locPartners})
	mk("stock.location", map[string]any{"name": "WH", "usage": "view"})
	mk("stock.location", map[string]any{"name": "Stock", "usage": "internal", "location_id": locWarehouse})
	mk("stock.warehouse", map[string]any{"name": "WH", "code": "WH", "lot_stock_id": locStock, "view_location_id": locWarehouse})
	mk("stock.picking.type", map[string]any{"name": "Receipts", "code": "incoming", "sequence_code": "IN",
		"warehouse_id": mainWarehouse, "default_location_src_id": locVendors, "default_location_dest_id": locStock})
	mk("stock.picking.type", map[string]any{"name": "Delivery Orders", "code": "outgoing", "sequence_code": "OUT",
		"warehouse_id": mainWarehouse, "default_location_src_id": locStock, "default_location_dest_id": locCustomers})
	t.undo = nil
	if first != nil {
		return first
	}
	return nil
}
