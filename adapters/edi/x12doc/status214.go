package x12doc

import (
	"cmp"
	"strconv"

	"github.com/crossdock-hub/crossdock/adapters/edi/x12"
	"github.com/crossdock-hub/crossdock/domain"
	"github.com/crossdock-hub/crossdock/domain/shipment"
)

// shipmentStatus maps an AT701 shipment status code to a canonical status; ok false for a code with no
// canonical meaning.
func shipmentStatus(code string) (string, bool) {
	switch code {
	case "AF":
		return shipment.StatusPickedUp, true
	case "X3":
		return shipment.StatusArrivedAtPickup, true
	case "X6", "P1":
		return shipment.StatusInTransit, true
	case "OD":
		return shipment.StatusOutForDelivery, true
	case "X1":
		return shipment.StatusArrivedAtDelivery, true
	case "D1":
		return shipment.StatusDelivered, true
	case "AG":
		return shipment.StatusEstimatedDelivery, true
	case "AH":
		return shipment.StatusAttempted, true
	case "AP":
		return shipment.StatusNotCompleted, true
	case "SD":
		return shipment.StatusDelayed, true
	case "XB":
		return shipment.StatusAcknowledged, true
	case "CA":
		return shipment.StatusCancelled, true
	}
	return shipment.StatusUnknown, false
}

// pendingAT7 is a status whose instant waits for the MS1 that may follow it (its place, for LT).
type pendingAT7 struct {
	seg   *x12.Segment
	event shipment.StatusEvent
}

func map214(m *mapper) domain.Document {
	rep := shipment.StatusReport{Events: []shipment.StatusEvent{}}
	var b10 *x12.Segment
	var pending *pendingAT7
	flush := func() {
		if pending != nil {
			if ev, ok := m.resolveAT7(pending); ok {
				rep.Events = append(rep.Events, ev)
				if ev.Status == shipment.StatusEstimatedDelivery {
					rep.EstimatedDelivery = ev.At
				}
			}
			pending = nil
		}
	}
	for i, body := 0, m.body(); i < len(body); i++ {
		s := &body[i]
		switch s.ID {
		case "B10":
			b10 = s
			rep.TrackingNumber, rep.ShipmentID, rep.Carrier = s.Element(1), s.Element(2), s.Element(3)
			if q, v := s.Element(5), s.Element(6); q != "" && v != "" {
				rep.References = append(rep.References, domain.Reference{Qualifier: q, Value: v})
			}
		case "L11":
			v, q := s.Element(1), s.Element(2)
			if v == "" {
				continue
			}
			if q == "PO" {
				rep.PONumbers = append(rep.PONumbers, v)
			} else {
				rep.References = append(rep.References, domain.Reference{Qualifier: q, Value: v})
			}
		case "LX":
			flush()
		case "AT7":
			flush()
			pending = &pendingAT7{seg: s, event: m.readAT7(s)}
		case "MS1":
			if pending != nil && pending.event.Location == (domain.Location{}) {
				pending.event.Location = domain.Location{City: s.Element(1), State: s.Element(2), Country: s.Element(3)}
			}
		}
	}
	flush()
	switch {
	case b10 == nil:
		m.missingSegment("B10", "beginning segment for transportation carrier shipment status message")
	case rep.TrackingNumber == "" && rep.ShipmentID != "":
		rep.TrackingNumber = rep.ShipmentID
		m.warn("%s: B1001 (carrier's reference number, PRO) is empty; the shipment ID B1002 %s is the tracking number",
			where(b10), rep.ShipmentID)
	case rep.TrackingNumber == "":
		m.fail(b10, 1, x12.ElemMandatory, "B1001 (carrier's reference number, PRO) is missing, and so is B1002: the status names no shipment")
	}
	if len(rep.Events) == 0 && len(m.errs) == 0 {
		m.missingSegment("AT7", "no shipment status")
	}
	return rep
}

// readAT7 reads what an AT7 says except its instant, which needs the place of the MS1 that may follow.
func (m *mapper) readAT7(s *x12.Segment) shipment.StatusEvent {
	ev := shipment.StatusEvent{PartnerStatus: s.Element(1), Reason: s.Element(2)}
	if ev.PartnerStatus == "" {
		// An appointment status (AT703) stands in for the shipment status.
		ev.PartnerStatus, ev.Reason = s.Element(3), s.Element(4)
	}
	if ev.PartnerStatus == "" {
		m.fail(s, 1, x12.ElemMandatory, "AT701 (shipment status code) and AT703 (appointment status) are both missing")
		return ev
	}
	status, known := shipmentStatus(ev.PartnerStatus)
	ev.Status = status
	if !known {
		m.warn("%s: status code %q has no canonical meaning; recorded as %s", where(s), ev.PartnerStatus, status)
	}
	return ev
}

// resolveAT7 turns an AT7's date (AT705), time (AT706) and time code (AT707) into the event's instant.
func (m *mapper) resolveAT7(p *pendingAT7) (shipment.StatusEvent, bool) {
	s, ev := p.seg, p.event
	if ev.PartnerStatus == "" {
		return ev, false
	}
	date := m.date(s, 5, "status date")
	if date.IsZero() {
		if s.Element(5) == "" {
			m.fail(s, 5, x12.ElemMandatory, "AT705 (date) is missing: the status has no instant")
		}
		return ev, false
	}
	h, mi, sec := 0, 0, 0
	if t := s.Element(6); t != "" {
		var err error
		if h, mi, sec, err = x12.ParseTime(t); err != nil {
			m.fail(s, 6, x12.ElemInvalidTime, "AT706 (time): "+err.Error())
			return ev, false
		}
	} else {
		m.warn("%s: AT706 (time) is missing; the status is at midnight", where(s))
	}
	code := s.Element(7)
	if code == "" {
		m.warn("%s: AT707 (time code) is missing; the time is taken as local time (LT)", where(s))
	}
	zone, ok := m.zoneOf(s, 7, cmp.Or(code, "LT"), ev.Location)
	if !ok {
		return ev, false
	}
	ev.At = domain.Instant(date, h, mi, sec, zone)
	ev.LocalTime = localTime(date.Year(), int(date.Month()), date.Day(), h, mi, sec, s.Element(6) != "", code)
	return ev, true
}

// localTime writes "2015-03-27 09:31 LT": the wall clock as sent, with its time code.
func localTime(y, mo, d, h, mi, sec int, withTime bool, code string) string {
	b := make([]byte, 0, 24)
	b = appendPadded(b, y, 4)
	b = append(b, '-')
	b = appendPadded(b, mo, 2)
	b = append(b, '-')
	b = appendPadded(b, d, 2)
	if withTime {
		b = append(b, ' ')
		b = appendPadded(b, h, 2)
		b = append(b, ':')
		b = appendPadded(b, mi, 2)
		if sec != 0 {
			b = append(b, ':')
			b = appendPadded(b, sec, 2)
		}
	}
	if code != "" {
		b = append(b, ' ')
		b = append(b, code...)
	}
	return string(b)
}

func appendPadded(b []byte, n, width int) []byte {
	s := strconv.Itoa(n)
	for i := len(s); i < width; i++ {
		b = append(b, '0')
	}
	return append(b, s...)
}
