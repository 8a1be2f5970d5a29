package edifactdoc

import (
	"strings"

	"github.com/crossdock-hub/crossdock/adapters/edi/edifact"
	"github.com/crossdock-hub/crossdock/domain"
	"github.com/crossdock-hub/crossdock/domain/shipment"
)

// consignment is one CNI group of an IFTSTA while it is read.
type consignment struct {
	seg     *edifact.Segment // the CNI; nil for statuses before any CNI
	report  shipment.StatusReport
	carrier string
	events  []*statusEvent
	warns   []string // warnings about this consignment
}

// statusEvent is one STS group while it is read.
type statusEvent struct {
	seg      *edifact.Segment
	event    shipment.StatusEvent
	dates    dates
	location bool // a LOC was read
}

// mapIFTSTA maps a status report to one shipment.StatusReport per consignment (CNI).
//
// The tracking number is the consignment's number (CNI C503 1004), else its carrier reference (RFF+CN).
// References (RFF) of the message header apply to every consignment; RFF+ON are purchase orders, RFF+BM
// the shipment ID. Each STS is an event: its status (C555 4405) through StatusCodes, the instant from
// DTM+334 (status change), else DTM+9 (processing), read as UTC unless the format (303, 304) carries a
// zone, and the first LOC after it as the place. The carrier is the first TDT (C040) of the
// consignment, else of the message, else the NAD+CA party.
func mapIFTSTA(m *mapper) []mapped {
	var (
		bgm         *edifact.Segment
		headerRefs  []domain.Reference
		headerCarry string
		cons        []*consignment
		cn          *consignment
		ev          *statusEvent
		headerWarns []string
	)
	// Warnings go to the consignment being read; those before the first CNI concern every one.
	flush := func() {
		if cn != nil {
			cn.warns = append(cn.warns, m.warns...)
		} else {
			headerWarns = append(headerWarns, m.warns...)
		}
		m.warns = nil
	}
	body := m.body()
	for i := range body {
		s := &body[i]
		switch s.Tag {
		case "BGM":
			bgm = s
		case "CNI":
			flush()
			cn, ev = &consignment{seg: s}, nil
			cn.report.TrackingNumber = strings.TrimSpace(s.Component(2, 1))
			cons = append(cons, cn)
		case "STS":
			if cn == nil { // statuses without a CNI: the message is one consignment
				flush()
				cn = &consignment{}
				cons = append(cons, cn)
			}
			ev = m.sts(s)
			cn.events = append(cn.events, ev)
		case "RFF":
			q, v := s.Component(1, 1), strings.TrimSpace(s.Component(1, 2))
			if q == "" || v == "" {
				m.warn("%s: RFF without qualifier or value; ignored", where(s))
				continue
			}
			r := domain.Reference{Qualifier: q, Value: v}
			if cn == nil {
				headerRefs = append(headerRefs, r)
			} else {
				cn.report.References = append(cn.report.References, r)
			}
		case "DTM":
			if ev != nil {
				m.addDate(ev.dates, s, "334", "9", "17", "132")
			}
		case "LOC":
			if ev != nil && !ev.location {
				ev.event.Location, ev.location = location(s), true
			}
		case "FTX":
			if ev != nil && ev.event.Message == "" {
				ev.event.Message = ftxText(s)
			}
		case "TDT":
			id, name := carrier(s)
			c := strings.TrimSpace(id)
			if c == "" {
				c = strings.TrimSpace(name)
			}
			switch {
			case c == "":
			case cn != nil && cn.carrier == "":
				cn.carrier = c
			case cn == nil && headerCarry == "":
				headerCarry = c
			}
		case "NAD":
			if p := party(s); p.Role == "CA" && headerCarry == "" && cn == nil {
				headerCarry = partyCode(p)
			}
		}
	}

	flush()
	if bgm == nil {
		m.missingSegment("BGM", "BGM segment")
	}
	if len(cons) == 0 {
		m.missingSegment("STS", "status (STS) of any consignment")
		return []mapped{{warns: headerWarns}}
	}
	docs := make([]mapped, 0, len(cons))
	for _, c := range cons {
		r := m.statusReport(c, bgm, headerRefs, headerCarry)
		warns := append(append(append([]string(nil), headerWarns...), c.warns...), m.warns...)
		m.warns = nil
		docs = append(docs, mapped{doc: r, warns: warns})
	}
	return docs
}

