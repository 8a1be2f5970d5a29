package edifactdoc

import (
	"fmt"
	"strings"

	"github.com/crossdock-hub/crossdock/adapters/edi/edifact"
	"github.com/crossdock-hub/crossdock/domain"
	"github.com/crossdock-hub/crossdock/domain/shipment"
)

// pack is one CPS packing level: a shipment, a pallet, a carton...
type pack struct {
	id, parentID string
	parent       *pack
	ssccs        []string // GIN+BJ read before the first LIN of the level
	seg          *edifact.Segment
}

// asnLine is one LIN of a DESADV while it is read.
type asnLine struct {
	seg                 *edifact.Segment
	ids                 itemIDs
	pack                *pack
	ssccs               []string // GIN+BJ read after the LIN: the line's own packages
	despatched, ordered domain.Quantity
	hasDespatched       bool
	poLine, lot         string
}

// mapDESADV maps a despatch advice to a shipment.ASN. See the package documentation for the choices.
func mapDESADV(m *mapper) domain.Document {
	var (
		a         shipment.ASN
		bgm       *edifact.Segment
		hdr       = dates{}
		parties   = map[string]domain.Party{}
		aak       string
		packs     = map[string]*pack{}
		packOrder []*pack
		cur       *pack
		lines     []*asnLine
		ln        *asnLine
		detail    bool // a CPS or LIN was seen: segments now belong to packages and lines
	)
	body := m.body()
	for i := range body {
		s := &body[i]
		switch s.Tag {
		case "BGM":
			bgm = s
		case "DTM":
			if !detail {
				m.addDate(hdr, s, "11", "137", "17", "132")
			}
		case "RFF":
			m.desadvRFF(&a, ln, s, &aak)
		case "NAD":
			if p := party(s); !detail && p.Role != "" {
				if _, dup := parties[p.Role]; !dup {
					parties[p.Role] = p
				}
			}
		case "TDT":
			m.tdtSCAC(&a.CarrierSCAC, s)
		case "CPS":
			detail, ln = true, nil
			cur = m.cps(s, packs)
			if cur != nil {
				packOrder = append(packOrder, cur)
			}
		case "GIN":
			m.gin(s, cur, ln)
		case "LIN":
			detail = true
			ln = &asnLine{seg: s, pack: cur}
			m.lin(&ln.ids, s)
			lines = append(lines, ln)
		case "PIA":
			if ln != nil {
				m.pia(&ln.ids, s)
			}
		case "IMD":
			if ln != nil {
				imd(&ln.ids, s)
			}
		case "QTY":
			if ln != nil {
				m.desadvQTY(ln, s)
			}
		}
	}

	if bgm == nil {
		m.missingSegment("BGM", "BGM segment (despatch advice number)")
	} else {
		a.ASNNumber = bgm.Component(2, 1)
		if a.ASNNumber == "" && aak != "" {
			a.ASNNumber = aak
			m.warn("%s: no despatch advice number in BGM; RFF+AAK %q used", where(bgm), aak)
		} else if a.ASNNumber == "" {
			m.fail(bgm, 2, 1, edifact.CodeMissing, "BGM element 2 component 1 (despatch advice number) is missing")
		}
		a.Purpose = m.purpose(bgm)
	}
	if st, ok := hdr.first("11", "137"); ok {
		a.ShipDate = st.at
		if st.qualifier == "137" {
			m.warn("%s: no despatch date (DTM+11); the ship date is the document date (DTM+137)", where(st.seg))
		}
	} else {
		m.missingSegment("DTM", "despatch date (DTM+11, or the document date DTM+137)")
	}
	if st, ok := hdr.first("132", "17"); ok {
		a.ExpectedArrival = st.at
	}
	if a.PONumber == "" {
		m.missingSegment("RFF", "purchase order number (RFF+ON)")
	}
	for _, role := range []string{"ST", "DP"} {
		if p, ok := parties[role]; ok {
			a.ShipTo = partyCode(p)
			break
		}
	}
	for _, role := range []string{"SU", "SE", "SF"} {
		if p, ok := parties[role]; ok {
			a.Supplier = partyCode(p)
			break
		}
	}
	m.linkPacks(packOrder, packs)

	if len(lines) == 0 {
		m.missingSegment("LIN", "line item (LIN)")
	}
	seen := map[int]*edifact.Segment{}
	for _, l := range lines {
		line := shipment.Line{Ref: l.ids.ref, Quantity: l.despatched, PartnerQuantity: l.despatched,
			Ordered: l.ordered, POLine: l.poLine, Lot: l.lot}
		if line.Lot == "" {
			line.Lot = l.ids.lot
		}
		n, ok := positiveInt(l.seg.Element(1))
		switch {
		case !ok:
			m.fail(l.seg, 1, 0, edifact.CodeInvalidValue, "LIN element 1 (line item number) "+quote(l.seg.Element(1))+
				" is not a positive integer")
		case seen[n] != nil:
			m.fail(l.seg, 1, 0, edifact.CodeInvalidValue, fmt.Sprintf("line item number %d repeats the LIN of %s", n, where(seen[n])))
		default:
			seen[n] = l.seg
		}
		line.Number = n
		m.requireItem(&l.ids, l.seg)
		if !l.hasDespatched {
			m.fail(l.seg, 0, 0, edifact.CodeMissing, "line "+quote(l.seg.Element(1))+" has no despatched quantity (QTY+12)")
		}
		line.SSCC = m.lineSSCC(l, len(packOrder))
		a.Lines = append(a.Lines, line)
	}
	return a
}

