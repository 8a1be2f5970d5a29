package edifactdoc

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/shopspring/decimal"

	"github.com/crossdock-hub/crossdock/adapters/edi/edifact"
	"github.com/crossdock-hub/crossdock/domain"
	"github.com/crossdock-hub/crossdock/domain/order"
)

// Envelope is what wraps an outbound message: the interchange header (UNB) and the message identifier
// (UNH). Field comments give the defaults.
type Envelope struct {
	Syntax             string // UNB01-1 character repertoire; default "UNOC" (ISO 8859-1)
	SyntaxVersion      int    // UNB01-2; default 3
	Sender             string // UNB02-1, required: our identification at the partner (e.g. a GLN)
	SenderQualifier    string // UNB02-2, e.g. "14" (GS1)
	Recipient          string // UNB03-1, required
	RecipientQualifier string // UNB03-2
	// Reference is the interchange control reference (UNB05 = UNZ02), required, at most 14 characters.
	// It must be unique per partner: the partner's CONTRL names it.
	Reference string
	// MessageReference is the message reference (UNH01 = UNT02); default "1".
	MessageReference string
	// Prepared is the preparation date and time (UNB04), required, written in UTC.
	Prepared time.Time
	// Version, Release, Agency and Association name the message directory (UNH02-2 to -5); default D,
	// 96A, UN, EAN008 (EANCOM 1997).
	Version, Release, Agency, Association string
	AckRequested                          bool // UNB09: ask the partner for a CONTRL
	Test                                  bool // UNB11: a test interchange
	// Delimiters are the service characters; the zero value means edifact.DefaultDelimiters. A UNA is
	// written only when they differ from the defaults.
	Delimiters edifact.Delimiters
	// LineBreaks puts each segment on its own line, for people; partners' parsers skip the breaks.
	LineBreaks bool
}

func (e *Envelope) setDefaults() {
	if e.Syntax == "" {
		e.Syntax = "UNOC"
	}
	if e.SyntaxVersion == 0 {
		e.SyntaxVersion = 3
	}
	if e.MessageReference == "" {
		e.MessageReference = "1"
	}
	if e.Version == "" && e.Release == "" && e.Agency == "" && e.Association == "" {
		e.Version, e.Release, e.Agency, e.Association = "D", "96A", "UN", "EAN008"
	}
	if e.Delimiters == (edifact.Delimiters{}) {
		e.Delimiters = edifact.DefaultDelimiters
	}
}

// Validate reports every missing or malformed field, joined.
func (e Envelope) Validate() error {
	var errs []error
	for _, f := range []struct{ name, v string }{{"Sender", e.Sender}, {"Recipient", e.Recipient}, {"Reference", e.Reference}} {
		if strings.TrimSpace(f.v) == "" {
			errs = append(errs, fmt.Errorf("envelope: %s is required", f.name))
		}
	}
	if utf8.RuneCountInString(e.Reference) > 14 {
		errs = append(errs, fmt.Errorf("envelope: Reference %q is longer than 14 characters (UNB05 is an..14)", e.Reference))
	}
	if e.Prepared.IsZero() {
		errs = append(errs, errors.New("envelope: Prepared is required"))
	}
	if e.Version == "" || e.Release == "" || e.Agency == "" {
		errs = append(errs, errors.New("envelope: Version, Release and Agency name the message directory and are required together"))
	}
	return errors.Join(errs...)
}

// maxDescription is what IMD C273 carries: two 7008 components of 35 characters.
const maxDescription = 70

// EncodeORDERS writes po as an ORDERS message in its own interchange:
//
//	BGM+220+<po number>+<9 original | 5 replace | 1 cancel>
//	DTM+137 order date (format 102, or 203 when it has a time of day in UTC), DTM+2 requested delivery
//	CUX+2:<currency>:9, NAD per party (NAD+SU from Supplier when no party has role SU)
//	per line: LIN+<number>++<GTIN>:EN (else <UPC>:UP), PIA+1 (PIA+5 when LIN has no number) with the
//	product or buyer's item (IN), the supplier's item (SA) and the UPC (UP) not already in LIN,
//	IMD+F description (cut to 70 characters, it is for people, in two parts split at a space),
//	QTY+21 with its unit, PRI+AAA
//	UNS+S, MOA+86 total, CNT+2 number of lines
//
// The item's Product (our code) is sent as the buyer's item number when BuyerItem is empty, so an
// ORDERS read back names it BuyerItem. Decimals use the envelope's decimal mark. Problems in po or env
// are all reported, joined, and nothing is written.
func EncodeORDERS(po order.PurchaseOrder, env Envelope) ([]byte, error) {
	env.setDefaults()
	errs := []error{env.Validate()}
	errs = append(errs, checkOrder(po)...)
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("encode ORDERS %s: %w", po.PONumber, err)
	}
	d := env.Delimiters
	num := func(v decimal.Decimal) string { return d.FormatDecimal(v) }

	w := edifact.NewWriter(d)
	w.LineBreaks = env.LineBreaks
	ic := w.Interchange(edifact.InterchangeHeader{
		Syntax: env.Syntax, SyntaxVersion: env.SyntaxVersion,
		Sender: env.Sender, SenderQualifier: env.SenderQualifier,
		Recipient: env.Recipient, RecipientQualifier: env.RecipientQualifier,
		Prepared: env.Prepared, Reference: env.Reference,
		AckRequested: env.AckRequested, TestIndicator: env.Test,
	})
	m := ic.Message(env.MessageReference, "ORDERS", env.Version, env.Release, env.Agency, env.Association)
	m.Segment("BGM", edifact.E("220"), edifact.E(po.PONumber), edifact.E(purposeCodes[po.Purpose]))
	m.Segment("DTM", dtmValue("137", po.OrderDate))
	if !po.RequestedDelivery.IsZero() {
		m.Segment("DTM", dtmValue("2", po.RequestedDelivery))
	}
	hasSU := false
	for _, p := range po.Parties {
		hasSU = hasSU || p.Role == "SU"
		m.Segment("NAD", edifact.E(p.Role), edifact.E(p.ID, "", p.IDQualifier), nil, edifact.E(p.Name))
	}
	if !hasSU && po.Supplier != "" {
		m.Segment("NAD", edifact.E("SU"), edifact.E(po.Supplier))
	}
	if po.Currency != "" {
		m.Segment("CUX", edifact.E("2", po.Currency, "9"))
	}
	for _, l := range po.Lines {
		encodeOrderLine(m, l, num)
	}
	m.Segment("UNS", edifact.E("S"))
	if po.Total != nil {
		m.Segment("MOA", edifact.E("86", num(po.Total.Amount)))
	}
	m.Segment("CNT", edifact.E("2", strconv.Itoa(len(po.Lines))))
	data, err := w.Bytes()
	if err != nil {
		return nil, fmt.Errorf("encode ORDERS %s: %w", po.PONumber, err)
	}
	return data, nil
}

