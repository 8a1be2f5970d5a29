package x12doc

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/crossdock-hub/crossdock/adapters/edi/x12"
	"github.com/crossdock-hub/crossdock/domain"
	"github.com/crossdock-hub/crossdock/domain/shipment"
)

// hlNode is one hierarchical level of an 856. What a level inherits from its ancestors (the order's PO
// number, the SSCC of the pack or pallet, the item line a pack belongs to) is copied down when the level
// is opened: a parent is always complete by then, because its segments come right after its HL.
type hlNode struct {
	id    string
	level byte
	line  int32 // index in lines of this item or the nearest item above, -1 for none
	po    string
	sscc  string
	// ownSSCC marks a level with its own MAN*GM (the first one counts).
	ownSSCC bool
}

// itemState is what the 856 mapper keeps about an item line while it reads it.
type itemState struct {
	hl     *x12.Segment
	lin01  string
	hasQty bool
}

// asnMapper reads an 856.
type asnMapper struct {
	*mapper
	asn      shipment.ASN
	nodes    []hlNode
	extraIDs map[string]int32 // HL01 values that are not the next number in sequence
	items    []itemState
	cur      int32 // current node, -1 before the first HL and in a rejected one
	seenHL   bool
	rejected map[string]bool // HL01 of levels in error, whose children are not reported again
	shipDTM  bool            // ShipDate came from DTM*011
	otherPOs map[string]int
	bsn      *x12.Segment
}

func map856(m *mapper) domain.Document {
	body := m.body()
	hls := 0
	for i := range body {
		if body[i].ID == "HL" {
			hls++
		}
	}
	a := &asnMapper{mapper: m, nodes: make([]hlNode, 0, hls), cur: -1}
	a.asn.Lines = make([]shipment.Line, 0, hls)
	a.items = make([]itemState, 0, hls)
	for i := range body {
		s := &body[i]
		switch s.ID {
		case "BSN":
			a.bsn = s
			a.readBSN(s)
		case "HL":
			a.closeItem()
			a.openLevel(s)
		default:
			a.segment(s)
		}
	}
	a.closeItem()
	a.finish()
	return a.asn
}

func (a *asnMapper) readBSN(s *x12.Segment) {
	code := s.Element(1)
	if p, ok := purposes[code]; ok {
		a.asn.Purpose = p
	} else {
		a.asn.Purpose = "original"
		a.warn("%s: BSN01 purpose %q is not original (00), replace (05) or cancel (01); taken as original", where(s), code)
	}
	a.asn.ASNNumber = a.required(s, 2, "shipment identification")
	if !a.shipDTM {
		a.asn.ShipDate = a.dateTime(s, 3, 4, "date of the notice")
	}
}

// knownLevel reports whether an HL03 level code is one Crossdock reads.
func knownLevel(code string) bool {
	return len(code) == 1 && strings.IndexByte("SOTPI", code[0]) >= 0
}

// lookup finds a node by HL01: sequential IDs ("1", "2", ...) by position, others in extraIDs.
func (a *asnMapper) lookup(id string) int32 {
	if k, ok := positiveInt(id); ok && k <= len(a.nodes) && a.nodes[k-1].id == id {
		return int32(k - 1)
	}
	if i, ok := a.extraIDs[id]; ok {
		return i
	}
	return -1
}

