package timeline

import (
	"encoding/json"
	"time"
)

// Query selects timeline entries. At least one of CorrelationID, Reference or StreamID is usually set;
// with none, the whole log is listed. Entries come in global order.
type Query struct {
	CorrelationID string
	// Reference is a business reference: a PO number, ASN number, tracking number, invoice number...
	// It matches any kind of reference with that value.
	Reference string
	StreamID  string
	// First is the page size (default 50, at most 500).
	First int
	// After is the cursor of the last entry of the previous page ("" for the first page).
	After string
}

// Reference is a business reference an event carries.
type Reference struct {
	Kind  string `json:"kind"` // po_number, asn_number, tracking_number, invoice_number, ...
	Value string `json:"value"`
}

// Entry is one event as the timeline shows it.
type Entry struct {
	Cursor        string // opaque, for Query.After
	Position      string // eventstore.Position.String()
	EventID       string
	StreamID      string
	StreamVersion int64
	Type          string
	OccurredAt    time.Time
	RecordedAt    time.Time
	CorrelationID string
	CausationID   string
	MessageID     string
	PartnerID     string
	Source        string
	References    []Reference
	Data          json.RawMessage
}

// Page is one page of entries.
type Page struct {
	Entries     []Entry
	EndCursor   string
	HasNextPage bool
}
