package odoosim

import (
	"fmt"
	"strings"
)

// moveTypes are account.move's move_type values, with the prefix of their posted names.
var moveTypes = []struct{ value, label, prefix string }{
	{"entry", "Journal Entry", "MISC"},
	{"out_invoice", "Customer Invoice", "INV"},
	{"out_refund", "Customer Credit Note", "RINV"},
	{"in_invoice", "Vendor Bill", "BILL"},
	{"in_refund", "Vendor Credit Note", "RBILL"},
}

// accountModels declares account.move and account.move.line (product lines only: no taxes, no
// receivable or payable lines).
func accountModels(int) []*model {
	var types []string
	for _, mt := range moveTypes {
		types = append(types, mt.value, mt.label)
	}
	move := newModel("account.move", "Journal Entry",
		charField("name", "Number").withDefault("/"),
		selField("move_type", "Type", types...).req().withDefault("entry"),
		m2oField("partner_id", "Partner", "res.partner").restrict(),
		charField("ref", "Reference"),
		charField("invoice_origin", "Origin"),
		dateField("invoice_date", "Invoice/Bill Date"),
		dateField("date", "Date").defaultFunc(func(t *txn, _ map[string]any) any { return t.now[:len(dateLayout)] }),
		selField("state", "Status", "draft", "Draft", "posted", "Posted", "cancel", "Cancelled").req().withDefault("draft"),
		selField("payment_state", "Payment Status", "not_paid", "Not Paid", "in_payment", "In Payment", "paid", "Paid",
			"partial", "Partially Paid", "reversed", "Reversed").withDefault("not_paid"),
		o2mField("invoice_line_ids", "Invoice lines", "account.move.line", "move_id"),
		m2oField("company_id", "Company", "res.company").withDefault(int64(1)),
	)
	move.add(
		moneyField("amount_untaxed", "Untaxed Amount").computed(func(t *txn, id int64) any { return t.moveTotal(id) }),
		moneyField("amount_total", "Total").computed(func(t *txn, id int64) any { return t.moveTotal(id) }),
	)
	move.order = "date desc, name desc, id desc"
	move.display = func(t *txn, id int64) string {
		name := t.str("account.move", id, "name")
		if t.str("account.move", id, "state") == "draft" && (name == "" || name == "/") {
			kind := map[string]string{"out_invoice": "Invoice", "out_refund": "Credit Note", "in_invoice": "Bill",
				"in_refund": "Vendor Credit Note", "entry": "Entry"}[t.str("account.move", id, "move_type")]
			return fmt.Sprintf("Draft %s (* %d)", kind, id)
		}
		return name
	}
	move.beforeUnlink = func(t *txn, ids []int64) *Error {
		for _, id := range ids {
			if t.str("account.move", id, "state") == "posted" {
				return userError("You cannot delete an entry which has been posted once.")
			}
		}
		return nil
	}
	move.methods = map[string]*method{
		"action_post":   recordMethod(movePost),
		"button_cancel": recordMethod(moveCancel),
		"button_draft":  recordMethod(moveDraft),
	}

	line := newModel("account.move.line", "Journal Item",
		m2oField("move_id", "Journal Entry", "account.move").req().cascade(),
		m2oField("product_id", "Product", "product.product").restrict(),
		charField("name", "Label"),
		floatField("quantity", "Quantity").withDefault(1.0),
		floatField("price_unit", "Unit Price"),
		m2oField("purchase_line_id", "Purchase Order Line", "purchase.order.line"),
	)
	line.add(moneyField("price_subtotal", "Subtotal").computed(func(t *txn, id int64) any {
		return round2(t.num("account.move.line", id, "quantity") * t.num("account.move.line", id, "price_unit"))
	}))
	return []*model{move, line}
}

func (t *txn) moveTotal(id int64) float64 {
	total := 0.0
	for _, l := range t.refs("account.move", id, "invoice_line_ids") {
		total += t.num("account.move.line", l, "price_subtotal")
	}
	return round2(total)
}

// movePost is action_post: a draft bill or invoice needs its date and a line, takes the next number
// of its month ("BILL/2026/11/0001") and becomes posted. It answers false, as Odoo does.
func movePost(c *call) (any, *Error) {
	t := c.t
	if err := t.missing(c.m, c.ids); err != nil {
		return nil, err
	}
	for _, id := range dedupe(c.ids) {
		name, typ := t.str("account.move", id, "name"), t.str("account.move", id, "move_type")
		switch t.str("account.move", id, "state") {
		case "posted":
			return nil, userError("The entry %s (id %d) is already posted.", name, id)
		case "cancel":
			return nil, userError("You can only post draft entries.")
		}
		date := t.str("account.move", id, "invoice_date")
		if typ != "entry" && date == "" {
			if strings.HasPrefix(typ, "in_") {
				return nil, userError("The Bill/Refund date is required to validate this document.")
			}
			date = t.now[:len(dateLayout)]
		}
		if date == "" {
			date = t.str("account.move", id, "date")
		}
		if len(t.refs("account.move", id, "invoice_line_ids")) == 0 {
			return nil, userError("You need to add a line before posting.")
		}
		vals := map[string]any{"state": "posted", "date": date}
		if typ != "entry" {
			vals["invoice_date"] = date
		}
		if name == "" || name == "/" {
			prefix := "MISC"
			for _, mt := range moveTypes {
				if mt.value == typ {
					prefix = mt.prefix
				}
			}
			period := date[:4] + "/" + date[5:7]
			vals["name"] = fmt.Sprintf("%s/%s/%04d", prefix, period, t.nextSeq("account.move/"+prefix+"/"+period))
		}
		if err := t.write(c.m, []int64{id}, vals); err != nil {
			return nil, err
		}
	}
	return false, nil
}

// moveCancel is button_cancel: a draft entry is cancelled (posted ones must be reset to draft first).
func moveCancel(c *call) (any, *Error) {
	t := c.t
	if err := t.missing(c.m, c.ids); err != nil {
		return nil, err
	}
	for _, id := range dedupe(c.ids) {
		if t.str("account.move", id, "state") == "posted" {
			return nil, userError("Only draft journal entries can be cancelled.")
		}
		if err := t.write(c.m, []int64{id}, map[string]any{"state": "cancel"}); err != nil {
			return nil, err
		}
		t.touchPurchase(id)
	}
	return false, nil
}

// moveDraft is button_draft: a posted or cancelled entry is reset to draft, keeping its number.
func moveDraft(c *call) (any, *Error) {
	t := c.t
	if err := t.missing(c.m, c.ids); err != nil {
		return nil, err
	}
	for _, id := range dedupe(c.ids) {
		if err := t.write(c.m, []int64{id}, map[string]any{"state": "draft"}); err != nil {
			return nil, err
		}
		t.touchPurchase(id)
	}
	return false, nil
}

// touchPurchase stamps the purchase lines and orders a bill's lines bill, whose billed quantities it
// changes.
func (t *txn) touchPurchase(move int64) {
	for _, l := range t.refs("account.move", move, "invoice_line_ids") {
		if pl := t.ref("account.move.line", l, "purchase_line_id"); pl != 0 {
			t.touch("purchase.order.line", pl)
			t.touch("purchase.order", t.ref("purchase.order.line", pl, "order_id"))
		}
	}
}