func (a *asnMapper) openLevel(s *x12.Segment) {
	a.cur, a.seenHL = -1, true
	id := a.required(s, 1, "hierarchical ID number")
	level := s.Element(3)
	if level == "" {
		a.fail(s, 3, x12.ElemMandatory, "HL03 (hierarchical level code) is missing")
		return
	}
	if !knownLevel(level) {
		a.fail(s, 3, x12.ElemInvalidCode, "HL03 level "+quote(level)+
			" is not one Crossdock reads: S shipment, O order, T tare, P pack or I item")
		a.reject(id)
		return
	}
	if id == "" {
		return
	}
	if a.lookup(id) >= 0 {
		a.fail(s, 1, x12.ElemInvalidCode, "HL01 "+quote(id)+" is already the ID of an earlier HL")
		return
	}
	n := hlNode{id: id, level: level[0], line: -1}
	switch parentID := s.Element(2); {
	case parentID != "":
		p := a.lookup(parentID)
		if p < 0 {
			if a.rejected[parentID] {
				a.reject(id) // its parent was reported already
			} else {
				a.fail(s, 2, x12.ElemInvalidCode, "HL02 parent "+quote(parentID)+" is not an HL defined before this one")
			}
			return
		}
		parent := &a.nodes[p]
		n.line, n.po, n.sscc = parent.line, parent.po, parent.sscc
	case level != "S":
		a.fail(s, 2, x12.ElemMandatory, "HL02 (parent ID) is missing: only the shipment level has no parent")
		a.reject(id)
		return
	}
	idx := int32(len(a.nodes))
	if k, ok := positiveInt(id); !ok || k != len(a.nodes)+1 {
		if a.extraIDs == nil {
			a.extraIDs = make(map[string]int32)
		}
		a.extraIDs[id] = idx
	}
	if n.level == 'I' {
		n.line = int32(len(a.asn.Lines))
		a.asn.Lines = append(a.asn.Lines, shipment.Line{SSCC: n.sscc})
		a.items = append(a.items, itemState{hl: s})
		if n.po != "" && n.po != a.asn.PONumber {
			a.otherPO(n.po, 1)
		}
	}
	a.nodes = append(a.nodes, n)
	a.cur = idx
}

// reject remembers a level in error, so that its children are not reported as orphans.
func (a *asnMapper) reject(id string) {
	if id == "" {
		return
	}
	if a.rejected == nil {
		a.rejected = make(map[string]bool)
	}
	a.rejected[id] = true
}

// otherPO counts lines shipped against a PO other than the ASN's.
func (a *asnMapper) otherPO(po string, lines int) {
	if a.otherPOs == nil {
		a.otherPOs = make(map[string]int)
	}
	a.otherPOs[po] += lines
}

// segment reads a segment of the current level.
func (a *asnMapper) segment(s *x12.Segment) {
	level := byte('S') // segments before the first HL belong to the shipment heading
	if a.cur >= 0 {
		level = a.nodes[a.cur].level
	} else if a.seenHL {
		return // inside a level that was rejected
	}
	switch level {
	case 'S':
		a.shipmentSegment(s)
	case 'O':
		a.orderSegment(s)
	case 'T', 'P':
		if s.ID == "MAN" {
			a.mark(s)
		}
	case 'I':
		a.itemSegment(s)
	}
}

func (a *asnMapper) shipmentSegment(s *x12.Segment) {
	switch s.ID {
	case "TD5":
		if scac := s.Element(3); scac != "" && a.asn.CarrierSCAC == "" && (s.Element(2) == "2" || s.Element(2) == "") {
			// A code that is not a SCAC cannot name the carrier: it is left out, and said so, rather than
			// passed on to reject an ASN that is otherwise good.
			if isSCAC(scac) {
				a.asn.CarrierSCAC = scac
			} else {
				a.warn("%s: TD503 %q is not a Standard Carrier Alpha Code (2 to 4 letters); left out", where(s), scac)
			}
		}
	case "REF":
		switch s.Element(1) {
		case "BM":
			if a.asn.BillOfLading == "" {
				a.asn.BillOfLading = s.Element(2)
			}
		case "CN":
			if a.asn.TrackingNumber == "" {
				a.asn.TrackingNumber = s.Element(2)
			}
		}
	case "DTM":
		a.shipmentDate(s)
	case "N1":
		if s.Element(1) == "ST" && a.asn.ShipTo == "" {
			a.asn.ShipTo = partyCode(s)
		}
	}
}