// purpose maps BGM 1225 (message function) to the ASN purpose. 7 (duplicate), 31 (copy) and 43
// (additional transmission) resend an original; 4 (change: only the changed lines) and 3 (deletion of
// some lines) cannot be expressed by a whole-ASN purpose and are refused.
func (m *mapper) purpose(bgm *edifact.Segment) string {
	switch code := bgm.Element(3); code {
	case "", "9", "7", "31", "43":
		return "original"
	case "5":
		return "replace"
	case "1":
		return "cancel"
	default:
		m.fail(bgm, 3, 0, edifact.CodeNotSupportedValue, "BGM element 3 (message function) "+quote(code)+
			" is not supported: 9 original, 5 replace, 1 cancellation (or 7, 31, 43 for a resent original)")
		return ""
	}
}

// desadvRFF reads a reference: at header level ON is the purchase order, BM the bill of lading, CN the
// carrier's reference (the tracking number), AAK a despatch advice number; under a LIN, ON gives the
// purchase order line (1156).
func (m *mapper) desadvRFF(a *shipment.ASN, ln *asnLine, s *edifact.Segment, aak *string) {
	q, v := s.Component(1, 1), strings.TrimSpace(s.Component(1, 2))
	if v == "" {
		m.fail(s, 1, 2, edifact.CodeMissing, "RFF element 1 component 2 (reference of RFF+"+q+") is missing")
		return
	}
	switch q {
	case "ON":
		if ln != nil {
			ln.poLine = s.Component(1, 3)
		}
		switch {
		case a.PONumber == "":
			a.PONumber = v
		case a.PONumber != v:
			m.warn("%s: purchase order %q differs from %q; the canonical ASN has one purchase order, %q is kept",
				where(s), v, a.PONumber, a.PONumber)
		}
	case "BM":
		if a.BillOfLading == "" {
			a.BillOfLading = v
		}
	case "CN":
		if a.TrackingNumber == "" {
			a.TrackingNumber = v
		}
	case "AAK":
		if *aak == "" {
			*aak = v
		}
	}
}

// tdtSCAC reads the carrier of a TDT (C040 3127) into scac when it has the form of a SCAC; the first
// carrier wins.
func (m *mapper) tdtSCAC(scac *string, s *edifact.Segment) {
	id, name := carrier(s)
	if *scac != "" || id == "" && name == "" {
		return
	}
	if isSCAC(id) {
		*scac = id
		return
	}
	m.warn("%s: carrier %q is not a SCAC (2 to 4 upper-case letters); the ASN keeps SCACs only", where(s), strings.TrimSpace(id+" "+name))
}

// cps starts a packing level: 7164 id, 7166 parent id.
func (m *mapper) cps(s *edifact.Segment, packs map[string]*pack) *pack {
	id := m.required(s, 1, 0, "hierarchical id number")
	if id == "" {
		return nil
	}
	if prev, dup := packs[id]; dup {
		m.fail(s, 1, 0, edifact.CodeInvalidValue, fmt.Sprintf("CPS id %q repeats the CPS of %s", id, where(prev.seg)))
		return nil
	}
	p := &pack{id: id, parentID: s.Element(2), seg: s}
	packs[id] = p
	return p
}

// linkPacks resolves each level's parent by id, whatever the segment order, and refuses unknown
// parents and cycles.
func (m *mapper) linkPacks(order []*pack, packs map[string]*pack) {
	for _, p := range order {
		if p.parentID == "" {
			continue
		}
		parent, ok := packs[p.parentID]
		if !ok || parent == p {
			m.fail(p.seg, 2, 0, edifact.CodeInvalidValue, fmt.Sprintf("CPS %q names parent %q, which is no other CPS of the message", p.id, p.parentID))
			continue
		}
		p.parent = parent
	}
	for _, p := range order {
		q := p
		for steps := 0; q != nil; steps++ {
			if steps > len(order) {
				m.fail(p.seg, 2, 0, edifact.CodeInvalidValue, fmt.Sprintf("CPS %q is its own ancestor", p.id))
				p.parent = nil
				break
			}
			q = q.parent
		}
	}
}

