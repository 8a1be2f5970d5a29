package odoo

import (
	"context"
	"encoding/json"
	"fmt"
)

// Page bounds a search: Offset and Limit (0: no limit), and Order as Odoo takes it ("write_date asc, id asc").
type Page struct {
	Offset, Limit int
	Order         string
}

func (p Page) params(m map[string]any) map[string]any {
	if p.Offset > 0 {
		m["offset"] = p.Offset
	}
	if p.Limit > 0 {
		m["limit"] = p.Limit
	}
	if p.Order != "" {
		m["order"] = p.Order
	}
	return m
}

// Domain is a search domain: conditions [field, operator, value] and the prefix operators "&", "|", "!".
type Domain []any

// Where is one condition of a Domain.
func Where(field, operator string, value any) []any { return []any{field, operator, value} }

func (d Domain) list() []any {
	if d == nil {
		return []any{}
	}
	return d
}

// SearchRead answers the records of model matching domain, with fields (all of them when nil).
func (c *Client) SearchRead(ctx context.Context, model string, domain Domain, fields []string, page Page) ([]Record, error) {
	kw := page.params(map[string]any{})
	if fields != nil {
		kw["fields"] = fields
	}
	raw, err := c.call(ctx, request{model: model, method: "search_read", args: []any{domain.list()}, kwargs: kw,
		named: map[string]any{"domain": domain.list()}})
	if err != nil {
		return nil, err
	}
	return records(raw, model, "search_read")
}

// Read answers the records ids of model. Over JSON-RPC a missing id fails with ErrMissing; JSON-2 leaves
// it out of the answer.
func (c *Client) Read(ctx context.Context, model string, ids []int64, fields []string) ([]Record, error) {
	kw := map[string]any{}
	if fields != nil {
		kw["fields"] = fields
	}
	raw, err := c.call(ctx, request{model: model, method: "read", ids: ids, record: true, kwargs: kw})
	if err != nil {
		return nil, err
	}
	return records(raw, model, "read")
}

// Search answers the ids of model's records matching domain.
func (c *Client) Search(ctx context.Context, model string, domain Domain, page Page) ([]int64, error) {
	raw, err := c.call(ctx, request{model: model, method: "search", args: []any{domain.list()}, kwargs: page.params(map[string]any{}),
		named: map[string]any{"domain": domain.list()}})
	if err != nil {
		return nil, err
	}
	var ids []int64
	if err := json.Unmarshal(raw, &ids); err != nil {
		return nil, answerError(model, "search", raw, "a list of ids")
	}
	return ids, nil
}

// SearchCount answers how many of model's records match domain.
func (c *Client) SearchCount(ctx context.Context, model string, domain Domain) (int, error) {
	raw, err := c.call(ctx, request{model: model, method: "search_count", args: []any{domain.list()}, named: map[string]any{"domain": domain.list()}})
	if err != nil {
		return 0, err
	}
	var n int
	if err := json.Unmarshal(raw, &n); err != nil {
		return 0, answerError(model, "search_count", raw, "a count")
	}
	return n, nil
}

// Create creates one record and answers its id. Odoo has no idempotency key, so a create is sent again
// only when its failure shows that nothing was created; the caller looks the record up (by external ID
// or business key) before creating it.
func (c *Client) Create(ctx context.Context, model string, vals map[string]any) (int64, error) {
	raw, err := c.call(ctx, request{model: model, method: "create", args: []any{vals},
		named: map[string]any{"vals_list": []any{vals}}, create: true})
	if err != nil {
		return 0, err
	}
	var id int64
	if json.Unmarshal(raw, &id) == nil && id > 0 {
		return id, nil
	}
	var ids []int64 // JSON-2 answers a list
	if json.Unmarshal(raw, &ids) == nil && len(ids) == 1 && ids[0] > 0 {
		return ids[0], nil
	}
	return 0, answerError(model, "create", raw, "an id")
}