func (a *asnMapper) shipmentDate(s *x12.Segment) {
	qualifier := s.Element(1)
	if qualifier != "011" && qualifier != "017" && qualifier != "067" {
		return
	}
	d := a.date(s, 2, "date")
	if d.IsZero() {
		if s.Element(2) == "" {
			a.fail(s, 2, x12.ElemMandatory, "DTM02 (date) is missing")
		}
		return
	}
	if t := s.Element(3); t != "" {
		h, mi, sec, err := x12.ParseTime(t)
		if err != nil {
			a.fail(s, 3, x12.ElemInvalidTime, "DTM03 (time): "+err.Error())
			return
		}
		zone := time.UTC
		if s.Element(4) != "" {
			z, ok := a.zone(s, 4, domain.Location{})
			if !ok {
				return
			}
			zone = z
		}
		d = domain.Instant(d, h, mi, sec, zone)
	}
	switch qualifier {
	case "011":
		if !a.shipDTM {
			a.asn.ShipDate, a.shipDTM = d, true
		}
	default:
		if a.asn.ExpectedArrival.IsZero() {
			a.asn.ExpectedArrival = d
		}
	}
}

func (a *asnMapper) orderSegment(s *x12.Segment) {
	switch s.ID {
	case "PRF":
		po := a.required(s, 1, "purchase order number")
		n := &a.nodes[a.cur]
		if po == "" || n.po != "" {
			return
		}
		n.po = po
		if a.asn.PONumber == "" {
			a.asn.PONumber = po
		} else if po != a.asn.PONumber {
			a.otherPO(po, 0)
		}
	case "N1":
		if s.Element(1) == "ST" && a.asn.ShipTo == "" {
			a.asn.ShipTo = partyCode(s)
		}
	}
}

// mark reads a MAN*GM at a tare, pack or item level: the SSCC of the container, which the items in it
// inherit. A pack below an item (structure 0002) gives the item its SSCC.
func (a *asnMapper) mark(s *x12.Segment) {
	if s.Element(1) != "GM" {
		return
	}
	n := &a.nodes[a.cur]
	raw := a.required(s, 2, "SSCC")
	if raw == "" || n.ownSSCC {
		return
	}
	sscc := a.sscc(s, raw)
	n.sscc, n.ownSSCC = sscc, true
	if n.line < 0 {
		return
	}
	switch l := &a.asn.Lines[n.line]; {
	case n.level == 'I' || l.SSCC == "":
		l.SSCC = sscc
	case l.SSCC != sscc:
		a.warn("%s: item line %d is packed in more than one container; its SSCC is the first, %s", where(s), n.line+1, l.SSCC)
	}
}

// sscc turns a MAN*GM value into an SSCC-18: a 20-digit value starting with "00" (the GS1
// application identifier of an SSCC) loses it. A value that is still not 18 digits with a valid check
// digit is kept as sent, with a warning.
func (m *mapper) sscc(s *x12.Segment, v string) string {
	if len(v) == 20 && strings.HasPrefix(v, "00") && allDigits(v) {
		v = v[2:]
	}
	switch {
	case len(v) != 18 || !allDigits(v):
		m.warn("%s: MAN02 %q is not an SSCC-18 (18 digits); kept as sent", where(s), v)
	case !gs1CheckDigitOK(v):
		m.warn("%s: SSCC %s has a wrong check digit", where(s), v)
	}
	return v
}

func allDigits(v string) bool {
	for i := 0; i < len(v); i++ {
		if v[i] < '0' || v[i] > '9' {
			return false
		}
	}
	return v != ""
}

// gs1CheckDigitOK checks the GS1 mod-10 check digit (the last digit) of a string of digits.
func gs1CheckDigitOK(v string) bool {
	sum := 0
	for i := len(v) - 2; i >= 0; i-- {
		d := int(v[i] - '0')
		if (len(v)-2-i)%2 == 0 {
			d *= 3
		}
		sum += d
	}
	return (10-sum%10)%10 == int(v[len(v)-1]-'0')
}

