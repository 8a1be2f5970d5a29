package odoo

import (
	"context"
	"errors"
	"fmt"
	"slices"
)

// Need is what the connector needs of one model: the fields it reads or writes and the access rights
// its user must hold, with the Odoo module that brings them.
type Need struct {
	Model  string
	Module string
	// Fields it reads or writes; FieldModules names the module of a field another module adds.
	Fields       []string
	FieldModules map[string]string
	Rights       []string
	Why          string
}

// Needs is what the connector's capture and workflows need of Odoo at version s.
func Needs(s Schema) []Need {
	delivery := "stock_delivery"
	if s.Version.Major == 16 {
		delivery = "delivery"
	}
	read, readWrite := []string{"read"}, []string{"read", "write"}
	return []Need{
		{Model: "purchase.order", Module: "purchase", Rights: readWrite, Why: "confirmed POs go to suppliers; bills are made from them",
			Fields: []string{"name", "partner_id", "partner_ref", "state", "date_order", "date_planned", "order_line", "picking_ids", "write_date"}},
		{Model: "purchase.order.line", Module: "purchase", Rights: read, Why: "ordered, received and billed quantities",
			Fields: []string{"order_id", "product_id", "product_qty", s.LineUoM, "price_unit", "qty_received", "qty_invoiced"}},
		{Model: "sale.order", Module: "sale_stock", Rights: read, Why: "confirmed sales orders go to the warehouse",
			Fields: []string{"name", "partner_id", "client_order_ref", "state", "date_order", "commitment_date", "warehouse_id", "order_line", "picking_ids", "write_date"}},
		{Model: "sale.order.line", Module: "sale_stock", Rights: read, Why: "ordered and delivered quantities",
			Fields: []string{"order_id", "product_id", "name", "product_uom_qty", s.LineUoM, "qty_delivered"}},
		{Model: "stock.picking", Module: "stock", Rights: readWrite, Why: "receipts and deliveries are validated from the warehouse's confirmations",
			Fields: []string{"name", "state", "origin", "picking_type_id", "move_ids", "backorder_id", "date_done", "scheduled_date",
				"carrier_tracking_ref", "purchase_id", "sale_id", "write_date"},
			FieldModules: map[string]string{"carrier_tracking_ref": delivery, "purchase_id": "purchase_stock", "sale_id": "sale_stock"}},
		{Model: "stock.move", Module: "stock", Rights: readWrite, Why: "done quantities per product",
			Fields:       s.MoveFields("picking_id", "state", "purchase_line_id", "sale_line_id"),
			FieldModules: map[string]string{"purchase_line_id": "purchase_stock", "sale_line_id": "sale_stock"}},
		{Model: "stock.quant", Module: "stock", Rights: read, Why: "Odoo's on-hand quantities, for the divergence view",
			Fields: []string{"product_id", "location_id", "quantity", "reserved_quantity", "lot_id", "write_date"}},
		{Model: "stock.warehouse", Module: "stock", Rights: read, Why: "which locations are each warehouse's stock",
			Fields: []string{"name", "code", "lot_stock_id"}},
		{Model: "product.product", Module: "product", Rights: read, Why: "items by internal reference and barcode",
			Fields: []string{"name", "default_code", "barcode", s.ProductKind, "uom_id", "standard_price", "write_date"}},
		{Model: "account.move", Module: "account", Rights: []string{"read", "write", "create"}, Why: "draft vendor bills from matched invoices",
			Fields: []string{"name", "move_type", "partner_id", "ref", "invoice_origin", "invoice_date", "state", "invoice_line_ids", "write_date"}},
		{Model: "account.move.line", Module: "account", Rights: read, Why: "billed quantities per PO line",
			Fields:       []string{"move_id", "product_id", "quantity", "price_unit", "purchase_line_id"},
			FieldModules: map[string]string{"purchase_line_id": "purchase"}},
		{Model: "ir.model.data", Module: "base", Rights: []string{"read", "create"}, Why: "external IDs that make every create idempotent",
			Fields: []string{"module", "name", "model", "res_id"}},
	}
}

// Report is what Check found.
type Report struct {
	URL, Database string
	Version       Version
	Protocol      string
	Models        []ModelReport
}

// ModelReport is what Check found of one Need.
type ModelReport struct {
	Need
	// Missing: the model does not exist (its module is not installed).
	Missing       bool
	MissingFields []string
	MissingRights []string
	// Error is any other failure while checking the model.
	Error string
}

// OK reports whether the model has all it needs.
func (m ModelReport) OK() bool {
	return !m.Missing && len(m.MissingFields) == 0 && len(m.MissingRights) == 0 && m.Error == ""
}

// OK reports whether Odoo has all the connector needs.
func (r Report) OK() bool {
	for _, m := range r.Models {
		if !m.OK() {
			return false
		}
	}
	return true
}

// Problems says what is missing, one line each, with the module to install or the right to grant.
func (r Report) Problems() []string {
	var out []string
	for _, m := range r.Models {
		switch {
		case m.Missing:
			out = append(out, fmt.Sprintf("model %s is missing: install the module %s (%s)", m.Model, m.Module, m.Why))
		case m.Error != "":
			out = append(out, fmt.Sprintf("model %s could not be checked: %s", m.Model, m.Error))
		}
		for _, f := range m.MissingFields {
			module := m.Module
			if fm, ok := m.FieldModules[f]; ok {
				module = fm
			}
			out = append(out, fmt.Sprintf("field %s.%s is missing: install the module %s", m.Model, f, module))
		}
		for _, right := range m.MissingRights {
			out = append(out, fmt.Sprintf("the user may not %s %s: grant it in the user's access groups", right, m.Model))
		}
	}
	return out
}

// Check connects, logs in and checks every Need: the model, its fields and the user's rights. It fails
// only when Odoo cannot be reached or refuses the login; what is missing is in the report.
func Check(ctx context.Context, c *Client) (Report, error) {
	r := Report{URL: c.URL(), Database: c.Database()}
	var err error
	if r.Version, err = c.Version(ctx); err != nil {
		return r, err
	}
	if r.Protocol, err = c.Protocol(ctx); err != nil {
		return r, err
	}
	schema, err := c.Schema(ctx)
	if err != nil {
		return r, err
	}
	for _, need := range Needs(schema) {
		m := ModelReport{Need: need}
		fields, err := c.FieldsGet(ctx, need.Model)
		switch {
		case errors.Is(err, ErrUser) || errors.Is(err, ErrNotFound):
			m.Missing = true // "Object x doesn't exist" (JSON-RPC) or 404 (JSON-2)
		case errors.Is(err, ErrAccess):
			m.MissingRights = append(m.MissingRights, "read")
		case err != nil:
			if !errors.As(err, new(*Error)) {
				return r, err // unreachable, or the login was refused
			}
			m.Error = err.Error()
		}
		if err == nil {
			for _, f := range need.Fields {
				if _, ok := fields[f]; !ok {
					m.MissingFields = append(m.MissingFields, f)
				}
			}
		}
		if !m.Missing {
			for _, right := range need.Rights {
				if slices.Contains(m.MissingRights, right) {
					continue
				}
				ok, err := c.CheckAccessRights(ctx, need.Model, right)
				if err != nil {
					if !errors.As(err, new(*Error)) {
						return r, err
					}
					m.Error = err.Error()
					break
				}
				if !ok {
					m.MissingRights = append(m.MissingRights, right)
				}
			}
		}
		r.Models = append(r.Models, m)
	}
	return r, nil
}
