package x12doc

import (
	"cmp"
	"errors"
	"strings"

	"github.com/crossdock-hub/crossdock/adapters/edi/x12"
	"github.com/crossdock-hub/crossdock/domain"
	"github.com/crossdock-hub/crossdock/domain/order"
)

// ErrInvalidDocument is matched (errors.Is) by the error Encode850 and Encode940 return for a document
// they cannot write.
var ErrInvalidDocument = errors.New("document cannot be written as X12")

// Envelope is where an outbound document goes: the interchange, group and set it is written in.
type Envelope struct {
	// Interchange is the ISA: sender and receiver qualifiers and IDs, ISA12 version ("00401" when
	// empty), ISA13 control number, date (also GS04/05), usage (P or T), and whether a TA1 is asked for.
	Interchange x12.Envelope
	// GroupSender and GroupReceiver are GS02 and GS03; empty means the ISA's sender and receiver IDs.
	GroupSender, GroupReceiver string
	// GroupControl is GS06; empty means ISA13 without its leading zeros.
	GroupControl string
	// SetControl is ST02; empty means "0001".
	SetControl string
	// Version is GS08; empty means "004010".
	Version string
	// Delimiters are the interchange's; the zero value means x12.DefaultDelimiters().
	Delimiters x12.Delimiters
}

// write renders one interchange holding one group (functional ID fid) holding one set.
func (e Envelope) write(fid, code string, body func(t *x12.TransactionWriter)) ([]byte, error) {
	d := e.Delimiters
	if d == (x12.Delimiters{}) {
		d = x12.DefaultDelimiters()
	}
	isa := e.Interchange
	isa.Version = cmp.Or(isa.Version, "00401")
	w := x12.NewWriter(d)
	ic := w.Interchange(isa)
	groupControl := e.GroupControl
	if groupControl == "" {
		groupControl = strings.TrimLeft(isa.Control, "0")
		if groupControl == "" {
			groupControl = "0"
		}
	}
	g := ic.Group(fid, cmp.Or(e.GroupSender, isa.SenderID), cmp.Or(e.GroupReceiver, isa.ReceiverID),
		groupControl, cmp.Or(e.Version, "004010"))
	t := g.Transaction(code, cmp.Or(e.SetControl, "0001"))
	body(t)
	return w.Bytes()
}

// problems collects what makes a document impossible to write, by JSON pointer.
type problems []string

func (p *problems) add(pointer, reason string) { *p = append(*p, pointer+": "+reason) }

func (p problems) err(set string) error {
	if len(p) == 0 {
		return nil
	}
	return errors.Join(ErrInvalidDocument, errors.New("cannot write the "+set+": "+strings.Join(p, "; ")))
}

// checkLine checks an order line before it is written.
func checkLine(p *problems, at string, l order.Line) {
	if !l.Quantity.IsPositive() {
		p.add(at+"/quantity", "must be greater than zero")
	}
	if _, err := domain.NormalizeUnit(l.Quantity.Unit); err != nil {
		p.add(at+"/quantity", "unit: "+err.Error())
	}
	if l.Item.IsZero() {
		p.add(at+"/item", "names no item (no product, buyer or partner item, UPC or GTIN)")
	}
}

// itemPairs are the qualifier/ID pairs naming an item in an outbound document, most specific first.
func itemPairs(r domain.ItemRef) []string {
	var el []string
	if buyer := cmp.Or(r.BuyerItem, r.Product); buyer != "" {
		el = append(el, "BP", buyer)
	}
	if r.PartnerItem != "" {
		el = append(el, "VN", r.PartnerItem)
	}
	if r.UPC != "" {
		el = append(el, "UP", r.UPC)
	}
	if r.GTIN != "" {
		q := "EN"
		if len(r.GTIN) == 14 {
			q = "UK"
		}
		el = append(el, q, r.GTIN)
	}
	return el
}