// sts starts a status event: C555 4405 the status, 4404 its description; C556 9013 the reason.
func (m *mapper) sts(s *edifact.Segment) *statusEvent {
	ev := &statusEvent{seg: s, dates: dates{}}
	code := s.Component(2, 1)
	if code == "" {
		m.fail(s, 2, 1, edifact.CodeMissing, "STS element 2 component 1 (status code) is missing")
		return ev
	}
	ev.event.PartnerStatus = code
	if st, ok := m.opts.status(code); ok {
		ev.event.Status = st
	} else {
		ev.event.Status = shipment.StatusUnknown
		m.warn("%s: status code %q has no canonical meaning; it is %q", where(s), code, shipment.StatusUnknown)
	}
	ev.event.Reason = s.Component(3, 1)
	ev.event.Message = strings.TrimSpace(s.Component(2, 4))
	return ev
}

// location reads a LOC: C517 3225 the place code (a UN/LOCODE gives the country in its first two
// letters), 3224 its name (the city when given, else the code).
func location(s *edifact.Segment) domain.Location {
	code, agency, name := strings.TrimSpace(s.Component(2, 1)), s.Component(2, 3), strings.TrimSpace(s.Component(2, 4))
	loc := domain.Location{City: name}
	if loc.City == "" {
		loc.City = code
	}
	if isLOCODE(code) && (agency == "" || agency == "6") {
		loc.Country = code[:2]
	}
	return loc
}

// isLOCODE reports whether code has the form of a UN/LOCODE: five letters or digits, the first two
// letters.
func isLOCODE(code string) bool {
	if len(code) != 5 || code[0] < 'A' || code[0] > 'Z' || code[1] < 'A' || code[1] > 'Z' {
		return false
	}
	for i := 2; i < 5; i++ {
		if c := code[i]; !(c >= 'A' && c <= 'Z' || c >= '2' && c <= '9') {
			return false
		}
	}
	return true
}

// statusReport builds the report of one consignment.
func (m *mapper) statusReport(c *consignment, bgm *edifact.Segment, headerRefs []domain.Reference, headerCarrier string) shipment.StatusReport {
	r := c.report
	r.References = append(append([]domain.Reference(nil), headerRefs...), r.References...)
	if bgm != nil {
		r.MessageID = bgm.Component(2, 1)
	}
	for _, ref := range r.References {
		switch ref.Qualifier {
		case "CN":
			if r.TrackingNumber == "" {
				r.TrackingNumber = ref.Value
			}
		case "BM":
			if r.ShipmentID == "" {
				r.ShipmentID = ref.Value
			}
		case "ON":
			r.PONumbers = appendNew(r.PONumbers, ref.Value)
		}
	}
	r.Carrier = c.carrier
	if r.Carrier == "" {
		r.Carrier = headerCarrier
	}
	if r.TrackingNumber == "" {
		const reason = "the consignment has no number (CNI element 2) nor carrier reference (RFF+CN)"
		switch {
		case c.seg != nil:
			m.fail(c.seg, 2, 1, edifact.CodeMissing, reason)
		case len(c.events) > 0:
			m.fail(c.events[0].seg, 0, 0, edifact.CodeMissing, reason)
		}
	}
	if len(c.events) == 0 && c.seg != nil {
		m.fail(c.seg, 0, 0, edifact.CodeMissing, "consignment "+quote(r.TrackingNumber)+" reports no status (STS)")
	}
	for _, ev := range c.events {
		e := ev.event
		if st, ok := ev.dates.first("334", "9"); ok {
			e.At = st.at
			e.LocalTime = st.wall
			if !st.zoned && len(st.wall) > len("2006-01-02") {
				m.warn("%s: the time of status %q gives no zone (DTM format %s); read as UTC", where(st.seg), e.PartnerStatus,
					st.format)
			}
		} else {
			m.fail(ev.seg, 0, 0, edifact.CodeMissing, "status "+quote(e.PartnerStatus)+" has no date (DTM+334 or DTM+9)")
		}
		if st, ok := ev.dates.first("17", "132"); ok {
			r.EstimatedDelivery = st.at // the last estimate reported is the carrier's latest
		}
		r.Events = append(r.Events, e)
	}
	return r
}

func appendNew(list []string, v string) []string {
	for _, x := range list {
		if x == v {
			return list
		}
	}
	return append(list, v)
}