func (a *asnMapper) itemSegment(s *x12.Segment) {
	n := &a.nodes[a.cur]
	l := &a.asn.Lines[n.line]
	it := &a.items[n.line]
	switch s.ID {
	case "LIN":
		if it.lin01 == "" {
			it.lin01 = s.Element(1)
		}
		a.idPairs(&l.Ref, s, 2)
	case "SN1":
		if it.hasQty {
			a.warn("%s: a second SN1 for item line %d is ignored", where(s), n.line+1)
			return
		}
		it.hasQty = true
		q := a.quantity(s, 2, 3, "number of units shipped", true)
		l.Quantity, l.PartnerQuantity = q, q
		if s.Element(5) != "" {
			unit := 6
			if s.Element(6) == "" {
				unit = 3 // the ordered quantity in the shipped quantity's unit
			}
			l.Ordered = a.quantity(s, 5, unit, "quantity ordered", false)
		}
	case "PID":
		description(&l.Ref, s)
	case "REF":
		if s.Element(1) == "LT" && l.Lot == "" {
			l.Lot = s.Element(2)
		}
	case "MAN":
		a.mark(s)
	}
}

// closeItem checks the item line being read, if any, when its level ends.
func (a *asnMapper) closeItem() {
	if a.cur < 0 || a.nodes[a.cur].level != 'I' {
		return
	}
	i := a.nodes[a.cur].line
	it := &a.items[i]
	if !it.hasQty {
		a.fail(it.hl, 0, x12.SegMandatory, "item level HL "+a.nodes[a.cur].id+" has no SN1 (quantity shipped)")
	}
	if a.asn.Lines[i].Ref.IsZero() {
		a.fail(it.hl, 0, x12.SegMandatory, "item level HL "+a.nodes[a.cur].id+
			" names no item: no LIN with a UPC, GTIN, buyer's or vendor's part number")
	}
}

func (a *asnMapper) finish() {
	if a.bsn == nil {
		a.missingSegment("BSN", "beginning segment for ship notice")
	}
	if a.asn.PONumber == "" {
		a.missingSegment("PRF", "no order level names a purchase order number")
	}
	if len(a.asn.Lines) == 0 {
		a.missingSegment("HL", "no item level")
	}
	if a.asn.ShipDate.IsZero() && a.bsn != nil && a.bsn.Element(3) == "" {
		a.fail(a.bsn, 3, x12.ElemMandatory, "BSN03 (date) is missing and no DTM*011 gives the ship date")
	}
	if len(a.otherPOs) > 0 {
		pos := make([]string, 0, len(a.otherPOs))
		lines := 0
		for po, n := range a.otherPOs {
			pos = append(pos, po)
			lines += n
		}
		slices.Sort(pos)
		more := ""
		if len(pos) > 5 {
			more = " and " + strconv.Itoa(len(pos)-5) + " more"
			pos = pos[:5]
		}
		a.warn("the 856 ships against %d purchase orders; the ASN's PO number is the first, %s, and %d lines belong to others (%s%s)",
			len(a.otherPOs)+1, a.asn.PONumber, lines, strings.Join(pos, ", "), more)
	}
	a.numberLines()
}

// numberLines numbers the lines by LIN01 when every item has a distinct positive integer there, else
// by their order in the set.
func (a *asnMapper) numberLines() {
	reason := ""
	byLIN, sorted, prev := true, true, 0
	for i := range a.items {
		n, ok := positiveInt(a.items[i].lin01)
		if !ok {
			if a.items[i].lin01 != "" {
				reason = "LIN01 " + quote(a.items[i].lin01) + " is not a positive integer"
			}
			byLIN = false
			break
		}
		a.asn.Lines[i].Number = n
		sorted = sorted && n > prev
		prev = n
	}
	if byLIN && !sorted {
		nums := make([]int, len(a.asn.Lines))
		for i := range a.asn.Lines {
			nums[i] = a.asn.Lines[i].Number
		}
		slices.Sort(nums)
		for i := 1; i < len(nums) && byLIN; i++ {
			if nums[i] == nums[i-1] {
				byLIN, reason = false, "LIN01 "+strconv.Itoa(nums[i])+" names more than one item"
			}
		}
	}
	if byLIN {
		return
	}
	for i := range a.asn.Lines {
		a.asn.Lines[i].Number = i + 1
	}
	if reason != "" {
		a.warn("%s; lines are numbered in the order of the set", reason)
	}
}

func isSCAC(s string) bool {
	if len(s) < 2 || len(s) > 4 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < 'A' || s[i] > 'Z' {
			return false
		}
	}
	return true
}