// gin reads GIN identity numbers: BJ (SSCC) for the current line when a LIN was read in the current
// packing level, else for the packing level; BX (batch number) for the current line.
func (m *mapper) gin(s *edifact.Segment, cur *pack, ln *asnLine) {
	switch s.Element(1) {
	case "BJ":
		var ssccs []string
		for el := 2; el <= len(s.Elements) && el <= 6; el++ {
			for comp := 1; comp <= 2; comp++ {
				v := strings.TrimSpace(s.Component(el, comp))
				if v == "" {
					continue
				}
				sscc, err := normalizeSSCC(v)
				if err != nil {
					m.fail(s, el, comp, edifact.CodeInvalidValue, ref(s, el, comp)+" (SSCC): "+err.Error())
					continue
				}
				ssccs = append(ssccs, sscc)
			}
		}
		switch {
		case ln != nil:
			ln.ssccs = append(ln.ssccs, ssccs...)
		case cur != nil:
			cur.ssccs = append(cur.ssccs, ssccs...)
		default:
			m.warn("%s: SSCCs outside any packing level (CPS) or line; ignored", where(s))
		}
	case "BX":
		if ln != nil && ln.lot == "" {
			ln.lot = strings.TrimSpace(s.Component(2, 1))
		}
	}
}

// desadvQTY reads a line quantity: 12 despatched, 21 ordered; others are not kept.
func (m *mapper) desadvQTY(ln *asnLine, s *edifact.Segment) {
	switch s.Component(1, 1) {
	case "12":
		if ln.hasDespatched {
			m.fail(s, 1, 1, edifact.CodeInvalidValue, "a second despatched quantity (QTY+12) for line "+quote(ln.seg.Element(1)))
			return
		}
		if q, ok := m.quantity(s, "despatched quantity"); ok {
			ln.despatched, ln.hasDespatched = q, true
		}
	case "21":
		if q, ok := m.quantity(s, "ordered quantity"); ok && ln.ordered.IsZero() {
			ln.ordered = q
		}
	}
}

// lineSSCC is the SSCC of the package holding a line: the line's own GIN+BJ, else that of the nearest
// packing level, walking up the CPS tree, that has one. A level or line with several SSCCs (identical
// cartons each holding part of the quantity) names no single package: the line gets none, with a
// warning.
func (m *mapper) lineSSCC(l *asnLine, maxDepth int) string {
	switch len(l.ssccs) {
	case 1:
		return l.ssccs[0]
	case 0:
	default:
		m.warn("%s: line %q is in %d packages (%s); the canonical line holds one SSCC, so none is set",
			where(l.seg), l.seg.Element(1), len(l.ssccs), strings.Join(l.ssccs, ", "))
		return ""
	}
	p := l.pack
	for depth := 0; p != nil && depth <= maxDepth; depth++ {
		switch len(p.ssccs) {
		case 1:
			return p.ssccs[0]
		case 0:
			p = p.parent
		default:
			m.warn("%s: line %q is in CPS %q, which has %d packages (%s); the canonical line holds one SSCC, so none is set",
				where(l.seg), l.seg.Element(1), p.id, len(p.ssccs), strings.Join(p.ssccs, ", "))
			return ""
		}
	}
	return ""
}

// normalizeSSCC checks an SSCC: 18 digits with a valid GS1 check digit. A 20-digit value starting with
// the application identifier "00" is cut to its 18 digits.
func normalizeSSCC(v string) (string, error) {
	if len(v) == 20 && strings.HasPrefix(v, "00") {
		v = v[2:]
	}
	if len(v) != 18 || !allDigits(v) {
		return "", fmt.Errorf("%q is not 18 digits", v)
	}
	if want := gs1CheckDigit(v[:17]); v[17] != want {
		return "", fmt.Errorf("%q has check digit %c, want %c", v, v[17], want)
	}
	return v, nil
}

// gs1CheckDigit computes the GS1 mod-10 check digit of digits: weights 3 and 1 alternate from the
// right.
func gs1CheckDigit(digits string) byte {
	sum := 0
	for i := 0; i < len(digits); i++ {
		d := int(digits[len(digits)-1-i] - '0')
		if i%2 == 0 {
			d *= 3
		}
		sum += d
	}
	return byte('0' + (10-sum%10)%10)
}
