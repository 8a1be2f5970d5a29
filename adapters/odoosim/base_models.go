package odoosim

import "fmt"

// baseModels declares res.partner, res.company, res.users, the units of measure, product.product and
// ir.model.data.
func baseModels(v int) []*model {
	partner := newModel("res.partner", "Contact",
		charField("name", "Name").req(),
		charField("ref", "Reference"),
		charField("email", "Email"),
		charField("phone", "Phone"),
		selField("type", "Address Type", "contact", "Contact", "invoice", "Invoice Address", "delivery", "Delivery Address",
			"other", "Other Address").withDefault("contact"),
		boolField("is_company", "Is a Company"),
		intField("supplier_rank", "Supplier Rank"),
		intField("customer_rank", "Customer Rank"),
		boolField("active", "Active").withDefault(true),
	)
	partner.order = "name, id"

	company := newModel("res.company", "Companies",
		charField("name", "Company Name").req(),
		m2oField("partner_id", "Partner", "res.partner").req().restrict(),
	)

	users := newModel("res.users", "User",
		charField("name", "Name").req(),
		charField("login", "Login").req(),
		m2oField("company_id", "Company", "res.company").withDefault(int64(1)),
		boolField("active", "Active").withDefault(true),
	)

	models := []*model{partner, company, users, uomModel(v), productModel(v), imdModel()}
	if v < 19 {
		models = append(models, newModel("uom.category", "Product UoM Categories", charField("name", "Unit of Measure Category").req()))
	}
	return models
}

// uomModel is uom.uom: 16 and 17 convert within categories (factor, factor_inv); 19 has no categories
// and relates each unit to a reference unit (relative_factor, relative_uom_id).
func uomModel(v int) *model {
	legacy, modern := []int{16, 17}, []int{19}
	return newModel("uom.uom", "Product Unit of Measure",
		charField("name", "Unit of Measure").req(),
		floatField("factor", "Ratio").withDefault(1.0),
		floatField("rounding", "Rounding Precision").withDefault(0.01),
		when(v, legacy, m2oField("category_id", "Category", "uom.category").req().restrict()),
		when(v, legacy, floatField("factor_inv", "Bigger Ratio").withDefault(1.0)),
		when(v, legacy, selField("uom_type", "Type", "bigger", "Bigger than the reference Unit of Measure",
			"reference", "Reference Unit of Measure for this category", "smaller", "Smaller than the reference Unit of Measure").
			withDefault("reference")),
		when(v, modern, floatField("relative_factor", "Contains").withDefault(1.0)),
		when(v, modern, m2oField("relative_uom_id", "Reference Unit", "uom.uom")),
		boolField("active", "Active").withDefault(true),
	)
}

// productModel is product.product (the simulator has no product.template). 16 and 17 set the kind with
// detailed_type (default "product", storable) and derive type from it; 19 has type
// (consu/service/combo) and is_storable (default true here, so that quants move as on 16 and 17).
func productModel(v int) *model {
	legacy, modern := []int{16, 17}, []int{19}
	p := newModel("product.product", "Product",
		charField("name", "Name").req(),
		charField("default_code", "Internal Reference"),
		charField("barcode", "Barcode"),
		m2oField("uom_id", "Unit of Measure", "uom.uom").req().withDefault(int64(1)),
		m2oField("uom_po_id", "Purchase Unit", "uom.uom").req().defaultFunc(func(t *txn, vals map[string]any) any {
			if id, ok := integer(vals["uom_id"]); ok && t.exists("uom.uom", id) {
				return id
			}
			return int64(1)
		}),
		floatField("standard_price", "Cost"),
		floatField("list_price", "Sales Price").withDefault(1.0),
		boolField("active", "Active").withDefault(true),
		when(v, legacy, selField("detailed_type", "Product Type", "consu", "Consumable", "service", "Service",
			"product", "Storable Product").req().withDefault("product")),
		when(v, modern, selField("type", "Product Type", "consu", "Goods", "service", "Service", "combo", "Combo").
			req().withDefault("consu")),
		when(v, modern, boolField("is_storable", "Track Inventory").withDefault(true)),
	)
	if v < 19 {
		p.add(selField("type", "Type", "consu", "Consumable", "service", "Service", "product", "Storable Product").
			computed(func(t *txn, id int64) any { return t.str("product.product", id, "detailed_type") }))
	}
	p.add(floatField("qty_available", "Quantity On Hand").computed(func(t *txn, id int64) any {
		total := 0.0
		for _, q := range t.where("stock.quant", "product_id", id) {
			if t.str("stock.location", t.ref("stock.quant", q, "location_id"), "usage") == "internal" {
				total += t.num("stock.quant", q, "quantity")
			}
		}
		return roundQty(total)
	}))
	p.order = "default_code, name, id"
	p.display = func(t *txn, id int64) string {
		name := t.str("product.product", id, "name")
		if code := t.str("product.product", id, "default_code"); code != "" {
			return fmt.Sprintf("[%s] %s", code, name)
		}
		return name
	}
	p.check = func(t *txn, ids []int64) *Error {
		for _, id := range ids {
			code := t.str("product.product", id, "barcode")
			if code == "" {
				continue
			}
			for _, other := range t.where("product.product", "barcode", code) {
				if other != id {
					return validationError("Barcode(s) already assigned:\n\n- Barcode \"%s\" already assigned to product(s): %s",
						code, t.displayName(t.model("product.product"), other))
				}
			}
		}
		return nil
	}
	return p
}

// storable reports whether stock moves of the product change quants.
func (t *txn) storable(product int64) bool {
	if t.s.cfg.Version >= 19 {
		return t.str("product.product", product, "type") == "consu" && t.flag("product.product", product, "is_storable")
	}
	return t.str("product.product", product, "detailed_type") == "product"
}

// isService reports whether the product is a service (no stock moves; invoiced on ordered quantity).
func (t *txn) isService(product int64) bool {
	return product != 0 && t.str("product.product", product, "type") == "service"
}

// imdModel is ir.model.data, the external identifiers: plain CRUD, (module, name) unique.
func imdModel() *model {
	m := newModel("ir.model.data", "Model Data",
		charField("name", "External Identifier").req(),
		charField("module", "Module").req(),
		charField("model", "Model Name").req(),
		intField("res_id", "Record ID"),
		boolField("noupdate", "Non Updatable"),
	)
	m.add(charField("complete_name", "Complete ID").computed(func(t *txn, id int64) any {
		return t.str("ir.model.data", id, "module") + "." + t.str("ir.model.data", id, "name")
	}))
	m.display = func(t *txn, id int64) string { return t.str("ir.model.data", id, "complete_name") }
	m.check = func(t *txn, ids []int64) *Error {
		for _, id := range ids {
			module, name := t.str("ir.model.data", id, "module"), t.str("ir.model.data", id, "name")
			for _, other := range t.where("ir.model.data", "name", name) {
				if other != id && t.str("ir.model.data", other, "module") == module {
					return validationError("The operation cannot be completed: duplicate key value violates unique "+
						"constraint \"ir_model_data_module_name_uniq_index\"\nDETAIL:  Key (module, name)=(%s, %s) already exists.",
						module, name)
				}
			}
		}
		return nil
	}
	return m
}
