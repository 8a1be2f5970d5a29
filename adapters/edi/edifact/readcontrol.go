package edifact

import (
	"fmt"
	"strconv"
)

// ControlReport is what a CONTRL message says about an interchange we sent.
type ControlReport struct {
	Reference string          // UCI01: the acknowledged interchange's control reference
	Sender    string          // UCI02-1: that interchange's sender (us)
	Recipient string          // UCI03-1: its recipient (the partner answering)
	Action    string          // UCI04: ActionAcknowledged, ActionRejected or ActionReceived
	Problem   *ControlProblem // UCI05 to UCI07; nil when none
	Groups    []ControlGroup
	Messages  []ControlMessage // in CONTRL order, grouped ones included (see ControlMessage.Group)
}

// ControlProblem is a syntax error code with the service segment and element it concerns.
type ControlProblem struct {
	Code      string // list 0085
	Tag       string // service segment tag, when given
	Element   int    // S011 data element position; 0 when not given
	Component int    // S011 component position; 0 when not given
}

// ControlGroup is one UCF.
type ControlGroup struct {
	Reference string // UCF01: the acknowledged group's UNG05
	Action    string
	Problem   *ControlProblem
}

// ControlMessage is one UCM with its UCS and UCD.
type ControlMessage struct {
	Group       string // UCF01 of the enclosing UCF; "" outside groups
	Reference   string // UCM01: the acknowledged message's UNH01
	Type        string // UCM02-1
	Version     string // UCM02-2
	Release     string // UCM02-3
	Agency      string // UCM02-4
	Association string // UCM02-5
	Action      string
	Problem     *ControlProblem
	Segments    []ControlSegment
}

// ControlSegment is one UCS and its UCDs.
type ControlSegment struct {
	Position int    // UCS01: position of the segment in the message, UNH = 1
	Code     string // UCS02, "" when only elements are in error
	Elements []ControlElement
}

// ControlElement is one UCD.
type ControlElement struct {
	Code      string // UCD01
	Element   int    // UCD02-1
	Component int    // UCD02-2; 0 when not given
}

// ReadControl reads a CONTRL message (any syntax version; security and package segments are
// skipped). It fails on another message type, a missing UCI, or a UCD without UCS.
func ReadControl(m Message) (*ControlReport, error) {
	if m.Type != "CONTRL" {
		return nil, fmt.Errorf("edifact: read control: message %s is %s, not CONTRL", m.Reference, m.Type)
	}
	r := &ControlReport{}
	seenUCI := false
	group := ""
	for _, s := range m.Segments {
		switch s.Tag {
		case "UCI":
			seenUCI = true
			r.Reference, r.Sender, r.Recipient, r.Action = s.Element(1), s.Component(2, 1), s.Component(3, 1), s.Element(4)
			r.Problem = readProblem(s, 5)
		case "UCF":
			group = s.Element(1)
			r.Groups = append(r.Groups, ControlGroup{Reference: group, Action: s.Element(4), Problem: readProblem(s, 5)})
		case "UCM":
			r.Messages = append(r.Messages, ControlMessage{Group: group, Reference: s.Element(1),
				Type: s.Component(2, 1), Version: s.Component(2, 2), Release: s.Component(2, 3),
				Agency: s.Component(2, 4), Association: s.Component(2, 5), Action: s.Element(3), Problem: readProblem(s, 4)})
		case "UCS":
			if len(r.Messages) == 0 {
				return nil, fmt.Errorf("edifact: read control: segment %d: UCS without UCM", s.Number)
			}
			pos, err := strconv.Atoi(s.Element(1))
			if err != nil {
				return nil, fmt.Errorf("edifact: read control: segment %d: UCS01 %q is not a position", s.Number, s.Element(1))
			}
			cm := &r.Messages[len(r.Messages)-1]
			cm.Segments = append(cm.Segments, ControlSegment{Position: pos, Code: s.Element(2)})
		case "UCD":
			cm := lastMessage(r)
			if cm == nil || len(cm.Segments) == 0 {
				return nil, fmt.Errorf("edifact: read control: segment %d: UCD without UCS", s.Number)
			}
			cs := &cm.Segments[len(cm.Segments)-1]
			el, _ := strconv.Atoi(s.Component(2, 1))
			comp, _ := strconv.Atoi(s.Component(2, 2))
			cs.Elements = append(cs.Elements, ControlElement{Code: s.Element(1), Element: el, Component: comp})
		}
	}
	if !seenUCI {
		return nil, fmt.Errorf("edifact: read control: message %s has no UCI", m.Reference)
	}
	return r, nil
}

func lastMessage(r *ControlReport) *ControlMessage {
	if len(r.Messages) == 0 {
		return nil
	}
	return &r.Messages[len(r.Messages)-1]
}

// readProblem reads code, tag and S011 starting at element n; nil when all are empty.
func readProblem(s Segment, n int) *ControlProblem {
	p := ControlProblem{Code: s.Element(n), Tag: s.Element(n + 1)}
	p.Element, _ = strconv.Atoi(s.Component(n+2, 1))
	p.Component, _ = strconv.Atoi(s.Component(n+2, 2))
	if p == (ControlProblem{}) {
		return nil
	}
	return &p
}