// purposeCodes are the BGM 1225 codes of the order purposes; "" is an original.
var purposeCodes = map[string]string{"": "9", "original": "9", "replace": "5", "cancel": "1"}

// checkOrder lists what makes po impossible to send.
func checkOrder(po order.PurchaseOrder) []error {
	var errs []error
	add := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	if strings.TrimSpace(po.PONumber) == "" {
		add("po_number is required")
	}
	if _, ok := purposeCodes[po.Purpose]; !ok {
		add("purpose %q is not original, replace or cancel", po.Purpose)
	}
	if po.OrderDate.IsZero() {
		add("order_date is required")
	}
	if len(po.Lines) == 0 {
		add("lines: an order needs at least one line")
	}
	money := func(field string, m *domain.Money) {
		if m != nil && m.Currency != "" && po.Currency != "" && m.Currency != po.Currency {
			add("%s: currency %q is not the order's %q (CUX states one currency)", field, m.Currency, po.Currency)
		}
	}
	money("total", po.Total)
	for i, l := range po.Lines {
		at := fmt.Sprintf("lines/%d", i)
		if l.Number == "" || utf8.RuneCountInString(l.Number) > 6 {
			add("%s/line_number %q must be 1 to 6 characters (LIN 1082 is an..6)", at, l.Number)
		}
		if l.Item.IsZero() {
			add("%s/item identifies no item", at)
		}
		if _, err := domain.NormalizeUnit(l.Quantity.Unit); err != nil || !l.Quantity.IsPositive() {
			add("%s/quantity %s must be a positive amount with a unit", at, l.Quantity)
		}
		money(at+"/unit_price", l.UnitPrice)
	}
	return errs
}

// dtmValue is a DTM C507 for t: format 102 at midnight UTC, else 203.
func dtmValue(qualifier string, t time.Time) []string {
	t = t.UTC()
	if t.Hour() == 0 && t.Minute() == 0 && t.Second() == 0 {
		return edifact.E(qualifier, t.Format("20060102"), "102")
	}
	return edifact.E(qualifier, t.Format("200601021504"), "203")
}

// encodeOrderLine writes the segments of one order line.
func encodeOrderLine(m *edifact.MessageWriter, l order.Line, num func(decimal.Decimal) string) {
	ref := l.Item
	buyer := ref.BuyerItem
	if buyer == "" {
		buyer = ref.Product
	}
	var lin []string
	var pia [][]string
	switch {
	case ref.GTIN != "":
		lin = edifact.E(ref.GTIN, "EN")
		if ref.UPC != "" {
			pia = append(pia, edifact.E(ref.UPC, "UP"))
		}
	case ref.UPC != "":
		lin = edifact.E(ref.UPC, "UP")
	}
	if buyer != "" {
		pia = append(pia, edifact.E(buyer, "IN"))
	}
	if ref.PartnerItem != "" {
		pia = append(pia, edifact.E(ref.PartnerItem, "SA"))
	}
	m.Segment("LIN", edifact.E(l.Number), nil, lin)
	if len(pia) > 0 {
		function := "1" // additional identification
		if lin == nil {
			function = "5" // product identification
		}
		m.Segment("PIA", append([][]string{edifact.E(function)}, pia...)...)
	}
	if desc := []rune(strings.TrimSpace(ref.Description)); len(desc) > 0 {
		if len(desc) > maxDescription {
			desc = desc[:maxDescription]
		}
		first, second := splitDescription(desc, maxDescription/2)
		m.Segment("IMD", edifact.E("F"), nil, edifact.E("", "", "", first, second))
	}
	m.Segment("QTY", edifact.E("21", num(l.Quantity.Amount), l.Quantity.Unit))
	if l.UnitPrice != nil {
		m.Segment("PRI", edifact.E("AAA", num(l.UnitPrice.Amount)))
	}
}

// splitDescription cuts desc into two parts of at most n runes, at the last space that allows it, so
// that reading the IMD back (the parts joined with a space) gives the description again.
func splitDescription(desc []rune, n int) (string, string) {
	if len(desc) <= n {
		return string(desc), ""
	}
	cut := n
	for i := n; i > 0; i-- {
		if desc[i] == ' ' && len(desc)-i-1 <= n {
			cut = i
			break
		}
	}
	return strings.TrimSpace(string(desc[:cut])), strings.TrimSpace(string(desc[cut:]))
}
