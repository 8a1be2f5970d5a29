// Package problem is the RFC 9457 problem details body every HTTP error of Crossdock is answered with.
// Handlers return a *Problem as their error; the HTTP server's one error handler writes it.
package problem

import (
	"fmt"
	"net/http"
)

// ContentType is the media type of a problem body.
const ContentType = "application/problem+json"

// Problem is an RFC 9457 problem details object, extended with the list of invalid fields.
type Problem struct {
	// Type is a URI naming the kind of problem; "about:blank" when the status says it all.
	Type   string `json:"type"`
	Title  string `json:"title"`
	Status int    `json:"status"`
	Detail string `json:"detail,omitempty"`
	// Instance identifies this occurrence, e.g. the archived message ID of a rejected body.
	Instance string `json:"instance,omitempty"`
	// Errors names each invalid part of the input and where it is.
	Errors []FieldError `json:"errors,omitempty"`
	// Acknowledgment is the EDI functional acknowledgment (X12 997, EDIFACT CONTRL) that rejects an EDI
	// interchange, for partners that read it from the answer rather than from their outbox.
	Acknowledgment string `json:"acknowledgment,omitempty"`
}

// FieldError says what is wrong and where: a JSON pointer (RFC 6901) for JSON bodies, or an EDI or CSV
// location ("segment 4 (BSN) element 2", "line 3 column 5") for other formats.
type FieldError struct {
	Pointer string `json:"pointer,omitempty"`
	// Where is the position in a non-JSON body: "segment 33 (SE) element SE01", "line 7, column 3".
	Where  string `json:"where,omitempty"`
	Detail string `json:"detail"`
}

func (p *Problem) Error() string {
	if p.Detail != "" {
		return fmt.Sprintf("%d %s: %s", p.Status, p.Title, p.Detail)
	}
	return fmt.Sprintf("%d %s", p.Status, p.Title)
}

// New returns a problem of the given status whose title is the status text.
func New(status int, detail string) *Problem {
	return &Problem{Type: "about:blank", Title: http.StatusText(status), Status: status, Detail: detail}
}

// Invalid returns a 422 problem listing the invalid fields.
func Invalid(detail string, errs ...FieldError) *Problem {
	p := New(http.StatusUnprocessableEntity, detail)
	p.Type = "https://crossdock.dev/problems/invalid-document"
	p.Title = "Invalid document"
	p.Errors = errs
	return p
}
