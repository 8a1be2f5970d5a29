package webhooks

import (
	"fmt"

	"github.com/crossdock-hub/crossdock/domain"
)

// Webhook formats, named for the provider that sends them.
const (
	FormatEasyPost  = "easypost"  // EasyPost tracker.created / tracker.updated events
	FormatShippo    = "shippo"    // Shippo track_updated
	FormatAfterShip = "aftership" // AfterShip tracking_update
	FormatShipHero  = "shiphero"  // ShipHero Inventory Update and Inventory Change
	FormatShipBob   = "shipbob"   // ShipBob shipment tracking events
)

// Formats lists every format Parse reads, in a stable order.
var Formats = []string{FormatEasyPost, FormatShippo, FormatAfterShip, FormatShipHero, FormatShipBob}

// Result is what Parse made of a body.
type Result struct {
	Format string
	// Document is the canonical document: a shipment.StatusReport, an inventory.Snapshot or an
	// inventory.Adjustment. It is Documents[0].
	Document domain.Document
	// Documents is every document the body carries, in order. Only a ShipHero Inventory Update whose
	// items moved in several warehouses carries more than one (a snapshot per warehouse).
	Documents []domain.Document
	// MessageID is the provider's event id, for idempotency; "" when the body carries none.
	MessageID string
	// Warnings are oddities that did not stop the mapping, each prefixed by its JSON pointer.
	Warnings []string
}

// parser maps a decoded body; it reports problems through r.
type parser func(r *reader, root object) Result

var parsers = map[string]parser{
	FormatEasyPost:  parseEasyPost,
	FormatShippo:    parseShippo,
	FormatAfterShip: parseAfterShip,
	FormatShipHero:  parseShipHero,
	FormatShipBob:   parseShipBob,
}

// Parse maps a webhook body sent in format onto canonical documents. Errors are *Error, with the JSON
// pointer of the first value that could not be mapped.
func Parse(format string, body []byte) (Result, error) {
	p, ok := parsers[format]
	if !ok {
		return Result{}, &Error{Reason: fmt.Sprintf("unknown webhook format %q", format)}
	}
	root, err := decode(body)
	if err != nil {
		return Result{}, err
	}
	r := &reader{}
	res := p(r, root)
	if r.err != nil {
		return Result{}, r.err
	}
	res.Format = format
	res.Warnings = r.warnings
	if res.Document == nil && len(res.Documents) > 0 {
		res.Document = res.Documents[0]
	}
	if res.Documents == nil && res.Document != nil {
		res.Documents = []domain.Document{res.Document}
	}
	return res, nil
}

// Detect names the format of a body from its shape alone, for `crossdock inspect`; it does not check
// that Parse would accept it.
func Detect(body []byte) (format string, ok bool) {
	root, err := decode(body)
	if err != nil {
		return "", false
	}
	str := func(o object, key string) string {
		s, _ := o.m[key].(string)
		return s
	}
	sub := func(o object, key string) (object, bool) {
		m, ok := o.m[key].(map[string]any)
		return object{m: m}, ok
	}
	if str(root, "webhook_type") != "" {
		return FormatShipHero, true
	}
	if res, ok := sub(root, "result"); ok && (str(root, "object") == "Event" || str(res, "object") == "Tracker") {
		return FormatEasyPost, true
	}
	if msg, ok := sub(root, "msg"); ok && str(root, "event") != "" {
		if _, has := msg.m["tracking_number"]; has {
			return FormatAfterShip, true
		}
	}
	if data, ok := sub(root, "data"); ok && str(root, "event") != "" {
		if _, has := data.m["tracking_number"]; has {
			return FormatShippo, true
		}
	}
	if trk, ok := sub(root, "tracking"); ok {
		if _, has := trk.m["tracking_id"]; has {
			return FormatShipBob, true
		}
	}
	return "", false
}