// Write writes vals on the records ids.
func (c *Client) Write(ctx context.Context, model string, ids []int64, vals map[string]any) error {
	raw, err := c.call(ctx, request{model: model, method: "write", ids: ids, record: true, args: []any{vals},
		named: map[string]any{"vals": vals}})
	if err != nil {
		return err
	}
	if !Answer(raw).True() {
		return answerError(model, "write", raw, "true")
	}
	return nil
}

// Unlink deletes the records ids.
func (c *Client) Unlink(ctx context.Context, model string, ids []int64) error {
	raw, err := c.call(ctx, request{model: model, method: "unlink", ids: ids, record: true})
	if err != nil {
		return err
	}
	if !Answer(raw).True() {
		return answerError(model, "unlink", raw, "true")
	}
	return nil
}

// Field describes one field of a model, as fields_get answers.
type Field struct {
	Type     string `json:"type"`
	String   string `json:"string"`
	Relation string `json:"relation"`
}

// FieldsGet answers the fields of model.
func (c *Client) FieldsGet(ctx context.Context, model string) (map[string]Field, error) {
	attrs := []any{"type", "string", "relation"}
	raw, err := c.call(ctx, request{model: model, method: "fields_get", kwargs: map[string]any{"attributes": attrs}})
	if err != nil {
		return nil, err
	}
	var fields map[string]Field
	if err := json.Unmarshal(raw, &fields); err != nil {
		return nil, answerError(model, "fields_get", raw, "a map of fields")
	}
	return fields, nil
}

// CheckAccessRights answers whether the user may perform operation ("read", "write", "create" or
// "unlink") on model.
func (c *Client) CheckAccessRights(ctx context.Context, model, operation string) (bool, error) {
	raw, err := c.call(ctx, request{model: model, method: "check_access_rights", args: []any{operation},
		named: map[string]any{"operation": operation}, kwargs: map[string]any{"raise_exception": false}})
	if err != nil {
		return false, err
	}
	return Answer(raw).True(), nil
}

// Execute calls a record method (button_confirm, button_validate, action_create_invoice, action_post…)
// on ids, with odooContext merged over the client's context. What it answers depends on the method and on the
// record's state: true, false, or an action (a wizard to fill, or the record it created).
func (c *Client) Execute(ctx context.Context, model, method string, ids []int64, odooContext map[string]any) (Answer, error) {
	raw, err := c.call(ctx, request{model: model, method: method, ids: ids, record: true, context: odooContext})
	if err != nil {
		return nil, err
	}
	return Answer(raw), nil
}

// Answer is what a method answered, as JSON.
type Answer json.RawMessage

// True reports whether the answer is true.
func (a Answer) True() bool { return string(a) == "true" }

// Action is a window action a method answered: a wizard to fill (res_model
// "stock.backorder.confirmation", target "new") or the record it made (res_id).
type Action struct {
	Type     string
	ResModel string
	ResID    int64 // 0 when res_id is false or absent
	Target   string
	Context  map[string]any
}

// Action reads the answer as an action; false when it is not one.
func (a Answer) Action() (Action, bool) {
	var act struct {
		Type     string          `json:"type"`
		ResModel any             `json:"res_model"`
		ResID    json.RawMessage `json:"res_id"`
		Target   any             `json:"target"`
		Context  map[string]any  `json:"context"`
	}
	if json.Unmarshal(a, &act) != nil || act.Type == "" {
		return Action{}, false
	}
	out := Action{Type: act.Type, Context: act.Context}
	out.ResModel, _ = act.ResModel.(string) // false when empty
	out.Target, _ = act.Target.(string)
	_ = json.Unmarshal(act.ResID, &out.ResID) // false: 0
	return out, true
}

func (a Answer) String() string { return truncate(json.RawMessage(a)) }

func records(raw json.RawMessage, model, method string) ([]Record, error) {
	var recs []Record
	if err := json.Unmarshal(raw, &recs); err != nil {
		return nil, answerError(model, method, raw, "a list of records")
	}
	return recs, nil
}

func answerError(model, method string, raw json.RawMessage, want string) error {
	return fmt.Errorf("odoo: %s.%s answered %s, not %s", model, method, truncate(raw), want)
}
